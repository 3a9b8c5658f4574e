"""The quotation checker on text nobody on the team wrote: chapters of the King James Bible.

tests/kjv/corpus.py extracts them from Debian's bible-kjv-text; tests/kjv/cases.jsonl holds 60
hand-written paraphrases (each checked against its verse), 51 quotations from outside these
chapters on their topics (contradictions, inventions, famous verses from other books), near
misses, truncations, stitched and cut quotations and typing conventions. `python
tests/kjv/score.py --show-failures` prints the full report.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import search

sys.path.insert(0, str(Path(__file__).resolve().parent / "kjv"))

import corpus  # noqa: E402
import score  # noqa: E402

from search.semantic import Embedder  # noqa: E402

pytestmark = pytest.mark.skipif(
    not corpus.available() and os.environ.get("CI") != "true",
    reason="Debian's bible-kjv and bible-kjv-text packages are not installed")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[score.Outcome]:
    folder = tmp_path_factory.mktemp("kjv")
    corpus.write_corpus(folder / "kjv")
    search.build([folder / "kjv"], folder / "index")
    return score.check_all(search.open(folder / "index"), score.read_cases())


def test_no_quotation_from_outside_the_corpus_is_verified(outcomes: list[score.Outcome]) -> None:
    assert score.outside_verified(outcomes) == 0


@pytest.mark.skipif(Embedder.load() is None, reason="the embedding model is not installed")
def test_paraphrases_are_found_and_rarely_invented(outcomes: list[score.Outcome]) -> None:
    precision, recall, count = score.per_verdict(outcomes)["paraphrase"]
    assert count >= 50
    assert precision >= 0.90
    assert recall >= 0.75


@pytest.mark.parametrize("kind", ["truncation_said", "truncation_condition",
                                  "truncation_negation", "truncation_harmless", "fragment",
                                  "truncation_ellipsis", "stitched_far", "stitched_articles",
                                  "dropped_middle", "ellipsis_paragraphs", "punctuation_only",
                                  "typography", "near_miss"])
def test_every_truncation_stitch_and_typing_case_gets_its_verdict(
        outcomes: list[score.Outcome], kind: str) -> None:
    wrong = [(o.case["id"], o.case["expect"], o.verdict) for o in outcomes
             if o.case["kind"] == kind and not o.right]
    assert wrong == []
