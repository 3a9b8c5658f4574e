"""Align a quotation with a run of source text, word by word, and judge the differences.

Words become single characters so rapidfuzz (C++) can locate each ellipsis-separated part of
the quotation in the source and give word-level edit operations. The judgement then sorts
every difference into editorial (an ellipsis over real material, a [bracketed] insertion or
replacement) or unmarked (a variant), and decides the verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from . import compounds
from .quotation import Quotation, Token

MAX_GAP_WORDS = 400  # an ellipsis rarely stands for more than this much text
MAX_BRACKETED_WORDS = 3  # "[him]" for "Leon Trotsky"
RUN_WORDS = 3  # a run of the source's wording: this many words in a row
MAX_INTERRUPTION_WORDS = 8  # ”, Trotsky later wrote in his diary, “
NEGATIONS = frozenset("not no never nor neither none nothing nobody without cannot dont "
                      "doesnt didnt isnt wasnt werent wont cant couldnt wouldnt".split())
QUALIFIERS = frozenset("only some most many few almost nearly partly all every always "
                       "sometimes perhaps probably possibly may might largely mainly often "
                       "rarely seldom hardly barely scarcely".split())
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve "
                         "twenty thirty forty fifty hundred hundreds thousand thousands million "
                         "millions billion first second third half".split())


@dataclass(frozen=True)
class Difference:
    """One unmarked word-level difference between source and quotation."""

    op: str  # "replace", "delete" (in the source, not the quote) or "insert" (quote only)
    source: str
    quote: str
    minor: bool = False  # only punctuation or case differs: the same words
    span: tuple[int, int] | None = field(default=None, compare=False, repr=False)  # in source
    quote_span: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """The JSON form ("minor": true added for a punctuation- or case-only difference)."""
        data: dict = {"op": self.op, "source": self.source, "quote": self.quote}
        if self.minor:
            data["minor"] = True
        return data


@dataclass(frozen=True)
class Edit:
    """What an editorial mark stands for: an omission or a bracketed change."""

    mark: str  # "ellipsis", "insertion", "replacement" or "letter"
    source: str  # the words of the source it stands for ("" for an insertion)
    quote: str  # what the quotation prints ("..." or the bracketed text)
    warning: str = ""
    span: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """The JSON form."""
        data = {"mark": self.mark, "source": self.source, "quote": self.quote}
        if self.warning:
            data["warning"] = self.warning
        return data


@dataclass
class Alignment:
    """Where a quotation sits in a list of source tokens, and how the words line up."""

    first: int  # index of the first source token covered
    last: int  # index of the last source token covered
    matched: int = 0  # quotation words equal to a source word
    in_runs: int = 0  # of those, words in runs of at least RUN_WORDS equal words
    differences: list[Difference] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    cosmetic: list[Difference] = field(default_factory=list)  # case or punctuation only

    @property
    def verdict(self) -> str:
        """exact, edited or variant, from the differences found."""
        if self.differences or self.cosmetic:
            return "variant"
        marks = [edit for edit in self.edits if edit.mark != "attribution"]
        return "edited" if marks else "exact"


class Coder:
    """Gives each distinct word one character, so word lists become strings."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}

    def encode(self, tokens: list[Token]) -> str:
        """Return one character per token."""
        chars = []
        for token in tokens:
            code = self.codes.get(token.key)
            if code is None:
                code = self.codes[token.key] = chr(0x10000 + len(self.codes))
            chars.append(code)
        return "".join(chars)


