"""Does a draft credit a quotation to the right person, article, year and paragraph?

Misattribution is as common as misquotation. A draft names who said it ("as Lenin wrote, “...”")
or cites it ("(Belano, 2025, para. 14)", a Markdown footnote `[^3]`); the source says who the
article attributes the words to, who wrote the article and when, and in which ¶ the words
stand. A name that matches neither the source's speaker nor the article's author, or a year
that is not the article's, is `misattributed`; a ¶ (or, in a paged source such as a PDF, a page)
the words are not in is a `wrong pinpoint`.
"""

from __future__ import annotations

import re

from .analyse import fold
from .frozen import frozen_dataclass
from .verify import Match, Verification

PARENTHESES = re.compile(r"\(([^()]*)\)")
FOOTNOTE_MARK = re.compile(r"\[\^([\w-]+)\]")
FOOTNOTE = re.compile(r"^\[\^([\w-]+)\]:\s*(.+)$", re.MULTILINE)
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
PARAGRAPH = re.compile(r"(?:\bparas?\.?|\bparagraphs?|¶)\s*(\d+)", re.IGNORECASE)
PAGES = re.compile(r"(?:\bpp?\.|\bpages?)\s*(\d+)(?:\s*[-–]\s*(\d+))?", re.IGNORECASE)
AUTHOR = re.compile(r"^\s*(?:see\s+|cf\.\s+)?(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’-]+)*)")


@frozen_dataclass
class DraftCitation:
    """What the draft's own citation of a quotation says (each field "" or None if absent)."""

    author: str
    year: str
    paragraph: int | None
    pages: tuple[int, int] | None = None  # "p. 12" -> (12, 12); "pp. 12-14" -> (12, 14)

    def to_dict(self) -> dict:
        """The JSON form."""
        return {"author": self.author or None, "year": self.year or None,
                "paragraph": self.paragraph,
                "pages": list(self.pages) if self.pages else None}


def read_citation(text: str) -> DraftCitation | None:
    """The author, year and ¶ a citation gives, or None when it gives none of them.

    >>> read_citation("Belano, 2025, para. 14")
    DraftCitation(author='Belano', year='2025', paragraph=14, pages=None)
    >>> read_citation("Serge, 1937, pp. 12-14").pages
    (12, 14)
    >>> read_citation("see above") is None
    True
    """
    year = YEAR.search(text)
    paragraph = PARAGRAPH.search(text)
    pages = PAGES.search(text)
    if not year and not paragraph and not pages:
        return None
    author = AUTHOR.match(text)
    name = author.group("name") if author and not (PARAGRAPH.match(text) or
                                                   PAGES.match(text)) else ""
    cited_pages = None
    if pages:
        first = int(pages.group(1))
        last = int(pages.group(2)) if pages.group(2) else first
        cited_pages = (first, max(first, last))
    return DraftCitation(name, year.group(1) if year else "",
                         int(paragraph.group(1)) if paragraph else None, cited_pages)


def citation_after(around: str, quoted: str, draft: str) -> DraftCitation | None:
    """The citation that follows a quotation (in the draft's lines `around` it) before the next
    sentence: parentheses, or a footnote mark whose definition in the draft gives one."""
    words = quoted.split()
    tail = " ".join(words[-3:])
    flat = " ".join(around.split())
    at = flat.find(tail)
    if at < 0:
        return None
    after = flat[at + len(tail):]
    after = after[:_next_sentence(after)]
    mark = FOOTNOTE_MARK.search(after[:20])
    if mark:
        notes = {match.group(1): match.group(2) for match in FOOTNOTE.finditer(draft)}
        if mark.group(1) in notes:
            return read_citation(notes[mark.group(1)])
    for match in PARENTHESES.finditer(after):
        cited = read_citation(match.group(1))
        if cited is not None:
            return cited
    return None


def _next_sentence(text: str) -> int:
    """Where the sentence after the quotation's own ends: past its closing marks, citation and
    full stop, at the next capital after a full stop outside parentheses."""
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        following = text[index + 1:index + 3].strip()[:1]
        if depth == 0 and char in ".!?" and index > 2 and following.isupper():
            return index + 1
    return len(text)


def credit_warnings(verification: Verification, named: str,
                    cited: DraftCitation | None) -> list[str]:
    """`misattributed` and `wrong pinpoint` warnings for the draft's credit of a quotation."""
    matches = list(verification.matches)
    if not matches or verification.verdict.value == "not_found":
        return []
    warnings = []
    if named and not any(_credited(named, match) for match in matches):
        warnings.append(f"misattributed: the draft credits {named}; {_who(matches[0])}")
    if cited and cited.author and not any(_credited(cited.author, match) for match in matches):
        warnings.append(f"misattributed: the draft cites {cited.author}; {_who(matches[0])}")
    dated = [match for match in matches if _years(match)]  # an undated article cannot refute
    if cited and cited.year and dated and not any(cited.year in _years(match) for match in dated):
        years = " or ".join(sorted(_years(dated[0])))
        warnings.append(f"misattributed: the draft cites {cited.year}; the article is from {years}")
    if cited and cited.paragraph is not None and not any(
            cited.paragraph in match.paragraphs for match in matches):
        right = ", ".join(f"¶{number}" for number in matches[0].paragraphs) or "unnumbered"
        warnings.append(f"wrong pinpoint: the draft cites ¶{cited.paragraph}; the words are at "
                        f"{right}")
    paged = [match for match in matches if _page_range(match)]
    if cited and cited.pages and paged and not any(
            _overlaps(cited.pages, _page_range(match)) for match in paged):
        warnings.append(f"wrong pinpoint: the draft cites {_page_label(cited.pages)}; the words "
                        f"are on {_page_label(_page_range(paged[0]))}")
    return warnings


def _page_range(match: Match) -> tuple[int, int] | None:
    """The printed pages a match spans, when they are numbers (a PDF's "xii" is not checked)."""
    first, last = match.page_start, match.page_end or match.page_start
    if not (first.isdigit() and last.isdigit()):
        return None
    return int(first), max(int(first), int(last))


def _overlaps(cited: tuple[int, int], found: tuple[int, int] | None) -> bool:
    return found is not None and cited[0] <= found[1] and found[0] <= cited[1]


def _page_label(pages: tuple[int, int] | None) -> str:
    if pages is None:
        return "no numbered page"
    return f"p. {pages[0]}" if pages[0] == pages[1] else f"pp. {pages[0]}–{pages[1]}"


def _credited(name: str, match: Match) -> bool:
    """True when the name is the speaker the source gives or one of the article's authors."""
    wanted = _surname(name)
    people = [match.speaker, *match.doc.authors]
    return bool(wanted) and any(wanted in fold(person).replace("'", " ").replace("’", " ")
                                .split() for person in people if person)


def _who(match: Match) -> str:
    authors = match.doc.author or "an unnamed author"
    if match.speaker:
        return f"the source attributes these words to {match.speaker} (in {authors}'s article)"
    return f"the words are {authors}'s own"


def _years(match: Match) -> set[str]:
    dates = [match.doc.date, match.doc.original.date if match.doc.original else ""]
    return {date[:4] for date in dates if date}


def _surname(name: str) -> str:
    """The last word of a name, folded: "V. I. Lenin" -> "lenin".

    >>> _surname("Leon Trotsky's")
    'trotsky'
    """
    words = fold(name).replace("’", "'").split()
    return words[-1].split("'")[0] if words else ""
