"""The second stage of a search: re-score the first stage's bounded pool of candidates.

The proximity pairs and the feedback terms add what Whoosh's OR of them would add (kind-weighted
BM25F), but only for the pooled passages: each bonus query's postings are read by skipping
straight to the pool's docnums, so the cost follows the pool's size, not how many passages in
the corpus hold the words. A passage outside the pool is never looked at.

A proximity pair is scored here rather than by Whoosh's phrase matcher, which on its way from
one pooled docnum to the next reads the positions of every passage holding both words (at
100 MB, most of a query's time): `add_proximity` skips each word's postings to the pooled
docnums and reads positions there only, adding what the phrase would (a test compares the two).

Skipping to the next pooled docnum inside a posting block, Whoosh's leaf matcher steps one
posting at a time (two method calls each); `fast_skips` gives the pool's own leaf matchers a
`skip_to` that bisects the block's docnums instead (same position, fewer calls). Skipping
past whole blocks, it reads every block header on the way (a pickle each, the part of the
second stage that grew with the corpus); where the term has an impact list, its jump table
(`impactwriter`) names the block to go to. Whoosh internals touched (Whoosh 2.7.4):
`W3LeafMatcher`'s `_ids`, `_i`, `_maxid`, `_read_ids`, `_skip_to_block`, `_goto`, `_atend`,
`_baseoffset`, `_postfile` and `_term`, the segment reader's `_terms._postfile`;
`MultiMatcher.matchers` and wrappers' `child`, to find the leaves.
"""

from __future__ import annotations

import types
from bisect import bisect_left
from collections.abc import Iterable

import whoosh
from whoosh import query
from whoosh.codec import whoosh3
from whoosh.matching import ReadTooFar
from whoosh.searching import Searcher

from . import impacts, postings, termscores

POOL_DEPTH = 100  # how many first-stage passages the second stage re-scores (= RERANK_DEPTH)
FAST_SKIPS = whoosh.__version__[:2] == (2, 7)


def add_scores(searcher: Searcher, scored: query.Query, pool: dict[int, float]) -> None:
    """Add the final score of `scored` to each pooled docnum's score (nothing where it does
    not match), reading its postings only at the pool's docnums, in the segments holding
    them (`pooled_segments`); a single word without Whoosh's matchers where it can
    (`termscores.add_term`, the same floats)."""
    if isinstance(scored, query.Term) and termscores.add_term(searcher, scored, pool):
        return
    weighting = searcher.weighting
    for segment, offset, docnums in pooled_segments(searcher, pool):
        matcher = fast_skips(scored.matcher(segment, segment.context(weighting=weighting)),
                             searcher)
        for docnum in docnums:
            if not matcher.is_active():
                break
            local = docnum - offset
            if matcher.id() < local:
                matcher.skip_to(local)
                if not matcher.is_active():
                    break
            if matcher.id() == local:
                score = matcher.score()
                if weighting.use_final:
                    score = weighting.final(searcher, docnum, score)
                pool[docnum] += score


def add_proximity(searcher: Searcher, phrases: list[query.Query],
                  pool: dict[int, float]) -> None:
    """Add to each pooled docnum what Whoosh's OR of the two-word phrases (slop s, boost b)
    adds: b times both words' scores where the second word follows the first within s
    positions. Phrases of other lengths are left to Whoosh's own matcher."""
    read: dict = {}  # the words read at the pool's docnums, for the next pair
    for phrase in phrases:
        words = getattr(phrase, "words", ())
        if not isinstance(phrase, query.Phrase) or len(words) != 2:
            add_scores(searcher, phrase, pool)
            continue
        if termscores.add_pair(searcher, phrase, pool, read):  # the same, without matchers
            continue
        for segment, offset, docnums in pooled_segments(searcher, pool):
            context = segment.context(weighting=searcher.weighting)
            first, second = (fast_skips(query.Term(phrase.fieldname, word).matcher(segment,
                                                                                   context),
                                        searcher) for word in words)
            for docnum in docnums:
                local = docnum - offset
                if not (_move_to(first, local) and _move_to(second, local)):
                    if not (first.is_active() and second.is_active()):
                        break
                    continue
                before, after = first.value_as("positions"), second.value_as("positions")
                if termscores.follows(before, after, phrase.slop):
                    score = (first.score() + second.score()) * phrase.boost
                    if searcher.weighting.use_final:
                        score = searcher.weighting.final(searcher, docnum, score)
                    pool[docnum] += score


