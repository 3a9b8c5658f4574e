"""A single word's score added to a pool of passages without Whoosh's matcher machinery.

The feedback stage adds eight words' scores to at most a few hundred pooled passages. Through
Whoosh (`pool.add_scores`), each word builds a scorer per segment (its statistics looked up
again in every segment and in the whole index), a `MultiMatcher` and a boost wrapper, then
makes several Python calls per pooled passage to skip, test and score: on the dictionaries
(four segments) 85% of the feedback stage, about a third of a plain query. Here the word's
statistics are read once, each segment's postings are read only in the posting blocks that
hold pooled passages (through the term's jump table when its segment has impact lists), and the
score is `KindWeightedScorer`'s own arithmetic in the same order, so each pooled passage gets
exactly the float Whoosh would add (a test compares them, ==, on two indexes).

Whoosh internals touched, as in `postings` and `pool`: the leaf matcher's block reading
(`postings.jump`, `_maxid`, `_next_block`, `_read_ids`, `_read_weights`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from whoosh import query, scoring
from whoosh.searching import Searcher

from . import impacts, perdoc, postings
from .ranking import KindWeightedBM25F


def add_term(searcher: Searcher, term: query.Term, pool: dict[int, float]) -> bool:
    """Add a word's kind-weighted BM25F score (times its boost) to each pooled docnum holding
    it; False (nothing added) when this searcher does not score it with `KindWeightedScorer`
    or its postings are not Whoosh 3 blocks, and `pool.add_scores` must."""
    weighting = searcher.weighting
    fieldname = term.fieldname
    if type(weighting) is not KindWeightedBM25F or not postings.FAST or \
            fieldname not in searcher.schema or not searcher.schema[fieldname].scorable:
        return False
    try:
        text = searcher.schema[fieldname].to_bytes(term.text)
    except ValueError:
        return True  # Whoosh's Term matches nothing then
    if not pool or (fieldname, text) not in searcher.reader():
        return True
    idf = searcher.idf(fieldname, text)
    avgfl = searcher.avg_field_length(fieldname) or 1
    b, k1 = weighting._field_B.get(fieldname, weighting.B), weighting.K1
    found: list[tuple[int, float, int, int]] = []  # (docnum, weight, length byte, kind)
    docnums = sorted(pool)
    for reader, base in postings.segments(searcher):
        top = base + reader.doc_count_all()
        wanted = [docnum - base for docnum in docnums[bisect_left(docnums, base):
                                                      bisect_left(docnums, top)]]
        if not wanted or (fieldname, text) not in reader:
            continue
        leaf = postings.leaf(postings.every_posting(reader, fieldname, text))
        if type(leaf) is not postings.W3LeafMatcher:
            return False
        lengths = perdoc.field_lengths(reader, fieldname)
        kinds = perdoc.kind_weights(reader)
        for docnum, weight in _wanted_postings(reader, leaf, fieldname, text, wanted):
            found.append((docnum + base, weight, lengths[docnum], kinds[docnum]))
    length_of = perdoc.LENGTH_OF_BYTE
    boost = term.boost
    for docnum, weight, length, kind in found:
        score = scoring.bm25(idf, weight, length_of[length], avgfl, b, k1) * kind / 100.0
        pool[docnum] += score * boost if boost != 1.0 else score
    return True


def _wanted_postings(reader, leaf, fieldname: str, text: bytes, wanted: list[int]
                     ) -> list[tuple[int, float]]:
    """(docnum, weight) of the wanted (ascending, in the segment's numbering) that the
    segment's postings of the term hold, decoding only the blocks they fall in."""
    file = impacts.open_segment(reader)
    table = file.jump_table(fieldname, text) if file is not None else None
    if table is not None and len(table[0]):
        return _by_jump_table(leaf, table, wanted)
    held: list[tuple[int, float]] = []
    at = 0
    while leaf.is_active() and at < len(wanted):
        if wanted[at] <= leaf._maxid:
            ids, weights = postings.read_ids(leaf), _weights(leaf)
            at = _collect(ids, weights, wanted, at, leaf._maxid, held)
        leaf._next_block()
    return held


def _by_jump_table(leaf, table, wanted: list[int]) -> list[tuple[int, float]]:
    maxids, starts = table
    held: list[tuple[int, float]] = []
    at = 0
    while at < len(wanted):
        block = bisect_left(maxids, wanted[at])
        if block == len(maxids):
            break
        ids, weights = postings.jump(leaf, starts[block])
        at = _collect(ids, weights, wanted, at, maxids[block], held)
    return held


def _collect(ids: Sequence[int], weights: Sequence[float], wanted: list[int], at: int,
             maxid: int, held: list[tuple[int, float]]) -> int:
    """Add the wanted docnums from `at` up to the block's last that the block holds; return
    where the next block's search starts."""
    while at < len(wanted) and wanted[at] <= maxid:
        i = bisect_left(ids, wanted[at])
        if i < len(ids) and ids[i] == wanted[at]:
            held.append((wanted[at], weights[i]))
        at += 1
    return at


def _weights(leaf) -> Sequence[float]:
    leaf._read_weights()
    return leaf._weights
