"""Incremental runs keep the index to a few segments, none mostly deleted documents, holding
what a fresh build holds and scoring it as a fresh build does."""

from __future__ import annotations

import search
from search.engine import merging


def segment_count(index_dir) -> int:
    with search.open(index_dir) as library:
        reader = library.store._searcher.reader()
        return len(getattr(reader, "readers", [reader]))


def test_many_small_runs_are_merged_and_search_like_a_fresh_build(tmp_path, seed_copy):
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir)
    for run in range(8):  # each run adds a short article: a small segment
        (seed_copy / f"note_{run}.txt").write_text(
            f"Note {run}\n\nA note added on run {run} about the Kronstadt sailors.\n",
            encoding="utf-8")
        search.build([seed_copy], index_dir)
    assert segment_count(index_dir) <= merging.MERGE_AT + 1
    search.build([seed_copy], tmp_path / "fresh", rebuild=True)
    with search.open(index_dir) as grown, search.open(tmp_path / "fresh") as fresh:
        for words in ("kronstadt sailors", "note added on run", "left opposition"):
            everything = {(h.doc_id, h.order, h.text) for h in fresh.search(words, limit=5000)}
            found = [(h.doc_id, h.order, h.text) for h in grown.search(words, limit=5000)]
            assert len(found) == len(everything)
            assert set(found) == everything


def deleted_shares(index_dir) -> list[float]:
    """Each segment's share of deleted documents."""
    with search.open(index_dir) as library:
        reader = library.store._searcher.reader()
        leaves = [reader] if reader.is_atomic() else [leaf for leaf, _ in reader.leaf_readers()]
        return [leaf.segment().deleted_count() / leaf.segment().doc_count_all() for leaf in leaves]


def test_merged_segments_keep_exact_field_lengths(tmp_path, seed_copy):
    """Whoosh's add_reader summed one-byte rounded lengths into a merged segment's total:
    after updates its BM25 scores differed from a clean build's by up to 0.07."""
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir)
    articles = sorted(seed_copy.glob("*.txt"))
    for run in range(4):  # each run changes two of the five: the big segment is rewritten
        for path in articles[run % 3:run % 3 + 2]:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"\nA paragraph added on run {run} about the Kronstadt sailors.\n")
        search.build([seed_copy], index_dir)
    assert max(deleted_shares(index_dir)) < merging.REWRITE_DELETED
    search.build([seed_copy], tmp_path / "fresh", rebuild=True)
    with search.open(index_dir) as grown, search.open(tmp_path / "fresh") as fresh:
        for words in ("kronstadt sailors", "left opposition", "paragraph added on run"):
            expected = [(h.doc_id, h.order, h.score) for h in fresh.search(words, limit=50)]
            assert [(h.doc_id, h.order, h.score) for h in grown.search(words, limit=50)] == expected
