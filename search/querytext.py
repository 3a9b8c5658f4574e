"""The text of a query: its syntax, its field filters, its plain words.

Pure string work, kept apart from the Whoosh side of searching (find.py): deciding whether a
query uses syntax, whether that syntax is well formed, which parts are filters, and which
word forms belong to a family.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from datetime import date, timedelta

from .analyse import STOP_WORDS, fold, text_stems
from .errors import InputError

FILTER_FIELDS = ("author", "title", "doc", "section", "publication", "kind", "date")
FILTER_CLAUSE = re.compile(
    r"(?<!\S)(?P<field>" + "|".join(FILTER_FIELDS) + r"):(?P<value>\"[^\"]*\"|\[[^\]]*\]|\([^)]*\)|\S+)"
)
SYNTAX_CHARS = re.compile(r'["()\[\]{}^~*?:+\-!<>]|\b(?:AND|OR|NOT|TO)\b')
SEARCHABLE_FIELDS = ("author", "content", "date", "doc", "kind", "publication", "section", "title")
MAX_NESTING = 10  # parentheses deeper than this read as plain words (Whoosh's parser recurses)
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)")
_COMPARISON = re.compile(r"(?<!:)(?:[<>]=?)")
_DATE_CLAUSE = re.compile(r"(?<![A-Za-z_:])date:(\[[^\]]*\]|[<>]=?\S*|[^\s\[]\S*)")
_DATE = r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$"  # compiled at its first use: date: queries


def sanitise(text: str) -> tuple[str, list[str]]:
    """Make a query safe for the parser: field names that cannot be searched become plain
    words, a `>` or `<` not after a field (a pasted block quote) is dropped, and open date
    ranges read as Whoosh wants them; return the text and notes saying what changed.

    >>> sanitise("> paragraph:5 of date:[2019 TO *]")[0]
    'paragraph 5 of date:[2019 TO ]'
    """
    notes = []
    unknown = sorted({m.group(1) for m in _FIELD_PREFIX.finditer(text)} - set(SEARCHABLE_FIELDS))
    if unknown:
        text = _FIELD_PREFIX.sub(lambda m: m.group(0) if m.group(1) in SEARCHABLE_FIELDS
                                 else f"{m.group(1)} ", text)
        named = ", ".join(f"{name + ':'!r}" for name in unknown)
        notes.append(f"{named} {'is not a field' if len(unknown) == 1 else 'are not fields'} "
                     f"you can search ({', '.join(SEARCHABLE_FIELDS)}); searched for the "
                     f"{'word' if len(unknown) == 1 else 'words'}.")
    text = " ".join(_COMPARISON.sub(" ", text).split())
    return _DATE_CLAUSE.sub(_checked_date_clause, text), notes


def _checked_date_clause(match: re.Match) -> str:
    """A date filter with `*` bounds made open, refusing a bound that is not a date."""
    value = match.group(1)
    if value.startswith("["):
        bounds = re.split(r"\s+TO\s+|\s+to\s+", value[1:-1].strip() + " ", maxsplit=1)
        if len(bounds) != 2:
            raise InputError(f"Could not read the date range {match.group(0)!r}; write it as "
                             "date:[2019 TO 2023], date:[2019 TO *] or date:[* TO 2023].")
        low, high = (_date_bound(bound.strip(), match.group(0)) for bound in bounds)
        return f"date:[{low} TO {high}]"
    comparison = re.match(r"[<>]=?", value)
    operator = comparison.group(0) if comparison else ""
    bound = _date_bound(value[len(operator):], match.group(0), empty=False)
    if not operator:
        return f"date:{bound}"
    if operator in (">", "<"):  # Whoosh reads > and < as >= and <=: step past the period
        bound = _next_period(bound, -1 if operator == "<" else 1)
    return f"date:[{bound} TO ]" if operator.startswith(">") else f"date:[ TO {bound}]"


def _next_period(bound: str, step: int) -> str:
    """The year, month or day after (step 1) or before (step -1) a compact date bound.

    >>> _next_period("2019", 1), _next_period("201912", 1), _next_period("20190301", -1)
    ('2020', '202001', '20190228')
    """
    if len(bound) == 4:
        return f"{int(bound) + step:04d}"
    if len(bound) == 6:
        months = int(bound[:4]) * 12 + int(bound[4:]) - 1 + step
        return f"{months // 12:04d}{months % 12 + 1:02d}"
    day = date(int(bound[:4]), int(bound[4:6]), int(bound[6:])) + timedelta(days=step)
    return day.strftime("%Y%m%d")


def _date_bound(bound: str, clause: str, empty: bool = True) -> str:
    if bound in ("*", "") and empty:
        return ""
    found = re.match(_DATE, bound)
    if found:
        year, month, day = (int(part) if part else 1 for part in found.groups())
        try:
            date(year, month, day)
        except ValueError:
            pass
        else:  # Whoosh reads a dashed month in a range or comparison as its whole year
            given = (found.group(2), found.group(3))
            return f"{year:04d}" + "".join(f"{int(part):02d}" for part in given if part)
    raise InputError(f"Could not read the date {bound!r} in {clause!r}; write dates as 2019, "
                     "2019-08 or 2019-08-31.")


def has_syntax(text: str) -> bool:
    """True when a query uses phrases, operators, fields, ranges or wildcards.

    >>> has_syntax("Georgian affair"), has_syntax('"river of blood"'), has_syntax("a NOT b")
    (False, True, True)
    """
    return bool(SYNTAX_CHARS.search(text))


def syntax_problem(text: str) -> str:
    """Return what is wrong with the query syntax, or "" when it looks well formed.

    >>> syntax_problem('"river of blood'), syntax_problem("(trotsky OR lenin"), syntax_problem("a AND b")
    ('an unclosed quote', 'unbalanced parentheses', '')
    """
    if text.count('"') % 2:
        return "an unclosed quote"
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return "unbalanced parentheses"
        if depth > MAX_NESTING:
            return f"parentheses nested more than {MAX_NESTING} deep"
    if depth:
        return "unbalanced parentheses"
    if text.count("[") != text.count("]"):
        return "an unclosed range"
    if re.search(r"(^|\s)(AND|OR|NOT)\s*$|^\s*(AND|OR)\b|\b(AND|OR|NOT)\s+(AND|OR)\b", text):
        return "an operator without a word beside it"
    if re.search(r"(^|\s)\w+:(\s|$)", text):
        return "a field name without a value"
    return ""


def plain_words(text: str) -> str:
    """Return the query's words without any syntax.

    >>> plain_words('"river of blood AND (trotsky')
    'river of blood trotsky'
    """
    return " ".join(SYNTAX_CHARS.sub(" ", text).split())


def split_filters(text: str) -> tuple[list[str], str]:
    """Separate field filters (author:, title:, doc:, ...) from the words to rank by.

    >>> split_filters('author:narai "river of blood" doc:000')
    (['author:narai', 'doc:000'], '"river of blood"')
    """
    filters = [match.group(0) for match in FILTER_CLAUSE.finditer(text)]
    return filters, " ".join(FILTER_CLAUSE.sub(" ", text).split())


def plain_terms(text: str) -> list[str]:
    without_fields = re.sub(r"\b\w+:(\"[^\"]*\"|\[[^\]]*\]|\S+)", " ", text)
    return [match.group() for match in re.finditer(r"(?<![\w*?~])[\w'’]+(?![\w'’*?~])",
                                                   without_fields)
            if match.group() not in ("AND", "OR", "NOT", "TO") and not match.group().isdigit()]


def replace_word(text: str, word: str, replacement: str) -> str:
    return re.sub(rf"(?<![\w'’]){re.escape(word)}(?![\w'’])", replacement, text, count=1)


def query_word_stems(words: str) -> set[str]:
    """The stems of a query's plain words, without syntax or field filters."""
    return set(text_stems(plain_words(words)))


