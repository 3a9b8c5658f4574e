"""A writer's draft as text the quotation finder reads: Markdown and text as they are; a web
page or a Word document rebuilt as Markdown-like lines, so quotations are found the same way.

Block quotes become `>` lines (the finder's block quotations); every other block is a
paragraph of its own. A web page's blocks stay on their source lines, so a quotation is
reported at the line an editor shows. Word has no lines: paragraph n is put on line n, and
the draft's place unit is "paragraph".
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..kinds import Kind

DRAFT_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx"}


def draft_text(path: Path, data: bytes) -> tuple[str, str]:
    """Return a web page or Word draft as Markdown-like text, and its place unit
    ("line" or "paragraph")."""
    kind = DRAFT_SUFFIXES.get(path.suffix.lower())
    if kind == "html":
        return _html_draft(data), "line"
    if kind == "docx":
        return _docx_draft(path, data), "paragraph"
    raise InputError(f"{path}: not a web page or Word draft.")


def is_rich_draft(path: Path) -> bool:
    """True for the drafts read through `draft_text` rather than as plain text."""
    return path.suffix.lower() in DRAFT_SUFFIXES


def _html_draft(data: bytes) -> str:
    from .html import decode
    from .html_blocks import html_blocks, parse_html

    lines: list[str] = []
    for block in html_blocks(parse_html(decode(data))):
        if block.furniture:
            continue
        words = [" ".join(line.split()) for line in block.text.strip().split("\n")]
        first = max(block.line, len(lines) + 1)
        lines.extend([""] * (first - 1 - len(lines)))
        mark = "> " if block.kind == Kind.BLOCKQUOTE else ""
        lines.extend(f"{mark}{line}" for line in words)
    return "\n".join(lines) + "\n"


def _docx_draft(path: Path, data: bytes) -> str:
    from .docx import open_docx, style_kind

    lines = []
    for paragraph in open_docx(path, data).paragraphs:
        words = " ".join(paragraph.text.split())
        quoted = style_kind(paragraph.style.name if paragraph.style else "") == Kind.BLOCKQUOTE
        lines.append(f"> {words}" if quoted and words else words)
    return "\n".join(lines) + "\n"
