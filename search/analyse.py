"""Text analysis: typography-normalised, lower-cased words reduced to Snowball English stems.

The same functions serve indexing and querying, so both sides always agree. Stop words are
kept (a quotation like "to be or not to be" must still be a phrase). NLTK is imported only
when a word is stemmed for the first time: the index ships a table of its vocabulary's stems,
so most searches never pay NLTK's import cost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from operator import itemgetter

from .typography import (
    keeps_offsets,
    normalise,
    normalise_with_offsets,
    normalised_text,
    word_pattern,
)

ANALYSER_VERSION = "snowball-english-2"  # 2: decomposed accents are composed (NFC)

# Words too common to tell passages apart: left out of plain-word ranking, feedback, rarity
# weights and content-word counts, never out of the index (phrases keep them).
STOP_WORDS = frozenset(
    "a an the and or but nor of to in on at by for with from as is are was were be been being "
    "it its this that these those he she they them his her their we our you your i me my him "
    "not no so if then than too very can could would should will shall may might must do does "
    "did has have had which who whom whose what when where why how all any some such into over "
    "under about after before between through during there here also only just more most other "
    "up down out off again once".split()
)


def text_stems(text: str, content: bool = False) -> list[str]:
    """Return the stems of text's words in order, read exactly as the index reads them;
    content=True leaves out stop words.

    >>> text_stems("The workers' state"), text_stems("The workers' state", content=True)
    (['the', 'worker', 'state'], ['worker', 'state'])
    """
    return [stemmed for word, stemmed, _, _ in tokens(text)
            if not content or word not in STOP_WORDS]


def content_stems(words: Iterator[str] | list[str] | set[str]) -> set[str]:
    """Return the stems of the words that are not stop words.

    >>> sorted(content_stems(["The", "workers'", "state", "of", "Russia"]))
    ['russia', 'state', 'worker']
    """
    return {stem(folded) for folded in (fold(word) for word in words)
            if folded and folded not in STOP_WORDS}


# Stem tables of the indexes opened (newest first; see `preload_stems`).
_stem_tables: list[Mapping[str, str]] = []
MAX_STEM_TABLES = 4
_stemmer: Callable[[str], str] | None = None


def _nltk_stem(word: str) -> str:
    global _stemmer
    if _stemmer is None:
        from nltk.stem.snowball import SnowballStemmer  # slow import: only when needed

        _stemmer = SnowballStemmer("english").stem
    return _stemmer(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the Snowball English stem of a lower-cased word.

    >>> stem("workers"), stem("worker"), stem("exiled"), stem("trotsky")
    ('worker', 'worker', 'exil', 'trotski')
    """
    for table in _stem_tables:
        known = table.get(word)
        if known is not None:
            return known
    return _nltk_stem(word)


def preload_stems(table: Mapping[str, str]) -> None:
    """Teach `stem` the stems of an index's vocabulary so it need not import NLTK.

    The table is consulted as it is (an index's lexicon is read in place, not copied); the
    stems are Snowball's whichever index they came from, so any table answers alike."""
    _stem_tables.insert(0, table)
    del _stem_tables[MAX_STEM_TABLES:]
    stem.cache_clear()
    _folded_stems.clear()


def fold(word: str) -> str:
    """Return a lower-cased word without a possessive ending or edge apostrophes.

    >>> fold("Trotsky's"), fold("workers'"), fold("don't")
    ('trotsky', 'workers', "don't")
    """
    word = word.lower().strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    return word


def tokens(text: str) -> Iterator[tuple[str, str, int, int]]:
    """Yield (folded word, stem, start, end) for each word of text; offsets index `text`.

    Most text (ASCII, curly quotes, dashes, odd spaces) normalises one character to one, so
    offsets found in the normalised text hold for the original. Otherwise (a dropped soft
    hyphen, an expanded ellipsis or ligature, a composed accent) they are mapped back, even
    when drops and expansions balance and the length comes out the same.
    """
    normalised = normalise(text)
    mapping = None if keeps_offsets(text, normalised) else normalise_with_offsets(text)
    folded_stems = _folded_stems  # (fold and stem, each spelling worked out once)
    for match in _word_pattern(normalised).finditer(normalised):
        word, stemmed = folded_stems[match.group()]
        if not word:
            continue
        start, end = match.span()
        if mapping is not None:
            start, end = mapping.original_span(start, end)
        yield word, stemmed, start, end


