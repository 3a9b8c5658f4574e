"""Block document numbers decoded by `itertools.accumulate` are Whoosh's own."""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3LeafMatcher

import search
from search.engine import blockids


def every_posting_list(index_dir) -> dict:
    """Every term's document numbers in every segment, read through the leaf matchers."""
    with search.open(index_dir) as library:
        searcher = library.store._searcher
        found = {}
        for number, (reader, _) in enumerate(searcher.reader().leaf_readers()):
            for fieldname, text in reader.all_terms():
                if not reader.schema[fieldname].format:  # stored-only fields have no postings
                    continue
                found[number, fieldname, text] = list(reader.postings(fieldname, text).all_ids())
        return found


def test_accumulated_ids_are_whooshs_ids_for_every_term_of_the_seeds(seed_index):
    assert W3LeafMatcher._read_ids is blockids.read_ids or not blockids.FITS
    ours = every_posting_list(seed_index)
    with blockids.whoosh_own():
        assert W3LeafMatcher._read_ids is blockids.WHOOSH_READ_IDS
        theirs = every_posting_list(seed_index)
    assert W3LeafMatcher._read_ids is blockids.read_ids or not blockids.FITS
    assert ours == theirs
    longest = max(len(ids) for ids in ours.values())
    assert longest > 3 * 128  # lists of several posting blocks were compared, not only one
