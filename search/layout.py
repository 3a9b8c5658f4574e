"""Page layout of a scraped article: say what each block is (`paragraphs` splits them).

Scrapes carry titles, bylines, headings, captions, block quotes, footnotes and site furniture
with no markup. The rules here read the shape of the text (length, closing punctuation,
quotation marks, position, list markers) rather than any one site's wording, so they carry
over to articles users add. Some judgements read the whole article: a sentence-case question
is a heading only where the article's headings are sentence case.

Markdown-ish articles keep their marks in the source: a '#' heading line is its own block,
whose span (and so its text, title and section name) starts after the marks; '>' lines are
a block quote whose text keeps the marks (they sit on every line, inside the span), as a
list item keeps its bullet.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .kinds import Kind
from .paragraphs import FOOTNOTE, LIST_MARKER, TERMINAL, RawBlock
from .quotemarks import BLOCK_QUOTE_MARKERS
from .typography import normalise, normalised_text

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
# FURNITURE in two parts, the same matches for a tenth of the time (`_is_furniture`): the
# wording that may stand anywhere in a one-line block, searched for once instead of tried
# from the end of the line back, and the forms anchored at its start.
FURNITURE_START = re.compile(
    r"^(https?://\S+|www\.\S+|e-?mail\b.*@.*|\(?click to enlarge.*|share( on \w+)?|print)$",
    re.I,
)
FURNITURE_WORDING = re.compile(
    r"\bis published by\b|creative commons licen[cs]e|all rights reserved", re.I)
CAPTION_MARK = re.compile(
    r"\((?:click to enlarge|photo|image|credit)|\bfrom l(?:eft)? to r(?:ight)?\b"
    r"|\((?:left|right|centre|center|front centre|front center|top|bottom)\)|^photo:|^image:",
    re.I,
)
CAPTION_DATED = re.compile(
    r"^[A-Z][^.!?]{5,160}?,\s+(?:\d{1,2}\s+[A-Z][a-z]+\s+)?\d{4}(?:\.|\s+[-:]|$)"
)
SOURCE_REFERENCE = re.compile(r"[\"']\s*\([^()]*\)\W*$")  # '..." (The Revolution Betrayed, page 112)'
DASH_ATTRIBUTION = re.compile(r'"\s*-+\s*[A-Z][\w.\' ,()-]{0,60}$')
VERBS = set(
    "is are was were be been being am has have had do does did will would shall should can "
    "could may might must goes go went come came said says made make became become took take "
    "gave give got get seems seemed remains remained began begin led lost won saw see knew know "
    "wrote write fell fought ran stood".split()
)
PARTICLES = set("up down out off in on at by with from for during into onto over under near "
                "outside inside after before across along around behind between through "
                "towards toward against among".split())


def classify(blocks: list[RawBlock], titles: tuple[str, ...] = ()) -> list[Kind]:
    """Return the kind of each block, reading the article from top to bottom."""
    texts = [normalised_text(_plain(block)) for block in blocks]  # (indexing: again)
    kinds = [_classify_alone(block, index, texts) for index, block in enumerate(blocks)]
    _mark_front_matter(kinds, texts, _first_lines(blocks, texts), titles)
    _mark_trailer(kinds, texts)
    _mark_question_headings(kinds, texts)
    _mark_quote_continuations(kinds, texts)
    _mark_note_links(kinds, texts)
    return kinds


def _first_lines(blocks: list[RawBlock], texts: list[str]) -> list[str]:
    """Each block's first line, normalised (a one-line block's is its text's, already done)."""
    return [texts[index] if block.markup != "quote" and block.lines[0] == block.text
            else normalise(block.lines[0]) for index, block in enumerate(blocks)]


def _plain(block: RawBlock) -> str:
    """The block's words without Markdown '>' quote marks."""
    if block.markup != "quote":
        return block.text
    return " ".join(" ".join(BLOCK_QUOTE_MARKERS.sub("", line) for line in block.lines).split())


def _classify_alone(block: RawBlock, index: int, texts: list[str]) -> Kind:
    text = texts[index]
    words = text.split()
    if block.markup:
        return Kind.HEADING if block.markup == "heading" else Kind.BLOCKQUOTE
    if _is_furniture(text):
        return Kind.BOILERPLATE
    if _is_caption(text, words, index, texts):
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
    """Short and not ending a sentence; a question only in Title Case (but see
    `_mark_question_headings`)."""
    words = text.split()
    if not words or len(words) > 14 or len(text) > 120:
        return False
    if text.endswith("?"):
        return _title_case(words)
    return text[-1] not in TERMINAL + ","


