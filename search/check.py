"""Checking a whole draft: find its quotations, verify each, and sum up.

`Library.check(path)` and `seedsearch check DRAFT` both end here, so a writer's script and
the command line see the same report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .manuscript import ManuscriptQuote, SkippedQuote, read_manuscript
from .quotation import TokenWindows
from .verify import Sources, Verdict, Verification, verify


@dataclass(frozen=True)
class CheckedQuote:
    """One quotation of a draft, where it stands there, and its verdict."""

    quote: ManuscriptQuote
    verification: Verification
    unit: str = "line"  # "paragraph" in a Word draft, where `line` counts paragraphs

    @property
    def place(self) -> str:
        """Where the quotation stands in the draft: "line 12" or "paragraph 12"."""
        return f"{self.unit} {self.quote.line}"

    def to_dict(self, style: str = "plain") -> dict:
        """Return the quotation as one entry of `check --json`."""
        return {"line": self.quote.line, "line_end": self.quote.line_end, "place": self.place,
                "column": self.quote.column, "kind": self.quote.kind,
                "attributed_to": self.quote.attributed_to or None,
                **self.verification.to_dict(style)}


@dataclass(frozen=True)
class CheckReport:
    """Every quotation of a draft with its verdict, the short ones skipped, and the counts."""

    manuscript: str
    quotations: tuple[CheckedQuote, ...]
    skipped: tuple[SkippedQuote, ...]

    @property
    def summary(self) -> dict[str, int]:
        """Counts: quotations, verified, not verified, skipped, and one per verdict."""
        counts = {verdict.value: 0 for verdict in Verdict}
        for checked in self.quotations:
            counts[checked.verification.verdict.value] += 1
        verified = counts["exact"] + counts["edited"]
        return {"quotations": len(self.quotations), "verified": verified,
                "not_verified": len(self.quotations) - verified,
                "skipped": len(self.skipped), **counts}

    @property
    def verified(self) -> bool:
        """True when every quotation found is exact or properly edited."""
        return all(checked.verification.verified for checked in self.quotations)

    def to_dict(self, style: str = "plain") -> dict:
        """Return the report as the `check --json` object."""
        return {"manuscript": self.manuscript,
                "quotations": [checked.to_dict(style) for checked in self.quotations],
                "skipped": [{"line": s.line, "quote": s.text, "reason": s.reason}
                            for s in self.skipped],
                "summary": self.summary}


def check_draft(sources: Sources, path: str | Path,
                windows: TokenWindows | None = None) -> CheckReport:
    """Return the report on every quotation found in the draft at path."""
    draft = read_manuscript(Path(path))
    windows = windows or TokenWindows(sources.text)
    checked = tuple(CheckedQuote(quote, verify(sources, quote.text, windows=windows), draft.unit)
                    for quote in draft.quotations)
    return CheckReport(str(path), checked, draft.skipped)
