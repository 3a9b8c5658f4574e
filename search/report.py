"""The check report a writer reads: one self-contained HTML file for `check DRAFT --report`.

On top, the counts per verdict and the quotations to fix first (misquotes, then quotations not
found, then paraphrases). Then the draft itself with every quotation highlighted by verdict
(colour and an icon, so it reads without colour too), each a link to its details: the sources
side by side with the quotation, word differences marked, omissions and warnings spelled out,
the citation in the chosen style with a copy button, and a link to the passage (the article's
URL with a text fragment, and the file it was indexed from). No network, no external asset:
the stylesheet and the copy script are inline.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .check import CheckReport
from .htmlparts import (
    FIX_ORDER,
    VERDICTS,
    Links,
    badge,
    escape,
    page,
    text_fragment_url,
    verification_block,
)


def report_html(report: CheckReport, style: str = "apa", source_root: str | Path = ".") -> str:
    """Return the HTML report on a checked draft, citations in a style.

    source_root is the folder the index's article paths are relative to (where `index` ran),
    for the `file:` links to each source.
    """
    root = Path(source_root).resolve()
    head = (f"<header><h1>Quotation check: {escape(Path(report.manuscript).name)}</h1>"
            f'<p class="extra">{escape(report.manuscript)} · checked '
            f"{datetime.now().strftime('%Y-%m-%d %H:%M')} · citations in {escape(style.upper())}"
            "</p></header>")
    body = report_body(report, style, lambda match: source_links(match, root))
    return page(f"Quotation check: {Path(report.manuscript).name}",
                f"{head}<main>{body}</main>")


def report_body(report: CheckReport, style: str, links: Links) -> str:
    """Return the report's sections (summary, fix first, the draft, each quotation, skipped),
    the web page's draft check shows them too, with links of its own."""
    data = report.to_dict(style)
    entries = data["quotations"]
    body = [_summary(data), _fix_first(entries), "<h2>The draft</h2>",
            _draft(report.text, entries), "<h2>Each quotation</h2>"]
    body.extend(verification_block(entry, links, f"q{n}") for n, entry in enumerate(entries, 1))
    if data["skipped"]:
        body.append("<h2>Not checked</h2><ul>" + "".join(
            f"<li>line {s['line']}: “{escape(s['quote'])}” ({escape(s['reason'])})</li>"
            for s in data["skipped"]) + "</ul>")
    return "".join(body)


def source_links(match: dict, root: Path) -> list[tuple[str, str]]:
    """Return (label, href) links to a source passage: its URL with a text fragment, and the
    article file it was indexed from (with its lines in the label)."""
    doc = match["doc"]
    links = []
    url = doc.get("url") or (doc.get("original") or {}).get("url") or ""
    if url:
        links.append(("open the passage online", text_fragment_url(url, match["source_text"])))
    path = Path(doc["path"])
    absolute = path if path.is_absolute() else root / path
    links.append((f"open {doc['path']} (lines {match['line_start']}-{match['line_end']})",
                  absolute.as_uri()))
    return links


def _summary(data: dict) -> str:
    summary = data["summary"]
    rows = "".join(f"<tr><td>{badge(verdict)}</td><td>{summary[verdict]}</td></tr>"
                   for verdict in VERDICTS if summary.get(verdict))
    verdict_line = ("Every quotation is verified." if summary["not_verified"] == 0
                    else f"{summary['not_verified']} of {summary['quotations']} quotations "
                         "are not verified.")
    accepted = (f" {summary['accepted']} of them accepted as they stand "
                "(.seedsearch-accept)." if summary.get("accepted") else "")
    return (f'<section class="summary"><h2>Summary</h2><p>{verdict_line}{accepted} '
            f"{summary['skipped']} short quotations skipped as scare quotes or titles.</p>"
            f'<table class="counts">{rows}</table></section>')


def _fix_first(entries: list[dict]) -> str:
    numbered = [(n, e) for n, e in enumerate(entries, 1)
                if not e["verified"] and not e.get("accepted")]
    if not numbered:
        return ""
    numbered.sort(key=lambda item: (FIX_ORDER.get(item[1]["verdict"], 3), item[0]))
    items = "".join(f'<li>{badge(e["verdict"])} <a href="#q{n}">line {e["line"]}: '
                    f"“{escape(_short(e['quote']))}”</a></li>" for n, e in numbered)
    return f'<section class="fix"><h2>Fix first</h2><ol>{items}</ol></section>'


def _short(text: str, words: int = 14) -> str:
    split = text.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def _draft(text: str, entries: list[dict]) -> str:
    """Return the draft with each quotation wrapped in a mark linking to its details."""
    pieces, cursor = [], 0
    for n, entry in sorted(enumerate(entries, 1), key=lambda item: item[1].get("start", 0)):
        start, end = entry.get("start", 0), entry.get("end", 0)
        if end <= start or start < cursor:
            continue
        icon, label, css = VERDICTS.get(entry["verdict"], ("•", entry["verdict"], "warn"))
        css = "accepted" if entry.get("accepted") and not entry["verified"] else css
        pieces.append(escape(text[cursor:start]))
        pieces.append(f'<mark class="{css}" id="q{n}-draft" title="{escape(label)}">'
                      f'<a href="#q{n}"><span aria-hidden="true">{icon}</span>'
                      f"{escape(text[start:end])}</a></mark>")
        cursor = end
    pieces.append(escape(text[cursor:]))
    return f'<div class="draft">{"".join(pieces)}</div>'
