"""Typographic normalisation shared by indexing, searching and quotation checking.

Writers type straight quotes where articles print curly ones, hyphens for dashes and three
dots for an ellipsis. Everything downstream compares normalised text, so this module maps
each variant to one form. Where a character maps to one character the offsets line up with
the original; where it cannot (an ellipsis character becomes three dots, NFKC expansions) a
map back to the original offsets is kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_ONE_TO_ONE = str.maketrans(
    {
        **{ch: "'" for ch in SINGLE_QUOTES},
        **{ch: '"' for ch in DOUBLE_QUOTES},
        **{ch: "-" for ch in DASHES},
        **{ch: " " for ch in SPACES},
    }
)

OPENING_QUOTES = "\u201c\u2018\u201e\u00ab\""
CLOSING_QUOTES = "\u201d\u2019\u00bb\""

WORD_PATTERN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass(frozen=True)
class Normalised:
    """Normalised text with, for every character, its offset in the original text."""

    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original (start, end) covering normalised text[start:end]."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise_char(ch: str) -> str:
    """Return the normalised form of one character (possibly several characters or none).

    >>> normalise_char("\u2019"), normalise_char("\u2026"), normalise_char("\u2014")
    ("'", '...', '-')
    """
    if ch in ZERO_WIDTH:
        return ""
    if ch == "\u2026":
        return "..."
    mapped = ch.translate(_ONE_TO_ONE)
    if mapped != ch or ch.isascii():
        return mapped
    return unicodedata.normalize("NFKC", ch).translate(_ONE_TO_ONE)


def normalise_with_offsets(text: str) -> Normalised:
    """Return normalised text and the original offset of each of its characters."""
    pieces: list[str] = []
    offsets: list[int] = []
    for index, ch in enumerate(text):
        if ch.isascii() and ch not in "`\t":
            pieces.append(ch)
            offsets.append(index)
            continue
        mapped = normalise_char(ch)
        pieces.append(mapped)
        offsets.extend([index] * len(mapped))
    offsets.append(len(text))
    return Normalised("".join(pieces), tuple(offsets))


def normalise(text: str) -> str:
    """Return text with quotes, apostrophes, dashes, ellipses and spaces in one form.

    >>> normalise("Trotsky\u2019s \u201cbridge\u201d \u2014 a\u00a0state\u2026")
    'Trotsky\\'s "bridge" - a state...'
    """
    if text.isascii():
        return text.replace("\t", " ").replace("`", "'")
    return "".join(normalise_char(ch) for ch in text)


def words(text: str) -> list[str]:
    """Return the lower-cased words of already normalised text, apostrophes kept inside.

    >>> words("The workers' state, Trotsky's 1936 book")
    ['the', 'workers', 'state', "trotsky's", '1936', 'book']
    """
    return [match.group().lower() for match in WORD_PATTERN.finditer(text)]


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Return (lower-cased word, start, end) for each word of already normalised text."""
    return [(m.group().lower(), m.start(), m.end()) for m in WORD_PATTERN.finditer(text)]
