"""Links that land on a passage of a web page: its element's id, else a text fragment.

A text fragment (`#:~:text=start,end`, the WICG Text Fragments syntax that Chromium, Edge,
Safari and Firefox follow) makes the browser scroll to and highlight the first run of text
from `start` to `end`. It is built from the passage's own words, so it needs nothing from
the page but what was indexed.
"""

from __future__ import annotations

from urllib.parse import quote

FRAGMENT_WORDS = 4  # words at each end of a long passage; short ones are given whole


def passage_link(url: str, anchor: str, words: str) -> str:
    """Return a link to a passage of the page at url ("" when the page has no URL).

    >>> passage_link("https://x.org/a#top", "p12", "any words")
    'https://x.org/a#p12'
    >>> words = "The workers' state, born in 1917 - and lost by 1927 to the bureaucracy"
    >>> passage_link("https://x.org/a", "", words)
    "https://x.org/a#:~:text=The%20workers'%20state%2C%20born,1927%20to%20the%20bureaucracy"
    """
    if not url.startswith(("http://", "https://")):
        return ""
    page = url.split("#", 1)[0]
    if anchor:
        return f"{page}#{quote(anchor, safe='')}"
    fragment = text_fragment(words)
    return f"{page}#:~:text={fragment}" if fragment else page


def text_fragment(words: str) -> str:
    """Return the `text=` directive's value for a passage: whole, or its first and last words.

    >>> text_fragment("a - b, c")
    'a%20%2D%20b%2C%20c'
    """
    parts = words.split()
    if len(parts) <= 2 * FRAGMENT_WORDS:
        return _encoded(" ".join(parts))
    return f"{_encoded(' '.join(parts[:FRAGMENT_WORDS]))},{_encoded(' '.join(parts[-FRAGMENT_WORDS:]))}"


def _encoded(text: str) -> str:
    # '-', ',' and '&' delimit a text directive's parts: the spec has them percent-encoded.
    return quote(text, safe="'").replace("-", "%2D")
