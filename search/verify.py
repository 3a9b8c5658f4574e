"""Check a quotation against the corpus: find every source, give a verdict, show the changes.

Verdicts, strictest first: exact (identical apart from typography and the first letter's
case), edited (only standard editorial marks, each standing for real source material),
variant (unmarked word changes), paraphrase (same content words, different wording) and
not_found. A wrong "verified" is the worst outcome, so `exact` and `edited` are only given
when every word and mark has been accounted for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import align as aligner
from . import paraphrase, stitching, truncation
from .analyse import STOP_WORDS, fold
from .attribution import speaker_of
from .catalog import ArticleMeta
from .duplicates import PassageFolder
from .errors import InputError
from .layout import KIND_WEIGHT
from .quotation import Quotation, Token, TokenWindows, parse_quotation
from .typography import normalise_with_offsets

if TYPE_CHECKING:
    from .cite import Citation
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

VARIANT_MIN_SIMILARITY = 0.6
VARIANT_MIN_WORDING = 0.5  # a variant reproduces runs of the source's wording (not a paraphrase)
SHORT_QUOTE_WORDS = 8
SHORT_VARIANT_MIN_SIMILARITY = 0.75
MAX_MATCHES = 20
KIND_RANK = {kind.value: weight for kind, weight in KIND_WEIGHT.items()}  # sources of equal verdict


class Verdict(StrEnum):
    """How a quotation relates to its source; the values are the words the CLI prints."""

    EXACT = "exact"
    EDITED = "edited"
    VARIANT = "variant"
    PARAPHRASE = "paraphrase"
    NOT_FOUND = "not_found"

    @property
    def verified(self) -> bool:
        """True for the verdicts that mean "quoted right"."""
        return self in (Verdict.EXACT, Verdict.EDITED)


@dataclass(frozen=True)
class Match:
    """One place in the corpus a quotation comes from (or, for not_found, the closest)."""

    doc: ArticleMeta
    doc_id: str
    verdict: Verdict
    similarity: float
    source_text: str  # the source's wording of the matched span, as printed
    line_start: int  # lines of the matched span itself
    line_end: int
    start: int  # character offsets of the span in the article file
    end: int
    paragraph: int | None
    section: str
    kind: str
    paragraphs: tuple[int, ...]  # every ¶ the span touches
    differences: tuple[aligner.Difference, ...] = ()
    edits: tuple[aligner.Edit, ...] = ()
    warnings: tuple[str, ...] = ()
    speaker: str = ""
    speaker_sentence: str = ""
    paragraph_text: str = ""
    wording: float = field(default=1.0, compare=False)  # share of words in runs of the source's
    parts: tuple[stitching.Part, ...] = ()  # a stitched quotation's parts, each with its place
    section_paragraph: int | None = None  # the ¶ counted from its section's heading
    page_start: str = ""  # printed page labels of the span (PDF)
    page_end: str = ""
    anchor: str = ""  # the element id of the span's block (HTML), "" if it spans blocks
    also_in: tuple[str, ...] = ()  # paths of other copies of the article holding the span

    @property
    def location(self) -> str:
        """file:line_start-line_end of the matched span."""
        return f"{self.doc.path}:{self.line_start}-{self.line_end}"

    def cite(self, style: str = "plain") -> Citation:
        """Return the citation of this source, pinpointed to the matched lines."""
        from .cite import Pinpoint, cite
        from .link import passage_link

        pinpoint = Pinpoint(self.paragraph, self.section, self.doc.path, self.line_start,
                            self.line_end, self.section_paragraph, self.page_start,
                            self.page_end, passage_link(self.doc.url, self.anchor,
                                                        self.source_text))
        return cite(self.doc, pinpoint, style)

    def to_dict(self, style: str = "plain") -> dict:
        """Return the source with the hit fields of a search result, cited in a style."""
        from .cite import unmark

        citation = self.cite(style)
        return {"doc": self.doc.to_dict(self.doc_id), "paragraph": self.paragraph,
                "paragraphs": list(self.paragraphs), "section": self.section,
                "section_paragraph": self.section_paragraph,
                "kind": self.kind, "line_start": self.line_start, "line_end": self.line_end,
                "start": self.start, "end": self.end, "text": self.paragraph_text,
                "source_text": self.source_text, "verdict": self.verdict.value,
                "similarity": self.similarity,
                "differences": [d.to_dict() for d in self.differences],
                "omissions": [e.to_dict() for e in self.edits if e.mark == "ellipsis"],
                "edits": [e.to_dict() for e in self.edits], "warnings": list(self.warnings),
                "parts": [part.to_dict() for part in self.parts],
                "speaker": self.speaker or None,
                "speaker_sentence": self.speaker_sentence or None,
                "citation": unmark(citation.in_text), "cited": citation.to_dict(),
                "location": self.location, **citation.place(), "also_in": list(self.also_in)}


@dataclass(frozen=True)
class Verification:
    """The verdict on one quotation and every source found for it."""

    quote: str
    verdict: Verdict
    matches: tuple[Match, ...]
    closest: Match | None = None
    warnings: tuple[str, ...] = ()
    by: str = ""
    attributed_to_by: bool | None = None  # does the corpus attribute the words to `by`?

    @property
    def verified(self) -> bool:
        """True when the quotation is exact or properly edited."""
        return self.verdict.verified

    def to_dict(self, style: str = "plain") -> dict:
        """Return the verdict as the `cite --json` object, sources cited in a style."""
        return {"quote": self.quote, "verdict": self.verdict.value, "verified": self.verified,
                "matches": [match.to_dict(style) for match in self.matches],
                "closest": self.closest.to_dict(style) if self.closest else None,
                "warnings": list(self.warnings), "by": self.by or None,
                "attributed_to_by": self.attributed_to_by}


@dataclass
class _Context:
    """What one verification needs from the index, fetched once."""

    sources: Sources
    windows: TokenWindows
    blocks: dict[str, list[StoredBlock]] = field(default_factory=dict)

    def doc_blocks(self, doc_id: str) -> list[StoredBlock]:
        if doc_id not in self.blocks:
            self.blocks[doc_id] = self.sources.blocks(doc_id)
        return self.blocks[doc_id]


def verify(sources: Sources, text: str, by: str = "",
           windows: TokenWindows | None = None) -> Verification:
    """Find every source of a quotation and judge how it was quoted.

    windows caches the tokens of source spans between calls (a batch often looks again
    where an earlier quotation looked); without it each call tokenises afresh.
    """
    quote = parse_quotation(text)
    _refuse_stop_words_only(quote)
    context = _Context(sources, windows or TokenWindows(sources.text))
    parts = [[t.text for t in quote.segment_tokens(k) if not t.bracketed]
             for k in range(quote.segments)]
    candidates = sources.verbatim_blocks(parts)
    found = _align_windows(context, quote, candidates)
    matches = _dedupe(found)
    if sum(match.verdict.verified for match in matches) < MAX_MATCHES:
        # Fewer verbatim sources than a report lists: look for altered ones too.
        seen = {(doc_id, order) for doc_id, order, _ in candidates}
        similar = [c for c in sources.similar_blocks(parts) if (c[0], c[1]) not in seen]
        matches = _dedupe(found + _align_windows(context, quote, similar))
        candidates = candidates + similar
    accepted = [m for m in matches if _acceptable(m, quote)]
    accepted.sort(key=_rank)
    # Verbatim parts from two places explain a quotation better than substituted words.
    stitched = None if accepted and accepted[0].verdict.verified else \
        _stitched(context, quote, candidates)
    if stitched is not None:
        return _finish(sources, text, Verdict.VARIANT, [stitched], None, by)
    if accepted:
        verdict = accepted[0].verdict
        return _finish(sources, text, verdict, accepted[:MAX_MATCHES], None, by)
    paraphrases, near = _paraphrases(context, quote, candidates)
    if paraphrases:
        return _finish(sources, text, Verdict.PARAPHRASE, paraphrases, None, by)
    closest = near or max(matches, key=lambda m: m.similarity, default=None)
    return _finish(sources, text, Verdict.NOT_FOUND, [], closest, by)


def _refuse_stop_words_only(quote: Quotation) -> None:
    if all(token.key in STOP_WORDS for token in quote.tokens):
        raise InputError(f"The quotation {quote.text.strip()!r} has only common words "
                         "(the, of, to...); nothing distinctive to look for.")


def _align_windows(context: _Context, quote: Quotation,
                   candidates: list[tuple[str, int, float]]) -> list[Match]:
    matches = []
    spread = 1 + len(quote.tokens) // 60
    for doc_id, runs in _windows(context, candidates, spread).items():
        blocks = context.doc_blocks(doc_id)
        text = context.sources.text(doc_id)
        for first, last in runs:
            tokens = context.windows.tokens(doc_id, blocks[first].start, blocks[last].end)
            matches.extend(_matches_in(context, quote, doc_id, text, tokens))
    return matches


def _windows(context: _Context, candidates: list[tuple[str, int, float]],
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


def _matches_in(context: _Context, quote: Quotation, doc_id: str, text: str,
                tokens: list[Token]) -> list[Match]:
    coder = aligner.Coder()
    found = []
    for _, _, spans in aligner.locate(quote, tokens, coder):
        alignment = aligner.align(quote, tokens, spans, coder)
        if alignment.matched == 0:
            continue
        found.append(_match(context, quote, doc_id, text, tokens, alignment))
    return found


def _match(context: _Context, quote: Quotation, doc_id: str, text: str, tokens: list[Token],
           alignment: aligner.Alignment) -> Match:
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
                 text[start:end], _line(text, start), _line(text, end - 1), start, end,
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


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, max(offset, 0)) + 1


def _acceptable(match: Match, quote: Quotation) -> bool:
    """Exact and edited always; a variant only when most of its words are the source's."""
    if match.verdict.verified:
        return True
    if match.wording < VARIANT_MIN_WORDING:
        return False
    short = len(quote.tokens) <= SHORT_QUOTE_WORDS
    floor = SHORT_VARIANT_MIN_SIMILARITY if short else VARIANT_MIN_SIMILARITY
    return match.similarity >= floor


