"""Article metadata: read from a `catalog.toml` beside the articles, else inferred from the text.

The catalog is the single source of truth for citations. For an article it does not cover,
`infer_metadata` reads what the text itself shows: the title, a "By X" (or "By A and B") or
"X, role" byline and a date in any common format.
"""

from __future__ import annotations

import re
from dataclasses import asdict, field, replace
from pathlib import Path

from .errors import InputError
from .frozen import frozen_dataclass

CATALOG_NAME = "catalog.toml"


@frozen_dataclass
class OriginalPublication:
    """Where a reprinted article first appeared."""

    title: str = ""
    publication: str = ""
    date: str = ""
    url: str = ""


@frozen_dataclass
class ArticleMeta:
    """What a citation needs to know about one article."""

    doc_id: str  # the file name without its extension
    path: str
    title: str
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    author_roles: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    publication: str = ""
    publisher: str = ""
    section: str = ""
    date: str = ""  # ISO: YYYY, YYYY-MM or YYYY-MM-DD; "" when unknown
    url: str = ""
    accessed: str = ""
    original: OriginalPublication | None = None
    notes: tuple[tuple[str, str], ...] = ()
    source: str = "catalog"  # "catalog", "document" (the file's own metadata) or "inferred"
    format: str = "text"  # the file's format: text, html, markdown, pdf, epub, docx
    extra: tuple[tuple[str, str], ...] = field(default=())
    # Title words the article's body shows to be proper or common nouns (search.casing).
    title_case: tuple[tuple[str, str], ...] = ()

    @property
    def author(self) -> str:
        """All authors joined for display ("A and B", "A, B and C")."""
        return join_names(self.authors)

    def to_dict(self, doc_id: str) -> dict:
        """The article object of the JSON contract, with every catalog field added."""
        data = {"id": doc_id, "path": self.path, "title": self.title,
                "author": self.author or None,
                "publication": self.publication or self.publisher or None,
                "date": self.date or None, "url": self.url or None}
        full = asdict(self)
        full.pop("doc_id", None)
        data.update({key: value for key, value in full.items() if key not in data})
        return data


def join_names(names: tuple[str, ...] | list[str]) -> str:
    """Join names as an English list.

    >>> join_names(["Ann Lee", "Bo Chen", "Cy Diaz"])
    'Ann Lee, Bo Chen and Cy Diaz'
    """
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_STRING_FIELDS = ("title", "subtitle", "publication", "publisher", "section", "date", "url",
                  "accessed")
_LIST_FIELDS = ("authors", "author_roles", "translators")
DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def load_catalog(folder: Path) -> dict[str, dict]:
    """Return the catalog entries found in folder/catalog.toml, keyed by file stem."""
    path = folder / CATALOG_NAME
    if not path.is_file():
        return {}
    import tomllib  # only when indexing: a search imports this module for ArticleMeta alone

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} is not valid TOML ({exc}). Fix the catalog and retry.") from exc
    entries = data.get("articles", data)
    return {str(key): value for key, value in entries.items() if isinstance(value, dict)}


def meta_from_catalog(doc_id: str, path: str, entry: dict) -> ArticleMeta:
    """Build an ArticleMeta from one catalog entry, checking its field types."""
    values: dict = {}
    for name in _STRING_FIELDS:
        if name in entry:
            values[name] = str(entry[name]).strip()
    for name in _LIST_FIELDS:
        raw = entry.get(name, [])
        values[name] = tuple([raw] if isinstance(raw, str) else [str(item) for item in raw])
    if "author" in entry and not values["authors"]:
        values["authors"] = (str(entry["author"]),)
    if values.get("date") and not DATE_PATTERN.match(values["date"]):
        raise InputError(
            f"catalog entry {doc_id}: date {values['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD."
        )
    original = entry.get("original")
    if isinstance(original, dict):
        values["original"] = OriginalPublication(
            **{key: str(original.get(key, "")) for key in ("title", "publication", "date", "url")}
        )
    notes = entry.get("notes", {})
    values["notes"] = tuple((str(key), str(value)) for key, value in notes.items())
    known = {*_STRING_FIELDS, *_LIST_FIELDS, "author", "original", "notes"}
    values["extra"] = tuple((str(key), str(value)) for key, value in entry.items()
                            if key not in known and not isinstance(value, dict))
    return ArticleMeta(doc_id=doc_id, path=path, title=values.pop("title", "") or doc_id, **values)


