"""Postings read a block at a time: where a term stands (quotation probes) and how often
(the first stage's accumulator, `accumulate`).

Checking a quotation asks one question of the index: which blocks hold these words at these
distances from each other? Whoosh answers it (a `Phrase` query) with a Python call per posting
of every word, a second or more at 100 MB for a common quotation. Here a term's postings are read
one posting block (128 documents) at a time, and a term read after the first is read only in the
blocks that can hold a document still in the running: a block's largest document number is in
its header, so the others are passed over undecoded.

Whoosh internals touched (written against Whoosh 2.7.4, whoosh3 codec), here only:
`W3LeafMatcher`'s `_read_ids`, `_read_values`, `_read_weights`, `_ids`, `_values`,
`_weights`, `_next_block`, `_maxid` and `is_active` (one posting block of ids with their
encoded positions or weights), and `FilterMatcher.child` with `_ids` (a segment's deleted
documents, filtered out by Whoosh around the leaf). A matcher of any other kind is read the
public way, posting by posting (`FAST = False` forces that path; tests read both ways over
the seeds and compare).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import Any

import whoosh
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

FIELD = "content"
FAST = whoosh.__version__[:2] == (2, 7)

Positions = dict[int, bytes]  # docnum -> the term's encoded positions in that block


def segments(searcher: Searcher) -> list[tuple[Any, int]]:
    """Each segment reader with the document number its documents start at."""
    reader = searcher.reader()
    parts = getattr(reader, "readers", None)
    if parts is None:
        return [(reader, 0)]
    return list(zip(parts, reader.doc_offsets, strict=True))


def read(searcher: Searcher, term: str, within: set[int] | None = None) -> Positions:
    """Return the live documents holding term, each with its encoded positions; with `within`,
    only those among these document numbers (and only their posting blocks are decoded)."""
    found: Positions = {}
    for reader, base in segments(searcher):
        wanted = None
        if within is not None:
            top = base + reader.doc_count_all()
            wanted = sorted(docnum - base for docnum in within if base <= docnum < top)
            if not wanted:
                continue
        for docnum, value in _segment_postings(reader, term, wanted):
            found[base + docnum] = value
    return found


def decode(searcher: Searcher, value: bytes) -> list[int]:
    """Return the word positions an encoded posting value holds."""
    return searcher.schema[FIELD].format.decode_positions(value)


def weight_blocks(matcher: Any) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """Each block of a segment's postings of a term as (docnums, weights); deleted documents
    included (the caller drops them)."""
    matcher, _ = _unwrapped(matcher)
    if FAST and type(matcher) is W3LeafMatcher:
        while matcher.is_active():
            matcher._read_ids()
            yield matcher._ids, read_weights(matcher)
            matcher._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


def jump_table(matcher: Any) -> tuple[array, array]:
    """Each posting block's largest docnum and its start, counted from the first block's, of
    a segment's postings of a term (empty for a matcher of another kind); leaves the matcher
    spent when it was not empty. `jump` goes to a block with it."""
    matcher, _ = _unwrapped(matcher)
    maxids, starts = array("I"), array("I")
    if not (FAST and type(matcher) is W3LeafMatcher):
        return maxids, starts
    base = position = matcher._baseoffset
    while matcher.is_active():
        maxids.append(matcher._maxid)
        starts.append(position - base)
        position = matcher._nextoffset
        matcher._next_block()
    matcher.reset()
    return maxids, starts


def jump(matcher: Any, start: int) -> tuple[Sequence[int], Sequence[float]]:
    """Go to the block starting `start` bytes after a leaf matcher's first one (from
    `jump_table`) and return its (docnums, weights)."""
    matcher._goto(matcher._baseoffset + start)
    ids = read_ids(matcher)
    return ids, read_weights(matcher)


def read_ids(matcher: Any) -> Sequence[int]:
    """A leaf matcher's block docnums, decoded now (in C where `blockids` is installed)."""
    matcher._read_ids()
    return matcher._ids


def read_weights(matcher: Any) -> Sequence[float]:
    """A leaf matcher's block weights, read now: `W3LeafMatcher._read_weights`, with a
    block of equal weights (stored as None for 1.0, or one float) made by repeating a
    one-item array in C instead of filling it from a generator, the same float32 values."""
    if matcher._data is None:
        matcher._read_data()
    weights = matcher._data[1]
    if weights is None or isinstance(weights, float):
        weights = array("f", [1.0 if weights is None else weights]) * matcher._blocklength
    matcher._weights = weights
    return weights


def every_posting(reader, fieldname: str, text: bytes) -> Any:
    """A segment's postings of a term, its deleted documents included (Whoosh's wrapper
    that drops them has already stepped past the first ones when it is made)."""
    terms = getattr(reader, "_terms", None)
    if FAST and terms is not None:
        return terms.matcher(fieldname, text, reader.schema[fieldname].format)
    return reader.postings(fieldname, text)


