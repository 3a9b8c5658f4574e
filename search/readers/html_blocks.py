"""The blocks of an HTML tree in reading order, with the line of each one's opening tag.

A block is the innermost element holding running text (a paragraph, heading, list item, cell,
`<pre>`), or a run of loose text beside such elements inside a `<div>` or `<blockquote>`.
Its kind comes from the element and what it sits in (a `<p>` inside `<blockquote>` is a
block quote, inside a footnotes section a footnote). lxml keeps each element's source line,
which is what `file:line` points at. Used for web pages, EPUB chapters and HTML drafts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html

from ..frozen import frozen_dataclass
from ..kinds import Kind

BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li dt dd pre blockquote figcaption caption td th div section article "
    "aside header footer nav main table tbody thead tfoot tr ul ol dl figure address hr form "
    "fieldset details summary center body".split())
SKIPPED_TAGS = frozenset("script style noscript template head svg math select option button "
                         "iframe object canvas input textarea".split())
FURNITURE_TAGS = frozenset("nav header footer aside form".split())
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
FOOTNOTE_MARK = re.compile(r"foot-?notes?|end-?notes?|\bfn\d*\b|\bnotes\b|doc-(?:end|foot)notes?",
                           re.I)
BYLINE_MARK = re.compile(r"byline|\bauthor|dateline|\bposted-on|\bpubdate", re.I)
FURNITURE_MARK = re.compile(r"\b(?:nav\w*|\w*footer|comments?|share|sharing|social|related"
                            r"|newsletter|subscribe|sidebar|menu|breadcrumbs?|advert|promo|cookie"
                            r"|toc)\b", re.I)


@frozen_dataclass
class HtmlBlock:
    """One block of an HTML tree before the article's own blocks are chosen."""

    element: etree._Element  # the block element (for loose text: the element holding it)
    text: str  # its words, with the source's line breaks
    line: int  # source line of the element's opening tag
    kind: Kind
    anchor: str  # an id a link can land on, or ""
    furniture: bool  # inside a nav, header, footer, aside, form or a comments/share box
    marked_furniture: bool  # inside a box whose class or id says it is not the text (a
    # table of contents, comments, share buttons): dropped even where an extractor kept it


def parse_html(text: str) -> lxml_html.HtmlElement:
    """Parse a page (however broken) into a tree that keeps source lines."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", lambda m: "\n" * m.group().count("\n"), text)
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True)
    root = lxml_html.document_fromstring(text or "<html></html>", parser=parser)
    return root


def html_blocks(root: etree._Element) -> Iterator[HtmlBlock]:
    """Yield the text blocks under root's body, in document order."""
    body = root.find("body")
    start = body if body is not None else root
    holders = _block_holders(start)
    yield from _walk(start, holders)


def _block_holders(start: etree._Element) -> set[etree._Element]:
    """The elements that contain a block element (so are not blocks themselves)."""
    holders: set[etree._Element] = set()
    for element in start.iter():
        if _tag(element) in BLOCK_TAGS and element is not start:
            parent = element.getparent()
            while parent is not None and parent not in holders:
                holders.add(parent)
                if parent is start:
                    break
                parent = parent.getparent()
    return holders


def _walk(element: etree._Element, holders: set[etree._Element]) -> Iterator[HtmlBlock]:
    if _tag(element) in SKIPPED_TAGS:
        return
    if element not in holders:
        text = inline_text(element)
        if text.strip():
            yield _block(element, text, element.sourceline or 0)
        return
    run: list[str] = [element.text or ""]
    run_line = element.sourceline or 0
    for child in element:
        if child in holders or _tag(child) in BLOCK_TAGS:
            if "".join(run).strip():
                yield _block(element, "".join(run), run_line)
            yield from _walk(child, holders)
            run, run_line = [child.tail or ""], child.sourceline or run_line
        else:
            if not "".join(run).strip():
                run_line = child.sourceline or run_line
            run.append(_element_text(child) + (child.tail or ""))
    if "".join(run).strip():
        yield _block(element, "".join(run), run_line)


def inline_text(element: etree._Element) -> str:
    """The words of an element without script, style or footnote-marker superscripts."""
    return (element.text or "") + "".join(_element_text(child) + (child.tail or "")
                                          for child in element)


def _element_text(element: etree._Element) -> str:
    tag = _tag(element)
    if tag in SKIPPED_TAGS or (tag == "sup" and _is_note_marker(element)):
        return ""
    if tag == "br":
        return " "
    if tag == "q":  # browsers print the marks of an inline quotation
        return f"\u201c{inline_text(element)}\u201d"
    return inline_text(element)


def _is_note_marker(element: etree._Element) -> bool:
    """A superscript note number linking to its note ("<sup><a href='#fn1'>1</a></sup>")."""
    words = "".join(element.itertext()).strip()
    return bool(re.fullmatch(r"\[?\d{1,3}\]?|\*{1,3}", words)) and bool(element.xpath(".//a"))


def _block(element: etree._Element, text: str, line: int) -> HtmlBlock:
    ancestry = [element, *element.iterancestors()]
    marked = any(FURNITURE_MARK.search(_marks(e)) for e in ancestry)
    return HtmlBlock(element, text, line, kind_of(element), _anchor(element),
                     marked or any(_tag(e) in FURNITURE_TAGS for e in ancestry), marked)


def kind_of(element: etree._Element) -> Kind:
    """The kind of block an element is, from its tag and what it sits in."""
    tag = _tag(element)
    if tag in HEADINGS:
        return Kind.HEADING
    if tag == "pre":
        return Kind.PREFORMATTED
    ancestry = [element, *element.iterancestors()]
    tags = {_tag(e) for e in ancestry}
    if any(FOOTNOTE_MARK.search(_marks(e)) for e in ancestry):
        return Kind.FOOTNOTE
    if "blockquote" in tags:
        return Kind.BLOCKQUOTE
    if tags & {"figcaption", "caption"}:
        return Kind.CAPTION
    if tag == "address" or any(BYLINE_MARK.search(_marks(e)) for e in ancestry[:3]):
        return Kind.BYLINE
    if tags & {"li", "dd", "dt"}:
        return Kind.LIST_ITEM
    return Kind.BODY


def _marks(element: etree._Element) -> str:
    """An element's class, id and role, where pages say what a box is."""
    return " ".join(filter(None, (element.get("class"), element.get("id"), element.get("role"),
                                  element.get("rel"), element.get("itemprop"))))


def _anchor(element: etree._Element) -> str:
    """The element's id, or that of an anchor opening it (`<p><a id="p12"></a>...`)."""
    if element.get("id"):
        return str(element.get("id"))
    first = next(iter(element), None)
    if first is not None and _tag(first) == "a" and not (element.text or "").strip():
        return str(first.get("id") or first.get("name") or "")
    return ""


def _tag(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return "#"
    return tag.rsplit("}", 1)[-1].lower()
