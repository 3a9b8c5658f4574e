"""Tests for search.engine.plan: an article is its file, wherever `index` runs from and
however the path is spelt; moves are moves, and only a file that is gone is removed."""

from __future__ import annotations

import os
from pathlib import Path

import search
from search.cli import cli


def test_indexing_from_two_working_directories_removes_nothing(runner, seed_copy, tmp_path,
                                                               monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "draft.md").write_text("A draft about the quokkas.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(cli, ["index", "seeds", "--index", "IX"])
    assert first.exit_code == 0, first.output
    monkeypatch.chdir(tmp_path / "docs")
    second = runner.invoke(cli, ["index", "draft.md", "--index", "../IX"])
    assert second.stdout.startswith(
        "Indexed into ../IX/: 1 added, 0 updated, 0 removed, 0 unchanged. 6 articles")
    for spelling in (str(seed_copy), "../seeds", f"../docs/../seeds/{os.curdir}"):
        again = search.build([spelling], tmp_path / "IX")
        assert (again.added, again.updated, again.removed, again.moved) == ([], [], [], [])
        assert len(again.unchanged) == 5 and again.articles == 6


def test_citations_show_the_path_from_the_folder_holding_what_was_indexed(seed_copy, tmp_path,
                                                                        monkeypatch):
    monkeypatch.chdir(seed_copy)
    search.build(["."], tmp_path / "index")
    search.build([tmp_path / "seeds" / ".." / "seeds"], tmp_path / "other")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "draft.md").write_text("The quokkas again.\n", encoding="utf-8")
    search.build([tmp_path / "notes" / "draft.md"], tmp_path / "other")
    with search.open(tmp_path / "index") as library, search.open(tmp_path / "other") as other:
        assert {meta.path for meta in library.articles.values()} == {
            f"seeds/{path.name}" for path in seed_copy.glob("*.txt")}
        assert {meta.path for meta in other.articles.values()} == {
            f"seeds/{path.name}" for path in seed_copy.glob("*.txt")} | {"draft.md"}


def test_a_moved_article_is_moved_not_removed_and_added(seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    (seed_copy / "older").mkdir()
    (old,) = seed_copy.glob("002_*.txt")
    moved = seed_copy / "older" / old.name
    old.rename(moved)
    report = search.build([seed_copy], tmp_path / "index")
    assert report.moved == [(str(old), str(moved))]
    assert (report.added, report.removed, report.updated) == ([], [], [])
    with search.open(tmp_path / "index") as library:
        assert library.articles[old.stem].path == f"seeds/older/{old.name}"
        assert library.search("Ninety years ago this January").hits[0].doc_id == old.stem


def test_a_renamed_article_is_moved_under_its_new_name(seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    (old,) = seed_copy.glob("000_*.txt")
    old.rename(seed_copy / "narai.txt")
    report = search.build([seed_copy], tmp_path / "index")
    assert report.moved == [(str(old), str(seed_copy / "narai.txt"))]
    assert report.articles == 5 and report.removed == []
    with search.open(tmp_path / "index") as library:
        assert "narai" in library.articles and old.stem not in library.articles


def test_only_an_article_whose_file_is_gone_is_removed(runner, seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    (gone,) = seed_copy.glob("001_*.txt")
    gone.unlink()
    (seed_copy / "elsewhere").mkdir()
    result = runner.invoke(cli, ["index", str(seed_copy / "elsewhere"), "--index",
                                 str(tmp_path / "index")])
    assert result.exit_code == 2  # a folder without articles
    result = runner.invoke(cli, ["index", str(seed_copy / "002_ced5b9d275ebdcfc.txt"),
                                 "--index", str(tmp_path / "index")])
    assert result.stdout.splitlines()[1:] == [f"Removed: {gone} (the file is gone)"]
    with search.open(tmp_path / "index") as library:
        assert len(library.articles) == 4


def test_the_same_file_through_a_symbolic_link_is_one_article(seed_copy, tmp_path):
    Path(tmp_path / "link").symlink_to(seed_copy, target_is_directory=True)
    search.build([seed_copy], tmp_path / "index")
    report = search.build([tmp_path / "link"], tmp_path / "index")
    assert len(report.unchanged) == 5 and report.articles == 5


def test_index_prints_the_moves(runner, seed_copy, tmp_path):
    search.build([seed_copy], tmp_path / "index")
    (old,) = seed_copy.glob("003_*.txt")
    old.rename(seed_copy / "study.txt")
    result = runner.invoke(cli, ["index", str(seed_copy), "--index", str(tmp_path / "index")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Indexed into {tmp_path / 'index'}/: 0 added, 0 updated, "
                               "0 removed, 1 moved, 4 unchanged. 5 articles")
    assert lines[1:] == [f"Moved: {old} -> {seed_copy / 'study.txt'}"]
