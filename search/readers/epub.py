"""EPUB: the chapters in spine order, each chapter's title as its section.

An EPUB is a zip of XHTML chapters and a package document (OPF) listing them in reading
order (the spine) with the book's Dublin Core metadata. zipfile and lxml read it whole, with
no further dependency; each chapter's blocks are read as a web page's are (`html_blocks`).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..kinds import Kind
from . import Extract, TextBuilder
from .html import decode
from .html_blocks import html_blocks, parse_html

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
       "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def read(path: Path, data: bytes) -> Extract:
    """Read an EPUB's chapters, in spine order, and the package document's metadata."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        package_path = _package_path(book)
        package = etree.fromstring(book.read(package_path), _SAFE)
        chapters = _spine(package, posixpath.dirname(package_path))
        builder = TextBuilder()
        for chapter in chapters:
            _add_chapter(builder, decode(book.read(chapter)))
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path} is not an EPUB (it is not a zip archive).") from exc
    except (KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"{path} is a damaged EPUB ({exc}); nothing indexed.") from exc
    metadata = _metadata(package)
    return Extract("epub", builder.text(), tuple(builder.blocks), metadata,
                   "package metadata (Dublin Core)" if metadata else "")


def _package_path(book: zipfile.ZipFile) -> str:
    container = etree.fromstring(book.read("META-INF/container.xml"), _SAFE)
    found = container.xpath("//c:rootfile/@full-path", namespaces=OPF)
    if not found:
        raise ValueError("META-INF/container.xml names no package document")
    return str(found[0])


def _spine(package: etree._Element, folder: str) -> list[str]:
    """The chapters' paths in the zip, in reading order."""
    items = {item.get("id"): item for item in package.xpath("//opf:manifest/opf:item",
                                                             namespaces=OPF)}
    chapters = []
    for ref in package.xpath("//opf:spine/opf:itemref", namespaces=OPF):
        item = items.get(ref.get("idref"))
        if item is not None and ref.get("linear") != "no" and "html" in (item.get("media-type") or ""):
            chapters.append(posixpath.normpath(posixpath.join(folder, item.get("href"))))
    return chapters


def _add_chapter(builder: TextBuilder, text: str) -> None:
    root = parse_html(text)
    blocks = [block for block in html_blocks(root) if not block.furniture]
    if blocks and blocks[0].kind != Kind.HEADING:
        title = root.findtext(".//title") or ""
        if title.strip():
            builder.add(title, Kind.HEADING)
    for block in blocks:
        builder.add(block.text, block.kind, anchor=block.anchor)


def _metadata(package: etree._Element) -> dict[str, object]:
    def texts(name: str) -> list[str]:
        return [str(t).strip() for t in package.xpath(f"//opf:metadata/dc:{name}/text()",
                                                      namespaces=OPF) if str(t).strip()]

    fields: dict[str, object] = {}
    for name, field in (("title", "title"), ("publisher", "publisher"), ("date", "date")):
        if found := texts(name):
            fields[field] = found[0][:10] if field == "date" else found[0]
    if creators := texts("creator"):
        fields["authors"] = creators
    return fields
