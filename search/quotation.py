"""A quotation as a writer typed it: words, editorial ellipses and [bracketed] changes.

Both the quotation and the source are read into word tokens with the punctuation that
follows each word, after typographic normalisation, so that comparison ignores what the
eval rules call typography (quote marks, apostrophes, dash spacing, ellipsis forms,
whitespace) and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import InputError
from .frozen import frozen_dataclass
from .typography import WORD_PATTERN, keeps_offsets, normalise, normalise_with_offsets

ELLIPSIS = re.compile(r"\[\s*(?:\.\s*){3,4}\]|(?:\.\s?){2}\.(?:\s?\.)?")
BRACKET = re.compile(r"\[([^\[\]]*)\]")
MAX_QUOTE_WORDS = 1_000
CACHED_WINDOWS = 2048


@frozen_dataclass
class Token:
    """One word of a quotation or a source, with where it is and what follows it."""

    key: str  # lower-cased, apostrophes dropped: what alignment compares
    text: str  # the word as printed (normalised typography), apostrophes dropped
    start: int  # offsets into the original text
    end: int
    trail: str  # punctuation between this word and the next, spaces and quote marks dropped
    bracketed: bool = False  # inside [brackets]: the quoter's insertion, or printed in the source
    modified: bool = False  # a word with a bracketed letter: [t]he
    segment: int = 0  # which ellipsis-separated part of the quotation
    quote_mark_after: bool = False  # a double quotation mark stands between this word and the next


@frozen_dataclass
class Quotation:
    """A parsed quotation: its tokens and its editorial marks."""

    text: str
    tokens: tuple[Token, ...]
    segments: int  # parts separated by editorial ellipses
    leading_ellipsis: bool
    trailing_ellipsis: bool

    @property
    def has_marks(self) -> bool:
        """True when the quotation uses ellipses or brackets."""
        return self.segments > 1 or any(t.bracketed or t.modified for t in self.tokens)

    def segment_tokens(self, segment: int) -> list[Token]:
        """Return the tokens of one ellipsis-separated part."""
        return [token for token in self.tokens if token.segment == segment]


_new = object.__new__
_set = object.__setattr__


def source_token(key: str, text: str, start: int, end: int, trail: str, bracketed: bool,
                 quote_mark_after: bool) -> Token:
    """Return Token(key, text, start, end, trail, bracketed, False, 0, quote_mark_after), made
    2.4 times faster for the hot loop of reading sources: a frozen dataclass's __init__ sets
    its nine fields one `object.__setattr__` at a time, this fills the instance's __dict__ in
    one step (the same object: a test compares them field by field)."""
    token = _new(Token)
    _set(token, "__dict__", {"key": key, "text": text, "start": start, "end": end,
                             "trail": trail, "bracketed": bracketed, "modified": False,
                             "segment": 0, "quote_mark_after": quote_mark_after})
    return token


def word_key(word: str) -> str:
    """Return the form words are compared in.

    >>> word_key("Workers'"), word_key("Trotsky's")
    ('workers', 'trotskys')
    """
    return word.lower().replace("'", "")


def read_tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Return the word tokens of text[start:end], offsets into text."""
    stop = len(text) if end is None else end
    original = text[start:stop]
    plain = normalise(original)
    # Most text maps one character to one: offsets need no map back (much faster).
    mapping = None if keeps_offsets(original, plain) else normalise_with_offsets(original)
    if mapping is not None:
        plain = mapping.text
    spans = [match.span() for match in WORD_PATTERN.finditer(plain)]
    printed_brackets = [m.span() for m in BRACKET.finditer(plain)]
    followed = [low for low, _ in spans[1:]] + [len(plain)]
    tokens = []
    # The hot loop of checking a quotation: positional arguments, one quick call per word.
    for (low, high), following in zip(spans, followed, strict=True):
        word = plain[low:high].replace("'", "")
        between = plain[high:following]
        bracketed = bool(printed_brackets) and any(a < low < b for a, b in printed_brackets)
        if mapping is not None:
            low, high = mapping.original_span(low, high)
        tokens.append(source_token(word.lower(), word, start + low, start + high,
                                   "" if between == " " else _trail(between), bracketed,
                                   '"' in between))
    return tokens


