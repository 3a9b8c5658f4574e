"""What a web page says about itself: title, authors, date, site, canonical URL.

Read in the order a citation can trust them: Highwire `citation_*` tags (what Google Scholar
and Zotero read), Dublin Core, JSON-LD (schema.org Article), Open Graph and `article:*`,
`<link rel=canonical>`, then what the extractor (trafilatura) found in bylines and the page.
Each value comes from the first source that has it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from lxml import html as lxml_html

from ..catalog import find_date

# Each catalog field and the meta tag names that give it, most trusted first.
META_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("citation_title", "dc.title", "dcterms.title", "og:title", "twitter:title"),
    "authors": ("citation_author", "dc.creator", "dcterms.creator", "author", "article:author"),
    "date": ("citation_publication_date", "citation_date", "citation_online_date", "dc.date",
             "dcterms.date", "dcterms.issued", "article:published_time", "date",
             "pubdate", "datepublished"),
    "publication": ("citation_journal_title", "citation_conference_title", "og:site_name",
                    "application-name"),
    "publisher": ("citation_publisher", "dc.publisher", "dcterms.publisher"),
    "url": ("citation_public_url", "citation_abstract_html_url", "og:url"),
    "doi": ("citation_doi", "dc.identifier.doi", "prism.doi"),
}
ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "scholarlyarticle", "report",
                 "webpage", "creativework", "reportagenewsarticle", "opinionnewsarticle"}


def page_metadata(root: lxml_html.HtmlElement, found: dict[str, object]) -> dict[str, object]:
    """Return the catalog fields a page states, the extractor's `found` values filling gaps."""
    tags = _meta_tags(root)
    metadata: dict[str, object] = {}
    for name, keys in META_NAMES.items():
        values = [value for key in keys for value in tags.get(key, [])]
        if name == "authors":
            values = [v for v in values if not v.startswith(("http://", "https://"))]
            if values:
                metadata[name] = _unique(values)
        elif values:
            metadata[name] = values[0]
    for name, value in _json_ld(root).items():
        metadata.setdefault(name, value)
    canonical = root.xpath("//link[@rel='canonical']/@href")
    if canonical and "url" not in metadata:
        metadata["url"] = str(canonical[0]).strip()
    for name, value in found.items():
        if value and name not in metadata:
            metadata[name] = value
    if "title" not in metadata:
        titles = root.xpath("//title")
        if titles and titles[0].text_content().strip():
            metadata["title"] = titles[0].text_content().strip()
    return _cleaned(metadata)


def _meta_tags(root: lxml_html.HtmlElement) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        content = (meta.get("content") or "").strip()
        if key and content:
            tags.setdefault(key, []).append(content)
    return tags


def _json_ld(root: lxml_html.HtmlElement) -> dict[str, object]:
    """The first schema.org article object in the page's JSON-LD, as catalog fields."""
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in _items(data):
            kinds = item.get("@type", "")
            kinds = [kinds] if isinstance(kinds, str) else kinds
            if any(str(kind).lower() in ARTICLE_TYPES for kind in kinds):
                return _json_ld_fields(item)
    return {}


def _items(data: object) -> Iterable[dict]:
    if isinstance(data, list):
        for element in data:
            yield from _items(element)
    elif isinstance(data, dict):
        yield data
        yield from _items(data.get("@graph", []))


def _json_ld_fields(item: dict) -> dict[str, object]:
    fields: dict[str, object] = {}
    title = item.get("headline") or item.get("name")
    if isinstance(title, str):
        fields["title"] = title
    authors = [_name(author) for author in _as_list(item.get("author"))]
    if any(authors):
        fields["authors"] = [name for name in authors if name]
    if isinstance(item.get("datePublished"), str):
        fields["date"] = item["datePublished"]
    publisher = _name(item.get("publisher"))
    if publisher:
        fields["publisher"] = publisher
    part_of = _name(item.get("isPartOf"))
    if part_of:
        fields["publication"] = part_of
    if isinstance(item.get("url"), str):
        fields["url"] = item["url"]
    return fields


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value] if value else []


def _name(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"].strip()
    return ""


def _unique(values: list[str]) -> list[str]:
    names: list[str] = []
    for value in values:
        for name in re.split(r"\s*;\s*|\s+and\s+", value):
            if name and name not in names:
                names.append(name)
    return names


def _cleaned(metadata: dict[str, object]) -> dict[str, object]:
    """Dates as ISO, authors as a list of names, strings stripped."""
    date = str(metadata.get("date", "")).strip()
    if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", date):
        date = find_date(date) or (date[:4] if re.match(r"\d{4}\b", date) else "")
    metadata["date"] = date
    authors = metadata.get("authors", [])
    if isinstance(authors, str):
        metadata["authors"] = _unique([authors])
    cleaned = {key: value.strip() if isinstance(value, str) else value
               for key, value in metadata.items()}
    return {key: value for key, value in cleaned.items() if value}
