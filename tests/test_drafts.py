"""`seedsearch check` reads the drafts writers have: Markdown, web pages and Word documents,
and reports each quotation where it stands in the draft (a line, or a Word paragraph)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from search.cli import cli
from search.manuscript import read_manuscript

REVOLT = ("The mass revulsion at the horrors of World War One, combined with the inspiration of "
          "the Russian Revolution, ignited a six-year wave of revolt that spread across Europe")
INSURRECTION = "he had helped organise and lead the first successful workers’ insurrection"
HTML_DRAFT = f"""<!DOCTYPE html>
<html><head><title>My essay</title></head>
<body>
<nav><a href="/">Home</a> "a quoted menu item that is not prose"</nav>
<h1>My essay</h1>
<p>On 25 October 1917, Narai writes, <q>{INSURRECTION}</q>, and the
rest followed.</p>

<p>As Narai wrote:</p>
<blockquote>
  <p>{REVOLT}.</p>
</blockquote>
<p>Nobody wrote "the moon over Petrograd was made of green cheese".</p>
</body></html>
"""


def check_json(runner, seed_index: Path, draft: Path) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["check", str(draft), "--index", str(seed_index), "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_an_html_draft_reports_each_quotation_at_its_source_line(runner, seed_index, tmp_path):
    draft = tmp_path / "essay.html"
    draft.write_text(HTML_DRAFT, encoding="utf-8")
    code, data = check_json(runner, seed_index, draft)
    found = [(q["line"], q["kind"], q["verdict"]) for q in data["quotations"]]
    assert found == [(6, "inline", "exact"), (11, "block", "exact"), (13, "inline", "not_found")]
    assert data["quotations"][1]["attributed_to"] == "Narai"
    assert code == 1


def test_a_word_draft_reports_the_paragraph(runner, seed_index, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("My essay", "Title")
    document.add_paragraph("As Narai wrote:")
    document.add_paragraph(REVOLT + ".", "Quote")
    document.add_paragraph(f"Narai writes that “{INSURRECTION}”.")
    draft = tmp_path / "essay.docx"
    document.save(draft)
    code, data = check_json(runner, seed_index, draft)
    found = [(q["place"], q["kind"], q["verdict"]) for q in data["quotations"]]
    assert found == [("paragraph 3", "block", "exact"), ("paragraph 4", "inline", "exact")]
    assert code == 0
    text = runner.invoke(cli, ["check", str(draft), "--index", str(seed_index)]).stdout
    assert text.startswith(f"{draft}, paragraph 3: ✓ exact")


def test_a_markdown_draft_is_read_as_markdown(tmp_path):
    draft = tmp_path / "essay.md"
    draft.write_text(f"# Essay\n\nNarai: *“{INSURRECTION}”*.\n\n> {REVOLT}.\n", encoding="utf-8")
    quotes = read_manuscript(draft).quotations
    assert [(q.line, q.kind, q.text) for q in quotes] == [
        (3, "inline", INSURRECTION), (5, "block", REVOLT + ".")]


def test_a_truncated_word_draft_is_one_line_error(runner, seed_index, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph(f"“{REVOLT}”")
    buffer = io.BytesIO()
    document.save(buffer)
    draft = tmp_path / "cut.docx"
    draft.write_bytes(buffer.getvalue()[:5000])
    result = runner.invoke(cli, ["check", str(draft), "--index", str(seed_index)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {draft} is not a readable .docx (damaged or truncated: "
                             "BadZipFile); open and save it again in Word.\n")
