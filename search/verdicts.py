"""What checking a quotation returns: the verdict, and each source with its evidence.

`Verdict` names how a quotation relates to its source; `Match` is one place it comes from
(or the closest place, for not_found); `Verification` is the verdict with every source.
"""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum
from typing import TYPE_CHECKING

from . import align as aligner
from . import stitching
from .catalog import ArticleMeta
from .frozen import frozen_dataclass

if TYPE_CHECKING:
    from .cite import Citation


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


@frozen_dataclass
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
    block_order: int = field(default=0, compare=False)  # the span's first block in the article

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


@frozen_dataclass
class Verification:
    """The verdict on one quotation and every source found for it."""

    quote: str
    verdict: Verdict
    matches: tuple[Match, ...]
    closest: Match | None = None
    warnings: tuple[str, ...] = ()
    by: str = ""
    attributed_to_by: bool | None = None  # does the corpus attribute the words to `by`?
    more_sources: int = 0  # further verbatim occurrences, not listed (see `verify`)
    more_sources_estimated: bool = False  # counted from a sample of them, not each aligned

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
                "attributed_to_by": self.attributed_to_by, "more_sources": self.more_sources,
                "more_sources_estimated": self.more_sources_estimated}


def more_sources_line(count: int, estimated: bool = False) -> str:
    """Return the line that says how many verbatim occurrences were counted but not listed.

    >>> more_sources_line(417, estimated=True), more_sources_line(1)
    ('and about 417 more verbatim occurrences', 'and 1 more verbatim occurrence')
    """
    about = "about " if estimated else ""
    return f"and {about}{count} more verbatim occurrence{'' if count == 1 else 's'}"
