"""The first stage for the commonest query, an OR of words: every posting scored a block at a
time, term after term, instead of one matcher call per posting.

On the synthetic corpus every query word is common, so Whoosh's block-max pruning seldom
skips anything (no branch of the OR is ever too weak to enter the top 100): its top-k
collector reads every posting anyway, through a tree of union matchers that costs several
Python calls per posting and per term. Here each term's postings are read a block at a time
and scored in one loop with the same arithmetic as `ranking.KindWeightedScorer` (the same
floats per term); the sums are added up per document and the best `depth` kept. The sum of a
document's terms is added in another order than Whoosh's union tree, so scores may differ
in the last bits (a test compares them with Whoosh's exhaustive evaluation within 1e-9).

Only an OR of terms (nested ORs and boosts allowed, no coordination bonus) over the passage
fields, with no filter, takes this path; `topk.pruned_top` gives anything else to Whoosh.

A term's postings are read a block at a time by `postings.weight_blocks`, the one place that
touches Whoosh's posting-block internals (a matcher of another class is read posting by
posting, with the same result). `ACCUMULATE = False` turns the path off.
"""

from __future__ import annotations

import heapq
from collections.abc import ItemsView, Sequence
from functools import lru_cache

import whoosh
from whoosh import query
from whoosh.searching import Searcher

from . import perdoc, postings
from .ranking import KindWeightedScorer

ACCUMULATE = whoosh.__version__[:2] == (2, 7)
PASSAGE_FIELDS = frozenset({"content", "section"})  # fields only block records have

Scores = dict[int, float]  # docnum -> summed score


def or_of_terms(wanted: query.Query, boost: float = 1.0) -> list[tuple[query.Term, float]] | None:
    """The (term, boost) pairs of an OR of terms over the passage fields, or None for any
    other query (phrases, AND, NOT, wildcards, other fields)."""
    if isinstance(wanted, query.Term):
        if wanted.fieldname not in PASSAGE_FIELDS:
            return None
        return [(wanted, boost * wanted.boost)]
    if type(wanted) is not query.Or or wanted.scale or wanted.minmatch:
        return None
    found: list[tuple[query.Term, float]] = []
    for sub in wanted.subqueries:
        terms = or_of_terms(sub, boost * wanted.boost)
        if terms is None:
            return None
        found += terms
    return found


def accumulated_top(searcher: Searcher, terms: list[tuple[query.Term, float]], depth: int,
                    mask: set[int]) -> tuple[list[tuple[float, int]], int] | None:
    """Return the best `depth` (score, docnum) pairs, best first (ties in docnum order), and
    how many live passages the terms match; None when a term is not scored by
    `KindWeightedScorer` (then Whoosh's collector must do it)."""
    totals: Scores = {}
    for subsearcher, offset in _leaves(searcher):
        reader = subsearcher.reader()
        for term, boost in terms:
            if not _add_term(subsearcher, reader, term, boost, offset, totals):
                return None
        if reader.has_deletions():
            for docnum in postings.deleted(reader):
                totals.pop(docnum + offset, None)
    for docnum in mask:
        totals.pop(docnum, None)
    entering: list[tuple[int, float]] | ItemsView[int, float] = totals.items()
    if len(totals) > depth:  # the depth-th best score, then only the few documents at or above it are sorted
        least = heapq.nlargest(depth, totals.values())[-1]
        entering = [(docnum, score) for docnum, score in totals.items() if score >= least]
    best = sorted(entering, key=lambda item: (-item[1], item[0]))[:depth]
    return [(score, docnum) for docnum, score in best], len(totals)


def _leaves(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return [(searcher, 0)] if searcher.is_atomic() else list(searcher.subsearchers)


def term_scorer(searcher: Searcher, reader, term: query.Term
                ) -> tuple[bytes, KindWeightedScorer | None] | None:
    """(the term's bytes, its scorer) in one segment; None when the segment lacks the term;
    the scorer None when the term is not scored by KindWeightedScorer."""
    text = searcher.schema[term.fieldname].to_bytes(term.text)
    if (term.fieldname, text) not in reader:
        return None
    scorer = searcher.weighting.scorer(searcher, term.fieldname, text)
    return text, scorer if type(scorer) is KindWeightedScorer else None


def posting_scores(idf: float, norms: list[float], k1: float, boost: float, ids: Sequence[int],
                   weights: Sequence[float], lengths, kinds) -> list[float]:
    """`KindWeightedScorer.score` times the boost at each posting (segment docnums `ids`, term
    frequencies `weights`; `norms` from `length_norms`, `lengths` and `kinds` the segment's
    length bytes and kind weights): `scoring.bm25` times the kind weight over 100, each
    float as Whoosh computes it."""
    k1_plus = k1 + 1
    scores = [idf * ((tf * k1_plus) / (tf + norms[lengths[docnum]])) * kinds[docnum] / 100.0
              for docnum, tf in zip(ids, weights, strict=True)]
    return [score * boost for score in scores] if boost != 1.0 else scores


def length_norms(scorer: KindWeightedScorer) -> list[float]:
    """bm25(idf, tf, fl, avgfl, B, K1)'s length part as Whoosh writes it, per length byte
    (made once for each (K1, B, average length): every word of a field shares it)."""
    return norms_of(scorer.K1, scorer.B, scorer.avgfl)


@lru_cache(maxsize=64)
def norms_of(k1: float, b: float, avgfl: float) -> list[float]:
    """`length_norms` for these parameters (not to be changed: the list is shared)."""
    return [k1 * ((1 - b) + b * length / avgfl) for length in perdoc.LENGTH_OF_BYTE]


def _add_term(searcher: Searcher, reader, term: query.Term, boost: float, offset: int,
              totals: Scores) -> bool:
    """Add one term's score in one segment to every document holding it; False when the
    term is not scored by KindWeightedScorer."""
    found = term_scorer(searcher, reader, term)
    if found is None:
        return True
    text, scorer = found
    if scorer is None:
        return False
    matcher = reader.postings(term.fieldname, text)
    lengths = perdoc.field_lengths(reader, term.fieldname)
    kinds = perdoc.kind_weights(reader)
    idf, norm, k1 = scorer.idf, length_norms(scorer), scorer.K1
    get = totals.get
    for ids, weights in postings.weight_blocks(matcher):
        scores = posting_scores(idf, norm, k1, boost, ids, weights, lengths, kinds)
        for docnum, score in zip(ids, scores, strict=True):
            totals[docnum + offset] = get(docnum + offset, 0.0) + score
    return True
