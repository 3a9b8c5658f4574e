"""Incremental runs keep the index to a few segments, none mostly deleted documents, holding
what a fresh build holds and scoring it as a fresh build does."""

from __future__ import annotations

from whoosh import index as whoosh_index

import search
from search.engine import merging, workers


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


_Sized = merging._Sized  # a segment's document and deleted counts, as the policy reads them


def test_a_large_builds_segments_are_not_small_beside_each_other():
    """A 100 MB build's four worker segments (27, 23, 27, 23% of the documents) beside the
    small segments of incremental runs: folding the two of 23% with those cost 78 s and
    410 MB for three changed articles. Only the runs' segments are folded, three at a time."""
    workers = [_Sized(2720), _Sized(2280), _Sized(2720), _Sized(2280)]
    runs = [_Sized(3), _Sized(4), _Sized(5)]
    assert merging.to_merge(workers + runs[:2]) == []
    assert merging.to_merge(workers + runs) == runs


def test_small_is_under_a_quarter_of_the_index_and_half_of_the_largest_segment():
    halves = [_Sized(5000), _Sized(5000)]  # a 10 MB build
    runs = [_Sized(30), _Sized(30)]
    gathered = _Sized(2400)  # the runs' segments folded so far, under a quarter of the index
    assert merging.to_merge([*halves, gathered, *runs]) == [gathered, *runs]
    grown = _Sized(2600)  # past half the largest: no longer small, the runs wait for a third
    assert merging.to_merge([*halves, grown, *runs]) == []
    equal = [_Sized(36) for _ in range(4)]  # each a quarter of the index, all alike
    assert merging.to_merge([*equal, *runs]) == []
    worn = _Sized(2720, deleted=272)  # a tenth deleted: rewritten whatever its size
    assert merging.to_merge([worn, _Sized(2280, deleted=227)]) == [worn]


def test_incremental_runs_leave_a_builds_similar_segments_alone(tmp_path, seed_copy,
                                                               monkeypatch):
    """Four copies of a seed built by two workers as four segments of a quarter of the index
    each (what once counted as small: the first run folded them all): runs that each add a
    note fold the notes' segments together and leave the build's alone."""
    monkeypatch.setattr(workers, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers, "MAX_SEGMENT_POSTINGS", 800)
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    text = (seed_copy / "000_ee2ff855b77098e1.txt").read_text(encoding="utf-8")
    for number in range(4):
        (corpus / f"copy_{number}.txt").write_text(f"Copy {number}\n\n{text}", encoding="utf-8")
    search.build([corpus], index_dir, vectors=False)
    built = segment_sizes(index_dir)
    assert len(built) == 4 and len(set(built.values())) == 1
    for run in range(4):
        (corpus / f"note_{run}.txt").write_text(
            f"Note {run}\n\nA note added on run {run} about the Kronstadt sailors.\n",
            encoding="utf-8")
        search.build([corpus], index_dir, vectors=False)
        assert set(built) <= set(segment_sizes(index_dir))
    assert len(segment_sizes(index_dir)) <= len(built) + merging.MERGE_AT - 1


def segment_sizes(index_dir) -> dict[str, int]:
    """Each segment's id and documents."""
    return {segment.segment_id(): segment.doc_count_all()
            for segment in whoosh_index.open_dir(str(index_dir))._segments()}


def test_a_run_that_would_fold_a_fifth_of_a_large_index_rebuilds_it():
    quarters = [(90_000, 0), (76_000, 0), (90_000, 0), (76_000, 0)]  # a 100 MB build
    assert not merging.rebuild_instead(quarters)
    worn = [(90_000, 9_000), *quarters[1:]]  # one segment a tenth deleted: 81,000 to fold
    assert merging.rebuild_instead(worn)
    assert not merging.rebuild_instead([(9_000, 900), (7_600, 0)])  # too few to bother
    assert not merging.rebuild_instead([(90_000, 9_000), (900_000, 0), (900_000, 0)])  # 4%
    # a fold's memory follows what it folds: past FOLD_MOST_DOCUMENTS, rebuild at any share
    assert merging.rebuild_instead([(120_000, 12_000), (2_700_000, 0), (2_700_000, 0)])


def test_a_run_rebuilding_instead_of_folding_reports_and_searches_as_an_incremental_one(
        tmp_path, seed_copy, monkeypatch):
    """Forced on the seeds (one segment, so changing an article rewrites it): the run writes
    the whole corpus afresh, says so, reports only what changed, keeps every article's id,
    and leaves no deleted documents behind; it searches as a fresh build does."""
    monkeypatch.setattr(merging, "REBUILD_MIN_DOCUMENTS", 0)
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir, vectors=False)
    with search.open(index_dir) as library:
        ids = {meta.path: doc_id for doc_id, meta in library.articles.items()}
    changed = sorted(seed_copy.glob("*.txt"))[1]
    with open(changed, "a", encoding="utf-8") as handle:
        handle.write("\nA paragraph added about the Kronstadt sailors.\n")
    report = search.build([seed_copy], index_dir, vectors=False)
    assert any("afresh" in warning for warning in report.warnings)
    assert report.updated == [str(changed)] and report.added == []
    assert len(report.unchanged) == 4
    assert max(deleted_shares(index_dir)) == 0
    with search.open(index_dir) as library:
        assert {meta.path: doc_id for doc_id, meta in library.articles.items()} == ids
    search.build([seed_copy], tmp_path / "fresh", rebuild=True, vectors=False)
    with search.open(index_dir) as grown, search.open(tmp_path / "fresh") as fresh:
        for words in ("kronstadt sailors", "left opposition", "paragraph added about"):
            expected = [(h.doc_id, h.order, h.score) for h in fresh.search(words, limit=50)]
            assert [(h.doc_id, h.order, h.score) for h in grown.search(words, limit=50)] == expected
