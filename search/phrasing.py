"""Queries as people type them: questions, number words, decades, and families of names.

People ask "Where was Trotsky exiled?", write "the forty-six" where the article prints "46",
"the 1920s" where it names single years, and "Trotskyist" where it says "Trotsky's". This
module rewrites the plain words of such a query into the words the articles use, before the
query is parsed; it is pure string work (find.py and ranking.py do the searching).

    >>> as_typed("Where was Trotsky exiled?").words
    'Trotsky exiled'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .analyse import fold
from .frozen import frozen_dataclass

QUESTION_WORDS = frozenset("who whom whose what when where why how which".split())
# Words that follow a question word without carrying its topic ("how did", "what was").
QUESTION_FILLERS = frozenset(
    "is are was were be been did do does has have had can could would should will "
    "many much far long often happen happened happens".split()
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
COMPOUND_NUMBER = re.compile(r"\b(" + "|".join(sorted(TENS)) + r")-(" +
                             "|".join(w for w in NUMBER_WORDS if NUMBER_WORDS[w] < 10) + r")\b", re.I)
DECADE = re.compile(r"(?<![\w'’])(1[0-9]{2}0)['’]?s\b")
DECADE_YEAR_WEIGHT = 0.3  # each single year of a decade, against 1 for a query word
NAME_SUFFIXES = ("ists", "isms", "ites", "ians", "ist", "ism", "ite", "ian")


@frozen_dataclass
class TypedQuery:
    """A query's plain words rewritten, extra (word, weight) terms, and what changed."""

    words: str
    extra: tuple[tuple[str, float], ...] = ()
    notes: tuple[str, ...] = ()


def as_typed(text: str) -> TypedQuery:
    """Rewrite a plain-word query as the articles would put it; syntax is left alone.

    >>> as_typed("statement of the forty-six").words
    'statement of the 46'
    >>> as_typed("abortion in the 1920s").extra[:2]
    (('1920', 0.3), ('1921', 0.3))
    """
    words = question_topic(text)
    words = COMPOUND_NUMBER.sub(lambda m: str(NUMBER_WORDS[m.group(1).lower()]
                                              + NUMBER_WORDS[m.group(2).lower()]), words)
    extra = tuple((str(year), DECADE_YEAR_WEIGHT) for decade in DECADE.findall(words)
                  for year in range(int(decade), int(decade) + 10))
    return TypedQuery(words, extra)


def question_topic(text: str) -> str:
    """Return a question without its question mark and its leading question words.

    A question mark would otherwise read as a one-letter wildcard ("exiled?"), and the question
    words match passages that merely ask something.

    >>> question_topic("How did Stalin become general secretary?")
    'Stalin become general secretary'
    >>> question_topic("Is Stalinism the continuation of Leninism?"), question_topic("trots?y")
    ('Stalinism the continuation of Leninism', 'trots?y')
    """
    stripped = text.strip()
    words = stripped.rstrip("?").split()
    if not words:
        return text
    asks = fold(words[0]) in QUESTION_WORDS or stripped.endswith("?") and "?" not in stripped[:-1]
    if not asks:
        return text
    while len(words) > 1 and fold(words[0]) in QUESTION_WORDS | QUESTION_FILLERS:
        words.pop(0)
    return " ".join(words)


def name_family(word: str, vocabulary: Mapping[str, list]) -> list[str]:
    """Return the indexed words of the same name family: Trotsky, Trotsky's, Trotskyist,
    Trotskyism, Trotskyists (the stemmer keeps these apart).

    >>> name_family("Trotskyist", {"trotsky": [], "trotskyism": [], "trotting": []})
    ['trotsky', 'trotskyism']
    """
    base = _name_base(fold(word))
    if len(base) < 4:
        return []
    # A family word is its base plus a suffix, so it starts with the base: an index's
    # lexicon lists those by binary search (not every word of the first four letters: in a
    # dictionary's vocabulary, hundreds); a dict is scanned.
    starting = getattr(vocabulary, "starting_with", None)
    words = starting(base) if starting else vocabulary
    return sorted(other for other in words
                  if other != fold(word) and other[:4] == base[:4] and _name_base(other) == base)


def _name_base(word: str) -> str:
    """Return a word without a derivational suffix of names (-ist, -ism, -ite, -ian).

    >>> _name_base("trotskyists"), _name_base("stalinism"), _name_base("trotsky")
    ('trotsky', 'stalin', 'trotsky')
    """
    for suffix in NAME_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
