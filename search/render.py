"""Turn library results into terminal text; the CLI prints what these return.

JSON needs nothing here: every result type has its own `to_dict()`, and `as_json` wraps it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import search

from .cite import Citation, unmark

Style = dict  # keyword arguments for click.style


def as_json(data: Any) -> str:
    """One JSON object on one line, non-ASCII kept readable."""
    return json.dumps(data, ensure_ascii=False)


def block_dict(block: search.StoredBlock, meta: search.ArticleMeta, citation: Citation) -> dict:
    """One shown block of `show --json`, with its citation."""
    return {**block.to_dict(), "doc": meta.to_dict(block.doc_id),
            "citation": unmark(citation.in_text), "cited": citation.to_dict()}


def highlighted(text: str, spans: tuple[tuple[int, int], ...] | list, style) -> str:
    """Return text with each span passed through style (e.g. click.style)."""
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        pieces.extend([text[cursor:start], style(text[start:end])])
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def search_text(result: search.SearchResult, style, citation_style: str = "plain",
                fmt: str | None = None, explain: bool = False) -> str:
    """The terminal form of a search: one block per hit, citation first."""
    lines = [f"Note: {note}" for note in result.notes]
    if result.suggestion:
        lines.append(f"Did you mean: {result.suggestion}")
    for hit in result.hits:
        where = f"¶{hit.paragraph}" if hit.paragraph else hit.kind
        section = f" · {hit.section}" if hit.section else ""
        lines.append(style(f"{hit.rank}. {hit.doc.title} — {where}{section}", bold=True)
                     + f"  ({hit.score:.2f})")
        lines.extend(f"   {line}"
                     for line in citation_lines(hit.cite(citation_style), fmt, style))
        if explain:
            lines.append(f"   {explanation(hit.why)}")
        if hit.also_in:
            lines.append(f"   also in: {', '.join(hit.also_in)}")
        for neighbour in hit.context:
            if neighbour["line_start"] < hit.line_start:
                lines.append(f"   [¶{neighbour['paragraph']}] {neighbour['text']}")
        marked = highlighted(hit.snippet, hit.highlights,
                             lambda word: style(word, fg="yellow", bold=True))
        lines.append(f"   {marked}")
        for neighbour in hit.context:
            if neighbour["line_start"] > hit.line_start:
                lines.append(f"   [¶{neighbour['paragraph']}] {neighbour['text']}")
        lines.append("")
    return "\n".join(lines).rstrip()


def explanation(why: dict) -> str:
    """Say in words which signals ranked a hit.

    >>> explanation({"bm25": 12.5, "proximity": 1.25, "semantic": 0.61})
    'why: words (BM25) 12.50 · words together 1.25 · meaning (cosine) 0.61'
    >>> explanation({"bm25": 3.0, "proximity": 0.0, "semantic": None})
    'why: words (BM25) 3.00 · words together 0.00 · meaning: no vectors in this index'
    """
    meaning = ("meaning: no vectors in this index" if why.get("semantic") is None
               else f"meaning (cosine) {why['semantic']:.2f}")
    return (f"why: words (BM25) {why.get('bm25', 0.0):.2f} · "
            f"words together {why.get('proximity', 0.0):.2f} · {meaning}")


METADATA_SOURCES = {"catalog": "metadata from the catalog",
                    "document": "metadata from the file itself",
                    "inferred": "metadata inferred from the text"}


def article_text(meta: search.ArticleMeta, blocks: list[search.StoredBlock], citation: Citation,
                 style, fmt: str | None = None) -> str:
    """The terminal form of `show DOC`: title, the article's citation, then every block."""
    lines = [style(meta.title, bold=True)]
    lines.extend(citation_lines(citation, fmt, style))
    for block in blocks:
        label = f"¶{block.paragraph}" if block.paragraph else f"[{block.kind}]"
        place = f"p. {block.page_start}" if block.page_start else f"{meta.path}:{block.line_start}"
        lines.append(f"\n{label:>6} {block.text}  ({place})")
    return "\n".join(lines)