def pooled_segments(searcher: Searcher, docnums: Iterable[int]
                    ) -> list[tuple[Searcher, int, list[int]]]:
    """(segment's searcher, its first docnum, the docnums it holds, ascending) for each
    segment holding some of docnums. Opening a term costs the same in every segment
    (its entry looked up, a matcher made), so a pool's term is opened only where the pool
    has passages; a segment's matcher scores as Whoosh's own search does (one leaf
    searcher at a time), so the scores are the same."""
    ordered = sorted(docnums)
    if not ordered:
        return []
    if searcher.is_atomic():
        return [(searcher, 0, ordered)]
    found = []
    for segment, offset in searcher.subsearchers:
        start = bisect_left(ordered, offset)
        end = bisect_left(ordered, offset + segment.reader().doc_count_all(), start)
        if start < end:
            found.append((segment, offset, ordered[start:end]))
    return found


def _move_to(matcher, docnum: int) -> bool:
    """Skip a matcher to docnum; True when it stands there."""
    if matcher.is_active() and matcher.id() < docnum:
        matcher.skip_to(docnum)
    return matcher.is_active() and matcher.id() == docnum


def fast_skips(matcher, searcher: Searcher | None = None):
    """Return matcher, its Whoosh 3 leaf matchers skipping by bisection: through the term's
    jump table where its segment has one (`_jumping_skip_to`), else inside each block
    (`_bisecting_skip_to`)."""
    if not FAST_SKIPS:
        return matcher
    tables = _jump_tables(searcher) if searcher is not None else {}
    stack = [matcher]
    while stack:
        node = stack.pop()
        if type(node) is whoosh3.W3LeafMatcher:
            file = tables.get(id(node._postfile))
            table = file.jump_table(*node._term) if file is not None and node._term else None
            if table is not None and len(table[0]):
                node._seedsearch_jumps = table
                node.skip_to = types.MethodType(_jumping_skip_to, node)
            else:
                node.skip_to = types.MethodType(_bisecting_skip_to, node)
            continue
        stack.extend(getattr(node, "matchers", ()) or ())
        stack.extend(child for child in (getattr(node, "child", None), getattr(node, "a", None),
                                         getattr(node, "b", None)) if child is not None)
    return matcher


def _jump_tables(searcher: Searcher) -> dict[int, impacts.ImpactFile]:
    """Each segment's impact file by its postings file (what a leaf matcher knows), made
    once per searcher."""
    found = getattr(searcher, "_seedsearch_jump_tables", None)
    if found is None:
        found = {}
        for reader, _ in postings.segments(searcher):
            file = impacts.open_segment(reader)
            postfile = getattr(getattr(reader, "_terms", None), "_postfile", None)
            if file is not None and postfile is not None:
                found[id(postfile)] = file
        searcher._seedsearch_jump_tables = found
    return found


def _jumping_skip_to(self, target: int) -> None:
    """W3LeafMatcher.skip_to, finding the block in the term's jump table (no block header
    read on the way) and the target inside it by bisection."""
    if not self.is_active():
        raise ReadTooFar
    if target <= self.id():
        return
    if target > self._maxid:
        maxids, starts = self._seedsearch_jumps
        at = bisect_left(maxids, target)
        if at == len(maxids):
            self._atend = True
            return
        self._goto(self._baseoffset + starts[at])  # forward only: _lastblock stays right
        postings.read_ids(self)
    self._i = bisect_left(self._ids, target, self._i)


def _bisecting_skip_to(self, target: int) -> None:
    """W3LeafMatcher.skip_to, finding the target inside a block by bisection."""
    if not self.is_active():
        raise ReadTooFar
    if target <= self.id():
        return
    if target > self._maxid:
        self._skip_to_block(lambda: target > self._maxid)
        if not self.is_active():
            return
        self.id()  # reads the block's docnums
    self._i = bisect_left(self._ids, target, self._i)  # below the block's end: target <= _maxid


def best(pool: dict[int, float], count: int | None) -> list[tuple[float, int]]:
    """Return the pool's best (score, docnum) pairs, ties in docnum order (article order)."""
    ranked = sorted(((score, docnum) for docnum, score in pool.items()),
                    key=lambda item: (-item[0], item[1]))
    return ranked if count is None else ranked[:count]
