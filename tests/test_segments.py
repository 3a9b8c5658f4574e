"""Tests for the fast write path (search.engine.segments, search.engine.workers, analyse.index_stems):
it must write exactly what Whoosh's own writer writes, in one process or in several."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields, index, writing

import search
import search.engine.index
import search.engine.records
import search.engine.stats
import search.engine.workers
from search.analyse import ASCII_WORD_PATTERN, index_stems, tokens
from search.catalog import load_catalog
from search.engine.records import stored_fields
from search.engine.schema import Analysed, SeedText, make_schema
from search.engine.segments import FastSegmentWriter, MemoryPostingPool
from search.errors import IndexingFailed
from search.ingest import read_article
from search.typography import WORD_PATTERN

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
QUERIES = ["kronstadt uprising", '"river of blood"', "lenin testament", "author:narai trotsky",
           "date:[2019 TO 2023] revolution", "title:stalinism", "workers opposition"]


# --- index_terms is tokens without offsets -----------------------------------------------------


def index_terms(text: str) -> tuple[dict[str, list[int]], list[str]]:
    """Each stem's word positions and the folded words: what `Analysed` gives Whoosh's own
    writer (`positions`) and the vocabulary (`words`)."""
    analysed = Analysed.of(text)
    return analysed.positions, analysed.words


def pooled_from_positions(documents: list[tuple[int, dict[str, list[int]]]]
                          ) -> dict[bytes, tuple[list[int], list[int], list[int]]]:
    """The reference for `add_stems`: each stem's postings gathered from each document's
    positions (the pool's way before `add_stems`): document numbers, counts, positions."""
    terms: dict[bytes, tuple[list[int], list[int], list[int]]] = {}
    for docnum, positions in documents:
        for stemmed, where in positions.items():
            entry = terms.setdefault(stemmed.encode("utf-8"), ([], [], []))
            entry[0].append(docnum)
            entry[1].append(len(where))
            entry[2].extend(where)
    return terms


WORDY = st.lists(st.sampled_from(list("abcé Z'’-–…\u00a0\u0301\n.,\"“”\ufb01\u00ad")
                                 + ["don't ", "Trotsky’s ", "workers' ", "The "]),
                 max_size=60).map("".join)


@settings(deadline=None)  # the first word stemmed imports NLTK (about 0.3 s)
@given(WORDY)
def test_index_terms_gives_the_stems_and_positions_of_tokens(text):
    expected: dict[str, list[int]] = {}
    for position, (_, stemmed, _, _) in enumerate(tokens(text)):
        expected.setdefault(stemmed, []).append(position)
    positions, words = index_terms(text)
    assert positions == expected
    assert words == [word for word, _, _, _ in tokens(text)]


@settings(deadline=None)
@given(WORDY)
def test_index_stems_gives_the_stems_and_words_of_tokens(text):
    stems, words = index_stems(text)
    assert stems == [stemmed for _, stemmed, _, _ in tokens(text)]
    assert words == [word for word, _, _, _ in tokens(text)]


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80)
       | st.lists(st.sampled_from(list("aZ09_' -.\n") + ["don't", "o'"]), max_size=40).map("".join))
def test_the_ascii_word_pattern_finds_the_word_pattern_s_words_in_ascii(text):
    assert ASCII_WORD_PATTERN.findall(text) == WORD_PATTERN.findall(text)


def test_index_terms_on_a_seed_paragraph(seed_path):
    text = read_article(seed_path("002")).blocks[40].text
    positions, words = index_terms(text)
    assert sum(len(where) for where in positions.values()) == len(words) == len(list(tokens(text)))


# --- the fast writer writes what Whoosh writes -------------------------------------------------


def seed_records(plain_text: bool) -> list[list[dict]]:
    """The index records of each seed article; with plain_text, content and section as
    strings for Whoosh's analyser path instead of `Analysed` values."""
    catalog = load_catalog(SEEDS)
    articles = []
    for path in SEED_FILES:
        article = read_article(path, catalog)
        records = list(search.engine.records.records(article, path.stem, str(path), "fingerprint"))
        if plain_text:
            for record in records:
                for name in ("content", "section"):
                    if isinstance(record.get(name), Analysed):
                        record[name] = stored_fields(record)[name]  # the text it analysed
        articles.append(records)
    return articles


