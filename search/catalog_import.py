"""Fill the catalog from the references a writer already keeps (a Zotero export).

`import_references(file, articles)` reads CSL-JSON, BibTeX (bibtexparser, the maintained
parser that decodes LaTeX accents and braces) or RIS (a line format read here), matches each
reference to an indexed article by DOI, then URL, then title, and adds a `catalog.toml` entry
beside each matched article that has none. An entry the writer already wrote is never
changed: it is reported, not overwritten. The next `seedsearch index` reads the new entries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import CATALOG_NAME, DATE_PATTERN, ArticleMeta, load_catalog
from .errors import InputError

FIELDS = ("title", "subtitle", "authors", "translators", "publication", "publisher", "date",
          "url", "doi")


@dataclass
class ImportReport:
    """What an import matched and wrote."""

    references: int = 0
    added: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, catalog path)
    already_catalogued: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # the references' titles

    def to_dict(self) -> dict:
        """Return the report as plain data for JSON output."""
        return {"references": self.references, "added": [list(pair) for pair in self.added],
                "already_catalogued": self.already_catalogued, "unmatched": self.unmatched}


def import_references(path: Path, articles: Mapping[str, ArticleMeta],
                      files: dict[str, str] | None = None) -> ImportReport:
    """Add catalog entries for the articles the references in path match; return what it did.

    files gives each article's file on disk where `meta.path` (as cited) is relative."""
    references = read_references(path)
    report = ImportReport(references=len(references))
    keys = _article_keys(articles)
    written: dict[Path, list[tuple[str, dict]]] = {}
    for reference in references:
        doc_id = next((keys[key] for key in _reference_keys(reference) if key in keys), None)
        if doc_id is None:
            report.unmatched.append(str(reference.get("title", "(untitled)")))
            continue
        article = Path((files or {}).get(doc_id) or articles[doc_id].path)
        if article.stem in load_catalog(article.parent) or any(
                stem == article.stem for stem, _ in written.get(article.parent, [])):
            report.already_catalogued.append(doc_id)
            continue
        written.setdefault(article.parent, []).append((article.stem, reference))
        report.added.append((doc_id, str(article.parent / CATALOG_NAME)))
    for folder, entries in written.items():
        _append_entries(folder / CATALOG_NAME, entries)
    return report