def locate(quote: Quotation, source: list[Token], coder: Coder,
           every: bool = True) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Return candidate placements: (first, last, [(start, end) per segment]) in source.

    The longest part of the quotation anchors the placement; the other parts are looked for
    after (or before) it, within MAX_GAP_WORDS.
    """
    parts = [[t for t in quote.segment_tokens(k) if not t.bracketed] or
             quote.segment_tokens(k) for k in range(quote.segments)]
    # A part's [bracketed] words may be printed in the source too ("the Organizational Bureau
    # [directed by Stalin] in particular"): where the whole part stands there, that is its place.
    whole = [quote.segment_tokens(k) for k in range(quote.segments)]
    source_code = coder.encode(source)

    def find(k: int, low: int, high: int, every: bool, last: bool = False) -> list[tuple[int, int]]:
        if len(whole[k]) > len(parts[k]):
            printed = _find(coder.encode(whole[k]), source_code, low, high, every, last,
                            fuzzy=False)
            if printed:
                return printed
        return _find(coder.encode(parts[k]), source_code, low, high, every, last)

    anchor = max(range(len(parts)), key=lambda k: len(parts[k]))
    placements = []
    for start, end in find(anchor, 0, len(source), every):
        spans = {anchor: (start, end)}
        for k in range(anchor + 1, len(parts)):
            previous_end = spans[k - 1][1]
            found = find(k, previous_end,
                         min(len(source), previous_end + MAX_GAP_WORDS + len(whole[k])), False)
            spans[k] = found[0] if found else (previous_end, previous_end)
        for k in range(anchor - 1, -1, -1):
            next_start = spans[k + 1][0]
            low = max(0, next_start - MAX_GAP_WORDS - len(whole[k]))
            found = find(k, low, next_start, False, last=True)
            spans[k] = found[0] if found else (next_start, next_start)
        ordered = [spans[k] for k in range(len(parts))]
        placements.append((ordered[0][0], ordered[-1][1], ordered))
    return placements


def _find(part: str, source: str, low: int, high: int, every: bool,
          last: bool = False, fuzzy: bool = True) -> list[tuple[int, int]]:
    """Exact occurrences of part in source[low:high], else (if fuzzy) the best fuzzy one."""
    window = source[low:high]
    if not part or not window:
        return []
    exact = [m.start() + low for m in re.finditer(f"(?={re.escape(part)})", window)]
    if exact:
        chosen = exact if every else [exact[-1] if last else exact[0]]
        return [(start, start + len(part)) for start in chosen]
    if not fuzzy:
        return []
    if len(window) <= len(part):
        return [(low, high)]
    found = fuzz.partial_ratio_alignment(part, window)
    if found is None or found.score < 30:
        return []
    return [(low + found.dest_start, low + found.dest_end)]


def align(quote: Quotation, source: list[Token], spans: list[tuple[int, int]],
          coder: Coder) -> Alignment:
    """Line the quotation's parts up with the source spans found for them and judge it."""
    first_token, last_token = len(source), -1
    result = Alignment(0, 0)
    previous_end: int | None = None
    for k, (start, end) in enumerate(spans):
        whole = quote.segment_tokens(k)
        part, lead, tail = _core(whole)
        low, high = _refine(part, source, start, end, coder)
        part, low, high = _reattach_edges(part, lead, tail, source, low, high, result)
        span_low, span_high = low, high
        for edit in result.edits:
            if edit.mark == "replacement" and edit.span:
                span_low, span_high = min(span_low, edit.span[0]), max(span_high, edit.span[1])
        if previous_end is not None:
            _judge_gap(source, previous_end, span_low, result)
        _judge_part(part, source[low:high], result, after_gap=k > 0)
        first_token, last_token = min(first_token, span_low), max(last_token, span_high - 1)
        previous_end = span_high
    result.first, result.last = first_token, max(last_token, first_token)
    return result


def _core(part: list[Token]) -> tuple[list[Token], list[Token], list[Token]]:
    """Split [bracketed] words off either end of a part: (core, leading, trailing)."""
    low, high = 0, len(part)
    while low < high and part[low].bracketed:
        low += 1
    while high > low and part[high - 1].bracketed:
        high -= 1
    if low == high:
        return part, [], []
    return part[low:high], part[:low], part[high:]


def _reattach_edges(core: list[Token], lead: list[Token],
                    tail: list[Token], source: list[Token], low: int, high: int,
                    result: Alignment) -> tuple[list[Token], int, int]:
    """Edge brackets that repeat the source's own words (it prints "[humanity]" too) are
    part of the span; any others are the quoter's insertions, standing for nothing."""
    keys = [token.key for token in source]
    if lead and keys[max(0, low - len(lead)):low] == [t.key for t in lead]:
        core, low, lead = lead + core, low - len(lead), []
    if tail and keys[high:high + len(tail)] == [t.key for t in tail]:
        core, high, tail = core + tail, high + len(tail), []
    if lead:
        replaced = _clause_edge(source, low, backwards=True)
        result.edits.append(_bracket_edit(source, low - replaced, low, lead))
    if tail:
        replaced = _clause_edge(source, high, backwards=False)
        result.edits.append(_bracket_edit(source, high, high + replaced, tail))
    return core, low, high


def _clause_edge(source: list[Token], at: int, backwards: bool) -> int:
    """How many source words a bracket at the edge of a quotation stands for: the words up
    to the nearest punctuation, when that is at most MAX_BRACKETED_WORDS away ("towards
    [him]" for "towards Trotsky –"), else none (a pure insertion)."""
    if backwards:
        for count in range(0, MAX_BRACKETED_WORDS + 1):
            if at - count - 1 < 0 or source[at - count - 1].trail:
                return count
        return 0
    for count in range(1, MAX_BRACKETED_WORDS + 1):
        if at + count > len(source):
            return 0
        if source[at + count - 1].trail:
            return count if source[at - 1].trail == "" else 0
    return 0


