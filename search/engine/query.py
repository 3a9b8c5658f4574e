"""Reading a user's query into Whoosh queries: fields, filters, syntax fallback, spelling.

Queries accept plain words, "exact phrases", AND/OR/NOT, field filters (author:, title:,
doc:, section:, publication:, kind:), date ranges (date:[2019 TO 2023]), wildcards and
fuzzy terms (word~). Syntax the parser cannot read falls back to the plain words, with a
note saying so; a word the corpus does not contain is replaced by its closest spelling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from whoosh import fields, query
from whoosh.searching import Searcher

from ..analyse import fold, stem
from ..errors import InputError
from ..frozen import mutable_dataclass
from ..querytext import (
    SEARCHABLE_FIELDS,
    closest_word,
    plain_terms,
    plain_words,
    replace_word,
    sanitise,
    split_filters,
    syntax_problem,
    without_stop_words,
)
from ..typography import normalise
from . import ranking

if TYPE_CHECKING:
    from whoosh import qparser

SEARCH_FIELDS = ("content", "section")
# Article and text records are few (two an article), so masking them out is far cheaper than
# filtering for the many block records on every search.
NOT_BLOCKS = query.Or([query.Term("rectype", "article"), query.Term("rectype", "source")])


def not_blocks(searcher: Searcher) -> set[int]:
    """The docnums of the article and source records, to mask out of passage searches.

    Whoosh re-runs a mask given as a query on every search and builds a bitset the size of
    the index from it (0.1 s a search at 100 MB); a set of docnums it uses as it is. An
    open searcher never changes, so the set is made once per searcher."""
    found = getattr(searcher, "_seedsearch_not_blocks", None)
    if found is None:
        found = set(searcher.docs_for_query(NOT_BLOCKS))
        searcher._seedsearch_not_blocks = found
    return found


FIELD_BOOSTS = {"content": 1.0, "section": 0.6}
ARTICLE_FIELDS = frozenset({"title", "author", "publication", "doc", "date"})
MAX_QUERY_CHARS = 2_000
MAX_EDIT_DISTANCE = 2  # as Lucene: beyond two edits a fuzzy term matches noise, slowly
MAX_EXPANSIONS = 64  # words a wildcard, fuzzy or range term may stand for (Lucene: 50 for fuzzy)
MAX_SCANNED_TERMS = 200_000  # words of the lexicon read to expand one term


@mutable_dataclass
class ParsedQuery:
    """A Whoosh query and the notes explaining how the user's text was read."""

    whoosh_query: query.Query  # what ranks the passages
    filter_query: query.Query | None  # what a passage must match to be shown at all
    searched_for: str
    notes: list[str] = field(default_factory=list)
    suggestion: str = ""
    proximity: list[query.Query] = field(default_factory=list)  # bonus terms, see `pool.add_scores`
    expansions: int = 0  # words its wildcard, fuzzy and range terms stand for
    scanned_terms: int = 0  # words of the lexicon read to expand them

    @property
    def filter_only(self) -> bool:
        """True for a query that is a filter alone: every passage it shows ties."""
        return isinstance(self.whoosh_query, query.Every)


def make_parser(schema, dates: bool = True) -> qparser.QueryParser:
    """Return the query parser: several fields, OR with a bonus for matching more words.

    It sees only the fields a user may search: any other name before a colon (an internal,
    stored-only field such as `content_hash:`, however the text around it is written)
    reads as words, never reaching a field Whoosh cannot parse for. `dates=False` leaves out
    Whoosh's date parser, which only reads terms of the `date` field: building it compiles
    some 70 regular expressions (a tenth of a search command's start-up on the seeds)."""
    from whoosh import qparser  # not for plain words: see `plain_word_query`

    searchable = fields.Schema(**{name: schema[name] for name in SEARCHABLE_FIELDS
                                  if name in schema})
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), searchable,
                                      fieldboosts=FIELD_BOOSTS, group=qparser.OrGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    if dates:
        from whoosh.qparser.dateparse import DateParserPlugin

        parser.add_plugin(DateParserPlugin(free=False))
    return parser


