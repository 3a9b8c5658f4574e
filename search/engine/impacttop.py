"""The first stage for an OR of words, reading postings best first and stopping as soon as
no passage left unread can enter the top `depth` (score-at-a-time over impact lists).

`accumulate` scores every posting of every query word, so its cost follows the corpus. Here
each common term's postings come in groups that score exactly alike (`impactwriter`): a
group's score is computed once from its (weight, length byte, kind weight) with the query's
idf, average length and boost (the float `accumulate` computes for each of its postings). A
rare term (no impact list) is read whole first; then the groups of all terms and segments,
each term's best first, the terms side by side. Let R_t be the score of term t's best unread
group (0 when none is left), and theta the depth-th best partial sum (partial sums only
grow, so theta is a lower bound of the depth-th best final score). Then:

- a passage not yet seen scores at most sum(R_t): once that is below theta, no unseen
  passage can enter, even on a tie (ties go to the lower docnum, which it may have);
- a seen passage scores at most its partial sum plus R_t for each term it has not met (a
  bit per term): below theta, it is dropped; the others are candidates, and only they are
  updated from then on. The candidates lacking a term are looked up in its Whoosh postings
  (a bisection in the term's jump table, one posting block decoded each) when that costs
  less than reading its unread groups, or those groups are read for them when they are few
  (FINISH); otherwise reading goes on until the bounds drop.
- while unseen passages cannot yet be excluded, a term with few unread postings (FINISH) is
  read out at a check (`_read_tails`): its bound drops to 0, often what the exclusion
  waited for when a rarer word sits beside a common one.
Completing the best partial sums early (looking up every term they lack) to raise theta
sooner was tried and dropped: on the synthetic corpus it cost more than it saved (about 25%
slower at 100 and 300 MB).

Every passage of the exhaustive top `depth` survives, and the survivors' scores are exact,
so the best `depth` by (score, docnum) are the exhaustive ones. Sums are kept as integers
(each term's score in units of 2**-SCALE_BITS): integer addition does not depend on order, so
a passage's score is the same however its terms were met (read in a group or looked up), and
copies of one paragraph tie exactly; the float is within 1e-12 of `accumulate`'s. Deleted
documents and the mask are dropped as groups are read. `prune=False` reads every group:
the reference the tests compare with (identical integers).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from functools import cache
from itertools import chain, compress, count, filterfalse, repeat
from operator import and_, ge, itemgetter, neg, not_, truediv

from whoosh import query
from whoosh.searching import Searcher

from ..frozen import frozen_dataclass
from . import accumulate, impacts, perdoc, postings

SCALE_BITS = 40
SCALE = float(1 << SCALE_BITS)
FIRST_CHECK = 2_048  # postings read before theta is first computed
LATER_CHECK = 512  # postings read between checks once only candidates are left
FINISH = 8_192  # a term with fewer unread postings may be read to the end (`_read_tails`,
# and for the candidates, `_finish`)
BLOCK_COST = 128  # a Whoosh posting block decoded to look passages up, in postings read
BULK = True  # the drop walk as C-level pipelines (`_State`); False: an entry at a time
# (`_EntryState`), the reference the tests compare it with (the same reading, step by step)


@frozen_dataclass
class Found:
    """The best (score, docnum) pairs, best first, how many live passages were seen (all
    that match when `exact_total`), and how many postings were read of how many."""

    top: list[tuple[float, int]]
    total: int
    exact_total: bool
    read: int
    postings: int


# A group to read: (score, term bit, the term's groups, group number, docnum offset of
# its segment, the segment's excluded docnums in the index's numbering, or none when the
# group cannot hold any: `_may_hold`)
_Group = tuple[int, int, impacts.TermGroups, int, int, AbstractSet[int]]
_NONE: frozenset[int] = frozenset()


@frozen_dataclass
class _Listed:
    """A term's impact list in one segment, for looking passages up in its postings."""

    reader: object
    offset: int
    groups: impacts.TermGroups
    fieldname: str
    score: Callable[[float, int, int], int]  # (weight, length byte, kind) -> score