def read_references(path: Path) -> list[dict]:
    """Read a CSL-JSON, BibTeX or RIS file into references with catalog field names."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it as UTF-8 text ({exc}).") from exc
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return _csl_json(path, text)
    if stripped.startswith("@") or re.search(r"^\s*@\w+\s*\{", text, re.M):
        return _bibtex(text)
    if re.search(r"^TY  - ", text, re.M):
        return _ris(text)
    raise InputError(f"{path} is not CSL-JSON, BibTeX or RIS; export the references from "
                     "Zotero in one of these formats.")


def _csl_json(path: Path, text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path} is not valid JSON ({exc}).") from exc
    items = data if isinstance(data, list) else data.get("items", [data])
    return [_csl_item(item) for item in items if isinstance(item, dict)]


def _csl_item(item: dict) -> dict:
    def names(role: str) -> list[str]:
        return [name.get("literal") or " ".join(filter(None, (name.get("given"), name.get("family"))))
                for name in item.get(role, []) if isinstance(name, dict)]

    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    date = "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts[0][:3]))
    return _cleaned({"title": item.get("title"), "authors": names("author"),
                     "translators": names("translator"), "publication": item.get("container-title"),
                     "publisher": item.get("publisher"), "date": date, "url": item.get("URL"),
                     "doi": item.get("DOI")})


def _bibtex(text: str) -> list[dict]:
    import bibtexparser
    from bibtexparser import middlewares

    library = bibtexparser.parse_string(text, append_middleware=[
        middlewares.LatexDecodingMiddleware(), middlewares.MonthIntMiddleware(True)])
    references = []
    for entry in library.entries:
        values = {f.key.lower(): str(f.value) for f in entry.fields}
        date = values.get("date") or "-".join(
            part for part in (values.get("year", ""), f"{int(values['month']):02d}"
                              if values.get("month", "").isdigit() else "") if part)
        references.append(_cleaned({
            "title": values.get("title"), "authors": _bibtex_names(values.get("author", "")),
            "translators": _bibtex_names(values.get("translator", "")),
            "publication": values.get("journal") or values.get("journaltitle")
            or values.get("booktitle") or values.get("howpublished"),
            "publisher": values.get("publisher") or values.get("organization"),
            "date": date, "url": values.get("url"), "doi": values.get("doi")}))
    return references


def _bibtex_names(value: str) -> list[str]:
    names = []
    for name in re.split(r"\s+and\s+", value.strip()) if value.strip() else []:
        family, _, given = name.partition(",")
        names.append(f"{given.strip()} {family.strip()}".strip() if given else name.strip())
    return [name.replace("{", "").replace("}", "") for name in names]


RIS_FIELDS = {"TI": "title", "T1": "title", "AU": "authors", "A1": "authors", "T2": "publication",
              "JO": "publication", "JF": "publication", "PB": "publisher", "PY": "date",
              "DA": "date", "Y1": "date", "UR": "url", "DO": "doi"}


def _ris(text: str) -> list[dict]:
    references: list[dict] = []
    current: dict = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line)
        if not match:
            continue
        tag, value = match.group(1), match.group(2).strip()
        if tag == "ER":
            references.append(_cleaned(current))
            current = {}
        elif tag == "AU" or tag == "A1":
            family, _, given = value.partition(",")
            current.setdefault("authors", []).append(f"{given.strip()} {family.strip()}".strip())
        elif tag in RIS_FIELDS and RIS_FIELDS[tag] not in current:
            current[RIS_FIELDS[tag]] = value
    return references


def _cleaned(reference: dict) -> dict:
    """Fields stripped of braces and blanks, the date as ISO (dropped if it is not one)."""
    cleaned = {}
    for name in FIELDS:
        value = reference.get(name)
        if isinstance(value, list):
            value = [str(item).strip() for item in value if str(item).strip()]
        elif value is not None:
            value = " ".join(str(value).replace("{", "").replace("}", "").split())
        if value:
            cleaned[name] = value
    date = re.sub(r"[/.]", "-", str(cleaned.get("date", ""))).strip("-")
    date = re.sub(r"-(\d)(?=-|$)", r"-0\1", date)
    if date and DATE_PATTERN.match(date):
        cleaned["date"] = date
    else:
        cleaned.pop("date", None)
    return cleaned


def _article_keys(articles: Mapping[str, ArticleMeta]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for doc_id, meta in articles.items():
        doi = dict(meta.extra).get("doi", "")
        for key in (f"doi:{_doi(doi)}" if doi else "", f"url:{_url(meta.url)}" if meta.url else "",
                    f"title:{_title(meta.title)}"):
            if key:
                keys.setdefault(key, doc_id)
    return keys


def _reference_keys(reference: dict) -> list[str]:
    keys = []
    if reference.get("doi"):
        keys.append(f"doi:{_doi(reference['doi'])}")
    if reference.get("url"):
        keys.append(f"url:{_url(reference['url'])}")
    if reference.get("title"):
        keys.append(f"title:{_title(reference['title'])}")
    return keys


def _doi(doi: str) -> str:
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.I).lower()


def _url(url: str) -> str:
    """A URL as a key: no scheme, www., fragment, query or trailing slash.

    >>> _url("https://www.Example.org/a/b/?utm=x#top")
    'example.org/a/b'
    """
    url = re.sub(r"^https?://(?:www\.)?", "", url.strip(), flags=re.I)
    return re.split(r"[?#]", url)[0].rstrip("/").lower()


def _title(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", title.lower().replace("\u2019", "'"))


def _append_entries(catalog: Path, entries: list[tuple[str, dict]]) -> None:
    """Add TOML tables for new entries at the end of a catalog, leaving the rest as it was."""
    lines = [] if not catalog.exists() else ["", "# Imported from a reference manager's export."]
    for stem, reference in entries:
        lines.append(f"[{_toml_string(stem)}]")
        for name in FIELDS:
            if name in reference:
                value = reference[name]
                rendered = ("[" + ", ".join(_toml_string(v) for v in value) + "]"
                            if isinstance(value, list) else _toml_string(value))
                lines.append(f"{name} = {rendered}")
        lines.append("")
    with catalog.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's).

    >>> _toml_string('He said "no"')
    '"He said \\\\"no\\\\""'
    """
    return json.dumps(str(value), ensure_ascii=False)
