"""Ranking passages: BM25F scaled by block kind, a bonus for query words standing together,
pseudo-relevance feedback, and support from neighbouring paragraphs.

`find` parses the query; this module decides the order of what it matches.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Protocol, TypeVar

from whoosh import query, scoring
from whoosh.searching import Searcher

from ..analyse import index_stems, text_stems
from ..querytext import SYNTAX_CHARS
from . import perdoc

PROXIMITY_BOOST = 0.5
RERANK_DEPTH = 100
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
    """BM25F with every term's score scaled by its block kind's weight (boilerplate ranks low).

    Scaling each term (not the sum, in a `final` step) gives the same score, since a query's
    score is a sum of its terms' (times boosts), and keeps Whoosh's block-max skipping on:
    its bounds are the unweighted BM25 ones, still bounds because no kind weight exceeds 1.
    """

    def scorer(self, searcher: Searcher, fieldname: str, text: bytes, qf: int = 1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        return KindWeightedScorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B),
                                  self.K1, qf=qf)


class KindWeightedScorer(scoring.BM25FScorer):
    """One term's BM25F score in one segment, times the block's kind weight, with the field
    length and kind weight read from whole-column bytes (`perdoc`) rather than per posting."""

    def __init__(self, searcher: Searcher, fieldname: str, text: bytes, B: float, K1: float,
                 qf: int = 1) -> None:
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)
        # Whoosh also makes a scorer over the whole index that it never scores with: read
        # the arrays only when a posting is scored.
        self._reader = searcher.reader()
        self._fieldname = fieldname
        self._lengths = b""
        self._kinds = b""

    def score(self, matcher) -> float:
        if not self._kinds:
            self._lengths = perdoc.field_lengths(self._reader, self._fieldname)
            self._kinds = perdoc.kind_weights(self._reader)
        docnum = matcher.id()
        length = perdoc.LENGTH_OF_BYTE[self._lengths[docnum]]
        return (scoring.bm25(self.idf, matcher.weight(), length, self.avgfl, self.B, self.K1)
                * self._kinds[docnum] / 100.0)


def proximity(words: str) -> list[query.Query]:
    """Bonus queries rewarding passages where neighbouring query words stand near each other.

    "Popular Front" or "Workers' Opposition" should outrank a passage that has "front" in
    one sentence and "popular" in another. Only runs of plain words count, not syntax.
    The second stage (`pool.add_scores`) adds their scores to the pool's.
    """
    if SYNTAX_CHARS.search(words):
        return []
    stems = text_stems(words, content=True)
    pairs = [pair for pair in zip(stems, stems[1:], strict=False) if pair[0] != pair[1]]
    return [query.Phrase("content", list(pair), slop=2, boost=PROXIMITY_BOOST) for pair in pairs]


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
        # (`index_stems`: tokens' words and stems, without offsets; counted in order of
        # first use, which settles ties below)
        stems, words = index_stems(text)
        counts = Counter([stemmed for word, stemmed in zip(words, stems, strict=True)
                          if word not in STOP_WORDS and not word.isdigit()
                          and stemmed not in exclude])
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


def feedback_terms(searcher: Searcher, texts: list[str], exclude: set[str]) -> list[query.Query]:
    """The feedback terms of `expansion_terms` as queries, each worth a fraction of a query
    word, to add to the scores of the passages they match."""
    return [query.Term("content", stemmed, boost=EXPANSION_BOOST * weight)
            for stemmed, weight in expansion_terms(searcher, texts, exclude)]


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
