"""The web page's HTML, built from the library's `to_dict()` data with the report's pieces.

Pages are plain server-rendered HTML with the shared inline stylesheet and copy script: they
work without JavaScript (except the copy buttons) and fetch nothing from anywhere.
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..check import CheckReport
from ..cite import STYLES
from ..htmlparts import citation_block, escape, page, text_fragment_url, verification_block
from ..report import report_body


def _layout(title: str, body: str) -> str:
    nav = ('<nav><a href="/">Search and check</a><a href="/docs">Articles</a>'
           '<a href="/api/docs">JSON</a></nav>')
    return page(f"{title} · seedsearch", f"<header>{nav}<h1>{escape(title)}</h1></header>"
                                         f"<main>{body}</main>")


def _style_select(style: str) -> str:
    options = "".join(f'<option value="{s}"{" selected" if s == style else ""}>{s.upper()}'
                      "</option>" for s in STYLES)
    return f'<label>Style <select name="style">{options}</select></label>'


def search_form(style: str, query: str = "") -> str:
    """Return the search box."""
    return ('<form class="box" action="/search" method="get" role="search">'
            f'<input type="search" name="q" value="{escape(query)}" aria-label="Search" '
            'placeholder="kronstadt uprising, &quot;left opposition&quot;, author:narai" '
            f'autofocus> {_style_select(style)} <input type="submit" value="Search"></form>')


def forms(style: str, query: str = "", quote: str = "") -> str:
    """Return the search box, the quotation box and the draft upload."""
    return (
        search_form(style, query) +
        '<h2>Check a quotation</h2><form class="box" action="/check" method="post">'
        f'<textarea name="quote" rows="3" aria-label="Quotation">{escape(quote)}</textarea>'
        '<label>Said by (optional) <input name="by"></label> '
        f'{_style_select(style)} <input type="submit" value="Check quotation"></form>'
        '<h2>Check a draft</h2><form class="box" action="/check" method="post" '
        'enctype="multipart/form-data"><input type="file" name="draft" '
        'accept=".md,.markdown,.txt,text/plain,text/markdown" aria-label="Draft file"> or paste '
        '<textarea name="text" rows="4" aria-label="Draft text"></textarea>'
        f'{_style_select(style)} <input type="submit" value="Check draft"></form>'
        '<p class="extra">Markdown or plain text, UTF-8, up to 2 MB.</p>')


def home(style: str, error: str = "") -> str:
    """Return the start page: the forms, and a message when the last request lacked input."""
    message = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return _layout("Search the articles", message + forms(style))


def error_page(message: str, status: int) -> str:
    """Return a page saying what went wrong and how to go on."""
    return _layout("That did not work", f'<p class="error" role="alert">{escape(message)}</p>'
                                         f'<p class="extra">HTTP {status}</p>' + forms("apa"))


def doc_link(doc_id: str, paragraph: int | None, style: str, order: int | None = None) -> str:
    """Return the address of a passage on its article's page."""
    anchor = f"#p{paragraph}" if paragraph else (f"#b{order}" if order is not None else "")
    return f"/doc/{escape(doc_id)}?{urlencode({'style': style})}{anchor}"


def search_results(data: dict, style: str, others: dict[int, dict[str, dict]]) -> str:
    """Return the ranked passages, highlighted, each cited in the style (others folded)."""
    parts = [search_form(style, data["query"]),
             '<p class="extra"><a href="/">Check a quotation or a draft</a></p>']
    for note in data["notes"]:
        parts.append(f'<p class="extra">Note: {escape(note)}</p>')
    if data["suggestion"]:
        again = urlencode({"q": data["suggestion"], "style": style})
        parts.append(f'<p>Did you mean <a href="/search?{again}">'
                     f"{escape(data['suggestion'])}</a>?</p>")
    if not data["hits"]:
        parts.append(f'<p class="none">No passage matches “{escape(data["query"])}”.</p>')
    for hit in data["hits"]:
        parts.append(_hit(hit, style, others.get(hit["rank"], {})))
    return _layout(f"Search: {data['query']}", "".join(parts))


def _hit(hit: dict, style: str, others: dict[str, dict]) -> str:
    where = f"¶{hit['paragraph']}" if hit["paragraph"] else hit["kind"]
    section = f" · {escape(hit['section'])}" if hit["section"] else ""
    link = doc_link(hit["doc"]["id"], hit["paragraph"], style)
    folded = "".join(f"<details><summary>{s.upper()}</summary>{citation_block(cited)}</details>"
                     for s, cited in others.items())
    return (f'<article class="hit"><div><b>{hit["rank"]}.</b> '
            f'<a class="passage-link" href="{link}">{escape(hit["doc"]["title"])} — '
            f"{escape(where)}</a>{section}</div>"
            f'<p class="snippet">{_highlighted(hit["snippet"], hit["highlights"])}</p>'
            f"{citation_block(hit['cited'])}{folded}</article>")


def _highlighted(text: str, spans: list[list[int]]) -> str:
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        pieces.append(escape(text[cursor:start]) + f"<em>{escape(text[start:end])}</em>")
        cursor = end
    return "".join(pieces) + escape(text[cursor:])


def _links(style: str):
    def links(match: dict) -> list[tuple[str, str]]:
        found = [("read it in the article", doc_link(match["doc"]["id"], match["paragraph"], style))]
        url = match["doc"].get("url") or (match["doc"].get("original") or {}).get("url")
        if url:
            found.append(("open the passage online", text_fragment_url(url, match["source_text"])))
        return found
    return links


def verification(entry: dict, style: str) -> str:
    """Return the verdict on one quotation with every source, as the report shows it."""
    body = (verification_block(entry, _links(style), "q1") + "<h2>Check another</h2>"
            + forms(style, quote=entry["quote"]))
    return _layout("Quotation check", body)


def draft_report(report: CheckReport, style: str) -> str:
    """Return the check of an uploaded or pasted draft, as the HTML report shows it."""
    return _layout(f"Draft check: {report.manuscript}", report_body(report, style, _links(style)))


def documents(infos: list[dict]) -> str:
    """Return the list of indexed articles."""
    rows = "".join(
        f'<li><a href="/doc/{escape(info["doc"]["id"])}">{escape(info["doc"]["title"])}</a> '
        f'<span class="extra">{escape(info["doc"]["author"] or "")} · '
        f'{escape(info["doc"]["publication"] or "")} · {escape(info["doc"]["date"] or "n.d.")} · '
        f'{info["paragraphs"]} paragraphs</span></li>' for info in infos)
    return _layout("Articles", f"<ul>{rows}</ul>")


def article(meta: dict, blocks: list[dict], cited: dict, style: str) -> str:
    """Return an article with its citation and every block, numbered paragraphs anchored ¶N."""
    parts = [citation_block(cited), f'<p class="extra">{escape(meta["path"])}</p>']
    for block in blocks:
        number = block["paragraph"]
        if block["kind"] == "heading":
            parts.append(f'<h2 class="heading" id="b{block["order"]}">{escape(block["text"])}</h2>')
        elif number:
            parts.append(f'<p class="para" id="p{number}"><a class="num" href="#p{number}" '
                         f'title="line {block["line_start"]}">¶{number}</a>{escape(block["text"])}</p>')
        else:
            parts.append(f'<p class="extra" id="b{block["order"]}">[{escape(block["kind"])}] '
                         f"{escape(block['text'])}</p>")
    return _layout(meta["title"], "".join(parts))