def stem_spans(text: str, stems: set[str] | frozenset[str]) -> list[tuple[int, int]]:
    """The (start, end) in text of each word whose stem is among stems: `tokens` filtered,
    in one loop without its generator and tuples (a search highlights its hits' words)."""
    normalised = normalise(text)
    folded_stems = _folded_stems
    spans = []
    for match in _word_pattern(normalised).finditer(normalised):
        word, stemmed = folded_stems[match.group()]
        if stemmed in stems and word:
            spans.append(match.span())
    if spans and not keeps_offsets(text, normalised):
        mapping = normalise_with_offsets(text)
        spans = [mapping.original_span(start, end) for start, end in spans]
    return spans


class _FoldedStems(dict[str, tuple[str, str]]):
    """Word as printed -> (folded, stem), a missing word folded and stemmed as it is met
    (`dict.__missing__`: looked up in C, a whole block's words in one `map`)."""

    def __missing__(self, word: str) -> tuple[str, str]:
        if len(self) >= MAX_FOLDED_STEMS:
            self.clear()
        folded = fold(word)
        pair = self[word] = (folded, stem(folded)) if folded else NO_WORD
        return pair


NO_WORD = ("", "")  # what a word that folds to nothing (an apostrophe alone) maps to
_folded_stems = _FoldedStems()
# Started afresh when full: every spelling an indexing run met (capitals, possessives,
# made-up words) was kept, 17 MB of a worker's memory per 40 MB of corpus and growing; the
# words that recur are back in it within a block or two.
MAX_FOLDED_STEMS = 65_536


# WORD_PATTERN on ASCII text, where `[^\W_]` is `[a-zA-Z0-9]` and no combining mark occurs:
# the same words, found a quarter faster (most blocks are ASCII once normalised)
ASCII_WORD_PATTERN = re.compile(r"[a-zA-Z0-9]+(?:'[a-zA-Z0-9]+)*")


def _word_pattern(normalised: str) -> re.Pattern[str]:
    """The pattern that finds normalised text's words: the ASCII one where it will do."""
    return ASCII_WORD_PATTERN if normalised.isascii() else word_pattern()


# Each ASCII byte that cannot be part of a word (`ASCII_WORD_PATTERN`) as a space
_SPACED = bytes(byte if chr(byte).isalnum() and byte < 128 or byte == ord("'") else ord(" ")
                for byte in range(256))


def _ascii_words(normalised: str) -> list[str]:
    """`ASCII_WORD_PATTERN.findall(normalised)` for ASCII text, a third faster: every
    character that is not a letter, a digit or an apostrophe becomes a space, so does every
    apostrophe not between two letters or digits, and the words are what lies between.

    >>> _ascii_words("'Tis the workers' state -- don't a''b 'c' d'e'f'")
    ['Tis', 'the', 'workers', 'state', "don't", 'a', 'b', 'c', "d'e'f"]
    """
    spaced = normalised.encode("ascii").translate(_SPACED).decode("ascii")
    if "'" in spaced:
        spaced = f" {spaced} "
        while "''" in spaced:
            spaced = spaced.replace("''", "  ")
        spaced = spaced.replace(" '", "  ").replace("' ", "  ")  # each now stands alone
    return spaced.split()


def index_stems(text: str) -> tuple[list[str], list[str]]:
    """Return the stems of text's words in order, and the folded words in order.

    The indexing side of `tokens`, without character offsets: the same words with the same
    stems (a test holds the two together), looked up a block at a time in C.

    >>> index_stems("The workers’ state; the worker")
    (['the', 'worker', 'state', 'the', 'worker'], ['the', 'workers', 'state', 'the', 'worker'])
    """
    normalised = normalised_text(text)  # (as `layout.classify` normalised it)
    found = (_ascii_words(normalised) if normalised.isascii()
             else word_pattern().findall(normalised))
    pairs = list(map(_folded_stems.__getitem__, found))
    if NO_WORD in pairs:
        pairs = [pair for pair in pairs if pair[0]]
    return list(map(itemgetter(1), pairs)), list(map(itemgetter(0), pairs))


def positions_of(stems: list[str]) -> dict[str, list[int]]:
    """Each stem's positions in a list of stems.

    >>> positions_of(['the', 'worker', 'state', 'the'])
    {'the': [0, 3], 'worker': [1], 'state': [2]}
    """
    positions: dict[str, list[int]] = {}
    for position, stemmed in enumerate(stems):
        found = positions.get(stemmed)
        if found is None:
            positions[stemmed] = [position]
        else:
            found.append(position)
    return positions


def analyse(text: str) -> list[str]:
    """Return the stems of text in order, as both the index and the query parser see them.

    >>> analyse("The workers’ state, Trotsky’s exile")
    ['the', 'worker', 'state', 'trotski', 'exil']
    """
    return [stemmed for _, stemmed, _, _ in tokens(text)]
