"""Searching passages: the one place a query becomes ranked hits.

parse (spelling, filters, syntax fallback) -> first stage (BM25F by block kind with a
proximity bonus, widened by related forms and feedback) -> second stage (neighbour support)
-> hits with snippets, highlights and citations. The engine does the Whoosh work; this module
decides the order of the steps and builds the result objects.
"""

from __future__ import annotations

import re
from dataclasses import field, replace
from typing import TYPE_CHECKING

from . import acronyms, hybrid, phrasing, querytext
from .analyse import fold, stem, stem_spans, text_stems
from .catalog import ArticleMeta
from .duplicates import PassageFolder
from .engine import ranking
from .engine.budget import MAX_POSTINGS, Work
from .engine.query import ParsedQuery
from .engine.store import Store, StoredBlock
from .errors import InputError
from .frozen import frozen_dataclass
from .kinds import KIND_WEIGHT, Kind

SNIPPET_WORDS = 36

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import numpy as np  # type: ignore[import-not-found, unused-ignore]

    from .cite import Citation, Pinpoint


def search(store: Store, text: str, limit: int = 10, full: bool = False, context: int = 0,
           per_doc: bool = False, feedback: bool = True, vectors: bool = True,
           budget: int = MAX_POSTINGS) -> SearchResult:
    """Return the passages best matching a query, ranked, with citations and snippets.

    Ranked by words and, when the index keeps block vectors and `vectors` is true, by meaning
    too (hybrid.py); each hit says which signals ranked it in `why`. budget caps the postings
    the search reads (never below twice the number of blocks, so one word always fits);
    `SearchResult.work` says what it read.
    """
    if limit < 1:
        raise InputError("--limit must be at least 1.")
    typed = _bridged(store, phrasing.as_typed(text))
    parsed = store.parse(typed.words)
    work = Work(budget=max(budget, 2 * store.block_count()),
                expansions=parsed.expansions, scanned_terms=parsed.scanned_terms)
    notes = list(parsed.notes) + list(typed.notes)
    wanted, feedback_stems = _within_budget(store, parsed, typed, feedback, work, notes)
    stems = store.query_stems(parsed)
    everything = per_doc or parsed.filter_only
    depth = None if everything else max(limit, ranking.RERANK_DEPTH)
    query_vector = _query_vector(store, parsed) if vectors and not everything else None
    block_vectors = store.block_vectors() if query_vector is not None else None
    open_ended = parsed.filter_query is None and not querytext.has_syntax(parsed.searched_for)
    nearest = hybrid.nearest(query_vector, block_vectors) if open_ended else []
    leaders = tuple(store.block_at(key).text for key in nearest[:hybrid.FEEDBACK_NEAREST]
                    ) if feedback_stems else ()
    results, total, proximity = store.top(parsed, wanted, depth, feedback_stems, leaders)
    reranked = ranking.rerank(results)
    ranked: Iterable[tuple[float, tuple[str, int], hybrid.Why]]
    if query_vector is None or block_vectors is None:  # words alone: made as far as read
        ranked = hybrid.by_words(((score, (block.doc_id, block.order)) for score, block in reranked),
                                 proximity)
    else:
        lexical = [hybrid.Candidate((block.doc_id, block.order), score,
                                    proximity.get((block.doc_id, block.order), 0.0),
                                    KIND_WEIGHT.get(Kind(block.kind), 1.0))
                   for score, block in reranked]
        ranked = hybrid.blend(lexical, query_vector, block_vectors,
                              lambda key: _kind_weight(store, key), nearest)
    hits: list[Hit] = []
    seen_docs: set[str] = set()
    folded = PassageFolder(store.copies, store.articles)
    for position, (score, key, why) in enumerate(ranked):
        if len(hits) >= limit and (not store.copies or position >= ranking.RERANK_DEPTH):
            break  # past the limit, only the first results tell where else a hit's passage is
        block = store.block_at(key)
        if folded.seen(block.doc_id, block.text) or len(hits) >= limit:
            continue
        if per_doc and block.doc_id in seen_docs:
            continue
        seen_docs.update((block.doc_id, *store.copies.get(block.doc_id, ())))
        hits.append(_hit(store, len(hits) + 1, score, block, why, stems, full, context))
    hits = [replace(hit, also_in=folded.also_in(hit.doc_id, hit.text)) for hit in hits]
    return SearchResult(text, tuple(hits), parsed.searched_for, tuple(notes),
                        parsed.suggestion, total, work)


