"""The read side of the index: everything the rest of the package learns from Whoosh.

`Store` hands out plain data (articles, blocks, texts, vocabulary, frequencies) and runs
the probes that searching and quotation checking need (parse a query, the top-k, verbatim
and similar candidate blocks). Callers never see a Whoosh object except as an opaque query
handle, so the faster query path can replace what is behind these methods.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from whoosh import query

from .. import analyse, querytext
from ..catalog import ArticleMeta
from ..duplicates import copies
from ..frozen import frozen_dataclass
from ..kinds import KIND_WEIGHT, Kind
from . import budget, definitions, mapped, pool, ranking, stats, topk
from .articles import Articles
from .copygroups import open_copies
from .lexicon import StemTable, open_lexicon
from .opening import DAMAGE_ERRORS, damaged, open_whoosh, tidy
from .query import ParsedQuery, not_blocks, parse_query, query_stems
from .rows import record_reader, stored_run
from .skeleton import rebuild

if TYPE_CHECKING:
    from ..vectors import BlockVectors

CACHED_ARTICLES = 256
# Block records kept once read: a quotation check reads its candidates' records to place them,
# then again (and their neighbours) to align them; two reads in three were repeats.
CACHED_BLOCKS = 512
TIE_MARGIN = 50  # pooled passages read past the limit so that ties at the cut follow article order
WIDEN_POSTINGS = 5_000  # feedback terms of a narrow query in more blocks than this only re-rank


@frozen_dataclass
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
Key = tuple[str, int]  # (doc_id, block order)


class Store:
    """An open index, read-only: articles, blocks, texts and the probes over them."""

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        tidy(self.index_dir)
        mapped.use_views()  # read segments in place, not copied whole (engine/mapped.py)
        self._index = open_whoosh(self.index_dir)
        try:  # collection statistics of live blocks only, as a clean build would count
            self._searcher, generation = stats.open_live_searcher(
                self._index, ranking.KindWeightedBM25F())
        except DAMAGE_ERRORS as exc:
            raise damaged(self.index_dir, exc) from exc
        self.vocabulary = open_lexicon(self.index_dir, generation, fallback=lambda: (
            stats.load_vocabulary(self.index_dir, generation)
            or stats.vocabulary_of_index(self._searcher)))
        self._live_generation = generation  # the one its derived files are named after
        # The Whoosh commit this store reads: block vectors must be of the same one.
        self.generation = int(self._index.latest_generation())
        analyse.preload_stems(StemTable(self.vocabulary))
        self.articles: Mapping[str, ArticleMeta] = Articles(
            self._searcher, self.index_dir, lambda doc_id: self._record(doc_id, -2, "article"))
        # Per-article caches: the index does not change while it is open.
        self._texts: dict[str, str] = {}
        self._blocks: dict[str, list[StoredBlock]] = {}
        self._first_block: dict[str, int] = {}  # article -> its block 0's docnum, once seen
        self._block_records: dict[int, dict] = {}  # docnum -> stored fields, recent blocks
        self._vectors: list[BlockVectors | None] | None = None  # [vectors] once looked for
        self._ranked: dict[Key, StoredBlock] = {}  # the blocks the last `top` read

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()

    @cached_property
    def files(self) -> dict[str, str]:
        """Each article's file on disk (its resolved path; `meta.path` is as cited)."""
        return {doc_id: path for doc_id, (path, _) in self._article_extras.items()}

    @cached_property
    def copies(self) -> dict[str, tuple[str, ...]]:
        """Each article with copies elsewhere in the corpus -> those copies' ids (grouped
        when the index was written; regrouped here for an index of an older version)."""
        found = open_copies(self.index_dir, self._live_generation)
        if found is not None:
            return found.as_dict()
        try:
            return copies({doc_id: json.loads(body or "[]")
                           for doc_id, (_, body) in self._article_extras.items()})
        except ValueError as exc:
            raise damaged(self.index_dir, exc) from exc

    @cached_property
    def _article_extras(self) -> dict[str, tuple[str, str]]:
        """(file path, duplicate sketch) of every article, read once when first needed."""
        try:
            return {str(stored.get("doc_id")): (str(stored.get("path")), stored.get("sketch") or "")
                    for stored in self._searcher.documents(rectype="article")}
        except DAMAGE_ERRORS as exc:
            raise damaged(self.index_dir, exc) from exc

    def blocks(self, doc_id: str) -> list[StoredBlock]:
        """Return every block of an article in reading order."""
        if doc_id not in self._blocks:
            # Look up by doc_id alone: intersecting with rectype:block (every block in the
            # index) costs far more than leaving out the article's two other records, whose
            # docnums are known (`not_blocks`), unread: one of them is the whole text.
            searcher = self._searcher
            others = not_blocks(searcher)
            found = (searcher.stored_fields(docnum)
                     for docnum in searcher.document_numbers(doc_id=doc_id) if docnum not in others)
            self._blocks[doc_id] = sorted((stored_block(stored) for stored in found
                                           if "block" in stored), key=lambda b: b.order)
            trim(self._blocks)
        return self._blocks[doc_id]

    def text(self, doc_id: str) -> str:
        """Return an article's full text as indexed (put back together from its blocks and
        the rest, `skeleton.py`, unless it was stored whole)."""
        if doc_id not in self._texts:
            stored = self._record(doc_id, -1, "source") or \
                self._searcher.document(rectype="source", doc_id=doc_id)
            data = stored["data"] if stored else ""
            if not isinstance(data, str):
                try:
                    data = rebuild(data, self._block_texts(doc_id, len(data[0]) - 1))
                except (ValueError, TypeError, IndexError) as exc:
                    raise damaged(self.index_dir, exc) from exc
            self._texts[doc_id] = data
            trim(self._texts)
        return self._texts[doc_id]

    def _block_texts(self, doc_id: str, count: int) -> list[str]:
        """The texts of an article's first `count` blocks: read by position when a probe has
        seen where they lie, and only their texts decoded."""
        rows = self._records(doc_id, 0, count - 1) if doc_id not in self._blocks else []
        if len(rows) == count and all(_is_block(row, doc_id, order)
                                      for order, row in enumerate(rows)):
            return [row["block"][-1] for row in rows if row]
        return [block.text for block in self.blocks(doc_id)]

    def block_run(self, doc_id: str, first: int, last: int) -> list[StoredBlock]:
        """Return an article's blocks of orders first..last (those it has), reading only them
        when a probe has seen where the article's records lie (see `_records`)."""
        first = max(first, 0)
        run = []
        if doc_id not in self._blocks:
            for order, stored in enumerate(self._records(doc_id, first, last), first):
                if not _is_block(stored, doc_id, order):
                    break
                run.append(stored_block(stored))
        return run or self.blocks(doc_id)[first:last + 1]

    def _record(self, doc_id: str, order: int, rectype: str) -> dict | None:
        """The stored record of an article's block `order` (order -1: its text, -2: its
        metadata) found by position (see `_records`), or None."""
        found = self._records(doc_id, order, order)
        stored = found[0] if found else None
        if rectype == "block":
            return stored if _is_block(stored, doc_id, order) else None
        if not stored or stored.get("doc_id") != doc_id or stored.get("rectype") != rectype:
            return None
        return stored

    def _records(self, doc_id: str, first: int, last: int) -> list[dict | None]:
        """The stored records at an article's orders first..last, found by position: an
        article's records are written together (its metadata, its text, then its blocks in
        order), so once a probe has seen one block's document number the others are at known
        distances. Empty when that is not so (the caller looks them up); the caller checks
        that each is the record it wanted."""
        base = self._first_block.get(doc_id)
        if base is None:
            return []
        if first == last >= 0:  # one block: kept (see CACHED_BLOCKS)
            docnum = base + first
            if docnum not in self._block_records:
                found = stored_run(self._searcher.reader(), docnum, 1)
                if not found or found[0] is None:
                    return found
                self._block_records[docnum] = found[0]
                trim(self._block_records, CACHED_BLOCKS)
            return [self._block_records[docnum]]
        return stored_run(self._searcher.reader(), base + first, last - first + 1)

    def verbatim_blocks(self, parts: list[list[str]], limit: int
                        ) -> tuple[list[tuple[str, int, float]], int]:
        """Return (doc_id, block order, score) of the best `limit` blocks holding a quotation
        verbatim (score 2), or pieces of it when fewer hold it whole (score 1), and how many
        blocks hold it whole."""
        from . import candidates  # the quotation probes: a search does not import them

        found = candidates.verbatim_blocks(self._searcher, parts, limit)
        return [*self._keys(found.best, 2.0), *self._keys(found.pieces, 1.0)], found.total

    def similar_blocks(self, parts: list[list[str]]) -> list[tuple[str, int, float]]:
        """Return (doc_id, block order, score) of blocks sharing a quotation's rare words."""
        from . import candidates

        top = candidates.similar_blocks(self._searcher, parts)
        return [(doc_id, order, score) for (doc_id, order, _), (score, _) in
                zip(self._keys([docnum for _, docnum in top], 0.0), top, strict=True)]

    def _keys(self, docnums: list[int], score: float) -> list[tuple[str, int, float]]:
        """(doc_id, order, score) of blocks, noting where each article's blocks start."""
        keys = []
        for docnum in docnums:
            doc_id, order = self._block_record(docnum)["block"][:2]
            self._first_block.setdefault(doc_id, docnum - order)
            keys.append((doc_id, order, score))
        return keys

    def _block_record(self, docnum: int) -> dict:
        """A block record's stored fields (not to be changed: the dict is kept for the next
        caller, see CACHED_BLOCKS)."""
        stored = self._block_records.get(docnum)
        if stored is None:
            stored = self._block_records[docnum] = self._searcher.stored_fields(docnum)
            trim(self._block_records, CACHED_BLOCKS)
        return stored

    def frequencies(self, stems: set[str]) -> tuple[dict[str, int], int]:
        """Return how many blocks hold each stem, and how many blocks there are."""
        from . import candidates

        return candidates.document_frequencies(self._searcher, stems)

    def parse(self, text: str) -> ParsedQuery:
        """Read a user's query (spelling, filters, syntax fallback) into a ranked query."""
        return parse_query(text, self._searcher, self.vocabulary)

    def query_stems(self, parsed: ParsedQuery) -> set[str]:
        """Return the content stems a query matched (wildcards and fuzzy terms expanded)."""
        return query_stems(parsed.whoosh_query, self._searcher)

    def with_feedback(self, parsed: ParsedQuery, stems: set[str],
                      family: frozenset[str] | set[str] = frozenset(),
                      extra: tuple[tuple[str, float], ...] = ()) -> query.Query:
        """Return the ranked query widened by related word forms (and `family`, stems of the
        same names) and `extra` (term, weight) pairs; the pseudo-relevance feedback terms
        are added by `top` to its pool (pass it the stems)."""
        rare = self.rare_stems(parsed, stems)
        related = (set(self.vocabulary.related_forms(rare)) | set(family)) - stems
        strict = querytext.has_syntax(parsed.searched_for)
        wanted = ranking.expanded(parsed.whoosh_query, [(s, 1.0) for s in sorted(related)],
                                  ranking.RELATED_FORM_BOOST, strict)
        return ranking.expanded(wanted, list(extra), 1.0, strict)

    def first_mentions(self, stemmed: str) -> list[str]:
        """Return the first block's text holding a stem in each of a few articles (where an
        article defines a short form it uses)."""
        return definitions.first_mentions(self._searcher, stemmed)

    def rare_stems(self, parsed: ParsedQuery, stems: set[str]) -> set[str]:
        """Return the query's word stems that few blocks hold (names, places, terms of art)."""
        return {s for s in querytext.query_word_stems(parsed.searched_for) & stems
                if ranking.is_rare(self._searcher, s)}

    def top(self, parsed: ParsedQuery, wanted: query.Query, limit: int | None,
            feedback: set[str] | None = None, leaders: tuple[str, ...] = ()
            ) -> tuple[Ranked, int, dict[Key, float]]:
        """Return the best (score, block) for a query, best first, how many passages match
        (at least; see `topk.FirstStage`), and the proximity bonus inside each score; limit
        None ranks every match.

        First stage: the pruned top `POOL_DEPTH` of kind-weighted BM25F. Second stage, on
        that pool only: the proximity bonus, then (given the query's stems as `feedback`)
        pseudo-relevance feedback terms from the pool's best passages and the texts of
        `leaders` (the passages nearest the query in meaning, found by its vector).
        """
        searcher = self._searcher
        if limit is None:
            first = topk.exhaustive_top(searcher, wanted, None, parsed.filter_query,
                                        not_blocks(searcher))
        else:
            first = topk.pruned_top(searcher, wanted, max(limit, pool.POOL_DEPTH),
                                    parsed.filter_query, not_blocks(searcher))
        scores = {docnum: score for score, docnum in first.top}
        bonus = dict.fromkeys(scores, 0.0)
        records = _Records(record_reader(searcher.reader()))  # (feedback's leaders read once)
        if parsed.proximity:
            pool.add_proximity(searcher, parsed.proximity, bonus)
            for docnum, extra in bonus.items():
                scores[docnum] += extra
        if feedback:
            # A query whose words few passages hold (the pool is not full) is where feedback
            # matters most and costs least: its terms may then bring in passages of their own.
            words = querytext.split_filters(parsed.searched_for)[1]  # filters stay filters
            narrow = limit is not None and len(first.top) < pool.POOL_DEPTH and \
                not querytext.has_syntax(words)
            self._add_feedback(scores, feedback, parsed.filter_query if narrow else None, narrow,
                               leaders, records)
        # Equal scores read in article and block order, not in Whoosh's document numbers
        # (which follow the order articles were indexed in), so an updated index ranks like a
        # clean build of the same files; the pool's passages past the limit settle ties.
        # With block vectors in use every one is read and kept: `block_at` may be asked for
        # a passage near the query in meaning that ranks past the limit here.
        vectors = self._vectors is not None and self._vectors[0] is not None
        ranked = in_article_order(pool.best(scores, None if limit is None else limit + TIE_MARGIN),
                                  None if vectors else limit,
                                  lambda docnum: stored_block(records[docnum]))
        self._ranked = {(block.doc_id, block.order): block for _, _, block in ranked}
        if limit is not None:
            ranked = ranked[:limit]
        proximity = {(block.doc_id, block.order): bonus.get(docnum, 0.0)
                     for _, docnum, block in ranked}
        return [(score, block) for score, _, block in ranked], first.total, proximity

    def _add_feedback(self, scores: dict[int, float], stems: set[str],
                      filter_query: query.Query | None = None, widen: bool = False,
                      nearest: tuple[str, ...] = (), records: Mapping[int, dict] | None = None
                      ) -> None:
        """Re-score the pool with the rarest-yet-repeated stems of its best passages and of
        the `nearest` texts (passages near in meaning, which may share few of the query's
        words, so their words bridge to the articles' vocabulary); widen: first add the best
        passages those stems match (of the ones in at most WIDEN_POSTINGS blocks, so the
        cost stays bounded), meeting the query's filters."""
        searcher = self._searcher
        leaders = pool.best(scores, ranking.EXPANSION_DOCS)
        read = records if records is not None else _Records(record_reader(searcher.reader()))
        texts = [read[docnum]["block"][-1] for _, docnum in leaders]
        texts += [text for text in nearest if text not in texts]
        terms = ranking.feedback_terms(searcher, texts, stems)
        narrow_terms = [term for term in terms if isinstance(term, query.Term) and
                        searcher.doc_frequency(term.fieldname, term.text) <= WIDEN_POSTINGS]
        if widen and narrow_terms:
            found = topk.pruned_top(searcher, query.Or(narrow_terms), pool.POOL_DEPTH,
                                    filter_query, not_blocks(searcher))
            for _, docnum in found.top:
                scores.setdefault(docnum, 0.0)
        for term in terms:
            pool.add_scores(searcher, term, scores)

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

    def block_at(self, key: Key) -> StoredBlock:
        """Return the block of an article with the given order (one the last `top` read is
        not read again, nor are its article's other blocks)."""
        if key in self._ranked:
            return self._ranked[key]
        doc_id, order = key
        for block in self.blocks(doc_id):
            if block.order == order:
                return block
        raise KeyError(key)

    def kind_weight(self, key: Key) -> float:
        """Return how much a block's kind counts in ranking (boilerplate little)."""
        return KIND_WEIGHT.get(Kind(self.block_at(key).kind), 1.0)

    def block_vectors(self) -> BlockVectors | None:
        """The index's block vectors, read on first use; None when it keeps none for this
        generation (none made, or a run died between the index and the vectors)."""
        if self._vectors is None:
            found = None
            # The vectors module only for an index with vector files (`vectors-<generation>.*`).
            if any(self.index_dir.glob("vectors-*")):
                from ..vectors import BlockVectors, generations

                if self.generation in generations(self.index_dir):
                    found = BlockVectors.read(self.index_dir, self.generation)
            self._vectors = [found]
        return self._vectors[0]


