"""The library a Python user opens: `search.open(index_dir)` or `search.build(paths, index_dir)`.

It ties the stages together over one open index: searching passages, showing articles and
paragraphs, listing documents, checking quotations and exporting citations.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import query

from . import analyse, candidates, find, querytext, ranking
from .catalog import ArticleMeta
from .errors import ArticleNotFound, InputError
from .index import (
    DAMAGE_ERRORS,
    IndexReport,
    Progress,
    damaged,
    load_vocabulary,
    meta_from_dict,
    open_whoosh,
)
from .index import build as build_index
from .link import passage_link
from .quotation import Token, read_tokens

if TYPE_CHECKING:
    from .cite import Citation
    from .verify import Match, Verification


@dataclass(frozen=True)
class StoredBlock:
    """A block as stored in the index: enough to cite and show it."""

    doc_id: str
    kind: str
    paragraph: int | None
    section: str
    order: int
    text: str
    line_start: int
    line_end: int
    start: int
    end: int
    page_start: str = ""  # printed page labels (PDF)
    page_end: str = ""
    anchor: str = ""  # the element id a link lands on (HTML)


@dataclass(frozen=True)
class DocumentInfo:
    """An indexed article with its metadata and how many paragraphs it has."""

    doc_id: str
    meta: ArticleMeta
    paragraphs: int
    blocks: int


class Library:
    """An open index: search it, show its articles, check quotations against it."""

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._index = open_whoosh(self.index_dir)
        self._searcher = self._index.searcher(weighting=ranking.KindWeightedBM25F())
        self.vocabulary = load_vocabulary(self.index_dir)
        analyse.preload_stems({word: entry[0] for word, entry in self.vocabulary.items()})
        try:
            self.articles: dict[str, ArticleMeta] = {
                stored["doc_id"]: meta_from_dict(json.loads(stored["data"]))
                for stored in self._searcher.documents(rectype="article")
            }
        except DAMAGE_ERRORS as exc:
            raise damaged(self.index_dir, exc) from exc
        self._texts: dict[str, str] = {}
        # Per-article caches: the index does not change while it is open.
        self._blocks: dict[str, list[StoredBlock]] = {}
        self._tokens: dict[tuple[str, int, int], list[Token]] = {}
        self.stems = {entry[0] for entry in self.vocabulary.values()}

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def search(self, text: str, limit: int = 10, full: bool = False, context: int = 0,
               per_doc: bool = False, feedback: bool = True) -> find.SearchResult:
        """Return the passages best matching a query, ranked, with citations and snippets."""
        if limit < 1:
            raise InputError("--limit must be at least 1.")
        parsed = find.parse_query(text, self._searcher, self.vocabulary)
        limits = {"filter": parsed.filter_query, "mask": find.NOT_BLOCKS}
        stems = find.query_stems(parsed.whoosh_query, self._searcher)
        wanted = parsed.whoosh_query
        if stems and feedback:
            rare = {s for s in querytext.query_word_stems(parsed.searched_for) & stems
                    if ranking.is_rare(self._searcher, s)}
            related = querytext.related_forms(rare, self.stems)
            strict = querytext.has_syntax(parsed.searched_for)
            wanted = ranking.expanded(wanted, [(s, 1.0) for s in related],
                                      ranking.RELATED_FORM_BOOST, strict)
            first, _ = ranking.top(self._searcher, wanted, parsed.proximity,
                                   ranking.EXPANSION_DOCS, **limits)
            terms = ranking.expansion_terms(self._searcher, [f["content"] for _, f in first], stems)
            wanted = ranking.expanded(wanted, terms, strict=strict)
        everything = per_doc or isinstance(wanted, query.Every)  # a filter alone: all tie
        results, total = ranking.top(self._searcher, wanted, parsed.proximity,
                                     None if everything else max(limit, ranking.RERANK_DEPTH),
                                     **limits)
        ranked = ranking.rerank(results)
        hits: list[find.Hit] = []
        seen_docs: set[str] = set()
        for score, stored in ranked:
            if per_doc and stored["doc_id"] in seen_docs:
                continue
            seen_docs.add(stored["doc_id"])
            hits.append(self._hit(len(hits) + 1, score, stored, stems, full, context))
            if len(hits) >= limit:
                break
        return find.SearchResult(text, tuple(hits), parsed.searched_for, tuple(parsed.notes),
                                 parsed.suggestion, total)

    def _hit(self, rank: int, score: float, stored: dict, stems: set[str], full: bool,
             context: int) -> find.Hit:
        block = _stored_block(stored)
        spans = find.highlight_offsets(block.text, stems)
        snippet, inside = (block.text, spans) if full else find.make_snippet(block.text, spans)
        neighbours = tuple(_block_dict(b) for b in self.neighbours(block, context)) if context else ()
        return find.Hit(rank, round(score, 4), self.articles[block.doc_id], block.doc_id,
                        block.paragraph, block.section, block.kind, block.line_start,
                        block.line_end, block.start, block.end, block.order, block.text,
                        snippet, tuple(inside), tuple(spans), neighbours, block.page_start,
                        block.page_end, block.anchor)

    def blocks(self, doc_id: str) -> list[StoredBlock]:
        """Return every block of an article in reading order."""
        if doc_id not in self._blocks:
            # Look up by doc_id alone: intersecting with rectype:block (every block in the
            # index) costs far more than dropping the article's two other records here.
            found = self._searcher.documents(doc_id=doc_id)
            self._blocks[doc_id] = sorted((_stored_block(stored) for stored in found
                                           if stored["rectype"] == "block"),
                                          key=lambda b: b.order)
            _trim(self._blocks)
        return self._blocks[doc_id]

    def tokens(self, doc_id: str, start: int, end: int) -> list[Token]:
        """Return the word tokens of an article between two character offsets.

        Only the span asked for is read (a few paragraphs: well under a millisecond), and
        kept for the next quotation of a batch that looks there again. Tokenising whole
        articles to serve later looks cost more than it saved once the corpus outgrew the
        cache: 50 MB of articles spent most of a quotation's time on it.
        """
        key = (doc_id, start, end)
        if key not in self._tokens:
            self._tokens[key] = read_tokens(self.text(doc_id), start, end)
            _trim(self._tokens, CACHED_WINDOWS)
        return self._tokens[key]

    def neighbours(self, block: StoredBlock, count: int) -> list[StoredBlock]:
        """Return up to count numbered paragraphs on each side of block."""
        paragraphs = [b for b in self.blocks(block.doc_id) if b.paragraph]
        before = [b for b in paragraphs if b.order < block.order][-count:] if count else []
        after = [b for b in paragraphs if b.order > block.order][:count]
        return before + after

    def text(self, doc_id: str) -> str:
        """Return an article's full text as indexed."""
        if doc_id not in self._texts:
            stored = self._searcher.document(rectype="source", doc_id=doc_id)
            self._texts[doc_id] = stored["data"] if stored else ""
            _trim(self._texts)
        return self._texts[doc_id]

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
        for block in self.blocks(doc_id):
            if block.paragraph == number:
                return block
        count = sum(1 for block in self.blocks(doc_id) if block.paragraph)
        raise InputError(f"{doc_id} has paragraphs 1 to {count}; there is no ¶{number}.")

    def citation(self, block: StoredBlock, style: str = "plain") -> str:
        """Return a block's citation in a style (plain, apa, mla, chicago)."""
        return self.cite_block(block, style).in_text

    def cite_block(self, block: StoredBlock, style: str = "plain") -> Citation:
        """Return a block's full Citation object in a style."""
        from .cite import Pinpoint, cite

        meta = self.articles[block.doc_id]
        pinpoint = Pinpoint(block.paragraph, block.section, meta.path, block.line_start,
                            block.line_end, None, block.page_start, block.page_end,
                            passage_link(meta.url, block.anchor, block.text))
        return cite(meta, pinpoint, style)

    def cite_match(self, match: Match, style: str = "plain") -> Citation:
        """Return the citation of a quotation's source, pinpointed to the matched lines."""
        from .cite import Pinpoint, cite

        touched = [b for b in self.blocks(match.doc_id)
                   if b.start < match.end and match.start < b.end] or [None]
        first, last = touched[0], touched[-1]
        anchor = first.anchor if first and len(touched) == 1 else ""
        pinpoint = Pinpoint(match.paragraph, match.section, match.doc.path, match.line_start,
                            match.line_end, None, first.page_start if first else "",
                            last.page_end if last else "",
                            passage_link(match.doc.url, anchor, match.source_text))
        return cite(match.doc, pinpoint, style)

    def bibliography(self, fmt: str = "csl-json", doc_ids: list[str] | None = None) -> str:
        """Return the indexed (or the named) articles as BibTeX, CSL-JSON or RIS."""
        from .bibliography import export

        chosen = doc_ids if doc_ids is not None else sorted(self.articles)
        return export([self.articles[doc_id] for doc_id in chosen], fmt)

    def verbatim_candidates(self, parts: list[list[str]]) -> list[tuple[str, int, float]]:
        """Return (doc_id, block order, score) of blocks holding a quotation verbatim."""
        return candidates.verbatim_blocks(self._searcher, parts)

    def similar_candidates(self, parts: list[list[str]]) -> list[tuple[str, int, float]]:
        """Return (doc_id, block order, score) of blocks sharing a quotation's rare words."""
        return candidates.similar_blocks(self._searcher, parts)

    def frequencies(self, stems: set[str]) -> tuple[dict[str, int], int]:
        """Return how many blocks hold each stem, and how many blocks there are."""
        return candidates.document_frequencies(self._searcher, stems)

    def verify(self, quotation: str, by: str = "") -> Verification:
        """Find every source of a quotation and say whether it was quoted right."""
        from .verify import verify

        return verify(self, quotation, by)

    def speaker(self, match: Match) -> tuple[str, str]:
        """Return who the article attributes a matched span to, and the sentence saying so."""
        from .attribution import attribute

        blocks = self.blocks(match.doc_id)
        index = next((i for i, b in enumerate(blocks) if b.start <= match.start < b.end), None)
        if index is None:
            return "", ""
        text = self.text(match.doc_id)
        home = blocks[index]
        earlier = "\n\n".join(text[b.start:b.end] for b in blocks[max(0, index - 6):index])
        following = text[blocks[index + 1].start:blocks[index + 1].end] \
            if index + 1 < len(blocks) else ""
        end = min(match.end, home.end)
        first_mark = re.search(r'["\u201d]', text[match.start:end])
        if first_mark and first_mark.start() > 0:
            end = match.start + first_mark.start()  # the words before an interruption
        found = attribute(text[home.start:home.end], match.start - home.start,
                          end - home.start, earlier,
                          home.kind == "blockquote", following)
        return found.speaker, found.sentence

    def documents(self) -> list[DocumentInfo]:
        """Return the indexed articles with their metadata and paragraph counts."""
        infos = []
        for doc_id, meta in sorted(self.articles.items()):
            blocks = self.blocks(doc_id)
            infos.append(DocumentInfo(doc_id, meta, sum(1 for b in blocks if b.paragraph),
                                      len(blocks)))
        return infos


