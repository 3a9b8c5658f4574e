"""The read side of the index: everything the rest of the package learns from Whoosh.

`Store` hands out plain data (articles, blocks, texts, vocabulary, frequencies) and runs
the probes that searching and quotation checking need (parse a query, the top-k, verbatim
and similar candidate blocks). Callers never see a Whoosh object except as an opaque query
handle, so the faster query path can replace what is behind these methods.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from whoosh import query

from .. import analyse, querytext
from ..catalog import ArticleMeta
from ..duplicates import copies
from ..ingest import section_paragraphs
from . import budget, candidates, ranking, stats
from .index import DAMAGE_ERRORS, damaged, open_whoosh, tidy
from .query import NOT_BLOCKS, ParsedQuery, parse_query, query_stems
from .records import meta_from_json

CACHED_ARTICLES = 256


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
    section_paragraph: int | None = None  # the ¶ counted from its section's heading
    page_start: str = ""  # printed page labels (PDF)
    page_end: str = ""
    anchor: str = ""  # the element id a link lands on (HTML)

    def to_dict(self) -> dict:
        """Return the block as plain data (the JSON of `show`)."""
        return {"doc_id": self.doc_id, "kind": self.kind, "paragraph": self.paragraph,
                "section": self.section, "section_paragraph": self.section_paragraph,
                "order": self.order, "text": self.text,
                "line_start": self.line_start, "line_end": self.line_end,
                "start": self.start, "end": self.end, "page_start": self.page_start or None,
                "page_end": self.page_end or None}


Ranked = list[tuple[float, StoredBlock]]


class Store:
    """An open index, read-only: articles, blocks, texts and the probes over them."""

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        tidy(self.index_dir)
        self._index = open_whoosh(self.index_dir)
        try:  # collection statistics of live blocks only, as a clean build would count
            self._searcher, self.vocabulary = stats.open_searcher(
                self._index, ranking.KindWeightedBM25F())
        except DAMAGE_ERRORS as exc:
            raise damaged(self.index_dir, exc) from exc
        analyse.preload_stems({word: entry[0] for word, entry in self.vocabulary.items()})
        try:
            records = [(stored.get("doc_id"), stored.get("data"), stored.get("sketch"),
                        stored.get("path"))
                       for stored in self._searcher.documents(rectype="article")]
        except DAMAGE_ERRORS as exc:
            raise damaged(self.index_dir, exc) from exc
        try:
            self.articles: dict[str, ArticleMeta] = {
                str(doc_id): meta_from_json(str(data)) for doc_id, data, _, _ in records}
            # Each article's file on disk (its resolved path; `meta.path` is as cited).
            self.files: dict[str, str] = {str(doc_id): str(path) for doc_id, _, _, path in records}
            # Each article with copies elsewhere in the corpus -> those copies' ids.
            self.copies = copies({str(doc_id): json.loads(body or "[]")
                                  for doc_id, _, body, _ in records})
        except ValueError as exc:
            raise damaged(self.index_dir, exc) from exc
        self.stems = {entry[0] for entry in self.vocabulary.values()}
        # Per-article caches: the index does not change while it is open.
        self._texts: dict[str, str] = {}
        self._blocks: dict[str, list[StoredBlock]] = {}

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()

    def blocks(self, doc_id: str) -> list[StoredBlock]:
        """Return every block of an article in reading order."""
        if doc_id not in self._blocks:
            # Look up by doc_id alone: intersecting with rectype:block (every block in the
            # index) costs far more than dropping the article's two other records here.
            found = self._searcher.documents(doc_id=doc_id)
            ordered = sorted((stored_block(stored) for stored in found
                              if stored["rectype"] == "block"), key=lambda b: b.order)
            self._blocks[doc_id] = [
                replace(block, section_paragraph=number) if number else block
                for block, number in zip(ordered, section_paragraphs(ordered), strict=True)]
            trim(self._blocks)
        return self._blocks[doc_id]

    def text(self, doc_id: str) -> str:
        """Return an article's full text as indexed."""
        if doc_id not in self._texts:
            stored = self._searcher.document(rectype="source", doc_id=doc_id)
            self._texts[doc_id] = stored["data"] if stored else ""
            trim(self._texts)
        return self._texts[doc_id]

    def verbatim_blocks(self, parts: list[list[str]]) -> list[tuple[str, int, float]]:
        """Return (doc_id, block order, score) of blocks holding a quotation verbatim."""
        return candidates.verbatim_blocks(self._searcher, parts)

    def similar_blocks(self, parts: list[list[str]]) -> list[tuple[str, int, float]]:
        """Return (doc_id, block order, score) of blocks sharing a quotation's rare words."""
        return candidates.similar_blocks(self._searcher, parts)

    def frequencies(self, stems: set[str]) -> tuple[dict[str, int], int]:
        """Return how many blocks hold each stem, and how many blocks there are."""
        return candidates.document_frequencies(self._searcher, stems)

    def parse(self, text: str) -> ParsedQuery:
        """Read a user's query (spelling, filters, syntax fallback) into a ranked query."""
        return parse_query(text, self._searcher, self.vocabulary)

    def query_stems(self, parsed: ParsedQuery) -> set[str]:
        """Return the content stems a query matched (wildcards and fuzzy terms expanded)."""
        return query_stems(parsed.whoosh_query, self._searcher)

    def with_feedback(self, parsed: ParsedQuery, stems: set[str]) -> query.Query:
        """Return the ranked query widened by related word forms and pseudo-relevance feedback."""
        searcher = self._searcher
        rare = {s for s in querytext.query_word_stems(parsed.searched_for) & stems
                if ranking.is_rare(searcher, s)}
        related = querytext.related_forms(rare, self.stems)
        strict = querytext.has_syntax(parsed.searched_for)
        wanted = ranking.expanded(parsed.whoosh_query, [(s, 1.0) for s in related],
                                  ranking.RELATED_FORM_BOOST, strict)
        first, _ = stable_top(searcher, wanted, parsed.proximity, ranking.EXPANSION_DOCS,
                              **self._limits(parsed))
        terms = ranking.expansion_terms(searcher, [f["content"] for _, f in first], stems)
        return ranking.expanded(wanted, terms, strict=strict)

    def top(self, parsed: ParsedQuery, wanted: query.Query, limit: int | None) -> tuple[Ranked, int]:
        """Return the best (score, block) for a query with its proximity bonus, best first,
        and how many passages match; limit None ranks every match."""
        results, total = stable_top(self._searcher, wanted, parsed.proximity, limit,
                                    **self._limits(parsed))
        return [(score, stored_block(stored)) for score, stored in results], total

    def cost(self, wanted: query.Query | None) -> int:
        """Return the postings searching wanted reads (see `engine.budget`)."""
        return budget.cost(self._searcher, wanted)

    def within_budget(self, wanted: query.Query, most: int, notes: list[str]) -> query.Query:
        """Return wanted without its commonest words if searching it would read more than
        most postings (noted)."""
        return budget.within(self._searcher, wanted, most, notes)

    def block_count(self) -> int:
        """Return how many blocks the index holds."""
        return self._searcher.doc_frequency("rectype", "block")

    @staticmethod
    def _limits(parsed: ParsedQuery) -> dict:
        return {"filter": parsed.filter_query, "mask": NOT_BLOCKS}


