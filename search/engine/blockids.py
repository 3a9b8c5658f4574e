"""Posting-block document numbers decoded in C, not by a Python generator.

Whoosh stores a posting block's document numbers as deltas and decodes them with
`whoosh.util.numlists.delta_decode`, a Python generator: one resumed frame per posting, on
every block any query, skip or quotation probe reads. On a 10 MB index it was a quarter of a
plain query's profile. `itertools.accumulate` over the same deltas gives the same numbers
(running sums of ints) in C. `install` puts that decoding in `W3LeafMatcher._read_ids`,
the one method that decodes them; `tests/test_blockids.py` reads every posting list of an
index both ways and compares.

Whoosh internals touched (written against Whoosh 2.7.4): `W3LeafMatcher._read_ids`,
`_read_data`, `_data`, `_byteids` and `_ids`. On another Whoosh version nothing is replaced.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate

import whoosh
from whoosh.codec.whoosh3 import W3LeafMatcher

FITS = whoosh.__version__[:2] == (2, 7)
WHOOSH_READ_IDS = W3LeafMatcher._read_ids


def read_ids(self: W3LeafMatcher) -> None:
    """W3LeafMatcher._read_ids with the deltas summed by `itertools.accumulate`."""
    if self._data is None:
        self._read_data()
    ids = self._data[0]
    self._ids = ids if self._byteids else tuple(accumulate(ids))


def install() -> None:
    """Decode block document numbers with `read_ids` (where this Whoosh version fits)."""
    if FITS:
        W3LeafMatcher._read_ids = read_ids


@contextmanager
def whoosh_own() -> Iterator[None]:
    """Decode with Whoosh's own generator inside the block (the tests compare the two; the
    benchmarks time plain Whoosh as it comes)."""
    current = W3LeafMatcher._read_ids
    W3LeafMatcher._read_ids = WHOOSH_READ_IDS
    try:
        yield
    finally:
        W3LeafMatcher._read_ids = current
