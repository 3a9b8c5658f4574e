"""Turn library results into terminal text or JSON; the CLI prints what these return."""

from __future__ import annotations

import json
from dataclasses import asdict

import search

from .catalog import ArticleMeta
from .cite import Citation, unmark

Style = dict  # keyword arguments for click.style


def doc_dict(meta: ArticleMeta, doc_id: str) -> dict:
    """The article object of the JSON contract, with every catalog field added."""
    data = {"id": doc_id, "path": meta.path, "title": meta.title, "author": meta.author or None,
            "publication": meta.publication or meta.publisher or None, "date": meta.date or None,
            "url": meta.url or None}
    full = asdict(meta)
    full.pop("doc_id", None)
    data.update({key: value for key, value in full.items() if key not in data})
    return data


def hit_dict(hit: search.Hit, style: str = "plain") -> dict:
    """One hit as the JSON contract spells it."""
    cited = hit.cite(style)
    return {"rank": hit.rank, "score": hit.score, "doc": doc_dict(hit.doc, hit.doc_id),
            "paragraph": hit.paragraph, "section": hit.section, "kind": hit.kind,
            "line_start": hit.line_start, "line_end": hit.line_end, "text": hit.text,
            "snippet": hit.snippet, "highlights": [list(span) for span in hit.highlights],
            "text_highlights": [list(span) for span in hit.text_highlights],
            "citation": unmark(cited.in_text), "cited": cited.to_dict(),
            "location": hit.location, "context": list(hit.context), **_place(cited)}


def _place(citation: Citation) -> dict:
    """The page range and link of a cited passage, as every hit and match gives them."""
    pinpoint = citation.pinpoint
    return {"page_start": pinpoint.page_start or None if pinpoint else None,
            "page_end": pinpoint.page_end or None if pinpoint else None,
            "link": pinpoint.link or None if pinpoint else None}


def search_json(result: search.SearchResult, style: str = "plain") -> str:
    """The `search --json` object."""
    return json.dumps({"query": result.query, "searched_for": result.searched_for,
                       "notes": list(result.notes), "suggestion": result.suggestion or None,
                       "total": result.total, "hits": [hit_dict(hit, style) for hit in result.hits]},
                      ensure_ascii=False)


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


def search_text(result: search.SearchResult, style, citation_style: str = "plain") -> str:
    """The terminal form of a search: one block per hit, citation first."""
    lines = [f"Note: {note}" for note in result.notes]
    if result.suggestion:
        lines.append(f"Did you mean: {result.suggestion}")
    for hit in result.hits:
        where = f"¶{hit.paragraph}" if hit.paragraph else hit.kind
        section = f" · {hit.section}" if hit.section else ""
        lines.append(style(f"{hit.rank}. {hit.doc.title} — {where}{section}", bold=True)
                     + f"  ({hit.score:.2f})")
        lines.extend(f"   {line}" for line in citation_lines(hit.cite(citation_style)))
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


def documents_text(infos: list[search.DocumentInfo]) -> str:
    """The terminal form of `docs`: one article a paragraph."""
    lines = []
    for info in infos:
        meta = info.meta
        lines.append(f"{info.doc_id}  {meta.title}")
        detail = ", ".join(part for part in (meta.author, meta.publication or meta.publisher,
                                             meta.date) if part)
        lines.append(f"    {detail or '(no author, publication or date in the catalog)'}")
        lines.append(f"    {meta.path} · {info.paragraphs} paragraphs, {info.blocks} blocks"
                     + ("" if meta.source == "catalog" else " · metadata inferred from the text"))
    return "\n".join(lines)


def documents_json(infos: list[search.DocumentInfo]) -> str:
    """The `docs --json` list."""
    return json.dumps({"documents": [
        {"doc": doc_dict(info.meta, info.doc_id), "paragraphs": info.paragraphs,
         "blocks": info.blocks} for info in infos]}, ensure_ascii=False)