class _Records(dict[int, dict]):
    """Live documents' stored records by docnum, each read once (by `read`) when first asked
    for: one search's, so that a record two of its steps read is decoded once."""

    def __init__(self, read: Callable[[int], dict]) -> None:
        super().__init__()
        self._read = read

    def __missing__(self, docnum: int) -> dict:
        found = self[docnum] = self._read(docnum)
        return found


def in_article_order(best: list[tuple[float, int]], limit: int | None,
                     read: Callable[[int], StoredBlock]) -> list[tuple[float, int, StoredBlock]]:
    """`best` ((score, docnum), best first, ties in docnum order) as (score, docnum, block),
    ties in article and block order, as far as its first `limit` (None: all) are settled:
    past the limit, only the passages tying with one within it are read and kept (a stored
    record read costs ~20 µs; reading all of `best` was a tenth of a query)."""
    ranked: list[tuple[float, int, StoredBlock]] = []
    start = 0
    while start < len(best) and (limit is None or len(ranked) < limit):
        end = start + 1
        while end < len(best) and best[end][0] == best[start][0]:
            end += 1
        group = [(score, docnum, read(docnum)) for score, docnum in best[start:end]]
        if len(group) > 1:
            group.sort(key=lambda item: (item[2].doc_id, item[2].order))
        ranked.extend(group)
        start = end
    return ranked


def trim(cache: dict, most: int = CACHED_ARTICLES) -> None:
    """Keep a cache to its most recent entries."""
    while len(cache) > most:
        cache.pop(next(iter(cache)))


def _is_block(stored: dict | None, doc_id: str, order: int) -> TypeGuard[dict]:
    """True when a record read by position is the article's block of that order."""
    packed = stored.get("block") if stored else None
    return packed is not None and packed[0] == doc_id and packed[1] == order


def stored_block(stored: dict) -> StoredBlock:
    """Return a block record's stored tuple (`records.BLOCK_FIELDS`) as a StoredBlock."""
    (doc_id, order, kind, paragraph, section_paragraph, line_start, line_end, start, end,
     place, section, text) = stored["block"]
    page_start, page_end, anchor = json.loads(place) if place else ("", "", "")
    return StoredBlock(doc_id, kind, paragraph or None, section, order, text, line_start,
                       line_end, start, end, section_paragraph or None, page_start=page_start,
                       page_end=page_end, anchor=anchor)