class TokenWindows:
    """The word tokens of source spans, kept for the next quotation that looks there again.

    Only the span asked for is read (a few paragraphs: well under a millisecond). Tokenising
    whole articles to serve later looks cost more than it saved once the corpus outgrew the
    cache: 50 MB of articles spent most of a quotation's time on it.
    """

    def __init__(self, text_of: Callable[[str], str], most: int = CACHED_WINDOWS) -> None:
        self._text_of = text_of
        self._most = most
        self._cache: dict[tuple[str, int, int], list[Token]] = {}

    def tokens(self, doc_id: str, start: int, end: int) -> list[Token]:
        """Return the tokens of an article between two character offsets."""
        key = (doc_id, start, end)
        if key not in self._cache:
            self._cache[key] = read_tokens(self._text_of(doc_id), start, end)
            while len(self._cache) > self._most:
                self._cache.pop(next(iter(self._cache)))
        return self._cache[key]


_DROPPED_FROM_TRAIL = str.maketrans("", "", " \t\n\r\"'\u00a0")


_DASH_RUN = re.compile(r"-{2,}")


def _trail(between: str) -> str:
    """The punctuation between two words, as compared: spaces and quote marks dropped, and a
    dash typed as "--" or "---" read as one dash.

    >>> _trail(" -- "), _trail(". . . "), _trail('" ')
    ('-', '...', '')
    """
    if between == " ":
        return ""
    trail = between.replace(". . .", "...").translate(_DROPPED_FROM_TRAIL)
    return _DASH_RUN.sub("-", trail) if "--" in trail else trail


def parse_quotation(text: str) -> Quotation:
    """Read a quotation's words, ellipses and brackets; refuse one with no words.

    >>> q = parse_quotation("[T]he bureaucracy ... had [Stalin's] grip")
    >>> [(t.text, t.segment, t.bracketed, t.modified) for t in q.tokens][:3]
    [('The', 0, False, True), ('bureaucracy', 0, False, False), ('had', 1, False, False)]
    >>> [(t.text, t.bracketed) for t in q.tokens][3:]
    [('Stalins', True), ('grip', False)]
    """
    normalised = normalise_with_offsets(text).text
    if not normalised.strip():
        raise InputError("The quotation is empty.")
    masked, inserted, modified = _mark_brackets(normalised)
    pieces = ELLIPSIS.split(masked)
    tokens: list[Token] = []
    cursor = 0
    segment = -1
    for piece in pieces:
        piece_start = masked.index(piece, cursor)
        cursor = piece_start + len(piece)
        words = list(WORD_PATTERN.finditer(piece))
        if not words:
            continue
        segment += 1
        for index, match in enumerate(words):
            low, high = piece_start + match.start(), piece_start + match.end()
            nxt = piece_start + words[index + 1].start() if index + 1 < len(words) else cursor
            word = match.group().replace("'", "")
            tokens.append(Token(word.lower(), word, low, high, _trail(masked[high:nxt]),
                                bracketed=any(a <= low < b for a, b in inserted),
                                modified=any(low <= a < high for a in modified),
                                segment=segment))
    if not tokens:
        raise InputError(f"The quotation {text.strip()!r} has no words to look for.")
    if len(tokens) > MAX_QUOTE_WORDS:
        raise InputError(f"The quotation has {len(tokens):,} words; the limit is "
                         f"{MAX_QUOTE_WORDS:,}. Check it in parts.")
    stripped = masked.strip(" \"'")
    return Quotation(text, tuple(tokens), segment + 1,
                     bool(ELLIPSIS.match(stripped)), bool(re.search(r"\.\.\.\W*$", stripped)))


JOINED_BRACKET = re.compile(r"(?<=\w)\[([A-Za-z]{1,2})\]|\[([A-Za-z]{1,2})\](?=\w)")


def _mark_brackets(text: str) -> tuple[str, list[tuple[int, int]], list[int]]:
    """Unwrap bracketed letters inside words ([t]he) and blank out insertion brackets.

    Returns the text to tokenise, the spans of [insertions] and where each unwrapped letter
    now starts.
    """
    pieces: list[str] = []
    modified: list[int] = []
    cursor = 0
    for match in JOINED_BRACKET.finditer(text):
        pieces.append(text[cursor:match.start()])
        modified.append(sum(len(piece) for piece in pieces))
        pieces.append(match.group(1) or match.group(2))
        cursor = match.end()
    pieces.append(text[cursor:])
    unwrapped = "".join(pieces)
    inserted: list[tuple[int, int]] = []
    chars = list(unwrapped)
    for match in BRACKET.finditer(unwrapped):
        if re.fullmatch(r"\s*(\.\s*){3,4}|\s*", match.group(1)):
            continue  # "[...]" is an ellipsis, handled by ELLIPSIS
        inserted.append(match.span())
        chars[match.start()] = chars[match.end() - 1] = " "
    return "".join(chars), inserted, modified