def _within_budget(store: Store, parsed: ParsedQuery, typed: phrasing.TypedQuery, feedback: bool,
                   work: Work, notes: list[str]) -> tuple[object, set[str]]:
    """Fit the search into its work budget and return the query to rank by and the stems
    for the feedback stage (none: skipped): the commonest words left out if need be, then
    the proximity bonus and the feedback stage skipped when what is left cannot pay for
    them (each noted); count the postings read. Feedback re-scores only the first stage's
    pool, but the related forms it adds are read there."""
    limit = work.budget - store.cost(parsed.filter_query)
    ranked = store.within_budget(parsed.whoosh_query, limit, notes)
    if ranked is not parsed.whoosh_query:
        parsed.whoosh_query, work.over_budget = ranked, True
    stage = store.cost(ranked) + store.cost(parsed.filter_query)
    bonus = sum(store.cost(near) for near in parsed.proximity)
    if parsed.proximity and stage + bonus > work.budget:
        parsed.proximity, bonus, work.over_budget = [], 0, True
        notes.append("Left out the bonus for query words standing together, to stay within "
                     "the work budget.")
    stage += bonus
    stems = store.query_stems(parsed) if feedback else set()
    if not stems or 2 * stage > work.budget:
        work.spend(stage)
        return parsed.whoosh_query, set()
    wanted = store.with_feedback(parsed, stems, _name_families(store, parsed, stems), typed.extra)
    final = store.cost(wanted) + bonus + store.cost(parsed.filter_query)
    if stage + final > work.budget:
        wanted, final = parsed.whoosh_query, stage
    work.spend(stage + final)
    return wanted, stems


def _bridged(store: Store, typed: phrasing.TypedQuery) -> phrasing.TypedQuery:
    """Return the typed query searching also for the other form of each acronym the articles
    define ("NEP" and "New Economic Policy"), its words as heavy as the query's own."""
    pairs = acronyms.bridges(typed.words, lambda word: word in store.vocabulary,
                             lambda word: store.first_mentions(stem(word)),
                             lambda word: _is_rare(store, word))
    if not pairs:
        return typed
    extra = tuple((stemmed, 1.0) for _, other in pairs for stemmed in text_stems(other, content=True))
    notes = tuple(f"Also searched for {other!r}, which the articles use for {typed_form!r}."
                  for typed_form, other in pairs)
    return replace(typed, extra=typed.extra + extra, notes=typed.notes + notes)


def _is_rare(store: Store, word: str) -> bool:
    """True for a word that some blocks hold, and at most ranking.RARE_SHARE of them."""
    frequencies, total = store.frequencies({stem(word)})
    return 0 < frequencies.get(stem(word), 0) <= ranking.RARE_SHARE * total


def _name_families(store: Store, parsed: ParsedQuery, stems: set[str]) -> set[str]:
    """Stems of indexed words of the same name as a rare query word (Trotskyist → Trotsky)."""
    rare = store.rare_stems(parsed, stems)
    found: set[str] = set()
    for word in querytext.plain_terms(parsed.searched_for):
        if stem(fold(word)) in rare:
            found |= {store.vocabulary[other][0]
                      for other in phrasing.name_family(word, store.vocabulary)}
    return found


def _kind_weight(store: Store, key: tuple[str, int]) -> float:
    """Return how much a block's kind counts, from its vector's record when it keeps the kind
    (reading the block would read its whole article's stored fields: ~1.5 ms a block)."""
    vectors = store.block_vectors()
    kind = vectors.kind_of(key) if vectors is not None else None
    return KIND_WEIGHT.get(Kind(kind), 1.0) if kind else store.kind_weight(key)


def _query_vector(store: Store, parsed: ParsedQuery) -> np.ndarray | None:
    """Return the query's sentence vector, or None when the index keeps no block vectors."""
    words = querytext.plain_words(parsed.searched_for)
    if store.block_vectors() is None or not words:
        return None
    from .embed import shared_embedder  # the model's machinery, only for an index with vectors

    model = shared_embedder()
    return model.embed([words])[0] if model is not None else None


def _hit(store: Store, rank: int, score: float, block: StoredBlock, why: hybrid.Why,
         stems: set[str], full: bool, context: int) -> Hit:
    spans = highlight_offsets(block.text, stems)
    snippet, inside = (block.text, spans) if full else make_snippet(block.text, spans)
    around = tuple(_neighbour_dict(b) for b in neighbours(store.blocks(block.doc_id), block,
                                                           context)) if context else ()
    return Hit(rank, round(score, 4), store.articles[block.doc_id], block.doc_id,
               block.paragraph, block.section, block.kind, block.line_start,
               block.line_end, block.start, block.end, block.order, block.text,
               snippet, tuple(inside), tuple(spans), around, block.section_paragraph,
               why.to_dict(), block.page_start, block.page_end, block.anchor)


def neighbours(blocks: list[StoredBlock], block: StoredBlock, count: int) -> list[StoredBlock]:
    """Return up to count numbered paragraphs on each side of block, from its article's blocks."""
    paragraphs = [b for b in blocks if b.paragraph]
    before = [b for b in paragraphs if b.order < block.order][-count:] if count else []
    after = [b for b in paragraphs if b.order > block.order][:count]
    return before + after


