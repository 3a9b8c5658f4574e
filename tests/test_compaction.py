"""A build whose workers merge their segments (`compaction`) holds the same documents,
postings, statistics and impact lists as one whose workers do not, and searches alike."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import search
import search.engine.workers
from search.engine import compaction, impactwriter, perdoc, postings, workers

sys.path.insert(0, str(Path(__file__).parent))
from test_impactwriter import impact_files  # noqa: E402

QUERIES = ["kronstadt uprising", "lenin testament", "workers state bureaucracy",
           "permanent revolution", "trotsky", "civil war red army", '"left opposition"',
           "kronstadt AND sailors"]


@pytest.fixture
def small_segments(monkeypatch):
    """Two workers, each writing a new segment every few thousand postings."""
    monkeypatch.setattr(workers, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers, "MAX_SEGMENT_POSTINGS", 3_000)
    monkeypatch.setattr(impactwriter, "MIN_POSTINGS", 3)


def build(seeds_dir: Path, index_dir: Path, merged_to: int, monkeypatch) -> list:
    monkeypatch.setattr(workers, "WORKER_SEGMENTS", merged_to)
    search.build([seeds_dir], index_dir, vectors=False)
    ix = whoosh_index.open_dir(str(index_dir))
    return ix._segments()


def everything(index_dir: Path) -> dict:
    """The index as the index's document numbers see it: stored fields, field lengths and
    kind weights per document, each term's postings and document frequency, field totals."""
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.reader() as reader:
        found: dict = {"stored": list(reader.all_stored_fields()),
                       "kinds": perdoc.kind_weights(reader)}
        for fieldname in sorted(reader.indexed_field_names()):
            if ix.schema[fieldname].scorable:
                found[f"length {fieldname}"] = (perdoc.field_lengths(reader, fieldname),
                                                reader.field_length(fieldname))
            for term in reader.lexicon(fieldname):
                held = []
                for leaf, base in postings.segments(ix.searcher()):
                    matcher = postings.term_leaf(leaf, fieldname, term)
                    while matcher is not None and matcher.is_active():
                        held.append((matcher.id() + base, matcher.weight(), matcher.value()))
                        matcher.next()
                found[(fieldname, term)] = (reader.doc_frequency(fieldname, term), held)
    return found


def results(index_dir: Path) -> dict:
    with search.open(index_dir) as library:
        return {(query, limit): [(hit.doc_id, hit.paragraph, hit.score)
                                 for hit in library.search(query, limit=limit).hits]
                for query in QUERIES for limit in (10, 100)}


@pytest.mark.parametrize("merged_to", [1])
def test_merged_worker_segments_hold_what_the_unmerged_ones_hold(seeds_dir, tmp_path,
                                                                 monkeypatch, small_segments,
                                                                 merged_to):
    apart = build(seeds_dir, tmp_path / "apart", 0, monkeypatch)
    merged = build(seeds_dir, tmp_path / "merged", merged_to, monkeypatch)
    assert len(apart) > len(merged) and len(merged) <= 2 * merged_to  # (a segment an article)
    assert everything(tmp_path / "merged") == everything(tmp_path / "apart")
    assert results(tmp_path / "merged") == results(tmp_path / "apart")
    names = {path.name for path in (tmp_path / "merged").iterdir()}
    assert len([name for name in names if name.endswith(".seg")]) == len(merged)
    assert len([name for name in names if name.endswith(".impacts")]) == len(merged)


def test_a_merged_segment_s_impact_lists_are_the_ones_read_back(seeds_dir, tmp_path,
                                                                 monkeypatch, small_segments):
    index_dir = tmp_path / "index"
    merged = build(seeds_dir, index_dir, 1, monkeypatch)
    reread = impact_files(index_dir, tmp_path, True, monkeypatch)
    for segment in merged:
        path = index_dir / impactwriter.file_name("MAIN", segment.segment_id())
        assert path.read_bytes() == reread[segment.segment_id()][1]


def test_runs_keep_document_order():
    class Segment:
        def __init__(self, count: int) -> None:
            self.count = count

        def doc_count_all(self) -> int:
            return self.count

    made = [Segment(n) for n in (5, 5, 5, 5, 5, 5, 1)]
    runs = workers._runs(made, 2)
    assert [segment for run in runs for segment in run] == made
    assert len(runs) == 2


def test_merge_into_refuses_a_writer_with_documents(tmp_path):
    from search.engine.schema import make_schema
    from search.engine.segments import FastSegmentWriter

    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = FastSegmentWriter(ix)
    writer.docnum = 1
    with pytest.raises(ValueError, match="no documents"):
        compaction.merge_into(writer, [])
    writer.cancel()
