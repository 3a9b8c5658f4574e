"""The last stage of a check: passages that say what the quotation says in other words.

Sentence embeddings and a fact check (`paraphrase`) over the candidate blocks; when none
paraphrases, the closest passage, with the facts it does not share as warnings.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from . import paraphrase
from .matching import Candidate, Context
from .quotation import Quotation
from .verdicts import Match, Verdict

if TYPE_CHECKING:
    from .engine.store import StoredBlock


def paraphrases(context: Context, quote: Quotation, candidates: list[Candidate]
                ) -> tuple[list[Match], Match | None]:
    """Passages that say what the quotation says (sentence embeddings and a fact check), and
    the closest passage that does not, with the facts it does not share as warnings."""
    content = paraphrase.content_stems(quote)
    if len(content) < 3:
        return [], None
    weight = paraphrase.rarity(*context.sources.frequencies(content))
    blocks = [(doc_id, block) for doc_id, order, _ in candidates[:20]
              for block in context.run(doc_id, order, order) if block.paragraph]
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


def _block_match(context: Context, doc_id: str, block: StoredBlock, score: float) -> Match:
    text = context.sources.text(doc_id)
    return Match(context.sources.articles[doc_id], doc_id, Verdict.PARAPHRASE, score,
                 text[block.start:block.end], block.line_start, block.line_end, block.start,
                 block.end, block.paragraph, block.section, block.kind,
                 (block.paragraph,) if block.paragraph else (), paragraph_text=block.text,
                 section_paragraph=block.section_paragraph, page_start=block.page_start,
                 page_end=block.page_end, anchor=block.anchor, block_order=block.order)
