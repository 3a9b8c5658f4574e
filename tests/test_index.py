"""Tests for search.engine.index: building, incremental re-indexing, interrupted runs, locks, versions."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import search
import search.engine.index
from search.engine.lock import LOCK_NAME
from search.errors import IndexIncompatible, IndexLocked, IndexNotFound, InputError
from search.ingest import read_article

# (blocks, numbered paragraphs) of each seed article, as the golden tables of test_ingest.py
# give them (001 line 69 is a caption; 004 line 86 is a question heading).
SEED_COUNTS = {
    "000_ee2ff855b77098e1": (33, 28),
    "001_baf5b2bc01864b5f": (47, 25),
    "002_ced5b9d275ebdcfc": (68, 44),
    "003_411d2712463a3513": (243, 215),
    "004_abca370204a8c88e": (55, 39),
}
SEED_BLOCKS = sum(blocks for blocks, _ in SEED_COUNTS.values())
REBUILD_HINT = "rebuild with `seedsearch index --rebuild`"

NEW_ARTICLE = """\
The Quokka Survey

By Ann Lee

Rangers on Rottnest counted the quokkas along the salt lakes every spring, walking the same \
transects each year so that the counts could be compared.
"""


def seed(folder: Path, number: str) -> Path:
    """The seed article numbered `number` in folder."""
    (path,) = folder.glob(f"{number}_*.txt")
    return path


def passages(index_dir: Path, phrase: str) -> list[tuple[str, int]]:
    """(article number, first line) of every indexed passage containing phrase, in rank order."""
    with search.open(index_dir) as library:
        hits = library.search(f'"{phrase}"', limit=500)
    return [(hit.doc_id[:3], hit.line_start) for hit in hits if phrase in hit.text.lower()]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def dead_pid() -> int:
    """The pid of a process that has already exited."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def write_lock(index_dir: Path, host: str, pid: int) -> Path:
    lock = index_dir / LOCK_NAME
    lock.write_text(f"{host} {pid}\n", encoding="utf-8")
    return lock


@pytest.fixture
def built(seed_copy: Path, tmp_path: Path) -> Path:
    """An index of a writable copy of the seeds (the copy is seed_copy)."""
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir)
    return index_dir


# --- building -------------------------------------------------------------------------------


def test_building_the_seeds_gives_five_articles_and_their_blocks(seed_copy, tmp_path):
    report = search.build([seed_copy], tmp_path / "index")
    assert report.articles == 5
    assert report.blocks == SEED_BLOCKS == 446
    assert sorted(report.added) == sorted(str(path) for path in seed_copy.glob("*.txt"))
    assert (report.updated, report.removed, report.unchanged, report.skipped) == ([], [], [], [])
    assert report.warnings == []
    with search.open(tmp_path / "index") as library:
        blocks = {info.doc_id: info.blocks for info in library.documents()}
    assert blocks == {doc_id: count for doc_id, (count, _) in SEED_COUNTS.items()}


