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


def test_a_multi_segment_reader_reads_its_segments_in_docnum_order(tmp_path, seed_copy):
    import shutil

    articles = sorted(seed_copy.glob("*.txt"))
    first = tmp_path / "first"
    first.mkdir()
    shutil.move(str(articles[0]), first / articles[0].name)
    search.build([seed_copy], tmp_path / "index")
    search.build([seed_copy, first], tmp_path / "index")  # a second segment
    with search.open(tmp_path / "index") as library:
        reader = library.store._searcher.reader()
        assert len(getattr(reader, "readers", [])) > 1
        weights = reader.column_reader("weight")
        assert perdoc.kind_weights(reader) == bytes(weights[docnum] or 100
                                                    for docnum in range(reader.doc_count_all()))
        lengths = perdoc.field_lengths(reader, "content")
        assert all(perdoc.LENGTH_OF_BYTE[lengths[docnum]]
                   == (reader.doc_field_length(docnum, "content") or 1)
                   for docnum in range(reader.doc_count_all()))
