"""The `check` and `serve` commands: a whole draft (its verdicts, bibliography, accepted
differences and HTML report) and the local web page. `cli.py` adds them to the group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

import search
from search import cli_common as common
from search import render


@click.command("check")
@click.argument("manuscript", type=click.Path(dir_okay=False))
@common.index_option
@common.style_option
@click.option("--bib", type=click.Choice(["plain", "apa", "mla", "chicago", *common.EXPORT_FORMATS]),
              help="Print the bibliography of the articles the verified quotations come from, "
                   "in a style or as BibTeX, CSL-JSON or RIS (the check's verdicts go to "
                   "standard error).")
@common.format_option
@click.option("--report", "report_path", type=click.Path(dir_okay=False),
              help="Also write a self-contained HTML report to FILE (citations in --style, "
                   "APA if none is given).")
@click.option("--accept", "accept_path", type=click.Path(dir_okay=False),
              help="Accepted-differences file: quotations listed there pass as they stand "
                   "[default: .seedsearch-accept beside MANUSCRIPT or here, if there is one].")
@click.option("--accept-current", is_flag=True,
              help="Add every quotation that does not pass now to the accepted-differences "
                   "file (review them first).")
@common.max_sources_option
@common.copy_option
@common.json_option
@common.color_option
@common.reports_errors
def check_command(manuscript: str, index_dir: str, style: str, bib: str | None,
                  fmt: str | None, report_path: str | None, accept_path: str | None,
                  accept_current: bool, max_sources: int, copy: bool, as_json: bool) -> None:
    """Find the quotations in MANUSCRIPT (Markdown, text, .html or .docx) and check each one.

    Exits 0 when every quotation is exact, edited or accepted, 1 otherwise, 2 on error, so
    it can gate a writer's CI; list deliberate variants in .seedsearch-accept (one
    quotation a line) and any new misquote still fails.

    \b
    Examples:
      seedsearch check draft.md --report report.html
      seedsearch check draft.md --bib apa --format html
    """
    if fmt in ("html", "rtf") and bib is None:
        raise search.InputError(f"--format {fmt} writes the bibliography to paste: add --bib "
                                "STYLE, or --report FILE for an HTML report.")
    accepted_file = _accept_file(manuscript, accept_path)
    with common.open_library(index_dir) as library:
        report = library.check(manuscript, max_sources=max_sources)
        if accepted_file is not None and accepted_file.exists():
            report = report.accepting(search.read_accepted(accepted_file))
        cited = report.cited_articles()
        references = ([] if bib is None or bib in common.EXPORT_FORMATS
                      else library.references(bib, cited))
        bibliography = (library.bibliography(bib, cited) if bib in common.EXPORT_FORMATS
                        else search.reference_document(references, fmt or "markdown"))
    if report_path:
        common.write_file(report_path, search.report_html(report, _report_style(style)))
    if accept_current:
        _add_accepted(report, accepted_file or Path(manuscript).parent / search.ACCEPT_FILE)
    output = (render.as_json(report.to_dict(style)) if as_json
              else render.check_text(report, click.style, style, fmt))
    if bib is not None:
        common.echo(output if as_json else render.check_summary(report), err=True)
        common.echo(bibliography.rstrip("\n"))
    else:
        common.echo(output)
    if copy and references:
        common.copy_references(references)
    elif copy and bib is not None:
        common.copy_text(bibliography)  # BibTeX, CSL-JSON or RIS, as text
    elif copy:
        common.echo("Nothing copied: --copy copies the bibliography; add --bib STYLE.", err=True)
    if report_path:
        common.echo(f"Report written to {report_path}.", err=True)
    if not report.quotations:
        skipped = (f" ({len(report.skipped)} short ones skipped as scare quotes or titles)."
                   if report.skipped else ".")
        common.echo(f"No quotations found in {manuscript}{skipped}", err=True)
    sys.exit(0 if report.verified else 1)


def _report_style(style: str) -> str:
    """The report cites in --style when one is given, else in APA (a writer's most usual)."""
    source = click.get_current_context().get_parameter_source("style")
    return "apa" if source == click.core.ParameterSource.DEFAULT else style


def _accept_file(manuscript: str, given: str | None) -> Path | None:
    if given:
        return Path(given)
    for folder in (Path(manuscript).parent, Path.cwd()):
        if (folder / search.ACCEPT_FILE).exists():
            return folder / search.ACCEPT_FILE
    return None


def _add_accepted(report: search.CheckReport, path: Path) -> None:
    failing = [(c.quote.text, f"{c.verification.verdict.value}, {report.manuscript}:"
                f"{c.quote.line}") for c in report.quotations if not c.passes]
    if not path.exists():
        common.write_file(str(path), search.ACCEPT_HEADER)
    with path.open("a", encoding="utf-8") as file:
        file.write(search.accept_entries(failing))
    common.echo(f"Added {len(failing)} quotation(s) to {path}.", err=True)


@click.command("serve")
@common.index_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; anything but 127.0.0.1 or localhost shows the "
                   "index to the network.")
@click.option("--style", default="apa", show_default=True,
              type=click.Choice(["plain", "apa", "mla", "chicago"]),
              help="Citation style shown first.")
@common.color_option
@common.reports_errors
def serve_command(index_dir: str, port: int, host: str, style: str) -> None:
    """Open a local web page to search, check quotations and drafts, and read the articles.

    It listens on 127.0.0.1 only, unless --host says otherwise; the same JSON as --json is
    served under /api/. Stop it with Ctrl-C.

    \b
    Example:
      seedsearch serve --port 8000    # then open http://127.0.0.1:8000/
    """
    # build the default index first, with its progress bar
    common.open_library(index_dir, lasting=False).close()
    if host not in ("127.0.0.1", "localhost", "::1"):
        common.echo(click.style(f"Warning: listening on {host}: anyone who can reach this machine "
                         "can read the index.", fg="red"), err=True)

    def started(url: str) -> None:
        common.echo(f"Serving {index_dir}/ at {url} (Ctrl-C stops it).", err=True)

    try:
        search.serve(index_dir, host=host, port=port, style=style, on_start=started)
    except KeyboardInterrupt:
        common.echo("Stopped.", err=True)
