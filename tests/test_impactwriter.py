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
