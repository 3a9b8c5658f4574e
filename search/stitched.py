"""A quotation without an ellipsis whose words stand verbatim in two places, as one Match:
words dropped from the middle of a sentence, or two passages glued together."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import align as aligner
from . import stitching, truncation
from .matching import Candidate, Context, line_of, match_at, places
from .quotation import Quotation, Token
from .verdicts import Match, Verdict

if TYPE_CHECKING:
    from .engine.store import StoredBlock


def stitched(context: Context, quote: Quotation, candidates: list[Candidate]) -> Match | None:
    """A quotation without an ellipsis whose words stand verbatim in two places: the middle of
    one sentence dropped (a deletion), or two places joined (each part with its location)."""
    if quote.segments > 1:
        return None
    windows = [(doc_id, run, context.tokens(doc_id, run))
               for doc_id, run in places(context, candidates, 0)]
    words = [token for token in quote.tokens if not token.bracketed]
    found = stitching.split([t.key for t in words],
                            [[t.key for t in tokens] for _, _, tokens in windows])
    if found is None:
        return None
    one_id, one_run, one = windows[found[0].window]
    starts = {block.start for block in one_run}
    glued = found[1].quote_first > found[0].quote_last + 1
    one_sentence = found[0].window == found[1].window and found[1].first > found[0].last \
        and truncation.sentence_start(one, found[1].first, starts) <= found[0].first
    if one_sentence and glued:
        return None  # words replaced inside one sentence: the alignment's variant says so
    if one_sentence:
        alignment = aligner.Alignment(found[0].first, found[1].last, matched=len(words),
                                      in_runs=len(words))
        match = match_at(context, quote, one_id, context.sources.text(one_id), one, alignment,
                         one_run)
        dropped = context.sources.text(one_id)[one[found[0].last + 1].start:
                                               one[found[1].first - 1].end]
        return replace(match, verdict=Verdict.VARIANT, differences=(
            aligner.Difference("delete", dropped, ""), *match.differences), warnings=(
            f"words dropped from the middle of the sentence without an ellipsis: “{dropped}”",
            *match.warnings))
    parts = [_part(context, doc_id, run, tokens, placement, words)
             for (doc_id, run, tokens), placement in ((windows[f.window], f) for f in found)]
    alignment = aligner.Alignment(found[0].first, found[0].last, matched=len(words))
    match = match_at(context, quote, one_id, context.sources.text(one_id), one, alignment,
                     one_run)
    glue = " ".join(t.text for t in words[found[0].quote_last + 1:found[1].quote_first])
    return replace(match, verdict=Verdict.VARIANT, parts=tuple(parts),
                   differences=(aligner.Difference("insert", "", glue),) if glue else (),
                   warnings=(stitching.stitch_warning(*parts), *match.warnings))


def _part(context: Context, doc_id: str, run: list[StoredBlock], tokens: list[Token],
          placement: stitching.Placement, words: list[Token]) -> stitching.Part:
    text = context.sources.text(doc_id)
    start, end = tokens[placement.first].start, tokens[placement.last].end
    block = next((b for b in run if b.end > start), None)
    quoted = " ".join(t.text for t in words[placement.quote_first:placement.quote_last + 1])
    return stitching.Part(doc_id, Path(context.sources.articles[doc_id].path).name, quoted,
                          text[start:end],
                          start, end, line_of(text, start), line_of(text, end - 1),
                          block.paragraph if block else None)
