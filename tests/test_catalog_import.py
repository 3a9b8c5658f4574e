"""`seedsearch catalog import`: a Zotero export (CSL-JSON, BibTeX, RIS) fills the catalog of
the articles it matches by DOI, URL or title, and never overwrites an entry."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

import search
from search.catalog_import import read_references
from search.cli import cli

CSL = [{"type": "article-newspaper", "title": "The struggle against Stalinism",
        "author": [{"family": "Narai", "given": "Robert"}], "container-title": "Red Flag",
        "issued": {"date-parts": [[2022, 8, 31]]}},
       {"type": "book", "title": "The Revolution Betrayed",
        "author": [{"family": "Trotsky", "given": "Leon"}], "issued": {"date-parts": [[1937]]}}]
BIBTEX = """@article{belano2025,
  author = {Belano, Robert},
  title = {Lenin's Fight Against Stalinism and the Emergence of the {Left Opposition}},
  journal = {Left Voice},
  year = {2025}, month = mar,
  url = {https://www.example.org/004_abca370204a8c88e/},
}
"""
RIS = """TY  - NEWS
AU  - Shail, Lenny
TI  - Leon Trotsky’s struggle against Stalinism
T2  - Socialist
PY  - 2019/01/
ER  -
"""


@pytest.fixture
def pages(formats_dir: Path, tmp_path: Path) -> Path:
    """Three of the seeds as web pages, with no catalog beside them, indexed."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for stem in ("000_ee2ff855b77098e1", "002_ced5b9d275ebdcfc", "004_abca370204a8c88e"):
        shutil.copy(formats_dir / "html" / f"{stem}.html", folder)
    search.build([folder], tmp_path / "index")
    return folder


def test_each_export_format_reads_into_catalog_fields(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(CSL), encoding="utf-8")
    (tmp_path / "b.bib").write_text(BIBTEX, encoding="utf-8")
    (tmp_path / "c.ris").write_text(RIS, encoding="utf-8")
    assert read_references(tmp_path / "a.json")[0] == {
        "title": "The struggle against Stalinism", "authors": ["Robert Narai"],
        "publication": "Red Flag", "date": "2022-08-31"}
    assert read_references(tmp_path / "b.bib") == [{
        "title": "Lenin's Fight Against Stalinism and the Emergence of the Left Opposition",
        "authors": ["Robert Belano"], "publication": "Left Voice", "date": "2025-03",
        "url": "https://www.example.org/004_abca370204a8c88e/"}]
    assert read_references(tmp_path / "c.ris") == [{
        "title": "Leon Trotsky’s struggle against Stalinism", "authors": ["Lenny Shail"],
        "publication": "Socialist", "date": "2019-01"}]


def test_import_fills_the_catalog_and_the_next_index_cites_with_it(runner, pages, tmp_path):
    index = tmp_path / "index"
    (tmp_path / "refs.bib").write_text(BIBTEX, encoding="utf-8")
    result = runner.invoke(cli, ["catalog", "import", str(tmp_path / "refs.bib"),
                                 "--index", str(index)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (f"Added 004_abca370204a8c88e to "
                                             f"{pages / 'catalog.toml'}")
    catalog = tomllib.loads((pages / "catalog.toml").read_text(encoding="utf-8"))
    assert catalog["004_abca370204a8c88e"]["date"] == "2025-03"  # matched by URL
    report = search.build([pages], index)
    assert report.updated == [str(pages / "004_abca370204a8c88e.html")]
    with search.open(index) as library:
        meta = library.articles["004_abca370204a8c88e"]
        assert (meta.source, meta.date, meta.publication) == ("catalog", "2025-03", "Left Voice")


def test_import_matches_by_title_and_keeps_existing_entries(runner, pages, tmp_path):
    index = tmp_path / "index"
    (pages / "catalog.toml").write_text('["002_ced5b9d275ebdcfc"]\ntitle = "Mine"\n',
                                        encoding="utf-8")
    (tmp_path / "refs.json").write_text(json.dumps(CSL), encoding="utf-8")
    (tmp_path / "refs.ris").write_text(RIS, encoding="utf-8")
    first = runner.invoke(cli, ["catalog", "import", str(tmp_path / "refs.json"), "--index",
                                str(index), "--json"])
    assert json.loads(first.stdout) == {
        "references": 2, "added": [["000_ee2ff855b77098e1", str(pages / "catalog.toml")]],
        "already_catalogued": [], "unmatched": ["The Revolution Betrayed"]}
    second = runner.invoke(cli, ["catalog", "import", str(tmp_path / "refs.ris"), "--index",
                                 str(index)])
    assert second.exit_code == 1
    assert "Kept the existing catalog entry of 002_ced5b9d275ebdcfc" in second.stdout
    catalog = tomllib.loads((pages / "catalog.toml").read_text(encoding="utf-8"))
    assert catalog["002_ced5b9d275ebdcfc"] == {"title": "Mine"}
    assert catalog["000_ee2ff855b77098e1"]["authors"] == ["Robert Narai"]


def test_a_file_that_is_no_export_is_a_one_line_error(runner, pages, tmp_path):
    (tmp_path / "notes.txt").write_text("just some notes\n", encoding="utf-8")
    result = runner.invoke(cli, ["catalog", "import", str(tmp_path / "notes.txt"), "--index",
                                 str(tmp_path / "index")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'notes.txt'} is not CSL-JSON, BibTeX or RIS; "
                             "export the references from Zotero in one of these formats.\n")
