"""Posting blocks stored uncompressed (the small ones, `codec.STORE_BELOW`) or deflated with a
window sized to them (`codec.compress`) read back, through Whoosh's own matchers and stored
fields, as exactly the postings and records of an index written the way Whoosh writes them."""

from __future__ import annotations

import random
import zlib
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


def stored_records(index_dir: Path) -> list[dict]:
    with whoosh_index.open_dir(str(index_dir)).reader() as reader:
        return [dict(reader.stored_fields(docnum)) for docnum in reader.all_doc_ids()]


def build_as_whoosh_compresses(seeds_dir: Path, index_dir: Path, monkeypatch) -> None:
    """Every posting block and record deflated by `zlib.compress` (as Whoosh does)."""
    with monkeypatch.context() as patched:
        patched.setattr(codec, "STORE_BELOW", 0)
        patched.setattr(codec, "compress", zlib.compress)
        search.build([seeds_dir], index_dir, vectors=False)


def test_blocks_stored_or_sized_read_as_whooshs_compressed_ones(seeds_dir, tmp_path,
                                                                monkeypatch):
    search.build([seeds_dir], tmp_path / "ours", vectors=False)
    build_as_whoosh_compresses(seeds_dir, tmp_path / "whooshs", monkeypatch)
    ours, our_levels = read_everything(tmp_path / "ours")
    whooshs, whoosh_levels = read_everything(tmp_path / "whooshs")
    assert ours == whooshs
    assert our_levels.get(0, 0) > 1000 and set(whoosh_levels) == {3}
    assert sum(our_levels.values()) == sum(whoosh_levels.values())
    records = stored_records(tmp_path / "ours")
    assert records == stored_records(tmp_path / "whooshs") and len(records) > 300


@pytest.mark.parametrize("level", [1, 3, 9])
def test_sized_deflate_gives_back_the_data_at_about_zlibs_size(level):
    rng = random.Random(level)
    words = ["".join(rng.choice("abcdefghij") for _ in range(rng.randint(1, 9)))
             for _ in range(300)]
    for length in [0, 1, 2, 63, 64, 500, 761, 762, 763, 1000, 4000, 16121, 16122, 16123,
                   40000]:
        data = " ".join(rng.choice(words) for _ in range(length)).encode()[:length]
        if length % 2:
            data = bytes(rng.getrandbits(8) for _ in range(length))
        packed = codec.compress(data, level)
        assert zlib.decompress(packed) == data
        assert len(packed) <= len(zlib.compress(data, level)) + 8


def test_a_plain_whoosh_search_finds_the_same_in_either(seeds_dir, tmp_path, monkeypatch):
    from whoosh.qparser import QueryParser

    search.build([seeds_dir], tmp_path / "ours", vectors=False)
    build_as_whoosh_compresses(seeds_dir, tmp_path / "whooshs", monkeypatch)
    found = []
    for name in ("ours", "whooshs"):
        with blockids.whoosh_own(), whoosh_index.open_dir(str(tmp_path / name)).searcher() as s:
            parser = QueryParser("content", s.schema)
            found.append([[(hit.docnum, hit.score) for hit in s.search(parser.parse(words),
                                                                          limit=50)]
                          for words in ("kronstadt uprising", '"left opposition"', "the",
                                        "trotsky OR lenin")])
    assert found[0] == found[1] and all(found[0])
