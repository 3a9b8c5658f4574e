"""PDF: the text layer of each page, rebuilt into paragraphs cited by printed page.

pdfminer.six reads the text layer (MIT licensed and maintained; PyMuPDF is faster but AGPL,
which would bind everyone who ships seedsearch). It gives every line with its position and
font size, which is what the rebuilding needs: lines are joined into paragraphs (hyphenated
line ends rejoined), a paragraph running onto the next page is joined across it, running
heads and page numbers (the lines at a page's top or bottom that repeat from page to page) and
footnote markers (small raised digits) are kept out of the body, small print at a page's foot
is a footnote, and a line in a larger font is a heading. A PDF carries no other semantics, so
the paragraphs are classified by their shape as text articles are (layout). The page is the
printed label where the PDF defines labels ("xii", "12"), else its number.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..kinds import Kind
from ..layout import classify
from ..paragraphs import TERMINAL, RawBlock
from . import Extract, TextBuilder
from .pdf_meta import document_metadata

LINE_GAP = 1.45  # a gap above a line this many times the usual line spacing starts a paragraph
HEADING_SIZE = 1.15  # a line this much larger than the body's font is a heading
NOTE_SIZE = 0.88  # a line this much smaller at a page's foot is a footnote
MARGIN_LINES = 2  # lines at a page's top and at its foot that may be running heads
_NUMBER = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s+(?:of|/)\s+\d{1,4})?$", re.I)


@dataclass
class Line:
    text: str
    top: float
    bottom: float
    left: float
    size: float
    right: float = 0.0


@dataclass
class Paragraph:
    lines: list[Line]
    page: str
    page_end: str
    kind: Kind | None = None  # set where the font decides (heading, footnote)
    room: float = 0.0  # how far its last line stops short of the page's right margin
    at_foot: bool = False  # its last line is at the foot of the text block: the page is full

    @property
    def text(self) -> str:
        return join_lines([line.text for line in self.lines])


def read(path: Path, data: bytes) -> Extract:
    """Read a PDF's text layer into page-cited paragraphs and its info/XMP metadata."""
    document, pages = _open(path, data)
    labels = _labels(document, len(pages))
    page_lines = [_page_lines(page) for page in pages]
    if not any(page_lines):
        raise InputError(f"{path} has no text layer (a scan?); OCR it first (e.g. ocrmypdf), "
                         "then index it again")
    body_size = _body_size(page_lines)
    _drop_running_heads(page_lines)
    foot = min((line.bottom for lines in page_lines for line in lines
                if abs(line.size - body_size) < 0.5), default=0.0)
    paragraphs = _join_across_pages([p for number, lines in enumerate(page_lines)
                                     for p in _paragraphs(lines, labels[number], body_size, foot)])
    builder = TextBuilder()
    for paragraph, kind in zip(paragraphs, _kinds(paragraphs), strict=True):
        builder.add(paragraph.text, kind, page=paragraph.page, page_end=paragraph.page_end)
    empty = [labels[n] for n, lines in enumerate(page_lines) if not lines and _has_picture(pages[n])]
    warnings = (f"pages {_ranges(empty)} have no text layer (scanned?); they were not read",) \
        if empty and len(empty) < len(pages) else ()
    metadata = document_metadata(document)
    return Extract("pdf", builder.text(), tuple(builder.blocks), metadata,
                   "document info and XMP metadata" if metadata else "", warnings)


def _open(path: Path, data: bytes) -> tuple[Any, list]:
    """The parsed document and its pages' layouts; InputError for damaged or locked files."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psparser import PSException

    if not data.startswith(b"%PDF"):
        raise InputError(f"{path} is not a PDF (it does not start with %PDF).")
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=LAParams(line_margin=0.3))
        interpreter = PDFPageInterpreter(manager, device)
        layouts = []
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            layouts.append(device.get_result())
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InputError(f"{path} is encrypted; save an unlocked copy and index that.") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path} is damaged ({type(exc).__name__}); nothing indexed.") from exc
    return document, layouts


def _labels(document: Any, count: int) -> list[str]:
    """Each page's printed label, or its number where the PDF defines none."""
    from pdfminer.pdfdocument import PDFNoPageLabels

    try:
        labels = [str(label) for _, label in zip(range(count),
                                                  document.get_page_labels(), strict=False)]
    except (PDFNoPageLabels, KeyError, TypeError, ValueError, AttributeError):
        labels = []
    return labels + [str(n) for n in range(len(labels) + 1, count + 1)]


