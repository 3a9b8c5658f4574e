"""Hybrid ranking: words (BM25 and proximity) and meaning (block vectors) in one order.

The lexical ranking (ranking.py) finds passages sharing the query's words; the cosine of the
query's sentence vector with each block's finds passages about the same thing in other words
("homosexuality decriminalised" → "same-sex relationships were decriminalized"). Candidates
come from both: the lexical first stage's best RERANK_DEPTH and the blocks nearest in meaning,
found by a scan (one matrix-vector product: 10 MB of articles, ~36,000 blocks, 10 to 40 ms on
this 2-core machine) or, from ann.MIN_BLOCKS blocks, by an HNSW graph (usearch; ann.py), as a
scan of 100 MB (~360,000 blocks) takes 0.1 to 0.4 s and 550 MB of float32.
Each candidate's score is its lexical score as a share of the best one, plus SEMANTIC_WEIGHT
times its cosine (scaled by its block kind, as BM25 is). A blend of scores, not reciprocal-rank
fusion: on the development half of the judged queries RRF lost to it (nDCG@10 0.68 vs 0.71),
because rank alone cannot tell a near-tie from a rout.

Feedback in the space of meaning (a second blend with the query vector moved towards the mean
vector of the first blend's best five passages, Rocchio) was tried and left out: +0.013 nDCG@10
on the development half, -0.011 on the held-out half, nothing over all 47 queries. Vectors
reach this module through `BlockVectors` (its `nearest` and `similarity`), so how the nearest
blocks are found (a scan, or a graph of them) is the vectors' business, not the ranking's.

The blocks nearest in meaning also lend their words to the lexical stage: the first
FEEDBACK_NEAREST of them join its pseudo-relevance feedback (their words, not their vectors,
so the JSON `why` counts what they add under bm25), which bridges a vocabulary gap
("homosexuality" -> "same sex relationships"): development half 0.725 -> 0.730, held out
0.645 -> 0.642 (scored once, after the change: within noise).

Semantic-only candidates are added only to plain-word queries: a query with syntax or filters
is a constraint that a passage must meet, and meaning cannot vouch for that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from .frozen import frozen_dataclass

if TYPE_CHECKING:
    import numpy as np  # type: ignore[import-not-found, unused-ignore]

    from .vectors import BlockVectors

SEMANTIC_WEIGHT = 0.5  # a cosine of 1 is worth half the best lexical score
SEMANTIC_DEPTH = 30  # blocks nearest in meaning that join the candidates
MIN_COSINE = 0.25  # below this, MiniLM vectors say little about relatedness
FEEDBACK_NEAREST = 2  # blocks nearest in meaning whose words join the lexical feedback

Key = tuple[str, int]  # (doc_id, order)


@frozen_dataclass
class Why:
    """Which signals ranked a passage, and how much each gave."""

    bm25: float  # lexical score: BM25F by block kind, feedback terms (from the best passages
    # by words and, with vectors, the nearest by meaning) and neighbour support
    proximity: float  # bonus for query words standing near each other
    semantic: float | None  # cosine of query and passage vectors; None without vectors

    def to_dict(self) -> dict:
        """Return the signals as the JSON hit's `why` object."""
        semantic = None if self.semantic is None else round(self.semantic, 4)
        return {"bm25": round(self.bm25, 4), "semantic": semantic,
                "proximity": round(self.proximity, 4)}


@frozen_dataclass
class Candidate:
    """A passage to rank: its key, its lexical score and the proximity part of it."""

    key: Key
    lexical: float
    proximity: float = 0.0
    weight: float | None = None  # its block kind's weight, when already known


def nearest(query_vector: np.ndarray | None, vectors: BlockVectors | None) -> list[Key]:
    """Return the keys of the SEMANTIC_DEPTH blocks nearest the query in meaning, nearest
    first (none without vectors): candidates of the blend, and the first FEEDBACK_NEAREST of
    them feedback passages of the lexical stage."""
    if query_vector is None or vectors is None:
        return []
    return [vectors.key(row) for row, _ in vectors.nearest(query_vector, SEMANTIC_DEPTH)]


def by_words(ranked: Iterable[tuple[float, Key]], proximity: Mapping[Key, float]
             ) -> Iterator[tuple[float, Key, Why]]:
    """`blend`'s (score, key, why) without vectors, the lexical order, made one at a time:
    a search shows the first few of its hundred reranked passages."""
    for score, key in ranked:
        bonus = proximity.get(key, 0.0)
        yield score, key, Why(score - bonus, bonus, None)


def blend(lexical: list[Candidate], query_vector: np.ndarray, vectors: BlockVectors,
          kind_weight: Callable[[Key], float], nearest: list[Key]
          ) -> list[tuple[float, Key, Why]]:
    """Return (score, key, why) for every candidate, best first, by words and meaning: the
    `nearest` blocks in meaning (none for a query with syntax or filters) join the
    candidates. (Without vectors the order is the lexical one: `by_words`.)
    """
    candidates = {c.key: c for c in lexical}
    for key in nearest:
        if key not in candidates:
            candidates[key] = Candidate(key, 0.0, weight=kind_weight(key))
    best = max((c.lexical for c in lexical), default=0.0) or 1.0
    return _scored(candidates, best, query_vector, vectors, kind_weight)


def _scored(candidates: dict[Key, Candidate], best: float, query_vector: np.ndarray,
            vectors: BlockVectors, kind_weight: Callable[[Key], float]
            ) -> list[tuple[float, Key, Why]]:
    """Return (score, key, why) of the candidates by their words (a share of the `best`
    lexical score) and their cosine with the query vector, best first."""
    rows = vectors.rows()
    keyed = [(key, rows.get(key)) for key in candidates]
    cosines = vectors.similarity([row for _, row in keyed if row is not None], query_vector)
    cosine_of = dict(zip([key for key, row in keyed if row is not None], cosines, strict=True))
    ranked = []
    for key, candidate in candidates.items():
        cosine = float(cosine_of.get(key, 0.0))
        meaning = max(cosine - MIN_COSINE, 0.0) / (1.0 - MIN_COSINE)
        weight = candidate.weight if candidate.weight is not None else kind_weight(key)
        score = candidate.lexical / best + SEMANTIC_WEIGHT * meaning * weight
        if score <= 0:
            continue  # neither its words nor its meaning are near enough the query's
        why = Why(candidate.lexical - candidate.proximity, candidate.proximity, cosine)
        ranked.append((score, key, why))
    return sorted(ranked, key=lambda item: (-item[0], item[1]))
