"""Read article files into blocks: classified, repaired, numbered as a reader cites them.

A block is a run of non-blank lines (each list item is its own block). Each block gets a kind
(title, byline, heading, body, blockquote, list_item, caption, footnote, boilerplate), exact
1-based line spans and character offsets into the source file. Body paragraphs, block quotes
and list items are numbered in reading order from the first paragraph of the body: that number
is the ¶ a writer cites. Paragraphs split mid-sentence by a stray blank line are joined.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from . import layout
from .casing import learn_title_case
from .catalog import ArticleMeta, infer_metadata, load_catalog, meta_from_catalog
from .errors import InputError
from .layout import Kind
from .paragraphs import RawBlock, split_blocks

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text")
MAX_ARTICLE_BYTES = 50_000_000


@dataclass(frozen=True)
class Block:
    """One block of an article and where it sits in the source file."""

    kind: Kind
    text: str  # source[start:end] with whitespace runs collapsed to one space
    start: int  # character offsets into the article's text
    end: int
    line_start: int  # 1-based, inclusive
    line_end: int
    order: int  # position among the article's blocks, from 0
    paragraph: int | None  # the ¶ number for numbered kinds, else None
    section: str  # the heading the block falls under ("" before the first heading)


@dataclass(frozen=True)
class Article:
    """An article's metadata, full text and blocks."""

    meta: ArticleMeta
    text: str
    content_hash: str
    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        """The numbered blocks, in order."""
        return tuple(block for block in self.blocks if block.paragraph is not None)


def read_text(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """Return a file's text, refusing binary, non-UTF-8 and empty files with a clear message."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} is a directory; give a file.") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror}).") from exc
    if len(data) > max_bytes:
        raise InputError(f"{path} is larger than {max_bytes // 1_000_000} MB; split it.")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path} looks binary, not text; give a UTF-8 text file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"convert it, e.g. iconv -f cp1252 -t utf-8."
        ) from exc
    if not text.strip():
        raise InputError(f"{path} is empty.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    """Return a short, stable hash of an article's text (used to skip unchanged files)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def find_article_files(paths: list[Path]) -> list[Path]:
    """Return the article files named by paths (files as given, folders searched for text)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder.")
    return found


def read_article(path: Path, catalog: dict[str, dict] | None = None) -> Article:
    """Read one article file into classified, numbered blocks with its metadata."""
    return parse_article(path, read_text(path), catalog)


def parse_article(path: Path, text: str, catalog: dict[str, dict] | None = None) -> Article:
    """Split an article's text (as `read_text` returns it) into classified, numbered blocks."""
    if catalog is None:
        catalog = load_catalog(path.parent)
    entry = catalog.get(path.stem)
    meta = meta_from_catalog(path.stem, str(path), entry) if entry else None
    titles = (meta.title, meta.subtitle) if meta else ()
    raw_blocks = split_blocks(text)
    kinds = layout.classify(raw_blocks, titles)
    if meta is None:
        meta = _infer(path, raw_blocks, kinds)
    blocks = _number(raw_blocks, kinds)
    title = " ".join(filter(None, (meta.title, meta.subtitle)))
    running = (block.text for block in blocks if block.kind.numbered)
    meta = replace(meta, title_case=learn_title_case(title, running))
    return Article(meta, text, content_hash(text), blocks)


def _infer(path: Path, raw_blocks: list[RawBlock], kinds: list[Kind]) -> ArticleMeta:
    """Metadata from the text: the headline (the title block nearest above the first byline,
    not a kicker above it), then authors and a date read from the bylines before the title."""
    pairs = list(zip(raw_blocks, kinds, strict=True))
    first_byline = next((i for i, (_, k) in enumerate(pairs) if k == Kind.BYLINE), len(pairs))
    titles = [b.text for b, k in pairs[:first_byline] if k == Kind.TITLE]
    title = titles[-1] if titles else next((b.text for b, k in pairs if k == Kind.TITLE), "")
    front = [line for kind in (Kind.BYLINE, Kind.TITLE) for b, k in pairs if k == kind
             for line in b.lines]
    return infer_metadata(path.stem, str(path), title, front)


def _number(raw_blocks: list[RawBlock], kinds: list[Kind]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    sections = _sections(raw_blocks, kinds)
    paragraph = 0
    for order, (raw, kind) in enumerate(zip(raw_blocks, kinds, strict=True)):
        number = None
        if kind.numbered:
            paragraph += 1
            number = paragraph
        blocks.append(Block(kind, raw.text, raw.start, raw.end, raw.line_start, raw.line_end,
                            order, number, sections[order]))
    return tuple(blocks)


def _sections(raw_blocks: list[RawBlock], kinds: list[Kind]) -> list[str]:
    """Return the heading each block falls under (a heading is its own section).

    A heading followed only by a run of block quotes captions that extract (a document
    quoted at length under its own title): it covers the quotes, and the author's paragraphs
    after them go back to the section the extract sits in.
    """
    sections: list[str] = []
    section = ""
    outer: str | None = None  # the section an extract's caption interrupted
    for order, (raw, kind) in enumerate(zip(raw_blocks, kinds, strict=True)):
        if kind == Kind.HEADING:
            follows = kinds[order + 1] if order + 1 < len(kinds) else None
            outer = section if follows == Kind.BLOCKQUOTE else None
            section = raw.text
        elif kind.numbered and kind != Kind.BLOCKQUOTE and outer is not None:
            section, outer = outer, None
        sections.append(section)
    return sections


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
