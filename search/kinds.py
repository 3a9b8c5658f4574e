"""What a block is on the page (`Kind`) and how much each kind counts (`KIND_WEIGHT`).

Apart from `layout.py`, which decides the kinds when indexing, so that a search (which only
reads them) does not import the layout rules and their regular expressions.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a block is on the page; numbered kinds carry a ¶ number."""

    TITLE = "title"
    BYLINE = "byline"
    HEADING = "heading"
    BODY = "body"
    BLOCKQUOTE = "blockquote"
    LIST_ITEM = "list_item"
    CAPTION = "caption"
    FOOTNOTE = "footnote"
    BOILERPLATE = "boilerplate"
    PREFORMATTED = "preformatted"  # a <pre> block or code listing, printed as laid out

    @property
    def numbered(self) -> bool:
        """True for the kinds a reader counts as paragraphs."""
        return self in (Kind.BODY, Kind.BLOCKQUOTE, Kind.LIST_ITEM)


# How much a block of each kind counts: ranking scales BM25 by it (site furniture must not
# crowd out text) and a quotation's sources of equal verdict and similarity are listed by it.
KIND_WEIGHT = {
    Kind.BODY: 1.0, Kind.BLOCKQUOTE: 1.0, Kind.LIST_ITEM: 0.9, Kind.HEADING: 0.35,
    Kind.TITLE: 0.8, Kind.CAPTION: 0.6, Kind.FOOTNOTE: 0.5, Kind.BYLINE: 0.3,
    Kind.BOILERPLATE: 0.2, Kind.PREFORMATTED: 0.7,
}
