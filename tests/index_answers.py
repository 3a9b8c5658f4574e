"""What an index answers, compared exactly with another index's answers.

test_stats and test_crash use it to show that an updated, merged or killed-and-rerun index
answers like a clean build of the same files: the same ranked blocks with scores equal to
1e-9, the same hits, suggestion, notes and total.
"""

from __future__ import annotations

import math
from pathlib import Path

import search


def answers(index_dir: Path, queries: list[str], depth: int = 30) -> list[tuple]:
    """Each query's ranked (doc, block, unrounded score), hits, suggestion, notes and total."""
    found = []
    with search.open(index_dir) as library:
        store = library.store
        for text in queries:
            parsed = store.parse(text)
            ranked, total, _ = store.top(parsed, parsed.whoosh_query, depth)
            result = library.search(text, limit=10)
            found.append(([(block.doc_id, block.order, score) for score, block in ranked],
                          [(hit.doc_id, hit.order) for hit in result], result.suggestion,
                          result.notes, total))
    return found


def differing(mine: list[tuple], theirs: list[tuple], queries: list[str]) -> list[str]:
    """The queries whose answers differ between two indexes (empty when they answer alike)."""
    return [text for text, ours, expected in zip(queries, mine, theirs, strict=True)
            if not _alike(ours, expected)]


def _alike(ours: tuple, expected: tuple) -> bool:
    ranked, *rest = ours
    expected_ranked, *expected_rest = expected
    if rest != expected_rest or [hit[:2] for hit in ranked] != [
            hit[:2] for hit in expected_ranked]:
        return False
    return all(math.isclose(hit[2], other[2], rel_tol=1e-9)
               for hit, other in zip(ranked, expected_ranked, strict=True))
