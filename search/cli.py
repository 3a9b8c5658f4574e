"""The `seedsearch` command line: a thin layer over the `search` package.

Exit codes: 0 found or verified, 1 nothing found or not verified, 2 usage or input error.
Every `SearchError` becomes one line, `Error: <message>`, on standard error.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

import search
from search import render

PASTE_FORMATS = ("text", "markdown", "html", "rtf")
EXPORT_FORMATS = ("bibtex", "csl-json", "ris")

DEFAULT_INDEX = "index"
DEFAULT_SEEDS = "seeds"


def _default_index() -> str:
    return os.environ.get("SEEDSEARCH_INDEX") or DEFAULT_INDEX


index_option = click.option(
    "--index", "index_dir", default=_default_index, show_default="index/ or $SEEDSEARCH_INDEX",
    type=click.Path(file_okay=False), help="Folder of the index.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
style_option = click.option(
    "--style", default="plain", show_default=True,
    type=click.Choice(["plain", "apa", "mla", "chicago"]),
    help="Citation style: plain (author, title, ¶, file:line), APA 7, MLA 9, Chicago 17.")


def _set_color(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta["seedsearch.color"] = value


color_option = click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default=None,
    expose_value=False, is_eager=True, callback=_set_color,
    help="Colour the output: auto (on a terminal, unless NO_COLOR is set), always or never.")
format_option = click.option(
    "--format", "fmt", type=click.Choice(PASTE_FORMATS), default=None,
    help="Write citations to paste: text or markdown (curly quotes), or html or rtf (real "
         "italics; prints the citations alone).")
copy_option = click.option(
    "--copy", is_flag=True,
    help="Also put the citation on the clipboard (HTML where the clipboard tool allows).")


def use_color() -> bool | None:
    """True or False when --color or NO_COLOR decides, None to colour only on a terminal."""
    ctx = click.get_current_context(silent=True)
    choice = ctx.meta.get("seedsearch.color", "auto") if ctx else "auto"
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return None


def echo(message: str = "", err: bool = False) -> None:
    """Print a line, coloured as --color and NO_COLOR say."""
    click.echo(message, err=err, color=use_color())


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a SearchError into `Error: message` and its exit code, in one place."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except search.SearchError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except UnicodeEncodeError as exc:  # e.g. ¶ to a terminal set to ASCII
            click.echo(f"Error: the terminal cannot show {exc.object[exc.start:exc.end]!r}; "
                       "set PYTHONIOENCODING=utf-8 or a UTF-8 locale.", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("Interrupted; the index is as it was before this run.", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seedsearch")
@color_option
def cli() -> None:
    """Search articles and check quotations, with citations to the paragraph.

    \b
    Example:
      seedsearch search "kronstadt uprising" --style apa
    """


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path())
@index_option
@click.option("--rebuild", is_flag=True, help="Start a new index instead of updating.")
@json_option
@color_option
@reports_errors
def index_command(paths: tuple[str, ...], index_dir: str, rebuild: bool, as_json: bool) -> None:
    """Index the articles in PATHS (files or folders; default seeds/).

    Only new or changed files are read again; files that are gone are dropped.

    \b
    Example:
      seedsearch index seeds ~/articles --index index
    """
    targets: list[str | Path] = list(paths) or [DEFAULT_SEEDS]
    report = _build(targets, index_dir, rebuild, quiet=as_json)
    if as_json:
        echo(render.as_json(report.to_dict()))
    else:
        echo(_report_text(report))
    for warning in report.warnings:
        echo(f"Warning: {warning}", err=True)
    for path, reason in report.skipped:
        echo(f"Skipped: {reason}" if reason.startswith(path) else f"Skipped {path}: {reason}",
             err=True)
    sys.exit(2 if report.skipped else 0)


def _build(paths: list[str | Path], index_dir: str, rebuild: bool, quiet: bool) -> search.IndexReport:
    show = not quiet and sys.stderr.isatty()
    state: dict[str, Any] = {}

    def progress(done: int, total: int, path: str) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label="Indexing articles",
                                             file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(1)
        if done == total:
            state["bar"].__exit__(None, None, None)

    return search.build(paths, index_dir, rebuild=rebuild, progress=progress if show else None)


def _report_text(report: search.IndexReport) -> str:
    parts = [f"{len(report.added)} added", f"{len(report.updated)} updated",
             f"{len(report.removed)} removed", f"{len(report.unchanged)} unchanged"]
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    return (f"Indexed into {report.index_dir}/: {', '.join(parts)}. "
            f"{report.articles} articles, {report.blocks} blocks ({report.seconds:.2f} s).")


def open_library(index_dir: str) -> search.Library:
    """Open the index; on a fresh checkout, build the default one from seeds/ first."""
    try:
        return search.open(index_dir)
    except search.IndexNotFound:
        if index_dir != _default_index() or not Path(DEFAULT_SEEDS).is_dir():
            raise
    echo(f"No index in {index_dir}/ yet; indexing {DEFAULT_SEEDS}/ first.", err=True)
    _build([DEFAULT_SEEDS], index_dir, rebuild=False, quiet=False)
    return search.open(index_dir)


def _paste(citations: list[search.Citation], fmt: str, copy: bool) -> None:
    """Print citations as a document to paste, their warnings on stderr; copy if asked."""
    if not citations:
        echo("No source to cite.", err=True)
        return
    echo(render.paste_text(citations, fmt))
    for warning in render.paste_warnings(citations):
        echo(click.style(f"Warning: {warning}", fg="yellow"), err=True)
    if copy:
        _copy(citations)


def _copy(citations: list[search.Citation]) -> None:
    if not citations:
        echo("Nothing to copy: no citation.", err=True)
        return
    try:
        echo(search.copy_to_clipboard(render.paste_text(citations[:1], "text"),
                                      render.paste_text(citations[:1], "html")), err=True)
    except search.SearchError as exc:
        echo(f"Note: {exc}", err=True)


@cli.command("search")
@click.argument("query")
@index_option
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(min=1),
              help="Show at most N passages.")
@click.option("--full", is_flag=True, help="Show whole paragraphs, not snippets.")
@click.option("--context", default=0, type=click.IntRange(min=0),
              help="Also show N paragraphs either side.")
@click.option("--per-doc", is_flag=True, help="Only the best passage of each article.")
@style_option
@format_option
@copy_option
@json_option
@color_option
@reports_errors
def search_command(query: str, index_dir: str, limit: int, full: bool, context: int,
                   per_doc: bool, style: str, fmt: str | None, copy: bool, as_json: bool) -> None:
    """Search for QUERY: words, "phrases", AND/OR/NOT, author:/title:/doc:/section:,
    date:[2019 TO 2023], wildcards (trots*) and fuzzy words (exil~).

    --copy puts the first passage's citation on the clipboard.

    \b
    Example:
      seedsearch search '"left opposition" trotsky' -n 3 --style chicago
    """
    with open_library(index_dir) as library:
        result = library.search(query, limit=limit, full=full, context=context,
                                per_doc=per_doc)
    citations = [hit.cite(style) for hit in result.hits]
    if as_json:
        echo(render.as_json(result.to_dict(style)))
    elif result.hits and fmt in ("html", "rtf"):
        _paste(citations, fmt, copy=False)
    elif result.hits:
        echo(render.search_text(result, click.style, style, fmt))
    else:
        for note in result.notes:
            echo(f"Note: {note}", err=True)
        message = f"No passage matches {query!r}."
        if result.suggestion:
            message += f" Did you mean: {result.suggestion}"
        echo(message, err=True)
    if copy:
        _copy(citations)
    sys.exit(0 if result.hits else 1)


@cli.command("show")
@click.argument("doc")
@click.argument("paragraph", required=False, type=int)
@index_option
@style_option
@format_option
@copy_option
@json_option
@color_option
@reports_errors
def show_command(doc: str, paragraph: int | None, index_dir: str, style: str, fmt: str | None,
                 copy: bool, as_json: bool) -> None:
    """Print article DOC, or its paragraph ¶PARAGRAPH, with the citation.

    DOC is a file name with or without extension, or a unique prefix such as 000. A whole
    article goes through a pager ($PAGER, else less) on a terminal.

    \b
    Example:
      seedsearch show 001 10 --style apa --format html --copy
    """
    with open_library(index_dir) as library:
        doc_id = library.resolve(doc)
        meta = library.articles[doc_id]
        blocks = ([library.paragraph(doc_id, paragraph)] if paragraph is not None
                  else library.blocks(doc_id))
        citations = [library.cite_block(block, style) for block in blocks]
        whole = library.cite_article(doc_id, style)
    if as_json:
        echo(render.as_json({"doc": meta.to_dict(doc_id), "blocks": [
            render.block_dict(block, meta, citation)
            for block, citation in zip(blocks, citations, strict=True)]}))
        return
    chosen = citations[0] if paragraph is not None else whole
    if fmt in ("html", "rtf"):
        _paste([chosen], fmt, copy)
        return
    if paragraph is not None:
        echo("\n".join(render.citation_lines(chosen, fmt, click.style))
             + f"\n\n{blocks[0].text}")
    else:
        _page(render.article_text(meta, blocks, whole, click.style, fmt))
    if copy:
        _copy([chosen])


def _on_terminal() -> bool:
    return sys.stdout.isatty()


def _page(text: str) -> None:
    """Print text, through a pager when it is longer than the terminal is high."""
    height = shutil.get_terminal_size().lines
    if _on_terminal() and text.count("\n") + 1 > height - 1:
        click.echo_via_pager(text, color=use_color())
    else:
        echo(text)


@cli.command("docs")
@index_option
@click.option("--format", "export_format",
              type=click.Choice(EXPORT_FORMATS + PASTE_FORMATS),
              help="bibtex, csl-json or ris: the bibliography for a reference manager (Zotero "
                   "imports all three); text, markdown, html or rtf: the reference list in "
                   "--style, to paste.")
@click.option("--style", default="apa", show_default=True,
              type=click.Choice(["plain", "apa", "mla", "chicago"]),
              help="Citation style of the reference list (--format text/markdown/html/rtf).")
@copy_option
@json_option
@color_option
@reports_errors
def docs_command(index_dir: str, export_format: str | None, style: str, copy: bool,
                 as_json: bool) -> None:
    """List the indexed articles with their metadata and paragraph counts.

    \b
    Example:
      seedsearch docs --format rtf --style mla > works-cited.rtf
    """
    with open_library(index_dir) as library:
        infos = library.documents()
        if export_format in EXPORT_FORMATS:
            echo(library.bibliography(export_format))
            sys.exit(0 if infos else 1)
        if export_format:
            _print_references(library.references(style), export_format, copy)
            sys.exit(0 if infos else 1)
    echo(render.as_json({"documents": [info.to_dict() for info in infos]}) if as_json
         else render.documents_text(infos))
    sys.exit(0 if infos else 1)


def _print_references(references: list[str], fmt: str, copy: bool) -> None:
    echo(search.reference_document(references, fmt))
    if copy:
        try:
            echo(search.copy_to_clipboard(search.reference_document(references, "text"),
                                          search.reference_document(references, "html")),
                 err=True)
        except search.SearchError as exc:
            echo(f"Note: {exc}", err=True)


def _verification_output(verification: search.Verification, style: str, as_json: bool,
                         fmt: str | None = None) -> str:
    if as_json:
        return render.as_json(verification.to_dict(style))
    return render.verification_text(verification, click.style, style, fmt)


@cli.command("cite")
@click.argument("quotation", required=False)
@click.option("--batch", type=click.File("r", encoding="utf-8"),
              help="Check one quotation per line of FILE (- for standard input).")
@click.option("--by", default="", help="Also say whether the corpus attributes it to NAME.")
@index_option
@click.option("--style", default="plain", show_default=True,
              type=click.Choice(["plain", "apa", "mla", "chicago", *EXPORT_FORMATS]),
              help="Citation style of each source; bibtex, csl-json and ris export the cited "
                   "articles for a reference manager.")
@format_option
@copy_option
@json_option
@color_option
@reports_errors
def cite_command(quotation: str | None, batch: Any, by: str, index_dir: str, style: str,
                 fmt: str | None, copy: bool, as_json: bool) -> None:
    """Check QUOTATION against the indexed articles: every source, a verdict, the changes.

    Exits 0 if it is verified (exact or edited), 1 if not, 2 on error. --copy puts the best
    source's citation on the clipboard.

    \b
    Example:
      seedsearch cite "Stalin is too rude" --style apa --copy
    """
    if (quotation is None) == (batch is None):
        raise search.InputError("Give one QUOTATION or --batch FILE.")
    with open_library(index_dir) as library:
        if batch is None:
            verification = library.verify(quotation or "", by=by)
            if style in EXPORT_FORMATS:
                ids = list(dict.fromkeys(m.doc_id for m in verification.matches))
                echo(library.bibliography(style, ids))
                sys.exit(0 if verification.verified else 1)
            citations = [match.cite(style) for match in verification.matches]
            if fmt in ("html", "rtf") and not as_json:
                _paste(citations[:1], fmt, copy)
            else:
                echo(_verification_output(verification, style, as_json, fmt))
                if copy:
                    _copy(citations)
            sys.exit(0 if verification.verified else 1)
        if style in EXPORT_FORMATS:
            raise search.InputError("--style bibtex/csl-json/ris exports one quotation's "
                                    "sources; use `seedsearch docs --format` for the whole "
                                    "corpus.")
        if fmt in ("html", "rtf"):
            raise search.InputError(f"--format {fmt} writes one quotation's citation to paste; "
                                    "with --batch use --format text or markdown.")
        sys.exit(_cite_batch(library, batch, by, style, as_json, fmt))


def _cite_batch(library: search.Library, batch: Any, by: str, style: str,
                as_json: bool, fmt: str | None) -> int:
    try:
        lines = batch.read().splitlines()
    except UnicodeDecodeError as exc:
        raise search.InputError(f"{batch.name} is not UTF-8 text ({exc.reason}).") from exc
    all_verified = True
    for result in library.verify_batch(lines, by=by):
        if isinstance(result, search.BatchError):
            all_verified = False
            echo(render.as_json(result.to_dict()) if as_json
                 else f"line {result.line}: Error: {result.message}")
        else:
            all_verified &= result.verified
            echo(_verification_output(result, style, as_json, fmt))
            if not as_json:
                echo("")
        sys.stdout.flush()  # each result as soon as it is ready, for a pipe reading along
    return 0 if all_verified else 1


@cli.command("check")
@click.argument("manuscript", type=click.Path(dir_okay=False))
@index_option
@style_option
@click.option("--bib", type=click.Choice(["plain", "apa", "mla", "chicago", *EXPORT_FORMATS]),
              help="Print the bibliography of the articles the verified quotations come from, "
                   "in a style or as BibTeX, CSL-JSON or RIS (the check's verdicts go to "
                   "standard error).")
@format_option
@click.option("--report", "report_path", type=click.Path(dir_okay=False),
              help="Also write a self-contained HTML report to FILE (citations in --style, "
                   "APA if none is given).")
@click.option("--accept", "accept_path", type=click.Path(dir_okay=False),
              help="Accepted-differences file: quotations listed there pass as they stand "
                   "[default: .seedsearch-accept beside MANUSCRIPT or here, if there is one].")
@click.option("--accept-current", is_flag=True,
              help="Add every quotation that does not pass now to the accepted-differences "
                   "file (review them first).")
@copy_option
@json_option
@color_option
@reports_errors
def check_command(manuscript: str, index_dir: str, style: str, bib: str | None,
                  fmt: str | None, report_path: str | None, accept_path: str | None,
                  accept_current: bool, copy: bool, as_json: bool) -> None:
    """Find the quotations in MANUSCRIPT (Markdown or text) and check each one.

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
    with open_library(index_dir) as library:
        report = library.check(manuscript)
        if accepted_file is not None and accepted_file.exists():
            report = report.accepting(search.read_accepted(accepted_file))
        cited = report.cited_articles()
        bibliography = ("" if bib is None else library.bibliography(bib, cited)
                        if bib in EXPORT_FORMATS else search.reference_document(
                            library.references(bib, cited), fmt or "markdown"))
    if report_path:
        _write(report_path, search.report_html(report, _report_style(style)))
    if accept_current:
        _add_accepted(report, accepted_file or Path(manuscript).parent / search.ACCEPT_FILE)
    output = (render.as_json(report.to_dict(style)) if as_json
              else render.check_text(report, click.style, style, fmt))
    if bib is not None:
        echo(output if as_json else render.check_summary(report), err=True)
        echo(bibliography.rstrip("\n"))
    else:
        echo(output)
    if copy and bib is not None:
        _print_clipboard_note(bibliography, bib)
    if report_path:
        echo(f"Report written to {report_path}.", err=True)
    if not report.quotations:
        echo(f"No quotations found in {manuscript}"
             + (f" ({len(report.skipped)} short ones skipped as scare quotes or titles)."
                if report.skipped else "."), err=True)
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
        _write(str(path), search.ACCEPT_HEADER)
    with path.open("a", encoding="utf-8") as file:
        file.write(search.accept_entries(failing))
    echo(f"Added {len(failing)} quotation(s) to {path}.", err=True)


