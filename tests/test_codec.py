"""Posting blocks stored uncompressed (the small ones, `codec.STORE_BELOW`) read back, through
Whoosh's own matchers, as exactly the postings of an index whose blocks are all compressed."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3LeafMatcher

import search
from search.engine import blockids, codec, postings


def read_everything(index_dir: Path) -> tuple[dict, dict[int, int]]:
    """Every term's statistics and postings (docnum, weight, value) and block headers, read
    by Whoosh's matchers; and how many blocks each compression level has."""
    terms = {}
    levels: dict[int, int] = {}
    with blockids.whoosh_own(), whoosh_index.open_dir(str(index_dir)).reader() as reader:
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            matcher = reader.postings(fieldname, text)
            read = []
            while matcher.is_active():
                read.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            blocks = []
            leaf = postings.leaf(reader.postings(fieldname, text))
            if type(leaf) is W3LeafMatcher:
                while leaf.is_active():
                    levels[leaf._compression] = levels.get(leaf._compression, 0) + 1
                    blocks.append((leaf.block_min_id(), leaf.block_max_id(),
                                   leaf.block_max_weight(), leaf.block_min_length(),
                                   leaf.block_max_length()))
                    leaf._next_block()
            terms[(fieldname, text)] = (info.weight(), info.doc_frequency(), info.min_length(),
                                        info.max_length(), info.max_weight(), read, blocks)
    return terms, levels


def test_small_blocks_stored_as_they_are_read_as_the_compressed_ones(seeds_dir, tmp_path,
                                                                     monkeypatch):
    search.build([seeds_dir], tmp_path / "stored", vectors=False)
    monkeypatch.setattr(codec, "STORE_BELOW", 0)
    search.build([seeds_dir], tmp_path / "compressed", vectors=False)
    stored, stored_levels = read_everything(tmp_path / "stored")
    compressed, compressed_levels = read_everything(tmp_path / "compressed")
    assert stored == compressed
    assert stored_levels.get(0, 0) > 1000 and set(compressed_levels) == {3}
    assert sum(stored_levels.values()) == sum(compressed_levels.values())


def test_a_plain_whoosh_search_finds_the_same_in_either(seeds_dir, tmp_path, monkeypatch):
    from whoosh.qparser import QueryParser

    search.build([seeds_dir], tmp_path / "stored", vectors=False)
    monkeypatch.setattr(codec, "STORE_BELOW", 0)
    search.build([seeds_dir], tmp_path / "compressed", vectors=False)
    found = []
    for name in ("stored", "compressed"):
        with blockids.whoosh_own(), whoosh_index.open_dir(str(tmp_path / name)).searcher() as s:
            parser = QueryParser("content", s.schema)
            found.append([[(hit.docnum, hit.score) for hit in s.search(parser.parse(words),
                                                                          limit=50)]
                          for words in ("kronstadt uprising", '"left opposition"', "the",
                                        "trotsky OR lenin")])
    assert found[0] == found[1] and all(found[0])


def segment_files(index_dir: Path) -> dict[tuple[int, str], bytes]:
    """Every file inside each segment, by segment number and name without the segment id."""
    files = {}
    ix = whoosh_index.open_dir(str(index_dir))
    for number, segment in enumerate(ix._segments()):
        compound = segment.open_compound_file(ix.storage)
        for name in compound.list():
            with compound.open_file(name) as file:
                files[(number, name.split(".", 1)[1])] = file.read()
        compound.close()
    return files


def built_both_ways(corpus: Path, tmp_path: Path, monkeypatch, switch: str
                    ) -> tuple[dict, dict]:
    """The segment files of a build into tmp_path/whole, then of one into tmp_path/other
    with `segments.<switch>` turned off."""
    from search.engine import segments

    search.build([corpus], tmp_path / "whole", vectors=False)
    monkeypatch.setattr(segments, switch, False)
    search.build([corpus], tmp_path / "other", vectors=False)
    return segment_files(tmp_path / "whole"), segment_files(tmp_path / "other")


def test_terms_written_whole_are_the_bytes_of_terms_written_block_by_block(
        seeds_dir, tmp_path, monkeypatch):
    whole, blocks = built_both_ways(seeds_dir, tmp_path, monkeypatch, "WRITE_TERMS_WHOLE")
    assert whole == blocks
    assert len(whole[(0, "pst")]) > 100_000


def test_a_term_of_many_blocks_written_whole_is_written_as_block_by_block(tmp_path,
                                                                          monkeypatch):
    """Terms of 1 to 400 postings (up to four blocks, the last one full or not), with
    repeated and single positions, and documents without a length."""
    rng = random.Random(7)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(60):
        paragraphs = [" ".join(f"w{rng.randrange(number % 7 + 1)}" if rng.random() < 0.5
                               else f"x{rng.randrange(400)}" for _ in range(rng.randrange(1, 30)))
                      for _ in range(rng.randrange(2, 12))]
        (corpus / f"g{number:03d}.md").write_text(f"# Title {number}\n\n" + "\n\n".join(
            paragraphs) + "\n", encoding="utf-8")
    whole, blocks = built_both_ways(corpus, tmp_path, monkeypatch, "WRITE_TERMS_WHOLE")
    assert whole == blocks
    terms, _ = read_everything(tmp_path / "whole")
    assert max(len(blocks) for *_, blocks in terms.values()) >= 3


def field_lengths(index_dir: Path) -> list[list[tuple[str, int]]]:
    """Each segment's field length totals, in the order its table of contents keeps them."""
    return [list(segment._fieldlengths.items())
            for segment in whoosh_index.open_dir(str(index_dir))._segments()]