class _State:
    """Partial sums with the terms each passage has met, and the unread groups per term.

    A passage's entry is one integer, its partial sum shifted left by `bits` with a bit per
    term it has met below: adding a term is one addition (score << bits | 1 << bit; a
    passage meets each term once: a group holds a passage at most once, and a term looked
    up is closed before its next group is read), one dict read and one write instead of two
    each. Entries compare as their sums do (the flags only order equal sums).

    `drop`, a walk of every entry, runs as C-level pipelines (`map`, `compress` over the
    entries); `_EntryState` does it an entry at a time, the reference the tests compare it
    with.
    """

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self.sums: dict[int, int] = {}  # docnum -> sum << bits | met flags
        self.theta = 0  # the last theta found (partial sums only grow: so does theta)
        self.unread: list[list[int]] = [[] for _ in range(bits)]  # per term, descending
        self.done = [0] * bits
        self.left = [0] * bits  # postings in each term's unread groups
        self.listed: list[list[_Listed]] = [[] for _ in range(bits)]
        self.closed = [False] * bits  # every candidate lacking it was looked up
        self.groups: list[list[_Group]] = [[] for _ in range(bits)]  # per term, in order

    def bound(self, bit: int) -> int:
        scores = self.unread[bit]
        done = self.done[bit]
        return scores[done] if done < len(scores) and not self.closed[bit] else 0

    def add(self, docnums: list[int], score: int, bit: int) -> None:
        """Add a term's score to each of docnums, entering the ones not seen."""
        sums = self.sums
        get = sums.get
        step = score << self.bits | 1 << bit
        # A passage entering takes the step itself, one int shared by the group, not a new
        # one each: most entries are a single term's, and walking them then reads a few
        # ints instead of one a passage (the cost is memory, not the interpreter: this loop
        # is as fast as a `dict.update` of a `map` pipeline).
        for docnum in docnums:
            entry = get(docnum)
            sums[docnum] = step if entry is None else entry + step

    def add_known(self, docnums: list[int], score: int, bit: int) -> None:
        """Add to the passages already seen only (the candidates)."""
        sums = self.sums
        get = sums.get
        step = score << self.bits | 1 << bit
        for docnum in docnums:
            entry = get(docnum)
            if entry is not None:
                sums[docnum] = entry + step

    def drop(self, theta: int, bounds: list[int]) -> tuple[bool, list[int], list[int]]:
        """Drop each passage whose sum plus the bounds of the terms it has not met is below
        theta; return whether no passage kept lacks a term that can still add to it, and the
        passages kept with the terms each has met (bits), in the dict's order."""
        sums, bits = self.sums, self.bits
        values = list(sums.values())
        flags = list(map(and_, values, repeat((1 << bits) - 1)))
        lowest: dict[int, int] = {}  # per set of terms met: the lowest entry kept
        lacks: dict[int, bool] = {}  # and whether a term it lacks can still add
        for met in set(flags):
            lacking = sum(bound for bit, bound in enumerate(bounds) if not met >> bit & 1)
            lowest[met] = (theta - lacking) << bits  # (below it exactly when the sum is
            lacks[met] = lacking > 0  # below theta - lacking)
        keep = list(map(ge, values, map(lowest.__getitem__, flags)))
        docnums = list(sums)
        kept = list(compress(docnums, keep))
        if len(kept) < len(keep):
            if len(kept) < len(keep) - len(kept):  # most go: keep the rest (in the same order)
                self.sums = dict(zip(kept, compress(values, keep), strict=True))
            else:
                for docnum in compress(docnums, map(not_, keep)):
                    del sums[docnum]
        met = list(compress(flags, keep))
        return not any(map(lacks.__getitem__, set(met))), kept, met