CACHED_ARTICLES = 256
CACHED_WINDOWS = 2048


def _trim(cache: dict, most: int = CACHED_ARTICLES) -> None:
    """Keep a cache to its most recent entries."""
    while len(cache) > most:
        cache.pop(next(iter(cache)))


def _stored_block(stored: dict) -> StoredBlock:
    place = json.loads(stored["place"]) if stored.get("place") else ("", "", "")
    return StoredBlock(stored["doc_id"], stored["kind"], stored.get("paragraph") or None,
                       stored.get("section", ""), stored["order"], stored["content"],
                       stored["line_start"], stored["line_end"], stored["start"], stored["end"],
                       *place)


def _block_dict(block: StoredBlock) -> dict:
    return {"paragraph": block.paragraph, "kind": block.kind, "section": block.section,
            "line_start": block.line_start, "line_end": block.line_end, "text": block.text}


def open_library(index_dir: str | Path) -> Library:
    """Open the index at index_dir for searching (raises IndexNotFound if there is none)."""
    return Library(index_dir)


def build(paths: list[str | Path], index_dir: str | Path, rebuild: bool = False,
          progress: Progress | None = None) -> IndexReport:
    """Index the articles under paths into index_dir; only new or changed files are read."""
    return build_index(paths, index_dir, rebuild=rebuild, progress=progress)
