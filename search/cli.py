"""The `seedsearch` command line: a thin layer over the `search` package.

Exit codes: 0 found or verified, 1 nothing found or not verified, 2 usage or input error.
Every `SearchError` becomes one line, `Error: <message>`, on standard error.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

import search
from search import render

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


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a SearchError into `Error: message` and its exit code, in one place."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except search.SearchError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted; the index is as it was before this run.", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seedsearch")
def cli() -> None:
    """Search articles and check quotations, with citations to the paragraph."""


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path())
@index_option
@click.option("--rebuild", is_flag=True, help="Start a new index instead of updating.")
@json_option
@reports_errors
def index_command(paths: tuple[str, ...], index_dir: str, rebuild: bool, as_json: bool) -> None:
    """Index the articles in PATHS (files or folders; default seeds/).

    Only new or changed files are read again; files that are gone are dropped.
    """
    targets: list[str | Path] = list(paths) or [DEFAULT_SEEDS]
    report = _build(targets, index_dir, rebuild, quiet=as_json)
    if as_json:
        click.echo(render.as_json(report.to_dict()))
    else:
        click.echo(_report_text(report))
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for path, reason in report.skipped:
        click.echo(f"Skipped: {reason}" if reason.startswith(path) else f"Skipped {path}: {reason}",
                   err=True)
    if report.not_articles and not as_json:
        click.echo(render.not_articles_text(report.not_articles), err=True)
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
    click.echo(f"No index in {index_dir}/ yet; indexing {DEFAULT_SEEDS}/ first.", err=True)
    _build([DEFAULT_SEEDS], index_dir, rebuild=False, quiet=False)
    return search.open(index_dir)


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
@json_option
@reports_errors
def search_command(query: str, index_dir: str, limit: int, full: bool, context: int,
                   per_doc: bool, style: str, as_json: bool) -> None:
    """Search for QUERY: words, "phrases", AND/OR/NOT, author:/title:/doc:/section:,
    date:[2019 TO 2023], wildcards (trots*) and fuzzy words (exil~)."""
    with open_library(index_dir) as library:
        result = library.search(query, limit=limit, full=full, context=context,
                                per_doc=per_doc)
    if as_json:
        click.echo(render.as_json(result.to_dict(style)))
    elif result.hits:
        click.echo(render.search_text(result, click.style, style))
    else:
        for note in result.notes:
            click.echo(f"Note: {note}", err=True)
        message = f"No passage matches {query!r}."
        if result.suggestion:
            message += f" Did you mean: {result.suggestion}"
        click.echo(message, err=True)
    sys.exit(0 if result.hits else 1)


@cli.command("show")
@click.argument("doc")
@click.argument("paragraph", required=False, type=int)
@index_option
@style_option
@json_option
@reports_errors
def show_command(doc: str, paragraph: int | None, index_dir: str, style: str,
                 as_json: bool) -> None:
    """Print article DOC, or its paragraph ¶PARAGRAPH, with the citation.

    DOC is a file name with or without extension, or a unique prefix such as 000.
    """
    with open_library(index_dir) as library:
        doc_id = library.resolve(doc)
        meta = library.articles[doc_id]
        blocks = ([library.paragraph(doc_id, paragraph)] if paragraph is not None
                  else library.blocks(doc_id))
        citations = [library.cite_block(block, style) for block in blocks]
    if as_json:
        click.echo(render.as_json({"doc": meta.to_dict(doc_id), "blocks": [
            render.block_dict(block, meta, citation)
            for block, citation in zip(blocks, citations, strict=True)]}))
        return
    if paragraph is not None:
        click.echo("\n".join(render.citation_lines(citations[0])) + f"\n\n{blocks[0].text}")
        return
    click.echo(click.style(meta.title, bold=True))
    for block in blocks:
        label = f"¶{block.paragraph}" if block.paragraph else f"[{block.kind}]"
        place = f"p. {block.page_start}" if block.page_start else f"{meta.path}:{block.line_start}"
        click.echo(f"\n{label:>6} {block.text}  ({place})")


@cli.command("docs")
@index_option
@click.option("--format", "export_format", type=click.Choice(["bibtex", "csl-json", "ris"]),
              help="Export the bibliography for a reference manager (Zotero imports all three).")
@json_option
@reports_errors
def docs_command(index_dir: str, export_format: str | None, as_json: bool) -> None:
    """List the indexed articles with their metadata and paragraph counts."""
    with open_library(index_dir) as library:
        infos = library.documents()
        if export_format:
            click.echo(library.bibliography(export_format))
            sys.exit(0 if infos else 1)
    click.echo(render.as_json({"documents": [info.to_dict() for info in infos]}) if as_json
               else render.documents_text(infos))
    sys.exit(0 if infos else 1)



@cli.group("catalog")
def catalog_group() -> None:
    """Fill the articles' catalog.toml from what a reference manager already knows."""


