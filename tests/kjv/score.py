"""Score the quotation checker on the KJV test set: precision and recall per verdict.

    python tests/kjv/score.py [--show-failures]

Builds the corpus (corpus.py) and its index in a temporary folder, checks every case of
cases.jsonl, and prints one line per verdict plus the confusion of expected and given verdicts.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the CLI does: see cli.py
os.environ.setdefault("OMP_NUM_THREADS", "1")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

import search  # noqa: E402

VERDICTS = ["exact", "edited", "variant", "paraphrase", "not_found"]


@dataclass(frozen=True)
class Outcome:
    """One case and what the checker said."""

    case: dict
    verdict: str
    located: bool  # the first match is in the expected article (True when none is expected)

    @property
    def right(self) -> bool:
        """The expected verdict (or an accepted one), pointing at the expected article."""
        accepted = [self.case["expect"], *self.case.get("accept", [])]
        return self.verdict in accepted and self.located


def read_cases() -> list[dict]:
    """The cases of cases.jsonl."""
    return [json.loads(line) for line in (HERE / "cases.jsonl").read_text().splitlines()
            if line.strip()]


def check_all(library: search.Library, cases: list[dict]) -> list[Outcome]:
    """Verify every case."""
    outcomes = []
    for case in cases:
        verification = library.verify(case["quote"])
        first = verification.matches[0] if verification.matches else None
        located = not case["source"] or (first is not None
                                         and Path(first.doc.path).stem == case["source"])
        outcomes.append(Outcome(case, verification.verdict.value, located))
    return outcomes


def per_verdict(outcomes: list[Outcome]) -> dict[str, tuple[float, float, int]]:
    """(precision, recall, cases expected) for each verdict; a paraphrase or variant pointing
    at the wrong article counts as wrong."""
    scores = {}
    for verdict in VERDICTS:
        given = [o for o in outcomes if o.verdict == verdict]
        expected = [o for o in outcomes if o.case["expect"] == verdict]
        right = [o for o in given if o.right]
        precision = len(right) / len(given) if given else 1.0
        recall = len([o for o in expected if o.right]) / len(expected) if expected else 1.0
        scores[verdict] = (precision, recall, len(expected))
    return scores


def outside_verified(outcomes: list[Outcome]) -> int:
    """Quotations from outside the corpus that were called exact or edited."""
    return sum(1 for o in outcomes if o.case["kind"].startswith("outside")
               and o.verdict in ("exact", "edited"))


def score(show_failures: bool = False) -> list[Outcome]:
    """Build, check and print the scores."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus.write_corpus(Path(tmp) / "kjv")
        search.build([Path(tmp) / "kjv"], Path(tmp) / "index")
        outcomes = check_all(search.open(Path(tmp) / "index"), read_cases())
    for verdict, (precision, recall, count) in per_verdict(outcomes).items():
        print(f"{verdict:11} precision {precision:.3f}  recall {recall:.3f}  ({count} cases)")
    print(f"outside quotations verified: {outside_verified(outcomes)}")
    confusion = Counter((o.case["expect"], o.verdict) for o in outcomes)
    print("confusion (expected -> given): " + ", ".join(
        f"{e}->{g}: {n}" for (e, g), n in sorted(confusion.items())))
    if show_failures:
        for o in outcomes:
            if not o.right:
                print(f"FAIL {o.case['id']} {o.case['kind']} expect {o.case['expect']} got "
                      f"{o.verdict} located={o.located}: {o.case['quote'][:90]}")
    return outcomes


if __name__ == "__main__":
    score("--show-failures" in sys.argv)