def term_leaf(reader, fieldname: str, text: bytes) -> Any:
    """The leaf matcher of a segment's postings of a term, its deleted documents included,
    or None when the segment lacks the term: one look-up of the term (asking whether the
    segment holds it, then for its postings, is two, ~10 µs each)."""
    terms = getattr(reader, "_terms", None)
    if FAST and terms is not None and hasattr(terms, "term_info"):
        try:
            info = terms.term_info(fieldname, text)
        except TermNotFound:
            return None
        return leaf_from_info(reader, fieldname, text, info)
    if (fieldname, text) not in reader:
        return None
    return leaf(reader.postings(fieldname, text))


def leaf_within(reader, fieldname: str, text: bytes, wanted: list[int]
                ) -> tuple[Any, list[int]]:
    """`term_leaf`, for reading the term at some of a segment's docnums only (`wanted`,
    ascending): the leaf and those of `wanted` between the term's first and last docnums
    (which its entry keeps); no leaf (None) when none are (no matcher made, no block read,
    and a block before the term's first docnum is not decoded for nothing)."""
    terms = getattr(reader, "_terms", None)
    if not (FAST and terms is not None and hasattr(terms, "term_info")):
        return term_leaf(reader, fieldname, text), wanted
    try:
        info = terms.term_info(fieldname, text)
    except TermNotFound:
        return None, wanted
    low, high = info.min_id(), info.max_id()
    if low is not None and high is not None:
        wanted = wanted[bisect_left(wanted, low):bisect_right(wanted, high)]
        if not wanted:
            return None, wanted
    return leaf_from_info(reader, fieldname, text, info), wanted


def leaf_from_info(reader, fieldname: str, text: bytes, info: Any) -> Any:
    """The leaf matcher of a term's postings in a segment, from its term info (already
    looked up in the segment's W3 terms reader), deleted documents included."""
    terms = reader._terms
    return terms._codec.postings_reader(terms._postfile, info, reader.schema[fieldname].format,
                                        term=(fieldname, text))


def deleted(reader) -> Iterator[int]:
    """The deleted docnums of a segment's reader."""
    segment = getattr(reader, "segment", None)
    if segment is not None:
        return iter(segment().deleted_docs())
    return (docnum for docnum in range(reader.doc_count_all()) if reader.is_deleted(docnum))


def deleted_set(reader) -> frozenset[int]:
    """A segment reader's deleted documents as a set (made once per reader; an open
    reader's deletions never change)."""
    if not reader.has_deletions():
        return frozenset()
    cached = reader.__dict__.get("_seedsearch_deleted")
    if cached is None:
        cached = reader.__dict__["_seedsearch_deleted"] = frozenset(deleted(reader))
    return cached


def leaf(matcher: Any) -> Any:
    """The leaf matcher under a segment's postings, deleted documents included."""
    return _unwrapped(matcher)[0]


def _unwrapped(matcher: Any) -> tuple[Any, frozenset[int] | set[int]]:
    """The leaf under a segment's postings and the deleted documents its wrapper filters out
    (the matcher itself and none when it is not wrapped, or FAST is off)."""
    if FAST and isinstance(matcher, FilterMatcher):
        return matcher.child, matcher._ids
    return matcher, frozenset()


def _segment_postings(reader, term: str, wanted: list[int] | None
                      ) -> Iterator[tuple[int, bytes]]:
    if (FIELD, term) not in reader:
        return
    matcher, deleted = _unwrapped(reader.postings(FIELD, term))
    if FAST and isinstance(matcher, W3LeafMatcher):
        for docnum, value in _blocks(matcher, wanted):
            if docnum not in deleted:
                yield docnum, value
        return
    while matcher.is_active():  # the public way: one call per posting
        docnum = matcher.id()
        if wanted is None or _holds(wanted, docnum):
            yield docnum, matcher.value()
        matcher.next()


def _blocks(matcher: W3LeafMatcher, wanted: list[int] | None) -> Iterator[tuple[int, bytes]]:
    """The postings of one segment, decoding only the blocks that can hold a wanted document."""
    low = -1  # the largest document number of the blocks already passed
    while matcher.is_active():
        high = matcher._maxid
        if wanted is None or _any_between(wanted, low, high):
            matcher._read_ids()
            matcher._read_values()
            if wanted is None:
                yield from zip(matcher._ids, matcher._values, strict=True)
            else:
                yield from ((docnum, value) for docnum, value
                            in zip(matcher._ids, matcher._values, strict=True)
                            if _holds(wanted, docnum))
        low = high
        matcher._next_block()


def _any_between(ordered: list[int], low: int, high: int) -> bool:
    """True if a number in the sorted list lies in (low, high]."""
    at = bisect_left(ordered, low + 1)
    return at < len(ordered) and ordered[at] <= high


def _holds(ordered: list[int], value: int) -> bool:
    at = bisect_left(ordered, value)
    return at < len(ordered) and ordered[at] == value
