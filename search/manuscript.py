"""Find the quotations in a writer's draft so each can be checked against the corpus.

A draft is Markdown or plain text. A quotation is a run of words in double quotes (curly or
straight, over line breaks, and over paragraphs by the printer's convention of opening each
one again) or a Markdown block quote. Code, link URLs and reference definitions are ignored;
inline quotations under `min_words` words are skipped as scare quotes or titles. Each one
keeps its 1-based line and column, the sentence around it and, when the draft says so in a
plain pattern (`X wrote`, `according to X`, `X:` before a block quote), who said it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import field, replace
from pathlib import Path

from .files import read_bytes, read_text
from .frozen import frozen_dataclass
from .quotemarks import (
    AFTER_CLOSING,
    BEFORE_OPENING,
    BLOCK_QUOTE_LINE,
    BLOCK_QUOTE_MARKERS,
    CLOSERS,
    CURLY_CLOSERS,
    CURLY_OPENERS,
    DOUBLE_MARKS,
)
from .readers.drafts import draft_text, is_rich_draft
from .sentences import sentence_ends
from .typography import normalise, words

MAX_MANUSCRIPT_BYTES = 20_000_000
NUMBER_NAMES = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

_MARK = re.compile(f"[{DOUBLE_MARKS}]")
_IGNORED = (  # blanked out before looking for quote marks; offsets and line breaks are kept
    re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[`~]*[ \t]*$|\Z)", re.S | re.M),
    re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[^\n]*$", re.M),
    re.compile(r"(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"),
    re.compile(r"<https?://[^>\s]*>|https?://[^\s<>()\[\]]+"),
)
_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*])")

_NAME_WORD = r"[A-Z][\w.'\u2019-]*"
_NAME = rf"\b(?P<name>{_NAME_WORD}(?:\s+(?:(?:de|van|von|der|la|le|du)\s+)?{_NAME_WORD}){{0,3}})"
_VERB = (
    r"(?:wrote|writes|said|says|put it|puts it|argued|argues|noted|notes|observed|observes"
    r"|declared|declares|remarked|explained|explains|insisted|insists|warned|warns|added"
    r"|adds|stated|states|replied|recalled|recalls|claimed|claims|believed|believes|thought"
    r"|asserted|asserts|maintained|maintains|contended|admitted|conceded|boasted|proclaimed)\b"
)
_ADVERB = r"(?:\s+(?:later|once|famously|also|then|himself|herself|bluntly|simply|memorably))?"
_NAME_THEN_VERB = rf"{_NAME}{_ADVERB}\s+{_VERB}"
_BEFORE = (
    re.compile(rf"\b[Aa]ccording to {_NAME}"),
    re.compile(_NAME_THEN_VERB),
    re.compile(rf"{_NAME}\s*:\s*$"),
)
_AFTER = (
    re.compile(rf"^[\s,;:\u2014\u2013-]*{_VERB}\s+{_NAME}"),
    re.compile(rf"^[\s,;:\u2014\u2013-]*{_NAME_THEN_VERB}"),
)
_SIGNATURE = re.compile(rf"(?:\u2014|\u2013|--?)\s*{_NAME}\s*(?:[,(].*)?")
_LEADING_WORDS = frozenset(
    "A According After Afterwards Again Also An And As At Besides But Compare Consider Earlier "
    "Elsewhere Even Finally First Furthermore Hence Here In Indeed Instead Later Likewise "
    "Meanwhile Moreover Nevertheless Next Nonetheless Notably Now Once Or Similarly So Still The "
    "Then There Therefore Thus When While Yet".split()
)
_PRONOUNS = frozenset("He She It They We I You One This That These Those His Her Their".split())


@frozen_dataclass
class ManuscriptQuote:
    """One quotation in a manuscript, where it starts and who the draft says wrote it."""

    text: str  # the quoted words: marks, `>` markers and Markdown removed, line breaks as spaces
    line: int  # 1-based line of the opening mark (or of the first `>` line)
    line_end: int  # 1-based line of the closing mark (or of the last `>` line)
    column: int  # 1-based column of the opening mark (or of the first `>`)
    kind: str  # "inline" or "block"
    context: str  # the sentence around it, or the sentence leading into a block quote
    attributed_to: str  # the name the draft gives, or ""
    # Character offsets of the quotation, marks included, in Manuscript.text; where it stands,
    # not what it is, so left out of comparisons.
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@frozen_dataclass
class SkippedQuote:
    """Quoted words not checked, and why."""

    text: str
    line: int
    reason: str


@frozen_dataclass
class Manuscript:
    """The quotations found in a manuscript, and the quoted words skipped."""

    path: str
    quotations: tuple[ManuscriptQuote, ...]
    skipped: tuple[SkippedQuote, ...]
    unit: str = "line"  # what `line` counts: lines, or a Word draft's paragraphs
    text: str = field(default="", repr=False, compare=False)  # the draft as read (a web page
    # or Word draft rebuilt as Markdown-like lines), where its lines and citations are


@frozen_dataclass
class _Block:
    kind: str  # "paragraph" (a run of text lines) or "block" (a run of `>` lines)
    start: int
    end: int  # offset of the last line's end, before its line break


@frozen_dataclass
class _Mark:
    offset: int
    char: str
    can_open: bool
    can_close: bool


@frozen_dataclass
class _Span:
    opening: int  # offset of the opening mark
    pieces: tuple[tuple[int, int], ...]  # the quoted text, without marks opening a paragraph
    end: int  # just past the closing mark, or the paragraph end if it was never closed
    first: _Block
    last: _Block


def read_manuscript(path: Path, min_words: int = 4) -> Manuscript:
    """Return the quotations in the draft at path (text, Markdown, a web page or a Word
    document); refuse files that cannot be read."""
    if not is_rich_draft(path):
        return find_quotations(read_text(path, MAX_MANUSCRIPT_BYTES), str(path), min_words)
    text, unit = draft_text(path, read_bytes(path))
    return replace(find_quotations(text, str(path), min_words), unit=unit)


def find_quotations(text: str, path: str = "<text>", min_words: int = 4) -> Manuscript:
    """Return the quotations in a draft, and the quoted words skipped as scare quotes or titles.

    >>> draft = 'As Trotsky put it, "The present purge draws a line".\\nA "scare" quote.'
    >>> [(q.text, q.line, q.column, q.attributed_to) for q in find_quotations(draft).quotations]
    [('The present purge draws a line', 1, 20, 'Trotsky')]
    >>> [(s.text, s.line, s.reason) for s in find_quotations(draft).skipped]
    [('scare', 2, 'scare quote or title (fewer than four words)')]
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    masked = mask_markup(text)
    blocks = _blocks(masked)
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    found: list[ManuscriptQuote | SkippedQuote] = []
    for index, block in enumerate(blocks):
        if block.kind == "block":
            lead_in = blocks[index - 1] if index and blocks[index - 1].kind == "paragraph" else None
            found.extend(_block_quotation(text, block, lead_in, starts))
    for span in _pair_marks(masked, blocks):
        found.append(_inline_quotation(text, span, starts, min_words))
    quotations = [item for item in found if isinstance(item, ManuscriptQuote)]
    skipped = [item for item in found if isinstance(item, SkippedQuote)]
    quotations.sort(key=lambda quote: (quote.line, quote.column))
    skipped.sort(key=lambda item: item.line)
    return Manuscript(path, tuple(quotations), tuple(skipped), text=text)


