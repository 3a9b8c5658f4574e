"""Typographic normalisation shared by indexing, searching and quotation checking.

Writers type straight quotes where articles print curly ones, hyphens for dashes and three
dots for an ellipsis. Everything downstream compares normalised text, so this module maps
each variant to one form, and composes decomposed accents ("e" + COMBINING ACUTE ACCENT
becomes "é", as text pasted from a PDF or a Mac often arrives) so both spellings meet. Where a
character maps to one character the offsets line up with the original; where it cannot (an
ellipsis character becomes three dots, NFKC expansions, dropped zero-width characters,
composed accents) a map back to the original offsets is kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from .frozen import frozen_dataclass

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

# Combining diacritics are not word characters to `re`; a mark NFC cannot compose (no
# precomposed form exists) must still stay inside its word.
COMBINING_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_LETTERS = rf"[^\W_]+(?:[{COMBINING_MARKS}]+[^\W_]*)*"
_WORDS = rf"{_LETTERS}(?:'{_LETTERS})*"


@cache
def word_pattern() -> re.Pattern[str]:
    """WORD_PATTERN: the words of normalised text, apostrophes kept inside (compiled at its
    first use: a search on ASCII text has a faster one, `analyse.ASCII_WORD_PATTERN`)."""
    return re.compile(_WORDS)


def __getattr__(name: str) -> re.Pattern[str]:
    if name == "WORD_PATTERN":
        return word_pattern()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@frozen_dataclass
class Normalised:
    """Normalised text with, for every character, its offset in the original text."""

    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)
    ends: tuple[int, ...] = ()  # where each character's original ends; () when it is offset + 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original (start, end) covering normalised text[start:end]."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        last = self.ends[end - 1] if self.ends else self.offsets[end - 1] + 1
        return self.offsets[start], last


@lru_cache(maxsize=4096)
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
    mapped_text = "".join(pieces)
    if unicodedata.is_normalized("NFC", mapped_text):
        return Normalised(mapped_text, (*offsets, len(text)))
    composed, offsets, ends = _compose(mapped_text, offsets)
    return Normalised(composed, (*offsets, len(text)), tuple(ends))


def _compose(text: str, offsets: list[int]) -> tuple[str, list[int], list[int]]:
    """Compose accents (NFC) one cluster at a time, keeping each cluster's original span.

    A cluster is a character with the marks (or Hangul jamo) NFC joins to it. Every character
    a changed cluster composes into points at the whole cluster in the original.
    """
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    index = 0
    while index < len(text):
        stop = _cluster_end(text, index)
        cluster = text[index:stop]
        composed = unicodedata.normalize("NFC", cluster)
        if composed == cluster:
            starts.extend(offsets[index:stop])
            ends.extend(offset + 1 for offset in offsets[index:stop])
        else:
            starts.extend([offsets[index]] * len(composed))
            ends.extend([offsets[stop - 1] + 1] * len(composed))
        pieces.append(composed)
        index = stop
    return "".join(pieces), starts, ends


def _cluster_end(text: str, start: int) -> int:
    """Return where the cluster starting at text[start] ends."""
    stop = start + 1
    while stop < len(text):
        ch = text[stop]
        if ch < "\u0300":  # nothing below the combining diacritics joins what precedes it
            break
        joins = unicodedata.combining(ch) or len(
            unicodedata.normalize("NFC", text[start:stop + 1])
        ) <= len(unicodedata.normalize("NFC", text[start:stop]))
        if not joins:
            break
        stop += 1
    return stop


def normalise(text: str) -> str:
    """Return text with quotes, apostrophes, dashes, ellipses and spaces in one form, accents composed.

    >>> normalise("Trotsky\u2019s \u201cbridge\u201d \u2014 a\u00a0state\u2026 Broue\u0301")
    'Trotsky\\'s "bridge" - a state... Broué'
    """
    if text.isascii():
        return text.replace("\t", " ").replace("`", "'")
    # Only the few characters that change are visited: a translate table walks every
    # character through a dict once the text holds any non-ASCII one (5x slower here).
    mapped = _CHANGING.sub(_normalised_match, text)
    if unicodedata.is_normalized("NFC", mapped):
        return mapped
    return normalise_with_offsets(text).text


_CHANGING = re.compile(r"[^\x00-\x7f]|[`\t]")


class _Normalised(dict[str, str]):
    """Text -> `normalise(text)`, for the texts an indexing run normalises twice: each
    block's, to classify it (`layout`) and to index its words (`analyse.index_stems`), 3.6%
    of a 100 MB build's CPU. Started afresh past MAX_NORMALISED_CHARS: an article's blocks
    are met twice within a few hundred texts."""

    chars = 0

    def __missing__(self, text: str) -> str:
        if self.chars > MAX_NORMALISED_CHARS:
            self.clear()
            self.chars = 0
        normalised = self[text] = normalise(text)
        self.chars += len(text)
        return normalised


MAX_NORMALISED_CHARS = 100_000  # of texts kept, with their normalised forms (an article is ~30k)
normalised_text = _Normalised().__getitem__  # `normalise`, remembered (see `_Normalised`)


def _normalised_match(match: re.Match) -> str:
    return normalise_char(match.group())


def keeps_offsets(text: str, normalised: str) -> bool:
    """True when normalised (= normalise(text)) has every character at its original offset.

    >>> keeps_offsets("a\u2019b", "a'b"), keeps_offsets("a\u00adb\u2026", "ab...")
    (True, False)
    """
    if text.isascii():
        return True
    return len(normalised) == len(text) and all(len(normalise_char(ch)) == 1 for ch in set(text))


def words(text: str) -> list[str]:
    """Return the lower-cased words of already normalised text, apostrophes kept inside.

    >>> words("The workers' state, Trotsky's 1936 book")
    ['the', 'workers', 'state', "trotsky's", '1936', 'book']
    """
    return [match.group().lower() for match in word_pattern().finditer(text)]


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Return (lower-cased word, start, end) for each word of already normalised text."""
    return [(m.group().lower(), m.start(), m.end()) for m in word_pattern().finditer(text)]
