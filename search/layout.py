"""Page layout of a scraped article: split it into blocks and say what each block is.

Scrapes carry titles, bylines, headings, captions, block quotes, footnotes and site furniture
with no markup. The rules here read the shape of the text (length, closing punctuation,
quotation marks, position, list markers) rather than any one site's wording, so they carry
over to articles users add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .typography import normalise


class Kind(StrEnum):
    """What a block is on the page; numbered kinds carry a ¶ number."""

    TITLE = "title"
    BYLINE = "byline"
    HEADING = "heading"
    BODY = "body"
    BLOCKQUOTE = "blockquote"
    LIST_ITEM = "list_item"
    CAPTION = "caption"
    FOOTNOTE = "footnote"
    BOILERPLATE = "boilerplate"

    @property
    def numbered(self) -> bool:
        """True for the kinds a reader counts as paragraphs."""
        return self in (Kind.BODY, Kind.BLOCKQUOTE, Kind.LIST_ITEM)


@dataclass(frozen=True)
class RawBlock:
    """A run of non-blank lines (or one list item) before classification."""

    lines: tuple[str, ...]
    start: int
    end: int
    line_start: int
    line_end: int

    @property
    def text(self) -> str:
        """The block's words with whitespace runs collapsed."""
        return " ".join(" ".join(self.lines).split())


LIST_MARKER = re.compile(r"^\s*(?:[\u2022\u00b7\u25aa\u25e6\u2023*\-\u2013]|\d{1,3}[.)])\s+")
TERMINAL = ".!?:;\"'\u201d\u2019)]\u2026"
TRAILER_START = re.compile(
    r"^(read more|related( articles| posts)?|further reading|further study|discover more"
    r"|subscribe|continue reading|share this|more from|you may also like|tags?:|recommended)",
    re.I,
)
FURNITURE = re.compile(
    r"^(https?://\S+|www\.\S+|e-?mail\b.*@.*|\(?click to enlarge.*|share( on \w+)?|print"
    r"|.*\bis published by\b.*|.*creative commons licen[cs]e.*|.*all rights reserved.*)$",
    re.I,
)
CAPTION_MARK = re.compile(
    r"\((?:click to enlarge|photo|image|credit)|\bfrom l(?:eft)? to r(?:ight)?\b"
    r"|\((?:left|right|centre|center|front centre|front center|top|bottom)\)|^photo:|^image:",
    re.I,
)
CAPTION_DATED = re.compile(
    r"^[A-Z][^.!?]{5,160}?,\s+(?:\d{1,2}\s+[A-Z][a-z]+\s+)?\d{4}(?:\.|\s+[-:]|$)"
)
FOOTNOTE = re.compile(r"^(?:\d{1,3}|\[\d{1,3}\]|\*{1,3})\s+\S")
VERBS = set(
    "is are was were be been being am has have had do does did will would shall should can "
    "could may might must goes go went come came said says made make became become took take "
    "gave give got get seems seemed remains remained began begin led lost won saw see knew know "
    "wrote write fell fought ran stood".split()
)


def split_blocks(text: str) -> list[RawBlock]:
    """Return the blocks of text: runs of non-blank lines, list items split, breaks repaired."""
    blocks: list[RawBlock] = []
    run: list[tuple[int, int, str]] = []  # (line number, start offset, line)
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            run.append((number, offset, line))
        elif run:
            blocks.extend(_split_run(run))
            run = []
        offset += len(line) + 1
    if run:
        blocks.extend(_split_run(run))
    return _join_broken(blocks)


def _split_run(run: list[tuple[int, int, str]]) -> list[RawBlock]:
    groups: list[list[tuple[int, int, str]]] = []
    is_list = sum(bool(LIST_MARKER.match(line)) for _, _, line in run) >= 2
    for item in run:
        if not groups or (is_list and LIST_MARKER.match(item[2])):
            groups.append([item])
        else:
            groups[-1].append(item)
    return [_raw(group) for group in groups]


