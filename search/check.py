"""Checking a whole draft: find its quotations, verify each, and sum up.

`Library.check(path)` and `seedsearch check DRAFT` both end here, so a writer's script and
the command line see the same report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .credits import DraftCitation, citation_after, credit_warnings
from .manuscript import ManuscriptQuote, SkippedQuote, read_manuscript
from .quotation import TokenWindows
from .verify import Sources, Verdict, Verification, verify


@dataclass(frozen=True)
class CheckedQuote:
    """One quotation of a draft, where it stands there, and its verdict."""

    quote: ManuscriptQuote
    verification: Verification  # its first match carries the credit warnings below
    cited: DraftCitation | None = None  # the draft's own citation of it
    credit: tuple[str, ...] = ()  # misattributed / wrong pinpoint warnings
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

    def to_dict(self, style: str = "plain") -> dict:
        """Return the quotation as one entry of `check --json`."""
        return {"line": self.quote.line, "line_end": self.quote.line_end, "place": self.place,
                "column": self.quote.column, "kind": self.quote.kind,
                "attributed_to": self.quote.attributed_to or None,
                "cited": self.cited.to_dict() if self.cited else None,
                "misattributed": self.misattributed, "wrong_pinpoint": self.wrong_pinpoint,
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
                "skipped": len(self.skipped), **counts,
                "misattributed": sum(c.misattributed for c in self.quotations),
                "wrong_pinpoint": sum(c.wrong_pinpoint for c in self.quotations)}

    @property
    def verified(self) -> bool:
        """True when every quotation found is exact or properly edited, and credited right."""
        return all(checked.verification.verified and not checked.credit
                   for checked in self.quotations)

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
    checked = tuple(_checked(quote, verify(sources, quote.text, windows=windows), draft.text,
                             draft.unit)
                    for quote in draft.quotations)
    return CheckReport(str(path), checked, draft.skipped)


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
    return CheckedQuote(quote, verification, cited, credit, unit)
