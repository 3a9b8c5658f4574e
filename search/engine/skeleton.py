"""An article's full text stored as what its blocks do not already hold.

Each block stores its text with whitespace runs collapsed (`ingest.Block.text`), and the
source record used to store the whole article again beside them: a third of the index's
stored bytes. The skeleton keeps only the rest: the text between blocks (blank lines,
anything no block took) and, for each block, the whitespace runs that are not one space (a
line break inside a paragraph). `rebuild` puts the article back together from it and the
blocks' texts, character for character; `skeleton` refuses (None) any article it could not
give back exactly, which is then stored whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# (text between blocks: one more than the blocks, {block index: ((space index, run), ...)})
Skeleton = tuple[tuple[str, ...], dict[int, tuple[tuple[int, str], ...]]]
_RUN = re.compile(r"\s+")


def skeleton(text: str, spans: Sequence[tuple[int, int, str]]) -> Skeleton | None:
    """Return the skeleton of text around its blocks, given as (start, end, collapsed text)
    in reading order; None when `rebuild` would not give text back.

    >>> text = "Title\\n\\nOne line\\nbroken  here.\\n"
    >>> bones = skeleton(text, [(0, 5, "Title"), (7, 29, "One line broken here.")])
    >>> bones
    (('', '\\n\\n', '\\n'), {1: ((1, '\\n'), (2, '  '))})
    >>> rebuild(bones, ["Title", "One line broken here."]) == text
    True
    """
    gaps: list[str] = []
    runs: dict[int, tuple[tuple[int, str], ...]] = {}
    position = 0
    for index, (start, end, collapsed) in enumerate(spans):
        raw = text[start:end]
        core = raw.strip()
        if start < position or " ".join(raw.split()) != collapsed or not core:
            return None
        start += len(raw) - len(raw.lstrip())
        gaps.append(text[position:start])
        position = start + len(core)
        if core == collapsed:
            continue  # every whitespace run in it is one space: nothing to keep (most blocks)
        found = _RUN.findall(core)
        if len(found) != collapsed.count(" "):
            return None
        odd = tuple((number, run) for number, run in enumerate(found) if run != " ")
        if odd:
            runs[index] = odd
    gaps.append(text[position:])
    bones = (tuple(gaps), runs)
    return bones if rebuild(bones, [collapsed for _, _, collapsed in spans]) == text else None


def rebuild(bones: Skeleton, texts: Sequence[str]) -> str:
    """Return the article's text from its skeleton and its blocks' texts, in order."""
    gaps, runs = bones
    if len(gaps) != len(texts) + 1:
        raise ValueError("a skeleton of the wrong shape")
    pieces = [gaps[0]]
    for index, collapsed in enumerate(texts):
        odd = runs.get(index)
        if odd:
            words = collapsed.split(" ")
            spaces = [" "] * (len(words) - 1)
            for number, run in odd:
                spaces[number] = run
            pieces.extend(word + space for word, space in zip(words, spaces, strict=False))
            pieces.append(words[-1])
        else:
            pieces.append(collapsed)
        pieces.append(gaps[index + 1])
    return "".join(pieces)
