"""The first stage for queries with AND, ANDMAYBE and "phrases", without Whoosh's
matchers: every match found and scored, rarest word first, from the posting blocks.

`impacttop` serves an OR of words; anything else went to Whoosh's collector, which walks a
tree of matchers with several Python calls per posting of every word (on the dictionaries a
two-word AND cost three times plain Whoosh's whole search, a common phrase hundreds of ms).
Here each segment's matches are found set-wise: an AND (and a phrase) reads its rarest part
first and the others only in the posting blocks that can hold what is still in the running
(found through the term's jump table where the segment has impact lists); an ANDMAYBE reads
its second part only at the first part's matches; a phrase decodes positions only where all
its words meet. NOT is left to Whoosh: its AndNotMatcher lets through some passages holding
the excluded word (on the generated corpus of the tests), which this path would not.

Scores are the floats Whoosh's matchers give. Each segment's query is built into the same
tree Whoosh builds there (`_node`: Whoosh's own `make_binary_tree` / `make_weighted_tree` over
the same segment estimates, the array OR it uses in small segments, boosts where it puts
them), and each node adds its children's scores in the same order; a part that does not match
adds nothing, as in Whoosh (x + 0.0 is x). Each word's score is `KindWeightedScorer`'s
arithmetic as `accumulate` writes it. The best `depth` are taken by (score, docnum), Whoosh's
collector's order, and the count of matches is exact (Whoosh's pruned collector counts only
the matches it did not skip). Tests compare top and scores, ==, with Whoosh's collector.

Whoosh internals mirrored (Whoosh 2.7.4): `CompoundQuery.matcher` (one child: its matcher,
the compound's boost ignored), `And._matcher`, `Or._matcher` (AUTO_MATCHER, with the search
context's `needs_current` False), `DefaultOr`, `PreloadedOr`/`ArrayUnionMatcher` (scores
summed in child order, each times the boost, kept when above 0), `Term.matcher`,
`Phrase.matcher`/`SpanNear2Matcher._get_spans`, `AndMaybeMatcher`; read as `postings` and
`termscores` read blocks (`W3LeafMatcher`'s `_maxid`, `_lastblock`, `_next_block`,
`_read_weights`, `_read_values`, `_values`), with the terms reader's `term_info`, `_codec`
and `_postfile`.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Sequence
from typing import Any

from whoosh import query
from whoosh.query.spans import Span, bisect_spans
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.util import make_weighted_tree

from . import accumulate, impacts, impacttop, perdoc, postings
from .ranking import KindWeightedBM25F

ENABLED = True
SMALL_SEGMENT = 5_000  # Whoosh's array OR in a segment of at most this many documents
TOO_MANY_CLAUSES = 1024  # (and for an OR of this many parts), as `query.Or` decides

Scores = dict[int, float]  # docnum in the segment -> score


class _Unsupported(Exception):
    """A query this path does not mirror: Whoosh's collector runs it."""


def top(searcher: Searcher, wanted: query.Query, depth: int, mask: set[int]
        ) -> tuple[list[tuple[float, int]], int] | None:
    """Return the best `depth` (score, docnum) of a query, ties in docnum order, and how many
    live, unmasked passages match; None when this path cannot run the query (a kind of
    query or scoring it does not mirror)."""
    if not ENABLED or not postings.FAST or type(searcher.weighting) is not KindWeightedBM25F:
        return None
    try:
        _check(wanted, searcher)
        found: dict[int, float] = {}
        words: dict[tuple[str, bytes], tuple[float, list[float]]] = {}
        for reader, offset in postings.segments(searcher):
            segment = _Segment(searcher, reader, offset,
                               impacttop._segment_excluded(reader, offset, mask), words)
            node = _node(wanted, segment)
            if node is None:
                continue
            matches = sorted(node.docs(None))
            for docnum, score in node.scores(matches).items():
                found[docnum + offset] = score
    except _Unsupported:
        return None
    best = heapq.nsmallest(depth, found.items(), key=lambda item: (-item[1], item[0]))
    return [(score, docnum) for docnum, score in best], len(found)


