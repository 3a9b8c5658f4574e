"""Searching the index: query parsing, BM25F ranking by block kind, spelling, snippets.

Queries accept plain words, "exact phrases", AND/OR/NOT, field filters (author:, title:,
doc:, section:, publication:, kind:), date ranges (date:[2019 TO 2023]), wildcards and
fuzzy terms (word~). Syntax the parser cannot read falls back to the plain words, with a
note saying so; a word the corpus does not contain is replaced by its closest spelling.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from whoosh import qparser, query, scoring
from whoosh.searching import Searcher

from .analyse import fold, stem, tokens
from .catalog import ArticleMeta
from .errors import InputError
from .querytext import (
    SYNTAX_CHARS,
    has_syntax,
    plain_terms,
    plain_words,
    replace_word,
    split_filters,
    syntax_problem,
)
from .typography import normalise

SEARCH_FIELDS = ("content", "section")
# Article and text records are few (two an article), so masking them out is far cheaper than
# filtering for the many block records on every search.
NOT_BLOCKS = query.Or([query.Term("rectype", "article"), query.Term("rectype", "source")])
FIELD_BOOSTS = {"content": 1.0, "section": 0.6}
ARTICLE_FIELDS = frozenset({"title", "author", "publication", "doc", "date"})
SNIPPET_WORDS = 36
PROXIMITY_BOOST = 0.5
RERANK_DEPTH = 100
TOP_DEPTH = 1000  # how deep `top` first reads each side: about as cheap as 100 (all are scored)
MAX_VERBATIM_CANDIDATES = 30  # blocks holding a quotation's words verbatim, best first
NEIGHBOUR_SHARE = 0.2
EXPANSION_TERMS = 8
EXPANSION_DOCS = 3
EXPANSION_BOOST = 0.2
RELATED_FORM_BOOST = 0.5
RARE_SHARE = 0.05
MAX_QUERY_CHARS = 2_000


if TYPE_CHECKING:
    from .cite import Citation, Pinpoint


@dataclass(frozen=True)
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

    @property
    def location(self) -> str:
        """file:line_start-line_end, as an editor opens it."""
        return f"{self.doc.path}:{self.line_start}-{self.line_end}"

    @property
    def pinpoint(self) -> Pinpoint:
        """Where the passage sits: ¶, section, file and lines."""
        from .cite import Pinpoint

        return Pinpoint(self.paragraph, self.section, self.doc.path, self.line_start,
                        self.line_end)

    @property
    def citation(self) -> str:
        """The plain one-line citation: author, title, publication, date, ¶, file:line."""
        from .cite import cite

        return cite(self.doc, self.pinpoint, "plain").in_text

    def cite(self, style: str = "plain") -> Citation:
        """Return the passage's citation in a style: plain, apa, mla, chicago."""
        from .cite import cite

        return cite(self.doc, self.pinpoint, style)


@dataclass(frozen=True)
class SearchResult:
    """The hits for a query and what the engine did to the query on the way."""

    query: str
    hits: tuple[Hit, ...]
    searched_for: str  # the query actually run, after spelling correction or fallback
    notes: tuple[str, ...] = ()
    suggestion: str = ""  # "did you mean" form of the query, "" when none
    total: int = 0

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


class KindWeightedBM25F(scoring.BM25F):
    """BM25F whose final score is scaled by the block kind's weight (boilerplate ranks low)."""

    use_final = True

    def final(self, searcher: Searcher, docnum: int, score: float) -> float:
        weights = getattr(searcher, "_kind_weights", None)
        if weights is None:
            weights = searcher.reader().column_reader("weight")
            searcher._kind_weights = weights
        return score * (weights[docnum] or 100) / 100.0


@dataclass
class ParsedQuery:
    """A Whoosh query and the notes explaining how the user's text was read."""

    whoosh_query: query.Query  # what ranks the passages
    filter_query: query.Query | None  # what a passage must match to be shown at all
    searched_for: str
    notes: list[str] = field(default_factory=list)
    suggestion: str = ""
    proximity: list[query.Query] = field(default_factory=list)  # bonus terms, see `top`


