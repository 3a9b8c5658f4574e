"""Ranking passages: BM25F scaled by block kind, a bonus for query words standing together,
pseudo-relevance feedback, and support from neighbouring paragraphs.

`find` parses the query; this module decides the order of what it matches.
"""

from __future__ import annotations

import math
from typing import Protocol, TypeVar

from whoosh import query, scoring
from whoosh.searching import Searcher

from ..analyse import text_stems, tokens
from ..querytext import SYNTAX_CHARS

PROXIMITY_BOOST = 0.5
RERANK_DEPTH = 100
TOP_DEPTH = 1000  # how deep `top` first reads each side: about as cheap as 100 (all are scored)
NEIGHBOUR_SHARE = 0.2
EXPANSION_TERMS = 8
EXPANSION_DOCS = 3
EXPANSION_BOOST = 0.2
RELATED_FORM_BOOST = 0.5
RARE_SHARE = 0.05


class Placed(Protocol):
    """A ranked block: which article, and where in it."""

    @property
    def doc_id(self) -> str: ...

    @property
    def order(self) -> int: ...


B = TypeVar("B", bound=Placed)


class KindWeightedBM25F(scoring.BM25F):
    """BM25F whose final score is scaled by the block kind's weight (boilerplate ranks low)."""

    use_final = True

    def final(self, searcher: Searcher, docnum: int, score: float) -> float:
        weights = getattr(searcher, "_kind_weights", None)
        if weights is None:
            weights = searcher.reader().column_reader("weight")
            searcher._kind_weights = weights
        return score * (weights[docnum] or 100) / 100.0


def proximity(words: str) -> list[query.Query]:
    """Bonus queries rewarding passages where neighbouring query words stand near each other.

    "Popular Front" or "Workers' Opposition" should outrank a passage that has "front" in
    one sentence and "popular" in another. Only runs of plain words count, not syntax.
    `top` adds their scores to the ranking query's.
    """
    if SYNTAX_CHARS.search(words):
        return []
    stems = text_stems(words, content=True)
    pairs = [pair for pair in zip(stems, stems[1:], strict=False) if pair[0] != pair[1]]
    return [query.Phrase("content", list(pair), slop=2, boost=PROXIMITY_BOOST) for pair in pairs]


def top(searcher: Searcher, wanted: query.Query, bonus: list[query.Query], limit: int | None,
        **limits) -> tuple[list[tuple[float, dict]], int]:
    """Return the best (score, stored fields) for the wanted query plus bonus queries, best first,
    and how many passages match.

    The same scores as searching `Or([wanted, *bonus])`, found far faster: asked to match
    the positions of common word pairs in every passage, Whoosh took ten times longer on
    50 MB. Here each side's best few are fetched, the missing half of each candidate's score
    is read from its postings, and the depth grows until no passage outside both lists can
    beat the last one kept (the threshold algorithm).
    """
    if not bonus or limit is None:
        whole = query.Or([wanted, *bonus]) if bonus else wanted
        results = searcher.search(whole, limit=limit, **limits)
        return [(hit.score, hit.fields()) for hit in results], len(results)
    extra = query.Or(bonus)
    depth = max(2 * limit, TOP_DEPTH)
    while True:
        main = searcher.search(wanted, limit=depth, **limits)
        side = searcher.search(extra, limit=depth, **limits)
        scores = {hit.docnum: hit.score for hit in main}
        extras = {hit.docnum: hit.score for hit in side}
        candidates = sorted(set(scores) | set(extras))
        _fill_scores(searcher, wanted, candidates, scores)
        _fill_scores(searcher, extra, candidates, extras)
        totals = sorted(((scores[d] + extras[d], d) for d in candidates),
                        key=lambda item: (-item[0], item[1]))[:limit]
        complete = len(main) < depth and len(side) < depth
        bound = ((main[depth - 1].score if len(main) >= depth else 0.0)
                 + (side[depth - 1].score if len(side) >= depth else 0.0))
        if complete or (len(totals) == limit and totals[-1][0] >= bound):
            stored = searcher.stored_fields
            return [(score, stored(docnum)) for score, docnum in totals], len(main)
        depth *= 4