def _page_lines(layout) -> list[Line]:
    """The page's text lines, top to bottom, in pdfminer's reading order of its boxes."""
    from pdfminer.layout import LTChar, LTTextBox, LTTextLine

    lines: list[Line] = []
    for box in layout:
        if not isinstance(box, LTTextBox):
            continue
        for line in box:
            if not isinstance(line, LTTextLine):
                continue
            chars = [c for c in line if isinstance(c, LTChar)]
            sizes = sorted(c.size for c in chars) or [0.0]
            size = sizes[len(sizes) // 2]
            text = "".join(c.get_text() for c in line if not _is_marker(c, size, line.y0))
            if text.strip():
                lines.append(Line(" ".join(text.split()), line.y1, line.y0, line.x0, size,
                                  line.x1))
    return lines


def _has_picture(layout) -> bool:
    """True for a page holding an image (a scan), not one left blank."""
    from pdfminer.layout import LTFigure, LTImage

    return any(isinstance(item, LTFigure | LTImage) for item in layout)


def _is_marker(char, size: float, baseline: float) -> bool:
    """A footnote marker: a small raised digit or dagger inside a line of larger type."""
    from pdfminer.layout import LTChar

    return (isinstance(char, LTChar) and char.size <= 0.85 * size and char.y0 > baseline + 1
            and char.get_text() in "0123456789*\u2020\u2021")


def _body_size(page_lines: list[list[Line]]) -> float:
    sizes = Counter(round(line.size, 1) for lines in page_lines for line in lines)
    return sizes.most_common(1)[0][0]


def _drop_running_heads(page_lines: list[list[Line]]) -> None:
    """Remove page numbers and running heads: the lines at a page's top or foot that repeat
    across pages, or that stand where the heads of other pages stand and repeat at all (a
    book's heads change with each chapter)."""
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    margins = [lines[:MARGIN_LINES] + lines[-MARGIN_LINES:] for lines in page_lines]
    counts = Counter(k for lines in margins for k in {key(line) for line in lines})
    bands = Counter(round(line.top) for lines in page_lines for line in lines[:1] + lines[-1:])
    head_places = {top for top, count in bands.items() if count >= max(3, len(page_lines) // 4)}
    repeated = max(2, len(page_lines) // 3)
    for lines, edge in zip(page_lines, margins, strict=True):
        for line in edge:
            in_band = any(abs(line.top - top) <= 1.5 for top in head_places)
            if line in lines and (_NUMBER.match(line.text) or counts[key(line)] >= repeated
                                  or (in_band and (counts[key(line)] >= 2
                                                   or _set_apart(line, lines)))):
                lines.remove(line)


def _set_apart(line: Line, lines: list[Line]) -> bool:
    """True when white space wider than two lines parts a line from the text below (or,
    at the foot, above) it: how a running head or foot stands off the body."""
    others = [other for other in lines if other is not line and abs(other.top - line.top) > 1]
    below = [line.bottom - other.top for other in others if other.top < line.bottom]
    above = [other.bottom - line.top for other in others if other.bottom > line.top]
    gap = min(below) if line is lines[0] or not above else min(above)
    return gap > 2 * line.size


def _paragraphs(lines: list[Line], page: str, body_size: float, foot: float) -> list[Paragraph]:
    """Split a page's lines into paragraphs at wide gaps, indents and changes of font size."""
    spacing = _usual_spacing(lines)
    paragraphs: list[Paragraph] = []
    previous: Line | None = None
    for line in lines:
        if previous is None or _starts_paragraph(previous, line, spacing, lines):
            paragraphs.append(Paragraph([], page, page, _font_kind(line, body_size, lines)))
        paragraphs[-1].lines.append(line)
        previous = line
    margin = max((line.right for line in lines), default=0.0)
    for paragraph in paragraphs:
        last = paragraph.lines[-1]
        paragraph.room = margin - last.right
        paragraph.at_foot = last.bottom <= foot + 1.5 * last.size
    return paragraphs


def _usual_spacing(lines: list[Line]) -> float:
    gaps = sorted(round(a.bottom - b.bottom, 1) for a, b in zip(lines, lines[1:], strict=False)
                  if 0 < a.bottom - b.bottom < 3 * a.size)
    return gaps[len(gaps) // 2] if gaps else 14.0


def _starts_paragraph(previous: Line, line: Line, spacing: float, lines: list[Line]) -> bool:
    gap = previous.bottom - line.bottom
    usual = max(spacing, 1.2 * previous.size)  # a heading's larger type has wider lines
    if gap < 0 or gap > LINE_GAP * usual or abs(line.size - previous.size) > 0.5:
        return True
    left = min(candidate.left for candidate in lines)
    indented = line.left - left > 1.5 * line.size and previous.left - left < line.size
    return indented and previous.text.rstrip()[-1:] in TERMINAL


def _font_kind(line: Line, body_size: float, lines: list[Line]) -> Kind | None:
    if line.size >= HEADING_SIZE * body_size and len(line.text.split()) <= 20:
        return Kind.HEADING
    lowest = lines.index(line) >= len(lines) // 2
    if line.size <= NOTE_SIZE * body_size and lowest and re.match(r"^(?:\d{1,3}|[*\u2020\u2021])\s?\S",
                                                                  line.text):
        return Kind.FOOTNOTE
    return None


def _join_across_pages(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A paragraph cut by a page break (a page's last paragraph of running text with no
    closing stop) goes on in the next page's first, and is one paragraph spanning both."""
    joined: list[Paragraph] = []
    for paragraph in paragraphs:
        earlier = next((p for p in reversed(joined) if p.kind != Kind.FOOTNOTE), None)
        if (earlier is not None and earlier.page_end != paragraph.page and paragraph.kind is None
                and earlier.kind is None and _runs_on(earlier, paragraph)):
            earlier.lines.extend(paragraph.lines)
            earlier.page_end = paragraph.page
            continue
        joined.append(paragraph)
    return joined


def _runs_on(earlier: Paragraph, paragraph: Paragraph) -> bool:
    """True when a page's last paragraph goes on at the next page's top: it stops
    mid-sentence, or its last line had no room for the next page's first word (had the
    paragraph ended there, that line would have ended short of the margin as last lines do)."""
    if paragraph.text[:1].islower():
        return True
    if earlier.text[-1:] not in TERMINAL and len(earlier.text.split()) >= 12:
        return True
    last = earlier.lines[-1]
    char_width = (last.right - last.left) / max(len(last.text), 1)
    first_word = paragraph.text.split()[0] if paragraph.text.split() else ""
    return (earlier.at_foot and len(earlier.lines) > 1
            and earlier.room < (len(first_word) + 1) * char_width)


def _kinds(paragraphs: list[Paragraph]) -> list[Kind]:
    """Font decides headings and footnotes; the rest are classified by shape, as text is."""
    raws = [RawBlock((p.text,), 0, len(p.text), 1, 1, "heading" if p.kind == Kind.HEADING else "")
            for p in paragraphs]
    kinds = classify(raws)
    for index, paragraph in enumerate(paragraphs):
        if paragraph.kind == Kind.FOOTNOTE or (paragraph.kind == Kind.HEADING
                                               and kinds[index] != Kind.TITLE):
            kinds[index] = paragraph.kind
    return kinds


def join_lines(lines: list[str]) -> str:
    """Join a paragraph's lines, rejoining words hyphenated at a line's end.

    >>> join_lines(["the counter-", "revolution and the bureau-", "cracy"])
    'the counter-revolution and the bureaucracy'
    """
    text = ""
    for line in lines:
        if text.endswith("\u00ad"):
            text = text[:-1] + line
        elif re.search(r"[^\W\d_]-$", text) and line[:1].islower():
            # "counter-" before a word that stands alone keeps its hyphen; a broken word does not
            text = text + line if _compound(text) else text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text


def _compound(text: str) -> bool:
    """True when the word before a line-end hyphen is a whole word that takes a hyphen."""
    word = re.search(r"([^\W\d_]+)-$", text)
    return word is not None and word.group(1).lower() in _PREFIXES


_PREFIXES = frozenset("counter anti non self semi ex neo pseudo ultra left right well long short "
                      "half quasi".split())


def _ranges(labels: list[str]) -> str:
    return ", ".join(labels[:10]) + (" ..." if len(labels) > 10 else "")