def _bracket_edit(source: list[Token], low: int, high: int, quoted: list[Token]) -> Edit:
    printed = source[low:high]
    return Edit("replacement" if printed else "insertion", _words(printed),
                f"[{_words(quoted)}]", span=(low, high) if printed else None)


def _refine(part: list[Token], source: list[Token], start: int, end: int,
            coder: Coder) -> tuple[int, int]:
    """Widen a rough placement by a few words, then find the part's best span inside it."""
    part_code = coder.encode(part)
    if coder.encode(source[start:end]) == part_code:
        return start, end
    slack = 3 + len(part) // 8
    low, high = max(0, start - slack), min(len(source), end + slack)
    best_start, best_end = semi_global(part_code, coder.encode(source[low:high]))
    return (low + best_start, low + best_end) if best_end > best_start else (start, end)


def semi_global(part: str, region: str) -> tuple[int, int]:
    """Return the span of region that part aligns to at least edit cost (ends are free).

    Among equally cheap spans, the one pairing more words wins: "It strengthened" against
    "It greatly strengthened" keeps "It" and reports "greatly" dropped.

    >>> semi_global("abc", "xxabyc"), semi_global("ac", "abc"), semi_global("abz", "abc")
    ((2, 6), (0, 3), (0, 3))
    """
    width = len(region)
    # Each cell: (cost, -words equal, -words set against a source word, span start).
    row = [(0, 0, 0, j) for j in range(width + 1)]
    for i, char in enumerate(part, 1):
        new_row = [(i, 0, 0, 0)] + [(0, 0, 0, 0)] * width
        for j in range(1, width + 1):
            diagonal, above, left = row[j - 1], row[j], new_row[j - 1]
            paired = char == region[j - 1]
            new_row[j] = min(
                (diagonal[0] + (not paired), diagonal[1] - paired, diagonal[2] - 1, diagonal[3]),
                (above[0] + 1, above[1], above[2], above[3]),
                (left[0] + 1, left[1], left[2], left[3]),
            )
        row = new_row
    best = min(range(width + 1), key=lambda j: (row[j][0], row[j][1], row[j][2], j - row[j][3]))
    return row[best][3], best


def _judge_part(part: list[Token], source: list[Token], result: Alignment,
                after_gap: bool) -> None:
    coder = Coder()
    ops = Levenshtein.opcodes(coder.encode(part), coder.encode(source))
    interrupted = {op.dest_start - 1 for op in ops if op.tag == "insert"
                   and _is_interruption(source, op.dest_start, op.dest_end)}
    for op in _merge_bracket_runs(ops, part):
        quoted = part[op.src_start:op.src_end]
        printed = source[op.dest_start:op.dest_end]
        if op.tag == "equal":
            result.matched += len(quoted)
            result.in_runs += len(quoted) if len(quoted) >= RUN_WORDS else 0
            for offset, (q_token, s_token) in enumerate(zip(quoted, printed, strict=True)):
                before_break = op.dest_start + offset in interrupted
                _compare_printing(q_token, s_token, part, result, before_break, after_gap)
        elif not quoted and _is_interruption(source, op.dest_start, op.dest_end):
            result.edits.append(Edit("attribution", _words(printed), ""))
        elif quoted and all(token.bracketed for token in quoted):
            mark = "replacement" if printed else "insertion"
            result.edits.append(Edit(mark, _words(printed), f"[{_words(quoted)}]"))
        else:
            tag = {"replace": "replace", "insert": "delete", "delete": "insert"}[op.tag]
            result.differences.append(_difference(tag, part, source, op))


@dataclass(frozen=True)
class _Op:
    tag: str
    src_start: int
    src_end: int
    dest_start: int
    dest_end: int