def _rank(match: Match) -> tuple:
    order = [Verdict.EXACT, Verdict.EDITED, Verdict.VARIANT].index(match.verdict)
    return (order, -match.similarity, -KIND_RANK.get(match.kind, 0.0), match.doc_id, match.start)


def _dedupe(matches: list[Match]) -> list[Match]:
    """Keep the best match among those covering overlapping text of the same article."""
    kept: list[Match] = []
    for match in sorted(matches, key=_rank):
        if not any(other.doc_id == match.doc_id and other.start < match.end
                   and match.start < other.end for other in kept):
            kept.append(match)
    return kept


def _stitched(context: _Context, quote: Quotation, candidates: list[tuple[str, int, float]]
              ) -> Match | None:
    """A quotation without an ellipsis whose words stand verbatim in two places: the middle of
    one sentence dropped (a deletion), or two places joined (each part with its location)."""
    if quote.segments > 1:
        return None
    places = [(doc_id, context.windows.tokens(doc_id, context.doc_blocks(doc_id)[first].start,
                                              context.doc_blocks(doc_id)[last].end))
              for doc_id, runs in _windows(context, candidates, 1).items() for first, last in runs]
    words = [token for token in quote.tokens if not token.bracketed]
    found = stitching.split([t.key for t in words],
                            [[t.key for t in tokens] for _, tokens in places])
    if found is None:
        return None
    one_id, one = places[found[0].window]
    starts = {block.start for block in context.doc_blocks(one_id)}
    glued = found[1].quote_first > found[0].quote_last + 1
    one_sentence = found[0].window == found[1].window and found[1].first > found[0].last \
        and truncation.sentence_start(one, found[1].first, starts) <= found[0].first
    if one_sentence and glued:
        return None  # words replaced inside one sentence: the alignment's variant says so
    if one_sentence:
        alignment = aligner.Alignment(found[0].first, found[1].last, matched=len(words),
                                      in_runs=len(words))
        match = _match(context, quote, one_id, context.sources.text(one_id), one, alignment)
        dropped = context.sources.text(one_id)[one[found[0].last + 1].start:
                                               one[found[1].first - 1].end]
        return replace(match, verdict=Verdict.VARIANT, differences=(
            aligner.Difference("delete", dropped, ""), *match.differences), warnings=(
            f"words dropped from the middle of the sentence without an ellipsis: “{dropped}”",
            *match.warnings))
    parts = [_part(context, doc_id, tokens, placement, words)
             for (doc_id, tokens), placement in ((places[f.window], f) for f in found)]
    alignment = aligner.Alignment(found[0].first, found[0].last, matched=len(words))
    match = _match(context, quote, one_id, context.sources.text(one_id), one, alignment)
    glue = " ".join(t.text for t in words[found[0].quote_last + 1:found[1].quote_first])
    return replace(match, verdict=Verdict.VARIANT, parts=tuple(parts),
                   differences=(aligner.Difference("insert", "", glue),) if glue else (),
                   warnings=(stitching.stitch_warning(*parts), *match.warnings))