def documents_text(infos: list[search.DocumentInfo]) -> str:
    """The terminal form of `docs`: one article a paragraph, with its format and where its
    metadata came from."""
    lines = []
    for info in infos:
        meta = info.meta
        lines.append(f"{info.doc_id}  {meta.title}")
        detail = ", ".join(part for part in (meta.author, meta.publication or meta.publisher,
                                             meta.date) if part)
        lines.append(f"    {detail or '(no author, publication or date in the catalog)'}")
        lines.append(f"    {meta.path} · {meta.format} · {info.paragraphs} paragraphs, "
                     f"{info.blocks} blocks · {METADATA_SOURCES.get(meta.source, meta.source)}")
        if info.also_in:
            lines.append(f"    also in: {', '.join(info.also_in)}")
    return "\n".join(lines)


def import_text(report: search.ImportReport) -> str:
    """The terminal form of `catalog import`: what was added where, and what was not."""
    lines = [f"Added {doc_id} to {catalog}" for doc_id, catalog in report.added]
    lines += [f"Kept the existing catalog entry of {doc_id}" for doc_id in report.already_catalogued]
    lines += [f"No indexed article matches: {title}" for title in report.unmatched]
    lines.append(f"{report.references} references: {len(report.added)} added, "
                 f"{len(report.already_catalogued)} already catalogued, "
                 f"{len(report.unmatched)} unmatched."
                 + (" Run `seedsearch index` to use the new entries." if report.added else ""))
    return "\n".join(lines)


def not_articles_text(files: list[tuple[str, str]]) -> str:
    """One line for the files in the folders that are not articles, counted by suffix.

    >>> not_articles_text([("a/x.png", ""), ("a/y.png", ""), ("a/z.css", "")])
    'Not read: 3 files of formats seedsearch does not read (2 .png, 1 .css; --json lists them).'
    """
    counts = Counter(Path(path).suffix.lower() or "no suffix" for path, _ in files)
    listed = ", ".join(f"{count} {suffix}" for suffix, count in counts.most_common())
    return (f"Not read: {len(files)} file{'s' if len(files) > 1 else ''} of formats seedsearch "
            f"does not read ({listed}; --json lists them).")


def typeset(citation: Citation, fmt: str | None) -> Citation:
    """Return the citation with its strings in a paste format (text or markdown: curly
    quotes; text also without the Markdown asterisks); None leaves them as they are."""
    if fmt is None:
        return citation
    from .paste import as_format  # paste formats (and html's entity table) only when asked

    return replace(citation, in_text=as_format(citation.in_text, fmt),
                   short_note=as_format(citation.short_note, fmt),
                   reference=as_format(citation.reference, fmt))


def citation_lines(citation: Citation, fmt: str | None = None, style=None) -> list[str]:
    """A citation for the terminal: the in-text form, for the styles the rest, then what the
    style could not do with the catalog (the warnings), so a pasted citation is never wrong
    without notice."""
    citation = typeset(citation, fmt)
    if citation.style == "plain":
        lines = [citation.in_text]
    else:
        lines = [f"{citation.style.upper()}: {citation.in_text}"]
        if citation.short_note:
            lines.append(f"short note: {citation.short_note}")
        lines.append(f"reference: {citation.reference}")
        lines.append(f"find it at: {citation.locator}")
    mark = (lambda text: style(text, fg="yellow")) if style else (lambda text: text)
    lines.extend(mark(f"warning: {warning}") for warning in citation.warnings)
    return lines


def paste_text(citations: list[Citation], fmt: str) -> str:
    """The citations alone as a document to paste (html, rtf) or plain lines, each source's
    in-text form, short note and reference; the same source is given once."""
    from .paste import citation_parts, document

    seen: dict[tuple[str, str], Citation] = {}
    for citation in citations:
        seen.setdefault((citation.in_text, citation.reference), citation)
    parts = [part for citation in seen.values() for part in citation_parts(citation)]
    return document(parts, fmt)


def paste_warnings(citations: list[Citation]) -> list[str]:
    """The warnings of the citations a paste document holds, each once."""
    return list(dict.fromkeys(w for citation in citations for w in citation.warnings))


MARKS = {"exact": "✓", "edited": "✓", "variant": "✗", "paraphrase": "~", "not_found": "✗"}


def differences_text(match: search.Match) -> str:
    """Word differences as a reader scans them: source → quote, −dropped, +added."""
    parts = []
    for difference in match.differences:
        if difference.op == "replace":
            parts.append(f"“{difference.source}” → “{difference.quote}”")
        elif difference.op == "delete":
            parts.append(f"−“{difference.source}”")
        else:
            parts.append(f"+“{difference.quote}”")
    return "; ".join(parts)


