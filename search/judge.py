"""Judge a located quotation part against the source words it covers, one difference at a time.

Every word-level edit operation between the part and its source run is sorted: equal words
(checked for printing: case, punctuation, a compound split), an attribution interrupting the
quotation in the source, a [bracketed] insertion or replacement, or an unmarked difference (a
variant). The records it fills (`Alignment`, `Difference`, `Edit`) live here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from . import compounds
from .frozen import frozen_dataclass
from .quotation import Token

MAX_GAP_WORDS = 400  # an ellipsis rarely stands for more than this much text
MAX_BRACKETED_WORDS = 3  # "[him]" for "Leon Trotsky"
RUN_WORDS = 3  # a run of the source's wording: this many words in a row
MAX_INTERRUPTION_WORDS = 8  # ”, Trotsky later wrote in his diary, “
NEGATIONS = frozenset("not no never nor neither none nothing nobody without cannot dont "
                      "doesnt didnt isnt wasnt werent wont cant couldnt wouldnt".split())
QUALIFIERS = frozenset("only some most many few almost nearly partly all every always "
                       "sometimes perhaps probably possibly may might largely mainly often "
                       "rarely seldom hardly barely scarcely".split())
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve "
                         "twenty thirty forty fifty hundred hundreds thousand thousands million "
                         "millions billion first second third half".split())


@frozen_dataclass
class Difference:
    """One unmarked word-level difference between source and quotation."""

    op: str  # "replace", "delete" (in the source, not the quote) or "insert" (quote only)
    source: str
    quote: str
    minor: bool = False  # only punctuation or case differs: the same words
    span: tuple[int, int] | None = field(default=None, compare=False, repr=False)  # in source
    quote_span: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """The JSON form ("minor": true added for a punctuation- or case-only difference)."""
        data: dict = {"op": self.op, "source": self.source, "quote": self.quote}
        if self.minor:
            data["minor"] = True
        return data


@frozen_dataclass
class Edit:
    """What an editorial mark stands for: an omission or a bracketed change."""

    mark: str  # "ellipsis", "insertion", "replacement" or "letter"
    source: str  # the words of the source it stands for ("" for an insertion)
    quote: str  # what the quotation prints ("..." or the bracketed text)
    warning: str = ""
    span: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """The JSON form."""
        data = {"mark": self.mark, "source": self.source, "quote": self.quote}
        if self.warning:
            data["warning"] = self.warning
        return data


@dataclass
class Alignment:
    """Where a quotation sits in a list of source tokens, and how the words line up."""

    first: int  # index of the first source token covered
    last: int  # index of the last source token covered
    matched: int = 0  # quotation words equal to a source word
    in_runs: int = 0  # of those, words in runs of at least RUN_WORDS equal words
    differences: list[Difference] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    cosmetic: list[Difference] = field(default_factory=list)  # case or punctuation only

    @property
    def verdict(self) -> str:
        """exact, edited or variant, from the differences found."""
        if self.differences or self.cosmetic:
            return "variant"
        marks = [edit for edit in self.edits if edit.mark != "attribution"]
        return "edited" if marks else "exact"


class Coder:
    """Gives each distinct word one character, so word lists become strings."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}

    def encode(self, tokens: list[Token]) -> str:
        """Return one character per token."""
        chars = []
        for token in tokens:
            code = self.codes.get(token.key)
            if code is None:
                code = self.codes[token.key] = chr(0x10000 + len(self.codes))
            chars.append(code)
        return "".join(chars)


def judge_part(part: list[Token], source: list[Token], result: Alignment,
                after_gap: bool) -> None:
    coder = Coder()
    ops = Levenshtein.opcodes(coder.encode(part), coder.encode(source))
    interrupted = {op.dest_start - 1 for op in ops if op.tag == "insert"
                   and _is_interruption(source, op.dest_start, op.dest_end)}
    for op in _merge_bracket_runs(ops, part):
        quoted = part[op.src_start:op.src_end]
        printed = source[op.dest_start:op.dest_end]
        if op.tag == "equal":
            result.matched += len(quoted)
            result.in_runs += len(quoted) if len(quoted) >= RUN_WORDS else 0
            for offset, (q_token, s_token) in enumerate(zip(quoted, printed, strict=True)):
                before_break = op.dest_start + offset in interrupted
                _compare_printing(q_token, s_token, part, result, before_break, after_gap)
        elif not quoted and _is_interruption(source, op.dest_start, op.dest_end):
            result.edits.append(Edit("attribution", joined_words(printed), ""))
        elif quoted and all(token.bracketed for token in quoted):
            mark = "replacement" if printed else "insertion"
            result.edits.append(Edit(mark, joined_words(printed), f"[{joined_words(quoted)}]"))
        else:
            tag = {"replace": "replace", "insert": "delete", "delete": "insert"}[op.tag]
            result.differences.append(_difference(tag, part, source, op))