def make_parser(schema) -> qparser.QueryParser:
    """Return the query parser: several fields, OR with a bonus for matching more words."""
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema, fieldboosts=FIELD_BOOSTS,
                                      group=qparser.OrGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    from whoosh.qparser.dateparse import DateParserPlugin

    parser.add_plugin(DateParserPlugin(free=False))
    return parser


def parse_query(text: str, searcher: Searcher, vocabulary: dict[str, list]) -> ParsedQuery:
    """Parse a user's query, correcting misspelt words and falling back on bad syntax."""
    text = " ".join(normalise(text).split())  # “curly” phrases and en dashes read as typed
    if not text:
        raise InputError("The query is empty; give some words to search for.")
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"The query is longer than {MAX_QUERY_CHARS} characters; shorten it.")
    notes: list[str] = []
    problem = syntax_problem(text)
    if problem:
        text = plain_words(re.sub(r"(?<!\S)\w+:(?=\s|$)", " ", text)) or plain_words(text)
        notes.append(f"Could not read the query syntax ({problem}); "
                     f"searched for the plain words: {text}")
        if not text:
            raise InputError("The query has no words to search for.")
    filters, words = split_filters(text)
    corrected, suggestion, spelling_notes = correct_spelling(words, searcher, vocabulary)
    notes.extend(spelling_notes)
    parser = make_parser(searcher.schema)
    parsed = _parse_words(parser, corrected, notes) if corrected.strip() else None
    required = _parse_filters(make_parser(searcher.schema), filters) if filters else None
    if parsed is None and required is None:
        raise InputError(f"The query {text!r} has no words to search for.")
    searched_for = " ".join(part for part in (" ".join(filters), corrected) if part)
    if suggestion:
        suggestion = " ".join(part for part in (" ".join(filters), suggestion) if part)
    ranked = _scored(on_blocks(parsed, searcher)) if parsed is not None else query.Every()
    near = proximity(corrected) if parsed is not None and not syntax_problem(corrected) else []
    if required is not None:
        required = on_blocks(required, searcher)
    return ParsedQuery(ranked, required, searched_for, notes, suggestion, near)


def on_blocks(parsed: query.Query, searcher: Searcher) -> query.Query:
    """Rewrite conditions on article metadata (author:, title:, doc:, date ranges) as the
    ids of the articles meeting them: metadata is indexed on the article records only."""
    if not parsed.is_leaf():
        return parsed.apply(lambda child: on_blocks(child, searcher))
    if parsed.field() not in ARTICLE_FIELDS:
        return parsed
    articles = query.And([query.Term("rectype", "article"), parsed])
    ids = sorted({hit["doc_id"] for hit in searcher.search(articles, limit=None, scored=False)})
    if not ids:
        return query.NullQuery
    return query.Or([query.Term("doc_id", doc_id) for doc_id in ids])


def proximity(words: str) -> list[query.Query]:
    """Bonus queries rewarding passages where neighbouring query words stand near each other.

    "Popular Front" or "Workers' Opposition" should outrank a passage that has "front" in
    one sentence and "popular" in another. Only runs of plain words count, not syntax.
    `top` adds their scores to the ranking query's.
    """
    if SYNTAX_CHARS.search(words):
        return []
    from .quotation import STOP_WORDS

    stems = [stem(fold(word)) for word in re.findall(r"[\w'’]+", normalise(words))
             if fold(word) not in STOP_WORDS]
    pairs = [pair for pair in zip(stems, stems[1:], strict=False) if pair[0] != pair[1]]
    return [query.Phrase("content", list(pair), slop=2, boost=PROXIMITY_BOOST) for pair in pairs]