def write_index(folder: Path, fast: bool, batches: list[list[list[dict]]],
                last_mergetype=None) -> index.Index:
    """Write batches of articles, one commit each, with our writer or Whoosh's."""
    ix = index.create_in(str(folder), make_schema())
    for number, batch in enumerate(batches):
        mergetype = last_mergetype if number == len(batches) - 1 else writing.NO_MERGE
        writer = FastSegmentWriter(ix) if fast else writing.SegmentWriter(ix)
        for records in batch:
            for record in records:
                writer.add_document(**record)
        if fast:
            writer.commit_with([], mergetype=mergetype)
        else:
            writer.commit(mergetype=mergetype)
    return ix


def everything_in(ix: index.Index) -> dict:
    """Every term's statistics and postings, every document's stored fields and lengths."""
    with ix.reader() as reader:
        terms = {}
        for fieldname, term in reader.all_terms():
            info = reader.term_info(fieldname, term)
            matcher = reader.postings(fieldname, term)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            terms[(fieldname, term)] = (info.weight(), info.doc_frequency(), info.min_length(),
                                        info.max_length(), info.max_weight(), postings)
        documents = [(dict(reader.stored_fields(docnum)),
                      {name: reader.doc_field_length(docnum, name)
                       for name in ("content", "section", "title", "author")})
                     for docnum in reader.all_doc_ids()]
        lengths = {name: reader.field_length(name) for name in ("content", "section")}
    return {"terms": terms, "documents": documents, "lengths": lengths}


@pytest.mark.parametrize("plan", ["one commit", "two commits, merged"])
def test_the_fast_writer_writes_what_whoosh_writes(tmp_path, plan):
    whoosh_batches = [seed_records(plain_text=True)]
    fast_batches = [seed_records(plain_text=False)]
    mergetype = None
    if plan == "two commits, merged":
        whoosh_batches = [whoosh_batches[0][:3], whoosh_batches[0][3:]]
        fast_batches = [fast_batches[0][:3], fast_batches[0][3:]]
        mergetype = writing.OPTIMIZE
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "fast").mkdir()
    expected = everything_in(write_index(tmp_path / "whoosh", False, whoosh_batches, mergetype))
    written = everything_in(write_index(tmp_path / "fast", True, fast_batches, mergetype))
    assert len(written["terms"]) > 2_500
    assert written["terms"].keys() == expected["terms"].keys()
    different = [key for key in expected["terms"] if written["terms"][key] != expected["terms"][key]]
    assert different == []
    assert written["documents"] == expected["documents"]
    assert written["lengths"] == expected["lengths"]


def build_seeds(folder: Path, fast: bool) -> index.Index:
    """Index a copy of the seeds through `search.build`, with our writer or Whoosh's."""
    seeds = folder / "seeds"
    if not seeds.exists():
        shutil.copytree(SEEDS, seeds)
    search.build([seeds], folder / ("fast" if fast else "stock"), fast=fast)
    return index.open_dir(str(folder / ("fast" if fast else "stock")))


def test_build_writes_the_same_index_with_either_writer(tmp_path):
    stock = everything_in(build_seeds(tmp_path, fast=False))
    fast = everything_in(build_seeds(tmp_path, fast=True))
    assert len(fast["terms"]) > 2_500
    assert fast["terms"].keys() == stock["terms"].keys()
    assert [key for key in stock["terms"] if fast["terms"][key] != stock["terms"][key]] == []
    assert fast["documents"] == stock["documents"]
    assert fast["lengths"] == stock["lengths"]


def test_another_whoosh_falls_back_to_its_own_writer_with_one_warning(tmp_path, monkeypatch):
    from search.engine import segments

    monkeypatch.setattr(segments, "WRITTEN_FOR", (9, 9, 9))
    monkeypatch.setattr(segments, "_warned", [])
    ix = index.create_in(str(tmp_path), make_schema())
    with pytest.warns(RuntimeWarning, match="Whoosh's own writer.*written for Whoosh 9.9.9"):
        first = segments.open_writer(ix)
    first.cancel()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the second time: no warning
        second = segments.open_writer(ix)
    second.cancel()
    assert type(first) is type(second) is segments.StockSegmentWriter
    assert type(segments.open_writer(ix, fast=False)) is segments.StockSegmentWriter


