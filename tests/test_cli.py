"""Tests for the `seedsearch` command line: output, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import search
import search.engine.index
from search.cli import cli
from search.engine.lock import LOCK_NAME

NARAI = "000_ee2ff855b77098e1"
SEEDSEARCH = Path(sys.executable).with_name("seedsearch")
NO_INDEX = "Error: No index in {}. Run `seedsearch index` first.\n"
REBUILD_HINT = "rebuild with `seedsearch index --rebuild`."

# id, title, author/publication/date line, blocks: what `docs` lists (the paragraph counts are
# test_index.py's business; here they come from the library).
DOCS = [
    ("000_ee2ff855b77098e1", "The struggle against Stalinism",
     "Robert Narai, Red Flag, 2022-08-31", 33),
    ("001_baf5b2bc01864b5f", "2023: 100 Years of Socialist Opposition to Stalinism",
     "Nicholas Wurst, Independent Socialist Group", 47),
    ("002_ced5b9d275ebdcfc", "Leon Trotsky's struggle against Stalinism",
     "Lenny Shail, Socialist Party, 2019-01", 68),
    ("003_411d2712463a3513", "Isolation and Degeneration of the Workers' State",
     "(no author, publication or date in the catalog)", 243),
    ("004_abca370204a8c88e",
     "Lenin's Fight Against Stalinism and the Emergence of the Left Opposition",
     "Robert Belano, Socialist Viewpoint", 55),
]

CONTRACT_KEYS = {"query", "hits"}
CONTRACT_HIT_KEYS = {"rank", "score", "doc", "paragraph", "section", "kind", "line_start",
                     "line_end", "text", "snippet", "highlights", "citation"}
CONTRACT_DOC_KEYS = {"id", "path", "title", "author", "publication", "date", "url"}


def assert_one_line_error(result, exit_code: int = 2) -> str:  # type: ignore[no-untyped-def]
    """The command failed cleanly: the exit code, one `Error: ...` line, no traceback."""
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def copy_index(seed_index: Path, tmp_path: Path) -> Path:
    """A copy of the session's seed index that a test may damage."""
    return Path(shutil.copytree(seed_index, tmp_path / "index"))


@pytest.fixture
def seeds_folder(seed_index: Path) -> Path:
    return seed_index.parent / "seeds"