class _EntryState(_State):
    """`_State.drop` an entry at a time: the reference for the tests."""

    def drop(self, theta: int, bounds: list[int]) -> tuple[bool, list[int], list[int]]:
        sums, bits = self.sums, self.bits
        limits: dict[int, tuple[int, bool]] = {}
        mask = (1 << bits) - 1
        settled = True
        kept, met = [], []
        for docnum in list(sums):  # (ints: a list of pairs would wake the garbage collector)
            entry = sums[docnum]
            flags = entry & mask
            limit = limits.get(flags)
            if limit is None:
                lacking = sum(bound for bit, bound in enumerate(bounds)
                              if not flags >> bit & 1)
                limit = limits[flags] = ((theta - lacking) << bits, lacking > 0)
            if entry < limit[0]:
                del sums[docnum]
                continue
            if limit[1]:
                settled = False
            kept.append(docnum)
            met.append(flags)
        return settled, kept, met


def or_top(searcher: Searcher, terms: list[tuple[query.Term, float]], depth: int,
           mask: set[int], prune: bool = True) -> Found | None:
    """Return the best `depth` passages for an OR of (term, boost), ties in docnum order;
    None when a term is not scored by `KindWeightedScorer` or no segment has impact lists
    (then `accumulate` must do it)."""
    state = (_State if BULK else _EntryState)(len(terms))
    ordered = _prepare(searcher, terms, state, mask)
    if ordered is None:
        return None
    read, total_postings, whole = _read_groups(state, ordered, depth, prune)
    bits = state.bits
    best = heapq.nsmallest(depth, state.sums.items(),
                           key=lambda item: (-(item[1] >> bits), item[0]))
    return Found([((entry >> bits) / SCALE, docnum) for docnum, entry in best],
                 len(state.sums), whole,
                 read, total_postings)


def _read_groups(state: _State, ordered: list[_Group], depth: int, prune: bool
                 ) -> tuple[int, int, bool]:
    """Read groups until the top `depth` is settled; return (postings read, postings in
    all groups, whether every passage matching was kept)."""
    total = sum(groups.counts[number] for _, _, groups, number, _, _ in ordered)
    read = 0
    check_at = FIRST_CHECK
    candidates_only = False
    closed, done, left = state.closed, state.done, state.left
    ends = [len(groups) for groups in state.groups]
    for score, bit, groups, number, offset, excluded in ordered:
        if closed[bit] or done[bit] == ends[bit]:  # (read out by `_read_tails`)
            continue
        docnums = _live(groups, number, offset, excluded)
        read += groups.counts[number]
        if candidates_only:
            state.add_known(docnums, score, bit)
        else:
            state.add(docnums, score, bit)
        done[bit] += 1
        left[bit] -= groups.counts[number]
        if not prune or read < check_at:
            continue
        settled, candidates_only = _check(state, depth, candidates_only)
        if not settled and not candidates_only:
            tails = _read_tails(state)
            if tails:
                read += tails
                settled, candidates_only = _check(state, depth, candidates_only)
        if settled:
            return read, total, False
        check_at = read + (max(FIRST_CHECK, len(state.sums)) if not candidates_only
                           else max(LATER_CHECK, len(state.sums)))
    return read, total, not candidates_only


def _read_tails(state: _State) -> int:
    """Read out each term with at most FINISH unread postings (a rarer word beside a
    common one): its bound falls to 0, which may be all that keeps unseen passages from
    being excluded (at 300 MB "peasant revolts" read 91% of its postings waiting for the
    common word's bound alone to fall below theta); return the postings read. Each term is
    still read best first, so the bounds hold."""
    extra = 0
    for bit, unread in enumerate(state.left):
        if not 0 < unread <= FINISH or state.closed[bit]:
            continue
        for score, _, groups, number, offset, excluded in state.groups[bit][state.done[bit]:]:
            extra += groups.counts[number]
            state.add(_live(groups, number, offset, excluded), score, bit)
        state.done[bit] = len(state.groups[bit])
        state.left[bit] = 0
    return extra