TIE_MARGIN = 50  # hits read past the limit so that ties at the cut are settled by article order


def stable_top(searcher, wanted: query.Query, bonus: list[query.Query], limit: int | None,
               **limits) -> tuple[list[tuple[float, dict]], int]:
    """`ranking.top` with equal scores in article and block order rather than in Whoosh's
    document numbers (which follow the order articles were indexed in), so an updated index
    ranks exactly like a clean build of the same files."""
    results, total = ranking.top(searcher, wanted, bonus,
                                 None if limit is None else limit + TIE_MARGIN, **limits)
    results.sort(key=lambda item: (-item[0], item[1]["doc_id"], item[1]["order"]))
    return (results if limit is None else results[:limit]), total


def trim(cache: dict, most: int = CACHED_ARTICLES) -> None:
    """Keep a cache to its most recent entries."""
    while len(cache) > most:
        cache.pop(next(iter(cache)))


def stored_block(stored: dict) -> StoredBlock:
    """Return a block record's stored fields as a StoredBlock."""
    page_start, page_end, anchor = json.loads(stored["place"]) if stored.get("place") else (
        "", "", "")
    return StoredBlock(stored["doc_id"], stored["kind"], stored.get("paragraph") or None,
                       stored.get("section", ""), stored["order"], stored["content"],
                       stored["line_start"], stored["line_end"], stored["start"], stored["end"],
                       page_start=page_start, page_end=page_end, anchor=anchor)