def _check(wanted: query.Query, searcher: Searcher) -> None:
    """Raise _Unsupported for a query with a part this path does not mirror."""
    schema = searcher.schema
    stack = [wanted]
    while stack:
        part = stack.pop()
        kind = type(part)
        if part is query.NullQuery:
            continue
        if kind in (query.Term, query.Phrase):
            field = schema[part.fieldname] if part.fieldname in schema else None
            if field is None or not field.scorable:
                raise _Unsupported
            if kind is query.Term and part.minquality:
                raise _Unsupported
            if kind is query.Phrase and (not part.words or not field.format or
                                         not field.format.supports("positions")):
                raise _Unsupported
            continue
        if (kind is query.Or and not part.scale) or kind in (query.And, query.AndMaybe):
            stack.extend(part.subqueries)
            continue
        raise _Unsupported


class _Segment:
    """One segment's reader, its place in the index, what it leaves out, and the words
    looked up in it (one term lookup each: Whoosh's costs ~10 µs)."""

    def __init__(self, searcher: Searcher, reader, offset: int, excluded: set[int],
                 scores: dict[tuple[str, bytes], tuple[float, list[float]]]) -> None:
        self.searcher = searcher
        self.reader = reader
        self.offset = offset
        self.excluded = excluded
        self.scores = scores
        self.small = reader.doc_count_all() <= SMALL_SEGMENT
        terms = getattr(reader, "_terms", None)
        if terms is None or not hasattr(terms, "term_info"):
            raise _Unsupported
        self._terms: Any = terms  # Whoosh's W3TermsReader
        self._infos: dict[tuple[str, bytes], object] = {}

    def info(self, fieldname: str, text: bytes):
        """The word's term info in the segment, None when the segment lacks it."""
        key = (fieldname, text)
        if key not in self._infos:
            try:
                self._infos[key] = self._terms.term_info(fieldname, text)
            except TermNotFound:
                self._infos[key] = None
        return self._infos[key]

    def frequency(self, fieldname: str, text: bytes) -> int:
        """The segment's document frequency of the word (deleted documents counted, as
        Whoosh's `doc_frequency`), 0 when it lacks it."""
        info = self.info(fieldname, text)
        return 0 if info is None else info.doc_frequency()

    def statistics(self, fieldname: str, text: bytes) -> tuple[float, list[float]]:
        """The word's idf and length norms (`accumulate.length_norms`) over the whole index:
        Whoosh's scorer reads them from the parent searcher, the same in every segment."""
        key = (fieldname, text)
        found = self.scores.get(key)
        if found is None:
            searcher = self.searcher
            weighting = searcher.weighting
            idf = searcher.idf(fieldname, text)
            avgfl = searcher.avg_field_length(fieldname) or 1
            b, k1 = weighting._field_B.get(fieldname, weighting.B), weighting.K1
            found = self.scores[key] = (idf, accumulate.norms_of(k1, b, avgfl))
        return found


class _Node:
    """A part of a segment's query, run in two steps: `docs`, the docnums it matches (among
    the candidates when given: sorted segment docnums), then `scores`, its score at each of
    the query's matches it matches (the words' weights kept from the first step, so only
    the matches are scored). Nodes never order before one another (Whoosh's matchers of one
    class compare equal, of two classes neither is less), so `make_weighted_tree` keeps
    parts of equal weight in their order, as it does Whoosh's."""

    def __lt__(self, other: object) -> bool:
        return False

    def docs(self, candidates: Sequence[int] | None) -> Collection[int]:
        raise NotImplementedError

    def scores(self, matches: Sequence[int]) -> Scores:
        raise NotImplementedError


