"""Every bad input of issue 10 gets one `Error:` line and its exit code, or a working answer
with a note, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

import search
import search.engine.index
import search.engine.lock
from search.cli import cli

sys.path.insert(0, str(Path(__file__).parent))
from test_cli import assert_one_line_error as one_line_error  # noqa: E402


def search_json(runner, seed_index: Path, text: str) -> dict:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["search", text, "--index", str(seed_index), "--json"])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    return json.loads(result.stdout)


FIELDS_NOTE = ("is not a field you can search (author, content, date, doc, kind, publication, "
               "section, title); searched for the word.")


@pytest.mark.parametrize("field", ["paragraph", "line_start", "order", "start", "weight", "end",
                                   "data", "content_hash", "rectype", "path", "doc_id", "nosuch"])
def test_an_internal_or_unknown_field_is_searched_as_a_word(runner, seed_index, field):
    found = search_json(runner, seed_index, f"{field}:5 kronstadt")
    assert found["notes"][0] == f"{field + ':'!r} {FIELDS_NOTE}"
    assert found["hits"]


@pytest.mark.parametrize("text", ["> Kronstadt sailors", "< kronstadt", ">= <= kronstadt"])
def test_a_pasted_block_quote_marker_is_not_an_operator(runner, seed_index, text):
    found = search_json(runner, seed_index, text)
    assert found["searched_for"].strip("<>= ") in ("Kronstadt sailors", "kronstadt", "")


def test_open_date_ranges_work(runner, seed_index):
    after = search_json(runner, seed_index, "date:[2022 TO *]")
    assert {hit["doc"]["date"] for hit in after["hits"]} == {"2022-08-31"}
    every = search_json(runner, seed_index, "date:[* TO *] kronstadt")
    assert every["hits"]
    before = search_json(runner, seed_index, "date:[* TO 2019] stalin")
    assert {hit["doc"]["date"] for hit in before["hits"]} == {"2019-01"}


@pytest.mark.parametrize("text, bound", [("date:[x TO y]", "x"), ("date:[2019 TO x]", "x"),
                                         ("date:>x", "x"), ("date:2019-13-45", "2019-13-45")])
def test_a_date_that_is_not_a_date_is_an_error(runner, seed_index, text, bound):
    result = runner.invoke(cli, ["search", text, "--index", str(seed_index)])
    assert one_line_error(result) == (
        f"Error: Could not read the date {bound!r} in {text!r}; write dates as 2019, "
        "2019-08 or 2019-08-31.")


def test_deep_nesting_reads_as_plain_words(runner, seed_index):
    found = search_json(runner, seed_index, "(" * 500 + "kronstadt" + ")" * 500)
    assert found["notes"] == ["Could not read the query syntax (parentheses nested more than "
                              "10 deep); searched for the plain words: kronstadt"]
    assert found["hits"]


def test_a_fuzzy_distance_is_capped_at_two(runner, seed_index):
    found = search_json(runner, seed_index, "trotsky~9")
    assert found["notes"] == ["Fuzzy terms allow at most 2 edits; trotsky~9 searched as "
                              "trotsky~2."]
    assert found["work"]["expansions"] <= 2 * search.engine.query.MAX_EXPANSIONS


def test_a_read_only_index_folder_is_a_one_line_error(runner, seed_index, tmp_path,
                                                      monkeypatch):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    monkeypatch.setattr(search.engine.index, "writable", lambda folder: folder != index_dir)
    result = runner.invoke(cli, ["index", str(seed_index.parent / "seeds"), "--index",
                                 str(index_dir)])
    assert one_line_error(result) == (f"Error: The index folder {index_dir} is read-only; make "
                                      "it writable or give another --index.")
    searched = runner.invoke(cli, ["search", "kronstadt", "--index", str(index_dir)])
    assert searched.exit_code == 0  # reading needs no lock


def test_a_lock_that_cannot_be_written_is_a_one_line_error(runner, seed_index, tmp_path,
                                                           monkeypatch):
    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(search.engine.lock.os, "open", refused)
    result = runner.invoke(cli, ["index", str(seed_index.parent / "seeds"), "--index",
                                 str(tmp_path / "index")])
    assert one_line_error(result) == (
        f"Error: Cannot write the index folder {tmp_path / 'index'} (Permission denied); "
        "make it writable or give another --index.")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_really_read_only_index_is_searched_and_not_written(runner, seed_index, tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    index_dir.chmod(0o555)
    try:
        assert runner.invoke(cli, ["search", "kronstadt", "--index", str(index_dir)]).exit_code == 0
        result = runner.invoke(cli, ["index", str(seed_index.parent / "seeds"), "--index",
                                     str(index_dir)])
        one_line_error(result)
    finally:
        index_dir.chmod(0o755)


def test_a_mistyped_index_variable_is_not_built(runner, tmp_path, monkeypatch):
    typo = tmp_path / "indx"
    monkeypatch.setenv("SEEDSEARCH_INDEX", str(typo))
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # where seeds/ is
    result = runner.invoke(cli, ["search", "kronstadt"])
    assert one_line_error(result) == f"Error: No index in {typo}. Run `seedsearch index` first."
    assert not typo.exists()


@pytest.mark.parametrize("content", ['["a", "list"]', '"text"', "3"])
def test_a_version_file_of_the_wrong_shape_is_damage(runner, seed_index, tmp_path, content):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    (index_dir / "seedsearch.json").write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["search", "kronstadt", "--index", str(index_dir)])
    assert one_line_error(result) == (f"Error: {index_dir / 'seedsearch.json'} is damaged; "
                                      "rebuild with `seedsearch index --rebuild`.")


@pytest.mark.parametrize("content", ['["a", "list"]', '{"word": 3}', "garbage"])
def test_derived_files_of_the_wrong_shape_are_rebuilt(runner, seed_index, tmp_path, content):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    for path in [*index_dir.glob("vocabulary_*.json"), *index_dir.glob("removed_*.json")]:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["search", "kronstadt uprizing", "--index", str(index_dir)])
    assert result.exit_code == 0 and "uprising" in result.stderr + result.stdout


def test_a_nul_byte_deep_in_a_file_is_refused(runner, tmp_path):
    article = tmp_path / "nul.txt"
    article.write_bytes(b"Words. " * 2000 + b"\x00 more words\n")
    result = runner.invoke(cli, ["index", str(article), "--index", str(tmp_path / "index")])
    assert result.exit_code == 2
    assert result.stderr == (f"Skipped: {article} holds a NUL byte at offset 14000; remove it "
                             "or give a UTF-8 text file.\n")


def test_a_bad_line_in_a_batch_is_reported_by_number_and_the_rest_checked(runner, seed_index,
                                                                         tmp_path):
    batch = tmp_path / "quotes.txt"
    batch.write_bytes(b"whole river of blood\n\n\xff\xfe bad\n"
                      b"not only a bloody line but a whole river of blood\n")
    result = runner.invoke(cli, ["cite", "--batch", str(batch), "--index", str(seed_index)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "line 3: Error: not UTF-8 (byte 0xff at column 1); convert the file, e.g. iconv -t " \
           "utf-8." in lines
    assert sum(line.startswith("✓ exact") for line in lines) == 2


def test_indexing_a_folder_without_articles_is_an_error(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["index", str(tmp_path / "empty"), "--index",
                                 str(tmp_path / "index")])
    assert one_line_error(result) == (f"Error: No articles in {tmp_path / 'empty'}: nothing "
                                      "ending in .txt, .text, .html, .htm, .xhtml, .md, "
                                      ".markdown, .pdf, .epub, .docx was found.")


def test_show_of_a_negative_paragraph_is_an_error(runner, seed_index):
    result = runner.invoke(cli, ["show", "000", "-1", "--index", str(seed_index)])
    assert one_line_error(result) == ("Error: 000_ee2ff855b77098e1 has paragraphs 1 to 28; "
                                      "there is no ¶-1.")


@pytest.mark.parametrize("arguments, message", [
    (["search", "--bogus", "x"], "No such option '--bogus'; see `seedsearch search --help`."),
    (["search"], "Missing argument 'QUERY'; see `seedsearch search --help`."),
    (["nosuch"], "No such command 'nosuch'; see `seedsearch --help`."),
    (["search", "x", "--limit", "0"], "Invalid value for '--limit' / '-n': 0 is not in the "
                                      "range x>=1; see `seedsearch search --help`."),
    (["cite", "x", "--max-sources", "0"], "Invalid value for '--max-sources': 0 is not in the "
                                          "range x>=1; see `seedsearch cite --help`."),
    (["cite", "x", "--max-sources", "-2"], "Invalid value for '--max-sources': -2 is not in "
                                           "the range x>=1; see `seedsearch cite --help`."),
    (["cite", "x", "--max-sources", "many"], "Invalid value for '--max-sources': 'many' is not "
                                             "a valid integer range; see `seedsearch cite --help`."),
    (["check", "draft.md", "--max-sources", "0"], "Invalid value for '--max-sources': 0 is not "
                                                  "in the range x>=1; see `seedsearch check "
                                                  "--help`."),
])
def test_usage_errors_are_one_line(runner, arguments, message):
    result = runner.invoke(cli, arguments)
    assert one_line_error(result) == f"Error: {message}"


def test_cite_by_a_name_the_source_does_not_give_exits_1(runner, seed_index):
    quote = "not only a bloody line but a whole river of blood"
    assert runner.invoke(cli, ["cite", quote, "--index", str(seed_index)]).exit_code == 0
    result = runner.invoke(cli, ["cite", quote, "--by", "Lenin", "--index", str(seed_index)])
    assert result.exit_code == 1


def test_docs_with_format_and_json_is_an_error(runner, seed_index):
    result = runner.invoke(cli, ["docs", "--format", "ris", "--json", "--index", str(seed_index)])
    assert one_line_error(result) == ("Error: Give --format or --json, not both: --format "
                                      "csl-json is already JSON.")


def test_a_bad_batch_line_in_json_names_its_line(runner, seed_index, tmp_path):
    batch = tmp_path / "quotes.txt"
    batch.write_bytes(b"whole river of blood\n\xff bad\n")
    result = runner.invoke(cli, ["cite", "--batch", str(batch), "--index", str(seed_index),
                                 "--json"])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines[-1]["verdict"] == "error" and lines[-1]["line"] == 2


@pytest.mark.parametrize("text", ["0~0content_hash:0", "x~1paragraph:2", "(a)order:x"])
def test_an_internal_field_after_other_syntax_is_never_parsed(runner, seed_index, text):
    """Found by the fuzz test: a field name straight after a fuzzy term reached Whoosh."""
    search_json(runner, seed_index, text)