def parse_query(text: str, searcher: Searcher, vocabulary: Mapping[str, list]) -> ParsedQuery:
    """Parse a user's query, correcting misspelt words and falling back on bad syntax."""
    text = " ".join(normalise(text).split())  # “curly” phrases and en dashes read as typed
    if not text:
        raise InputError("The query is empty; give some words to search for.")
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"The query is longer than {MAX_QUERY_CHARS} characters; shorten it.")
    text, notes = sanitise(text)
    if not text:
        raise InputError("The query has no words to search for.")
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
    parsed = _parse_words(searcher.schema, corrected, notes) if corrected.strip() else None
    required = None
    if filters:
        dates = _names_dates(" ".join(filters))
        required = _parse_filters(make_parser(searcher.schema, dates=dates), filters)
    if parsed is None and required is None:
        raise InputError(f"The query {text!r} has no words to search for.")
    searched_for = " ".join(part for part in (" ".join(filters), corrected) if part)
    if suggestion:
        suggestion = " ".join(part for part in (" ".join(filters), suggestion) if part)
    counts: Counter[str] = Counter()
    if parsed is not None:
        parsed = capped(parsed, searcher, notes, counts)
    ranked = _scored(on_blocks(parsed, searcher)) if parsed is not None else query.Every()
    near = ranking.proximity(corrected) if parsed is not None and not syntax_problem(corrected) else []
    if required is not None:  # filters are capped too: title:word~99 is a fuzzy term as well
        required = on_blocks(capped(required, searcher, notes, counts), searcher)
    return ParsedQuery(ranked, required, searched_for, notes, suggestion, near,
                       counts["expansions"], counts["scanned"])


def _names_dates(text: str) -> bool:
    """True unless the text cannot name the date field (the date parser is then not needed):
    a query without the letters "date" has no `date:` term, however it is written."""
    return "date" in text.casefold()


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


def _parse_words(schema: fields.Schema, words: str, notes: list[str]) -> query.Query | None:
    problem = syntax_problem(words)
    parsed = None
    if not problem:
        text = without_stop_words(words)
        parsed = plain_word_query(schema, text)
        if parsed is None:
            parsed = joined_query(schema, text)
        if parsed is None:
            try:
                parsed = make_parser(schema, dates=_names_dates(text)).parse(text)
            except (ValueError, TypeError, IndexError, AttributeError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
    if parsed is not None and not _is_empty(parsed):
        return parsed
    plain = plain_words(words)
    if not plain:
        return None
    notes.append(f"Could not read the query syntax ({problem or 'nothing searchable'}); "
                 f"searched for the plain words: {plain}")
    return make_parser(schema, dates=_names_dates(plain)).parse(plain)


# Words Whoosh's parser reads as operators (AND, OR, ANDNOT, ANDMAYBE, NOT) or range syntax (TO).
_PARSER_WORDS = frozenset({"AND", "OR", "ANDNOT", "ANDMAYBE", "NOT", "TO"})


def plain_word_query(schema: fields.Schema, text: str) -> query.Query | None:
    """Return the query Whoosh's parser (`make_parser`) makes of text, when text is only
    words of ASCII letters and digits, each analysed to one term: an OR of each word's term
    in each search field, with the field's boost. Made without the parser, whose import and
    plugins cost a search command a tenth of its start-up; a test holds the two equal. None
    for anything else (punctuation, syntax, operator words): the parser reads it."""
    words = [(match.group(), match.span()) for match in re.finditer(r"\S+", text)]
    if not words or any(not word.isascii() or not word.isalnum() or word in _PARSER_WORDS
                        for word, _ in words):
        return None
    terms: list[query.Query] = []
    for word, (start, end) in words:
        for name in SEARCH_FIELDS:
            if schema[name].self_parsing():
                return None
            analysed = list(schema[name].process_text(word, mode="query"))  # as term_query
            if len(analysed) != 1:
                return None
            term = query.Term(name, analysed[0], boost=FIELD_BOOSTS[name])
            term.startchar, term.endchar = start, end  # where the parser says it was typed
            terms.append(term)
    return query.Or(terms).normalize()


_WORD = re.compile(r"[A-Za-z0-9]+")
_QUOTED = re.compile(r'"([A-Za-z0-9]+(?: [A-Za-z0-9]+)*)"')


def joined_query(schema: fields.Schema, text: str) -> query.Query | None:
    """Return the query Whoosh's parser (`make_parser`) makes of words joined by AND
    ("lenin AND trotsky": an AND of each word's OR over the search fields) or of one quoted
    phrase of words ('"left opposition"': an OR of the phrase in each search field), made
    without the parser (a quarter of a ms, a tenth of such a search on the dictionaries); a
    test holds the two equal. None for anything else: the parser reads it."""
    if any(schema[name].self_parsing() for name in SEARCH_FIELDS):
        return None
    quoted = _QUOTED.fullmatch(text)
    if quoted:
        return _phrase_query(schema, quoted.group(1), quoted.start(1))
    parts = text.split(" AND ")
    if len(parts) < 2 or any(not _WORD.fullmatch(part) or part in _PARSER_WORDS
                             for part in parts):
        return None
    groups: list[query.Query] = []
    start = 0
    for word in parts:
        terms: list[query.Query] = []
        for name in SEARCH_FIELDS:
            analysed = list(schema[name].process_text(word, mode="query"))  # as term_query
            if len(analysed) != 1:
                return None
            term = query.Term(name, analysed[0], boost=FIELD_BOOSTS[name])
            term.startchar, term.endchar = start, start + len(word)
            terms.append(term)
        groups.append(query.Or(terms))
        start += len(word) + len(" AND ")
    return query.And(groups).normalize()


def _phrase_query(schema: fields.Schema, inner: str, start: int) -> query.Query | None:
    """A quoted phrase's query, as Whoosh's PhrasePlugin makes it in each search field: the
    field's query-mode tokens, with where each was typed."""
    phrases: list[query.Query] = []
    for name in SEARCH_FIELDS:
        field = schema[name]
        if not field.analyzer:
            return None
        words, places = [], []
        for token in field.tokenize(inner, mode="query", chars=True):
            words.append(token.text)
            places.append((start + token.startchar, start + token.endchar))
        phrases.append(query.Phrase(name, words, slop=1, boost=FIELD_BOOSTS[name],
                                    char_ranges=places))
    return query.Or(phrases).normalize()


def _parse_filters(parser: qparser.QueryParser, filters: list[str]) -> query.Query:
    from whoosh import qparser

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
                     vocabulary: Mapping[str, list]) -> tuple[str, str, list[str]]:
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