def test_the_seeds_have_their_paragraph_counts(seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        counts = {info.doc_id: (info.blocks, info.paragraphs) for info in library.documents()}
    assert counts == SEED_COUNTS


def test_indexed_blocks_are_the_blocks_read_from_each_file(seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        for path in sorted(seed_copy.glob("*.txt")):
            article = read_article(path)
            stored = library.blocks(path.stem)
            assert [(b.kind, b.text, b.line_start, b.line_end, b.paragraph) for b in stored] == [
                (b.kind.value, b.text, b.line_start, b.line_end, b.paragraph)
                for b in article.blocks]


def test_rerunning_the_build_reindexes_nothing(built, seed_copy):
    tables_before = sorted(path.name for path in built.glob("_MAIN_*.toc"))
    report = search.build([seed_copy], built)
    assert sorted(report.unchanged) == sorted(str(path) for path in seed_copy.glob("*.txt"))
    assert (report.added, report.updated, report.removed) == ([], [], [])
    assert (report.articles, report.blocks) == (5, SEED_BLOCKS)
    assert sorted(path.name for path in built.glob("_MAIN_*.toc")) == tables_before


def test_building_a_missing_folder_is_an_input_error(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(InputError, match=re.escape(f"{missing}: no such file or folder.")):
        search.build([missing], tmp_path / "index")


def test_a_bad_file_is_skipped_and_the_rest_indexed(seed_copy, tmp_path):
    binary = seed_copy / "picture.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    report = search.build([seed_copy], tmp_path / "index")
    assert report.skipped == [
        (str(binary), f"{binary} looks binary, not text; give a UTF-8 text file.")]
    assert report.articles == 5


def test_articles_with_the_same_file_name_in_two_folders_keep_apart(tmp_path):
    for folder in ("left", "right"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(
            NEW_ARTICLE.replace("Rottnest", f"Rottnest {folder}wing"), encoding="utf-8")
    report = search.build([tmp_path / "left", tmp_path / "right"], tmp_path / "index")
    assert report.articles == 2
    with search.open(tmp_path / "index") as library:
        assert len(library.articles) == 2
        paths = {meta.path for meta in library.articles.values()}
    assert paths == {"left/notes.txt", "right/notes.txt"}  # from the folder holding both


# --- incremental re-indexing ----------------------------------------------------------------


def test_changing_one_file_reindexes_only_that_file(built, seed_copy):
    changed = seed(seed_copy, "002")
    with search.open(built) as library:
        untouched_before = library.blocks("000_ee2ff855b77098e1")
    assert passages(built, "river of blood") == [("000", 40), ("002", 87)]

    replace_in(changed, "A “river of blood” opened up", "A “sea of tears” opened up")
    report = search.build([seed_copy], built)

    assert report.updated == [str(changed)]
    assert sorted(report.unchanged) == sorted(
        str(path) for path in seed_copy.glob("*.txt") if path != changed)
    assert (report.added, report.removed) == ([], [])
    assert passages(built, "river of blood") == [("000", 40)]
    assert passages(built, "sea of tears") == [("002", 87)]
    with search.open(built) as library:
        assert library.blocks("000_ee2ff855b77098e1") == untouched_before
        assert (len(library.articles), len(library.blocks("002_ced5b9d275ebdcfc"))) == (5, 68)


def test_adding_a_file_makes_it_searchable(built, seed_copy):
    added = seed_copy / "005_quokkas.txt"
    added.write_text(NEW_ARTICLE, encoding="utf-8")
    report = search.build([seed_copy], built)
    assert report.added == [str(added)]
    assert len(report.unchanged) == 5
    assert report.articles == 6
    with search.open(built) as library:
        hits = library.search("quokkas salt lakes", limit=1)
    assert [(hit.doc_id, hit.line_start, hit.paragraph) for hit in hits] == [("005_quokkas", 5, 1)]


def test_deleting_a_file_removes_its_passages(built, seed_copy):
    deleted = seed(seed_copy, "004")
    assert passages(built, "guiding light of the left opposition") == [("004", 96)]
    deleted.unlink()
    report = search.build([seed_copy], built)
    assert report.removed == [str(deleted)]
    assert passages(built, "guiding light of the left opposition") == []
    with search.open(built) as library:
        assert "004_abca370204a8c88e" not in library.articles
        assert library.search("doc:004", limit=100).hits == ()
        with pytest.raises(search.ArticleNotFound):
            library.resolve("004")


def test_report_counts_leave_out_replaced_and_removed_documents(built, seed_copy):
    replace_in(seed(seed_copy, "002"), "A “river of blood” opened up", "A “sea of tears” opened up")
    updated = search.build([seed_copy], built)
    assert (updated.articles, updated.blocks) == (5, SEED_BLOCKS)
    seed(seed_copy, "004").unlink()
    removed = search.build([seed_copy], built)
    assert (removed.articles, removed.blocks) == (4, SEED_BLOCKS - 55)


def test_changing_the_catalog_entry_reindexes_that_article(built, seed_copy):
    replace_in(seed_copy / "catalog.toml", 'date = "2022-08-31"', 'date = "2021-05-01"')
    article = seed(seed_copy, "000")
    report = search.build([seed_copy], built)
    assert report.updated == [str(article)]
    assert len(report.unchanged) == 4
    with search.open(built) as library:
        assert library.articles["000_ee2ff855b77098e1"].date == "2021-05-01"
        assert {hit.doc_id for hit in library.search("date:2021", limit=500)} == {
            "000_ee2ff855b77098e1"}
        assert library.search("date:2022", limit=500).hits == ()


def test_rebuild_starts_over(built, seed_copy, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "quokkas.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert search.build([extra], built).articles == 6  # other folders' articles stay

    report = search.build([seed_copy], built, rebuild=True)

    assert sorted(report.added) == sorted(str(path) for path in seed_copy.glob("*.txt"))
    assert (report.updated, report.unchanged, report.removed) == ([], [], [])
    assert (report.articles, report.blocks) == (5, SEED_BLOCKS)
    with search.open(built) as library:
        assert "quokkas" not in library.articles
    assert passages(built, "counted the quokkas") == []


# --- interrupted and killed runs ------------------------------------------------------------


def interrupt_after(monkeypatch: pytest.MonkeyPatch, records: int) -> None:
    """Make the writer loop raise KeyboardInterrupt after it has added some documents."""
    original = search.engine.index._records
    added = {"count": 0}

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        for record in original(*args, **kwargs):
            added["count"] += 1
            if added["count"] > records:
                raise KeyboardInterrupt
            yield record

    monkeypatch.setattr(search.engine.index, "_records", interrupted)


def change_and_add(seed_copy: Path) -> None:
    replace_in(seed(seed_copy, "002"), "A “river of blood” opened up", "A “sea of tears” opened up")
    (seed_copy / "005_quokkas.txt").write_text(NEW_ARTICLE, encoding="utf-8")


def assert_previous_content(index_dir: Path) -> None:
    with search.open(index_dir) as library:
        assert sorted(library.articles) == sorted(SEED_COUNTS)
        assert sum(info.blocks for info in library.documents()) == SEED_BLOCKS
    assert passages(index_dir, "counted the quokkas") == []
    assert passages(index_dir, "river of blood") == [("000", 40), ("002", 87)]
    assert passages(index_dir, "sea of tears") == []


def test_an_interrupted_run_leaves_the_previous_index(built, seed_copy, monkeypatch):
    change_and_add(seed_copy)
    interrupt_after(monkeypatch, 40)
    with pytest.raises(KeyboardInterrupt):
        search.build([seed_copy], built)
    monkeypatch.undo()

    assert not (built / LOCK_NAME).exists()
    assert_previous_content(built)

    report = search.build([seed_copy], built)
    assert report.updated == [str(seed(seed_copy, "002"))]
    assert report.added == [str(seed_copy / "005_quokkas.txt")]
    assert passages(built, "sea of tears") == [("002", 87)]


def test_an_interrupted_rebuild_leaves_the_previous_index(built, seed_copy, monkeypatch):
    change_and_add(seed_copy)
    interrupt_after(monkeypatch, 40)
    with pytest.raises(KeyboardInterrupt):
        search.build([seed_copy], built, rebuild=True)
    monkeypatch.undo()

    assert not (built / LOCK_NAME).exists()
    assert_previous_content(built)


def write_bulk_corpus(folder: Path, articles: int = 150, paragraphs: int = 40) -> int:
    """Write generated articles (about 2 MB) built from the seeds' words; return their bytes."""
    words = re.findall(r"[a-z]+", (Path(__file__).parent.parent / "seeds").joinpath(
        "003_411d2712463a3513.txt").read_text(encoding="utf-8").lower())
    rng = random.Random(1917)
    folder.mkdir()
    for number in range(articles):
        body = "\n\n".join(" ".join(rng.choice(words) for _ in range(60)).capitalize() + "."
                           for _ in range(paragraphs))
        (folder / f"bulk_{number:03d}.txt").write_text(f"Bulk article {number}\n\n{body}\n",
                                                        encoding="utf-8")
    return sum(path.stat().st_size for path in folder.iterdir())


def wait_for_writer(process: subprocess.Popen, index_dir: Path, before: set[str],
                    timeout: float = 60.0) -> None:
    """Return once the run has started writing new index files, or has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        new = {name for name in os.listdir(index_dir)} - before - {LOCK_NAME}
        if any(name.startswith("MAIN_") for name in new):
            return
        time.sleep(0.02)


def test_a_killed_indexing_run_leaves_the_previous_index_searchable(built, seed_copy, tmp_path):
    bulk = tmp_path / "bulk"
    assert write_bulk_corpus(bulk) > 2_000_000
    command = [str(Path(sys.executable).with_name("seedsearch")), "index", str(seed_copy),
               str(bulk), "--index", str(built)]
    before = set(os.listdir(built))
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_writer(process, built, before)
        time.sleep(0.5)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=120)
    killed = process.returncode == -signal.SIGKILL

    with search.open(built) as library:  # opens whether or not the kill came in time
        articles = len(library.articles)
        assert articles == (5 if killed else 155)
        assert library.search("kronstadt uprising", limit=1).hits[0].doc_id.startswith("003")
    assert passages(built, "river of blood") == [("000", 40), ("002", 87)]

    lock_left = (built / LOCK_NAME).exists()
    report = search.build([seed_copy, bulk], built)
    assert report.articles == 155
    stale = [warning for warning in report.warnings if "stale lock" in warning]
    assert len(stale) == (1 if lock_left else 0)
    assert not (built / LOCK_NAME).exists()


# --- locks ----------------------------------------------------------------------------------


def test_a_stale_lock_is_removed_with_a_warning(built, seed_copy):
    pid = dead_pid()
    write_lock(built, socket.gethostname(), pid)
    report = search.build([seed_copy], built)
    assert report.warnings == [
        f"Removed a stale lock left by a killed indexing run (pid {pid}); "
        "the index it was writing is the previous, intact one."]
    assert len(report.unchanged) == 5
    assert not (built / LOCK_NAME).exists()


@pytest.fixture
def sleeping_process():  # type: ignore[no-untyped-def]
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield process
    process.kill()
    process.wait()


@pytest.mark.parametrize("holder", ["sleeping child", "this test"])
def test_a_lock_held_by_a_live_process_refuses(built, seed_copy, holder, sleeping_process):
    pid = sleeping_process.pid if holder == "sleeping child" else os.getpid()
    lock = write_lock(built, socket.gethostname(), pid)
    message = (f"Another indexing run (pid {pid}) is writing {built}; wait for it to finish, "
               f"or stop it (kill {pid}) and retry.")
    with pytest.raises(IndexLocked, match=re.escape(message)):
        search.build([seed_copy], built)
    assert lock.read_text(encoding="utf-8") == f"{socket.gethostname()} {pid}\n"
    with search.open(built) as library:  # searching needs no lock
        assert len(library.articles) == 5


def test_a_lock_from_another_host_refuses(built, seed_copy):
    lock = write_lock(built, "otherhost.example", 4242)
    with pytest.raises(IndexLocked, match=re.escape(
            f"{lock} is held by otherhost.example (pid 4242); if no indexing run is active "
            "there, delete that file and retry.")):
        search.build([seed_copy], built)
    assert lock.exists()


def test_an_unreadable_lock_refuses_and_says_to_delete_it(built, seed_copy):
    lock = built / LOCK_NAME
    lock.write_text("", encoding="utf-8")
    with pytest.raises(IndexLocked, match="delete that file and retry"):
        search.build([seed_copy], built)


def test_the_lock_is_released_after_a_run(built):
    assert not (built / LOCK_NAME).exists()


# --- versions and damage --------------------------------------------------------------------


@pytest.mark.parametrize("key, value", [("schema", search.engine.index.SCHEMA_VERSION - 1),
                                        ("analyser", "porter-0")])
def test_an_index_from_an_incompatible_version_is_refused(built, seed_copy, key, value):
    version_file = built / "seedsearch.json"
    info = json.loads(version_file.read_text(encoding="utf-8"))
    info[key] = value
    version_file.write_text(json.dumps(info), encoding="utf-8")

    with pytest.raises(IndexIncompatible, match=re.escape(REBUILD_HINT)):
        search.open(built)
    with pytest.raises(IndexIncompatible, match=re.escape(REBUILD_HINT)):
        search.build([seed_copy], built)

    report = search.build([seed_copy], built, rebuild=True)
    assert (report.articles, len(report.added)) == (5, 5)
    with search.open(built) as library:
        assert len(library.articles) == 5


def test_the_incompatible_schema_message_names_both_versions(built):
    version_file = built / "seedsearch.json"
    info = json.loads(version_file.read_text(encoding="utf-8"))
    info["schema"] = 1
    version_file.write_text(json.dumps(info), encoding="utf-8")
    with pytest.raises(IndexIncompatible) as caught:
        search.open(built)
    analyser = search.engine.index.ANALYSER_VERSION
    assert str(caught.value) == (
        f"The index in {built} was built by an incompatible version (schema 1, analyser "
        f"{analyser}; this version writes schema {search.engine.index.SCHEMA_VERSION}, analyser "
        f"{analyser}); rebuild with `seedsearch index --rebuild`.")


def test_a_whoosh_index_without_seedsearch_json_is_refused(built, seed_copy):
    (built / "seedsearch.json").unlink()
    message = (f"The index in {built} was written by another version; "
               "rebuild with `seedsearch index --rebuild`.")
    with pytest.raises(IndexIncompatible, match=re.escape(message)):
        search.open(built)
    with pytest.raises(IndexIncompatible, match=re.escape(message)):
        search.build([seed_copy], built)
    assert search.build([seed_copy], built, rebuild=True).articles == 5


def test_a_folder_without_an_index_is_not_found(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (empty, tmp_path / "missing"):
        with pytest.raises(IndexNotFound, match=re.escape(
                f"No index in {folder}. Run `seedsearch index` first.")):
            search.open(folder)


def damage(index_dir: Path, how: str) -> None:
    """Damage an index the way a full disk, a bad copy or a stray edit would."""
    (table,) = index_dir.glob("_MAIN_*.toc")
    segments = sorted(index_dir.glob("MAIN_*.seg"))
    if how == "table deleted":
        table.unlink()
    elif how == "table overwritten":
        table.write_bytes(b"garbage" * 10)
    elif how == "table truncated":
        with table.open("r+b") as handle:
            handle.truncate(100)
    elif how == "segment deleted":
        segments[0].unlink()
    elif how == "segment truncated":
        with segments[0].open("r+b") as handle:
            handle.truncate(1000)
    elif how == "segment overwritten":
        with segments[0].open("r+b") as handle:
            handle.write(b"\xff" * 5000)
    elif how == "version file garbled":
        (index_dir / "seedsearch.json").write_text("{not json", encoding="utf-8")
    else:
        raise AssertionError(how)


DAMAGE = ["table deleted", "table overwritten", "table truncated", "segment deleted",
          "segment truncated", "segment overwritten", "version file garbled"]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_index_is_refused_with_the_rebuild_hint(built, how):
    damage(built, how)
    with pytest.raises(IndexIncompatible, match=re.escape(REBUILD_HINT)):
        with search.open(built) as library:
            library.search("kronstadt uprising")


@pytest.mark.parametrize("how", DAMAGE)
def test_rebuild_repairs_a_damaged_index(built, seed_copy, how):
    damage(built, how)
    report = search.build([seed_copy], built, rebuild=True)
    assert (report.articles, report.blocks) == (5, SEED_BLOCKS)
    with search.open(built) as library:
        assert library.search("kronstadt uprising", limit=1).hits[0].doc_id.startswith("003")