def top(searcher: Searcher, ranking: query.Query, bonus: list[query.Query], limit: int | None,
        **limits) -> tuple[list[tuple[float, dict]], int]:
    """Return the best (score, stored fields) for ranking plus bonus queries, best first,
    and how many passages match.

    The same scores as searching `Or([ranking, *bonus])`, found far faster: asked to match
    the positions of common word pairs in every passage, Whoosh took ten times longer on
    50 MB. Here each side's best few are fetched, the missing half of each candidate's score
    is read from its postings, and the depth grows until no passage outside both lists can
    beat the last one kept (the threshold algorithm).
    """
    if not bonus or limit is None:
        whole = query.Or([ranking, *bonus]) if bonus else ranking
        results = searcher.search(whole, limit=limit, **limits)
        return [(hit.score, hit.fields()) for hit in results], len(results)
    extra = query.Or(bonus)
    depth = max(2 * limit, TOP_DEPTH)
    while True:
        main = searcher.search(ranking, limit=depth, **limits)
        side = searcher.search(extra, limit=depth, **limits)
        scores = {hit.docnum: hit.score for hit in main}
        extras = {hit.docnum: hit.score for hit in side}
        candidates = sorted(set(scores) | set(extras))
        _fill_scores(searcher, ranking, candidates, scores)
        _fill_scores(searcher, extra, candidates, extras)
        totals = sorted(((scores[d] + extras[d], d) for d in candidates),
                        key=lambda item: (-item[0], item[1]))[:limit]
        complete = len(main) < depth and len(side) < depth
        bound = ((main[depth - 1].score if len(main) >= depth else 0.0)
                 + (side[depth - 1].score if len(side) >= depth else 0.0))
        if complete or (len(totals) == limit and totals[-1][0] >= bound):
            stored = searcher.stored_fields
            return [(score, stored(docnum)) for score, docnum in totals], len(main)
        depth *= 4


def _fill_scores(searcher: Searcher, scoring: query.Query, docnums: list[int],
                 scores: dict[int, float]) -> None:
    """Add the final score of scoring for each docnum missing from scores (0 where it does
    not match), read by skipping through the query's postings."""
    missing = [docnum for docnum in docnums if docnum not in scores]
    if not missing:
        return
    weighting = searcher.weighting
    matcher = scoring.matcher(searcher, searcher.context(weighting=weighting))
    for docnum in missing:
        score = 0.0
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            score = matcher.score()
            if weighting.use_final:
                score = weighting.final(searcher, docnum, score)
        scores[docnum] = score


def _scored(parsed: query.Query) -> query.Query:
    """Let wildcard and fuzzy terms rank by BM25 like plain words (Whoosh scores them flat),
    and make NOT exclude: with OR between words Whoosh reads "a NOT b" as "a OR (not b)"."""
    for leaf in parsed.leaves():
        if isinstance(leaf, query.MultiTerm):
            leaf.constantscore = False
    if isinstance(parsed, query.Or):
        negated = [sub.query for sub in parsed.subqueries if isinstance(sub, query.Not)]
        kept = [sub for sub in parsed.subqueries if not isinstance(sub, query.Not)]
        if negated and kept:
            return query.AndNot(query.Or(kept), query.Or(negated))
    return parsed


