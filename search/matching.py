"""Align a quotation with the source text around its candidate blocks, into Matches.

The candidates are blocks the index found; each is widened by its neighbours (a quotation
may run across paragraphs) and consecutive blocks are merged into one window of tokens,
where `align` locates the quotation's parts and judges every word.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from . import align as aligner
from . import truncation
from .catalog import ArticleMeta
from .quotation import Quotation, Token, TokenWindows
from .typography import normalise_with_offsets
from .verdicts import Match, Verdict

if TYPE_CHECKING:
    from .engine.store import StoredBlock


class Sources(Protocol):
    """What checking a quotation reads from an index (an `engine.Store` provides it)."""

    articles: Mapping[str, ArticleMeta]

    @property
    def copies(self) -> dict[str, tuple[str, ...]]: ...  # an article -> its copies (duplicates)

    def blocks(self, doc_id: str) -> list[StoredBlock]: ...

    def text(self, doc_id: str) -> str: ...

    def verbatim_blocks(self, parts: list[list[str]]) -> list[tuple[str, int, float]]: ...

    def similar_blocks(self, parts: list[list[str]]) -> list[tuple[str, int, float]]: ...

    def frequencies(self, stems: set[str]) -> tuple[dict[str, int], int]: ...


@dataclass
class Context:
    """What one verification needs from the index, fetched once."""

    sources: Sources
    windows: TokenWindows
    blocks: dict[str, list[StoredBlock]] = field(default_factory=dict)

    def doc_blocks(self, doc_id: str) -> list[StoredBlock]:
        """Return an article's blocks, read from the index once per verification."""
        if doc_id not in self.blocks:
            self.blocks[doc_id] = self.sources.blocks(doc_id)
        return self.blocks[doc_id]


def align_windows(context: Context, quote: Quotation,
                  candidates: list[tuple[str, int, float]]) -> list[Match]:
    """Return every alignment of the quotation around the candidate blocks."""
    matches = []
    spread = 1 + len(quote.tokens) // 60
    for doc_id, runs in windows(context, candidates, spread).items():
        blocks = context.doc_blocks(doc_id)
        text = context.sources.text(doc_id)
        for first, last in runs:
            tokens = context.windows.tokens(doc_id, blocks[first].start, blocks[last].end)
            matches.extend(_matches_in(context, quote, doc_id, text, tokens))
    return matches


def windows(context: Context, candidates: list[tuple[str, int, float]],
            spread: int) -> dict[str, list[tuple[int, int]]]:
    """Merge each candidate block and its neighbours into runs of consecutive blocks."""
    wanted: dict[str, set[int]] = {}
    for doc_id, order, _ in candidates:
        count = len(context.doc_blocks(doc_id))
        wanted.setdefault(doc_id, set()).update(
            range(max(0, order - spread), min(count, order + spread + 1)))
    runs: dict[str, list[tuple[int, int]]] = {}
    for doc_id, orders in wanted.items():
        ordered = sorted(orders)
        start = ordered[0]
        for previous, order in zip(ordered, ordered[1:] + [-1], strict=True):
            if order != previous + 1:
                runs.setdefault(doc_id, []).append((start, previous))
                start = order
    return runs


def _matches_in(context: Context, quote: Quotation, doc_id: str, text: str,
                tokens: list[Token]) -> list[Match]:
    coder = aligner.Coder()
    found = []
    for _, _, spans in aligner.locate(quote, tokens, coder):
        alignment = aligner.align(quote, tokens, spans, coder)
        if alignment.matched == 0:
            continue
        found.append(match_at(context, quote, doc_id, text, tokens, alignment))
    return found


def match_at(context: Context, quote: Quotation, doc_id: str, text: str, tokens: list[Token],
             alignment: aligner.Alignment) -> Match:
    """Return the Match an alignment makes, its verdict judged with the cut words too."""
    start, end = tokens[alignment.first].start, tokens[alignment.last].end
    source_words = alignment.last - alignment.first + 1
    similarity = aligner.similarity(quote, alignment, source_words)
    verdict = Verdict(alignment.verdict)
    blocks = [b for b in context.doc_blocks(doc_id) if b.end > start and b.start < end]
    home = blocks[0] if blocks else context.doc_blocks(doc_id)[0]
    warnings = [edit.warning for edit in alignment.edits if edit.warning]
    numbered = tuple(b.paragraph for b in blocks if b.paragraph)
    if len(numbered) > 1 and any(edit.mark == "ellipsis" for edit in alignment.edits):
        warnings.append(f"the ellipsis bridges paragraphs ¶{numbered[0]}–¶{numbered[-1]}")
    differences = [_as_printed(d, text, quote) for d in alignment.differences] + \
        alignment.cosmetic
    starts = {block.start for block in context.doc_blocks(doc_id)}
    cut_differences, cut_edits, cut_warnings = truncation.judge(
        quote, tokens, alignment.first, alignment.last, starts, text)
    edits = cut_edits[:1] + alignment.edits + cut_edits[1:]
    if cut_edits and verdict == Verdict.EXACT:
        verdict = Verdict.EDITED
    if cut_differences and verdict.verified:
        verdict = Verdict.VARIANT
    differences = cut_differences[:1] + differences + cut_differences[1:]
    warnings = cut_warnings + warnings
    return Match(context.sources.articles[doc_id], doc_id, verdict, similarity,
                 text[start:end], line_of(text, start), line_of(text, end - 1), start, end,
                 home.paragraph, home.section, home.kind, numbered, tuple(differences),
                 tuple(edits), tuple(warnings), paragraph_text=home.text,
                 wording=aligner.wording_share(quote, alignment),
                 section_paragraph=home.section_paragraph, page_start=home.page_start,
                 page_end=(blocks or [home])[-1].page_end,
                 anchor=home.anchor if len(blocks) == 1 else "")


def _as_printed(difference: aligner.Difference, text: str, quote: Quotation
                ) -> aligner.Difference:
    """The difference with the exact characters of the source (and of the quotation, as typed
    after typographic normalisation), punctuation inside it included."""
    if difference.span:
        difference = replace(difference, source=text[difference.span[0]:difference.span[1]])
    if difference.quote_span and not any(token.modified for token in quote.tokens):
        typed = normalise_with_offsets(quote.text).text
        difference = replace(difference, quote=typed[slice(*difference.quote_span)])
    return difference


def line_of(text: str, offset: int) -> int:
    """Return the 1-based line of a character offset."""
    return text.count("\n", 0, max(offset, 0)) + 1