def _print_clipboard_note(text: str, bib: str) -> None:
    try:
        echo(search.copy_to_clipboard(text), err=True)
    except search.SearchError as exc:
        echo(f"Note: {exc}", err=True)


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise search.InputError(f"Cannot write {path}: {exc.strerror}.") from exc


@cli.command("serve")
@index_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; anything but 127.0.0.1 or localhost shows the "
                   "index to the network.")
@click.option("--style", default="apa", show_default=True,
              type=click.Choice(["plain", "apa", "mla", "chicago"]),
              help="Citation style shown first.")
@color_option
@reports_errors
def serve_command(index_dir: str, port: int, host: str, style: str) -> None:
    """Open a local web page to search, check quotations and drafts, and read the articles.

    It listens on 127.0.0.1 only, unless --host says otherwise; the same JSON as --json is
    served under /api/. Stop it with Ctrl-C.

    \b
    Example:
      seedsearch serve --port 8000    # then open http://127.0.0.1:8000/
    """
    open_library(index_dir).close()  # build the default index first, with its progress bar
    if host not in ("127.0.0.1", "localhost", "::1"):
        echo(click.style(f"Warning: listening on {host}: anyone who can reach this machine "
                         "can read the index.", fg="red"), err=True)

    def started(url: str) -> None:
        echo(f"Serving {index_dir}/ at {url} (Ctrl-C stops it).", err=True)

    try:
        search.serve(index_dir, host=host, port=port, style=style, on_start=started)
    except KeyboardInterrupt:
        echo("Stopped.", err=True)


def main() -> None:
    """Run the command line."""
    # One BLAS thread for the embedding model: with small matrices and a busy machine, more
    # threads only wait on each other (measured 2x slower on 2 cores). The program decides
    # this for itself; the library leaves a user's process settings alone.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    cli(prog_name="seedsearch")
