"""Hybrid ranking: words (BM25 and proximity) and meaning (block vectors) in one order.

The lexical ranking (ranking.py) finds passages sharing the query's words; the cosine of the
query's sentence vector with each block's finds passages about the same thing in other words
("homosexuality decriminalised" → "same-sex relationships were decriminalized"). Candidates
come from both: the lexical first stage's best RERANK_DEPTH and the blocks nearest in meaning,
found by a brute-force scan (one matrix-vector product: 10 MB of articles, ~36,000 blocks, 10 to
40 ms on this 2-core machine; 100 MB, ~360,000 blocks, 0.1 to 0.4 s and 550 MB of float32; an
approximate-nearest-neighbour library such as hnswlib is the step past that, not taken yet).
Each candidate's score is its lexical score as a share of the best one, plus SEMANTIC_WEIGHT
times its cosine (scaled by its block kind, as BM25 is). A blend of scores, not reciprocal-rank
fusion: on the development half of the judged queries RRF lost to it (nDCG@10 0.68 vs 0.71),
because rank alone cannot tell a near-tie from a rout.

Semantic-only candidates are added only to plain-word queries: a query with syntax or filters
is a constraint that a passage must meet, and meaning cannot vouch for that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np  # type: ignore[import-not-found, unused-ignore]

    from .vectors import BlockVectors

SEMANTIC_WEIGHT = 0.5  # a cosine of 1 is worth half the best lexical score
SEMANTIC_DEPTH = 30  # blocks nearest in meaning that join the candidates
MIN_COSINE = 0.25
FEEDBACK_DOCS = 3
FEEDBACK_WEIGHT = 0.3  # below this, MiniLM vectors say little about relatedness

Key = tuple[str, int]  # (doc_id, order)


@dataclass(frozen=True)
class Why:
    """Which signals ranked a passage, and how much each gave."""

    bm25: float  # lexical score: BM25F by block kind, feedback terms and neighbour support
    proximity: float  # bonus for query words standing near each other
    semantic: float | None  # cosine of query and passage vectors; None without vectors

    def to_dict(self) -> dict:
        """Return the signals as the JSON hit's `why` object."""
        semantic = None if self.semantic is None else round(self.semantic, 4)
        return {"bm25": round(self.bm25, 4), "semantic": semantic,
                "proximity": round(self.proximity, 4)}


@dataclass(frozen=True)
class Candidate:
    """A passage to rank: its key, its lexical score and the proximity part of it."""

    key: Key
    lexical: float
    proximity: float = 0.0
    weight: float | None = None  # its block kind's weight, when already known


def blend(lexical: list[Candidate], cosines: np.ndarray | None, vectors: BlockVectors | None,
          kind_weight: Callable[[Key], float], open_ended: bool) -> list[tuple[float, Key, Why]]:
    """Return (score, key, why) for every candidate, best first.

    Without vectors the order is the lexical one. With them, the `open_ended` query also takes
    the SEMANTIC_DEPTH blocks nearest in meaning as candidates.
    """
    if cosines is None or vectors is None:
        return [(c.lexical, c.key, Why(c.lexical - c.proximity, c.proximity, None)) for c in lexical]
    rows = vectors.rows()
    candidates = {c.key: c for c in lexical}
    if open_ended:
        for row in nearest(cosines, SEMANTIC_DEPTH):
            candidates.setdefault(vectors.key(row), Candidate(vectors.key(row), 0.0))
    best = max((c.lexical for c in lexical), default=0.0) or 1.0
    ranked = []
    for key, candidate in candidates.items():
        position = rows.get(key)
        cosine = float(cosines[position]) if position is not None else 0.0
        meaning = max(cosine - MIN_COSINE, 0.0) / (1.0 - MIN_COSINE)
        weight = candidate.weight if candidate.weight is not None else kind_weight(key)
        score = candidate.lexical / best + SEMANTIC_WEIGHT * meaning * weight
        if score <= 0:
            continue  # neither its words nor its meaning are near enough the query's
        why = Why(candidate.lexical - candidate.proximity, candidate.proximity, cosine)
        ranked.append((score, key, why))
    return sorted(ranked, key=lambda item: (-item[0], item[1]))


def nearest(cosines: np.ndarray, count: int) -> list[int]:
    """Return the rows of the `count` highest cosines, best first."""
    import numpy as np

    count = min(count, len(cosines))
    if count <= 0:
        return []
    top = np.argpartition(-cosines, count - 1)[:count]
    return [int(row) for row in top[np.argsort(-cosines[top], kind="stable")]]
