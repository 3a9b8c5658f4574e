"""What a PDF says about itself: its document info dictionary and its XMP metadata.

XMP (Dublin Core inside the PDF) is what Zotero, Word and LaTeX's hyperxmp write, and says
more than the info dictionary (several authors, the journal, the DOI); the info dictionary
fills what XMP leaves out. A creation date is when the file was made, not when the work was
published, so only XMP's publication date is taken. Producers' defaults ("untitled",
"Microsoft Word - draft.docx") are not titles.
"""

from __future__ import annotations

import re

from lxml import etree

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
NOT_TITLES = re.compile(r"^(?:untitled|microsoft word - .*|document\d*|.*\.(?:docx?|tex|dvi|indd))$",
                        re.I)


def document_metadata(document: object) -> dict[str, object]:
    """Return the catalog fields a PDF's XMP and info dictionary state."""
    fields = _xmp(document)
    for name, value in _info(document).items():
        fields.setdefault(name, value)
    if NOT_TITLES.match(str(fields.get("title", ""))):
        fields.pop("title")
    return {name: value for name, value in fields.items() if value}


def _info(document: object) -> dict[str, object]:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    fields: dict[str, object] = {}
    for info in getattr(document, "info", []):
        info = resolve1(info)
        values = {key: resolve1(value) for key, value in info.items()}
        text = {key: decode_text(value) if isinstance(value, bytes) else str(value)
                for key, value in values.items() if isinstance(value, bytes | str)}
        if text.get("Title", "").strip():
            fields["title"] = text["Title"].strip()
        if text.get("Author", "").strip():
            fields["authors"] = [name.strip() for name in re.split(r";|\s+and\s+", text["Author"])
                                 if name.strip()]
    return fields


def _xmp(document: object) -> dict[str, object]:
    from pdfminer.pdftypes import resolve1

    catalog = getattr(document, "catalog", {})
    stream = resolve1(catalog.get("Metadata")) if "Metadata" in catalog else None
    if stream is None:
        return {}
    try:
        root = etree.fromstring(stream.get_data(), etree.XMLParser(resolve_entities=False,
                                                                   no_network=True, recover=True))
    except (etree.XMLSyntaxError, ValueError, TypeError):
        return {}
    if root is None:
        return {}
    fields: dict[str, object] = {}
    title = root.xpath("//dc:title//rdf:li/text()", namespaces=NAMESPACES)
    if title and title[0].strip():
        fields["title"] = title[0].strip()
    creators = [str(name).strip() for name in root.xpath("//dc:creator//rdf:li/text()",
                                                         namespaces=NAMESPACES) if name.strip()]
    if creators:
        fields["authors"] = creators
    for path, name in (("//prism:publicationName", "publication"), ("//prism:doi", "doi"),
                       ("//dc:publisher//rdf:li", "publisher"),
                       ("//prism:coverDate", "date"), ("//prism:publicationDate", "date")):
        found = root.xpath(f"{path}/text()", namespaces=NAMESPACES)
        if found and str(found[0]).strip():
            fields[name] = str(found[0]).strip()[:10] if name == "date" else str(found[0]).strip()
    return fields