class _Leaf(_Node):
    def __init__(self, segment: _Segment, fieldname: str, text: bytes, info, boost: float
                 ) -> None:
        self.segment, self.fieldname, self.text, self.info = segment, fieldname, text, info
        self.boost = boost
        self.weights: dict[int, float] = {}
        self.encoded: dict[int, bytes] = {}

    def postings(self, candidates: Sequence[int] | None, values: bool
                 ) -> tuple[list[int], list[float], list[bytes]]:
        """The word's live postings in the segment (at the candidates only): docnums,
        weights and, with `values`, encoded positions; only the posting blocks that can
        hold a candidate are decoded."""
        segment, info = self.segment, self.info
        ids: list[int] = []
        weights: list[float] = []
        encoded: list[bytes] = []
        wanted = None if candidates is None else set(candidates)
        if info.is_inlined():
            blocks = [(*info.inlined_postings(), (0, len(candidates or ())))]
        else:
            leaf = postings.leaf_from_info(segment.reader, self.fieldname, self.text, info)
            if type(leaf) is not postings.W3LeafMatcher:
                raise _Unsupported
            blocks = _blocks(leaf, segment.reader, self.fieldname, self.text, candidates,
                             values)
        excluded = segment.excluded
        for block_ids, block_weights, block_values, (low, high) in blocks:
            if wanted is None:
                if not excluded:
                    ids.extend(block_ids)
                    weights.extend(block_weights)
                    if values:
                        encoded.extend(block_values)
                    continue
                keep = [at for at, docnum in enumerate(block_ids) if docnum not in excluded]
            elif (high - low) * 8 < len(block_ids):  # few candidates here: look each up
                keep = []
                for docnum in candidates[low:high]:  # type: ignore[index]
                    at = bisect_left(block_ids, docnum)
                    if at < len(block_ids) and block_ids[at] == docnum:
                        keep.append(at)
            else:  # (candidates are matches found already: live and unmasked)
                keep = [at for at, docnum in enumerate(block_ids) if docnum in wanted]
            ids.extend([block_ids[at] for at in keep])
            weights.extend([block_weights[at] for at in keep])
            if values:
                encoded.extend([block_values[at] for at in keep])
        return ids, weights, encoded

    def score(self, ids: Sequence[int], weights: Sequence[float]) -> list[float]:
        """The word's score at each posting, boost included: `KindWeightedScorer.score`'s
        float (`scoring.bm25` times the kind weight over 100, as `accumulate` writes it)."""
        segment = self.segment
        idf, norms = segment.statistics(self.fieldname, self.text)
        return accumulate.posting_scores(idf, norms, segment.searcher.weighting.K1, self.boost,
                                         ids, weights,
                                         perdoc.field_lengths(segment.reader, self.fieldname),
                                         perdoc.kind_weights(segment.reader))

    def docs(self, candidates: Sequence[int] | None, values: bool = False) -> list[int]:
        ids, weights, encoded = self.postings(candidates, values)
        self.weights.update(zip(ids, weights, strict=True))
        if values:
            self.encoded.update(zip(ids, encoded, strict=True))
        return ids

    def scores(self, matches: Sequence[int]) -> Scores:
        weights = self.weights
        held = [docnum for docnum in matches if docnum in weights]
        return dict(zip(held, self.score(held, [weights[docnum] for docnum in held]),
                        strict=True))


def _blocks(leaf, reader, fieldname: str, text: bytes, candidates: Sequence[int] | None,
            values: bool):
    """Each posting block of a leaf matcher that can hold a candidate (every block without
    candidates) as (docnums, weights, encoded positions or None, (first, end) of the
    candidates it can hold): found through the term's jump table where the segment has
    impact lists, else by each block's header."""
    table = impacts.jump_table_of(reader, fieldname, text, leaf) if candidates is not None \
        else None
    if table is not None and len(table[0]):
        maxids, starts = table
        at = 0
        while at < len(candidates):  # type: ignore[arg-type]
            block = bisect_left(maxids, candidates[at])  # type: ignore[index]
            if block == len(maxids):
                return
            ids, weights = postings.jump(leaf, starts[block])
            if values:
                leaf._read_values()
            end = bisect_right(candidates, maxids[block], at)  # type: ignore[arg-type]
            yield ids, weights, leaf._values if values else None, (at, end)
            at = end
        return
    at = 0
    while leaf.is_active():
        end = 0
        if candidates is not None:
            if at >= len(candidates):
                return
            if candidates[at] > leaf._maxid:
                leaf._next_block()
                continue
            end = bisect_right(candidates, leaf._maxid, at)
        ids = postings.read_ids(leaf)
        weights = postings.read_weights(leaf)
        if values:
            leaf._read_values()
        yield ids, weights, leaf._values if values else None, (at, end)
        at = end
        leaf._next_block()


