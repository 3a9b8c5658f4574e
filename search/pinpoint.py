"""Where a cited passage sits in its article: ¶, section, lines, pages, and the locator.

`pinpoint_at` counts an article's paragraphs as a reader does (from the first paragraph of the
body, and again from each heading, APA 7 8.28), so every citation style shares one count.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from .errors import InputError
from .frozen import frozen_dataclass
from .sections import section_paragraphs


@frozen_dataclass
class Pinpoint:
    """Where in an article a cited passage sits."""

    paragraph: int | None  # the ¶ a reader counts from the first paragraph of the body
    section: str  # the heading the passage falls under, "" before the first heading
    path: str
    line_start: int
    line_end: int
    section_paragraph: int | None = None  # the ¶ counted from that heading (APA 7 8.28)
    page_start: str = ""  # printed page labels, for a PDF
    page_end: str = ""
    link: str = ""  # a URL that lands on the passage (web pages with a URL)

    @property
    def pages(self) -> str:
        """The page or page range ("12", "12–13"), "" where the source has no pages.

        >>> Pinpoint(3, "", "a.pdf", 9, 9, None, "12", "13").pages
        '12–13'
        """
        if not self.page_start or self.page_end in ("", self.page_start):
            return self.page_start
        return f"{self.page_start}\u2013{self.page_end}"

    @property
    def locator(self) -> str:
        """The exact ¶ and file:line span, e.g. "¶21, seeds/000.txt:60-60"; for a PDF the
        page, "p. 12, ¶21, paper.pdf"."""
        place = f"{self.path}:{self.line_start}-{self.line_end}"
        if self.pages:
            page = page_mark(self.pages)
            place = f"{page}, {self.path}" if self.paragraph is None else \
                f"{page}, ¶{self.paragraph}, {self.path}"
            return place
        return place if self.paragraph is None else f"¶{self.paragraph}, {place}"


def page_mark(pages: str) -> str:
    """ "p. 12" or "pp. 12–13"."""
    return f"pp. {pages}" if "\u2013" in pages else f"p. {pages}"


class NumberedBlock(Protocol):
    """What `pinpoint_at` reads from a block (`search.ingest.Block` has it)."""

    @property
    def paragraph(self) -> int | None: ...
    @property
    def section(self) -> str: ...
    @property
    def line_start(self) -> int: ...
    @property
    def line_end(self) -> int: ...


def pinpoint_at(path: str, blocks: Iterable[NumberedBlock], paragraph: int) -> Pinpoint:
    """Return the pinpoint of ¶paragraph among an article's blocks, also counted in its section."""
    listed = list(blocks)
    last = 0
    for block, in_section in zip(listed, section_paragraphs(listed), strict=True):
        if block.paragraph is None:
            continue
        last = block.paragraph
        if block.paragraph == paragraph:
            return Pinpoint(paragraph, block.section, path, block.line_start, block.line_end,
                            in_section)
    raise InputError(f"{path} has no ¶{paragraph}; its paragraphs run from ¶1 to ¶{last}.")
