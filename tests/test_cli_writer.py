"""The command line as a writer uses it: paste formats, the clipboard, colour, the pager,
the bibliography of a draft, accepted differences as a CI gate, the report and `serve`."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

import search
from search import cli_common
from search.cli import cli

DRAFT = Path(__file__).resolve().parents[1] / "docs" / "draft.md"


def run(runner, seed_index: Path, *args: str, env: dict | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, [*args, "--index", str(seed_index)], env=env)


def test_check_bib_prints_the_references_of_the_verified_quotations(runner, seed_index):
    result = run(runner, seed_index, "check", str(DRAFT), "--bib", "apa")
    assert result.exit_code == 1  # the draft still has a misquote
    assert result.stdout == ("*Isolation and degeneration of the workers’ state*. (n.d.).\n"
                             "Narai, R. (2022, August 31). The struggle against Stalinism. "
                             "*Red Flag*.\n")
    assert result.stderr.splitlines()[-1] == (
        "4 quotations: 1 exact, 1 edited, 1 variant, 1 not_found; 1 skipped.")


def test_check_bib_in_html_and_as_exports(runner, seed_index):
    html = run(runner, seed_index, "check", str(DRAFT), "--bib", "mla", "--format", "html")
    assert html.stdout == (
        '<p class="reference">“Isolation and Degeneration of the Workers’ State.”</p>\n'
        '<p class="reference">Narai, Robert. “The Struggle against Stalinism.” <i>Red Flag</i>, '
        "31 Aug. 2022.</p>\n")
    bibtex = run(runner, seed_index, "check", str(DRAFT), "--bib", "bibtex").stdout
    assert bibtex.startswith("@article{narai2022struggle,") and "@online{isolation," in bibtex
    ris = run(runner, seed_index, "check", str(DRAFT), "--bib", "ris").stdout
    assert ris.count("TY  - ") == 2


def test_cite_exports_ris(runner, seed_index):
    result = run(runner, seed_index, "cite", "not only a bloody line but a whole river of blood",
                 "--style", "ris")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == ["TY  - MGZN", "ID  - narai2022struggle",
                                              "AU  - Narai, Robert"]


def test_accepted_differences_let_deliberate_variants_pass_and_new_ones_fail(runner, seed_index,
                                                                             tmp_path):
    draft = tmp_path / "draft.md"
    shutil.copy(DRAFT, draft)
    assert run(runner, seed_index, "check", str(draft)).exit_code == 1
    added = run(runner, seed_index, "check", str(draft), "--accept-current")
    accept = tmp_path / ".seedsearch-accept"  # beside the draft, where check looks first
    assert added.stderr.endswith(f"Added 2 quotation(s) to {accept}.\n")
    entries = [line for line in accept.read_text(encoding="utf-8").splitlines()
               if not line.startswith("#")]
    assert entries == [
        "A wave of depression passed over Russia, and the bureaucracy had its own way for five "
        "years.",
        "Stalin dissolved the Communist International in 1937 at the request of Churchill and "
        "Roosevelt."]
    passed = run(runner, seed_index, "check", str(draft))
    assert passed.exit_code == 0
    assert "(accepted as it stands) ✗ variant" in passed.stdout
    assert passed.stdout.splitlines()[-1] == (
        "4 quotations: 1 exact, 1 edited, 1 variant, 1 not_found; 2 accepted as they stand; "
        "1 skipped.")
    draft.write_text(draft.read_text(encoding="utf-8").replace("> five years", "> four years"),
                     encoding="utf-8")
    assert run(runner, seed_index, "check", str(draft)).exit_code == 1


def test_check_writes_the_html_report(runner, seed_index, tmp_path):
    out = tmp_path / "report.html"
    result = run(runner, seed_index, "check", str(DRAFT), "--report", str(out))
    assert f"Report written to {out}." in result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_show_cites_the_section_and_shows_the_warnings(runner, seed_index):
    result = run(runner, seed_index, "show", "001", "10", "--style", "apa", "--format", "text")
    lines = result.stdout.splitlines()
    assert lines[0] == "APA: (Wurst, n.d., Permanent Revolution section, para. 2)"
    assert lines[1] == ("reference: Wurst, N. (n.d.). 2023: 100 years of socialist opposition "
                        "to Stalinism. Independent Socialist Group.")
    assert lines[3:5] == ["warning: apa: no date in the catalog; cited as n.d.",
                          "warning: apa: no url in the catalog; the reference has no link"]


def test_show_as_rtf_is_a_document_with_italics(runner, seed_index):
    result = run(runner, seed_index, "show", "000", "21", "--style", "apa", "--format", "rtf")
    assert result.stdout == (
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24\n"
        "(Narai, 2022, para. 21)\\par\n"
        "Narai, R. (2022, August 31). The struggle against Stalinism. {\\i Red Flag}.\\par\n}\n")
    assert result.stderr == "Warning: apa: no url in the catalog; the reference has no link\n"


def test_copy_without_a_clipboard_says_so(runner, seed_index):
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "PATH": os.defpath}
    result = run(runner, seed_index, "show", "000", "21", "--style", "apa", "--copy", env=env)
    assert result.exit_code == 0
    assert result.stderr.startswith("Note: No clipboard here: install wl-clipboard")


def test_copy_puts_html_on_the_clipboard(runner, seed_index, tmp_path):
    tool = tmp_path / "xclip"
    tool.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\ncat > {tmp_path}/clipboard\n')
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "", "PATH": f"{tmp_path}:{os.defpath}"}
    result = run(runner, seed_index, "show", "000", "21", "--style", "apa", "--copy", env=env)
    assert result.stderr == "Copied to the clipboard as HTML (xclip).\n"
    assert (tmp_path / "args").read_text() == "-selection clipboard -t text/html\n"
    assert (tmp_path / "clipboard").read_text(encoding="utf-8") == (
        '<p class="in-text">(Narai, 2022, para. 21)</p>\n<p class="reference">Narai, R. (2022, '
        "August 31). The struggle against Stalinism. <i>Red Flag</i>.</p>")


def test_check_bib_copy_puts_the_reference_list_on_the_clipboard_as_html(runner, seed_index,
                                                                        tmp_path):
    tool = tmp_path / "xclip"
    tool.write_text(f"#!/bin/sh\ncat > {tmp_path}/clipboard\n")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "", "PATH": f"{tmp_path}:{os.defpath}"}
    result = run(runner, seed_index, "check", str(DRAFT), "--bib", "chicago", "--copy", env=env)
    assert "Copied to the clipboard as HTML (xclip)." in result.stderr
    assert (tmp_path / "clipboard").read_text(encoding="utf-8") == (
        '<p class="reference">“Isolation and Degeneration of the Workers’ State.” n.d.</p>\n'
        '<p class="reference">Narai, Robert. “The Struggle against Stalinism.” <i>Red Flag</i>, '
        "August 31, 2022.</p>")
    nothing = run(runner, seed_index, "check", str(DRAFT), "--copy", env=env)
    assert "Nothing copied: --copy copies the bibliography; add --bib STYLE." in nothing.stderr


def test_docs_prints_the_reference_list_to_paste(runner, seed_index):
    result = run(runner, seed_index, "docs", "--format", "text", "--style", "apa")
    assert result.exit_code == 0
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == [
        "Belano, R.", "Isolation and degeneration of the workers’ state.", "Narai, R.",
        "Shail, L.", "Wurst, N."]


@pytest.mark.parametrize(("args", "env", "coloured"), [
    (["--color", "always"], {}, True),
    (["--color", "never"], {}, False),
    ([], {}, False),  # not a terminal
    (["--color", "auto"], {"NO_COLOR": "1"}, False),
    (["--color", "always"], {"NO_COLOR": "1"}, True),  # the flag is the user's latest word
])
def test_colour_follows_the_flag_and_no_color(runner, seed_index, args, env, coloured):
    result = run(runner, seed_index, "search", "kronstadt", "-n", "1", *args, env=env)
    assert ("\x1b[" in result.stdout) is coloured


def test_a_long_article_goes_through_the_pager_on_a_terminal(runner, seed_index, monkeypatch):
    paged: list[str] = []
    monkeypatch.setattr(cli_common, "on_terminal", lambda: True)
    monkeypatch.setattr(cli_common.click, "echo_via_pager", lambda text, color=None:
                        paged.append(text))
    result = run(runner, seed_index, "show", "003")
    assert result.stdout == ""
    assert len(paged) == 1
    assert cli_common.click.unstyle(paged[0]).startswith(
        "Isolation and Degeneration of the Workers' State\n")
    short = run(runner, seed_index, "show", "003", "6")  # one paragraph: no pager
    assert len(paged) == 1 and short.stdout


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_help_ends_with_an_example(runner, command):
    lines = [line.strip() for line in runner.invoke(cli, [command, "--help"]).stdout.splitlines()]
    help_text = lines[:next(i for i, line in enumerate(lines) if line == "Options:")]
    while help_text and not help_text[-1]:
        help_text.pop()
    assert help_text[-1].startswith("seedsearch "), help_text
    assert {"Example:", "Examples:"} & set(help_text), help_text


def test_serve_listens_on_loopback_unless_told_and_warns_then(runner, seed_index, monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr(search, "serve", lambda index_dir, **options: calls.append(options))
    quiet = run(runner, seed_index, "serve")
    assert calls[-1]["host"] == "127.0.0.1" and quiet.stderr == ""
    loud = run(runner, seed_index, "serve", "--host", "0.0.0.0")
    assert calls[-1]["host"] == "0.0.0.0"
    assert loud.stderr == ("Warning: listening on 0.0.0.0: anyone who can reach this machine can "
                           "read the index.\n")


def test_no_command_but_serve_imports_the_web_framework(seed_index):
    """Flask and Waitress stay off the start-up path of every other command (a fresh process,
    so what other tests imported does not count)."""
    import subprocess
    import sys

    code = ("import sys; from search.cli import cli; from click.testing import CliRunner; "
            f"r = CliRunner().invoke(cli, ['check', {str(DRAFT)!r}, '--report', "
            f"{str(seed_index.parent / 'r.html')!r}, '--bib', 'apa', '--index', "
            f"{str(seed_index)!r}]); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'flask', 'waitress', 'werkzeug', 'jinja2'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("args", "message"), [
    (["check", str(DRAFT), "--format", "html"],
     "Error: --format html writes the bibliography to paste: add --bib STYLE, or --report FILE "
     "for an HTML report.\n"),
    (["cite", "--batch", str(DRAFT), "--format", "rtf"],
     "Error: --format rtf writes one quotation's citation to paste; with --batch use --format "
     "text or markdown.\n"),
])
def test_html_and_rtf_where_there_is_nothing_to_paste_is_a_usage_error(runner, seed_index, args,
                                                                       message):
    result = run(runner, seed_index, *args)
    assert result.exit_code == 2
    assert result.stderr == message
