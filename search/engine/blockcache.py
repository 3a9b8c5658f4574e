"""Posting blocks decoded once per search, however many of its stages read them.

A search reads some posting blocks twice or more: a rare query word's blocks in the first
stage (read whole) and again where the proximity bonus looks for its positions, a short form's
blocks when the acronym bridge and then the first stage read it. Decoding a block (inflating
it, unpickling its docnums, weights and positions) costs some 15 µs; on the dictionaries a
plain query decoded 10 to 20 blocks a second time. Inside `shared()` each decoded block is
kept, by its postings file and offset, until the search ends: the same tuple Whoosh would
decode again (`_data` is never changed in place, its readers make new sequences from it).
Nothing is kept between searches.

Whoosh internals touched (written against Whoosh 2.7.4): `W3LeafMatcher._read_data`,
`_postfile`, `_dataoffset` and `_data`. On another Whoosh version nothing is replaced.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import whoosh
from whoosh.codec.whoosh3 import W3LeafMatcher

FITS = whoosh.__version__[:2] == (2, 7)
WHOOSH_READ_DATA = W3LeafMatcher._read_data
MOST = 4096  # blocks kept in one search (a few MB: a phrase of common words reads thousands)

_KEPT: ContextVar[dict | None] = ContextVar("seedsearch_blocks", default=None)


def read_data(self: W3LeafMatcher) -> None:
    """W3LeafMatcher._read_data, decoding a block only the first time a search reads it."""
    kept = _KEPT.get()
    if kept is None:
        WHOOSH_READ_DATA(self)
        return
    key = (id(self._postfile), self._dataoffset)
    data = kept.get(key)
    if data is None:
        WHOOSH_READ_DATA(self)
        if len(kept) < MOST:
            kept[key] = self._data
    else:
        self._data = data


@contextmanager
def shared() -> Iterator[None]:
    """Keep the blocks decoded inside it for the rest of it (one search: its postings files
    stay open throughout, so a file's id names it)."""
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)


def install() -> None:
    """Read posting blocks through `read_data` (where this Whoosh version fits)."""
    if FITS:
        W3LeafMatcher._read_data = read_data
