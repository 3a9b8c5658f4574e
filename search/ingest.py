"""Read article files into blocks: classified, repaired, numbered as a reader cites them.

Plain text is read here: a block is a run of non-blank lines (each list item is its own
block), classified by its shape (layout). Web pages, Markdown, PDF, EPUB and Word files are
read by their reader in `search.readers`, which says what each block is. Either way each block
gets a kind (title, byline, heading, body, blockquote, list_item, caption, footnote,
boilerplate, preformatted), its place in the file (1-based lines; the printed page for PDF; an
element id for HTML) and character offsets into the article's text. Body paragraphs, block
quotes and list items are numbered in reading order from the first paragraph of the body: that
number is the ¶ a writer cites. Paragraphs split mid-sentence by a stray blank line are joined.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from . import layout
from .casing import learn_title_case
from .catalog import (
    DATE_PATTERN,
    ArticleMeta,
    find_authors,
    infer_metadata,
    load_catalog,
    meta_from_catalog,
)
from .files import (
    content_hash,
    content_hash_bytes,
    is_text,
    read_bytes,
    read_text,
)
from .frozen import frozen_dataclass
from .kinds import Kind
from .paragraphs import RawBlock, split_blocks
from .readers import Extract, ReadBlock, read_extract
from .sections import section_paragraphs  # noqa: F401  (re-exported: read with the blocks)

MAX_BLOCK_CHARS = 5_000  # a longer block is indexed in parts (`split_long`)


@frozen_dataclass
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
    page_start: str = ""  # the printed page label (PDF), else ""
    page_end: str = ""
    anchor: str = ""  # an element id a link can land on (HTML), else ""


@frozen_dataclass
class Article:
    """An article's metadata, full text and blocks."""

    meta: ArticleMeta
    text: str  # the file's text (for other formats, the words its reader found, block by block)
    content_hash: str
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()  # what its reader could not read, for the indexing report

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        """The numbered blocks, in order."""
        return tuple(block for block in self.blocks if block.paragraph is not None)


def read_article(path: Path, catalog: dict[str, dict] | None = None,
                 shown_as: str | None = None) -> Article:
    """Read one article file, of any format there is a reader for, into classified,
    numbered blocks with its metadata (shown_as: the path citations print)."""
    if is_text(path):
        return parse_article(path, read_text(path), catalog, shown_as)
    data = read_bytes(path)
    return article_from_extract(path, read_extract(path, data), content_hash_bytes(data),
                                catalog, shown_as)


def parse_article(path: Path, text: str, catalog: dict[str, dict] | None = None,
                  shown_as: str | None = None) -> Article:
    """Split an article's text (as `read_text` returns it) into classified, numbered blocks.

    shown_as is the path citations print (default: path as given)."""
    if catalog is None:
        catalog = load_catalog(path.parent)
    entry = catalog.get(path.stem)
    shown = shown_as or str(path)
    meta = meta_from_catalog(path.stem, shown, entry) if entry else None
    titles = (meta.title, meta.subtitle) if meta else ()
    raw_blocks = split_blocks(text)
    kinds = layout.classify(raw_blocks, titles)
    if meta is None:
        meta = _infer(path.stem, shown, raw_blocks, kinds)
    blocks = _number(raw_blocks, kinds, text)
    title = " ".join(filter(None, (meta.title, meta.subtitle)))
    running = (block.text for block in blocks if block.kind.numbered)
    meta = replace(meta, title_case=learn_title_case(title, running))
    return Article(meta, text, content_hash(text), blocks)


