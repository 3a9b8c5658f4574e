"""How each citation style writes an entry: plain, APA 7, MLA 9 and Chicago 17.

Each formatter returns (in-text or note, short note, reference entry, warnings) for one article
and an optional pinpoint; `search.cite.cite` picks the formatter and adds the locator.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .bibliography import (
    MINOR_WORDS,
    MONTHS,
    date_parts,
    sentence_case,
    short_title,
    split_name,
    title_case,
)
from .catalog import ArticleMeta, OriginalPublication
from .pinpoint import Pinpoint, page_mark

_APA_MINOR = frozenset(word for word in MINOR_WORDS if len(word) <= 3)  # APA 7 6.17
_MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
               "Nov.", "Dec.")  # MLA 9 abbreviations: long month names shortened



def invert_name(name: str) -> str:
    """Return a name family name first, as a reference list starts it.

    >>> invert_name("Robert Narai"), invert_name("Martin Luther King Jr."), invert_name("Voltaire")
    ('Narai, Robert', 'King, Martin Luther, Jr.', 'Voltaire')
    """
    person = split_name(name)
    return ", ".join(part for part in (person.family, person.given, person.suffix) if part)


def italic(text: str) -> str:
    """Return text in Markdown italics, its own backslashes and asterisks escaped.

    >>> italic("Red Flag"), unmark(italic("M*A*S*H"))
    ('*Red Flag*', 'M*A*S*H')
    """
    return "*" + re.sub(r"([\\*])", r"\\\1", text) + "*" if text else ""


def unmark(text: str) -> str:
    """Return text without the Markdown italics that `italic` added."""
    return re.sub(r"\\([\\*])|\*", lambda match: match.group(1) or "", text)


Parts = tuple[str, str, str, tuple[str, ...]]


def _plain(meta: ArticleMeta, pinpoint: Pinpoint | None) -> Parts:
    venue = italic(meta.publication) if meta.publication else meta.publisher
    original = meta.original
    if original and (original.publication or original.date):
        first = ", ".join(filter(None, [italic(original.publication), original.date]))
        venue = f"{venue} (first published in {first})".strip()
    parts = [meta.author, _quote(_full_title(meta, str)), venue, meta.date]
    url = meta.url or (original.url if original else "")
    locator = pinpoint.locator if pinpoint else meta.path
    reference = ", ".join(filter(None, parts + [url]))
    link = pinpoint.link if pinpoint else ""
    return ", ".join(filter(None, parts + [locator, link])), "", reference, ()


def _apa(meta: ArticleMeta, pinpoint: Pinpoint | None) -> Parts:
    warnings = _missing(meta, "apa", "the title takes the author's place", "cited as n.d.")
    title, undecided = _apa_title(meta)
    if undecided:
        warnings += (f"apa: the article does not show whether {_series(list(undecided))} "
                     f"{'is a proper noun' if len(undecided) == 1 else 'are proper nouns'}, so "
                     "the title keeps the source's capitals there; give title_sentence_case in "
                     "the catalog (APA 7 6.17)",)
    webpage = not meta.publication  # APA 7 10.16: a page on a website has its title in italics
    title = italic(title) if webpage else title
    if meta.translators:  # APA 7 translated works: (A. Lee, Trans.)
        title += f" ({_apa_series([_initialled(name) for name in meta.translators])}, Trans.)"
    date = f"({_date(meta.date, 'apa') or 'n.d.'})"  # APA 7 9.17: n.d.
    head = [[_apa_series([_apa_name(name) for name in meta.authors])], [date], [title]]
    if not meta.authors:  # APA 7 9.12: no author, the title moves to the author position
        head = [[title], [date]]
    venue = italic(meta.publication) or meta.publisher  # APA 7 10.1/10.16
    reference = _sentences(head + [[venue]]) + _spaced([_apa_link(meta), _apa_reprint(meta)])
    families = [split_name(name).family for name in meta.authors]
    who = f"{families[0]} et al." if len(families) > 2 else " & ".join(families)  # APA 7 8.17
    if not who:  # APA 7 8.14: the title in title case, italic or quoted as in the reference
        short = title_case(short_title(meta.title), _APA_MINOR)
        who = italic(short) if webpage else _quote(short)
    year = meta.date[:4] or "n.d."
    if meta.original and meta.original.date:  # APA 7 9.41: (Freud, 1900/1953)
        year = f"{meta.original.date[:4]}/{year}"
    return f"({_commas([who, year, _apa_pin(pinpoint)])})", "", reference, warnings


def _apa_title(meta: ArticleMeta) -> tuple[str, tuple[str, ...]]:
    if given := dict(meta.extra).get("title_sentence_case", ""):
        return given, ()  # the writer's own sentence case, proper nouns and all
    known = dict(meta.title_case)  # proper and common nouns, as the article's body writes them
    title, undecided = sentence_case(meta.title, known)  # APA 7 6.17: sentence case
    if meta.subtitle:
        subtitle, more = sentence_case(meta.subtitle, known)
        title, undecided = f"{title}: {subtitle[:1].upper()}{subtitle[1:]}", undecided + more
    return title, tuple(dict.fromkeys(undecided))


def _apa_pin(pinpoint: Pinpoint | None) -> str:
    if pinpoint is None:
        return ""
    if pinpoint.pages:  # APA 7 8.13: a page, or a page range
        return page_mark(pinpoint.pages)
    if pinpoint.section and pinpoint.section_paragraph:  # APA 7 8.28: heading, then para.
        return f"{pinpoint.section} section, para. {pinpoint.section_paragraph}"
    if pinpoint.paragraph:  # APA 7 8.28: count the paragraphs
        return f"para. {pinpoint.paragraph}"
    return f"{pinpoint.section} section" if pinpoint.section else ""


def _apa_link(meta: ArticleMeta) -> str:
    if meta.url and meta.accessed and not meta.date:  # APA 7 9.16: undated pages may change
        return f"Retrieved {_date(meta.accessed, 'chicago')}, from {meta.url}"
    return meta.url


def _apa_reprint(meta: ArticleMeta) -> str:
    original = meta.original
    if not original or not (original.publication or original.date):
        return ""
    title = (sentence_case(original.title, dict(meta.title_case))[0] if original.title
             else _apa_title(meta)[0])
    facts = [_quote(title), original.date[:4], italic(original.publication), original.url]
    return f"(Reprinted from {_commas(facts)})"  # APA 7 9.41 and its republished-work example


def _mla(meta: ArticleMeta, pinpoint: Pinpoint | None) -> Parts:
    warnings = _missing(meta, "mla", "the entry starts with the title", "the entry gives none")
    authors = meta.authors
    who = invert_name(authors[0]) if authors else ""  # MLA 9 author element
    who += f", and {authors[1]}" if len(authors) == 2 else ", et al." if len(authors) > 2 else ""
    title = _full_title(meta, lambda text: title_case(text, MINOR_WORDS))  # MLA 9 titles
    translated = f"Translated by {_series(list(meta.translators))}" if meta.translators else ""
    venue = italic(meta.publication) or meta.publisher
    groups = [[who], [_quote(title)], [translated],
              [venue, _date(meta.date, "mla"), _bare(meta.url)]]
    original = meta.original
    if original and (original.publication or original.date):  # MLA 9: prior publication
        groups.append([f"Originally published in {italic(original.publication)}".strip(),
                       _date(original.date, "mla"), _bare(original.url)])
    if meta.accessed and not meta.date:  # MLA 9 optional: date of access
        groups.append([f"Accessed {_date(meta.accessed, 'mla')}"])
    families = [split_name(name).family for name in authors]
    short = f"{families[0]} et al." if len(families) > 2 else " and ".join(families)
    short = short or _quote(title_case(short_title(meta.title), MINOR_WORDS))  # shortened title
    if pinpoint and pinpoint.pages:  # MLA 9 6.17: the page number alone, after the author
        short = f"{short} {pinpoint.pages}"
    return f"({short})", "", _sentences(groups), warnings  # MLA 9: paragraphs only if numbered


def _chicago(meta: ArticleMeta, pinpoint: Pinpoint | None) -> Parts:
    warnings = _missing(meta, "chicago", "the title stands first",
                        "cited by the access date" if meta.accessed else "cited as n.d.")
    names = [split_name(name) for name in meta.authors]
    natural = [" ".join(filter(None, [n.given, n.family, n.suffix])) for n in names]
    families = [name.family for name in names]
    title = _quote(_full_title(meta, lambda text: title_case(text, MINOR_WORDS)))  # CMOS 8.159
    venue = italic(meta.publication) or meta.publisher  # CMOS online periodicals, websites
    date = _date(meta.date, "chicago")
    accessed = _date(meta.accessed, "chicago") if meta.accessed and not date else ""  # CMOS 14.12
    original = _chicago_original(meta.original)  # CMOS reprints: originally published in
    pin = _chicago_pin(pinpoint)
    translators = _series(list(meta.translators))
    who = f"{natural[0]} et al." if len(natural) > 3 else _series(natural)  # CMOS 14.76
    note = _sentences([[who, title, f"trans. {translators}" if translators else "", venue,
                        date or (f"accessed {accessed}" if accessed else "n.d."), pin,
                        original[:1].lower() + original[1:], meta.url]])
    short_who = f"{families[0]} et al." if len(families) > 3 else _series(families)
    short = _sentences([[short_who, _quote(short_title(unmark(title).strip('"'))), pin]])
    listed = ([invert_name(meta.authors[0])] + natural[1:7 if len(natural) > 10 else None]
              if natural else [])
    bib_who = (", and ".join(listed) if len(listed) == 2 else _series(listed)) + (
        " et al." if len(natural) > 10 else "")  # CMOS 14.76: "Narai, Robert, and ..."
    bib = _sentences([[bib_who], [title], [f"Translated by {translators}" if translators else ""],
                      [venue, date or ("" if accessed else "n.d.")], [original],
                      [f"Accessed {accessed}" if accessed else ""], [meta.url]])
    return note, short, bib, warnings


def _chicago_pin(pinpoint: Pinpoint | None) -> str:
    if pinpoint is None:
        return ""
    if pinpoint.pages:  # CMOS 14.20: the page number alone
        return pinpoint.pages
    if pinpoint.section:  # CMOS 14.160: a section heading in lieu of a page, with "under"
        return f"under {_quote(pinpoint.section)}"
    return f"par. {pinpoint.paragraph}" if pinpoint.paragraph else ""  # CMOS abbreviation: par.


def _chicago_original(original: OriginalPublication | None) -> str:
    if not original or not (original.publication or original.date):
        return ""
    title = _quote(title_case(original.title, MINOR_WORDS)) if original.title else ""
    facts = [title, italic(original.publication), _date(original.date, "chicago"), original.url]
    return "Originally published in " + _commas(facts)


def _missing(meta: ArticleMeta, style: str, no_author: str, no_date: str) -> tuple[str, ...]:
    warnings = []
    if not meta.authors:
        warnings.append(f"{style}: no author in the catalog; {no_author}")
    if not meta.date:
        warnings.append(f"{style}: no date in the catalog; {no_date}")
        if style != "apa" and not meta.accessed:
            warnings.append(f"{style}: undated, so the style asks for the date you accessed "
                            "the article; add accessed to the catalog")
    if not meta.url:
        fallback = meta.original.url if meta.original else ""
        warnings.append(f"{style}: no url in the catalog; " + (
            "only the original publication's URL is given" if fallback
            else "the reference has no link"))
    original = meta.original
    if original and (original.publication or original.date):
        first = ", ".join(filter(None, [original.publication, original.date]))
        warnings.append(f"{style}: a reprint (first published in {first}): the reference cites "
                        "the copy you read and says where it first appeared")
    return tuple(warnings)


def _date(iso: str, style: str) -> str:
    """Return an ISO date as the style writes it; a year alone, or a malformed date, as given."""
    parts = date_parts(iso)
    if len(parts) < 2:
        return str(parts[0]) if parts else iso
    year, month, day = parts[0], parts[1] - 1, parts[2] if len(parts) > 2 else 0
    if style == "apa":  # APA 7 9.14: (2022, August 31)
        return f"{year}, {MONTHS[month]}" + (f" {day}" if day else "")
    if style == "mla":  # MLA 9: 31 Aug. 2022
        return (f"{day} " if day else "") + f"{_MLA_MONTHS[month]} {year}"
    return MONTHS[month] + (f" {day}," if day else "") + f" {year}"  # CMOS: August 31, 2022


def _apa_name(name: str) -> str:
    person = split_name(name)
    return ", ".join(filter(None, [person.family, _initials(person.given), person.suffix]))


def _initialled(name: str) -> str:
    person = split_name(name)
    return " ".join(filter(None, [_initials(person.given), person.family]))


def _initials(given: str) -> str:
    """Return APA initials: "Jean-Paul" gives "J.-P.", "C.L.R." gives "C. L. R."."""
    words = [word for word in re.split(r"[\s.]+", given) if word]
    return " ".join("-".join(part[0] + "." for part in word.split("-") if part) for word in words)


def _apa_series(names: list[str]) -> str:
    if len(names) > 20:  # APA 7 9.8: the first nineteen, an ellipsis, the last
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return "".join(names) if len(names) < 2 else ", ".join(names[:-1]) + ", & " + names[-1]


def _series(names: list[str]) -> str:
    if len(names) < 3:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]  # serial comma (CMOS, MLA 9)


def _full_title(meta: ArticleMeta, case: Callable[[str], str]) -> str:
    return case(meta.title) + (f": {case(meta.subtitle)}" if meta.subtitle else "")


def _quote(text: str) -> str:
    inner = text.replace('"', "'").replace("“", "‘").replace("”", "’")  # quotes within quotes
    return f'"{inner}"'


def _punct(text: str, mark: str) -> str:
    """Attach a comma or period the American way: inside closing quotes, never doubled."""
    visible = text.rstrip('*"')
    if visible.endswith(("?", "!")) or (mark == "." and visible.endswith(".")):
        return text
    return text[:-1] + mark + '"' if text.endswith('"') else text + mark


def _commas(items: list[str]) -> str:
    items = [item for item in items if item]
    return "".join(_punct(item, ",") + " " for item in items[:-1]) + "".join(items[-1:])


def _sentences(groups: list[list[str]]) -> str:
    return " ".join(_punct(_commas(group), ".") for group in groups if any(group))


def _bare(url: str) -> str:
    return re.sub(r"^https?://", "", url)  # MLA 9: the URL without http(s)://


def _spaced(parts: list[str]) -> str:
    return "".join(f" {part}" for part in parts if part)


FORMATTERS: dict[str, Callable[[ArticleMeta, Pinpoint | None], Parts]] = {
    "plain": _plain, "apa": _apa, "mla": _mla, "chicago": _chicago}