def test_a_plain_string_in_a_seed_text_field_goes_through_the_analyser():
    field = make_schema()["content"]
    assert isinstance(field, SeedText)
    text = "The workers’ state, the workers' state"
    assert sorted(field.index(text)) == sorted(field.index(Analysed.of(text)))


def test_the_fast_writer_refuses_fields_it_cannot_write(tmp_path):
    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT(vector=True)))
    with pytest.raises(ValueError, match="body"):
        FastSegmentWriter(ix)


# --- several workers write what one process writes --------------------------------------------


@pytest.fixture
def in_workers(monkeypatch):
    """Make every build use two worker processes, however small the corpus."""
    monkeypatch.setattr(search.engine.workers, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(search.engine.workers.os, "cpu_count", lambda: 2)


def results(index_dir: Path) -> dict:
    with search.open(index_dir) as library:
        return {
            query: [(hit.doc_id, hit.paragraph, hit.line_start, round(hit.score, 6))
                    for hit in library.search(query, limit=20)]
            for query in QUERIES
        }


def test_workers_build_the_index_one_process_builds(tmp_path, monkeypatch):
    alone = search.build([SEEDS], tmp_path / "alone")
    assert len(list(index.open_dir(str(tmp_path / "alone")).reader().leaf_readers())) == 1
    monkeypatch.setattr(search.engine.workers, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(search.engine.workers.os, "cpu_count", lambda: 2)
    shared = search.build([SEEDS], tmp_path / "shared")
    assert len(list(index.open_dir(str(tmp_path / "shared")).reader().leaf_readers())) == 2
    assert (shared.articles, shared.blocks, shared.added) == (
        alone.articles, alone.blocks, alone.added)
    assert results(tmp_path / "shared") == results(tmp_path / "alone")
    vocabulary = [search.engine.stats.load_vocabulary(tmp_path / name, latest(tmp_path / name))
                  for name in ("alone", "shared")]
    assert vocabulary[0] == vocabulary[1]
    assert vocabulary[0]["trotsky"][0] == "trotski"


def test_workers_report_progress_once_an_article(tmp_path, in_workers, monkeypatch):
    monkeypatch.setattr(search.engine.workers, "PROGRESS_SECONDS", 3600.0)  # all at the end
    calls: list[tuple[int, int, str]] = []
    report = search.build([SEEDS], tmp_path / "index", progress=lambda *call: calls.append(call))
    total = len(report.added)
    assert [done for done, _, _ in calls] == list(range(1, total + 1))
    assert {count for _, count, _ in calls} == {total}
    assert sorted(path for _, _, path in calls) == sorted(report.added)


def test_a_failing_worker_leaves_the_index_as_it_was(tmp_path, in_workers, monkeypatch):
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    search.build([corpus], tmp_path / "index")
    before = results(tmp_path / "index")

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")
        yield {}

    monkeypatch.setattr(search.engine.index, "_records", broken)
    files = set((tmp_path / "index").iterdir())
    with pytest.raises(IndexingFailed, match="disk on fire.*the index is as it was"):
        search.build([corpus], tmp_path / "index", rebuild=True)
    assert results(tmp_path / "index") == before
    assert set((tmp_path / "index").iterdir()) == files  # nothing half-written left behind


def test_a_worker_that_dies_without_a_word_leaves_the_index_as_it_was(tmp_path, in_workers,
                                                                     monkeypatch):
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    search.build([corpus], tmp_path / "index")
    before = results(tmp_path / "index")
    real = search.engine.index._records

    last = str(sorted(corpus.glob("*.txt"))[-1].resolve())

    def dying(article, doc_id, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if path == last:
            os._exit(3)  # in one worker only: the other finishes and says so
        return real(article, doc_id, path, *args, **kwargs)

    monkeypatch.setattr(search.engine.index, "_records", dying)
    files = set((tmp_path / "index").iterdir())
    with pytest.raises(IndexingFailed, match=r"died \(exit code 3\).*the index is as it was"):
        search.build([corpus], tmp_path / "index", rebuild=True)
    assert results(tmp_path / "index") == before
    assert set((tmp_path / "index").iterdir()) == files


def test_a_rebuild_writes_this_versions_schema(tmp_path):
    search.build([SEEDS], tmp_path / "index")
    ix = index.open_dir(str(tmp_path / "index"))
    schema = make_schema()
    schema.remove("section")
    schema.add("section", fields.TEXT(stored=True))  # as an older build of this version had it
    writer = ix.writer()
    writer.schema = schema
    writer.commit()
    assert not isinstance(index.open_dir(str(tmp_path / "index")).schema["section"], SeedText)
    search.build([SEEDS], tmp_path / "index", rebuild=True)
    assert isinstance(index.open_dir(str(tmp_path / "index")).schema["section"], SeedText)


def latest(index_dir: Path) -> int:
    """The generation of the index's last commit."""
    return index.open_dir(str(index_dir)).latest_generation()


def test_the_pool_adds_stems_in_order_as_it_adds_their_positions(seed_path):
    """`add_stems` (each document's words numbered, grouped into postings when written)
    pools exactly the postings gathered from the same text's positions: document numbers,
    counts and positions, grouped in one band or in bands of a few words; the pool counts
    the postings as it goes."""
    blocks = [block.text for block in read_article(seed_path("002")).blocks]
    blocks += ["the the the state", "", "state the state", "'", "The workers' worker"]
    pool = MemoryPostingPool()
    documents = []
    for docnum, text in enumerate(blocks):
        analysed = Analysed.of(text)
        documents.append((2 * docnum, analysed.positions))  # numbers with gaps
        for fieldname in ("content", "section"):
            assert pool.add_stems(fieldname, 2 * docnum, analysed.stems, 1.5) == len(
                analysed.words)
    expected = pooled_from_positions(documents)
    for fieldname, band_words in (("content", 500_000), ("section", 7)):  # bands of stems
        grouped = pool._words[fieldname].grouped(band_words)
        got = {stemmed.encode("utf-8"): tuple(map(list, grouped.postings(stemmed)))
               for stemmed in grouped.numbers}
        assert got == {term: tuple(entry) for term, entry in expected.items()}
    assert pool.postings == 2 * sum(len(entry[0]) for entry in expected.values()) > 2000


def test_the_pool_takes_documents_in_increasing_order():
    pool = MemoryPostingPool()
    pool.add_stems("content", 3, ["the", "state"], 1.0)
    with pytest.raises(ValueError, match="document 3 added after document 3"):
        pool.add_stems("content", 3, ["state"], 1.0)


def test_the_pool_gives_an_analysed_field_s_postings_as_seed_text_indexes_them():
    """The pool keeps an analysed field's counts and positions and makes each posting's weight
    and encoded positions when written: the same as `SeedText.index`; a term the field also
    got as a ready posting comes out in document order with it."""
    field = SeedText(analyzer=make_schema()["content"].analyzer, field_boost=1.5)
    texts = ["the workers' state, the worker", "a state of the workers", "the state"]
    pool = MemoryPostingPool()
    expected: dict[bytes, list] = {}
    for docnum, text in enumerate(texts):
        if docnum == 1:  # as a merged segment would add it: a plain posting
            for term, _, weight, value in field.index(Analysed.of(text)):
                pool.add(("content", term, docnum, weight, value))
        else:
            pool.add_stems("content", docnum, Analysed.of(text).stems, 1.5)
        for term, _, weight, value in field.index(Analysed.of(text)):
            expected.setdefault(term, []).append((docnum, weight, value))
    written = {term: list(zip(*postings, strict=True))
               for _, term, postings in pool.terms()}
    assert written == expected
    assert list(written) == sorted(expected)


def test_length_bytes_are_whoosh_s():
    from array import array

    from whoosh.util.numeric import length_to_byte

    from search.engine.segments import length_bytes

    lengths = array("I", [*range(0, 3000), *range(3000, 300_000, 97), 106_373, 106_374,
                          106_375, 2**32 - 1])
    assert length_bytes(lengths) == bytes(map(length_to_byte, lengths))
    assert length_bytes(array("I")) == b""
