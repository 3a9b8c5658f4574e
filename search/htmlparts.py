"""HTML pieces the check report and the local web page share: verdict badges, a quotation with
its sources side by side, citations with copy buttons, and the one stylesheet and script.

Everything is built from the `to_dict()` data of the results (a verification, its matches,
their citations), so warnings, differences and pinpoints another stage adds show up here
without a change. Every value is escaped; nothing is fetched from the network: the style and
the script are inline.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from importlib import resources
from urllib.parse import quote as url_quote

from .paste import as_format
from .verdicts import more_sources_line

VERDICTS = {  # verdict -> (icon, label, css class); the icon reads without colour
    "exact": ("✓", "exact", "ok"),
    "edited": ("✓", "edited (marked changes)", "ok"),
    "variant": ("✗", "misquoted (variant)", "bad"),
    "paraphrase": ("≈", "paraphrase, not a quotation", "warn"),
    "not_found": ("?", "not found in the index", "bad"),
}
FIX_ORDER = {"variant": 0, "not_found": 1, "paraphrase": 2}

Links = Callable[[dict], list[tuple[str, str]]]


def escape(text: object) -> str:
    """Return text escaped for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def badge(verdict: str) -> str:
    """Return the verdict as a coloured badge with an icon and a word."""
    icon, label, css = VERDICTS.get(verdict, ("•", verdict, "warn"))
    return (f'<span class="badge {css}" data-verdict="{escape(verdict)}">'
            f'<span aria-hidden="true">{icon}</span> {escape(label)}</span>')


def copy_button(text: str, markdown: str, label: str = "Copy") -> str:
    """Return a button that copies a citation (Markdown italics) as HTML and plain text."""
    return (f'<button type="button" class="copy" data-html="{escape(as_format(markdown, "html"))}"'
            f' data-text="{escape(as_format(markdown, "text"))}">{escape(label)}</button>')


def citation_block(cited: dict) -> str:
    """Return a citation (`Citation.to_dict`, whose "markdown" keeps the italics) with copy
    buttons."""
    rows = []
    first = "Note" if cited["style"] == "chicago" else "In text"
    for label, key in ((first, "in_text"), ("Short note", "short_note"),
                       ("Reference", "reference")):
        markdown = cited.get("markdown", {}).get(key, cited.get(key, ""))
        if not markdown or (key == "reference" and cited["style"] == "plain"):
            continue
        rows.append(f'<div class="cite-row"><span class="cite-label">{label}</span> '
                    f'<span class="cite-text" data-part="{key}">{as_format(markdown, "html")}'
                    f"</span> {copy_button(markdown, markdown)}</div>")
    rows.append(f'<div class="locator">{escape(cited.get("locator", ""))}</div>')
    rows.extend(f'<div class="warning">⚠ {escape(w)}</div>' for w in cited.get("warnings", []))
    return f'<div class="citation">{"".join(rows)}</div>'


def mark_phrases(text: str, phrases: list[tuple[str, str]]) -> str:
    """Return text escaped, with each (phrase, css class) wrapped in order where it occurs.

    Differences come in reading order, so each is looked for after the previous one.
    >>> mark_phrases("a bloody line", [("bloody", "del")])
    'a <mark class="del">bloody</mark> line'
    """
    pieces, cursor = [], 0
    for phrase, css in phrases:
        phrase = phrase.strip()
        if not phrase:
            continue
        found = re.search(r"\s+".join(re.escape(word) for word in phrase.split()),
                          text[cursor:], re.IGNORECASE)
        if not found:
            continue
        start, end = cursor + found.start(), cursor + found.end()
        pieces.append(escape(text[cursor:start]))
        pieces.append(f'<mark class="{css}">{escape(text[start:end])}</mark>')
        cursor = end
    pieces.append(escape(text[cursor:]))
    return "".join(pieces)


def text_fragment_url(url: str, passage: str) -> str:
    """Return url with a text fragment that makes a browser scroll to and mark passage."""
    words = passage.split()
    if not url or not words:
        return url
    if len(words) <= 8:
        fragment = url_quote(" ".join(words), safe="")
    else:
        fragment = (url_quote(" ".join(words[:4]), safe="") + ","
                    + url_quote(" ".join(words[-4:]), safe=""))
    return f"{url.split('#')[0]}#:~:text={fragment}"


