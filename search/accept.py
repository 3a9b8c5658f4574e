"""The writer's accepted differences: quotations `check` lets pass as they stand.

A draft may quote on purpose in a way the checker flags: a translation of its own, a wording
taken from another edition, a source outside the index. Listing such a quotation in an
accepted-differences file (`.seedsearch-accept`, one quotation a line, `#` comments) lets
`seedsearch check` pass it, so the check can gate a writer's CI: any new misquote, or an
accepted one whose wording changes, still fails. Entries are keyed by the quotation's words
(case, quote marks, dashes and spacing do not matter), not by line, so editing the draft
around a quotation does not lose its entry.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError
from .typography import normalise

ACCEPT_FILE = ".seedsearch-accept"
HEADER = ("# Quotations `seedsearch check` accepts as they stand, one a line (the quoted "
          "words only).\n# A new misquote, or a change to one of these, still fails.\n")


def accept_key(quotation: str) -> str:
    """Return the key a quotation is accepted by: its words, case and typography folded.

    >>> accept_key("Stalin is  too “rude”") == accept_key('stalin is too "rude"')
    True
    """
    folded = normalise(quotation).casefold().replace("…", "...")
    return " ".join(re.findall(r"\w+(?:'\w+)*|\.\.\.|[\[\]]", folded))


def read_accepted(path: str | Path) -> frozenset[str]:
    """Return the keys of the quotations listed in an accepted-differences file."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"Cannot read the accepted-differences file {path}: "
                         f"{exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text ({exc.reason}).") from exc
    return frozenset(accept_key(line) for line in lines
                     if line.strip() and not line.lstrip().startswith("#"))


def accept_entries(quotations: list[tuple[str, str]]) -> str:
    """Return file lines accepting quotations, each (text, why) with a `# why` comment above."""
    return "".join(f"# {why}\n{' '.join(text.split())}\n" for text, why in quotations)
