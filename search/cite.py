"""Citations a writer can paste: plain, APA 7, MLA 9 and Chicago 17 with paragraph pinpoints.

`cite(meta, pinpoint, style)` gives the in-text (or note) form with the pinpoint the style itself
prescribes for web articles without pages, the reference-list entry, and an exact locator
("¶21, seeds/000_….txt:60-60") whatever the style prints, so the passage can be found again.
Italics are Markdown `*…*` (`Citation.to_dict` strips them). A field a style wants but the
catalog lacks never fails: the citation says so in `warnings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

from .catalog import ArticleMeta
from .citestyles import FORMATTERS, invert_name, italic, unmark
from .errors import InputError
from .frozen import frozen_dataclass
from .pinpoint import NumberedBlock, Pinpoint, pinpoint_at

__all__ = ["STYLES", "Citation", "NumberedBlock", "Pinpoint", "cite", "invert_name", "italic",
           "pinpoint_at", "reference_list", "unmark"]

STYLES = ("plain", "apa", "mla", "chicago")


@frozen_dataclass
class Citation:
    """One passage cited in one style, with the locator that finds it again."""

    style: str
    in_text: str  # APA/MLA parenthetical, Chicago full note, plain one-liner
    short_note: str  # Chicago short note; "" for the other styles
    reference: str  # reference-list / works-cited / bibliography entry
    locator: str  # always "¶12, path:40-40" (the path alone when citing the whole article)
    warnings: tuple[str, ...]
    doc_id: str = ""
    pinpoint: Pinpoint | None = None

    def place(self) -> dict:
        """The cited passage's page range and link (None where the source has none), as
        every hit and match gives them in JSON."""
        pinpoint = self.pinpoint
        if pinpoint is None:
            return {"page_start": None, "page_end": None, "link": None}
        return {"page_start": pinpoint.page_start or None,
                "page_end": pinpoint.page_end or None, "link": pinpoint.link or None}

    def to_dict(self) -> dict:
        """Return the citation as JSON-ready data, its strings without Markdown italics (kept
        under "markdown", which is where a page or a word processor finds the italics)."""
        data = asdict(self)
        data["markdown"] = {name: data[name] for name in ("in_text", "short_note", "reference")}
        for name in ("in_text", "short_note", "reference"):
            data[name] = unmark(data[name])
        data["warnings"] = list(self.warnings)
        return data



def cite(meta: ArticleMeta, pinpoint: Pinpoint | None, style: str = "plain") -> Citation:
    """Return the citation of a passage (or, without a pinpoint, the article) in a style.

    >>> meta = ArticleMeta("000", "seeds/000.txt", "The struggle against Stalinism",
    ...                    authors=("Robert Narai",), publication="Red Flag", date="2022-08-31")
    >>> passage = Pinpoint(21, "", "seeds/000.txt", 60, 60)
    >>> cite(meta, passage, "apa").in_text
    '(Narai, 2022, para. 21)'
    >>> print(cite(meta, passage, "chicago").reference)
    Narai, Robert. "The Struggle against Stalinism." *Red Flag*, August 31, 2022.
    >>> print(cite(meta, passage).in_text)
    Robert Narai, "The struggle against Stalinism", *Red Flag*, 2022-08-31, ¶21, seeds/000.txt:60-60
    """
    if style not in STYLES:
        raise InputError(f"Unknown citation style {style!r}; use one of: {', '.join(STYLES)}.")
    in_text, short_note, reference, warnings = FORMATTERS[style](meta, pinpoint)
    if meta.source == "inferred":
        warnings = (f"{meta.doc_id} has no catalog entry: its title, author and date were "
                    "read from the text; check them",) + warnings
    locator = pinpoint.locator if pinpoint else meta.path
    return Citation(style, in_text, short_note, reference, locator, warnings, meta.doc_id,
                    pinpoint)


def reference_list(metas: Iterable[ArticleMeta], style: str) -> list[str]:
    """Return the articles' reference-list entries in a style, alphabetised, duplicates dropped.

    >>> reference_list([ArticleMeta("b", "b.txt", "Zeta", authors=("Bo Lee",)),
    ...                 ArticleMeta("a", "a.txt", "Alpha", authors=("Ann Adams",))], "apa")
    ['Adams, A. (n.d.). *Alpha*.', 'Lee, B. (n.d.). *Zeta*.']
    """
    entries = dict.fromkeys(cite(meta, None, style).reference for meta in metas)
    return sorted(entries, key=lambda entry: unmark(entry).casefold())
