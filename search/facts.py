"""Fact checks between a quotation and a passage that may paraphrase it.

Sentence embeddings rate closeness of topic and wording, not truth: "Stalin dissolved the
Comintern on his own initiative" scores like "at the request of Churchill and Roosevelt". Before
a passage is called a paraphrase, the facts a reader relies on must agree: every number and
date the quotation gives, its names, its polarity (a negation on one side only), who acted (on
one's own initiative against at someone's request), and the direction of what was done
(supported against turned against, won against lost).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .align import NEGATIONS
from .analyse import STOP_WORDS, fold, stem
from .frozen import frozen_dataclass

NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "thousand": "1000",
    "first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th",
    "single": "1", "pair": "2", "dozen": "12", "both": "2",
}
# Who acted: on one's own account, or at another's behest. A quotation on one side and its
# candidate on the other say different things.
OWN_ACCORD = ("own initiative", "own accord", "voluntarily", "unprompted", "spontaneously",
              "of his own", "of her own", "of their own", "on his own", "on their own",
              "against the wishes", "in defiance", "despite")
AT_BEHEST = ("request", "behest", "insistence", "urging", "demand of", "demands of",
             "at the wish", "pressure from", "under pressure", "on the orders", "ordered by",
             "instructed", "bidding")
# Opposite directions of one act, compared by stem.
OPPOSITES = [
    ("support supported backed joined defended endorsed praised welcomed favoured favored "
     "championed embraced adopted approved accepted allied",
     "opposed against rejected condemned attacked denounced fought resisted criticised "
     "criticized abandoned refused banned betrayed disapproved"),
    ("win won victory victorious succeeded success triumph", "lose lost defeat failed failure"),
    ("rise rose grew grow increased expanded gained", "fell fall declined decreased shrank "
     "dropped"),
    ("friend friends ally", "enemy enemies rival foe"),
    ("freed released", "arrested imprisoned jailed captured"),
    ("lived alive survived", "died dead killed murdered executed shot"),
    ("legal allowed permitted", "illegal forbidden prohibited outlawed"),
    ("rich wealthy", "poor"),
    ("strong strengthened", "weak weakened"),
    ("beginning began begin start started", "end ended close closed"),
]
NAME_STOPS = frozenset("i the a an in on at of and but if when while after before this that "
                       "these those it he she they we his her their its our as for from by "
                       "with to yet so thus then there here what who whom which why how "
                       "once during".split())


@frozen_dataclass
class Facts:
    """What a text asserts that a paraphrase must keep."""

    numbers: frozenset[str]
    names: frozenset[tuple[str, ...]]
    nouns: frozenset[tuple[str, ...]]  # names not followed by a lower-case content word
    negated: frozenset[str]  # stems of the words a negation governs (up to a punctuation mark)
    own_accord: bool
    at_behest: bool
    stems: frozenset[str]


def read_facts(text: str) -> Facts:
    """Return the numbers, names, polarity, agency and stems a text states.

    >>> sorted(read_facts("In 1943 Stalin dissolved all four bodies.").numbers)
    ['1943', '4']
    >>> sorted(read_facts("In 1943 Stalin dissolved the Third International.").names)
    [('stalin',), ('third', 'international')]
    """
    words = re.findall(r"[\w'’]+", text)
    lowered = [fold(word.lower().replace("’", "'")) for word in words]
    plain = " ".join(lowered)
    return Facts(
        numbers=frozenset(_numbers(lowered, words)),
        names=frozenset(_names(words)),
        nouns=frozenset(_names(words, nouns_only=True)),
        negated=frozenset(_negated(text)),
        own_accord=any(phrase in plain for phrase in OWN_ACCORD),
        at_behest=any(phrase in plain for phrase in AT_BEHEST),
        stems=frozenset(stem(word) for word in lowered if word not in STOP_WORDS),
    )


def _negated(text: str) -> set[str]:
    """Stems of the content words each negation governs, up to the next punctuation mark; a
    bare negation ("or no") governs nothing but still counts, as the marker "not"."""
    scoped: set[str] = set()
    for clause in re.split(r"[,;:.!?()\u2013\u2014-]", text.lower().replace("’", "'")):
        words = [fold(word) for word in re.findall(r"[\w']+", clause)]
        for index, word in enumerate(words):
            if word.replace("'", "") in NEGATIONS or word.endswith("n't"):
                scoped.add("not")
                scoped.update(stem(w) for w in words[index + 1:] if w not in STOP_WORDS)
    return scoped


def _numbers(words: list[str], printed: list[str]) -> set[str]:
    """Numbers and dates, digits or words ("four" is 4); a capitalised number word inside a
    sentence is part of a name ("the Third International"), not a number."""
    found = set()
    for index, word in enumerate(words):
        digits = word.replace(",", "")
        if digits.isdecimal():  # not isdigit: '²' is a digit int() cannot read (fuzz test)
            found.add(str(int(digits)))
        elif word in NUMBER_WORDS and not (index and printed[index][:1].isupper()):
            found.add(NUMBER_WORDS[word])
        elif re.fullmatch(r"\d+(st|nd|rd|th)", word):
            found.add(word)
    return found


def _names(words: list[str], nouns_only: bool = False) -> set[tuple[str, ...]]:
    """Runs of capitalised words that are not the first of a sentence nor common words: each
    run is one name ("Third International"), present when any of its words is. A capitalised
    word between "the" and a lower-case word is an adjective ("the Soviet leader")."""
    names: list[list[str]] = []
    previous = -2
    for index, word in enumerate(words):
        if index == 0 or not word[:1].isupper() or word.lower() in NAME_STOPS \
                or word.lower() in STOP_WORDS:
            continue
        if words[index - 1].lower() == "the" and index + 1 < len(words) \
                and words[index + 1][:1].islower():
            continue
        folded = fold(word.lower().replace("’", "'")).split("'")[0]
        if index == previous + 1:
            names[-1].append(folded)
        else:
            names.append([folded])
        previous = index
        if nouns_only and index + 1 < len(words) and words[index + 1][:1].islower() \
                and words[index + 1].lower() not in STOP_WORDS:
            names.pop()  # "Stalin punished", "Soviet agents": maybe an adjective
            previous = -2
    return {tuple(name) for name in names}


def conflicts(quote: Facts, passage: Facts, context: Facts) -> list[str]:
    """Reasons the passage does not say what the quotation says ([] when none is found).

    `passage` is the sentence or two that matched; `context` its whole paragraph, where a
    name or a date the sentence leaves to its neighbours may stand.
    """
    reasons = []
    missing_numbers = ", ".join(sorted(quote.numbers - context.numbers))
    if missing_numbers:
        reasons.append(f"a number or date the passage does not give ({missing_numbers})")
    missing = {name for name in quote.names if not any(_name_in(word, context) for word in name)}
    missing_names = sorted(" ".join(name) for name in missing)
    if missing & quote.nouns or len(missing) * 2 > len(quote.names):
        reasons.append(f"names the passage does not give ({', '.join(missing_names)})")
    if _negation_differs(quote, passage) or _negation_differs(passage, quote):
        reasons.append("a negation on one side only")
    if (quote.own_accord and passage.at_behest) or (quote.at_behest and passage.own_accord):
        reasons.append("another agent (on one's own initiative / at another's request)")
    reasons.extend(_opposites(quote.stems, passage.stems))
    return reasons


def _negation_differs(one: Facts, other: Facts) -> bool:
    """True when one side negates something the other states without any negation."""
    return bool(one.negated) and not other.negated and bool((one.negated - {"not"}) & other.stems)


def _name_in(name: str, context: Facts) -> bool:
    """A name counts as present under any ending: Soviet/Soviets, Stalin/Stalinist."""
    prefix = name[:max(4, len(name) - 3)]
    return any(word.startswith(prefix) for word in context.stems) or stem(name) in context.stems


def _opposites(quote: frozenset[str], passage: frozenset[str]) -> list[str]:
    reasons = []
    for one, other in OPPOSITES:
        ones, others = _stems(one), _stems(other)
        quote_one, quote_other = _has(quote, ones), _has(quote, others)
        passage_one, passage_other = _has(passage, ones), _has(passage, others)
        if (quote_one and not quote_other and passage_other and not passage_one) or \
                (quote_other and not quote_one and passage_one and not passage_other):
            said = ", ".join(sorted(quote_one | quote_other))
            printed = ", ".join(sorted(passage_one | passage_other))
            reasons.append(f"the opposite act (“{said}” where the passage has “{printed}”)")
    return reasons


def _has(stems: frozenset[str], wanted: frozenset[str]) -> set[str]:
    return set(stems & wanted)


@lru_cache(maxsize=64)
def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(word) for word in words.split())
