"""The second stage of a search: re-score the first stage's bounded pool of candidates.

The proximity pairs and the feedback terms add what Whoosh's OR of them would add (kind-weighted
BM25F), but only for the pooled passages: each bonus query's postings are read by skipping
straight to the pool's docnums, so the cost follows the pool's size, not how many passages in
the corpus hold the words. A passage outside the pool is never looked at.
"""

from __future__ import annotations

from whoosh import query
from whoosh.searching import Searcher

POOL_DEPTH = 100  # how many first-stage passages the second stage re-scores (= RERANK_DEPTH)


def add_scores(searcher: Searcher, scored: query.Query, pool: dict[int, float]) -> None:
    """Add the final score of `scored` to each pooled docnum's score (nothing where it does
    not match), reading its postings only at the pool's docnums."""
    if not pool:
        return
    weighting = searcher.weighting
    matcher = scored.matcher(searcher, searcher.context(weighting=weighting))
    for docnum in sorted(pool):
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return
        if matcher.id() == docnum:
            score = matcher.score()
            if weighting.use_final:
                score = weighting.final(searcher, docnum, score)
            pool[docnum] += score


def best(pool: dict[int, float], count: int | None) -> list[tuple[float, int]]:
    """Return the pool's best (score, docnum) pairs, ties in docnum order (article order)."""
    ranked = sorted(((score, docnum) for docnum, score in pool.items()),
                    key=lambda item: (-item[0], item[1]))
    return ranked if count is None else ranked[:count]