def _live(groups: impacts.TermGroups, number: int, offset: int, excluded: AbstractSet[int]
          ) -> list[int]:
    """A group's docnums in the index's numbering, its deleted and masked ones left out."""
    docnums = groups.docnums(number, offset)
    return list(filterfalse(excluded.__contains__, docnums)) if excluded else docnums


def _theta(state: _State, depth: int) -> int:
    """The depth-th best partial sum (that entry's sum: entries order as their sums), found
    among the entries not below the last theta (a C-level filter): the depth that made it
    are still there and have not shrunk."""
    if len(state.sums) < depth:
        return 0
    entries = state.sums.values()
    if state.theta:
        above = list(filter((state.theta << state.bits).__le__, entries))
        if len(above) >= depth:
            entries = above  # type: ignore[assignment]
    state.theta = heapq.nlargest(depth, entries)[-1] >> state.bits
    return state.theta


def _check(state: _State, depth: int, candidates_only: bool) -> tuple[bool, bool]:
    """Drop the passages that cannot enter; return (settled, unseen passages excluded)."""
    if len(state.sums) < depth:
        return False, candidates_only
    theta = _theta(state, depth)
    bounds = [state.bound(bit) for bit in range(len(state.done))]
    if not candidates_only and sum(bounds) >= theta:
        return False, False  # an unseen passage might still enter
    settled, kept, met = state.drop(theta, bounds)
    if not settled:
        settled = _look_up(state, bounds, kept, met)
    return settled, True


def _look_up(state: _State, bounds: list[int], kept: list[int], met: list[int]) -> bool:
    """Settle each term some candidate lacks, the cheaper way: look those candidates up in
    its postings, or read the rest of its groups; return True when every candidate is
    then exact. A term whose two costs are both high is left to the reading order.

    kept and met are the candidates and the terms each had met when `_State.drop` left
    them: settling one term changes no candidate's flag of another, nor the candidates,
    so the candidates lacking a term are found from these, not from the entries."""
    exact = True
    for bit, bound in enumerate(bounds):
        if not bound:
            continue
        flag = 1 << bit
        absent = list(map(not_, map(and_, met, repeat(flag))))
        missing = absent.count(True)  # (the list sorted only when it is looked up)
        if not missing:
            continue
        blocks = sum(len(listed.groups.maxids) for listed in state.listed[bit])
        lookup = min(missing, blocks) * BLOCK_COST
        if lookup <= state.left[bit]:
            lacking = sorted(compress(kept, absent))
            for listed in state.listed[bit]:
                _add_found(state, listed, lacking)
            sums = state.sums
            for docnum in lacking:
                sums[docnum] |= flag
        elif state.left[bit] <= FINISH:
            _finish(state, bit)
        else:
            exact = False
            continue
        state.closed[bit] = True  # no candidate lacks it now: its groups need not be read
    return exact


def _finish(state: _State, bit: int) -> None:
    """Read the rest of a term's groups, for the candidates only."""
    for score, _, groups, number, offset, _ in state.groups[bit][state.done[bit]:]:
        state.add_known(groups.docnums(number, offset), score, bit)
    state.done[bit] = len(state.groups[bit])
    state.left[bit] = 0


def _add_found(state: _State, listed: _Listed, docnums: list[int]) -> None:
    """Add the term's score to each of docnums (ascending) that the listed segment's
    postings hold, decoding only the posting blocks they fall in."""
    reader, offset, groups = listed.reader, listed.offset, listed.groups
    top = offset + reader.doc_count_all()  # type: ignore[attr-defined]
    wanted = [docnum - offset for docnum in docnums if offset <= docnum < top]
    if not wanted:
        return
    matcher = postings.leaf(reader.postings(listed.fieldname, groups.key))  # type: ignore[attr-defined]
    lengths = perdoc.field_lengths(reader, listed.fieldname)
    kinds = perdoc.kind_weights(reader)
    maxids, starts = groups.maxids, groups.block_starts
    block = -1
    ids: Sequence[int] = ()
    weights: Sequence[float] = ()
    sums, bits = state.sums, state.bits
    for docnum in wanted:
        at = bisect_left(maxids, docnum, max(block, 0))
        if at == len(maxids):
            break
        if at != block:
            block = at
            ids, weights = postings.jump(matcher, starts[at])
        i = bisect_left(ids, docnum)
        if i < len(ids) and ids[i] == docnum:
            sums[docnum + offset] += listed.score(weights[i], lengths[docnum],
                                                  kinds[docnum]) << bits


