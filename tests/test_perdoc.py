"""The per-segment arrays of field lengths and kind weights say what Whoosh's own readers say."""

from __future__ import annotations

import search
from search.engine import perdoc


def segment_readers(library):
    reader = library.store._searcher.reader()
    return getattr(reader, "readers", [reader])


def test_lengths_and_kind_weights_equal_whooshs_own_per_document_reads(seed_index):
    with search.open(seed_index) as library:
        for reader in segment_readers(library):
            weights = reader.column_reader("weight")
            kinds = perdoc.kind_weights(reader)
            assert len(kinds) == reader.doc_count_all()
            assert all(kinds[docnum] == (weights[docnum] or 100)
                       for docnum in range(reader.doc_count_all()))
            for fieldname in ("content", "section"):
                lengths = perdoc.field_lengths(reader, fieldname)
                assert all(perdoc.LENGTH_OF_BYTE[lengths[docnum]]
                           == (reader.doc_field_length(docnum, fieldname) or 1)
                           for docnum in range(reader.doc_count_all()))


class PublicReader:
    """A reader with only the public calls (no whoosh3 column internals)."""

    def __init__(self, reader) -> None:
        self.doc_count_all = reader.doc_count_all
        self.doc_field_length = reader.doc_field_length


def test_the_public_way_reads_the_same_lengths(seed_index):
    with search.open(seed_index) as library:
        reader = segment_readers(library)[0]
        assert perdoc._field_lengths(PublicReader(reader), "content") == \
            perdoc._field_lengths(reader, "content")
