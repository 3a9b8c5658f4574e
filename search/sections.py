"""Paragraphs counted from their section's heading, the way APA 7 (8.28) cites a passage in
an article without page numbers: "(Section Title, para. 3)". Apart from `ingest`, which
reads the articles these blocks come from, so that citing an indexed passage does not
import the readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Sectioned(Protocol):
    """A block as `section_paragraphs` reads it (Block and the index's StoredBlock)."""

    @property
    def paragraph(self) -> int | None: ...
    @property
    def section(self) -> str: ...


def section_paragraphs(blocks: Iterable[Sectioned]) -> list[int | None]:
    """Return each block's paragraph counted from its section's heading (APA 7 8.28).

    None for unnumbered blocks and for paragraphs before the first heading. A section that
    resumes after an extract under its own heading goes on counting where it left off.
    """
    counts: dict[str, int] = {}
    numbers: list[int | None] = []
    for block in blocks:
        if block.paragraph is None or not block.section:
            numbers.append(None)
            continue
        counts[block.section] = counts.get(block.section, 0) + 1
        numbers.append(counts[block.section])
    return numbers
