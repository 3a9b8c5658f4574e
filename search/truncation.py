"""Truncations that change the meaning: a clause lifted out of a longer source sentence.

"Critics alleged that the plan had failed" quoted as the sentence "The plan had failed." keeps
every word and says something else. A quotation presented as a whole sentence (capital first
letter, closing full stop, question or exclamation mark) is judged against the source sentence
it stands in: the words cut away govern it when they hold a verb or noun of saying, believing,
proposing or deciding (argued that, the claim that, it was decided that, whether), a negation,
or a condition or contrast after it (unless, if, except, but not, than). An introductory
adverbial or prepositional phrase ("Published in 1937,", "In March") does not govern.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from .align import NEGATIONS, Difference, Edit
from .analyse import stem
from .frozen import frozen_dataclass
from .quotation import Quotation, Token

# Verbs and nouns that turn the clause after them into someone's claim, belief, proposal or
# decision; compared by stem, so "argued", "argues" and "argument" all count.
REPORTING_WORDS = frozenset(stem(word) for word in (
    "say said says tell told state warn warning claim allege assert argue argument contend insist "
    "maintain believe belief think thought suppose assume assumption imagine fear hope "
    "doubt deny denial admit concede suggest suggestion propose proposal proposition "
    "recommend demand decide decision resolve resolution declare declaration announce "
    "proclaim report write wrote writes insist predict prediction promise pretend pretence "
    "conclude conclusion agree accuse accusation rumour rumor myth legend idea "
    "notion theory thesis view opinion illusion lie dogma doctrine slogan "
    "according alleged supposed supposedly reportedly apparently "
    "wonder ask asked question whether teach taught preach").split())
CONDITIONS = frozenset("if unless except excepting save provided providing until "
                       "whether lest".split())
CONTRASTS = frozenset("than but without rather instead whereas".split())
COMPLEMENTIZERS = frozenset("that whether if how why what lest".split())
DETERMINERS = frozenset("the a an this these those his her their its our my your".split())
ABBREVIATIONS = frozenset("mr mrs ms dr st mt jr sr vol no p pp ch cf vs etc ie eg".split())
SENTENCE_MARKS = re.compile(r"[.?!]")


@frozen_dataclass
class Cut:
    """Words of the source sentence that a sentence-shaped quotation leaves out, on one side."""

    side: str  # "before" or "after"
    first: int  # token indexes of the cut words, inclusive
    last: int
    reason: str  # why they govern the quotation; "" when they do not
    marked: bool  # the quotation marks the cut with an ellipsis

    @property
    def governs(self) -> bool:
        """True when leaving these words out changes what the quotation says."""
        return bool(self.reason)


def judge(quote: Quotation, source: Sequence[Token], first: int, last: int,
          block_starts: set[int], text: str) -> tuple[list[Difference], list[Edit], list[str]]:
    """What a quotation cuts off its source sentence: governing words cut without a mark are
    deletions; words an edge ellipsis stands for are an omission; both warn when they govern."""
    differences, edits, warnings = [], [], []
    for cut in cuts(quote, source, first, last, block_starts):
        printed = text[source[cut.first].start:source[cut.last].end]
        note = warning(cut, printed) if cut.governs else ""
        if cut.marked:
            edits.append(Edit("ellipsis", printed, "...", note))
        else:
            differences.append(Difference("delete", printed, ""))
        if note:
            warnings.append(note)
    return differences, edits, warnings


def opens_sentence(quote: Quotation) -> bool:
    """True when the quotation starts as a sentence does: a capital, no ellipsis before it."""
    return quote.tokens[0].text[:1].isupper() and not quote.leading_ellipsis


def closes_sentence(quote: Quotation) -> bool:
    """True when the quotation ends as a sentence does: . ? or !, no ellipsis after it."""
    text = quote.text.strip().rstrip("\"'“”‘’) ")
    return bool(text) and text[-1] in ".?!" and not quote.trailing_ellipsis \
        and not text.endswith("..")


def presented_as_sentence(quote: Quotation) -> bool:
    """True for a quotation typed as a whole sentence: capital first, full stop (or ? !) last.

    >>> from .quotation import parse_quotation
    >>> presented_as_sentence(parse_quotation("The plan had failed.")), \
        presented_as_sentence(parse_quotation("the plan had failed."))
    (True, False)
    """
    return opens_sentence(quote) and closes_sentence(quote)


def cuts(quote: Quotation, source: Sequence[Token], first: int, last: int,
         block_starts: set[int]) -> list[Cut]:
    """The words a quotation leaves out of its source sentence: those that govern it, and
    those an ellipsis at its edge stands for (which make it edited, governing or not).

    Only a quotation presented as a sentence is judged, or one whose edge has an ellipsis
    ("... the party could not be turned back.": the full stop still claims the sentence's end).
    """
    whole = presented_as_sentence(quote)
    # An ellipsis the source itself prints at the quotation's edge ("mechanics… the middle
    # peasant") is quoted text, not an editorial mark standing for what follows.
    leading = quote.leading_ellipsis and not (first > 0 and _prints_ellipsis(source[first - 1]))
    trailing = quote.trailing_ellipsis and not _prints_ellipsis(source[last])
    judge_before = whole or leading
    judge_after = whole or trailing or (leading and closes_sentence(quote))
    found = []
    begin = sentence_start(source, first, block_starts)
    if judge_before and begin < first:
        found.append(Cut("before", begin, first - 1, governing_before(source[begin:first]),
                         leading))
    end = sentence_end(source, last, block_starts)
    if judge_after and end > last:
        words = [token.key for token in source[last + 1:end + 1]]
        found.append(Cut("after", last + 1, end, governing_after(words, source[last].trail),
                         trailing))
    return [cut for cut in found if cut.governs or cut.marked]


def _prints_ellipsis(token: Token) -> bool:
    """True when the source prints an ellipsis right after this word."""
    return "..." in token.trail.replace(" ", "") or "…" in token.trail


def sentence_start(source: Sequence[Token], index: int, block_starts: set[int]) -> int:
    """Index of the first token of the sentence holding source[index]."""
    starts = sorted(block_starts)
    while index > 0 and not ends_sentence(source, index - 1) \
            and not _block_between(source[index - 1], source[index], starts):
        index -= 1
    return index


def sentence_end(source: Sequence[Token], index: int, block_starts: set[int]) -> int:
    """Index of the last token of the sentence holding source[index]."""
    starts = sorted(block_starts)
    while index + 1 < len(source) and not ends_sentence(source, index) \
            and not _block_between(source[index], source[index + 1], starts):
        index += 1
    return index


def _block_between(before: Token, after: Token, starts: list[int]) -> bool:
    """True when a block (paragraph) starts between two words: a sentence never crosses it,
    even when the second block opens with a quote mark rather than the word itself."""
    at = bisect.bisect_right(starts, before.start)
    return at < len(starts) and starts[at] <= after.start


def ends_sentence(source: Sequence[Token], index: int) -> bool:
    """True when a sentence ends after source[index]: . ? or ! then a capital or a digit."""
    token = source[index]
    if not SENTENCE_MARKS.search(token.trail) or index + 1 >= len(source):
        return index + 1 >= len(source)
    if token.trail.startswith(".") and (token.key in ABBREVIATIONS or
                                        (len(token.text) == 1 and token.text.isupper())):
        return False
    following = source[index + 1].text[:1]
    return following.isupper() or following.isdigit()


def governing_before(tokens: Sequence[Token]) -> str:
    """Why the words before a quotation govern it ("" when they are only an introduction).

    >>> from .quotation import read_tokens
    >>> governing_before(read_tokens("Critics alleged that"))
    'a verb or noun of saying, believing or deciding (alleged)'
    >>> governing_before(read_tokens("Published in 1937, when the writing was signed,"))
    ''
    """
    reporting = [token.key for index, token in enumerate(tokens)
                 if stem(token.key) in REPORTING_WORDS and _introduces(tokens, index)]
    if reporting:
        return f"a verb or noun of saying, believing or deciding ({', '.join(reporting)})"
    negations = [token.key for token in tokens if token.key in NEGATIONS]
    if negations:
        return f"a negation ({', '.join(negations)})"
    conditions = [token.key for token in tokens if token.key in CONDITIONS]
    if conditions:
        return f"a condition ({', '.join(conditions)})"
    return ""


def _introduces(tokens: Sequence[Token], index: int) -> bool:
    """True when the reporting word at index introduces what follows: a "that" or "whether"
    comes after it, or (a verb, not "the writing") it ends the cut or is followed within three
    words by a comma or colon, as direct speech is ("said unto them, ...")."""
    if any(token.key in COMPLEMENTIZERS for token in tokens[index + 1:]):
        return True
    if index and tokens[index - 1].key in DETERMINERS:
        return False
    if index == len(tokens) - 1:
        return True
    return any(":" in token.trail or "," in token.trail for token in tokens[index:index + 4])


def governing_after(words: list[str], joint: str = "") -> str:
    """Why the words after a quotation govern it: a condition, contrast, negation or report.

    >>> governing_after("unless the rank and file acted".split())
    'a condition (unless the rank and file acted)'
    >>> governing_after("and the state grew".split())
    ''
    """
    head = words[:3]
    phrase = " ".join(words[:8]) + (" ..." if len(words) > 8 else "")
    if words and words[0] in CONDITIONS or (head[:2] == ["only", "if"]):
        return f"a condition ({phrase})"
    if words and (words[0] in CONTRASTS and (words[0] != "but" or "not" in head)):
        return f"a contrast ({phrase})"
    if any(word in NEGATIONS for word in head):
        return f"a negation ({phrase})"
    reporting = [word for word in words[:6] if stem(word) in REPORTING_WORDS]
    if reporting and "," in joint:
        return f"a verb of saying or believing ({', '.join(reporting)})"
    return ""


def warning(cut: Cut, printed: str) -> str:
    """The warning a governing cut earns, naming the source's words."""
    return (f"the quotation leaves out the words “{printed}” {cut.side} it in the source "
            f"sentence, which change its meaning: {cut.reason}")