def _raw(group: list[tuple[int, int, str]]) -> RawBlock:
    first, last = group[0], group[-1]
    lead = len(first[2]) - len(first[2].lstrip())
    return RawBlock(tuple(line.strip() for _, _, line in group), first[1] + lead,
                    last[1] + len(last[2].rstrip()), first[0], last[0])


def _join_broken(blocks: list[RawBlock]) -> list[RawBlock]:
    """Join a paragraph broken mid-sentence by a stray blank line into one block."""
    joined: list[RawBlock] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if previous and _continues(previous, block):
            joined[-1] = RawBlock(previous.lines + block.lines, previous.start, block.end,
                                  previous.line_start, block.line_end)
        else:
            joined.append(block)
    return joined


def _continues(previous: RawBlock, block: RawBlock) -> bool:
    tail = previous.text.rstrip()
    return (len(tail.split()) >= 20 and tail[-1] not in TERMINAL and block.text[:1].islower()
            and not LIST_MARKER.match(block.lines[0]))


def classify(blocks: list[RawBlock], titles: tuple[str, ...] = ()) -> list[Kind]:
    """Return the kind of each block, reading the article from top to bottom."""
    texts = [normalise(block.text) for block in blocks]
    kinds = [_classify_alone(text, index, texts) for index, text in enumerate(texts)]
    _mark_front_matter(kinds, texts, titles)
    _mark_trailer(kinds, texts)
    _mark_quote_continuations(kinds, texts)
    return kinds


def _classify_alone(text: str, index: int, texts: list[str]) -> Kind:
    neighbours = [texts[i] for i in (index - 1, index + 1) if 0 <= i < len(texts)]
    words = text.split()
    if FURNITURE.match(text):
        return Kind.BOILERPLATE
    if _is_caption(text, words, neighbours):
        return Kind.CAPTION
    if LIST_MARKER.match(text):
        return Kind.HEADING if _is_heading(LIST_MARKER.sub("", text)) else Kind.LIST_ITEM
    if FOOTNOTE.match(text) and len(words) > 2:
        return Kind.FOOTNOTE
    if _is_heading(text):
        return Kind.HEADING
    if _is_block_quote(text, index, texts):
        return Kind.BLOCKQUOTE
    return Kind.BODY


