"""Align a quotation with a run of source text, word by word, and judge the differences.

Words become single characters so rapidfuzz (C++) can locate each ellipsis-separated part of
the quotation in the source and give word-level edit operations; `search.judge` then sorts
every difference into editorial (an ellipsis over real material, a [bracketed] insertion or
replacement) or unmarked (a variant), and the alignment decides the verdict.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from .judge import (
    MAX_BRACKETED_WORDS,
    MAX_GAP_WORDS,
    NEGATIONS,
    Alignment,
    Coder,
    Difference,
    Edit,
    joined_words,
    judge_gap,
    judge_part,
)
from .quotation import Quotation, Token

__all__ = ["NEGATIONS", "Alignment", "Coder", "Difference", "Edit", "align", "locate",
           "semi_global", "similarity", "wording_share"]

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


def _occurrences(part: str, window: str, offset: int) -> list[int]:
    """Where part starts in window (overlapping occurrences too), plus offset.

    >>> _occurrences("aa", "aaa", 10)
    [10, 11]
    """
    found = []
    at = window.find(part)
    while at >= 0:
        found.append(at + offset)
        at = window.find(part, at + 1)
    return found


def _find(part: str, source: str, low: int, high: int, every: bool,
          last: bool = False, fuzzy: bool = True) -> list[tuple[int, int]]:
    """Exact occurrences of part in source[low:high], else (if fuzzy) the best fuzzy one."""
    window = source[low:high]
    if not part or not window:
        return []
    exact = _occurrences(part, window, low)
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
            judge_gap(source, previous_end, span_low, result)
        judge_part(part, source[low:high], result, after_gap=k > 0)
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
    return Edit("replacement" if printed else "insertion", joined_words(printed),
                f"[{joined_words(quoted)}]", span=(low, high) if printed else None)


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
