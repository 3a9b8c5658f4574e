"""`seedsearch cite` and `seedsearch check` through the command line: output, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.cli import cli

RIVER = ("The present purge draws between Bolshevism and Stalinism not only a bloody line but a "
         "whole river of blood")


def cite(runner, seed_index: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, ["cite", *args, "--index", str(seed_index)])


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output
    return result.stderr.strip()


def test_exact_quote_exits_0_with_the_source(runner, seed_index: Path) -> None:
    result = cite(runner, seed_index, RIVER)
    assert result.exit_code == 0
    assert result.stdout.startswith("✓ exact")
    assert "¶18, " in result.stdout and "000_ee2ff855b77098e1.txt:40-40" in result.stdout
    assert "speaker: Trotsky" in result.stdout


def test_variant_exits_1_and_shows_the_difference(runner, seed_index: Path) -> None:
    result = cite(runner, seed_index, RIVER.replace("river", "sea"))
    assert result.exit_code == 1
    assert result.stdout.startswith("✗ variant")
    assert "differences: “river” → “sea”" in result.stdout


def test_cite_json_follows_the_contract(runner, seed_index: Path) -> None:
    result = cite(runner, seed_index, RIVER.replace("river", "sea"), "--json")
    data = json.loads(result.stdout)
    assert {"quote", "verdict", "matches"} <= set(data)
    assert data["verdict"] == "variant"
    match = data["matches"][0]
    assert {"doc", "paragraph", "line_start", "line_end", "verdict", "similarity", "source_text",
            "differences", "omissions", "speaker", "citation", "kind", "section"} <= set(match)
    assert (match["paragraph"], match["line_start"], match["line_end"]) == (18, 40, 40)
    assert match["differences"] == [{"op": "replace", "source": "river", "quote": "sea"}]
    assert match["source_text"] == RIVER
    assert match["speaker"] == "Trotsky"
    assert Path(match["doc"]["path"]).name == "000_ee2ff855b77098e1.txt"


def test_batch_gives_one_json_line_per_quotation_in_order(runner, seed_index: Path,
                                                          tmp_path: Path) -> None:
    batch = tmp_path / "quotes.txt"
    batch.write_text(f"{RIVER}\n\nthe working class and the peasantry\nto be or not to be\n",
                     encoding="utf-8")
    result = cite(runner, seed_index, "--batch", str(batch), "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    # The blank line is skipped, not counted as a failure (issue 10).
    assert [line["verdict"] for line in lines] == ["exact", "exact", "error"]
    assert "common words" in lines[2]["error"]
    assert result.exit_code == 1


def test_batch_reads_standard_input(runner, seed_index: Path) -> None:
    result = runner.invoke(cli, ["cite", "--batch", "-", "--index", str(seed_index), "--json"],
                           input=f"{RIVER}\n")
    assert json.loads(result.stdout)["verdict"] == "exact"
    assert result.exit_code == 0


@pytest.mark.parametrize("quote, message", [
    ("", "The quotation is empty."),
    ("... — !!", "has no words to look for"),
    ("of the and to", "only common words"),
    ("revolution " * 5000, "the limit is 1,000"),
])
def test_unusable_quotations_are_one_line_errors(runner, seed_index: Path, quote: str,
                                                 message: str) -> None:
    assert message in one_line_error(cite(runner, seed_index, quote))


def test_cite_needs_a_quotation_or_a_batch(runner, seed_index: Path) -> None:
    assert "Give one QUOTATION or --batch FILE." in one_line_error(cite(runner, seed_index))


def test_by_says_whether_the_corpus_attributes_the_words(runner, seed_index: Path) -> None:
    said = cite(runner, seed_index, "A wave of depression passed over Russia", "--by", "Serge")
    assert "The corpus attributes these words to Serge." in said.stdout
    other = cite(runner, seed_index, "A wave of depression passed over Russia", "--by", "Lenin")
    assert "The corpus does not attribute these words to Lenin." in other.stdout


def test_cite_style_bibtex_exports_the_cited_article(runner, seed_index: Path) -> None:
    result = cite(runner, seed_index, RIVER, "--style", "bibtex")
    assert result.stdout.startswith("@article{narai2022struggle,")
    assert result.exit_code == 0


def test_docs_exports_csl_json_for_every_article(runner, seed_index: Path) -> None:
    result = runner.invoke(cli, ["docs", "--format", "csl-json", "--index", str(seed_index)])
    items = json.loads(result.stdout)
    assert len(items) == 5
    assert {item["title"] for item in items} >= {"The struggle against Stalinism"}


DRAFT = """\
# Notes on the purges