@pytest.mark.parametrize("processes", [1, 2])
def test_length_columns_written_whole_are_the_ones_written_a_document_at_a_time(
        seeds_dir, tmp_path, monkeypatch, processes):
    import search.engine.workers

    if processes == 2:
        monkeypatch.setattr(search.engine.workers, "PARALLEL_BYTES", 1)
    whole, each = built_both_ways(seeds_dir, tmp_path, monkeypatch, "DEFER_LENGTHS")
    assert whole == each
    assert len(whole[(0, "_content_len.col")]) > 200
    assert field_lengths(tmp_path / "whole") == field_lengths(tmp_path / "other")
    assert len(field_lengths(tmp_path / "whole")) == processes


def test_length_columns_kept_back_are_written_before_a_merged_segment_s(tmp_path,
                                                                       monkeypatch):
    """A commit that merges an older segment into the new one (Whoosh's own add_reader)
    writes the same lengths either way."""
    import sys

    from search.engine import segments

    sys.path.insert(0, str(Path(__file__).parent))
    from test_topk import write_generated_corpus

    merged: list[int] = []
    add_reader = segments.FastSegmentWriter.add_reader
    monkeypatch.setattr(segments.FastSegmentWriter, "add_reader",
                        lambda writer, reader: merged.append(1) or add_reader(writer, reader))
    indexes = {}
    for defer in (True, False):
        monkeypatch.setattr(segments, "DEFER_LENGTHS", defer)
        rng = random.Random(3)
        corpus = tmp_path / "corpus"  # one path: documents store it
        shutil.rmtree(corpus, ignore_errors=True)
        write_generated_corpus(corpus / "first", rng, 20)
        search.build([corpus], tmp_path / f"index{defer}", vectors=False)
        write_generated_corpus(corpus / "second", rng, 5)
        for number in range(0, 20, 4):  # a quarter of the first segment deleted: rewritten
            path = corpus / "first" / f"g{number:03d}.md"
            path.write_text(path.read_text(encoding="utf-8") + "\nW1 w2.\n", encoding="utf-8")
        merged.clear()
        search.build([corpus], tmp_path / f"index{defer}", vectors=False)
        assert merged
        indexes[defer] = tmp_path / f"index{defer}"
    assert segment_files(indexes[True]) == segment_files(indexes[False])
    assert field_lengths(indexes[True]) == field_lengths(indexes[False])
    assert read_everything(indexes[True]) == read_everything(indexes[False])


# --- deflate: zlib's stream in the smallest window that holds the data ------------------------


def seed_samples(count: int) -> list[bytes]:
    """Pieces of the seed articles, 1 byte to 40 kB, as text and as pickled records."""
    import pickle

    texts = [path.read_bytes() for path in sorted(Path(search.__file__).parent.parent.glob("seeds/*.txt"))]
    rng = random.Random(7)
    samples = []
    for number in range(count):
        text = rng.choice(texts)
        size = rng.choice([1, 50, 200, 700, 1500, 3000, 3900, 4000, 8000, 20000, 40000])
        start = rng.randrange(max(1, len(text) - size))
        piece = text[start:start + size]
        samples.append(piece if number % 2 else pickle.dumps({"text": piece, "order": number}, 4))
    return samples


@pytest.mark.parametrize("level", [1, 3, 6, 9])
def test_deflate_writes_zlib_s_own_stream_which_inflates_to_the_data(level):
    import zlib

    for data in seed_samples(300):
        deflated = codec.deflate(data, level)
        assert deflated[2:] == zlib.compress(data, level)[2:]  # all but the window in the header
        assert zlib.decompress(deflated) == data


def test_the_fast_writer_deflates_stored_records_in_a_small_window(seeds_dir, tmp_path):
    import pickle
    import zlib

    from whoosh.codec.whoosh3 import STORED_COLUMN
    from whoosh.columns import VarBytesColumn

    search.build([seeds_dir], tmp_path / "index", vectors=False)
    with whoosh_index.open_dir(str(tmp_path / "index")).reader() as reader:
        pickled = reader._perdoc._cached_reader("_stored", STORED_COLUMN)._child  # still deflated
        raw = [VarBytesColumn.Reader.__getitem__(pickled, docnum) for docnum in reader.all_doc_ids()]
        records = [reader.stored_fields(docnum) for docnum in reader.all_doc_ids()]
    assert len(raw) > 400  # the seeds: 456 records
    windows = {8 + (data[0] >> 4) for data in raw}  # the header's window size, log2
    assert max(windows) < 15  # no record of the seeds needs zlib's default window
    assert [pickle.loads(zlib.decompress(data)) for data in raw] == records


def test_a_positioned_file_knows_its_position_as_the_file_would_tell_it(tmp_path):
    from array import array

    from whoosh.filedb.filestore import FileStorage

    storage = FileStorage(str(tmp_path))
    written = codec.PositionedFile(storage.create_file("x"))
    written.write(b"head")
    assert written.tell() == 4
    written.write_int(7)
    written.write_array(array("H", [1, 2, 3]))
    written.write_pickle({"extras": [1, 2]})
    written.write(memoryview(array("I", [5, 6])))
    assert written.tell() == written.file.tell()
    written.seek(2)
    assert written.tell() == 2
    written.seek(0, 2)
    written.write_byte(1)
    assert written.tell() == written.file.tell()
    written.close()
    plain = storage.create_file("y")
    plain.write(b"head")
    plain.write_int(7)
    plain.write_array(array("H", [1, 2, 3]))
    plain.write_pickle({"extras": [1, 2]})
    plain.write(memoryview(array("I", [5, 6])))
    plain.write_byte(1)
    plain.close()
    assert (tmp_path / "x").read_bytes() == (tmp_path / "y").read_bytes()
