"""The index's vocabulary in a compact binary file, opened in microseconds and read in place.

Every search needs a little of the vocabulary (is this word in the corpus? what is its stem?
which stems are related forms of it?), and parsing a JSON table of every word on each start
cost more than the search itself at 100 MB. `lexicon_<generation>.bin` is written with each
committed generation (beside `stats`' files, before Whoosh's table of contents, so a
generation that is visible has it) and mapped into memory; a
lookup is a binary search over sorted, offset-indexed strings, so opening it costs nothing
however large the corpus.

Layout (little-endian uint32 arrays, each section padded to 4 bytes):
    header   MAGIC, word count W, stem count S
    word offsets (W + 1), word bytes, each word's stem number (W), each word's count (W)
    stem offsets (S + 1), stem bytes
Words and stems are sorted by their UTF-8 bytes, which is the order `bisect` sees.
"""

from __future__ import annotations

import mmap
import os
import re
import struct
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from .. import querytext
from .packed import Strings, string_section, strings_at, uint32s, uint32s_at

LEXICON_FILE = re.compile(r"^lexicon_([0-9]+)\.bin$")  # one per committed generation
MAGIC = b"SSLEX001"
_HEADER = struct.Struct("<8sII")


class Lexicon(Mapping[str, list]):
    """{word: [stem, count]} over the indexed text, read from `lexicon.bin` as asked."""

    def __init__(self, words: Strings, stem_numbers: memoryview, counts: memoryview,
                 stems: Strings, keep: object = None) -> None:
        self.words = words
        self._stem_numbers = stem_numbers
        self._counts = counts
        self.stems = stems
        self._keep = keep  # the mapping the views point into

    def __getitem__(self, word: str) -> list:
        number = self.words.find(word)
        if number < 0:
            raise KeyError(word)
        return [self.stems[self._stem_numbers[number]], self._counts[number]]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.words.find(word) >= 0

    def __iter__(self) -> Iterator[str]:
        return (self.words[number] for number in range(len(self.words)))

    def __len__(self) -> int:
        return len(self.words)

    def starting_with(self, prefix: str) -> list[str]:
        """Return the words that start with prefix, by binary search."""
        found = []
        number = bisect_left(self.words, prefix)
        while number < len(self.words):
            word = self.words[number]
            if not word.startswith(prefix):
                break
            found.append(word)
            number += 1
        return found

    def stem_of(self, word: str) -> str | None:
        """Return the indexed stem of a word, or None for a word the corpus lacks."""
        number = self.words.find(word)
        return self.stems[self._stem_numbers[number]] if number >= 0 else None

    def related_forms(self, stems: set[str]) -> list[str]:
        """Stems of the same word family that Snowball leaves apart (Georgia/Georgian,
        Stalin/Stalinist): `querytext.related_forms`, each candidate found by binary search."""
        return querytext.related_forms(stems, _Found(self.stems))


class _Found:
    """A sorted string table seen as a container: `in` is a binary search, among the strings
    sharing the text's first letters (`querytext.MIN_RELATED_STEM`, which a stem and its
    related forms share): that run is found once for all of a stem's candidates."""

    def __init__(self, strings: Strings) -> None:
        self._strings = strings
        self._runs: dict[str, tuple[int, int]] = {}

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        strings = self._strings
        prefix = text[:querytext.MIN_RELATED_STEM]
        if text >= prefix + LAST_CHARACTER:  # (past the run: a code point no word holds)
            return strings.find(text) >= 0
        run = self._runs.get(prefix)
        if run is None:
            low = bisect_left(strings, prefix)
            run = self._runs[prefix] = (low, bisect_left(strings, prefix + LAST_CHARACTER, low))
        low, high = run
        at = bisect_left(strings, text, low, high)
        return at < high and strings[at] == text


LAST_CHARACTER = "\U0010ffff"  # after every string starting with a prefix (UTF-8 order)


class StemTable(Mapping[str, str]):
    """The lexicon seen as {word: stem}, for `analyse.preload_stems`."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon

    def __getitem__(self, word: str) -> str:
        found = self._lexicon.stem_of(word)
        if found is None:
            raise KeyError(word)
        return found

    def get(self, word: str, default: str | None = None) -> str | None:  # type: ignore[override]
        found = self._lexicon.stem_of(word)
        return default if found is None else found

    def __iter__(self) -> Iterator[str]:
        return iter(self._lexicon)

    def __len__(self) -> int:
        return len(self._lexicon)


def lexicon_name(generation: int) -> str:
    """The file name of a generation's lexicon."""
    return f"lexicon_{generation}.bin"


def write_lexicon(index_dir: Path, generation: int, table: Mapping[str, list]) -> None:
    """Write a generation's {word: [stem, count]} as its lexicon file, atomically."""
    target = index_dir / lexicon_name(generation)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_bytes(encode_lexicon(table))
    os.replace(temporary, target)


def encode_lexicon(table: Mapping[str, list]) -> bytes:
    """Return {word: [stem, count]} in the layout above."""
    words = sorted(table, key=lambda word: word.encode("utf-8"))
    stems = sorted({table[word][0] for word in words}, key=lambda s: s.encode("utf-8"))
    stem_number = {stem: number for number, stem in enumerate(stems)}
    parts = [_HEADER.pack(MAGIC, len(words), len(stems))]
    parts += string_section(words)
    parts.append(uint32s(stem_number[table[word][0]] for word in words))
    parts.append(uint32s(min(int(table[word][1]), 0xFFFFFFFF) for word in words))
    parts += string_section(stems)
    return b"".join(parts)


def open_lexicon(index_dir: Path, generation: int,
                 fallback: Callable[[], Mapping[str, list] | None] | None = None) -> Lexicon:
    """Map a generation's lexicon into memory; an index without one (an older build) or with
    a damaged one gets the fallback table's lexicon (empty: no spelling help, search works)."""
    try:
        with open(index_dir / lexicon_name(generation), "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return _read(memoryview(mapped), mapped)
    except (OSError, ValueError, struct.error, TypeError, IndexError):
        return _read(memoryview(encode_lexicon((fallback() if fallback else None) or {})), None)


def _read(view: memoryview, keep: object) -> Lexicon:
    magic, word_count, stem_count = _HEADER.unpack_from(view)
    if magic != MAGIC or sys.byteorder != "little":
        raise ValueError("not a lexicon this version reads")
    cursor = _HEADER.size
    words, cursor = strings_at(view, cursor, word_count)
    stem_numbers, cursor = uint32s_at(view, cursor, word_count)
    counts, cursor = uint32s_at(view, cursor, word_count)
    stems, cursor = strings_at(view, cursor, stem_count)
    if cursor != len(view):
        raise ValueError("a lexicon of the wrong length")
    return Lexicon(words, stem_numbers, counts, stems, keep)