def _parse_words(parser: qparser.QueryParser, words: str, notes: list[str]) -> query.Query | None:
    problem = syntax_problem(words)
    parsed = None
    if not problem:
        try:
            parsed = parser.parse(without_stop_words(words))
        except (ValueError, TypeError, IndexError, AttributeError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
    if parsed is not None and not _is_empty(parsed):
        return parsed
    plain = plain_words(words)
    if not plain:
        return None
    notes.append(f"Could not read the query syntax ({problem or 'nothing searchable'}); "
                 f"searched for the plain words: {plain}")
    return parser.parse(plain)


def without_stop_words(words: str) -> str:
    """Drop stop words from a plain-word query that has other words.

    They add almost nothing to BM25 (they are in nearly every passage) but make Whoosh score
    nearly every passage; phrases and other syntax keep them ("to be or not to be").

    >>> without_stop_words("socialism in one country"), without_stop_words("to be or not")
    ('socialism one country', 'to be or not')
    """
    from .quotation import STOP_WORDS

    if has_syntax(words):
        return words
    kept = [word for word in words.split() if fold(word) not in STOP_WORDS]
    return " ".join(kept) if kept else words


def _parse_filters(parser: qparser.QueryParser, filters: list[str]) -> query.Query:
    parser.group = qparser.AndGroup
    try:
        parsed = parser.parse(" ".join(filters))
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise InputError(f"Could not read the filters {' '.join(filters)!r} ({exc}).") from exc
    if _is_empty(parsed):
        raise InputError(f"The filters {' '.join(filters)!r} name nothing to filter by.")
    return parsed


def _is_empty(parsed: query.Query) -> bool:
    return parsed is query.NullQuery or not list(parsed.leaves())


def correct_spelling(text: str, searcher: Searcher,
                     vocabulary: dict[str, list]) -> tuple[str, str, list[str]]:
    """Return (query to run, "did you mean" suggestion, notes) for words the corpus lacks."""
    if not vocabulary:
        return text, "", []
    corrected, suggested, notes = text, text, []
    for word in plain_terms(text):
        folded = fold(word)
        if folded in vocabulary or not folded.isalpha() or len(folded) < 3:
            continue
        best = closest_word(folded, vocabulary)
        if not best:
            continue
        suggested = replace_word(suggested, word, best)
        if searcher.doc_frequency("content", stem(folded)) == 0:
            corrected = replace_word(corrected, word, best)
            notes.append(f"No passage contains {word!r}; searched for {best!r} instead.")
    return corrected, (suggested if suggested != text else ""), notes


def closest_word(word: str, vocabulary: dict[str, list]) -> str:
    """Return the most frequent vocabulary word within a small edit distance of word."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    limit = 1 if len(word) <= 4 else 2
    candidates = process.extract(word, list(vocabulary), scorer=DamerauLevenshtein.distance,
                                 score_cutoff=limit, limit=20)
    if not candidates:
        return ""
    return min(candidates, key=lambda item: (item[1], -vocabulary[item[0]][1]))[0]


def highlight_offsets(text: str, stems: set[str]) -> list[tuple[int, int]]:
    """Return the (start, end) of each word in text whose stem is among stems."""
    return [(start, end) for _, stemmed, start, end in tokens(text) if stemmed in stems]


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


def query_stems(parsed: query.Query, searcher: Searcher) -> set[str]:
    """Return the content stems a query matched (wildcards and fuzzy terms expanded)."""
    stems = set()
    for fieldname, term in parsed.existing_terms(searcher.reader(), expand=True):
        if fieldname in ("content", "section", "title"):
            stems.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return stems


def verbatim_blocks(searcher: Searcher, parts: list[list[str]]) -> list[tuple[str, int, float]]:
    """Return (doc_id, order, score) of blocks holding a quotation's words verbatim, best first.

    Phrase probes: in each half of each part, the adjacent pair of words that is rarest in
    the corpus (a long phrase of common words costs Whoosh ten times more to match, and the
    alignment checks every word anyway).
    """
    frequency = _frequencies(searcher)
    probes = {pair for words in parts for pair in rare_pairs([stem(fold(w)) for w in words],
                                                            frequency)}
    if not probes:
        return []
    phrases = query.Or([query.Phrase("content", list(pair)) for pair in sorted(probes)])
    return [(hit["doc_id"], hit["order"], hit.score + 1000.0)
            for hit in searcher.search(phrases, limit=MAX_VERBATIM_CANDIDATES, mask=NOT_BLOCKS)]


def similar_blocks(searcher: Searcher, parts: list[list[str]],
                   limit: int = 30) -> list[tuple[str, int, float]]:
    """Return (doc_id, order, score) of blocks sharing a quotation's rarest words, best
    first: altered quotations, other translations."""
    distinctive = _distinctive_stems(searcher, [w for words in parts for w in words])
    if not distinctive:
        return []
    ranked = query.Or([query.Term("content", s) for s in distinctive])
    return [(hit["doc_id"], hit["order"], hit.score)
            for hit in searcher.search(ranked, limit=limit, mask=NOT_BLOCKS)]


def rare_pairs(stems: list[str], frequency) -> list[tuple[str, str]]:
    """The rarest adjacent pair of stems in each half of a run (one pair for a short run).

    >>> df = {"the": 90, "bureaucraci": 3, "worker": 20, "state": 30, "of": 95}.get
    >>> rare_pairs("the bureaucraci of the worker state".split(), df)
    [('the', 'bureaucraci'), ('worker', 'state')]
    """
    if len(stems) < 2:
        return []
    halves = [stems] if len(stems) < 4 else [stems[:len(stems) // 2 + 1], stems[len(stems) // 2:]]
    pairs = []
    for half in halves:
        candidates = list(zip(half, half[1:], strict=False))
        pairs.append(min(candidates, key=lambda pair: (max(frequency(pair[0]) or 0,
                                                           frequency(pair[1]) or 0),
                                                       min(frequency(pair[0]) or 0,
                                                           frequency(pair[1]) or 0))))
    return list(dict.fromkeys(pairs))


def _frequencies(searcher: Searcher):
    """A cached doc_frequency of content stems for one searcher."""
    cache: dict[str, int] = {}

    def frequency(stemmed: str) -> int:
        if stemmed not in cache:
            cache[stemmed] = searcher.doc_frequency("content", stemmed)
        return cache[stemmed]

    return frequency


def _distinctive_stems(searcher: Searcher, words: list[str], most: int = 8) -> list[str]:
    """The quotation's rarest stems (stop words only when nothing else is left)."""
    from .quotation import STOP_WORDS

    stems = {stem(fold(word)) for word in words if fold(word) not in STOP_WORDS}
    stems = stems or {stem(fold(word)) for word in words}
    frequency = {s: searcher.doc_frequency("content", s) for s in stems}
    present = sorted((s for s in stems if frequency[s]), key=lambda s: frequency[s])
    return present[:most]


def document_frequencies(searcher: Searcher, stems: set[str]) -> tuple[dict[str, int], int]:
    """Return each stem's block frequency and the number of blocks, for IDF weights."""
    total = searcher.doc_frequency("rectype", "block")
    return {s: searcher.doc_frequency("content", s) for s in stems}, total


def rerank(results: list[tuple[float, dict]]) -> list[tuple[float, dict]]:
    """Re-score the top results with support from their neighbours.

    A paragraph next to one that matches the query well is usually about the same thing
    (the second half of an argument, the example after a claim), so it earns a share of
    its best neighbour's score.
    """
    base = {(stored["doc_id"], stored["order"]): score for score, stored in results}
    rescored = []
    for score, stored in results:
        key_before = (stored["doc_id"], stored["order"] - 1)
        key_after = (stored["doc_id"], stored["order"] + 1)
        support = max(base.get(key_before, 0.0), base.get(key_after, 0.0))
        rescored.append((score + NEIGHBOUR_SHARE * support, stored))
    # Ties (a filter alone scores every passage alike) read in article and paragraph order.
    return sorted(rescored, key=lambda item: (-item[0], item[1]["doc_id"], item[1]["order"]))


def expansion_terms(searcher: Searcher, texts: list[str], exclude: set[str],
                    count: int = EXPANSION_TERMS) -> list[tuple[str, float]]:
    """Pseudo-relevance feedback: the rarest-yet-repeated stems of the top passages.

    Topical queries name a subject in a few words; the best passages name it in others
    ("Popular Front" and "Spanish revolution" sit beside "Comintern" and "alliances").
    """
    from .quotation import STOP_WORDS

    total = max(searcher.doc_frequency("rectype", "block"), 1)
    weights: dict[str, float] = {}
    for text in texts:
        counts: dict[str, int] = {}
        for word, stemmed, _, _ in tokens(text):
            if word not in STOP_WORDS and not word.isdigit() and stemmed not in exclude:
                counts[stemmed] = counts.get(stemmed, 0) + 1
        for stemmed, tf in counts.items():
            frequency = searcher.doc_frequency("content", stemmed)
            if frequency < 2:
                continue
            weights[stemmed] = weights.get(stemmed, 0.0) + tf * math.log(total / frequency)
    best = sorted(weights.items(), key=lambda item: -item[1])[:count]
    top = best[0][1] if best else 1.0
    return [(stemmed, weight / top) for stemmed, weight in best]


def expanded(ranked: query.Query, terms: list[tuple[str, float]],
             boost: float = EXPANSION_BOOST, strict: bool = False) -> query.Query:
    """Add extra terms to a query, each worth a fraction of a query word.

    Plain words are a soft request, so extra terms may bring in passages of their own; a
    query with syntax ("phrases", AND/NOT, fields) is a constraint, so they only re-rank.
    """
    if not terms:
        return ranked
    extra = [query.Term("content", stemmed, boost=boost * weight) for stemmed, weight in terms]
    if strict:
        return query.AndMaybe(ranked, query.Or(extra))
    return query.Or([ranked, *extra])


def is_rare(searcher: Searcher, stemmed: str) -> bool:
    """True for a stem in at most RARE_SHARE of the blocks (names, places, terms of art)."""
    total = max(searcher.doc_frequency("rectype", "block"), 1)
    return searcher.doc_frequency("content", stemmed) <= RARE_SHARE * total