Trotsky wrote that the purge drew "not only a bloody line but a whole
river of blood" between Bolshevism and Stalinism.

> A wave of depression passed over Russia, and the bureaucracy had its own way
> for five years.

The so-called "trio" is a scare quote. Lenin said "Stalin is too rude, and this defect ...
becomes intolerable in a General Secretary."
"""


def test_check_reports_each_quotation_at_its_line(runner, seed_index: Path,
                                                   tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    result = runner.invoke(cli, ["check", str(draft), "--index", str(seed_index), "--json"])
    data = json.loads(result.stdout)
    found = [(q["line"], q["verdict"]) for q in data["quotations"]]
    assert found == [(3, "exact"), (6, "variant"), (9, "edited")]
    assert data["summary"]["skipped"] == 1
    assert data["summary"]["quotations"] == 3 and data["summary"]["verified"] == 2
    variant = data["quotations"][1]["matches"][0]
    assert variant["differences"] == [{"op": "replace", "source": "three", "quote": "five"}]
    assert result.exit_code == 1


def test_check_exits_0_when_every_quotation_is_verified(runner, seed_index: Path,
                                                        tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(f'As Trotsky put it, "{RIVER}".\n', encoding="utf-8")
    result = runner.invoke(cli, ["check", str(draft), "--index", str(seed_index)])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{draft}:1: ✓ exact")


def test_check_of_a_draft_without_quotations_says_so(runner, seed_index: Path,
                                                     tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("No quotations here, only a \"scare\" quote.\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(draft), "--index", str(seed_index)])
    assert result.exit_code == 0
    assert result.stderr == (f"No quotations found in {draft} (1 short ones skipped as scare "
                             "quotes or titles).\n")


@pytest.mark.parametrize("content, message", [
    (b"\x00\x01binary", "looks binary"),
    ("caf\u00e9 \u201cquote\u201d".encode("cp1252"), "is not UTF-8"),
    (b"", "is empty"),
])
def test_bad_manuscripts_are_one_line_errors(runner, seed_index: Path, tmp_path: Path,
                                             content: bytes, message: str) -> None:
    draft = tmp_path / "draft.md"
    draft.write_bytes(content)
    result = runner.invoke(cli, ["check", str(draft), "--index", str(seed_index)])
    assert message in one_line_error(result)


def test_missing_manuscript_is_a_usage_error(runner, seed_index: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path / "nope.md"), "--index", str(seed_index)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


CAPTION = "against the bureaucracy and wealthy peasant employers, and for"  # in three captions


def test_max_sources_prints_the_best_source_and_how_many_more(runner, seed_index: Path) -> None:
    result = cite(runner, seed_index, CAPTION, "--max-sources", "1")
    assert result.exit_code == 0
    assert result.stdout.count("[exact, 1.00]") == 1
    assert "001_baf5b2bc01864b5f.txt:17-17" in result.stdout
    assert result.stdout.splitlines()[-1] == "  and 2 more verbatim occurrences"
    data = json.loads(cite(runner, seed_index, CAPTION, "--max-sources", "1", "--json").stdout)
    assert (len(data["matches"]), data["more_sources"]) == (1, 2)


def test_max_sources_applies_to_each_quotation_of_a_batch(runner, seed_index: Path,
                                                         tmp_path: Path) -> None:
    batch = tmp_path / "quotes.txt"
    batch.write_text(f"{CAPTION}\n{RIVER}\n", encoding="utf-8")
    result = cite(runner, seed_index, "--batch", str(batch), "--max-sources", "1", "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(len(line["matches"]), line["more_sources"]) for line in lines] == [(1, 2), (1, 0)]


def test_max_sources_applies_to_a_checked_draft(runner, seed_index: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(f"The banners demanded action “{CAPTION}” workers.\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(draft), "--index", str(seed_index), "--json",
                                 "--max-sources", "1"])
    quotation = json.loads(result.stdout)["quotations"][0]
    assert (len(quotation["matches"]), quotation["more_sources"]) == (1, 2)