def _merge_bracket_runs(ops, part: list[Token]) -> list[_Op]:
    """Join neighbouring edit operations that involve one [bracketed group]: "[the Bolshevik
    leader]" for "Lenin" is one replacement, not a replacement and an insertion."""
    merged: list[_Op] = []
    for op in ops:
        current = _Op(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        previous = merged[-1] if merged else None
        if (previous and previous.tag != "equal" and current.tag != "equal"
                and _bracketed(part, previous) and _bracketed(part, current)):
            merged[-1] = _Op("replace", previous.src_start, current.src_end,
                             previous.dest_start, current.dest_end)
        else:
            merged.append(current)
    return merged


def _bracketed(part: list[Token], op: _Op) -> bool:
    quoted = part[op.src_start:op.src_end]
    return bool(quoted) and all(token.bracketed for token in quoted)


def _is_interruption(source: list[Token], start: int, end: int) -> bool:
    """True for the article's own words breaking into a quotation: ”, Serge wrote, “."""
    return (0 < start and end < len(source) and end - start <= MAX_INTERRUPTION_WORDS
            and source[start - 1].quote_mark_after and source[end - 1].quote_mark_after)


def _compare_printing(q_token: Token, s_token: Token, part: list[Token], result: Alignment,
                      ignore_trail: bool, after_gap: bool) -> None:
    """Equal words may still differ in case or punctuation, which `exact` does not allow."""
    if q_token.modified:
        result.edits.append(Edit("letter", s_token.text, q_token.text))
        return
    if q_token.bracketed and not s_token.bracketed:
        result.edits.append(Edit("replacement", s_token.text, f"[{q_token.text}]"))
    first = q_token is part[0]
    final = q_token is part[-1]
    quoted, printed = q_token.text, s_token.text
    if first and not after_gap:
        quoted, printed = quoted[:1].lower() + quoted[1:], printed[:1].lower() + printed[1:]
    if quoted != printed:
        result.cosmetic.append(Difference("replace", s_token.text, q_token.text, minor=True))
        return
    if final or ignore_trail or q_token.trail.strip("[]") == s_token.trail.strip("[]"):
        return
    if _is_bracket_neighbour(q_token, part):
        return
    result.cosmetic.append(Difference("replace", s_token.text + s_token.trail,
                                      q_token.text + q_token.trail, minor=True))


def _is_bracket_neighbour(token: Token, part: list[Token]) -> bool:
    index = part.index(token)
    return index + 1 < len(part) and part[index + 1].bracketed


def _judge_gap(source: list[Token], previous_end: int, start: int, result: Alignment) -> None:
    omitted = source[previous_end:start]
    if not omitted:
        if previous_end and "..." in source[previous_end - 1].trail:
            return  # the source itself prints an ellipsis here
        result.differences.append(Difference("insert", "", "..."))
        return
    result.edits.append(Edit("ellipsis", _words(omitted), "...", omission_warning(omitted)))


def omission_warning(omitted: list[Token]) -> str:
    """Say what meaning an ellipsis may remove: a negation, a number or a qualifier."""
    keys = {token.key for token in omitted}
    reasons = []
    if keys & NEGATIONS or any(key.endswith("nt") and len(key) > 3 for key in keys & NEGATIONS):
        reasons.append(f"a negation ({', '.join(sorted(keys & NEGATIONS))})")
    numbers = sorted(k for k in keys if k.isdigit() or k in NUMBER_WORDS)
    if numbers:
        reasons.append(f"a number ({', '.join(numbers)})")
    if keys & QUALIFIERS:
        reasons.append(f"a qualifier ({', '.join(sorted(keys & QUALIFIERS))})")
    return ("the ellipsis drops " + "; ".join(reasons)) if reasons else ""


def _difference(tag: str, part: list[Token], source: list[Token], op: _Op) -> Difference:
    """A word difference widened to whole compounds and asides, with the span of the source's
    characters (and of the quotation's) for verify to print exactly."""
    q_low, q_high, s_low, s_high = compounds.widen(part, source, op.src_start, op.src_end,
                                                   op.dest_start, op.dest_end)
    printed, quoted = source[s_low:s_high], part[q_low:q_high]
    span = (printed[0].start, printed[-1].end) if printed else None
    quote_span = (quoted[0].start, quoted[-1].end) if quoted else None
    return Difference(tag, compounds.compound_words(printed), compounds.compound_words(quoted),
                      span=span, quote_span=quote_span)


def _words(tokens: list[Token]) -> str:
    return " ".join(token.text for token in tokens)


def wording_share(quote: Quotation, alignment: Alignment) -> float:
    """Share of the quotation's words that stand in runs of the source's wording: high for a
    misquotation (a few words changed), low for a rewording that shares scattered words."""
    quoted = sum(1 for token in quote.tokens if not token.bracketed)
    return alignment.in_runs / quoted if quoted else 0.0


def similarity(quote: Quotation, alignment: Alignment, source_words: int) -> float:
    """Share of words in common: matched words over the longer of quotation and source span."""
    quoted = sum(1 for token in quote.tokens if not token.bracketed)
    replaced = sum(len(e.source.split()) for e in alignment.edits if e.mark == "replacement")
    omitted = sum(len(e.source.split()) for e in alignment.edits if e.mark == "ellipsis")
    span = max(source_words - omitted - replaced, 1)
    return round(min(1.0, alignment.matched / max(quoted, span)), 4)