@pytest.fixture
def one_good_article(tmp_path: Path) -> Path:
    """A folder holding one good article, to which a test adds a bad one."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(Path(__file__).parent.parent / "seeds" / f"{NARAI}.txt", folder)
    return folder


# --- indexing bad input ---------------------------------------------------------------------


def test_indexing_a_missing_path_is_an_error(runner, tmp_path):
    missing = tmp_path / "missing"
    result = runner.invoke(cli, ["index", str(missing), "--index", str(tmp_path / "index")])
    assert assert_one_line_error(result) == f"Error: {missing}: no such file or folder."
    assert result.stdout == ""


BAD_FILES = {
    "binary": (b"GIF89a\x00\x01\x00\x00\xff\xff", "{} looks binary, not text; give a UTF-8 text file."),
    "latin-1": ("Café society in 1927.\n".encode("latin-1"),
                "{} is not UTF-8 (byte 0xe9 at offset 3); convert it, e.g. iconv -f cp1252 -t "
                "utf-8."),
    "empty": (b"", "{} is empty."),
    "blank": (b"  \n\n \t\n", "{} is empty."),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_indexing_a_folder_with_a_bad_file_indexes_the_rest(runner, one_good_article, tmp_path,
                                                            kind):
    content, reason = BAD_FILES[kind]
    bad = one_good_article / "bad.txt"
    bad.write_bytes(content)
    index_dir = tmp_path / "index"
    result = runner.invoke(cli, ["index", str(one_good_article), "--index", str(index_dir)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr == f"Skipped: {reason.format(bad)}\n"
    assert re.fullmatch(
        re.escape(f"Indexed into {index_dir}/: 1 added, 0 updated, 0 removed, 0 unchanged, "
                  "1 skipped. 1 articles, 33 blocks (") + r"\d+\.\d\d s\)\.\n", result.stdout)
    with search.open(index_dir) as library:
        assert list(library.articles) == [NARAI]


def test_indexing_only_a_bad_file_reports_it(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    result = runner.invoke(cli, ["index", str(bad), "--index", str(tmp_path / "index")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Skipped: {bad} looks binary, not text; give a UTF-8 text file.\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file whatever its mode")
def test_indexing_an_unreadable_file_skips_it(runner, one_good_article, tmp_path):
    locked = one_good_article / "locked.txt"
    locked.write_text("Some words that nobody may read.\n", encoding="utf-8")
    locked.chmod(0)
    try:
        result = runner.invoke(cli, ["index", str(one_good_article), "--index",
                                     str(tmp_path / "index")])
    finally:
        locked.chmod(0o644)
    assert result.exit_code == 2
    assert result.stderr == f"Skipped: {locked}: cannot read (Permission denied).\n"


def test_indexing_a_file_the_system_refuses_to_read_skips_it(runner, one_good_article, tmp_path,
                                                             monkeypatch):
    locked = one_good_article / "locked.txt"
    locked.write_text("Some words that nobody may read.\n", encoding="utf-8")
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = runner.invoke(cli, ["index", str(one_good_article), "--index",
                                 str(tmp_path / "index")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr == f"Skipped: {locked}: cannot read (Permission denied).\n"


def test_an_interrupted_index_run_says_the_index_is_unchanged(runner, seeds_folder, tmp_path,
                                                              monkeypatch):
    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt
        yield {}

    monkeypatch.setattr(search.engine.index, "_records", interrupted)
    result = runner.invoke(cli, ["index", str(seeds_folder), "--index", str(tmp_path / "index")])
    assert result.exit_code == 130
    assert result.stderr == "Interrupted; the index is as it was before this run.\n"


def test_index_prints_what_it_did(runner, seeds_folder, tmp_path):
    index_dir = tmp_path / "index"
    first = runner.invoke(cli, ["index", str(seeds_folder), "--index", str(index_dir)])
    again = runner.invoke(cli, ["index", str(seeds_folder), "--index", str(index_dir), "--json"])
    assert (first.exit_code, again.exit_code) == (0, 0)
    assert first.stdout.startswith(
        f"Indexed into {index_dir}/: 5 added, 0 updated, 0 removed, 0 unchanged. "
        "5 articles, 446 blocks (")
    report = json.loads(again.stdout)
    assert (len(report["unchanged"]), report["articles"], report["blocks"]) == (5, 5, 446)
    assert (first.stderr, again.stderr) == ("", "")


# --- locks and incompatible or damaged indexes ----------------------------------------------


def test_a_stale_lock_is_reported_as_a_warning(runner, seed_index, seeds_folder, tmp_path):
    index_dir = copy_index(seed_index, tmp_path)
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    (index_dir / LOCK_NAME).write_text(f"{socket.gethostname()} {finished.pid}\n")
    result = runner.invoke(cli, ["index", str(seeds_folder), "--index", str(index_dir)])
    assert result.exit_code == 0
    assert result.stderr == (
        f"Warning: Removed a stale lock left by a killed indexing run (pid {finished.pid}); "
        "the index it was writing is the previous, intact one.\n")


def test_a_live_lock_is_an_error(runner, seed_index, seeds_folder, tmp_path):
    index_dir = copy_index(seed_index, tmp_path)
    pid = os.getpid()
    (index_dir / LOCK_NAME).write_text(f"{socket.gethostname()} {pid}\n")
    result = runner.invoke(cli, ["index", str(seeds_folder), "--index", str(index_dir)])
    assert assert_one_line_error(result) == (
        f"Error: Another indexing run (pid {pid}) is writing {index_dir}; wait for it to "
        f"finish, or stop it (kill {pid}) and retry.")


@pytest.mark.parametrize("args", [["search", "kronstadt"], ["show", "000"], ["docs"],
                                  ["cite", "a whole river of blood"]])
def test_a_command_without_an_index_is_an_error(runner, tmp_path, args):
    missing = tmp_path / "missing"
    result = runner.invoke(cli, [*args, "--index", str(missing)])
    assert assert_one_line_error(result) + "\n" == NO_INDEX.format(missing)
    assert result.stdout == ""


def test_an_index_from_another_version_is_an_error(runner, seed_index, seeds_folder, tmp_path):
    index_dir = copy_index(seed_index, tmp_path)
    version_file = index_dir / "seedsearch.json"
    version_file.write_text(json.dumps({**json.loads(version_file.read_text()), "schema": 1}))
    search_result = runner.invoke(cli, ["search", "kronstadt", "--index", str(index_dir)])
    analyser = search.analyse.ANALYSER_VERSION
    assert assert_one_line_error(search_result) == (
        f"Error: The index in {index_dir} was built by an incompatible version (schema 1, "
        f"analyser {analyser}; this version writes schema {search.engine.index.SCHEMA_VERSION}, "
        f"analyser {analyser}); {REBUILD_HINT}")
    update = runner.invoke(cli, ["index", str(seeds_folder), "--index", str(index_dir)])
    assert assert_one_line_error(update).endswith(REBUILD_HINT)
    rebuild = runner.invoke(cli, ["index", str(seeds_folder), "--index", str(index_dir),
                                  "--rebuild"])
    assert rebuild.exit_code == 0
    assert runner.invoke(cli, ["search", "kronstadt", "--index", str(index_dir)]).exit_code == 0


def test_an_index_without_its_version_file_is_an_error(runner, seed_index, tmp_path):
    index_dir = copy_index(seed_index, tmp_path)
    (index_dir / "seedsearch.json").unlink()
    result = runner.invoke(cli, ["docs", "--index", str(index_dir)])
    assert assert_one_line_error(result) == (
        f"Error: The index in {index_dir} was written by another version; {REBUILD_HINT}")


@pytest.mark.parametrize("damage", ["table", "segment"])
def test_a_damaged_index_is_an_error(runner, seed_index, tmp_path, damage):
    index_dir = copy_index(seed_index, tmp_path)
    pattern = "_MAIN_*.toc" if damage == "table" else "MAIN_*.seg"
    for path in index_dir.glob(pattern):
        path.write_bytes(b"\x00garbage" * 64)
    result = runner.invoke(cli, ["search", "kronstadt", "--index", str(index_dir)])
    assert assert_one_line_error(result).endswith(REBUILD_HINT)


# --- search ---------------------------------------------------------------------------------


def test_a_malformed_query_searches_the_plain_words_with_a_note(runner, seed_index):
    result = runner.invoke(cli, ["search", '"river of blood', "--index", str(seed_index),
                                 "-n", "2"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "Note: Could not read the query syntax (an unclosed quote); searched for the plain "
        "words: river of blood")
    assert f"{NARAI}.txt:40-40" in result.stdout
    assert result.stderr == ""


def test_a_malformed_query_that_finds_nothing_exits_1(runner, seed_index):
    result = runner.invoke(cli, ["search", '"zzqxv wwqxz', "--index", str(seed_index)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Note: Could not read the query syntax (an unclosed quote); searched for the plain "
        "words: zzqxv wwqxz\n"
        "No passage matches '\"zzqxv wwqxz'.\n")


def test_a_query_that_finds_nothing_exits_1(runner, seed_index):
    result = runner.invoke(cli, ["search", "zzqxvwwqxz", "--index", str(seed_index)])
    assert result.exit_code == 1
    assert (result.stdout, result.stderr) == ("", "No passage matches 'zzqxvwwqxz'.\n")


def test_an_empty_query_is_an_error(runner, seed_index):
    result = runner.invoke(cli, ["search", "  ", "--index", str(seed_index)])
    assert assert_one_line_error(result) == (
        "Error: The query is empty; give some words to search for.")


def test_search_prints_the_citation_and_the_snippet(runner, seed_index, seeds_folder):
    result = runner.invoke(cli, ["search", "Kronstadt sailors forefront of the revolution",
                                 "--index", str(seed_index), "-n", "1"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"1\. Isolation and Degeneration of the Workers' State — ¶112 · "
                        r"The Kronstadt Uprising  \(\d+\.\d\d\)", lines[0])
    path = "seeds/" + "003_411d2712463a3513.txt"  # shown from the folder holding seeds/
    assert lines[1] == (
        f"   \"Isolation and Degeneration of the Workers' State\", ¶112, {path}:236-236")
    assert lines[2].startswith("   In 1917 the Kronstadt sailors had been in the forefront")


def test_search_json_has_every_contract_key(runner, seed_index):
    result = runner.invoke(cli, ["search", "kronstadt uprising", "--index", str(seed_index),
                                 "--json", "-n", "3"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert CONTRACT_KEYS <= set(data)
    assert data["query"] == "kronstadt uprising"
    assert len(data["hits"]) == 3
    for hit in data["hits"]:
        assert CONTRACT_HIT_KEYS <= set(hit)
        assert CONTRACT_DOC_KEYS <= set(hit["doc"])


def test_search_json_has_every_key_of_the_contract(runner, seed_index):
    # The contract fixes these names; the issue allows adding fields freely.
    result = runner.invoke(cli, ["search", "kronstadt uprising", "--index", str(seed_index),
                                 "--json", "-n", "3"])
    data = json.loads(result.stdout)
    assert set(data) >= CONTRACT_KEYS
    assert data["hits"]
    for hit in data["hits"]:
        assert set(hit) >= CONTRACT_HIT_KEYS
        assert set(hit["doc"]) >= CONTRACT_DOC_KEYS


def test_search_json_values(runner, seed_index, seeds_folder):
    result = runner.invoke(cli, ["search", '"whole river of blood"', "--index", str(seed_index),
                                 "--json", "-n", "1"])
    hit = json.loads(result.stdout)["hits"][0]
    path = "seeds/" + f"{NARAI}.txt"  # shown from the folder holding seeds/
    assert {key: hit["doc"][key] for key in CONTRACT_DOC_KEYS} == {
        "id": NARAI, "path": path, "title": "The struggle against Stalinism",
        "author": "Robert Narai", "publication": "Red Flag", "date": "2022-08-31", "url": None}
    assert (hit["rank"], hit["paragraph"], hit["section"], hit["kind"]) == (1, 18, "", "body")
    assert (hit["line_start"], hit["line_end"]) == (40, 40)
    assert isinstance(hit["score"], float)
    assert hit["citation"].endswith(f"¶18, {path}:40-40")
    assert "Robert Narai" in hit["citation"]
    for start, end in hit["highlights"]:
        assert hit["snippet"][start:end].lower() in {"whole", "river", "of", "blood"}
    (first, *_), (*_, last) = hit["highlights"][0], hit["highlights"][3]
    assert hit["snippet"][first:last] == "whole river of blood"


def test_search_json_of_an_article_without_author_or_date_uses_null(runner, seed_index):
    result = runner.invoke(cli, ["search", "Kronstadt sailors forefront", "--index",
                                 str(seed_index), "--json", "-n", "1"])
    doc = json.loads(result.stdout)["hits"][0]["doc"]
    assert (doc["id"], doc["author"], doc["date"], doc["publication"], doc["url"]) == (
        "003_411d2712463a3513", None, None, None, None)


def test_per_doc_and_context_options(runner, seed_index):
    per_doc = runner.invoke(cli, ["search", "Trotsky Stalin", "--per-doc", "--json",
                                  "--index", str(seed_index)])
    ids = [hit["doc"]["id"] for hit in json.loads(per_doc.stdout)["hits"]]
    assert len(ids) == len(set(ids)) == 5
    context = runner.invoke(cli, ["search", "Kronstadt sailors forefront of the revolution",
                                  "--context", "1", "-n", "1", "--index", str(seed_index)])
    lines = context.stdout.splitlines()
    assert lines[2].startswith("   [¶111] ")
    assert lines[3].startswith("   In 1917 the Kronstadt sailors")
    assert lines[4].startswith("   [¶113] ")


def test_the_index_environment_variable_selects_the_index(runner, seed_index):
    result = runner.invoke(cli, ["docs"], env={"SEEDSEARCH_INDEX": str(seed_index)})
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()
            if not line.startswith(" ")] == [doc_id for doc_id, *_ in DOCS]


def test_the_default_index_is_built_from_seeds_on_first_use(runner, tmp_path, monkeypatch):
    shutil.copytree(Path(__file__).parent.parent / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEEDSEARCH_INDEX", raising=False)
    result = runner.invoke(cli, ["search", "Kronstadt sailors forefront", "-n", "1"])
    assert result.exit_code == 0
    assert result.stderr == "No index in index/ yet; indexing seeds/ first.\n"
    assert (tmp_path / "index" / "seedsearch.json").is_file()
    assert "¶112, seeds/003_411d2712463a3513.txt:236-236" in result.stdout


# --- show and docs --------------------------------------------------------------------------


def test_show_prints_a_paragraph_with_its_citation(runner, seed_index, seeds_folder):
    result = runner.invoke(cli, ["show", "000", "21", "--index", str(seed_index)])
    assert result.exit_code == 0
    path = "seeds/" + f"{NARAI}.txt"  # shown from the folder holding seeds/
    text = " ".join((seeds_folder.parent / path).read_text(encoding="utf-8").split("\n")[45].split())
    assert result.stdout == (
        f'Robert Narai, "The struggle against Stalinism", *Red Flag*, 2022-08-31, ¶21, '
        f"{path}:46-46\n\n{text}\n")
    assert text.startswith("Stalin also took revenge on Trotsky’s family.")


@pytest.mark.parametrize("name", ["000", NARAI, f"{NARAI}.txt", f"seeds/{NARAI}.txt"])
def test_show_accepts_a_prefix_an_id_or_a_file_name(runner, seed_index, name):
    result = runner.invoke(cli, ["show", name, "1", "--index", str(seed_index)])
    assert result.exit_code == 0
    assert result.stdout.endswith("“Either the Russian revolution will raise the whirlwind "
                                  "of struggle in the West, or the capitalists of all countries "
                                  "will crush our revolution.” It was 25 October 1917, and "
                                  "Trotsky was addressing the delegates of the Second All "
                                  "Russia Congress of Soviets in Petrograd (formerly Saint "
                                  "Petersburg). Earlier that day, he had helped organise and "
                                  "lead the first successful workers’ insurrection.\n")


def test_show_of_a_whole_article_lists_its_blocks(runner, seed_index, seeds_folder):
    result = runner.invoke(cli, ["show", "000", "--index", str(seed_index)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "The struggle against Stalinism"
    numbered = [line for line in lines if re.match(r"^\s*¶\d+ ", line)]
    assert len(numbered) == 28
    assert numbered[20].startswith("   ¶21 Stalin also took revenge")
    assert numbered[20].endswith(f"(seeds/{NARAI}.txt:46)")


@pytest.mark.parametrize("args, message", [
    (["show", "999"], "Error: No indexed article is called '999'; `seedsearch docs` lists them."),
    (["show", "00"], "Error: '00' matches several articles: " + ", ".join(d for d, *_ in DOCS)
     + "."),
    (["show", "000", "29"], f"Error: {NARAI} has paragraphs 1 to 28; there is no ¶29."),
    (["show", "000", "0"], f"Error: {NARAI} has paragraphs 1 to 28; there is no ¶0."),
])
def test_show_with_a_bad_article_or_paragraph_is_an_error(runner, seed_index, args, message):
    result = runner.invoke(cli, [*args, "--index", str(seed_index)])
    assert assert_one_line_error(result) == message
    assert result.stdout == ""


def test_docs_lists_the_articles(runner, seed_index, seeds_folder, seed_library):
    paragraphs = {info.doc_id: info.paragraphs for info in seed_library.documents()}
    result = runner.invoke(cli, ["docs", "--index", str(seed_index)])
    assert result.exit_code == 0
    expected = "".join(
        f"{doc_id}  {title}\n    {detail}\n"
        f"    seeds/{doc_id}.txt · text · {paragraphs[doc_id]} paragraphs, "
        f"{blocks} blocks · metadata from the catalog\n"
        for doc_id, title, detail, blocks in DOCS)
    assert result.stdout == expected
    assert result.stderr == ""


def test_docs_json_lists_the_articles(runner, seed_index, seed_library):
    paragraphs = {info.doc_id: info.paragraphs for info in seed_library.documents()}
    result = runner.invoke(cli, ["docs", "--json", "--index", str(seed_index)])
    documents = json.loads(result.stdout)["documents"]
    assert [(d["doc"]["id"], d["paragraphs"], d["blocks"]) for d in documents] == [
        (doc_id, paragraphs[doc_id], blocks) for doc_id, _, _, blocks in DOCS]


# --- usage errors and exit codes ------------------------------------------------------------


@pytest.mark.parametrize("args", [["search"], ["search", "kronstadt", "--limit", "0"],
                                  ["search", "kronstadt", "--bogus"], ["frobnicate"],
                                  ["show", "000", "twelve"], ["search", "x", "--context", "-1"]])
def test_usage_errors_exit_2_without_a_traceback(runner, seed_index, args):
    result = runner.invoke(cli, [*args, "--index", str(seed_index)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert [line for line in result.stderr.splitlines() if line.startswith("Error: ")]


@pytest.mark.parametrize("args, exit_code", [
    (["search", "kronstadt uprising"], 0),
    (["search", "zzqxvwwqxz"], 1),
    (["search", ""], 2),
    (["docs"], 0),
    (["show", "003", "112"], 0),
    (["show", "003", "999"], 2),
])
def test_exit_codes(runner, seed_index, args, exit_code):
    result = runner.invoke(cli, [*args, "--index", str(seed_index)])
    assert result.exit_code == exit_code
    assert "Traceback" not in result.output


# --- real processes -------------------------------------------------------------------------


def test_the_installed_command_runs_a_search(seed_index, tmp_path):
    done = subprocess.run([str(SEEDSEARCH), "search", "Kronstadt sailors forefront of the "
                           "revolution", "--index", str(seed_index), "-n", "1"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "¶112" in done.stdout and ":236-236" in done.stdout
    assert done.stderr == ""


def test_the_installed_command_reports_an_error_in_one_line(tmp_path):
    missing = tmp_path / "missing"
    done = subprocess.run([str(SEEDSEARCH), "search", "kronstadt", "--index", str(missing)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    assert done.stderr == NO_INDEX.format(missing)
    assert done.stdout == ""


def test_the_installed_command_reads_the_index_from_the_environment(seed_index, tmp_path):
    environment = {**os.environ, "SEEDSEARCH_INDEX": str(seed_index)}
    done = subprocess.run([str(SEEDSEARCH), "show", "003", "112"], capture_output=True,
                          text=True, cwd=tmp_path, env=environment, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("\"Isolation and Degeneration of the Workers' State\", ¶112, ")


def test_python_m_search_shows_help(tmp_path):
    done = subprocess.run([sys.executable, "-m", "search", "--help"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: ")
    for command in ("index", "search", "show", "docs", "cite", "check"):
        assert re.search(rf"^\s+{command}\s", done.stdout, re.M), command


def test_opening_an_index_pauses_the_collector_and_freezes_only_for_the_command_line(
        seed_index: Path) -> None:
    """cli_common.open_library: the collector is paused while the index opens and runs again
    after (or stays off, if the caller had turned it off); what opening made is frozen only
    in the `seedsearch` process (cli.main sets freeze_opened), never in a caller's own."""
    import gc

    from search import cli_common

    assert not cli_common.freeze_opened
    frozen = gc.get_freeze_count()
    cli_common.open_library(str(seed_index)).close()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        cli_common.open_library(str(seed_index)).close()
        assert not gc.isenabled()
    finally:
        gc.enable()
    code = ("import gc, sys\n"
            "from search import cli_common\n"
            "from search.cli import main\n"
            "sys.argv = ['seedsearch', 'docs', '--index', sys.argv[1], '--json']\n"
            "frozen = []\n"
            "opening = cli_common._uncollected\n"
            "def watched(*args):\n"
            "    library = opening(*args)\n"
            "    frozen.append((gc.isenabled(), gc.get_count()[0] < 50))\n"
            "    return library\n"
            "cli_common._uncollected = watched\n"
            "try:\n"
            "    main()\n"
            "except SystemExit:\n"
            "    print(frozen, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code, str(seed_index)], capture_output=True,
                            text=True, check=True, cwd=Path(search.__file__).parent.parent)
    assert result.stderr == "[(True, True)]\n"