def _fill_scores(searcher: Searcher, scored: query.Query, docnums: list[int],
                 scores: dict[int, float]) -> None:
    """Add the final score of the scored query for each docnum missing from scores (0 where it does
    not match), read by skipping through the query's postings."""
    missing = [docnum for docnum in docnums if docnum not in scores]
    if not missing:
        return
    weighting = searcher.weighting
    matcher = scored.matcher(searcher, searcher.context(weighting=weighting))
    for docnum in missing:
        score = 0.0
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            score = matcher.score()
            if weighting.use_final:
                score = weighting.final(searcher, docnum, score)
        scores[docnum] = score


def rerank(results: list[tuple[float, B]]) -> list[tuple[float, B]]:
    """Re-score the top results with support from their neighbours.

    A paragraph next to one that matches the query well is usually about the same thing
    (the second half of an argument, the example after a claim), so it earns a share of
    its best neighbour's score.
    """
    base = {(block.doc_id, block.order): score for score, block in results}
    rescored = []
    for score, block in results:
        support = max(base.get((block.doc_id, block.order - 1), 0.0),
                      base.get((block.doc_id, block.order + 1), 0.0))
        rescored.append((score + NEIGHBOUR_SHARE * support, block))
    # Ties (a filter alone scores every passage alike) read in article and paragraph order.
    return sorted(rescored, key=lambda item: (-item[0], item[1].doc_id, item[1].order))


def expansion_terms(searcher: Searcher, texts: list[str], exclude: set[str],
                    count: int = EXPANSION_TERMS) -> list[tuple[str, float]]:
    """Pseudo-relevance feedback: the rarest-yet-repeated stems of the top passages.

    Topical queries name a subject in a few words; the best passages name it in others
    ("Popular Front" and "Spanish revolution" sit beside "Comintern" and "alliances").
    """
    from ..analyse import STOP_WORDS

    total = max(searcher.doc_frequency("rectype", "block"), 1)
    weights: dict[str, float] = {}
    for text in texts:
        counts: dict[str, int] = {}
        for word, stemmed, _, _ in tokens(text):
            if word not in STOP_WORDS and not word.isdigit() and stemmed not in exclude:
                counts[stemmed] = counts.get(stemmed, 0) + 1
        for stemmed, tf in counts.items():
            frequency = searcher.doc_frequency("content", stemmed)
            if frequency < 2:
                continue
            weights[stemmed] = weights.get(stemmed, 0.0) + tf * math.log(total / frequency)
    # A stem in every block weighs nothing (log 1): in a small index every stem may, and
    # then there is no feedback to give (dividing by a top weight of 0 failed).
    best = [item for item in sorted(weights.items(), key=lambda item: -item[1])[:count]
            if item[1] > 0]
    top = best[0][1] if best else 1.0
    return [(stemmed, weight / top) for stemmed, weight in best]


def expanded(ranked: query.Query, terms: list[tuple[str, float]],
             boost: float = EXPANSION_BOOST, strict: bool = False) -> query.Query:
    """Add extra terms to a query, each worth a fraction of a query word.

    Plain words are a soft request, so extra terms may bring in passages of their own; a
    query with syntax ("phrases", AND/NOT, fields) is a constraint, so they only re-rank.
    """
    if not terms:
        return ranked
    extra = [query.Term("content", stemmed, boost=boost * weight) for stemmed, weight in terms]
    if strict:
        return query.AndMaybe(ranked, query.Or(extra))
    return query.Or([ranked, *extra])


def is_rare(searcher: Searcher, stemmed: str) -> bool:
    """True for a stem in at most RARE_SHARE of the blocks (names, places, terms of art)."""
    total = max(searcher.doc_frequency("rectype", "block"), 1)
    return searcher.doc_frequency("content", stemmed) <= RARE_SHARE * total
