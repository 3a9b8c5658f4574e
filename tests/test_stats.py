"""Tests for search.engine.stats: an updated index answers exactly like a clean build.

Whoosh counts deleted records in its idf and average lengths until a merge; these tests
update, remove and add articles and compare every statistic, ranked score and suggestion
with a clean build of the same files.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from whoosh import index

import search
from search.engine import records, stats
from search.engine.schema import make_schema
from search.ingest import read_article

sys.path.insert(0, str(Path(__file__).parent))
from index_answers import answers, differing  # noqa: E402

QUERIES = ["kronstadt uprising", "river of blood", "stalin*", "trotsky~2", "popular front",
           "georgian affair", "lenin testament", "permanent revolution", "bureaucracy",
           '"socialism in one country"', "left opposition", "quokkas", "trotzky exile",
           "section:kronstadt workers", "author:narai stalin"]


def assert_same_answers(updated: Path, clean: Path) -> None:
    assert differing(answers(updated, QUERIES), answers(clean, QUERIES), QUERIES) == []


def statistics(index_dir: Path) -> tuple:
    """Every collection statistic the ranking reads, as the live searcher reports it."""
    ix = index.open_dir(str(index_dir))
    searcher, vocabulary = stats.open_searcher(ix, None)
    with searcher:
        frequencies = {(name, term): searcher.doc_frequency(name, term)
                       for name in ("content", "section", "title", "author", "rectype", "doc_id")
                       for term in searcher.reader().lexicon(name)}
        live = {key: value for key, value in frequencies.items() if value}
        lengths = {name: searcher.field_length(name) for name in ("content", "section", "title")}
        return searcher.doc_count_all(), live, lengths, vocabulary


def edit_corpus(corpus: Path) -> None:
    """A sequence of ordinary changes: an edit, a removal, an addition, another edit."""
    files = sorted(corpus.glob("*.txt"))
    files[2].write_text(files[2].read_text(encoding="utf-8").replace(
        "river of blood", "sea of tears quokkas"), encoding="utf-8")
    search.build([corpus], corpus.parent / "index")
    files[4].unlink()
    (corpus / "new.txt").write_text("Trotzky and the quokkas of Rottnest.\n\n"
                                    "A bureaucracy of quokkas rose.\n", encoding="utf-8")
    search.build([corpus], corpus.parent / "index")
    files[0].write_text(files[0].read_text(encoding="utf-8").replace(
        "Stalin", "Stalin bureaucracy", 3), encoding="utf-8")
    search.build([corpus], corpus.parent / "index")


def test_an_updated_index_answers_like_a_clean_build(seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    edit_corpus(seed_copy)
    search.build([seed_copy], tmp_path / "clean")
    assert statistics(tmp_path / "index") == statistics(tmp_path / "clean")
    assert_same_answers(tmp_path / "index", tmp_path / "clean")


def test_whoosh_alone_counts_deleted_records(seed_copy, tmp_path):
    """The bug the live statistics fix: without them the updated index disagrees."""
    search.build([seed_copy], tmp_path / "index")
    edit_corpus(seed_copy)
    search.build([seed_copy], tmp_path / "clean")
    counts = []
    for name in ("index", "clean"):
        with index.open_dir(str(tmp_path / name)).searcher() as searcher:
            counts.append((searcher.doc_count_all(), searcher.doc_frequency("content", "stalin")))
    assert counts[0] != counts[1]


def test_lost_statistics_and_vocabulary_are_rebuilt(seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    edit_corpus(seed_copy)
    expected = statistics(tmp_path / "index")
    for path in [*tmp_path.joinpath("index").glob("removed_*.json"),
                 *tmp_path.joinpath("index").glob("vocabulary_*.json")]:
        path.write_text("[1, 2", encoding="utf-8")  # truncated
    assert statistics(tmp_path / "index") == expected
    report = search.build([seed_copy], tmp_path / "index")  # nothing to do, but repairs them
    assert len(report.unchanged) == 5
    generation = index.open_dir(str(tmp_path / "index")).latest_generation()
    assert stats.load_vocabulary(tmp_path / "index", generation) == expected[3]


def test_a_stored_record_gives_back_what_it_indexed(seed_path):
    """`indexed_values` (used to take a deleted record out of the statistics) rebuilds the
    terms and lengths `records` indexed, for every record of a seed article."""
    schema = make_schema()
    path = seed_path("004")
    article = read_article(path)
    for record in records.records(article, path.stem, str(path), "fingerprint"):
        stored = {name: kept for name, value in record.items()
                  if not name.startswith("_") and name in schema and schema[name].stored
                  and (kept := record.get(f"_stored_{name}", value)) is not None}
        rebuilt, written = stats.Removed(), stats.Removed()
        rebuilt.add(schema, 0, stored, {path.stem: str(path)})  # a block's path: its article's
        written.docnums.append(0)
        for name, value in record.items():
            if name.startswith("_") or not schema[name].indexed:
                continue
            terms = written.terms.setdefault(name, {})
            length = 0
            for term, freq, _, _ in schema[name].index(value):
                terms[term.decode("latin-1")] = terms.get(term.decode("latin-1"), 0) + 1
                length += freq
            if schema[name].scorable and length:
                written.lengths[name] = length
        assert rebuilt == written


def test_removed_statistics_reuse_what_was_counted(seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    edit_corpus(seed_copy)
    ix = index.open_dir(str(tmp_path / "index"))
    with ix.reader() as reader:
        segments = stats.segments_of(reader)
        fresh = stats.removed_stats(ix.storage, ix.schema, segments, {})
        saved = stats.load_removed(tmp_path / "index", reader.generation())
    assert fresh and saved == fresh


def test_a_removed_word_leaves_the_vocabulary(seed_copy, tmp_path):
    (seed_copy / "extra.txt").write_text("The zyxwvut quokka.\n", encoding="utf-8")
    search.build([seed_copy], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        assert library.vocabulary["zyxwvut"] == ["zyxwvut", 1]
    (seed_copy / "extra.txt").unlink()
    search.build([seed_copy], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        assert "zyxwvut" not in library.vocabulary


def test_a_rebuild_after_updates_matches_a_clean_build(seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    edit_corpus(seed_copy)
    search.build([seed_copy], tmp_path / "index", rebuild=True)
    shutil.copytree(seed_copy, tmp_path / "again")
    search.build([tmp_path / "again"], tmp_path / "clean")
    assert statistics(tmp_path / "index")[:3] == statistics(tmp_path / "clean")[:3]


def test_an_open_searchers_deletions_are_frozen_once(seed_copy, tmp_path):
    """Whoosh made a frozenset of a segment's deleted documents for every term looked up;
    the live searcher's segments hand out one, and postings still leave deleted blocks out."""
    search.build([seed_copy], tmp_path / "index")
    edit_corpus(seed_copy)
    search.build([seed_copy], tmp_path / "index")
    ix = index.open_dir(str(tmp_path / "index"))
    searcher, _ = stats.open_live_searcher(ix, None)
    with searcher:
        reader = searcher.reader()
        leaves = [leaf for leaf, _ in reader.leaf_readers()] if not reader.is_atomic() else [reader]
        deleted = [leaf for leaf in leaves if leaf.has_deletions()]
        assert deleted
        for leaf in deleted:
            frozen = leaf._perdoc.deleted_docs()
            assert frozen is leaf._perdoc.deleted_docs()
            assert frozen == {docnum for docnum in range(leaf.doc_count_all())
                              if leaf.is_deleted(docnum)}
            found = set(leaf.postings("rectype", "block").all_ids())
            assert found and not found & frozen