# The patterns below are compiled on first use (and kept in `re`'s cache), not at import: a
# search imports this module for ArticleMeta and never reads a byline or a date line.
_BYLINE = r"^(?:by|By|BY)\s+(?P<name>[A-Z][\w.'\-& ]{1,60}?)\s*(?:,.*)?$"
_NAME_ROLE = r"^(?P<name>[A-Z][a-z'\-]+(?: [A-Z][\w.'\-]*){1,3}),\s+\S.*$"
_NAME = (r"^[A-Z][\w.'\-]*(?: (?:[A-Z][\w.'\-]*|de|da|del|der|di|du|la|le|van|von|bin|ibn))"
         r"{0,4}$")
_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_DATE_DMY = r"(?i)\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b"
_DATE_MDY = r"(?i)\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b"
_DATE_MY = r"(?i)\b" + _MONTH + r",?\s+(?P<year>\d{4})\b"
_DATE_ISO = r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"  # "T09:30" may follow


def find_date(text: str) -> str:
    """Return the first date in text as ISO YYYY-MM-DD (YYYY-MM for a month alone), or "".

    Day-month-year, month-day-year (names abbreviated or not) and ISO dates count anywhere; a
    month and year alone count only in a dateline of a few words ("August 2022"), not in a
    sentence that mentions a month.

    >>> find_date("Left Voice, March 24, 2025"), find_date("31 Aug 2022"), find_date("Sept. 5, 2021")
    ('2025-03-24', '2022-08-31', '2021-09-05')
    >>> find_date("2022-08-31T09:30:00+10:00"), find_date("August 2022"), find_date("the strikes of May 1968")
    ('2022-08-31', '2022-08', '')
    """
    for pattern in (_DATE_ISO, _DATE_DMY, _DATE_MDY):
        for match in re.finditer(pattern, text):
            if date := _iso_date(match.group("year"), match.group("month"), match.group("day")):
                return date
    if len(text.split()) <= 4:
        for match in re.finditer(_DATE_MY, text):
            if match.group("month")[0].isupper():
                return _iso_date(match.group("year"), match.group("month"), "")
    return ""


def _iso_date(year: str, month: str, day: str) -> str:
    """Return YYYY-MM-DD (or YYYY-MM without a day), or "" when the month or day is impossible."""
    number = int(month) if month.isdigit() else _MONTHS.index(
        next(name for name in _MONTHS if name.startswith(month.lower()[:3]))) + 1
    if not 1 <= number <= 12 or (day and not 1 <= int(day) <= 31):
        return ""
    return f"{year}-{number:02d}-{int(day):02d}" if day else f"{year}-{number:02d}"


def find_byline(line: str) -> str:
    """Return the (first) author named by a byline ("By X", "X, role"), or "".

    >>> find_byline("By Robert Belano"), find_byline("Lenny Shail, Socialist Party")
    ('Robert Belano', 'Lenny Shail')
    """
    names = find_authors(line)
    return names[0] if names else ""


def find_authors(line: str) -> list[str]:
    """Return the authors a byline names: "By A", "By A and B", "By A, B and C", "A, role".

    After "By", names are split at commas and "and"; the first part that is not a name (a
    role such as "staff writer") ends the list.

    >>> find_authors("By Ana Ruiz and Bo Chen"), find_authors("By Ana Ruiz, staff writer")
    (['Ana Ruiz', 'Bo Chen'], ['Ana Ruiz'])
    >>> find_authors("By Ann Lee, Bo Chen and Cy Diaz")
    ['Ann Lee', 'Bo Chen', 'Cy Diaz']
    """
    line = line.strip()
    if match := re.match(_BYLINE, line):
        return _names(line[match.start("name"):]) or [match.group("name").strip()]
    if match := re.match(_NAME_ROLE, line):
        return [match.group("name").strip()]
    return []


def _names(text: str) -> list[str]:
    names: list[str] = []
    for part in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", text.strip()):
        if not re.match(_NAME, part.strip()):
            break
        names.append(part.strip())
    return names


def infer_metadata(doc_id: str, path: str, title: str, front_lines: list[str]) -> ArticleMeta:
    """Build metadata for an uncatalogued article from its title and the lines around it."""
    authors: list[str] = []
    date = ""
    for line in front_lines:
        if not authors:
            authors = find_authors(line)
        if not date:
            date = find_date(line)
    notes = (("source", "inferred from the text: no catalog entry"),)
    return ArticleMeta(doc_id=doc_id, path=path, title=title or doc_id, authors=tuple(authors),
                       date=date, notes=notes, source="inferred")


def with_path(meta: ArticleMeta, path: str) -> ArticleMeta:
    """Return meta pointing at another path (used when an article is re-read)."""
    return replace(meta, path=path)
