"""The first stage of a search: the best few hundred passages by kind-weighted BM25F, found
without reading every posting.

Whoosh already knows how to stop early. Each posting block records its highest term weight and
shortest field length, so BM25F has an upper bound per block ("block max"), per posting list
and per OR branch. Its `TopCollector` skips the blocks whose bound cannot enter the current top
k, and rewrites an OR whose branch cannot reach the top on its own into an intersection or an
AND-MAYBE (MaxScore). It turns all of that off for a weighting with a `final` step, which is
where the block kind's weight used to be applied; `ranking.KindWeightedBM25F` folds the kind
weight into each term's score instead. No kind weight exceeds 1, so the unweighted bounds stay
bounds of the weighted score and pruning stays valid.

`exhaustive_top` scores every match of the same query with the same weighting: the reference
the tests compare the pruned top-k with (same passages, same scores).

Whoosh internals touched (written against Whoosh 2.7.4): `TopCollector.total`, read to count
the matches (a lower bound once it skips); `ScoredCollector.matches`, copied with one change
(see `TopCollector`), and the attributes it uses (`matcher`, `minscore`, `skipped_times`).
`PRUNE = False` scores every match instead (same results, every posting read).
"""

from __future__ import annotations

import whoosh
from whoosh import collectors, query
from whoosh.searching import Searcher

from ..frozen import frozen_dataclass
from ..kinds import KIND_WEIGHT
from . import accumulate, impacttop

# Prune only where it is valid: no kind weight above 1 (it would lift a score over its block's
# bound), and Whoosh's collector as this module knows it.
PRUNE = whoosh.__version__[:2] == (2, 7) and max(KIND_WEIGHT.values()) <= 1.0


IMPACTS = True  # an OR of words read best first from the impact lists (`impacttop`)
REPLACE_EVERY = 100  # matches between attempts to rewrite the matcher tree (Whoosh: 10)


class TopCollector(collectors.TopCollector):
    """Whoosh's top-k collector, rewriting its matcher tree less often.

    Whoosh asks the tree to replace itself (an OR whose branch can no longer reach the top
    becoming an AND-MAYBE) every 10 matches and again whenever the k-th best score rises:
    with k = 100 that is nearly every match while the top fills, and each rewrite walks the
    whole tree summing bounds (a third of the first stage on the dictionary corpus). A rewrite
    with an older, lower threshold is still valid, only less sharp, so doing it every
    REPLACE_EVERY matches keeps the results exact. The loop is Whoosh 2.7.4's `matches`
    with that one change.
    """

    def matches(self):
        matcher = self.matcher
        usequality = self._use_block_quality()
        countdown = 0
        checkquality = True
        while matcher.is_active():
            if countdown == 0:
                self.matcher = matcher = matcher.replace(self.minscore or 0)
                if not matcher.is_active():
                    break
                usequality = self._use_block_quality()
                countdown = REPLACE_EVERY
                checkquality = True
            countdown -= 1
            if usequality and checkquality and self.minscore:
                self.skipped_times += matcher.skip_to_quality(self.minscore)
                if not matcher.is_active():
                    break
            yield matcher.id()
            checkquality = matcher.next()


@frozen_dataclass
class FirstStage:
    """The top (score, docnum) pairs, best first, and how many passages the query matches."""

    top: list[tuple[float, int]]
    total: int
    exact_total: bool  # False when pruning skipped postings: total is then a lower bound
    skipped_blocks: int = 0  # posting blocks pruning never decoded


def pruned_top(searcher: Searcher, wanted: query.Query, depth: int,
               filter: query.Query | None = None,  # noqa: A002 - Whoosh's own word
               mask: query.Query | set[int] | None = None) -> FirstStage:
    """Return the best `depth` passages for a query, reading only postings that can enter
    (an OR of words: best first from the impact lists, `impacttop`, or where a segment has
    none, every posting a block at a time, `accumulate`)."""
    if not PRUNE:
        return exhaustive_top(searcher, wanted, depth, filter, mask)
    terms = accumulate.or_of_terms(wanted) if accumulate.ACCUMULATE and filter is None else None
    if terms is not None and (mask is None or isinstance(mask, set)):
        if IMPACTS:
            best = impacttop.or_top(searcher, terms, depth, mask or set())
            if best is not None:  # a word's passages are a lower bound of the OR's count
                least = max((searcher.doc_frequency(term.fieldname, term.text)
                             for term, _ in terms), default=0)
                total = best.total if best.exact_total else max(best.total, least)
                return FirstStage(best.top, max(total, len(best.top)), best.exact_total)
        found = accumulate.accumulated_top(searcher, terms, depth, mask or set())
        if found is not None:
            return FirstStage(found[0], found[1], True)
    if filter is None and (mask is None or isinstance(mask, set)):
        from . import conjunctive  # (not for plain words: a command's start-up need not read it)

        exact = conjunctive.top(searcher, wanted, depth, mask or set())
        if exact is not None:  # every match found (ANDs and phrases), so counted exactly
            return FirstStage(exact[0], max(exact[1], len(exact[0])), True)
    inner = TopCollector(limit=depth)
    collector = collectors.FilterCollector(inner, allow=filter, restrict=mask) \
        if filter is not None or mask is not None else inner
    searcher.search_with_collector(wanted, collector)
    top = [(score, docnum) for score, docnum in collector.results().top_n]
    # Until the top k is full nothing can be skipped, so every match was counted.
    return FirstStage(top, max(inner.total, len(top)), len(top) < depth, inner.skipped_times)


def exhaustive_top(searcher: Searcher, wanted: query.Query, depth: int | None,
                   filter: query.Query | None = None,  # noqa: A002 - Whoosh's own word
                   mask: query.Query | None = None) -> FirstStage:
    """Return the best `depth` passages (None: all) by scoring every match: the reference."""
    results = searcher.search(wanted, limit=None, filter=filter, mask=mask)
    ranked = sorted(((hit.score, hit.docnum) for hit in results),
                    key=lambda item: (-item[0], item[1]))
    return FirstStage(ranked if depth is None else ranked[:depth], len(ranked), True)


def first_matches(searcher: Searcher, wanted: query.Query, limit: int,
                  mask: set[int]) -> list[int]:
    """Return the docnums of the first `limit` passages matching a query, in index order,
    reading no further: for probes where any match is as good as another (a verbatim phrase
    is verbatim wherever it stands), so the cost stops growing with the number of copies."""
    found: list[int] = []
    matcher = wanted.matcher(searcher, searcher.context())
    while matcher.is_active() and len(found) < limit:
        docnum = matcher.id()
        if docnum not in mask:
            found.append(docnum)
        matcher.next()
    return found