def _part(context: _Context, doc_id: str, tokens: list[Token], placement: stitching.Placement,
          words: list[Token]) -> stitching.Part:
    text = context.sources.text(doc_id)
    start, end = tokens[placement.first].start, tokens[placement.last].end
    block = next((b for b in context.doc_blocks(doc_id) if b.end > start), None)
    quoted = " ".join(t.text for t in words[placement.quote_first:placement.quote_last + 1])
    return stitching.Part(doc_id, Path(context.sources.articles[doc_id].path).name, quoted,
                          text[start:end],
                          start, end, _line(text, start), _line(text, end - 1),
                          block.paragraph if block else None)


def _paraphrases(context: _Context, quote: Quotation, candidates: list[tuple[str, int, float]]
                 ) -> tuple[list[Match], Match | None]:
    """Passages that say what the quotation says (sentence embeddings and a fact check), and
    the closest passage that does not, with the facts it does not share as warnings."""
    content = paraphrase.content_stems(quote)
    if len(content) < 3:
        return [], None
    weight = paraphrase.rarity(*context.sources.frequencies(content))
    blocks = [(doc_id, context.doc_blocks(doc_id)[order]) for doc_id, order, _ in candidates[:20]]
    blocks = [(doc_id, block) for doc_id, block in blocks if block.paragraph]
    judged = paraphrase.candidates(quote, [block.text for _, block in blocks], weight)
    found = [_block_match(context, *blocks[c.passage], c.score) for c in judged
             if c.paraphrases]
    near = [c for c in judged if c.conflicts and c.score >= paraphrase.CLOSEST_MIN_COSINE]
    closest = None
    if near and not found:
        warnings = tuple(f"not a paraphrase of “{near[0].window}”: {reason}"
                         for reason in near[0].conflicts)
        closest = replace(_block_match(context, *blocks[near[0].passage], near[0].score),
                          verdict=Verdict.NOT_FOUND, warnings=warnings)
    return found[:5], closest