def _prepare(searcher: Searcher, terms: list[tuple[query.Term, float]], state: _State,
             mask: set[int]) -> list[_Group] | None:
    """Read the terms without impact lists whole into state, and return every listed group
    with its score in reading order (state.unread filled); None when this path cannot
    score the query."""
    entries: list[_Group] = []
    chunks: list[tuple[int, list[int]]] = []  # (term bit, group scores), as in entries
    best = [1] * len(terms)
    listed = False
    # Each term's score function, made in the first segment holding it and used in every
    # segment: its idf and average length are the index's (Whoosh's scorer asks the
    # parent searcher), so a (weight, length, kind) scores alike everywhere and each is
    # computed once (not once a segment), nor is a scorer made again.
    scoring: dict[int, Callable[[float, int, int], int]] = {}
    for subsearcher, offset in _leaves(searcher):
        reader = subsearcher.reader()
        file = impacts.open_segment(reader)
        listed = listed or file is not None
        excluded = _segment_excluded(reader, offset, mask)
        shifted = _shifted(reader, offset, excluded)
        for bit, (term, boost) in enumerate(terms):
            found = _term(subsearcher, reader, term, file, bit not in scoring)
            if found is None:
                return None
            if found is False:
                continue
            scorer, groups = found
            score = scoring.get(bit)
            if score is None:
                score = scoring[bit] = _scoring(scorer, boost)
            if groups is None:
                _read_whole(reader, term, score, offset, excluded, bit, state)
                continue
            scores = list(map(score, groups.weights, groups.lengths, groups.kinds))
            state.left[bit] += sum(groups.counts)
            state.listed[bit].append(_Listed(reader, offset, groups, term.fieldname, score))
            best[bit] = max(best[bit], *scores)
            dropped = shifted if _may_hold(reader, term.fieldname, excluded, groups) else _NONE
            chunks.append((bit, scores))
            entries.extend(zip(scores, repeat(bit), repeat(groups), count(), repeat(offset),
                               repeat(dropped), strict=False))
    if not listed:
        return None
    # Each term's groups best first (in every segment: the bounds assume it), the terms side
    # by side: the next group is the one scoring most against its term's best, so passages
    # holding several query words (the ones that settle theta) are met early.
    # (Sorted by (-score / best, -score, position) as two stable sorts on number keys, the
    # second on the first key: no tuple compared, no function called per group.)
    negated = [list(map(neg, scores)) for _, scores in chunks]
    relative = list(chain.from_iterable(map(truediv, each, repeat(best[bit]))
                                        for (bit, _), each in zip(chunks, negated, strict=True)))
    order = sorted(range(len(entries)), key=list(chain.from_iterable(negated)).__getitem__)
    order.sort(key=relative.__getitem__)
    entries = list(map(entries.__getitem__, order))
    for entry in entries:
        state.groups[entry[1]].append(entry)
    for bit, groups in enumerate(state.groups):
        state.unread[bit] = list(map(itemgetter(0), groups))
    return entries


def _segment_excluded(reader, offset: int, mask: set[int]) -> set[int]:
    """The segment's deleted and masked docnums, in the segment's own numbering (kept on
    the reader for the mask it was made for: an open searcher's mask never changes)."""
    cached = reader.__dict__.get("_seedsearch_excluded")
    if cached is not None and cached[0] is mask:
        return cached[1]
    excluded = set(postings.deleted(reader)) if reader.has_deletions() else set()
    top = offset + reader.doc_count_all()
    excluded.update(docnum - offset for docnum in mask if offset <= docnum < top)
    reader.__dict__["_seedsearch_excluded"] = (mask, excluded)
    return excluded


