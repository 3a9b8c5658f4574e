"""Quotation marks: which characters open and close a quotation, and where quotations are.

One reader for the whole package: attribution finds the quotations of a source paragraph
with `find_quotations`; the manuscript reader pairs a draft's marks with the same tables;
layout and manuscripts recognise Markdown block quotes with the same `>` markers. A new kind
of mark is taught here once.
"""

from __future__ import annotations

import re

from .frozen import frozen_dataclass

# Double marks: what each opener may be closed by (German „…“ and „…” both occur).
CLOSERS = {"\u201c": "\u201d", "\u201e": "\u201c\u201d", "\u00ab": "\u00bb", '"': '"'}
CURLY_OPENERS = "\u201c\u201e\u00ab"
CURLY_CLOSERS = "\u201d\u201c\u00bb"
DOUBLE_MARKS = '"\u201c\u201d\u201e\u00ab\u00bb'
# A straight quote opens after these (or at a paragraph start) and closes before these.
BEFORE_OPENING = " \t\n([{\u2014\u2013-/*_'\u2018"
AFTER_CLOSING = " \t\n.,;:!?)]}\u2014\u2013-/*_'\u2019\u2026["  # "[": a footnote mark, "[^1]"

# A Markdown block quote: a line starting with `>` (up to three spaces in, nested `> >`).
BLOCK_QUOTE_LINE = re.compile(r"[ \t]{0,3}>")
BLOCK_QUOTE_MARKERS = re.compile(r"^[ \t]{0,3}>(?:[ \t]?>)*[ \t]?", re.M)


@frozen_dataclass
class QuotedSpan:
    """A pair of quotation marks in a paragraph; a missing mark at an edge is not counted."""

    start: int  # index of the opening mark (0 when the quotation runs on from before)
    end: int  # index just past the closing mark (len(text) when left open)
    depth: int  # 0 for an outermost quotation
    double: bool
    opened: bool  # False when the quotation began in an earlier paragraph
    closed: bool  # False when it runs past the paragraph's end


def find_quotations(text: str, carried: bool = False) -> tuple[QuotedSpan, ...]:
    """Return the paragraph's quotations, outer before inner; carried: one runs on from before.

    >>> [(q.start, q.end, q.depth) for q in find_quotations("He said “it is ‘ours’” today")]
    [(8, 22, 0), (15, 21, 1)]
    """
    stack: list[tuple[int, bool, bool]] = [(0, True, False)] if carried else []
    found: list[QuotedSpan] = []
    for mark in _MARK.finditer(text):  # every other character has no role: skip to the marks
        index = mark.start()
        role = _role(text, index, [double for _, double, _ in stack])
        if role in ("“", "‘"):
            stack.append((index, role == "“", True))
        elif role and any(double == (role == "”") for _, double, _ in stack):
            while stack:
                begin, double, opened = stack.pop()
                matched = double == (role == "”")
                found.append(QuotedSpan(begin, index + 1 if matched else index, len(stack),
                                       double, opened, matched))
                if matched:
                    break
    found.extend(QuotedSpan(begin, len(text), depth, double, opened, False)
                 for depth, (begin, double, opened) in enumerate(stack))
    return tuple(sorted(found, key=lambda quote: (quote.start, quote.depth)))


_MARK = re.compile("[\u201c\u201e\u00ab\u201f\"\u201d\u00bb\u2018'\u2019]")  # what `_role` reads


def _role(text: str, index: int, open_doubles: list[bool]) -> str:
    """Return “ ” ‘ ’ for what the mark at index does, or "" for an apostrophe or a letter."""
    char = text[index]
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if char in "“„«‟" or (char == '"' and (True not in open_doubles or before.isspace())):
        return "“" if char != '"' or not after.isspace() else ""
    if char in "”»\"":
        return "”"
    if char == "‘" or (char == "'" and not before.isalnum() and after.isalpha()):
        return "" if after.isdigit() else "‘"
    if char not in "’'" or (before.isalpha() and after.isalpha()):
        return ""
    if open_doubles and not open_doubles[-1]:
        return "’"
    next_double = re.search(r"[“”\"]", text[index + 1:])
    if open_doubles and before in ".,!?…" and (not next_double or next_double.group() == "“"):
        return "”"  # a double quotation closed with a single mark: a typo in the source
    return ""


