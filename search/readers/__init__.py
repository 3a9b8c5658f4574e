"""One reader per file format, each turning a file's bytes into an `Extract`.

A reader knows its format and nothing else: it says where each block's words are, what kind
of block it is, where the block sits in the file (source lines, printed page, element id)
and what metadata the file states. `search.ingest` numbers the blocks, names their sections
and settles the metadata, the same way for every format, so nothing after ingest knows which
format a block came from except the pinpoint of its citation.

Plain text is not read here: `search.ingest` classifies its blocks by their shape (layout).
Each format library is imported only by its reader, and only when a file of that format is
read, so a folder of text articles never pays for the PDF extractor.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import field
from pathlib import Path

from ..errors import InputError
from ..frozen import frozen_dataclass
from ..kinds import Kind
from .mojibake import repair

# Suffix -> (reader module, the format's name as `docs` shows it).
READERS = {
    ".html": ("html", "html"), ".htm": ("html", "html"), ".xhtml": ("html", "html"),
    ".md": ("markdown", "markdown"), ".markdown": ("markdown", "markdown"),
    ".pdf": ("pdf", "pdf"), ".epub": ("epub", "epub"), ".docx": ("docx", "docx"),
}
TEXT_SUFFIXES = (".txt", ".text")
SUFFIXES = TEXT_SUFFIXES + tuple(READERS)


@frozen_dataclass
class ReadBlock:
    """One block as a reader found it: its kind and where it is."""

    kind: Kind
    start: int  # offsets into the Extract's text
    end: int
    line_start: int  # 1-based lines of the file on disk (of the Extract's text for PDF, EPUB)
    line_end: int
    page_start: str = ""  # the printed page label (PDF)
    page_end: str = ""
    anchor: str = ""  # an element id a link can land on (HTML, EPUB)


@frozen_dataclass
class Extract:
    """A file's words as blocks, the metadata it states, and what went wrong reading it."""

    format: str
    text: str
    blocks: tuple[ReadBlock, ...]
    metadata: dict[str, object] = field(default_factory=dict)  # catalog field names
    metadata_source: str = ""  # e.g. "html meta tags", "pdf info", "front matter"
    warnings: tuple[str, ...] = ()


def format_of(path: Path) -> str:
    """Return the format name for a file's suffix ("text" for anything not listed)."""
    entry = READERS.get(path.suffix.lower())
    return entry[1] if entry else "text"


def read_extract(path: Path, data: bytes) -> Extract:
    """Read a file of a structured format into an Extract (InputError if it is unreadable)."""
    entry = READERS.get(path.suffix.lower())
    if entry is None:
        raise InputError(f"{path}: no reader for {path.suffix or 'files without a suffix'}.")
    module = importlib.import_module(f".{entry[0]}", __name__)
    extract: Extract = module.read(path, data)
    if not any(extract.text[b.start:b.end].strip() for b in extract.blocks):
        reason = extract.warnings[0] if extract.warnings else "no text found in it"
        raise InputError(f"{path}: {reason}; nothing indexed.")
    return extract


class TextBuilder:
    """Assembles an Extract's text block by block, each on the source line it came from.

    A block's words are placed so that the line of any offset in the text is the line of the
    file on disk (the block's own line breaks are kept, other whitespace collapsed), so a
    span found anywhere in a block still reports the line an editor shows.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.line = 1  # the line the text has reached
        self.blocks: list[ReadBlock] = []

    def add(self, words: str, kind: Kind, line: int = 0, tag_line: int = 0, page: str = "",
            page_end: str = "", anchor: str = "") -> None:
        """Add a block; line is where its words start in the file (0: just after the last)."""
        words = repair(_keep_line_breaks(words))
        lead = len(words) - len(words.lstrip())
        line += words[:lead].count("\n") if line else 0
        words = words.strip()
        if not words:
            return
        target = max(line, self.line + 1) if self.parts else max(line, 1)
        separator = "\n" * (target - self.line) if self.parts or target > 1 else ""
        self._append(separator)
        start = self.length
        self._append(words)
        self.line = target + words.count("\n")
        drift = target - line if line else 0  # lines the text runs behind the file here
        self.blocks.append(ReadBlock(kind, start, self.length, tag_line or target - drift,
                                     self.line - drift, page, page_end or page, anchor))

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        """The text assembled so far."""
        return "".join(self.parts)


def _keep_line_breaks(text: str) -> str:
    """Collapse each whitespace run to one space, or to its line breaks if it has any.

    >>> _keep_line_breaks("a \\t b\\n   c\\n\\n d")
    'a b\\nc\\n\\nd'
    """
    return _WHITESPACE.sub(_collapsed, text)


def _collapsed(match: re.Match[str]) -> str:
    return "\n" * match.group().count("\n") or " "


_WHITESPACE = re.compile(r"\s+")