def _may_hold(reader, fieldname: str, excluded: set[int], groups: impacts.TermGroups) -> bool:
    """Whether the term's groups may hold an excluded docnum. Not when every excluded
    document has length 0 in the field (article and source records have no content or
    section) and no group's length byte is 0: a group's passages all have its length byte.
    Then reading a group need not look each passage up in the excluded set."""
    if not excluded or 0 in groups.lengths:
        return bool(excluded)
    key = f"_seedsearch_lengthless_{fieldname}"
    cached = reader.__dict__.get(key)
    if cached is None or cached[0] is not excluded:
        lengths = perdoc.field_lengths(reader, fieldname)
        cached = reader.__dict__[key] = (excluded, not any(map(lengths.__getitem__, excluded)))
    return not cached[1]


def _shifted(reader, offset: int, excluded: set[int]) -> set[int]:
    """The segment's excluded docnums in the index's numbering (kept on the reader with the
    set they were made from)."""
    cached = reader.__dict__.get("_seedsearch_shifted")
    if cached is not None and cached[0] is excluded:
        return cached[1]
    shifted = {docnum + offset for docnum in excluded} if offset else excluded
    reader.__dict__["_seedsearch_shifted"] = (excluded, shifted)
    return shifted


def _term(searcher: Searcher, reader, term: query.Term, file: impacts.ImpactFile | None,
          first: bool = True):
    """(scorer, groups or None) for a term in a segment; False when the segment lacks it;
    None when the term is not scored by KindWeightedScorer. Not first (a segment before
    held the term and its scorer was made there): the scorer is None, not made again (its
    kind follows the field, the same in every segment)."""
    if first:
        found = accumulate.term_scorer(searcher, reader, term)
        if found is None:
            return False
        text, scorer = found
        if scorer is None:
            return None
        return scorer, file.groups(term.fieldname, text) if file is not None else None
    text = searcher.schema[term.fieldname].to_bytes(term.text)
    groups = file.groups(term.fieldname, text) if file is not None else None
    # (a listed term is in the segment: its list was written from the segment's postings)
    if groups is None and (term.fieldname, text) not in reader:
        return False
    return None, groups


def _scoring(scorer, boost: float) -> Callable[[float, int, int], int]:
    """The term's score for (weight, length byte, kind weight) in integer units: the float
    `accumulate._add_term` computes for such a posting, times SCALE, rounded."""
    idf, norm, k1_plus = scorer.idf, accumulate.length_norms(scorer), scorer.K1 + 1

    @cache
    def score(tf: float, length: int, kind: int) -> int:
        value = idf * ((tf * k1_plus) / (tf + norm[length])) * kind / 100.0
        if boost != 1.0:
            value = value * boost
        return round(value * SCALE)

    return score


def _read_whole(reader, term: query.Term, score, offset: int, excluded, bit: int,
                state: _State) -> None:
    """Add a rare term's score in one segment to every live passage holding it (`_State.add`
    inlined: a call and a list a posting were most of this on the dictionaries)."""
    text = reader.schema[term.fieldname].to_bytes(term.text)
    lengths = perdoc.field_lengths(reader, term.fieldname)
    kinds = perdoc.kind_weights(reader)
    sums, bits, flag = state.sums, state.bits, 1 << bit
    get = sums.get
    leaf = postings.term_leaf(reader, term.fieldname, text)  # (one look-up, deleted ones in)
    if leaf is None:
        return
    for ids, weights in postings.weight_blocks(leaf):
        for docnum, tf in zip(ids, weights, strict=True):
            if docnum not in excluded:
                key = docnum + offset
                sums[key] = get(key, 0) + (score(tf, lengths[docnum], kinds[docnum]) << bits | flag)


def _leaves(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return [(searcher, 0)] if searcher.is_atomic() else list(searcher.subsearchers)