def _title_case(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.6


def _mark_question_headings(kinds: list[Kind], texts: list[str]) -> None:
    """A short question standing alone before a paragraph is a heading where headings are
    written in sentence case: only there can a sentence-case question be one. Where they are
    Title Case, a sentence-case question is the author asking it in running prose.
    """
    headings = [LIST_MARKER.sub("", texts[i]).split() for i, k in enumerate(kinds)
                if k == Kind.HEADING and not texts[i].endswith("?")]
    sentence_case = sum(not _title_case(words) for words in headings)
    if not headings or sentence_case * 2 <= len(headings):
        return
    for i, text in enumerate(texts[:-1]):
        if (kinds[i] == Kind.BODY and kinds[i + 1].numbered and text.endswith("?")
                and len(text.split()) <= 14 and not re.search(r"[.!?]\s", text)
                and not text.startswith(('"', "'"))):
            kinds[i] = Kind.HEADING


def _is_caption(text: str, words: list[str], index: int, texts: list[str]) -> bool:
    if len(words) > 80:
        return False
    if _caption_marked(text):
        return True
    neighbours = [texts[i] for i in (index - 1, index + 1) if 0 <= i < len(texts)]
    if any(_same_caption(text, other) for other in neighbours):
        return True
    if not (text.endswith(".") and text.count(". ") == 0 and text[0].isupper()):
        return False
    if 4 <= len(words) <= 14 and not _has_verb(words):
        return True
    # A photo's caption often closes a section: a verbless phrase right before a heading,
    # where a word in -ed is a participle ("rounded up in the purges"), not a finite verb.
    before_heading = index + 1 < len(texts) and _is_heading(texts[index + 1])
    return before_heading and 4 <= len(words) <= 20 and not _has_verb(words, ed_always_finite=False)


def _is_furniture(text: str) -> bool:
    """FURNITURE.match(text), faster: '.' stops at a line break and '$' matches before a
    final one, so the wording counts only in a block of one line (less a final break)."""
    if FURNITURE_START.match(text):
        return True
    line = text[:-1] if text.endswith("\n") else text
    if "\n" in line:
        return False
    if line.isascii():  # where `re.I` is `str.lower`: look for the words before the pattern
        lowered = line.lower()
        if not any(words in lowered for words in _FURNITURE_WORDS):
            return False
    return FURNITURE_WORDING.search(line) is not None


_FURNITURE_WORDS = ("is published by", "creative commons licen", "all rights reserved")


def _caption_marked(text: str) -> bool:
    """A dated caption or one with a photo mark. Each pattern is tried only where it can
    match (CAPTION_DATED needs a comma after 6 to 161 other characters; CAPTION_MARK, a
    parenthesis, 'from l...' or a leading 'photo:' or 'image:'), which most paragraphs fail.
    Only ASCII is looked at in lower case: elsewhere `re.I` and `str.lower` differ (U+0130)."""
    if "," in text[6:162] and CAPTION_DATED.match(text):
        return True
    if text.isascii() and not ("(" in text or "from l" in text.lower()
                               or text[:6].lower() in ("photo:", "image:")):
        return False
    return CAPTION_MARK.search(text) is not None and text.count(". ") <= 1


def _same_caption(text: str, other: str) -> bool:
    """Scrapes often repeat a caption (alt text, then the visible caption)."""
    left, right = _caption_letters(text), _caption_letters(other)
    shorter, longer = sorted((left, right), key=len)
    return len(shorter) > 20 and longer.startswith(shorter) and len(shorter) > 0.6 * len(longer)


@lru_cache(maxsize=1024)  # each block is compared with both of its neighbours
def _caption_letters(text: str) -> str:
    """text's letters and digits in lower case, less '(click to enlarge...)'."""
    if text.isascii():  # most text: str.lower is re.I here, and bytes drop characters fast
        if "(click to enlarge" not in text.lower():
            return text.encode("ascii").translate(None, _ASCII_NOT_LETTERS).decode().lower()
    return _NOT_CAPTION_LETTERS.sub("", text).lower()


_NOT_CAPTION_LETTERS = re.compile(r"\(click to enlarge.*?\)|[^a-z0-9]", re.I)
_ASCII_NOT_LETTERS = bytes(code for code in range(128) if not chr(code).isalnum())


def _has_verb(words: list[str], ed_always_finite: bool = True) -> bool:
    """True when a word is a common finite verb or ends in -ed.

    Unless `ed_always_finite`, a word in -ed followed by a preposition or particle may be a
    participle ("rounded up in the purges", "pictured with Lenin") and does not count; one
    followed by anything else ("paved the way", "continued writing") still does.
    """
    bare = [word.strip(".,;:!?\"'()").lower() for word in words]
    for index, word in enumerate(bare):
        if word in VERBS:
            return True
        following = bare[index + 1] if index + 1 < len(bare) else ""
        if word.endswith("ed") and len(word) > 4 and (ed_always_finite
                                                       or following not in PARTICLES):
            return True
    return False


def _is_block_quote(text: str, index: int, texts: list[str]) -> bool:
    """A displayed quotation: introduced by a colon, all quotation, or cited at its end.

    A quotation the author interrupts to say who is speaking ('"...," Trotsky wrote. "..."')
    is the author's paragraph, unless it ends with a parenthetical source reference, the
    mark of a displayed quotation.
    """
    if not text.startswith(('"', "'")):
        return False
    previous = texts[index - 1] if index else ""
    if previous.endswith(":"):
        return True
    quoted = DASH_ATTRIBUTION.sub('"', text)  # '..." - Leon Trotsky' is a displayed quotation
    outside = re.sub(r'"[^"]*("|$)|\([^)]*\)', " ", quoted)
    narration = [word for word in outside.split() if any(ch.isalpha() for ch in word)]
    return not narration or (len(narration) <= 6 and bool(SOURCE_REFERENCE.search(text)))


def _mark_front_matter(kinds: list[Kind], texts: list[str], first_lines: list[str],
                       titles: tuple[str, ...]) -> None:
    """Title, byline and furniture sit before the first paragraph of the body."""
    wanted = {_key(title) for title in titles if title}
    body_start = next((i for i, k in enumerate(kinds) if k in (Kind.BODY, Kind.BLOCKQUOTE)
                       and not looks_like_byline(texts[i], first_lines[i])
                       and _key(texts[i]) not in wanted), len(kinds))
    title_index = next((i for i in range(body_start) if _key(texts[i]) in wanted), None)
    if title_index is None:
        title_index = _headline(kinds, texts, first_lines, body_start)
    for i in range(body_start):
        if i < title_index:
            kicker = not wanted and _is_kicker(kinds, texts, i, title_index)
            kinds[i] = Kind.TITLE if kicker else Kind.BOILERPLATE
        elif i == title_index or _key(texts[i]) in wanted:
            kinds[i] = Kind.TITLE
        elif _is_byline(kinds[i], texts[i], first_lines[i]):
            kinds[i] = Kind.BYLINE
        elif kinds[i] == Kind.HEADING and not _section_follows(kinds, i):
            kinds[i] = Kind.BYLINE


def _headline(kinds: list[Kind], texts: list[str], first_lines: list[str], body_start: int) -> int:
    """Without a catalog, the title is the heading nearest before the byline, else the first
    block that is not site furniture."""
    byline = next((i for i in range(body_start)
                   if _is_byline(kinds[i], texts[i], first_lines[i])), None)
    if byline is not None:
        nearest = [i for i in range(byline) if _heading_like(kinds[i], texts[i])]
        if nearest:
            return nearest[-1]
    return next((i for i in range(body_start) if kinds[i] != Kind.BOILERPLATE), 0)


def _is_kicker(kinds: list[Kind], texts: list[str], index: int, title_index: int) -> bool:
    """A heading opening the file right above an inferred headline is its kicker; anything
    else above the headline (a site header, the site's rubric after it) is furniture."""
    return index == 0 and title_index == 1 and _heading_like(kinds[0], texts[0])


def _heading_like(kind: Kind, text: str) -> bool:
    """A heading, or a heading-shaped line that only looked like something else ("90 years
    since ..." opens like a footnote)."""
    return kind == Kind.HEADING or (kind not in (Kind.CAPTION, Kind.BOILERPLATE)
                                    and _is_heading(text))


def _is_byline(kind: Kind, text: str, first_line: str) -> bool:
    """A "By X" line is a byline even when a date under it makes it look like a caption."""
    if kind == Kind.CAPTION:
        return bool(re.match(r"by\s", first_line, re.I)) and looks_like_byline(text, first_line)
    return looks_like_byline(text, first_line)


def _section_follows(kinds: list[Kind], index: int) -> bool:
    return index + 1 < len(kinds) and kinds[index + 1] in (Kind.BODY, Kind.BLOCKQUOTE)


def looks_like_byline(text: str, first_line: str) -> bool:
    """An author's name ("By X", "X, role") or a dateline of a few words."""
    from .catalog import find_byline, find_date

    words = text.split()
    return len(words) <= 25 and bool(find_byline(first_line) or find_byline(text)
                                     or (len(words) <= 8 and find_date(text)))


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


def _mark_note_links(kinds: list[Kind], texts: list[str]) -> None:
    """A bare link right after a footnote is the note's source, not site furniture."""
    for i in range(1, len(kinds)):
        if kinds[i - 1] == Kind.FOOTNOTE and re.fullmatch(r"(?:https?://|www\.)\S+", texts[i]):
            kinds[i] = Kind.FOOTNOTE
