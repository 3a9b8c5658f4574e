"""The library a Python user opens: `search.open(index_dir)` or `search.build(paths, index_dir)`.

A façade with one method per CLI verb (`search`, `show`/`paragraph`, `docs`/`documents`,
`cite`/`verify`, `check`), each handing the open store to the stage that does the work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import find
from .catalog import ArticleMeta
from .engine.budget import MAX_POSTINGS
from .engine.store import Store, StoredBlock
from .errors import ArticleNotFound, InputError
from .frozen import frozen_dataclass

if TYPE_CHECKING:
    from .catalog_import import ImportReport
    from .check import CheckReport
    from .cite import Citation
    from .engine.report import IndexReport, Progress
    from .quotation import TokenWindows
    from .verify import Match, Verification


@frozen_dataclass
class DocumentInfo:
    """An indexed article with its metadata and how many paragraphs it has."""

    doc_id: str
    meta: ArticleMeta
    paragraphs: int
    blocks: int
    also_in: tuple[str, ...] = ()  # paths of copies of the same text (listed only here)

    def to_dict(self) -> dict:
        """Return the article as one entry of `docs --json`."""
        return {"doc": self.meta.to_dict(self.doc_id), "paragraphs": self.paragraphs,
                "blocks": self.blocks, "also_in": list(self.also_in)}


@frozen_dataclass
class BatchError:
    """A line of a batch that could not be checked, and why."""

    line: int
    quote: str
    message: str

    def to_dict(self) -> dict:
        """Return the error as a `cite --batch --json` line."""
        return {"quote": self.quote, "verdict": "error", "error": self.message, "matches": [],
                "line": self.line}


class Library:
    """An open index: search it, show its articles, check quotations against it."""

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self.store = Store(self.index_dir)
        self.articles: Mapping[str, ArticleMeta] = self.store.articles
        self.vocabulary = self.store.vocabulary
        self._token_windows: TokenWindows | None = None

    def _windows(self) -> TokenWindows:
        """The source tokens quotation checks share, made on the first check (a search never
        needs them)."""
        if self._token_windows is None:
            from .quotation import TokenWindows

            self._token_windows = TokenWindows(self.store.text)
        return self._token_windows

    def close(self) -> None:
        """Release the index files."""
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def search(self, text: str, limit: int = 10, full: bool = False, context: int = 0,
               per_doc: bool = False, feedback: bool = True, vectors: bool = True,
               budget: int = MAX_POSTINGS) -> find.SearchResult:
        """Return the passages best matching a query, ranked, with citations and snippets;
        by meaning as well as words when the index keeps block vectors and `vectors` is true
        (reading at most budget postings: see `SearchResult.work`)."""
        return find.search(self.store, text, limit, full, context, per_doc, feedback,
                           vectors=vectors, budget=budget)

    def blocks(self, doc_id: str) -> list[StoredBlock]:
        """Return every block of an article in reading order."""
        return self.store.blocks(doc_id)

    def text(self, doc_id: str) -> str:
        """Return an article's full text as indexed."""
        return self.store.text(doc_id)

    def neighbours(self, block: StoredBlock, count: int) -> list[StoredBlock]:
        """Return up to count numbered paragraphs on each side of block."""
        return find.neighbours(self.blocks(block.doc_id), block, count)

    def resolve(self, name: str) -> str:
        """Return the doc id named by a file name, a path, an id or a unique prefix of one."""
        key = Path(name).stem if name.endswith((".txt", ".md")) else Path(name).name
        if key in self.articles:
            return key
        matches = sorted(doc_id for doc_id in self.articles if doc_id.startswith(key))
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise InputError(f"{name!r} matches several articles: {', '.join(matches)}.")
        raise ArticleNotFound(f"No indexed article is called {name!r}; "
                              "`seedsearch docs` lists them.")

    def paragraph(self, doc_id: str, number: int) -> StoredBlock:
        """Return paragraph ¶number of an article."""
        parts = [block for block in self.blocks(doc_id) if block.paragraph == number]
        if parts:  # a long paragraph is indexed in parts: give it back whole
            return parts[0] if len(parts) == 1 else joined(parts)
        count = len({block.paragraph for block in self.blocks(doc_id) if block.paragraph})
        raise InputError(f"{doc_id} has paragraphs 1 to {count}; there is no ¶{number}.")

    show = paragraph  # `seedsearch show DOC PARA`

    def citation(self, block: StoredBlock, style: str = "plain") -> str:
        """Return a block's citation in a style (plain, apa, mla, chicago)."""
        return self.cite_block(block, style).in_text

    def cite_block(self, block: StoredBlock, style: str = "plain") -> Citation:
        """Return a block's full Citation object in a style."""
        from .cite import Pinpoint, cite
        from .link import passage_link

        meta = self.articles[block.doc_id]
        pinpoint = Pinpoint(block.paragraph, block.section, meta.path, block.line_start,
                            block.line_end, block.section_paragraph, block.page_start,
                            block.page_end, passage_link(meta.url, block.anchor, block.text))
        return cite(meta, pinpoint, style)

    def cite_article(self, doc_id: str, style: str = "plain") -> Citation:
        """Return the citation of a whole article (no pinpoint) in a style."""
        from .cite import cite

        return cite(self.articles[doc_id], None, style)

    def cite_match(self, match: Match, style: str = "plain") -> Citation:
        """Return the citation of a quotation's source, pinpointed to the matched lines."""
        return match.cite(style)

    def import_catalog(self, path: str | Path) -> ImportReport:
        """Add catalog entries for the indexed articles a reference export (CSL-JSON, BibTeX,
        RIS) describes; the next `build` reads them."""
        from .catalog_import import import_references

        return import_references(Path(path), self.articles, self.store.files)

    def bibliography(self, fmt: str = "csl-json", doc_ids: list[str] | None = None) -> str:
        """Return the indexed (or the named) articles as BibTeX, CSL-JSON or RIS."""
        from .bibliography import export

        chosen = doc_ids if doc_ids is not None else sorted(self.articles)
        return export([self.articles[doc_id] for doc_id in chosen], fmt)

    def verify(self, quotation: str, by: str = "", max_sources: int = 20) -> Verification:
        """Find the best `max_sources` sources of a quotation (ranked; `more_sources` counts
        the further verbatim occurrences) and say whether it was quoted right."""
        from .verify import verify

        return verify(self.store, quotation, by, self._windows(), max_sources)

    cite = verify  # `seedsearch cite QUOTE`

    def verify_batch(self, quotations: Iterable[str | bytes], by: str = "",
                     max_sources: int = 20) -> Iterator[Verification | BatchError]:
        """Check quotations one by one, yielding each verdict as soon as it is ready.

        A quotation that cannot be checked (only common words, too long, bytes that are not
        UTF-8) yields a BatchError with its 1-based line number instead of ending the batch;
        blank lines are skipped.
        """
        from .errors import SearchError
        from .paraphrase import embedder
        from .verify import check_max_sources

        check_max_sources(max_sources)  # before the model loads, not at the first quotation

        # Load the paraphrase model before the first quotation, not inside whichever quotation
        # first reaches the paraphrase stage: a batch pays it once, at start-up.
        embedder()
        for number, raw in enumerate(quotations, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8") \
                    if isinstance(raw, bytes) else raw
            except UnicodeDecodeError as exc:
                yield BatchError(number, raw.decode("utf-8", "replace"),  # type: ignore[union-attr]
                                 f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                                 f"{exc.start + 1}); convert the file, e.g. iconv -t utf-8.")
                continue
            if not line.strip():
                continue
            try:
                yield self.verify(line, by=by, max_sources=max_sources)
            except SearchError as exc:
                yield BatchError(number, line, str(exc))

    def check(self, path: str | Path, max_sources: int = 20) -> CheckReport:
        """Find the quotations in a draft (Markdown or text) and check each one, listing at
        most `max_sources` sources of each."""
        from .check import check_draft

        return check_draft(self.store, path, self._windows(), max_sources)

    def check_text(self, text: str, name: str = "<draft>",
                   max_sources: int = 20) -> CheckReport:
        """Find the quotations in a draft given as text and check each one."""
        from .check import check_text

        return check_text(self.store, text, name, self._windows(), max_sources)

    def references(self, style: str = "apa", doc_ids: list[str] | None = None) -> list[str]:
        """Return the reference-list entries of the indexed (or the named) articles in a style,
        sorted as a reference list is; italics as Markdown."""
        from .cite import reference_list

        chosen = doc_ids if doc_ids is not None else sorted(self.articles)
        return reference_list([self.articles[doc_id] for doc_id in chosen], style)

    def documents(self) -> list[DocumentInfo]:
        """Return the indexed articles with their metadata and paragraph counts, each text
        once: copies of it (the same article saved twice, a reprint) are its `also_in`."""
        infos = []
        for doc_id, meta in sorted(self.articles.items()):
            copies = self.store.copies.get(doc_id, ())
            if copies and min(copies) < doc_id:
                continue  # listed once, under the first copy's id
            blocks = self.blocks(doc_id)
            infos.append(DocumentInfo(doc_id, meta, len({b.paragraph for b in blocks if b.paragraph}),
                                      len(blocks),
                                      tuple(self.articles[other].path for other in copies)))
        return infos

    docs = documents  # `seedsearch docs`


def joined(parts: list[StoredBlock]) -> StoredBlock:
    """One block from the consecutive parts of a long paragraph."""
    first, last = parts[0], parts[-1]
    return replace(first, text=" ".join(part.text for part in parts), line_end=last.line_end,
                   end=last.end)


def open_library(index_dir: str | Path) -> Library:
    """Open the index at index_dir for searching (raises IndexNotFound if there is none)."""
    return Library(index_dir)


def build(paths: list[str | Path], index_dir: str | Path, rebuild: bool = False,
          progress: Progress | None = None, fast: bool = True,
          vectors: bool | None = None) -> IndexReport:
    """Index the articles under paths into index_dir; only new or changed files are read.

    fast=False writes segments with Whoosh's own writer (slower; the fast writer falls back
    to it by itself when the installed Whoosh is not the version it was written for).
    vectors: True keeps a sentence vector per block (ranking by meaning as well as words),
    False drops them, None (default) keeps them when the index has them or is small.
    """
    from .engine.index import build as build_index  # the indexing machinery, only when indexing

    return build_index(paths, index_dir, rebuild=rebuild, progress=progress, fast=fast,
                       vectors=vectors)