def source_block(match: dict, quote: str, links: Links) -> str:
    """Return one source of a quotation: verdict, side by side with the quotation, the
    differences, omissions and warnings spelled out, the citation and links to the passage."""
    differences = match.get("differences", [])
    source = match.get("source_text", "")
    quote_marks = [(d["quote"], "ins") for d in differences if d.get("quote")]
    source_marks = [(d["source"], "del") for d in differences if d.get("source")]
    omitted = [(e["source"], "omitted") for e in match.get("omissions", []) if e.get("source")]
    where = f"¶{match['paragraph']}" if match.get("paragraph") else match.get("kind", "")
    section = f" · {escape(match['section'])}" if match.get("section") else ""
    parts = [f'<div class="source">'
             f'<div class="source-head">{badge(match["verdict"])} '
             f'<b>{escape(match["doc"]["title"])}</b> — {escape(where)}{section} '
             f'<span class="similarity">similarity {match.get("similarity", 0):.2f}</span></div>',
             '<div class="side">'
             f'<div><div class="side-label">Your quotation</div>'
             f'<blockquote>{mark_phrases(quote, quote_marks)}</blockquote></div>'
             f'<div><div class="side-label">The source</div>'
             f'<blockquote>{mark_phrases(source, _in_order(source_marks + omitted, source))}'
             "</blockquote></div></div>"]
    parts.append(_change_list(match))
    parts.append(citation_block(match["cited"]))
    anchors = " ".join(f'<a class="source-link" href="{escape(href)}">{escape(label)}</a>'
                       for label, href in links(match))
    parts.append(f'<div class="links">{anchors}</div></div>')
    return "".join(parts)


def _in_order(marks: list[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    lowered = text.lower()
    return sorted(marks, key=lambda mark: lowered.find(mark[0].strip().lower().split(" ")[0]))


def _change_list(match: dict) -> str:
    items = []
    for d in match.get("differences", []):
        if d["op"] == "replace":
            items.append(f"the source has “{escape(d['source'])}” where the quotation has "
                         f"“{escape(d['quote'])}”")
        elif d["op"] == "delete":
            items.append(f"“{escape(d['source'])}” is left out without an ellipsis")
        else:
            items.append(f"“{escape(d['quote'])}” is not in the source")
    for edit in match.get("edits", []):
        if edit["mark"] == "attribution":
            items.append(f"the article’s own words “{escape(edit['source'])}” break into the "
                         "quotation (rightly left out)")
            continue
        stands = f"“{escape(edit['source'])}”" if edit.get("source") else "nothing in the source"
        items.append(f"{escape(edit['mark'])} {escape(edit['quote'])} stands for {stands}")
    items.extend(f'<span class="warning">⚠ {escape(w)}</span>' for w in match.get("warnings", []))
    if match.get("speaker"):
        items.append(f"the source attributes these words to {escape(match['speaker'])}")
    return f'<ul class="changes">{"".join(f"<li>{item}</li>" for item in items)}</ul>' if items else ""


def verification_block(entry: dict, links: Links, anchor: str = "") -> str:
    """Return one checked quotation: its verdict, warnings and every source (or the closest)."""
    quote = entry["quote"]
    head = (f'<div class="quotation" id="{escape(anchor)}" data-verdict="{escape(entry["verdict"])}">'
            f'<div class="quotation-head">{badge(entry["verdict"])}'
            + (' <span class="badge accepted">accepted as it stands</span>'
               if entry.get("accepted") else "")
            + (f' <span class="at">line {entry["line"]}</span>' if entry.get("line") else "")
            + f'</div><blockquote class="quoted">{escape(quote)}</blockquote>')
    body = [f'<div class="warning">⚠ {escape(w)}</div>' for w in entry.get("warnings", [])]
    if entry.get("by"):
        said = "attributes" if entry.get("attributed_to_by") else "does not attribute"
        body.append(f'<p class="by">The corpus {said} these words to {escape(entry["by"])}.</p>')
    for match in entry.get("matches", []):
        body.append(source_block(match, quote, links))
    if entry.get("more_sources"):
        line = more_sources_line(entry["more_sources"], entry.get("more_sources_estimated", False))
        body.append(f'<p class="more">{escape(line)}</p>')
    if not entry.get("matches"):
        closest = entry.get("closest")
        body.append('<p class="none">No source in the index has these words.</p>')
        if closest:
            body.append('<p class="closest-label">The closest passage (not a source):</p>'
                        + source_block(closest, quote, links))
    return head + "".join(body) + "</div>"


def _asset(name: str) -> str:
    return resources.files(__package__ or "search").joinpath("assets", name).read_text("utf-8")


STYLESHEET = _asset("page.css")  # inlined into every page: nothing is fetched
SCRIPT = _asset("copy.js")  # the copy buttons: HTML and plain text on the clipboard


def page(title: str, body: str, head_extra: str = "") -> str:
    """Return a whole HTML page with the shared stylesheet and script inline."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{STYLESHEET}</style>{head_extra}</head>"
            f"<body>{body}<script>{SCRIPT}</script></body></html>\n")