class _Union(_Node):
    """Whoosh's UnionMatcher: a's score plus b's where both match."""

    def __init__(self, a: _Node, b: _Node) -> None:
        self.a, self.b = a, b

    def docs(self, candidates: Sequence[int] | None) -> Collection[int]:
        return set(self.a.docs(candidates)).union(self.b.docs(candidates))

    def scores(self, matches: Sequence[int]) -> Scores:
        found = self.a.scores(matches)
        for docnum, score in self.b.scores(matches).items():
            mine = found.get(docnum)
            found[docnum] = score if mine is None else mine + score
        return found


class _Intersection(_Node):
    """Whoosh's IntersectionMatcher: a's score plus b's; the smaller side read first."""

    def __init__(self, a: _Node, b: _Node) -> None:
        self.a, self.b = a, b
        self.size = 0  # Whoosh's estimate of the matches (set by `_Pair`)

    def docs(self, candidates: Sequence[int] | None) -> Collection[int]:
        first, second = (self.b, self.a) if getattr(self.b, "size", 0) < \
            getattr(self.a, "size", 0) else (self.a, self.b)
        found = first.docs(candidates)
        return second.docs(sorted(found)) if found else ()

    def scores(self, matches: Sequence[int]) -> Scores:
        first, second = self.a.scores(matches), self.b.scores(matches)
        return {docnum: score + second[docnum] for docnum, score in first.items()
                if docnum in second}


class _Wrapped(_Node):
    """Another node's matches and scores, with something of its own (see the subclasses)."""

    def __init__(self, node: _Node) -> None:
        self.node = node

    def docs(self, candidates: Sequence[int] | None) -> Collection[int]:
        return self.node.docs(candidates)

    def scores(self, matches: Sequence[int]) -> Scores:
        return self.node.scores(matches)


class _Sized(_Wrapped):
    """A node with Whoosh's estimate of its size, to read the smaller side of an AND first."""

    def __init__(self, node: _Node, size: int) -> None:
        super().__init__(node)
        self.size = size


class _Boosted(_Wrapped):
    """Whoosh's WrappingMatcher with a boost: the node's matches, each score times it."""

    def __init__(self, node: _Node, boost: float) -> None:
        super().__init__(node)
        self.boost = boost

    def scores(self, matches: Sequence[int]) -> Scores:
        boost = self.boost
        return {docnum: score * boost for docnum, score in self.node.scores(matches).items()}


class _ArrayUnion(_Node):
    """Whoosh's ArrayUnionMatcher: each part's score times the boost, summed in part order
    into an array of zeros; a document counts when its sum is above 0 (every word's score
    is: its idf, weight and kind weight are)."""

    def __init__(self, nodes: list[_Node], boost: float) -> None:
        self.nodes, self.boost = nodes, boost

    def docs(self, candidates: Sequence[int] | None) -> Collection[int]:
        found: set[int] = set()
        for node in self.nodes:
            found.update(node.docs(candidates))
        return found

    def scores(self, matches: Sequence[int]) -> Scores:
        boost = self.boost
        found: Scores = {}
        get = found.get
        for node in self.nodes:
            for docnum, score in node.scores(matches).items():
                found[docnum] = get(docnum, 0.0) + score * boost
        return {docnum: score for docnum, score in found.items() if score > 0}


class _Maybe(_Node):
    """Whoosh's AndMaybeMatcher: a's matches, plus b's score where b matches too."""

    def __init__(self, a: _Node, b: _Node | None) -> None:
        self.a, self.b = a, b

    def docs(self, candidates: Sequence[int] | None) -> Collection[int]:
        return self.a.docs(candidates)

    def scores(self, matches: Sequence[int]) -> Scores:
        found = self.a.scores(matches)
        if not found or self.b is None:
            return found
        held = sorted(found)
        if not self.b.docs(held):
            return found
        for docnum, score in self.b.scores(held).items():
            found[docnum] += score
        return found


