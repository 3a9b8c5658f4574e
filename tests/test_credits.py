"""A draft's own credit for its quotations: who said it, which article, year and ¶ (credits.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import search
from search.cli import cli
from search.credits import DraftCitation, read_citation

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

DRAFT = """\
# Notes

As Serge wrote, "A wave of depression passed over Russia, and the bureaucracy had its own way
for three years."

Trotsky recalled: "We killed more than 800 Trotskyists." (Belano, 2025, para. 12)

Shail is plain about it: "But none of this happened without a struggle."[^1]

Lenin claimed that "But none of this happened without a struggle." (Shail, 2019, ¶20)

[^1]: Shail, "Leon Trotsky's struggle against Stalinism", 2021, para. 20.
"""


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("credits") / "index"
    search.build([SEEDS], folder)
    return folder


@pytest.fixture
def report(index_dir: Path, tmp_path: Path) -> search.CheckReport:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    return search.open(index_dir).check(draft)


def test_citations_read_author_year_and_paragraph() -> None:
    cited = read_citation("Belano, 2025, para. 14")
    assert cited is not None
    assert (cited.author, cited.year, cited.paragraph) == ("Belano", "2025", 14)
    cited = read_citation("¶ 7")
    assert cited is not None and (cited.author, cited.year, cited.paragraph) == ("", "", 7)


def test_the_right_speaker_earns_no_warning(report: search.CheckReport) -> None:
    serge = report.quotations[0]
    assert serge.quote.attributed_to == "Serge"
    assert serge.credit == ()


def test_a_wrong_speaker_and_a_wrong_paragraph_are_reported(report: search.CheckReport) -> None:
    checked = report.quotations[1]
    assert checked.verification.verdict == search.Verdict.EXACT
    assert checked.credit == (
        "misattributed: the draft credits Trotsky; the source attributes these words to a "
        "member of the Greek Communist Party’s Political Bureau (in Robert Belano's article)",
        "wrong pinpoint: the draft cites ¶12; the words are at ¶38")
    assert checked.verification.matches[0].warnings[-2:] == checked.credit


def test_a_footnote_with_the_wrong_year_is_misattributed(report: search.CheckReport) -> None:
    checked = report.quotations[2]
    assert checked.verification.verdict == search.Verdict.EXACT
    assert checked.credit == ("misattributed: the draft cites 2021; the article is from 2019",)


def test_crediting_the_articles_own_words_to_someone_else(report: search.CheckReport) -> None:
    checked = report.quotations[3]
    assert checked.credit == ("misattributed: the draft credits Lenin; the words are Lenny "
                              "Shail's own",)


def test_check_exits_1_on_a_misattribution_and_says_so(index_dir: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text('Trotsky recalled: "We killed more than 800 Trotskyists."\n',
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(draft), "--index", str(index_dir), "--json"])
    assert result.exit_code == 1
    entry = json.loads(result.output)["quotations"][0]
    assert (entry["verdict"], entry["misattributed"], entry["wrong_pinpoint"]) == (
        "exact", True, False)
    warning = entry["matches"][0]["warnings"][-1]
    assert warning.startswith("misattributed: the draft credits Trotsky")


@pytest.fixture(scope="module")
def pdf_library(formats_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The seeds as PDFs, whose passages sit on printed pages."""
    folder = tmp_path_factory.mktemp("credits-pdf")
    search.build([formats_dir / "pdf"], folder)
    library = search.open(folder)
    yield library
    library.close()


def test_a_page_pinpoint_is_checked_against_the_printed_page(pdf_library, tmp_path) -> None:
    quotation = "But none of this happened without a struggle."
    match = pdf_library.verify(quotation).matches[0]
    page = int(match.page_start)
    draft = tmp_path / "draft.md"
    draft.write_text(f'Shail: "{quotation}" (Shail, 2021, p. {page})\n\n'
                     f'Shail repeats it: "{quotation}" (Shail, 2021, pp. {page + 3}-{page + 4})\n',
                     encoding="utf-8")
    right, wrong = pdf_library.check(draft).quotations
    assert right.credit == ()  # the PDFs carry no date: a year cannot be refuted
    assert wrong.credit == (f"wrong pinpoint: the draft cites pp. {page + 3}\u2013{page + 4}; "
                            f"the words are on p. {page}",)


def test_a_page_pinpoint_is_not_checked_where_the_source_has_no_pages(report) -> None:
    assert read_citation("Shail, 2019, p. 3") == DraftCitation("Shail", "2019", None, (3, 3))
    assert all("p. " not in warning for quoted in report.quotations for warning in quoted.credit)
