"""Web pages (.html, .htm, .xhtml): the article's own text, without the page around it.

trafilatura decides which text is the article (it is the maintained reference for main-text
extraction: it scores the page's boxes and drops navigation, share buttons, related links
and comment threads, with justext/readability as fallbacks). It returns its own rebuilt tree,
which has no source lines, so the blocks themselves come from lxml's parse of the same file
(`html_blocks`), kept where trafilatura kept their words. Headings, block quotes, lists,
captions, footnotes and `<pre>` keep their kinds; `file:line` is the line of a block's tag.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..kinds import Kind
from . import Extract, TextBuilder
from .html_blocks import HtmlBlock, html_blocks, parse_html
from .html_meta import page_metadata

UNIT_TAGS = ("p", "head", "item", "cell", "quote", "code", "list", "row", "table", "lb", "hi",
             "ref", "del", "graphic", "note")  # trafilatura's output elements
MIN_WORDS_INSIDE = 6  # a block split differently by the extractor still counts if this long
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def read(path: Path, data: bytes) -> Extract:
    """Read a web page into an Extract of its article's blocks and stated metadata."""
    text = decode(data)
    warnings = _damage(text)
    root = parse_html(text)
    kept, found = _main_text(text)
    blocks = list(html_blocks(root))
    metadata = page_metadata(root, found)
    builder = TextBuilder()
    chosen = _choose(blocks, kept, str(metadata.get("title", "")))
    if kept is None:
        warnings.append("the extractor found no main text; every block outside navigation, "
                        "headers, footers and comments was kept")
    for block, kind in chosen:
        builder.add(block.text, kind, block.line, block.line, anchor=block.anchor)
    return Extract("html", builder.text(), tuple(builder.blocks), metadata,
                   "page metadata (citation_*, Dublin Core, JSON-LD, Open Graph)",
                   tuple(warnings))


def decode(data: bytes) -> str:
    """The page's text: UTF-8 (or a BOM's), else the charset its meta tag declares, else cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").replace("\r\n", "\n")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        declared = _CHARSET.search(data[:4096])
        encoding = declared.group(1).decode("ascii") if declared else "cp1252"
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _damage(text: str) -> list[str]:
    """Say so when a file is not a whole page: cut off mid-tag, or no markup at all."""
    tail = text.rstrip()[-200:]
    if "<" not in text:
        return ["it has no HTML markup"]
    if tail.rfind("<") > tail.rfind(">"):
        return ["the file ends inside a tag (truncated?); the text before it was read"]
    return []


def _main_text(text: str) -> tuple[Counter[str] | None, dict[str, object]]:
    """The word keys of the blocks trafilatura calls the article, and the metadata it found."""
    import trafilatura

    # A date only from the page's markup: htmldate's extensive search guesses from any date
    # in the text (a copyright line, today), and a citation must not carry a guess.
    document: Any = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=True,
        include_formatting=False,
        date_extraction_params={"extensive_search": False, "original_date": True})
    if document is None or document.body is None:
        return None, {}
    kept: Counter[str] = Counter()
    for element in document.body.iter(*UNIT_TAGS):
        key = word_key("".join(element.itertext()))
        if key:
            kept[key] += 1
    kept[" " + word_key(" ".join(document.body.itertext())) + " "] += 0  # the whole, to search
    found = {"title": document.title, "date": document.date, "publication": document.sitename,
             "url": document.url, "authors": document.author or ""}
    return kept, {key: value for key, value in found.items() if value}


def word_key(text: str) -> str:
    """Lower-case words, for comparing blocks however they were split or spaced.

    >>> word_key("The  Workers’ State,\\n 1923")
    'the workers state 1923'
    """
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _choose(blocks: list[HtmlBlock], kept: Counter[str] | None,
            title: str) -> list[tuple[HtmlBlock, Kind]]:
    """The blocks of the article, each with its kind (the page's title heading as TITLE)."""
    whole = next((key for key in kept if key.startswith(" ")), "") if kept else ""
    title_key = word_key(title)
    article = [_is_article(block, word_key(block.text), kept, whole) for block in blocks]
    container = _common_ancestor([b.element for b, keep in zip(blocks, article, strict=True)
                                  if keep])
    chosen: list[tuple[HtmlBlock, Kind]] = []
    seen_title = False
    for block, keep in zip(blocks, article, strict=True):
        key = word_key(block.text)
        is_title = (not seen_title and block.kind == Kind.HEADING and bool(key)
                    and (key == title_key or title_key.startswith(key + " ")))
        if is_title:
            seen_title = True
            chosen.append((block, Kind.TITLE))
        elif keep or (block.kind == Kind.CAPTION and not block.furniture
                      and _inside(block.element, container)):
            chosen.append((block, block.kind))
    return chosen


def _common_ancestor(elements: list) -> object | None:
    """The innermost element holding all of elements (None for none)."""
    if not elements:
        return None
    common = [elements[0], *elements[0].iterancestors()]
    for element in elements[1:]:
        ancestry = {id(e) for e in (element, *element.iterancestors())}
        common = [e for e in common if id(e) in ancestry]
    return common[0] if common else None


def _inside(element, container) -> bool:
    return container is not None and any(e is container for e in element.iterancestors())


def _is_article(block: HtmlBlock, key: str, kept: Counter[str] | None, whole: str) -> bool:
    if kept is None:
        return not block.furniture
    if block.marked_furniture:
        return False
    if kept.get(key):
        return True
    return len(key.split()) >= MIN_WORDS_INSIDE and f" {key} " in whole