def mask_markup(text: str) -> str:
    """Return text with code, link URLs and comments blanked out, offsets and lines kept.

    >>> mask_markup('See `"x"` and [it](http://a.b "T") here')
    'See       and [it]                 here'
    """
    for pattern in _IGNORED:
        text = pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)
    return text


def clean_markdown(text: str) -> str:
    """Return text with links reduced to their words, emphasis marks dropped, spaces collapsed.

    >>> clean_markdown("the *workers'*\\n  [state](http://x.org) `here`")
    "the workers' state here"
    """
    text = " ".join(text.replace("`", "").split())
    return " ".join(_EMPHASIS.sub(r"\2", _LINK.sub(r"\1", text)).split())


def _blocks(masked: str) -> list[_Block]:
    blocks: list[_Block] = []
    kind, start, offset, after_heading = "blank", 0, 0, False
    for line in masked.split("\n"):
        line_kind = "block" if BLOCK_QUOTE_LINE.match(line) else "paragraph" if line.strip() else "blank"
        heading = bool(_HEADING.match(line))
        if line_kind != kind or (line_kind == "paragraph" and (heading or after_heading)):
            if kind != "blank":
                blocks.append(_Block(kind, start, offset - 1))
            kind, start = line_kind, offset
        offset, after_heading = offset + len(line) + 1, heading
    if kind != "blank":
        blocks.append(_Block(kind, start, len(masked)))
    return blocks