def _infer(stem: str, shown: str, raw_blocks: list[RawBlock], kinds: list[Kind]) -> ArticleMeta:
    """Metadata from the text: the headline (the title block nearest above the first byline,
    not a kicker above it), then authors and a date read from the bylines before the title."""
    pairs = list(zip(raw_blocks, kinds, strict=True))
    first_byline = next((i for i, (_, k) in enumerate(pairs) if k == Kind.BYLINE), len(pairs))
    titles = [b.text for b, k in pairs[:first_byline] if k == Kind.TITLE]
    title = titles[-1] if titles else next((b.text for b, k in pairs if k == Kind.TITLE), "")
    front = [line for kind in (Kind.BYLINE, Kind.TITLE) for b, k in pairs if k == kind
             for line in b.lines]
    return infer_metadata(stem, shown, title, front)


def article_from_extract(path: Path, extract: Extract, digest: str,
                         catalog: dict[str, dict] | None = None,
                         shown_as: str | None = None) -> Article:
    """Number and section a reader's blocks and settle the article's metadata: the catalog's
    entry, else what the file states, else what its title and byline blocks show."""
    if catalog is None:
        catalog = load_catalog(path.parent)
    entry = catalog.get(path.stem)
    texts = [" ".join(extract.text[b.start:b.end].split()) for b in extract.blocks]
    titles = tuple(str(entry.get(name, "")) for name in ("title", "subtitle")) if entry else (
        str(extract.metadata.get("title", "")),)
    kinds = _front_matter_kinds(extract.blocks, texts, titles)
    meta = (meta_from_catalog(path.stem, str(path), entry) if entry
            else _document_meta(path, extract, texts, kinds))
    meta = replace(meta, format=extract.format, path=shown_as or str(path))
    sections = _sections(texts, kinds)
    blocks: list[Block] = []
    paragraph = 0
    for order, (read, text, kind) in enumerate(zip(extract.blocks, texts, kinds, strict=True)):
        number = None
        if kind.numbered:
            paragraph += 1
            number = paragraph
        blocks.append(Block(kind, text, read.start, read.end, read.line_start, read.line_end,
                            order, number, sections[order], read.page_start, read.page_end,
                            read.anchor))
    return Article(meta, extract.text, digest, tuple(blocks), extract.warnings)


def _front_matter_kinds(blocks: tuple[ReadBlock, ...], texts: list[str],
                        titles: tuple[str, ...]) -> list[Kind]:
    """A reader's kinds, with the front matter settled: before the body, a heading that is
    the title (or one a paragraph does not follow: a kicker, a subtitle) is a title, and a
    "By X" or dateline paragraph is a byline."""
    kinds = [block.kind for block in blocks]
    wanted = {_letters(title) for title in titles if title}
    for index, text in enumerate(texts):
        if kinds[index].numbered and not layout.looks_like_byline(text, text):
            break
        follows = kinds[index + 1] if index + 1 < len(kinds) else None
        if kinds[index] == Kind.HEADING and (_letters(text) in wanted
                                             or not (follows and follows.numbered)):
            kinds[index] = Kind.TITLE
        elif kinds[index] == Kind.BODY:
            kinds[index] = Kind.BYLINE
    return kinds


def _letters(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())


def _document_meta(path: Path, extract: Extract, texts: list[str],
                   kinds: list[Kind]) -> ArticleMeta:
    fields = dict(extract.metadata)
    if not DATE_PATTERN.match(str(fields.get("date", ""))):
        fields.pop("date", None)
    title = fields.get("title") or next((t for t, k in zip(texts, kinds, strict=True)
                                         if k in (Kind.TITLE, Kind.HEADING)), "")
    if not fields.get("authors"):
        bylines = [t for t, k in zip(texts, kinds, strict=True) if k == Kind.BYLINE]
        fields["authors"] = next((found for line in bylines if (found := find_authors(line))), [])
    if not (extract.metadata and extract.metadata_source):
        return infer_metadata(path.stem, str(path), str(title), bylines_of(texts, kinds))
    meta = meta_from_catalog(path.stem, str(path), {**fields, "title": title})
    note = f"read from the {extract.format} file's {extract.metadata_source}: no catalog entry"
    return replace(meta, source="document", notes=(("source", note),))


