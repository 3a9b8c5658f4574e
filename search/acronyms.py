"""Acronyms and the names they stand for, as the articles define them.

An article names a thing in full once, "the New Economic Policy (NEP)", and by its initials
after that; a reader asks "Why was the NEP introduced?" or "When was the Left Opposition
founded?", and the passages that answer say it the other way ("They built the LO"). This
module finds such a definition in a text (the Schwartz–Hearst pattern: the long form stands
just before the short form in parentheses, and its words' initials spell it) and the
candidate acronyms of a query. It is pure string work: find.py reads the definitions from
the index, so only a short form the articles themselves define is ever expanded.

    >>> defined_expansion('adopting the “New Economic Policy” (NEP) – a retreat', "NEP")
    'New Economic Policy'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .analyse import STOP_WORDS, fold

# Short words a long form may hold without an initial in its short form ("Union of ...").
LINKING_WORDS = frozenset("of the and for on in de du la del des von van to at".split())
MAX_LETTERS = 6
LOWER_CASE_TRIES = 2  # lower-case words of a query tried as short forms (each reads a few blocks)
TYPED_ACRONYM = re.compile(rf"(?<![\w'’])[A-Z]{{2,{MAX_LETTERS}}}s?(?!\w)")
QUERY_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def typed_acronyms(words: str) -> list[str]:
    """Return the short forms a query types in capitals (2 to 6 letters; a plural s dropped).

    >>> typed_acronyms("Why was the NEP introduced? USSR's end, the CPs and I")
    ['NEP', 'USSR', 'CP']
    >>> typed_acronyms("NEP AND kulaks NOT Bukharin")
    ['NEP']
    """
    found = [match.group().removesuffix("s") for match in TYPED_ACRONYM.finditer(words)
             if match.group() not in QUERY_OPERATORS]
    return list(dict.fromkeys(form for form in found if len(form) >= 2))


def spelled_names(words: str) -> dict[str, str]:
    """Return the short form each run of two or more content words of a query would have, by
    its initials ("left opposition" -> LO); linking words may stand inside a run, an operator
    (AND, OR, NOT) ends it.

    >>> spelled_names("When was the Left Opposition founded?")
    {'LO': 'Left Opposition', 'LOF': 'Left Opposition founded', 'OF': 'Opposition founded'}
    >>> spelled_names("the Union of Soviet Socialist Republics")["USSR"]
    'Union of Soviet Socialist Republics'
    >>> spelled_names("acid AND salt"), spelled_names("Left Opposition OR Trotskyists")
    ({}, {'LO': 'Left Opposition'})
    """
    names = WORD.findall(words)
    runs: dict[str, str] = {}
    for first, word in enumerate(names):
        if word.lower() in STOP_WORDS:
            continue
        for last in range(first + 1, len(names)):
            if names[last] in QUERY_OPERATORS:
                break
            if names[last].lower() in LINKING_WORDS:
                continue
            if names[last].lower() in STOP_WORDS:
                break
            run = names[first:last + 1]
            if len(initials(run)) > MAX_LETTERS:
                break
            runs.setdefault(initials(run), " ".join(run))
    return runs


def initials(words: list[str]) -> str:
    """Return the capitalised initials of words, linking words left out.

    >>> initials(["Union", "of", "Soviet", "Socialist", "Republics"])
    'USSR'
    """
    return "".join(word[0].upper() for word in words if word.lower() not in LINKING_WORDS)


def defined_expansion(text: str, acronym: str) -> str:
    """Return the long form that text defines for an acronym, or "": "Long Form (LF)", or
    the other way round, "LF (Long Form)".

    The long form is the shortest run of words next to the brackets whose initials spell the
    acronym and whose first word is capitalised like a name.

    >>> defined_expansion("What was the Left Opposition (LO) which led", "LO")
    'Left Opposition'
    >>> defined_expansion("the NEP (New Economic Policy) was", "NEP")
    'New Economic Policy'
    >>> defined_expansion("Members of the RCP declared their opposition (LO)", "LO")
    ''
    """
    if acronym not in text:  # each pattern holds it as typed
        return ""
    short = re.escape(acronym)
    for match in re.finditer(rf"\(\s*{short}s?\s*\)", text):
        long = _spelling_run(WORD.findall(text[:match.start()])[-(len(acronym) + 5):], acronym,
                             backwards=True)
        if long:
            return long
    for match in re.finditer(rf"(?<![\w'’]){short}s?\s*\(([^()]*)\)", text):
        long = _spelling_run(WORD.findall(match.group(1)), acronym, backwards=False)
        if long and long == " ".join(WORD.findall(match.group(1))):
            return long
    return ""


def _spelling_run(words: list[str], acronym: str, backwards: bool) -> str:
    """Return the shortest run of words at the end (backwards) or start of `words` that
    spells the acronym, its first word capitalised, or ""."""
    for size in range(1, len(words) + 1):
        run = words[-size:] if backwards else words[:size]
        if initials(run) == acronym and run[0][0].isupper():
            return " ".join(run)
        if len(initials(run)) > len(acronym):
            break
    return ""


def bridges(words: str, known: Callable[[str], bool], first_mentions: Callable[[str], list[str]],
            rare: Callable[[str], bool] = lambda word: False) -> list[tuple[str, str]]:
    """Return (as typed, as also written) pairs for a query: each short form with the long
    form the articles define for it, and each run of words that the articles shorten to a
    defined short form. `known` says whether the index holds a (lower-case) word;
    `first_mentions` gives the texts that may define one; a word typed in lower case is
    tried as a short form when `rare` says few passages hold it (at most LOWER_CASE_TRIES).

    >>> texts = {"nep": ["the “New Economic Policy” (NEP) – a retreat"]}
    >>> bridges("Why was the NEP introduced?", texts.__contains__, texts.__getitem__)
    [('NEP', 'New Economic Policy')]
    >>> bridges("the new economic policy", texts.__contains__, texts.__getitem__)
    [('new economic policy', 'NEP')]
    >>> bridges("the nep", texts.__contains__, texts.__getitem__, lambda word: word == "nep")
    [('nep', 'New Economic Policy')]
    """
    pairs = []
    typed = typed_acronyms(words)
    for word in typed + _lower_case_shorts(words, rare):
        long = _definition(word.upper(), known, first_mentions)
        if long:
            pairs.append((word, long))
    for short, run in spelled_names(words).items():
        if short not in typed and fold(_definition(short, known, first_mentions)) == fold(run):
            pairs.append((run, short))
    return pairs


def _lower_case_shorts(words: str, rare: Callable[[str], bool]) -> list[str]:
    """Return the first few words typed in lower case that may be short forms: 2 to 6
    letters, not stop words, held by few passages."""
    found = [word for word in dict.fromkeys(WORD.findall(words))
             if word.islower() and 2 <= len(word) <= MAX_LETTERS and word not in STOP_WORDS]
    return [word for word in found if rare(word)][:LOWER_CASE_TRIES]


def _definition(short: str, known: Callable[[str], bool],
                first_mentions: Callable[[str], list[str]]) -> str:
    """Return the long form the articles define for a short form, or ""."""
    if not known(short.lower()):
        return ""
    for text in first_mentions(short.lower()):
        long = defined_expansion(text, short)
        if long:
            return long
    return ""