@frozen_dataclass
class _Op:
    tag: str
    src_start: int
    src_end: int
    dest_start: int
    dest_end: int


def _merge_bracket_runs(ops, part: list[Token]) -> list[_Op]:
    """Join neighbouring edit operations that involve one [bracketed group]: "[the Bolshevik
    leader]" for "Lenin" is one replacement, not a replacement and an insertion."""
    merged: list[_Op] = []
    for op in ops:
        current = _Op(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        previous = merged[-1] if merged else None
        if (previous and previous.tag != "equal" and current.tag != "equal"
                and _bracketed(part, previous) and _bracketed(part, current)):
            merged[-1] = _Op("replace", previous.src_start, current.src_end,
                             previous.dest_start, current.dest_end)
        else:
            merged.append(current)
    return merged


def _bracketed(part: list[Token], op: _Op) -> bool:
    quoted = part[op.src_start:op.src_end]
    return bool(quoted) and all(token.bracketed for token in quoted)


def _is_interruption(source: list[Token], start: int, end: int) -> bool:
    """True for the article's own words breaking into a quotation: ”, Serge wrote, “."""
    return (0 < start and end < len(source) and end - start <= MAX_INTERRUPTION_WORDS
            and source[start - 1].quote_mark_after and source[end - 1].quote_mark_after)


def _compare_printing(q_token: Token, s_token: Token, part: list[Token], result: Alignment,
                      ignore_trail: bool, after_gap: bool) -> None:
    """Equal words may still differ in case or punctuation, which `exact` does not allow."""
    if q_token.modified:
        result.edits.append(Edit("letter", s_token.text, q_token.text))
        return
    if q_token.bracketed and not s_token.bracketed:
        result.edits.append(Edit("replacement", s_token.text, f"[{q_token.text}]"))
    first = q_token is part[0]
    final = q_token is part[-1]
    quoted, printed = q_token.text, s_token.text
    if first and not after_gap:
        quoted, printed = quoted[:1].lower() + quoted[1:], printed[:1].lower() + printed[1:]
    if quoted != printed:
        result.cosmetic.append(Difference("replace", s_token.text, q_token.text, minor=True))
        return
    if final or ignore_trail or q_token.trail.strip("[]") == s_token.trail.strip("[]"):
        return
    if _is_bracket_neighbour(q_token, part):
        return
    result.cosmetic.append(Difference("replace", s_token.text + s_token.trail,
                                      q_token.text + q_token.trail, minor=True))


def _is_bracket_neighbour(token: Token, part: list[Token]) -> bool:
    index = part.index(token)
    return index + 1 < len(part) and part[index + 1].bracketed


def judge_gap(source: list[Token], previous_end: int, start: int, result: Alignment) -> None:
    omitted = source[previous_end:start]
    if not omitted:
        if previous_end and "..." in source[previous_end - 1].trail:
            return  # the source itself prints an ellipsis here
        result.differences.append(Difference("insert", "", "..."))
        return
    result.edits.append(Edit("ellipsis", joined_words(omitted), "...", omission_warning(omitted)))


def omission_warning(omitted: list[Token]) -> str:
    """Say what meaning an ellipsis may remove: a negation, a number or a qualifier."""
    keys = {token.key for token in omitted}
    reasons = []
    if keys & NEGATIONS or any(key.endswith("nt") and len(key) > 3 for key in keys & NEGATIONS):
        reasons.append(f"a negation ({', '.join(sorted(keys & NEGATIONS))})")
    numbers = sorted(k for k in keys if k.isdigit() or k in NUMBER_WORDS)
    if numbers:
        reasons.append(f"a number ({', '.join(numbers)})")
    if keys & QUALIFIERS:
        reasons.append(f"a qualifier ({', '.join(sorted(keys & QUALIFIERS))})")
    return ("the ellipsis drops " + "; ".join(reasons)) if reasons else ""


def _difference(tag: str, part: list[Token], source: list[Token], op: _Op) -> Difference:
    """A word difference widened to whole compounds and asides, with the span of the source's
    characters (and of the quotation's) for verify to print exactly."""
    q_low, q_high, s_low, s_high = compounds.widen(part, source, op.src_start, op.src_end,
                                                   op.dest_start, op.dest_end)
    printed, quoted = source[s_low:s_high], part[q_low:q_high]
    span = (printed[0].start, printed[-1].end) if printed else None
    quote_span = (quoted[0].start, quoted[-1].end) if quoted else None
    return Difference(tag, compounds.compound_words(printed), compounds.compound_words(quoted),
                      span=span, quote_span=quote_span)


def joined_words(tokens: list[Token]) -> str:
    return " ".join(token.text for token in tokens)
