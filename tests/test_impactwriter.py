"""The impact lists written the fast way (numpy grouping, common terms read from the term
index's bytes) are byte for byte the files the plain Python path writes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import search
from search.engine import impactwriter

sys.path.insert(0, str(Path(__file__).parent))
from test_topk import updated_corpus  # noqa: E402


def impact_files(index_dir: Path, tmp_path: Path, fast: bool, monkeypatch) -> dict[str, bytes]:
    """Each segment's impact file, written again with one path or the other."""
    monkeypatch.setattr(impactwriter, "FAST", fast)
    files = {}
    with whoosh_index.open_dir(str(index_dir)).reader() as reader:
        leaves = [reader] if reader.is_atomic() else reader.readers
        for number, leaf in enumerate(leaves):
            path = tmp_path / f"{'fast' if fast else 'plain'}{number}.impacts"
            written = impactwriter.write_segment(leaf, path)
            files[leaf.segment().segment_id()] = (written, path.read_bytes())
    return files


@pytest.mark.parametrize("least", [1, 3, 40, 512])
def test_the_seeds_impact_files_are_the_plain_paths(seeds_dir, tmp_path, monkeypatch, least):
    search.build([seeds_dir], tmp_path / "index", vectors=False)
    monkeypatch.setattr(impactwriter, "MIN_POSTINGS", least)
    fast = impact_files(tmp_path / "index", tmp_path, True, monkeypatch)
    assert fast == impact_files(tmp_path / "index", tmp_path, False, monkeypatch)
    assert all(written > 0 for written, _ in fast.values()) or least == 512


def test_an_updated_corpus_impact_files_are_the_plain_paths(tmp_path, monkeypatch):
    index_dir = updated_corpus(tmp_path)
    monkeypatch.setattr(impactwriter, "MIN_POSTINGS", 2)
    fast = impact_files(index_dir, tmp_path, True, monkeypatch)
    assert len(fast) == 2
    assert fast == impact_files(index_dir, tmp_path, False, monkeypatch)


def test_the_build_writes_the_same_impact_files_either_way(seeds_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(impactwriter, "MIN_POSTINGS", 2)
    written = {}
    for fast in (True, False):
        monkeypatch.setattr(impactwriter, "FAST", fast)
        search.build([seeds_dir], tmp_path / str(fast), vectors=False)
        written[fast] = sorted(path.read_bytes()
                               for path in (tmp_path / str(fast)).glob("*.impacts"))
    assert written[True] == written[False] and written[True]


def built_impact_files(corpus: Path, index_dir: Path) -> list[bytes]:
    search.build([corpus], index_dir, vectors=False)
    return sorted(path.read_bytes() for path in index_dir.glob("*.impacts"))


@pytest.mark.parametrize("least", [1, 2, 40])
def test_impact_lists_made_from_memory_are_the_ones_read_back(seeds_dir, tmp_path,
                                                               monkeypatch, least):
    from search.engine import segments

    monkeypatch.setattr(impactwriter, "MIN_POSTINGS", least)
    reread = []
    write_segment = impactwriter.write_segment
    monkeypatch.setattr(impactwriter, "write_segment",
                        lambda *args: reread.append(args) or write_segment(*args))
    from_memory = built_impact_files(seeds_dir, tmp_path / "memory")
    assert not reread  # made as the terms were written, not read back
    ix = whoosh_index.open_dir(str(tmp_path / "memory"))
    compound = ix._segments()[0].open_compound_file(ix.storage)
    assert not [name for name in compound.list() if name.endswith(".impacts")]
    compound.close()
    monkeypatch.setattr(segments, "IMPACTS_FROM_MEMORY", False)
    assert from_memory == built_impact_files(seeds_dir, tmp_path / "read")
    assert from_memory and len(from_memory[0]) > 1000


def test_the_collector_makes_what_write_segment_makes_in_a_two_process_build(
        seeds_dir, tmp_path, monkeypatch):
    """Worker segments (each with its own document numbers and kind weights) and the
    updated corpus' segments with deletions."""
    import search.engine.workers
    from search.engine import segments

    monkeypatch.setattr(impactwriter, "MIN_POSTINGS", 3)
    monkeypatch.setattr(search.engine.workers, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(segments, "IMPACTS_FROM_MEMORY", True)
    index_dir = tmp_path / "index"
    search.build([seeds_dir], index_dir, vectors=False)
    reread = impact_files(index_dir, tmp_path, True, monkeypatch)
    assert len(reread) >= 2
    with whoosh_index.open_dir(str(index_dir)).reader() as reader:
        ids = [leaf.segment().segment_id() for leaf in reader.readers]
    for segment_id in ids:
        path = index_dir / impactwriter.file_name("MAIN", segment_id)
        assert path.read_bytes() == reread[segment_id][1]
    updated = updated_corpus(tmp_path / "updated")
    for segment_id, (_, data) in impact_files(updated, tmp_path, False, monkeypatch).items():
        assert (updated / impactwriter.file_name("MAIN", segment_id)).read_bytes() == data
