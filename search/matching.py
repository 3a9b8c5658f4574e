"""Align a quotation with the source text around its candidate blocks, into Matches.

The candidates are blocks the index found; each is widened by its neighbours (a quotation
may run across paragraphs) and consecutive blocks are merged into one window of tokens,
where `align` locates the quotation's parts and judges every word. Only the blocks of the
windows are read from the index, not whole articles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
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

    def block_run(self, doc_id: str, first: int, last: int) -> list[StoredBlock]: ...

    def verbatim_blocks(self, parts: list[list[str]], limit: int
                        ) -> tuple[list[tuple[str, int, float]], int]: ...

    def similar_blocks(self, parts: list[list[str]]) -> list[tuple[str, int, float]]: ...

    def frequencies(self, stems: set[str]) -> tuple[dict[str, int], int]: ...


Candidate = tuple[str, int, float]  # (doc_id, block order, score)
WHOLE = 2.0  # the score of a verbatim candidate holding the whole quotation (`verbatim_blocks`)
PIECES = 1.0  # ... of one holding only pieces of it (the rarest pair of a half)
WIDEN_MIN_WORDING = 0.25  # a block's alignment this much in runs may go on in a neighbour


@dataclass
class Context:
    """What one verification needs from the index, fetched once."""

    sources: Sources
    windows: TokenWindows
    runs: dict[tuple[str, int, int], list[StoredBlock]] = field(default_factory=dict)

    def run(self, doc_id: str, first: int, last: int) -> list[StoredBlock]:
        """Return an article's blocks of orders first..last (those it has), read once."""
        key = (doc_id, first, last)
        if key not in self.runs:
            self.runs[key] = self.sources.block_run(doc_id, first, last)
        return self.runs[key]

    def tokens(self, doc_id: str, run: list[StoredBlock]) -> list[Token]:
        """Return the word tokens of the source text a run of blocks covers."""
        return self.windows.tokens(doc_id, run[0].start, run[-1].end)


def align_windows(context: Context, quote: Quotation, candidates: list[Candidate],
                  spread: int | None = None) -> list[Match]:
    """Return every alignment of the quotation around the candidate blocks, each widened by
    `spread` blocks on either side (by default one, more for a long quotation)."""
    spread = 1 + len(quote.tokens) // 60 if spread is None else spread
    matches = []
    for doc_id, run in places(context, candidates, spread):
        text = context.sources.text(doc_id)
        tokens = context.tokens(doc_id, run)
        matches.extend(_matches_in(context, quote, doc_id, text, tokens, run))
    return matches


def align_blocks(context: Context, quote: Quotation, candidates: list[Candidate],
                 pieces: float | None = None) -> list[Match]:
    """Align candidate blocks on their own first, widening to the neighbours only where the
    quotation may run on into them: nothing verified there, and an alignment that reaches the
    block's first or last word with runs of the quotation's wording. Candidates scored
    `pieces` (pieces of the quotation) are aligned with their neighbours. Most blocks hold
    the whole quotation, and a third of the words is a third of the work."""
    matches: list[Match] = []
    wider = [candidate for candidate in candidates if candidate[2] == pieces]
    for doc_id, run in places(context, [c for c in candidates if c[2] != pieces], 0):
        text = context.sources.text(doc_id)
        tokens = context.tokens(doc_id, run)
        found = _matches_in(context, quote, doc_id, text, tokens, run)
        if any(match.verdict.verified for match in found) or not any(
                match.wording >= WIDEN_MIN_WORDING
                and (match.start <= tokens[0].start or match.end >= tokens[-1].end)
                for match in found):
            matches.extend(found)
        else:
            wider.extend((doc_id, block.order, 0.0) for block in run)
    return matches + align_windows(context, quote, wider)


def places(context: Context, candidates: list[Candidate],
           spread: int) -> list[tuple[str, list[StoredBlock]]]:
    """Each candidate block with `spread` neighbours on each side, consecutive blocks of an
    article merged into one run; articles in the order of their first candidate."""
    wanted: dict[str, set[int]] = {}
    for doc_id, order, _ in candidates:
        wanted.setdefault(doc_id, set()).update(range(max(0, order - spread), order + spread + 1))
    found = []
    for doc_id, orders in wanted.items():
        ordered = sorted(orders)
        start = ordered[0]
        for previous, order in zip(ordered, ordered[1:] + [-1], strict=True):
            if order != previous + 1:
                run = context.run(doc_id, start, previous)
                if run:
                    found.append((doc_id, run))
                start = order
    return found


def _matches_in(context: Context, quote: Quotation, doc_id: str, text: str,
                tokens: list[Token], run: list[StoredBlock]) -> list[Match]:
    coder = aligner.Coder()
    found = []
    for _, _, spans in aligner.locate(quote, tokens, coder):
        alignment = aligner.align(quote, tokens, spans, coder)
        if alignment.matched == 0:
            continue
        found.append(match_at(context, quote, doc_id, text, tokens, alignment, run))
    return found


def match_at(context: Context, quote: Quotation, doc_id: str, text: str, tokens: list[Token],
             alignment: aligner.Alignment, run: list[StoredBlock]) -> Match:
    """Return the Match an alignment in a run of blocks makes, its verdict judged with the cut
    words too (its section ¶ and speaker are filled in for the sources shown)."""
    start, end = tokens[alignment.first].start, tokens[alignment.last].end
    source_words = alignment.last - alignment.first + 1
    similarity = aligner.similarity(quote, alignment, source_words)
    verdict = Verdict(alignment.verdict)
    blocks = [b for b in run if b.end > start and b.start < end]
    home = blocks[0] if blocks else run[0]
    warnings = [edit.warning for edit in alignment.edits if edit.warning]
    numbered = tuple(b.paragraph for b in blocks if b.paragraph)
    if len(numbered) > 1 and any(edit.mark == "ellipsis" for edit in alignment.edits):
        warnings.append(f"the ellipsis bridges paragraphs ¶{numbered[0]}–¶{numbered[-1]}")
    differences = [_as_printed(d, text, quote) for d in alignment.differences] + \
        alignment.cosmetic
    starts = {block.start for block in run}
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
                 anchor=home.anchor if len(blocks) == 1 else "", block_order=home.order)


def _as_printed(difference: aligner.Difference, text: str, quote: Quotation
                ) -> aligner.Difference:
    """The difference with the exact characters of the source (and of the quotation, as typed
    after typographic normalisation), punctuation inside it included."""
    if difference.span:
        difference = replace(difference, source=text[difference.span[0]:difference.span[1]])
    if difference.quote_span and not any(token.modified for token in quote.tokens):
        typed = _typed(quote.text)
        difference = replace(difference, quote=typed[slice(*difference.quote_span)])
    return difference


@lru_cache(maxsize=64)
def _typed(text: str) -> str:
    """The quotation as typed, after typographic normalisation (once per quotation)."""
    return normalise_with_offsets(text).text


def line_of(text: str, offset: int) -> int:
    """Return the 1-based line of a character offset."""
    return text.count("\n", 0, max(offset, 0)) + 1