class _Phrase(_Node):
    """Whoosh's Phrase: SpanNear2Matcher over the words' term matchers (an intersection
    built by `make_binary_tree`, so scores add in that order), times the phrase's boost."""

    def __init__(self, words: list[_Leaf], sizes: list[int], slop: int, boost: float) -> None:
        self.words, self.sizes, self.slop, self.boost = words, sizes, slop, boost
        self.matched: set[int] = set()

    def docs(self, candidates: Sequence[int] | None) -> Collection[int]:
        within: Sequence[int] | None = candidates
        matching: list[int] = []
        for at in sorted(range(len(self.words)), key=lambda at: self.sizes[at]):  # rarest first
            within = matching = self.words[at].docs(within, values=True)
            if not matching:
                return ()
        first = self.words[0]
        decode = first.segment.searcher.schema[first.fieldname].format.decode_positions
        places = [word.encoded for word in self.words]
        if self.slop == 1:
            found = _consecutive(matching, places, decode)
        else:
            found = [docnum for docnum in matching
                     if _near([encoded[docnum] for encoded in places], decode, self.slop)]
        self.matched.update(found)
        return found

    def scores(self, matches: Sequence[int]) -> Scores:
        held = [docnum for docnum in matches if docnum in self.matched]
        if not held:
            return {}
        scores = [word.scores(held) for word in self.words]
        if len(scores) == 2:  # (the tree of two words: their sum)
            first, second = scores
            sums = [first[docnum] + second[docnum] for docnum in held]
        else:
            sums = [_tree_sum([each[docnum] for each in scores]) for docnum in held]
        boost = self.boost
        if boost != 1.0:
            sums = [score * boost for score in sums]
        return dict(zip(held, sums, strict=True))


def _tree_sum(values: list[float]) -> float:
    """The values added as `make_binary_tree` pairs Whoosh's intersection matchers: the
    first half's sum plus the second half's."""
    if len(values) == 1:
        return values[0]
    if len(values) == 2:
        return values[0] + values[1]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])


def _consecutive(docnums: Sequence[int], places: list[dict[int, bytes]],
                 decode: Callable[[bytes], list[int]]) -> list[int]:
    """The docnums where the words (each word's encoded positions by docnum) stand at
    consecutive positions: what Whoosh's `SpanNear2Matcher._get_spans` (ordered, mindist 1)
    finds with slop 1. A word's positions are decoded only while some start is left, and
    each encoded value once (many passages hold a word at the same few places)."""
    firsts: dict[bytes, list[int]] = {}
    following: dict[bytes, frozenset[int]] = {}
    found = []
    count = len(places)
    for docnum in docnums:
        value = places[0][docnum]
        starts = firsts.get(value)
        if starts is None:
            starts = firsts[value] = decode(value)
        for at in range(1, count):
            value = places[at][docnum]
            held = following.get(value)
            if held is None:
                held = following[value] = frozenset(decode(value))
            starts = [start for start in starts if start + at in held]
            if not starts:
                break
        else:
            found.append(docnum)
    return found


def _near(encoded: list[bytes], decode: Callable[[bytes], list[int]], slop: int) -> bool:
    """True when the words (their encoded positions) stand in order within slop of each
    other, as Whoosh's `SpanNear2Matcher._get_spans` (ordered, mindist 1) finds."""
    aspans = [Span(position) for position in decode(encoded[0])]
    for value in encoded[1:]:
        if not aspans:
            return False
        bspans = [Span(position) for position in decode(value)]
        spans = set()
        for aspan in aspans:
            j = bisect_spans(bspans, aspan.start)
            while j < len(bspans):
                bspan = bspans[j]
                j += 1
                if bspan.end < aspan.start - slop or aspan.start > bspan.start:
                    continue
                if bspan.start > aspan.end + slop:
                    break
                if 1 <= aspan.distance_to(bspan) <= slop:
                    spans.add(aspan.to(bspan))
        aspans = sorted(spans)
    return bool(aspans)


