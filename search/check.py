"""Checking a whole draft: find its quotations, verify each, and sum up.

`Library.check(path)` and `seedsearch check DRAFT` both end here, so a writer's script and
the command line see the same report.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from .accept import accept_key
from .credits import DraftCitation, citation_after, credit_warnings
from .frozen import frozen_dataclass
from .manuscript import Manuscript, ManuscriptQuote, SkippedQuote, find_quotations, read_manuscript
from .quotation import TokenWindows
from .verify import MAX_SOURCES, Sources, Verdict, Verification, check_max_sources, verify


@frozen_dataclass
class CheckedQuote:
    """One quotation of a draft, where it stands there, and its verdict."""

    quote: ManuscriptQuote
    verification: Verification  # its first match carries the credit warnings below
    cited: DraftCitation | None = None  # the draft's own citation of it
    credit: tuple[str, ...] = ()  # misattributed / wrong pinpoint warnings
    accepted: bool = False  # listed in the writer's accepted-differences file
    unit: str = "line"  # "paragraph" in a Word draft, where `line` counts paragraphs

    @property
    def place(self) -> str:
        """Where the quotation stands in the draft: "line 12" or "paragraph 12"."""
        return f"{self.unit} {self.quote.line}"

    @property
    def misattributed(self) -> bool:
        """True when the draft credits the words to someone or something the source does not."""
        return any(warning.startswith("misattributed") for warning in self.credit)

    @property
    def wrong_pinpoint(self) -> bool:
        """True when the draft cites a ¶ the words are not in."""
        return any(warning.startswith("wrong pinpoint") for warning in self.credit)

    @property
    def passes(self) -> bool:
        """True when the quotation is verified and credited right, or accepted as it stands."""
        return (self.verification.verified and not self.credit) or self.accepted

    def to_dict(self, style: str = "plain") -> dict:
        """Return the quotation as one entry of `check --json`."""
        return {"line": self.quote.line, "line_end": self.quote.line_end, "place": self.place,
                "column": self.quote.column, "start": self.quote.start, "end": self.quote.end,
                "kind": self.quote.kind, "attributed_to": self.quote.attributed_to or None,
                "cited": self.cited.to_dict() if self.cited else None,
                "misattributed": self.misattributed, "wrong_pinpoint": self.wrong_pinpoint,
                "accepted": self.accepted, **self.verification.to_dict(style)}


@frozen_dataclass
class CheckReport:
    """Every quotation of a draft with its verdict, the short ones skipped, and the counts."""

    manuscript: str
    quotations: tuple[CheckedQuote, ...]
    skipped: tuple[SkippedQuote, ...]
    text: str = ""  # the draft as read; each quotation's start and end index it

    @property
    def summary(self) -> dict[str, int]:
        """Counts: quotations, verified, not verified, accepted, skipped, one per verdict."""
        counts = {verdict.value: 0 for verdict in Verdict}
        for checked in self.quotations:
            counts[checked.verification.verdict.value] += 1
        verified = counts["exact"] + counts["edited"]
        accepted = sum(1 for c in self.quotations if c.accepted and not c.verification.verified)
        return {"quotations": len(self.quotations), "verified": verified,
                "not_verified": len(self.quotations) - verified, "accepted": accepted,
                "skipped": len(self.skipped), **counts,
                "misattributed": sum(c.misattributed for c in self.quotations),
                "wrong_pinpoint": sum(c.wrong_pinpoint for c in self.quotations)}

    @property
    def verified(self) -> bool:
        """True when every quotation found is exact or properly edited and credited right, or
        accepted as it is."""
        return all(checked.passes for checked in self.quotations)

    def accepting(self, keys: Collection[str]) -> CheckReport:
        """Return the report with the quotations whose `accept_key` is among keys accepted."""
        return replace(self, quotations=tuple(
            replace(checked, accepted=accept_key(checked.quote.text) in keys)
            for checked in self.quotations))

    def cited_articles(self) -> list[str]:
        """Return the doc ids the verified quotations come from (each one's best source)."""
        found = (next((m.doc_id for m in c.verification.matches if m.verdict.verified), "")
                 for c in self.quotations if c.verification.verified)
        return [doc_id for doc_id in dict.fromkeys(found) if doc_id]

    def to_dict(self, style: str = "plain") -> dict:
        """Return the report as the `check --json` object."""
        return {"manuscript": self.manuscript,
                "quotations": [checked.to_dict(style) for checked in self.quotations],
                "skipped": [{"line": s.line, "quote": s.text, "reason": s.reason}
                            for s in self.skipped],
                "summary": self.summary}


def check_draft(sources: Sources, path: str | Path, windows: TokenWindows | None = None,
                max_sources: int = MAX_SOURCES) -> CheckReport:
    """Return the report on every quotation found in the draft at path."""
    check_max_sources(max_sources)
    return _check(sources, read_manuscript(Path(path)), windows, max_sources)


def check_text(sources: Sources, text: str, name: str = "<draft>",
               windows: TokenWindows | None = None,
               max_sources: int = MAX_SOURCES) -> CheckReport:
    """Return the report on every quotation found in a draft given as text (e.g. uploaded)."""
    check_max_sources(max_sources)
    return _check(sources, find_quotations(text, name), windows, max_sources)


def _check(sources: Sources, draft: Manuscript, windows: TokenWindows | None,
           max_sources: int) -> CheckReport:
    windows = windows or TokenWindows(sources.text)
    checked = tuple(_checked(quote, verify(sources, quote.text, windows=windows,
                                           max_sources=max_sources), draft.text, draft.unit)
                    for quote in draft.quotations)
    return CheckReport(draft.path, checked, draft.skipped, draft.text)


def _checked(quote: ManuscriptQuote, verification: Verification, draft: str,
             unit: str = "line") -> CheckedQuote:
    """The quotation with the draft's credit compared with the source's."""
    lines = draft.splitlines()
    around = "\n".join(lines[quote.line - 1:quote.line_end + 1])
    cited = citation_after(around, quote.text, draft)
    credit = tuple(credit_warnings(verification, quote.attributed_to, cited))
    if credit:
        first = verification.matches[0]
        first = replace(first, warnings=(*first.warnings, *credit))
        verification = replace(verification, matches=(first, *verification.matches[1:]),
                               warnings=(*verification.warnings, *credit))
    return CheckedQuote(quote, verification, cited, credit, unit=unit)
