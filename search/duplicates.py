"""The same article twice (saved as .txt and .html, or a syndicated reprint), found by its text.

Each article gets a sketch when it is indexed: the smallest hashes of its body's five-word
shingles (a bottom-k MinHash, Broder 1997). Two sketches estimate how much of their text two
articles share; articles sharing at least `SAME_TEXT` of it are copies. Copies are grouped
when an index is opened (a hash a sketch shares is the only way two articles are compared, so
a large corpus costs little), and results fold each passage found in several copies into one,
"also in" the others: hits and source lists are not multiplied.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalog import ArticleMeta

SHINGLE_WORDS = 5
SKETCH_SIZE = 64
SAME_TEXT = 0.8  # estimated Jaccard resemblance of the shingle sets
_WORD = re.compile(r"[^\W_]+")


def text_key(text: str) -> str:
    """A passage's words in lower case, for telling copies of one passage apart from others.

    >>> text_key("The workers’ state,\\n born")
    'the workers state born'
    """
    return " ".join(_WORD.findall(text.lower()))


def sketch(texts: Iterable[str]) -> list[int]:
    """The bottom-k sketch of the body paragraphs' shingles ([] for a text too short).

    A shingle's hash combines its words' hashes (each distinct word hashed once), which
    costs a fraction of hashing every five-word string; the combining runs in numpy, on
    64-bit products whose low 32 bits are those of Python's exact ones, so the sketch is the
    same as the plain-Python formula's (`_shingle_hashes`) and a tenth of its cost.

    >>> sketch(["one two three four five six"]) == sorted(_shingle_hashes(
    ...     [zlib.crc32(word.encode()) for word in "one two three four five six".split()]))
    True
    """
    import numpy as np  # indexing only: a search never sketches

    words = _words(" ".join(texts).lower())
    if len(words) < SHINGLE_WORDS:
        return []
    word_hashes = {word: zlib.crc32(word.encode("utf-8")) for word in set(words)}
    hashes = np.fromiter(map(word_hashes.__getitem__, words), dtype=np.uint64, count=len(words))
    count = len(words) - SHINGLE_WORDS + 1
    combined = hashes[SHINGLE_WORDS - 1:].copy()
    for offset, factor in enumerate(_FACTORS):
        combined ^= hashes[offset:offset + count] * np.uint64(factor)
    combined &= np.uint64(0xFFFFFFFF)
    return _smallest_distinct(np, combined, SKETCH_SIZE)


def _words(text: str) -> list[str]:
    """`_WORD.findall(text)`, twice as fast on an article: every character that is not a
    letter or digit (`[^\\W_]` is `str.isalnum`) becomes a space, and the words are what lies
    between. The few other characters beyond ASCII (quotes, dashes) are replaced one by one,
    the rest in a byte table (a UTF-8 byte of a letter beyond ASCII is kept as it is).

    >>> _words("the workers’ state—l’état, 1936_a b² c")
    ['the', 'workers', 'state', 'l', 'état', '1936', 'a', 'b²', 'c']
    """
    if not text.isascii():
        for character in set(_BEYOND_ASCII.findall(text)):
            if not character.isalnum():
                text = text.replace(character, " ")
    return text.encode("utf-8").translate(_SPACED).decode("utf-8").split()


_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")
_SPACED = bytes(byte if byte >= 128 or chr(byte).isalnum() else ord(" ") for byte in range(256))


def _smallest_distinct(np, values, count: int) -> list[int]:
    """`np.unique(values)[:count]`, sorting only the smallest values: every value outside
    the first `2 * count + 1` of a partition is at least the largest inside it, so when
    those hold `count` distinct values they are the smallest ones."""
    if len(values) > 4 * count:
        kept = np.unique(np.partition(values, 2 * count)[:2 * count + 1])
        if len(kept) >= count:
            return kept[:count].tolist()
    return np.unique(values)[:count].tolist()


_FACTORS = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F)  # the first four words'


def _shingle_hashes(hashes: list[int]) -> set[int]:
    """Each five-word shingle's hash from its words' hashes, in plain Python (the formula
    `sketch` computes in numpy)."""
    return {(a * 0x9E3779B1 ^ b * 0x85EBCA77 ^ c * 0xC2B2AE3D ^ d * 0x27D4EB2F ^ e)
            & 0xFFFFFFFF for a, b, c, d, e in zip(hashes, hashes[1:], hashes[2:],
                                                  hashes[3:], hashes[4:], strict=False)}


def resemblance(first: Sequence[int], second: Sequence[int]) -> float:
    """Estimated share of shingles two articles have in common (0 to 1).

    >>> resemblance([1, 2, 3, 4], [1, 2, 3, 4]), resemblance([1, 2], [3, 4])
    (1.0, 0.0)
    """
    if not first or not second:
        return 0.0
    union = sorted(set(first) | set(second))[:min(SKETCH_SIZE, max(len(first), len(second)))]
    both = set(first) & set(second)
    return sum(value in both for value in union) / len(union)


def copies(sketches: Mapping[str, Sequence[int]]) -> dict[str, tuple[str, ...]]:
    """Each article that has copies -> the other copies' ids (in id order)."""
    holders: dict[int, list[str]] = {}
    for doc_id, values in sketches.items():
        for value in values:
            holders.setdefault(value, []).append(doc_id)
    shared: Counter[tuple[str, str]] = Counter()
    for docs in holders.values():
        if 1 < len(docs) <= 50:  # a hash in very many sketches is a stock phrase
            shared.update((a, b) for i, a in enumerate(docs) for b in docs[i + 1:])
    groups: dict[str, set[str]] = {}
    for (a, b), count in shared.items():
        if count >= SKETCH_SIZE // 8 and resemblance(sketches[a], sketches[b]) >= SAME_TEXT:
            group = groups.get(a, {a}) | groups.get(b, {b})
            for doc_id in group:
                groups[doc_id] = group
    return {doc_id: tuple(sorted(group - {doc_id})) for doc_id, group in groups.items()}


class PassageFolder:
    """Folds the copies of one passage found in several copies of an article into the first
    one met (results come best first): the others are named by `also_in`."""

    def __init__(self, copies_of: Mapping[str, tuple[str, ...]],
                 articles: Mapping[str, ArticleMeta]) -> None:
        self.copies_of = copies_of
        self.articles = articles  # read lazily: only copies' paths are ever looked up
        self.first: dict[tuple[str, str], str] = {}  # (group, passage key) -> kept doc_id
        self.others: dict[tuple[str, str], list[str]] = {}

    def seen(self, doc_id: str, text: str) -> bool:
        """True when a copy of this passage was met before (and note this copy)."""
        if doc_id not in self.copies_of:
            return False
        key = (min((doc_id, *self.copies_of[doc_id])), text_key(text))
        kept = self.first.setdefault(key, doc_id)
        if kept == doc_id:
            return False
        path = self.articles[doc_id].path
        if path not in self.others.setdefault(key, []):
            self.others[key].append(path)
        return True

    def also_in(self, doc_id: str, text: str) -> tuple[str, ...]:
        """The paths of the other copies holding the passage kept for doc_id."""
        if doc_id not in self.copies_of:
            return ()
        return tuple(self.others.get((min((doc_id, *self.copies_of[doc_id])), text_key(text)), ()))
