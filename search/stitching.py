"""Quotations stitched together from two places, or cut in the middle, without an ellipsis.

"X loved Joseph more than all his children, and sold Joseph to the Ishmeelites" joins the start
of one verse to the end of another: every word is the source's, and the whole is a misquotation.
Alignment against one stretch of text cannot see it (the parts lie too far apart), so the quotation
is split where its longest verbatim opening ends, and the rest is looked for on its own. Two
parts found in the same sentence are words dropped from the middle; anywhere else they are a
stitch, and each part keeps its own source and location.
"""

from __future__ import annotations

from collections.abc import Sequence

from .frozen import frozen_dataclass

MIN_PART_WORDS = 3  # a shorter "part" is a coincidence of common words, not a quotation
MAX_JOINING_WORDS = 2  # words of the quoter's own gluing the parts ("..., and ...")


@frozen_dataclass
class Placement:
    """Where some of the quotation's words stand verbatim in one window of source tokens."""

    window: int  # index of the window among those searched
    first: int  # source token indexes, inclusive
    last: int
    quote_first: int  # quotation word indexes, inclusive
    quote_last: int


def split(quote: Sequence[str], windows: Sequence[Sequence[str]]
          ) -> tuple[Placement, Placement] | None:
    """The quotation's words as two verbatim parts from the windows, or None.

    The first part is the longest verbatim opening; the second, the longest verbatim ending,
    which must take up every word after it but for at most MAX_JOINING_WORDS of glue. None
    when one place holds the whole quotation or when either part is shorter than
    MIN_PART_WORDS.

    >>> windows = [["a", "b", "c", "d", "x", "y"], ["p", "e", "f", "g", "q"]]
    >>> split(["a", "b", "c", "e", "f", "g"], windows)
    (Placement(window=0, first=0, last=2, quote_first=0, quote_last=2), \
Placement(window=1, first=1, last=3, quote_first=3, quote_last=5))
    """
    opening = _longest(quote, windows, from_end=False)
    ending = _longest(quote, windows, from_end=True)
    if opening is None or ending is None:
        return None
    if opening.quote_last + 1 >= len(quote):
        return None  # one place holds it all: not a stitch
    cut = opening.quote_last + 1
    if ending.quote_first > cut + MAX_JOINING_WORDS:
        return None
    start = max(cut, ending.quote_first)
    if len(quote) - start < MIN_PART_WORDS:
        return None
    shift = start - ending.quote_first
    second = Placement(ending.window, ending.first + shift, ending.last, start, len(quote) - 1)
    return opening, second


def _longest(quote: Sequence[str], windows: Sequence[Sequence[str]],
             from_end: bool) -> Placement | None:
    """The longest run of the quotation's first (or last) words found verbatim in a window."""
    words = list(reversed(quote)) if from_end else list(quote)
    best: tuple[int, int, int] | None = None  # (length, window, start in the possibly reversed)
    for number, window in enumerate(windows):
        tokens = list(reversed(window)) if from_end else list(window)
        for start, token in enumerate(tokens):
            if token != words[0]:
                continue
            length = 0
            while (length < len(words) and start + length < len(tokens)
                   and tokens[start + length] == words[length]):
                length += 1
            if best is None or length > best[0]:
                best = (length, number, start)
    if best is None or best[0] < MIN_PART_WORDS:
        return None
    length, number, start = best
    if not from_end:
        return Placement(number, start, start + length - 1, 0, length - 1)
    size = len(windows[number])
    return Placement(number, size - start - length, size - start - 1,
                     len(quote) - length, len(quote) - 1)


@frozen_dataclass
class Part:
    """One part of a stitched quotation and the place it comes from."""

    doc_id: str
    file: str
    quote: str  # the quotation's words of this part
    source_text: str  # the source's text of it, as printed
    start: int  # character offsets in the article file
    end: int
    line_start: int
    line_end: int
    paragraph: int | None

    def to_dict(self) -> dict:
        """The JSON form."""
        return {"doc_id": self.doc_id, "file": self.file, "quote": self.quote,
                "source_text": self.source_text, "start": self.start, "end": self.end,
                "line_start": self.line_start, "line_end": self.line_end,
                "paragraph": self.paragraph}


def stitch_warning(first: Part, second: Part) -> str:
    """Say which two places a quotation joins without an ellipsis.

    >>> a = Part("x", "a.md", "", "", 0, 1, 3, 3, 2); b = Part("y", "b.md", "", "", 0, 1, 9, 9, 7)
    >>> stitch_warning(a, b)
    'stitched together without an ellipsis from two places: joins a.md ¶2 and b.md ¶7'
    """
    def where(part: Part, named: bool) -> str:
        place = f"¶{part.paragraph}" if part.paragraph else f"line {part.line_start}"
        return f"{part.file} {place}" if named else place

    named = first.doc_id != second.doc_id
    return ("stitched together without an ellipsis from two places: joins "
            f"{where(first, named)} and {where(second, named)}")