def _marks(masked: str, block: _Block) -> list[_Mark]:
    marks = []
    for match in _MARK.finditer(masked, block.start, block.end):
        at, char = match.start(), match.group()
        if char == '"':
            before = masked[at - 1] if at > block.start else " "
            after = masked[at + 1] if at + 1 < block.end else " "
            can_open, can_close = before in BEFORE_OPENING, after in AFTER_CLOSING
        else:
            can_open, can_close = char in CURLY_OPENERS, char in CURLY_CLOSERS
        if can_open or can_close:  # a mark inside a word (5"x7") pairs with nothing
            marks.append(_Mark(at, char, can_open, can_close))
    return marks


class _Pairing:
    """Pairs opening and closing marks paragraph by paragraph; the open quote is the state."""

    def __init__(self) -> None:
        self.spans: list[_Span] = []
        self.opening: _Mark | None = None
        self.first = _Block("paragraph", 0, 0)
        self.pieces: list[tuple[int, int]] = []
        self.piece_start = 0

    def open(self, mark: _Mark, block: _Block) -> None:
        self.opening, self.first, self.pieces, self.piece_start = mark, block, [], mark.offset + 1

    def take(self, mark: _Mark, block: _Block) -> None:
        if self.opening is None:
            if mark.can_open:
                self.open(mark, block)
        elif mark.can_close and mark.char in CLOSERS[self.opening.char]:
            self.close(mark.offset, mark.offset + 1, block)
        elif mark.can_open and (mark.char == '"') == (self.opening.char == '"'):
            self.open(mark, block)  # the earlier mark was stray: it never closed

    def close(self, at: int, end: int, block: _Block) -> None:
        assert self.opening is not None
        pieces = (*self.pieces, (self.piece_start, at))
        self.spans.append(_Span(self.opening.offset, pieces, end, self.first, block))
        self.opening = None


def _pair_marks(masked: str, blocks: list[_Block]) -> list[_Span]:
    pairing = _Pairing()
    for index, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        marks = _marks(masked, block)
        if pairing.opening is not None:  # a multi-paragraph quotation: skip its repeated mark
            pairing.piece_start, marks = marks[0].offset + 1, marks[1:]
        for mark in marks:
            pairing.take(mark, block)
        if pairing.opening is None:
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following and following.kind == "paragraph" and _opens_with_mark(masked, following):
            pairing.pieces.append((pairing.piece_start, block.end))
        else:  # a blank line ends an unclosed quotation
            pairing.close(block.end, block.end, block)
    return pairing.spans


def _opens_with_mark(masked: str, block: _Block) -> bool:
    return masked[block.start : block.end].lstrip()[:1] in CURLY_OPENERS + '"'