def _is_heading(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 14 or len(text) > 120:
        return False
    if text.endswith("?"):
        return _title_case(words)
    return text[-1] not in TERMINAL + ","


def _title_case(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.6


def _is_caption(text: str, words: list[str], neighbours: list[str]) -> bool:
    if len(words) > 80:
        return False
    if CAPTION_DATED.match(text) or (CAPTION_MARK.search(text) and text.count(". ") <= 1):
        return True
    if any(_same_caption(text, other) for other in neighbours):
        return True
    return (text.endswith(".") and text.count(". ") == 0 and 4 <= len(words) <= 14
            and text[0].isupper() and not _has_verb(words))


def _same_caption(text: str, other: str) -> bool:
    """Scrapes often repeat a caption (alt text, then the visible caption)."""
    strip = re.compile(r"\(click to enlarge.*?\)|[^a-z0-9]", re.I)
    left, right = strip.sub("", text).lower(), strip.sub("", other).lower()
    shorter, longer = sorted((left, right), key=len)
    return len(shorter) > 20 and longer.startswith(shorter) and len(shorter) > 0.6 * len(longer)


def _has_verb(words: list[str]) -> bool:
    for word in words:
        bare = word.strip(".,;:!?\"'()").lower()
        if bare in VERBS or (bare.endswith("ed") and len(bare) > 4):
            return True
    return False


def _is_block_quote(text: str, index: int, texts: list[str]) -> bool:
    if not text.startswith(('"', "'")):
        return False
    previous = texts[index - 1] if index else ""
    if previous.endswith(":"):
        return True
    outside = re.sub(r'"[^"]*("|$)|\([^)]*\)', " ", text)
    return len(outside.split()) <= 6


def _mark_front_matter(kinds: list[Kind], texts: list[str], titles: tuple[str, ...]) -> None:
    """Title, byline and furniture sit before the first paragraph of the body."""
    wanted = {_key(title) for title in titles if title}
    body_start = next((i for i, k in enumerate(kinds) if k in (Kind.BODY, Kind.BLOCKQUOTE)
                       and not _looks_like_byline(texts[i]) and _key(texts[i]) not in wanted),
                      len(kinds))
    title_index = next((i for i in range(body_start) if _key(texts[i]) in wanted), None)
    if title_index is None:
        title_index = next((i for i in range(body_start) if kinds[i] != Kind.BOILERPLATE), 0)
    for i in range(body_start):
        if i < title_index:
            kinds[i] = Kind.BOILERPLATE
        elif i == title_index or _key(texts[i]) in wanted:
            kinds[i] = Kind.TITLE
        elif kinds[i] != Kind.CAPTION and _looks_like_byline(texts[i]):
            kinds[i] = Kind.BYLINE
        elif kinds[i] == Kind.HEADING and i < body_start and not _section_follows(kinds, i):
            kinds[i] = Kind.BYLINE


def _section_follows(kinds: list[Kind], index: int) -> bool:
    return index + 1 < len(kinds) and kinds[index + 1] in (Kind.BODY, Kind.BLOCKQUOTE)


def _looks_like_byline(text: str) -> bool:
    from .catalog import find_byline, find_date

    words = text.split()
    first_line = " ".join(words[:8])
    return len(words) <= 25 and bool(find_byline(first_line) or find_byline(text)
                                     or find_date(text))


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", normalise(text).lower())


def _mark_trailer(kinds: list[Kind], texts: list[str]) -> None:
    """Everything from "Read more" / "Further reading" on is site furniture; bios are bylines."""
    for i, text in enumerate(texts):
        if kinds[i] != Kind.TITLE and TRAILER_START.match(text):
            for j in range(i, len(kinds)):
                kinds[j] = Kind.BOILERPLATE
            break
    last_body = max((i for i, k in enumerate(kinds) if k.numbered), default=-1)
    for i in range(last_body - 1, len(kinds)):
        if i >= 0 and _is_dateline_or_bio(texts[i]) and kinds[i] in (Kind.BODY, Kind.CAPTION):
            kinds[i] = Kind.BYLINE


def _is_dateline_or_bio(text: str) -> bool:
    from .catalog import find_date

    words = text.split()
    bio = re.match(r"^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3} is an? .*(writer|editor|author|member"
                   r"|journalist|activist|historian|organi[sz]er)", text)
    return bool(bio) or (len(words) <= 8 and bool(find_date(text)))


def _mark_quote_continuations(kinds: list[Kind], texts: list[str]) -> None:
    """A quotation left open at the end of a block quote runs on into the next blocks.

    Continuations start with an opening quotation mark (the printer's convention) or are a
    short line such as a letter's closing or signature.
    """
    open_quote = False
    for i, text in enumerate(texts):
        continues = text.startswith('"') or len(text.split()) <= 12
        if open_quote and continues and kinds[i] in (Kind.BODY, Kind.CAPTION):
            kinds[i] = Kind.BLOCKQUOTE
        elif kinds[i] != Kind.BLOCKQUOTE:
            open_quote = False
            continue
        open_quote = _quote_left_open(text, open_quote)


def _quote_left_open(text: str, continuing: bool) -> bool:
    """True when a quotation running through this block is not closed by its end."""
    text = re.sub(r"\s*\([^)]*\)\W*$", "", text).rstrip()
    if text.endswith(('"', "'")) or text.endswith(("\",", "\".", "'.", "',")):
        return False
    marks = text.count('"')
    if continuing and not text.startswith('"'):
        return marks % 2 == 0
    return marks % 2 == 1