def _neighbour_dict(block: StoredBlock) -> dict:
    return {"paragraph": block.paragraph, "kind": block.kind, "section": block.section,
            "line_start": block.line_start, "line_end": block.line_end, "text": block.text}


@frozen_dataclass
class Hit:
    """One ranked passage with everything needed to cite it."""

    rank: int
    score: float
    doc: ArticleMeta
    doc_id: str
    paragraph: int | None
    section: str
    kind: str
    line_start: int
    line_end: int
    start: int
    end: int
    order: int
    text: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # offsets into snippet
    text_highlights: tuple[tuple[int, int], ...]  # offsets into text
    context: tuple[dict, ...] = ()  # neighbouring blocks when asked for
    section_paragraph: int | None = None  # the ¶ counted from its section's heading
    why: dict = field(default_factory=dict)  # the signals that ranked it: bm25, semantic, proximity
    page_start: str = ""  # printed page labels (PDF)
    page_end: str = ""
    anchor: str = ""  # the element id a link lands on (HTML)
    also_in: tuple[str, ...] = ()  # paths of other copies of the article holding the passage

    @property
    def location(self) -> str:
        """file:line_start-line_end, as an editor opens it."""
        return f"{self.doc.path}:{self.line_start}-{self.line_end}"

    @property
    def pinpoint(self) -> Pinpoint:
        """Where the passage sits: ¶, section, file and lines."""
        from .cite import Pinpoint
        from .link import passage_link

        return Pinpoint(self.paragraph, self.section, self.doc.path, self.line_start,
                        self.line_end, self.section_paragraph, self.page_start,
                        self.page_end, passage_link(self.doc.url, self.anchor, self.text))

    @property
    def citation(self) -> str:
        """The plain one-line citation: author, title, publication, date, ¶, file:line."""
        from .cite import cite

        return cite(self.doc, self.pinpoint, "plain").in_text

    def cite(self, style: str = "plain") -> Citation:
        """Return the passage's citation in a style: plain, apa, mla, chicago."""
        from .cite import cite

        return cite(self.doc, self.pinpoint, style)

    def to_dict(self, style: str = "plain") -> dict:
        """Return the hit as the JSON contract spells it, cited in a style."""
        from .cite import unmark

        cited = self.cite(style)
        return {"rank": self.rank, "score": self.score, "doc": self.doc.to_dict(self.doc_id),
                "paragraph": self.paragraph, "section": self.section,
                "section_paragraph": self.section_paragraph, "kind": self.kind,
                "line_start": self.line_start, "line_end": self.line_end, "text": self.text,
                "snippet": self.snippet, "highlights": [list(span) for span in self.highlights],
                "text_highlights": [list(span) for span in self.text_highlights],
                "citation": unmark(cited.in_text), "cited": cited.to_dict(),
                "location": self.location, "context": list(self.context), "why": self.why,
                **cited.place(), "also_in": list(self.also_in)}


@frozen_dataclass
class SearchResult:
    """The hits for a query and what the engine did to the query on the way."""

    query: str
    hits: tuple[Hit, ...]
    searched_for: str  # the query actually run, after spelling correction or fallback
    notes: tuple[str, ...] = ()
    suggestion: str = ""  # "did you mean" form of the query, "" when none
    total: int = 0
    work: Work = field(default_factory=Work)  # what the search read, against its budget

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def to_dict(self, style: str = "plain") -> dict:
        """Return the result as the `search --json` object."""
        return {"query": self.query, "searched_for": self.searched_for,
                "notes": list(self.notes), "suggestion": self.suggestion or None,
                "total": self.total, "hits": [hit.to_dict(style) for hit in self.hits],
                "work": self.work.to_dict()}


def highlight_offsets(text: str, stems: set[str]) -> list[tuple[int, int]]:
    """Return the (start, end) of each word in text whose stem is among stems."""
    return stem_spans(text, stems)


def make_snippet(text: str, spans: list[tuple[int, int]],
                 words: int = SNIPPET_WORDS) -> tuple[str, list[tuple[int, int]]]:
    """Return a window of text around the densest run of matches, and offsets within it."""
    word_spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    if len(word_spans) <= words:
        return text, spans
    starts = [start for start, _ in spans] or [0]
    best_index, best_count = 0, -1
    for first in range(0, len(word_spans) - words + 1):
        low, high = word_spans[first][0], word_spans[first + words - 1][1]
        count = sum(low <= s < high for s in starts)
        if count > best_count:
            best_index, best_count = first, count
    low = word_spans[best_index][0]
    high = word_spans[best_index + words - 1][1]
    prefix = "…" if low > 0 else ""
    suffix = "…" if high < len(text) else ""
    inside = [(s - low + len(prefix), e - low + len(prefix)) for s, e in spans
              if s >= low and e <= high]
    return prefix + text[low:high] + suffix, inside