def _inline_quotation(
    text: str, span: _Span, starts: list[int], min_words: int
) -> ManuscriptQuote | SkippedQuote:
    quoted = clean_markdown(" ".join(text[start:end] for start, end in span.pieces))
    line, column = _position(starts, span.opening)
    if len(words(normalise(quoted))) < min_words:
        return SkippedQuote(quoted, line, _short_reason(min_words, quoted))
    context_start = _sentence_start(text, span.first.start, span.opening)
    context_end = _sentence_end(text, span.opening + 1, span.end, span.last.end)
    attributed = _attribution(text[context_start : span.opening], text[span.end : context_end])
    line_end = _position(starts, max(span.end - 1, span.opening))[0]
    context = clean_markdown(text[context_start:context_end])
    return ManuscriptQuote(quoted, line, line_end, column, "inline", context, attributed,
                           span.opening, span.end)


def _short_reason(min_words: int, quoted: str) -> str:
    if not words(normalise(quoted)):
        return "empty quotation"
    number = NUMBER_NAMES[min_words] if min_words < len(NUMBER_NAMES) else str(min_words)
    return f"scare quote or title (fewer than {number} words)"


def _block_quotation(
    text: str, block: _Block, lead_in: _Block | None, starts: list[int]
) -> list[ManuscriptQuote]:
    lines = BLOCK_QUOTE_MARKERS.sub("", text[block.start : block.end]).split("\n")
    content = [line.strip() for line in lines if line.strip()]
    signature = _SIGNATURE.fullmatch(content[-1]) if len(content) > 1 else None
    if signature:  # "> — Leon Trotsky, 1937" names the author and is not part of the quotation
        content.pop()
    quoted = _strip_enclosing_marks(clean_markdown(" ".join(content)))
    if not words(normalise(quoted)):
        return []
    context = ""
    if lead_in is not None:
        context = text[_sentence_start(text, lead_in.start, lead_in.end) : lead_in.end]
    attributed = _clean_name(signature.group("name")) if signature else _attribution(context, "")
    line, column = _position(starts, text.index(">", block.start))
    line_end = _position(starts, block.end - 1)[0]
    context = clean_markdown(context)
    return [ManuscriptQuote(quoted, line, line_end, column, "block", context, attributed,
                            text.index(">", block.start), block.end)]


def _strip_enclosing_marks(quoted: str) -> str:
    marks = sum(quoted.count(mark) for mark in DOUBLE_MARKS)
    if marks == 2 and quoted[0] in CLOSERS and quoted[-1] in CLOSERS[quoted[0]]:
        return quoted[1:-1].strip()
    return quoted


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def _sentence_start(text: str, start: int, at: int) -> int:
    for boundary in sentence_ends(text, start, at):
        if boundary < at:  # a full stop ending the text before `at` ends no sentence in it
            start = boundary
    return start + len(text[start:at]) - len(text[start:at].lstrip())


def _sentence_end(text: str, inside: int, closed: int, end: int) -> int:
    for boundary in sentence_ends(text, max(inside, closed - 3), end):
        if boundary >= closed:
            return boundary
    return end


def _attribution(before: str, after: str) -> str:
    before, after = " ".join(before.split()), " ".join(after.split())
    for pattern in _AFTER:
        match = pattern.match(after)
        if match and _clean_name(match.group("name")):
            return _clean_name(match.group("name"))
    candidates = [
        (match.end(), _clean_name(match.group("name")))
        for pattern in _BEFORE
        for match in pattern.finditer(before)
    ]
    named = sorted(candidate for candidate in candidates if candidate[1])
    return named[-1][1] if named else ""


def _clean_name(name: str) -> str:
    tokens = name.split()
    while tokens and tokens[0] in _LEADING_WORDS:
        tokens.pop(0)
    if not tokens or tokens[0] in _PRONOUNS:
        return ""
    if len(tokens[-1]) > 2:  # a full stop after an initial (V. I. Lenin) belongs to the name
        tokens[-1] = tokens[-1].rstrip(".")
    return " ".join(tokens)
