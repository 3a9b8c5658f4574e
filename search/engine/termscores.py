"""A single word's score added to a pool of passages without Whoosh's matcher machinery.

The feedback stage adds eight words' scores to at most a few hundred pooled passages. Through
Whoosh's matchers (what `pool.add_scores` falls back to), each word builds a scorer per segment
(its statistics looked up again in every segment and in the whole index), a `MultiMatcher` and
a boost wrapper, then makes several Python calls per pooled passage to skip, test and score: on
the dictionaries (four segments) 85% of the feedback stage, about a third of a plain query.
Here the word's statistics are read once, each segment's postings are read only in the posting
blocks that hold pooled passages (through the term's jump table when its segment has impact
lists), and the score is `KindWeightedScorer`'s own arithmetic in the same order, so each pooled
passage gets exactly the float Whoosh would add (a test compares them, ==, on two indexes).
`pool.add_scores` and `pool.add_proximity` use this path first.

Whoosh internals touched, as in `postings` and `pool`: the leaf matcher's block reading
(`postings.jump`, `_maxid`, `_lastblock`, `_next_block`, `_read_ids`, `_read_weights`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from whoosh import query, scoring
from whoosh.searching import Searcher

from . import impacts, perdoc, postings
from .ranking import KindWeightedBM25F


def add_term(searcher: Searcher, term: query.Term, pool: dict[int, float]) -> bool:
    """Add a word's kind-weighted BM25F score (times its boost) to each pooled docnum holding
    it (pooled passages are live: the first stage leaves deleted ones out); False (nothing
    added) when this searcher does not score it with `KindWeightedScorer` or its postings
    are not Whoosh 3 blocks, and `pool.add_scores` reads it through Whoosh's matchers."""
    found = _scored(searcher, term.fieldname, term.text, pool, values=False)
    if found is None:
        return False
    boost = term.boost
    for docnum, (score, _) in found.items():
        pool[docnum] += score * boost if boost != 1.0 else score
    return True


def add_pair(searcher: Searcher, phrase: query.Phrase, pool: dict[int, float],
             read: dict[tuple[str, str], Scored | None] | None = None) -> bool:
    """Add what Whoosh's matchers add for a two-word phrase with slop s and boost b (see
    `pool.add_proximity`): b times both words' scores to each pooled docnum where the
    second word follows the first within s positions; False (nothing added) as `add_term`.
    `read` keeps each word read at the pool's docnums for the next pair of the same pool
    (the middle word of three is in two pairs): what is read depends on the docnums only."""
    found = []
    for word in phrase.words:
        key = (phrase.fieldname, word)
        if read is None or key not in read:
            scored = _scored(searcher, phrase.fieldname, word, pool, values=True)
            if read is not None:
                read[key] = scored
        else:
            scored = read[key]
        found.append(scored)
    first, second = found
    if first is None or second is None:
        return False
    decode = searcher.schema[phrase.fieldname].format.decode_positions
    for docnum in sorted(first.keys() & second.keys()):
        (one, before), (two, after) = first[docnum], second[docnum]
        if follows(decode(before), decode(after), phrase.slop):
            pool[docnum] += (one + two) * phrase.boost
    return True


def follows(first: list[int], second: list[int], slop: int) -> bool:
    """True when a position in second is 1 to slop after one in first (sorted positions).

    >>> follows([3, 9], [5], 2), follows([3, 9], [6], 2), follows([4], [4], 2)
    (True, False, False)
    """
    for position in first:
        after = bisect_right(second, position)
        if after < len(second) and second[after] <= position + slop:
            return True
    return False


Scored = dict[int, tuple[float, bytes | None]]  # docnum -> (score, encoded positions)


def _scored(searcher: Searcher, fieldname: str, word: str, pool: dict[int, float],
            values: bool) -> Scored | None:
    """Each pooled docnum holding the word, with its kind-weighted BM25F score (no boost)
    and, with `values`, its encoded positions; None when this path cannot score it."""
    weighting = searcher.weighting
    if type(weighting) is not KindWeightedBM25F or not postings.FAST or \
            fieldname not in searcher.schema or not searcher.schema[fieldname].scorable:
        return None
    try:
        text = searcher.schema[fieldname].to_bytes(word)
    except ValueError:
        return {}  # Whoosh's Term matches nothing then
    if not pool:
        return {}
    idf = avgfl = b = k1 = 0.0  # the word's statistics, read where a segment first holds it
    length_of = perdoc.LENGTH_OF_BYTE
    scored: dict[int, tuple[float, bytes | None]] = {}
    docnums = sorted(pool)
    for reader, base in postings.segments(searcher):
        top = base + reader.doc_count_all()
        wanted = [docnum - base for docnum in docnums[bisect_left(docnums, base):
                                                      bisect_left(docnums, top)]]
        if not wanted:
            continue
        leaf, wanted = postings.leaf_within(reader, fieldname, text, wanted)
        if leaf is None:
            continue
        if type(leaf) is not postings.W3LeafMatcher:
            return None
        if not avgfl:
            idf = searcher.idf(fieldname, text)
            avgfl = searcher.avg_field_length(fieldname) or 1
            b, k1 = weighting._field_B.get(fieldname, weighting.B), weighting.K1
        lengths = perdoc.field_lengths(reader, fieldname)
        kinds = perdoc.kind_weights(reader)
        for docnum, weight, value in _wanted_postings(reader, leaf, fieldname, text, wanted,
                                                      values):
            score = scoring.bm25(idf, weight, length_of[lengths[docnum]], avgfl, b, k1) * \
                kinds[docnum] / 100.0
            scored[docnum + base] = (score, value)
    return scored


Posting = tuple[int, float, bytes | None]  # (docnum in the segment, weight, encoded positions)


def _wanted_postings(reader, leaf, fieldname: str, text: bytes, wanted: list[int],
                     values: bool) -> list[Posting]:
    """The postings of the wanted (ascending, in the segment's numbering) that the segment's
    postings of the term hold, decoding only the blocks they fall in (their positions too
    with `values`)."""
    table = impacts.jump_table_of(reader, fieldname, text, leaf)
    held: list[Posting] = []
    at = 0
    if table is not None and len(table[0]):
        maxids, starts = table
        while at < len(wanted):
            block = bisect_left(maxids, wanted[at])
            if block == len(maxids):
                break
            postings.jump(leaf, starts[block])
            at = _collect(leaf, wanted, at, maxids[block], values, held)
        return held
    while leaf.is_active() and at < len(wanted):
        if wanted[at] <= leaf._maxid:
            postings.read_ids(leaf)
            postings.read_weights(leaf)
            at = _collect(leaf, wanted, at, leaf._maxid, values, held)
        leaf._next_block()
    return held


def _collect(leaf, wanted: list[int], at: int, maxid: int, values: bool,
             held: list[Posting]) -> int:
    """Add the wanted docnums from `at` up to the block's last that the leaf's current block
    (its docnums and weights read) holds; return where the next block's search starts."""
    ids: Sequence[int] = leaf._ids
    weights: Sequence[float] = leaf._weights
    encoded: Sequence[bytes] | None = None
    while at < len(wanted) and wanted[at] <= maxid:
        i = bisect_left(ids, wanted[at])
        if i < len(ids) and ids[i] == wanted[at]:
            if values and encoded is None:
                leaf._read_values()
                encoded = leaf._values
            held.append((wanted[at], weights[i], encoded[i] if encoded is not None else None))
        at += 1
    return at