def _node(part: query.Query, segment: _Segment) -> _Node | None:
    """The segment's matcher tree for a query part, as Whoosh builds it; None where Whoosh
    makes a NullMatcher (a word the segment lacks)."""
    kind = type(part)
    if part is query.NullQuery:
        return None
    if kind is query.Term:
        try:
            text = segment.searcher.schema[part.fieldname].to_bytes(part.text)
        except ValueError:
            return None
        info = segment.info(part.fieldname, text)
        return None if info is None else _Leaf(segment, part.fieldname, text, info, part.boost)
    if kind is query.Phrase:
        field = segment.searcher.schema[part.fieldname]
        words = []
        for word in part.words:
            try:
                text = field.to_bytes(word)
            except ValueError:
                return None
            info = segment.info(part.fieldname, text)
            if info is None:
                return None
            words.append(_Leaf(segment, part.fieldname, text, info, 1.0))
        sizes = [segment.frequency(part.fieldname, word.text) for word in words]
        return _Phrase(words, sizes, part.slop, part.boost)
    if kind is query.AndMaybe:
        a = _node(part.a, segment)
        return None if a is None else _Maybe(a, _node(part.b, segment))
    subs = part.subqueries
    if not subs:
        return None
    if len(subs) == 1:
        return _node(subs[0], segment)  # (Whoosh leaves the compound's boost out here)
    nodes = [_node(sub, segment) for sub in subs]
    tree: _Node
    if kind is query.And:
        present = [node for node in nodes if node is not None]
        if len(present) < len(nodes):
            return None
        sizes = [_estimate(sub, segment) for sub in subs]
        sized: list[tuple[int, _Node]] = [(0 - size, _Sized(node, size))
                                          for size, node in zip(sizes, present, strict=True)]
        tree = make_weighted_tree(_Pair(_Intersection), sized)
    elif len(subs) >= TOO_MANY_CLAUSES or (segment.small and len(subs) != 2):
        return _ArrayUnion([node for node in nodes if node is not None], part.boost) \
            if any(node is not None for node in nodes) else None
    else:
        if all(node is None for node in nodes):
            return None
        weighted = [(_estimate(sub, segment), node if node is not None else _NULL)
                    for sub, node in zip(subs, nodes, strict=True)]
        tree = make_weighted_tree(_Pair(_Union), weighted)
    return _Boosted(tree, part.boost) if part.boost != 1.0 else tree


def _estimate(part: query.Query, segment: _Segment) -> int:
    """Whoosh's `estimate_size` of a query part in the segment, from the words' looked-up
    frequencies: a word's document frequency; an AND's (a phrase's) least part; any other
    compound's parts summed, at most the segment's live documents."""
    kind = type(part)
    if part is query.NullQuery:
        return 0
    if kind is query.Term:
        try:
            text = segment.searcher.schema[part.fieldname].to_bytes(part.text)
        except ValueError:
            return 0
        return segment.frequency(part.fieldname, text)
    if kind is query.Phrase:
        return _estimate(query.And([query.Term(part.fieldname, word) for word in part.words]),
                         segment)
    if kind is query.And:
        return min(_estimate(sub, segment) for sub in part.subqueries)
    return min(sum(_estimate(sub, segment) for sub in part.subqueries),
               segment.reader.doc_count())


class _Null(_Node):
    """Whoosh's NullMatcher inside a union: matches nothing."""

    def docs(self, candidates: Sequence[int] | None) -> Collection[int]:
        return ()

    def scores(self, matches: Sequence[int]) -> Scores:
        return {}


_NULL = _Null()


class _Pair:
    """Joins two tree nodes as Whoosh's matcher class does; a node of an AND carries the
    smaller size of its two sides (Whoosh's `And.estimate_size` is the least)."""

    def __init__(self, kind: type) -> None:
        self.kind = kind

    def __call__(self, a: _Node, b: _Node) -> _Node:
        joined = self.kind(a, b)
        if isinstance(joined, _Intersection):
            joined.size = min(getattr(a, "size", 0), getattr(b, "size", 0))
        return joined
