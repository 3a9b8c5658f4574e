"""Markdown (.md, .markdown), parsed as CommonMark by markdown-it-py.

markdown-it-py is the maintained CommonMark parser for Python and gives every block token the
source lines it spans, so `file:line` points where an editor shows the words. Emphasis, link
and image syntax, inline HTML and footnote markers are markup, not words: a quotation of the
rendered text verifies. YAML (`---`) or TOML (`+++`) front matter gives the metadata.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

from ..errors import InputError
from ..kinds import Kind
from . import Extract, ReadBlock, TextBuilder
from .html import decode

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\n(.*?\n)(?:\1|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
FIELD_NAMES = {  # front matter key -> catalog field
    "title": "title", "subtitle": "subtitle", "author": "authors", "authors": "authors",
    "date": "date", "publication": "publication", "journal": "publication",
    "container-title": "publication", "site": "publication", "site_name": "publication",
    "publisher": "publisher", "url": "url", "link": "url", "canonical_url": "url",
    "doi": "doi", "translator": "translators", "translators": "translators",
}


def read(path: Path, data: bytes) -> Extract:
    """Read a Markdown file into blocks with source lines and its front matter's metadata."""
    text = decode(data)
    metadata, body = front_matter(text, path)
    builder = TextBuilder()
    _add_blocks(body, builder)
    title = metadata.get("title")
    blocks = builder.blocks
    first = builder.text()[blocks[0].start:blocks[0].end] if blocks else ""
    if blocks and blocks[0].kind == Kind.HEADING and (not title or first == title):
        blocks[0] = _retyped(blocks[0], Kind.TITLE)  # a "# Title" opening the file
    return Extract("markdown", builder.text(), tuple(blocks), metadata,
                   "front matter" if metadata else "")


def front_matter(text: str, path: Path) -> tuple[dict[str, object], str]:
    """Return the front matter's catalog fields and the text with it blanked (lines kept)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    raw = _parse_front(match.group(1), match.group(2), path)
    fields: dict[str, object] = {}
    for key, value in raw.items():
        name = FIELD_NAMES.get(str(key).lower())
        if name and value not in (None, ""):
            fields[name] = _field_value(name, value)
    return fields, "\n" * match.group().count("\n") + text[match.end():]


def _parse_front(fence: str, raw: str, path: Path) -> dict:
    import yaml

    language = "TOML" if fence == "+++" else "YAML"
    try:
        data = tomllib.loads(raw) if fence == "+++" else yaml.safe_load(raw)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: its {language} front matter cannot be read "
                         f"({type(exc).__name__}); fix it or remove it.") from exc
    return data if isinstance(data, dict) else {}


def _field_value(name: str, value: object) -> object:
    if name in ("authors", "translators"):
        items = value if isinstance(value, list) else [value]
        return [str(item.get("name", "")) if isinstance(item, dict) else str(item)
                for item in items]
    return str(value)


def _add_blocks(body: str, builder: TextBuilder) -> None:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    parser = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    containers: list[str] = []  # the open blocks around the current token
    for token in parser.parse(body):
        if token.nesting == 1:
            containers.append(token.type)
        elif token.nesting == -1:
            if containers:
                containers.pop()
        elif token.type == "inline" and token.map:
            builder.add(_inline_words(token), _kind(containers), token.map[0] + 1)
        elif token.type in ("fence", "code_block") and token.map:
            first = token.map[0] + 1 + (token.type == "fence")  # a fence's words start below it
            builder.add(token.content, Kind.PREFORMATTED, first)


def _kind(containers: list[str]) -> Kind:
    """The kind of an inline run from the blocks it sits in, innermost deciding first."""
    if any(c in ("footnote_open", "footnote_block_open") for c in containers):
        return Kind.FOOTNOTE
    if "heading_open" in containers:
        return Kind.HEADING
    if "blockquote_open" in containers:
        return Kind.BLOCKQUOTE
    if "list_item_open" in containers:
        return Kind.LIST_ITEM
    return Kind.BODY


def _inline_words(token) -> str:
    """The words of an inline token: markup dropped, each soft line break kept."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def _retyped(block: ReadBlock, kind: Kind) -> ReadBlock:
    return replace(block, kind=kind)