def bylines_of(texts: list[str], kinds: list[Kind]) -> list[str]:
    """The byline and title blocks' texts, where an author and date are stated."""
    return [t for t, k in zip(texts, kinds, strict=True) if k in (Kind.BYLINE, Kind.TITLE)]


def _number(raw_blocks: list[RawBlock], kinds: list[Kind], source: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    sections = _sections([raw.text for raw in raw_blocks], kinds)
    paragraph = 0
    for position, (raw, kind) in enumerate(zip(raw_blocks, kinds, strict=True)):
        number = None
        if kind.numbered:
            paragraph += 1
            number = paragraph
        for text, start, end, line_start, line_end in split_long(raw, source):
            blocks.append(Block(kind, text, start, end, line_start, line_end, len(blocks),
                                number, sections[position]))
    return tuple(blocks)


def split_long(raw: RawBlock, source: str,
               most: int = MAX_BLOCK_CHARS) -> list[tuple[str, int, int, int, int]]:
    """Cut a block longer than `most` characters into parts of at most that size, each
    ending at a sentence end where one is near (text, start, end, line_start, line_end).

    A megabyte-long paragraph would otherwise make every search that matches it score,
    highlight and print all of it. The parts keep the block's ¶ number (see `_number`).

    >>> raw = RawBlock(("One two. Three four five.",), 0, 25, 1, 1)
    >>> [part[:3] for part in split_long(raw, raw.lines[0], most=12)]
    [('One two.', 0, 8), ('Three four', 9, 19), ('five.', 20, 25)]
    """
    text = raw.text
    if len(text) <= most:
        return [(text, raw.start, raw.end, raw.line_start, raw.line_end)]
    parts: list[list[str]] = [[]]
    size = 0
    for word in text.split(" "):
        if size and size + 1 + len(word) > most or (
                size > most * 0.7 and parts[-1][-1][-1:] in ".!?" and len(parts[-1]) > 1):
            parts.append([])
            size = 0
        size += (1 if size else 0) + len(word)
        parts[-1].append(word)
    return _placed(parts, raw, source)


def _placed(parts: list[list[str]], raw: RawBlock,
            source: str) -> list[tuple[str, int, int, int, int]]:
    """Find each part's characters and lines in the source (its words appear there in
    order; markup the block dropped sits between them)."""
    starts = []
    cursor = raw.start
    for words in parts:
        found = source.find(words[0], cursor, raw.end)
        start = found if found >= 0 else cursor
        starts.append(start)
        # the part's words and a separator between each fill at least this much source
        cursor = start + sum(len(word) + 1 for word in words)
    placed = []
    line = raw.line_start
    for index, words in enumerate(parts):
        start = starts[index]
        limit = starts[index + 1] if index + 1 < len(parts) else raw.end
        last = source.rfind(words[-1], start, limit)
        end = last + len(words[-1]) if last >= 0 else limit
        first_line = line + source.count("\n", raw.start if index == 0 else starts[index - 1],
                                         start)
        last_line = first_line + source.count("\n", start, end)
        placed.append((" ".join(words), start, end, first_line, last_line))
        line = first_line
    return placed


def _sections(texts: list[str], kinds: list[Kind]) -> list[str]:
    """Return the heading each block falls under (a heading is its own section).

    A heading followed only by a run of block quotes captions that extract (a document
    quoted at length under its own title): it covers the quotes, and the author's paragraphs
    after them go back to the section the extract sits in.
    """
    sections: list[str] = []
    section = ""
    outer: str | None = None  # the section an extract's caption interrupted
    for order, (text, kind) in enumerate(zip(texts, kinds, strict=True)):
        if kind == Kind.HEADING:
            follows = kinds[order + 1] if order + 1 < len(kinds) else None
            outer = section if follows == Kind.BLOCKQUOTE else None
            section = text
        elif kind.numbered and kind != Kind.BLOCKQUOTE and outer is not None:
            section, outer = outer, None
        sections.append(section)
    return sections