# Stem endings that make a word of the same family which Snowball leaves apart: it strips
# inflections, and derivational suffixes only from the end of a long enough word, so the
# member of a place, party or doctrine keeps its own stem (Georgia/Georgian, Italy/Italian,
# Stalin/Stalinist, Tsar/Tsarism, Japan/Japanese, Trotsky/Trotskyite), and so does an
# adjective in -y (blood/bloody, salt/salty: Snowball's "i"). Any other shared prefix is no
# sign of one family: hors/horsley, oper/operand, salt/saltcat.
DERIVATION_ENDINGS = ("i", "n", "an", "ian", "ist", "ite", "ism", "ese")
MIN_RELATED_STEM = 4  # letters a stem and its related form keep at least


def derivation_candidates(query_stem: str) -> list[str]:
    """Stems that would be query_stem's derivation, or the stem it derives from, by one of
    DERIVATION_ENDINGS; the caller keeps those in its vocabulary.

    >>> derivation_candidates("georgian")[-3:]
    ['georgia', 'georgi', 'georg']
    """
    if len(query_stem) < MIN_RELATED_STEM:
        return []
    longer = [query_stem + ending for ending in DERIVATION_ENDINGS]
    shorter = [query_stem[: -len(ending)] for ending in DERIVATION_ENDINGS
               if query_stem.endswith(ending) and len(query_stem) - len(ending) >= MIN_RELATED_STEM]
    return longer + shorter


def related_forms(stems: set[str], vocabulary_stems: Container[str]) -> list[str]:
    """Stems of the same word family that Snowball leaves apart: Georgia/Georgian,
    Italy/Italian, Stalin/Stalinist (one is the other plus a derivational ending).

    >>> related_forms({"georgia", "itali"}, {"georgian", "italian", "georgia", "geo", "italic"})
    ['georgian', 'italian']
    """
    found = {other for query_stem in stems for other in derivation_candidates(query_stem)
             if other in vocabulary_stems}
    return sorted(found - stems)


def without_stop_words(words: str) -> str:
    """Drop stop words from a plain-word query that has other words.

    They add almost nothing to BM25 (they are in nearly every passage) but make Whoosh score
    nearly every passage; phrases and other syntax keep them ("to be or not to be").

    >>> without_stop_words("socialism in one country"), without_stop_words("to be or not")
    ('socialism one country', 'to be or not')
    """
    if has_syntax(words):
        return words
    kept = [word for word in words.split() if fold(word) not in STOP_WORDS]
    return " ".join(kept) if kept else words


def closest_word(word: str, vocabulary: Mapping[str, list]) -> str:
    """Return the most frequent vocabulary word within a small edit distance of word."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    limit = 1 if len(word) <= 4 else 2
    candidates = process.extract(word, list(vocabulary), scorer=DamerauLevenshtein.distance,
                                 score_cutoff=limit, limit=20)
    if not candidates:
        return ""
    return min(candidates, key=lambda item: (item[1], -vocabulary[item[0]][1]))[0]