def _block_match(context: _Context, doc_id: str, block: StoredBlock, score: float) -> Match:
    text = context.sources.text(doc_id)
    return Match(context.sources.articles[doc_id], doc_id, Verdict.PARAPHRASE, score,
                 text[block.start:block.end], block.line_start, block.line_end, block.start,
                 block.end, block.paragraph, block.section, block.kind,
                 (block.paragraph,) if block.paragraph else (), paragraph_text=block.text,
                 section_paragraph=block.section_paragraph, page_start=block.page_start,
                 page_end=block.page_end, anchor=block.anchor)


def _finish(sources: Sources, text: str, verdict: Verdict, matches: list[Match],
            closest: Match | None, by: str) -> Verification:
    folder = PassageFolder(sources.copies, sources.articles)
    kept = [match for match in matches if not folder.seen(match.doc_id, match.source_text)]
    matches = [_with_speaker(sources, replace(match, also_in=folder.also_in(
        match.doc_id, match.source_text))) for match in kept]
    attributed = None
    if by:
        wanted = fold(by.split()[-1]) if by.split() else ""
        attributed = any(wanted and wanted in fold(m.speaker).replace("'", " ").split()
                         or wanted in m.speaker.lower() for m in matches if m.speaker)
    warnings = tuple(w for m in matches[:1] for w in m.warnings)
    return Verification(text, verdict, tuple(matches), closest, warnings, by, attributed)


def _with_speaker(sources: Sources, match: Match) -> Match:
    speaker, sentence = speaker_of(sources.blocks(match.doc_id), sources.text(match.doc_id),
                                   match.start, match.end)
    return replace(match, speaker=speaker, speaker_sentence=sentence) if speaker else match