def verdict_line(verification: search.Verification) -> str:
    """The verdict as printed: "variant (punctuation only)" when every difference is minor."""
    verdict = verification.verdict.value
    first = verification.matches[0] if verification.matches else None
    if verdict == "variant" and first is not None and first.differences \
            and all(difference.minor for difference in first.differences):
        return "variant (punctuation only)"
    return verdict


def verification_text(verification: search.Verification, style,
                      citation_style: str = "plain", fmt: str | None = None) -> str:
    """The terminal form of `cite`: verdict, then each source with its evidence."""
    citations = [match.cite(citation_style) for match in verification.matches]
    closest_citation = verification.closest.cite(citation_style) if verification.closest else None
    verdict = verification.verdict.value
    colour = {"exact": "green", "edited": "green", "paraphrase": "yellow"}.get(verdict, "red")
    lines = [style(f"{MARKS[verdict]} {verdict_line(verification)}", fg=colour, bold=True)
             + f"  {verification.quote.strip()[:100]}"]
    for match, citation in zip(verification.matches, citations, strict=True):
        lines.extend(_match_lines(match, citation, fmt, style))
    if verification.more_sources:
        from .verdicts import more_sources_line  # verify's types: not on a search's start-up

        more = more_sources_line(verification.more_sources, verification.more_sources_estimated)
        lines.append(f"  {more}")
    if verification.closest is not None and closest_citation is not None:
        lines.append(f"  closest (not a source, similarity {verification.closest.similarity}): "
                     f"{typeset(closest_citation, fmt).in_text}")
        lines.append(f"    “{verification.closest.source_text[:200]}”")
        lines.extend(f"    {warning}" for warning in verification.closest.warnings)
    if verification.by:
        said = "attributes" if verification.attributed_to_by else "does not attribute"
        lines.append(f"  The corpus {said} these words to {verification.by}.")
    return "\n".join(lines)


def _match_lines(match: search.Match, citation: Citation, fmt: str | None, style) -> list[str]:
    cited = citation_lines(citation, fmt, style)
    lines = [f"  [{match.verdict.value}, {match.similarity:.2f}] {cited[0]}"]
    lines.extend(f"    {line}" for line in cited[1:])
    if match.also_in:
        lines.append(f"    also in: {', '.join(match.also_in)}")
    lines.append(f"    “{' '.join(match.source_text.split())}”")
    if match.differences:
        lines.append(f"    differences: {differences_text(match)}")
    for edit in match.edits:
        if edit.mark == "attribution":
            lines.append(f"    the article's own words “{edit.source}” break into the quotation "
                         "(rightly left out)")
            continue
        stands_for = f"“{edit.source}”" if edit.source else "nothing in the source"
        lines.append(f"    {edit.mark} {edit.quote} stands for {stands_for}")
    lines.extend(f"    part: “{part.quote}” from {part.file}:{part.line_start}"
                 + (f" ¶{part.paragraph}" if part.paragraph else "") for part in match.parts)
    lines.extend(f"    warning: {warning}" for warning in match.warnings)
    if match.speaker:
        lines.append(f"    speaker: {match.speaker}"
                     + (f" — {match.speaker_sentence}" if match.speaker_sentence else ""))
    return lines


def check_text(report: search.CheckReport, style, citation_style: str = "plain",
               fmt: str | None = None) -> str:
    """The terminal form of `check`: each quotation at its line, then the counts."""
    blocks = [(f"{report.manuscript}:{checked.quote.line}: " if checked.unit == "line"
               else f"{report.manuscript}, {checked.place}: ")
              + ("(accepted as it stands) " if checked.accepted
                 and not checked.verification.verified else "")
              + verification_text(checked.verification, style, citation_style, fmt)
              for checked in report.quotations]
    blocks.append(check_summary(report))
    return "\n\n".join(blocks)


def check_summary(report: search.CheckReport) -> str:
    """One line of counts: quotations per verdict, accepted, skipped."""
    summary = report.summary
    counts = ", ".join(f"{summary[v.value]} {v.value}" for v in search.Verdict
                       if summary[v.value])
    credit = ", ".join(f"{summary[key]} {key.replace('_', ' ')}"
                       for key in ("misattributed", "wrong_pinpoint") if summary[key])
    accepted = f"; {summary['accepted']} accepted as they stand" if summary["accepted"] else ""
    return (f"{summary['quotations']} quotations: {counts or 'none'}{accepted}; "
            + (f"{credit}; " if credit else "") + f"{summary['skipped']} skipped.")