def query_stems(parsed: query.Query, searcher: Searcher) -> set[str]:
    """Return the content stems a query matched (wildcards and fuzzy terms expanded); a
    term only deleted records hold does not count, as in a clean build."""
    stems = set()
    for fieldname, term in parsed.existing_terms(searcher.reader(), expand=True):
        if fieldname in ("content", "section", "title") and searcher.doc_frequency(fieldname, term):
            stems.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return stems


def capped(parsed: query.Query, searcher: Searcher, notes: list[str],
           counts: Counter[str]) -> query.Query:
    """Cap fuzzy edit distances at MAX_EDIT_DISTANCE and replace each wildcard, fuzzy or
    range term by its MAX_EXPANSIONS most frequent live words, noting any cut."""
    def cap(leaf: query.Query) -> query.Query:
        if isinstance(leaf, query.FuzzyTerm) and leaf.maxdist > MAX_EDIT_DISTANCE:
            _note(notes, f"Fuzzy terms allow at most {MAX_EDIT_DISTANCE} edits; {leaf.text}~"
                         f"{leaf.maxdist} searched as {leaf.text}~{MAX_EDIT_DISTANCE}.")
            leaf = query.FuzzyTerm(leaf.fieldname, leaf.text, boost=leaf.boost,
                                   maxdist=MAX_EDIT_DISTANCE, prefixlength=leaf.prefixlength,
                                   constantscore=leaf.constantscore)
        if not isinstance(leaf, query.MultiTerm):
            return leaf
        return _expanded(leaf, searcher, notes, counts)

    return parsed.accept(cap)


def _note(notes: list[str], note: str) -> None:
    if note not in notes:  # a term searched in several fields is noted once
        notes.append(note)


def _label(leaf: query.Query) -> str:
    return repr(getattr(leaf, "text", None) or str(leaf))


def _expanded(leaf: query.MultiTerm, searcher: Searcher, notes: list[str],
              counts: Counter[str]) -> query.Query:
    """The live words a wildcard, fuzzy or range term stands for, as plain terms."""
    fieldname = leaf.field()
    reader = searcher.reader()
    found: list[tuple[int, bytes | str]] = []
    for scanned, term in enumerate(leaf._btexts(reader)):  # Whoosh's own expansion
        if scanned >= MAX_SCANNED_TERMS:
            _note(notes, f"{_label(leaf)} matches too many words to list; searched for "
                         f"the first {MAX_SCANNED_TERMS:,} read.")
            break
        counts["scanned"] += 1
        frequency = searcher.doc_frequency(fieldname, term)
        if frequency:
            found.append((frequency, term))
    if len(found) > MAX_EXPANSIONS:
        _note(notes, f"{_label(leaf)} matches {len(found):,} words; searched for the "
                     f"{MAX_EXPANSIONS} most frequent.")
        found = sorted(found, key=lambda item: (-item[0], str(item[1])))[:MAX_EXPANSIONS]
    words = sorted(term.decode("utf-8", "replace") if isinstance(term, bytes) else term
                   for _, term in found)
    terms = [query.Term(fieldname, word) for word in words]
    counts["expansions"] += len(terms)
    if not terms:
        return query.NullQuery
    return terms[0] if len(terms) == 1 and leaf.boost == 1.0 else query.Or(terms, boost=leaf.boost)


