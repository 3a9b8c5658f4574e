"""Word documents (.docx), read by python-docx: paragraphs with their styles.

A paragraph's style says its kind (Heading 1, Quote, List Bullet, Caption...). Word has no
lines, so a paragraph's place is its number among the document's paragraphs, empty ones
included, as Word's own navigation counts them: the Extract's text puts paragraph n on
line n, so a draft's quotation is reported at "paragraph n".
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import InputError
from ..kinds import Kind
from . import Extract, TextBuilder

STYLE_KINDS = (("title", Kind.TITLE), ("subtitle", Kind.BYLINE), ("heading", Kind.HEADING),
               ("quote", Kind.BLOCKQUOTE), ("block text", Kind.BLOCKQUOTE),
               ("list", Kind.LIST_ITEM), ("caption", Kind.CAPTION),
               ("footnote", Kind.FOOTNOTE), ("endnote", Kind.FOOTNOTE))


def read(path: Path, data: bytes) -> Extract:
    """Read a Word document's paragraphs (paragraph n on line n) and core properties."""
    document = open_docx(path, data)
    builder = TextBuilder()
    for number, paragraph in enumerate(document.paragraphs, 1):
        builder.add(paragraph.text, style_kind(paragraph.style.name if paragraph.style else ""),
                    number)
    core = document.core_properties
    metadata: dict[str, object] = {}
    if (core.title or "").strip():
        metadata["title"] = core.title.strip()
    if (core.author or "").strip():
        metadata["authors"] = [core.author.strip()]
    return Extract("docx", builder.text(), tuple(builder.blocks), metadata,
                   "core properties" if metadata else "")


def open_docx(path: Path, data: bytes):
    """The python-docx Document; InputError for a file that is not a whole .docx."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, XMLSyntaxError, ValueError,
            EOFError) as exc:
        raise InputError(f"{path} is not a readable .docx (damaged or truncated: "
                         f"{type(exc).__name__}); open and save it again in Word.") from exc


def style_kind(style: str) -> Kind:
    """The kind of block a paragraph style names.

    >>> style_kind("Heading 2"), style_kind("Intense Quote"), style_kind("Normal")
    (<Kind.HEADING: 'heading'>, <Kind.BLOCKQUOTE: 'blockquote'>, <Kind.BODY: 'body'>)
    """
    lowered = style.lower()
    return next((kind for word, kind in STYLE_KINDS if word in lowered), Kind.BODY)
