"""Where sentences end: one splitter for attribution, manuscripts and paraphrase windows.

A sentence ends at a run of . ! ? or … (with any closing quote marks or brackets after it)
followed by whitespace and a capital letter or a digit (perhaps behind an opening mark), or
by the end of the text; never after an initial or a common abbreviation ("Mr.", "p.", "e.g.").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

SENTENCE_END = re.compile(r"[.!?…]+[”’\"')\]]*(?=\s+[“‘\"(\[]?[A-Z0-9]|\s*$)")
ABBREVIATION = re.compile(
    r"\b(?:[A-Z]|(?i:vol|pg|pp|p|no|ch|cf|e\.g|i\.e|mr|mrs|dr|st|etc))\.$")


def sentence_ends(text: str, start: int = 0, end: int | None = None) -> Iterator[int]:
    """Yield the offsets just past each sentence's closing punctuation in text[start:end].

    >>> list(sentence_ends("He left. Mr. Smith stayed. “Why?” she asked."))
    [8, 26, 44]
    """
    stop = len(text) if end is None else end
    for match in SENTENCE_END.finditer(text, start, stop):
        if not ABBREVIATION.search(text, 0, match.start() + 1):
            yield match.end()


def split_sentences(text: str) -> list[str]:
    """Return the sentences of text, whitespace collapsed.

    >>> split_sentences("One. Two? Three.")
    ['One.', 'Two?', 'Three.']
    """
    flat = " ".join(text.split())
    bounds = [0, *sentence_ends(flat)]
    pieces = [flat[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    rest = flat[bounds[-1]:].strip()
    return [piece for piece in pieces + [rest] if piece]