@catalog_group.command("import")
@click.argument("references", type=click.Path(dir_okay=False))
@index_option
@json_option
@reports_errors
def catalog_import_command(references: str, index_dir: str, as_json: bool) -> None:
    """Add catalog entries from REFERENCES (a Zotero export: CSL-JSON, BibTeX or RIS).

    Each reference is matched to an indexed article by DOI, URL or title; an article that
    already has a catalog entry keeps it. Exits 0 when any entry was added, 1 when none.
    """
    with open_library(index_dir) as library:
        report = library.import_catalog(references)
    click.echo(render.as_json(report.to_dict()) if as_json else render.import_text(report))
    sys.exit(0 if report.added else 1)


def _verification_output(verification: search.Verification, style: str, as_json: bool) -> str:
    if as_json:
        return render.as_json(verification.to_dict(style))
    return render.verification_text(verification, click.style, style)


@cli.command("cite")
@click.argument("quotation", required=False)
@click.option("--batch", type=click.File("r", encoding="utf-8"),
              help="Check one quotation per line of FILE (- for standard input).")
@click.option("--by", default="", help="Also say whether the corpus attributes it to NAME.")
@index_option
@click.option("--style", default="plain", show_default=True,
              type=click.Choice(["plain", "apa", "mla", "chicago", "bibtex", "csl-json"]),
              help="Citation style of each source; bibtex and csl-json export the cited "
                   "articles for a reference manager.")
@json_option
@reports_errors
def cite_command(quotation: str | None, batch: Any, by: str, index_dir: str, style: str,
                 as_json: bool) -> None:
    """Check QUOTATION against the indexed articles: every source, a verdict, the changes.

    Exits 0 if it is verified (exact or edited), 1 if not, 2 on error.
    """
    if (quotation is None) == (batch is None):
        raise search.InputError("Give one QUOTATION or --batch FILE.")
    with open_library(index_dir) as library:
        if batch is None:
            verification = library.verify(quotation or "", by=by)
            if style in ("bibtex", "csl-json"):
                ids = list(dict.fromkeys(m.doc_id for m in verification.matches))
                click.echo(library.bibliography(style, ids))
            else:
                click.echo(_verification_output(verification, style, as_json))
            sys.exit(0 if verification.verified else 1)
        if style in ("bibtex", "csl-json"):
            raise search.InputError("--style bibtex/csl-json exports one quotation's sources; "
                                    "use `seedsearch docs --format` for the whole corpus.")
        sys.exit(_cite_batch(library, batch, by, style, as_json))


def _cite_batch(library: search.Library, batch: Any, by: str, style: str,
                as_json: bool) -> int:
    try:
        lines = batch.read().splitlines()
    except UnicodeDecodeError as exc:
        raise search.InputError(f"{batch.name} is not UTF-8 text ({exc.reason}).") from exc
    all_verified = True
    for result in library.verify_batch(lines, by=by):
        if isinstance(result, search.BatchError):
            all_verified = False
            click.echo(render.as_json(result.to_dict()) if as_json
                       else f"line {result.line}: Error: {result.message}")
        else:
            all_verified &= result.verified
            click.echo(_verification_output(result, style, as_json))
            if not as_json:
                click.echo("")
        sys.stdout.flush()  # each result as soon as it is ready, for a pipe reading along
    return 0 if all_verified else 1


@cli.command("check")
@click.argument("manuscript", type=click.Path(dir_okay=False))
@index_option
@style_option
@json_option
@reports_errors
def check_command(manuscript: str, index_dir: str, style: str, as_json: bool) -> None:
    """Find the quotations in MANUSCRIPT (Markdown, text, .html or .docx) and check each one.

    Exits 0 when every quotation is exact or edited, 1 otherwise, 2 on error.
    """
    with open_library(index_dir) as library:
        report = library.check(manuscript)
    click.echo(render.as_json(report.to_dict(style)) if as_json
               else render.check_text(report, click.style, style))
    if not report.quotations:
        click.echo(f"No quotations found in {manuscript}"
                   + (f" ({len(report.skipped)} short ones skipped as scare quotes or titles)."
                      if report.skipped else "."), err=True)
    sys.exit(0 if report.verified else 1)


def main() -> None:
    """Run the command line."""
    # One BLAS thread for the embedding model: with small matrices and a busy machine, more
    # threads only wait on each other (measured 2x slower on 2 cores). The program decides
    # this for itself; the library leaves a user's process settings alone.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    cli(prog_name="seedsearch")
