"""Incremental runs keep the index to a few segments, holding what a fresh build holds.

(Scores may differ a little: Whoosh's term statistics still count deleted documents.)"""

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
