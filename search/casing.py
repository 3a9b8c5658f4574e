"""How an article's own text writes the words of its title: the evidence APA sentence case needs.

A headline-style title capitalises every major word, so its capitals cannot tell a proper noun
("Stalinism", "Left Opposition") from a common one ("Fight", "Emergence"). The article's body
can: a word its author capitalises in mid-sentence is a proper noun there, one written in
lowercase is not. `learn_title_case` reads the body once, when the article is indexed, and
keeps a verdict for each capitalised title word it can decide. Runs of capitalised words are
judged as a whole first, so "Left Opposition" stays capitalised even where "left" alone is a
common word. A word the body never writes mid-sentence, or writes both ways, stays undecided.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PROPER = "proper"
COMMON = "common"
# A verdict needs this many more occurrences one way than the other.
MAJORITY = 3
# Articles, conjunctions and prepositions: never a run of their own (headline-style minor words).
_MINOR = frozenset("""a an the and but for nor or so yet about across after against along amid
    among around as at before between beyond by despite during except from in into of on onto
    per since than through throughout till to toward towards under until unto upon versus via
    with within without""".split())
_SENTENCE_OPENERS = ".!?…:\"“”‘(["


def learn_title_case(title: str, texts: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Return (title word, "proper" or "common") for each capitalised word the texts decide.

    >>> body = ["Trotsky led the Left Opposition against Stalinism.",
    ...         "Its fight was long, and the emergence of a left in the party took years."]
    >>> learn_title_case("Lenin's Fight Against Stalinism and the Emergence of the Left Opposition",
    ...                  body)
    (('Fight', 'common'), ('Stalinism', 'proper'), ('Emergence', 'common'), ('Left', 'proper'), \
('Opposition', 'proper'))
    """
    body = " \n".join(text.replace(title, " ") for text in texts)
    folded = _folded(body)
    verdicts: dict[str, str] = {}
    for run in _capitalised_runs(title):
        joined = " ".join(run)
        phrase = _judge(joined, body) if len(run) > 1 and _may_occur(joined, folded) else None
        for word in run:
            verdict = phrase or (_judge(word, body, alone=True) if _may_occur(word, folded)
                                 else None)
            if verdict and word not in verdicts:
                verdicts[word] = verdict
    return tuple(verdicts.items())


def title_word(word: str) -> str:
    """Return a title word without the punctuation around it, as `learn_title_case` keys it.

    >>> title_word("Stalinism:"), title_word('"Workers\\'')
    ('Stalinism', "Workers'")
    """
    return word.strip(":;,.?!()[]\"“”—–")


def _capitalised_runs(title: str) -> list[list[str]]:
    """Return the runs of consecutive capitalised, non-minor words of a title."""
    runs: list[list[str]] = []
    current: list[str] = []
    for raw in title.split():
        word = title_word(raw)
        if _is_capitalised(word) and word.lower() not in _MINOR:
            current.append(word)
        else:
            current = []
            continue
        if len(current) == 1:
            runs.append(current)
        if raw != word and raw.endswith((":", ",", ";", "?", "!", "—", "–")):
            current = []  # punctuation ends a name
    return runs


def _is_capitalised(word: str) -> bool:
    """True for "Stalinism" or "Workers'", False for "of", "SMART", "McCarthy" or "100"."""
    letters = [char for char in word if char.isalpha()]
    return bool(letters) and letters[0].isupper() and not any(c.isupper() for c in letters[1:])


# Non-ASCII characters a case-insensitive pattern of ASCII letters matches (İ ı for i, K for
# k, ſ for s): a body holding none can rule out an ASCII phrase by a substring test.
_ASCII_CASE_TWINS = "\u0130\u0131\u212a\u017f"


def _folded(body: str) -> str | None:
    """The body lower-cased with ’ as ', for `_may_occur`; None when it holds a twin."""
    if any(twin in body for twin in _ASCII_CASE_TWINS):
        return None
    return body.lower().replace("\u2019", "'")


def _may_occur(phrase: str, folded: str | None) -> bool:
    """False only when `_judge` would find phrase nowhere in the body: an ASCII phrase
    absent from the folded body (most words of a made-up or foreign title). This saves
    compiling and running a regular expression over the whole body."""
    return folded is None or not phrase.isascii() or phrase.lower() in folded


def _judge(phrase: str, body: str, alone: bool = False) -> str | None:
    """Return PROPER or COMMON when the body writes phrase mid-sentence mostly one way.

    With alone, a capitalised word next to another capitalised word is no evidence: it is
    part of a longer name ("Opposition" in "the United Opposition", "Socialist" in "Socialist
    Party"), which says nothing of the word on its own.
    """
    capitalised = lowered = 0
    pattern = "".join("['’]" if char in "'’" else re.escape(char) for char in phrase)
    for match in re.finditer(rf"(?<![\w'’-]){pattern}(?![\w-])", body, re.IGNORECASE):
        if not _mid_sentence(body, match.start()):
            continue
        found = match.group()
        if found[0].isupper():
            if alone and _in_longer_name(body, match.start(), match.end()):
                continue
            capitalised += 1
        elif found == found.lower():
            lowered += 1
    if capitalised and capitalised >= MAJORITY * lowered:
        return PROPER
    if lowered and lowered >= MAJORITY * capitalised:
        return COMMON
    return None


def _mid_sentence(text: str, at: int) -> bool:
    """True when the word at `at` follows other words of its sentence (not a sentence start)."""
    before = text[max(0, at - 40):at].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_OPENERS and "\n" not in text[at - 2:at]


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """True when a capitalised word stands next to another one, mid-sentence."""
    after = re.match(r"[ \t]+([^\W\d_])", text[end:end + 3])
    before = re.search(r"([^\W\d_])[\w'’.-]*[ \t]+$", text[max(0, start - 40):start])
    if after and after.group(1).isupper():
        return True
    if not before:
        return False
    word_start = start - len(before.group())
    return _mid_sentence(text, word_start) and text[word_start].isupper()