def block_dict(block: search.StoredBlock, meta: ArticleMeta, citation: Citation) -> dict:
    """One shown block, with its citation."""
    data = asdict(block)
    data.update({"doc": doc_dict(meta, block.doc_id), "citation": unmark(citation.in_text),
                 "cited": citation.to_dict()})
    return data


def citation_lines(citation: Citation) -> list[str]:
    """A citation for the terminal: the in-text form, and for the styles, the rest."""
    if citation.style == "plain":
        return [citation.in_text]
    lines = [f"{citation.style.upper()}: {citation.in_text}"]
    if citation.short_note:
        lines.append(f"short note: {citation.short_note}")
    lines.append(f"reference: {citation.reference}")
    lines.append(f"find it at: {citation.locator}")
    return lines


def match_dict(match: search.Match, citation: Citation) -> dict:
    """One source of a quotation, with the hit fields of a search result."""
    return {"doc": doc_dict(match.doc, match.doc_id), "paragraph": match.paragraph,
            "paragraphs": list(match.paragraphs), "section": match.section,
            "kind": match.kind, "line_start": match.line_start, "line_end": match.line_end,
            "start": match.start, "end": match.end, "text": match.paragraph_text,
            "source_text": match.source_text, "verdict": match.verdict.value,
            "similarity": match.similarity,
            "differences": [d.to_dict() for d in match.differences],
            "omissions": [e.to_dict() for e in match.edits if e.mark == "ellipsis"],
            "edits": [e.to_dict() for e in match.edits], "warnings": list(match.warnings),
            "speaker": match.speaker or None, "speaker_sentence": match.speaker_sentence or None,
            "citation": unmark(citation.in_text), "cited": citation.to_dict(),
            "location": match.location, **_place(citation)}


def verification_dict(verification: search.Verification, citations: list[Citation],
                      closest_citation: Citation | None = None) -> dict:
    """The `cite --json` object."""
    closest = verification.closest
    return {"quote": verification.quote, "verdict": verification.verdict.value,
            "verified": verification.verified,
            "matches": [match_dict(m, c) for m, c in
                        zip(verification.matches, citations, strict=True)],
            "closest": match_dict(closest, closest_citation)
            if closest and closest_citation else None,
            "warnings": list(verification.warnings), "by": verification.by or None,
            "attributed_to_by": verification.attributed_to_by}


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


def verification_text(verification: search.Verification, citations: list[Citation],
                      style, closest_citation: Citation | None = None) -> str:
    """The terminal form of `cite`: verdict, then each source with its evidence."""
    verdict = verification.verdict.value
    colour = {"exact": "green", "edited": "green", "paraphrase": "yellow"}.get(verdict, "red")
    lines = [style(f"{MARKS[verdict]} {verdict}", fg=colour, bold=True)
             + f"  {verification.quote.strip()[:100]}"]
    for match, citation in zip(verification.matches, citations, strict=True):
        lines.extend(_match_lines(match, citation))
    if verification.closest is not None and closest_citation is not None:
        lines.append(f"  closest (not a source, similarity {verification.closest.similarity}): "
                     f"{closest_citation.in_text}")
        lines.append(f"    “{verification.closest.source_text[:200]}”")
    if verification.by:
        said = "attributes" if verification.attributed_to_by else "does not attribute"
        lines.append(f"  The corpus {said} these words to {verification.by}.")
    return "\n".join(lines)


def _match_lines(match: search.Match, citation: Citation) -> list[str]:
    cited = citation_lines(citation)
    lines = [f"  [{match.verdict.value}, {match.similarity:.2f}] {cited[0]}"]
    lines.extend(f"    {line}" for line in cited[1:])
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
    lines.extend(f"    warning: {warning}" for warning in match.warnings)
    if match.speaker:
        lines.append(f"    speaker: {match.speaker}"
                     + (f" — {match.speaker_sentence}" if match.speaker_sentence else ""))
    return lines
