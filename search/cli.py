"""The `seedsearch` command line: a thin layer over the `search` package.

Exit codes: 0 found or verified, 1 nothing found or not verified, 2 usage or input error.
Every `SearchError` becomes one line, `Error: <message>`, on standard error.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import click

import search
from search import cli_common as common
from search import cli_draft, render


class OneLineErrors(click.Group):
    """A command group whose usage errors are one line, as every other error is: click's
    own three (error, usage, hint) would break the promise of `Error: <message>`."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as exc:
            where = " ".join(["seedsearch", *(exc.ctx.command_path.split()[1:] if exc.ctx else [])])
            click.echo(f"Error: {exc.format_message().rstrip('.')}; see `{where} --help`.",
                       err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Interrupted.", err=True)
            sys.exit(130)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seedsearch")
@common.color_option
def cli() -> None:
    """Search articles and check quotations, with citations to the paragraph.

    \b
    Example:
      seedsearch search "kronstadt uprising" --style apa
    """


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path())
@common.index_option
@click.option("--rebuild", is_flag=True, help="Start a new index instead of updating.")
@click.option("--vectors/--no-vectors", default=None,
              help="Keep a sentence vector per passage, to rank by meaning as well as words "
                   "(default: kept if the index has them or the corpus is under 300,000 characters).")
@common.json_option
@common.color_option
@common.reports_errors
def index_command(paths: tuple[str, ...], index_dir: str, rebuild: bool, vectors: bool | None,
                  as_json: bool) -> None:
    """Index the articles in PATHS (files or folders; default seeds/).

    Only new or changed files are read again; files that are gone are dropped.

    \b
    Example:
      seedsearch index seeds ~/articles --index index
    """
    targets: list[str | Path] = list(paths) or [common.DEFAULT_SEEDS]
    report = common.build_index(targets, index_dir, rebuild, quiet=as_json, vectors=vectors)
    if as_json:
        common.echo(render.as_json(report.to_dict()))
    else:
        common.echo(_report_text(report))
    for warning in report.warnings:
        common.echo(f"Warning: {warning}", err=True)
    for path, reason in report.skipped:
        common.echo(f"Skipped: {reason}" if reason.startswith(path)
                    else f"Skipped {path}: {reason}", err=True)
    if report.not_articles and not as_json:
        common.echo(render.not_articles_text(report.not_articles), err=True)
    sys.exit(2 if report.skipped else 0)


def _report_text(report: search.IndexReport) -> str:
    parts = [f"{len(report.added)} added", f"{len(report.updated)} updated",
             f"{len(report.removed)} removed", f"{len(report.unchanged)} unchanged"]
    if report.moved:
        parts.insert(3, f"{len(report.moved)} moved")
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    vectors = (f", {report.vectors} with vectors ({report.embedded} embedded, "
               f"{report.vector_seconds:.2f} s)" if report.vectors else "")
    lines = [f"Indexed into {report.index_dir}/: {', '.join(parts)}. "
             f"{report.articles} articles, {report.blocks} blocks{vectors} "
             f"({report.seconds:.2f} s)."]
    lines += [f"Moved: {old} -> {new}" for old, new in report.moved]
    lines += [f"Removed: {path} (the file is gone)" for path in report.removed]
    return "\n".join(lines)


@cli.command("search")
@click.argument("query")
@common.index_option
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(min=1),
              help="Show at most N passages.")
@click.option("--full", is_flag=True, help="Show whole paragraphs, not snippets.")
@click.option("--context", default=0, type=click.IntRange(min=0),
              help="Also show N paragraphs either side.")
@click.option("--per-doc", is_flag=True, help="Only the best passage of each article.")
@click.option("--explain", is_flag=True,
              help="Say which signals ranked each passage: words (BM25), proximity, meaning.")
@common.style_option
@common.format_option
@common.copy_option
@common.json_option
@common.color_option
@common.reports_errors
def search_command(query: str, index_dir: str, limit: int, full: bool, context: int,
                   per_doc: bool, explain: bool, style: str, fmt: str | None, copy: bool,
                   as_json: bool) -> None:
    """Search for QUERY: words, "phrases", AND/OR/NOT, author:/title:/doc:/section:,
    date:[2019 TO 2023], wildcards (trots*) and fuzzy words (exil~).

    --copy puts the first passage's citation on the clipboard.

    \b
    Example:
      seedsearch search '"left opposition" trotsky' -n 3 --style chicago
    """
    with common.open_library(index_dir) as library:
        result = library.search(query, limit=limit, full=full, context=context,
                                per_doc=per_doc)
    citations = [hit.cite(style) for hit in result.hits]
    if as_json:
        common.echo(render.as_json(result.to_dict(style)))
    elif result.hits and fmt in ("html", "rtf"):
        common.paste_citations(citations, fmt, copy=False)
    elif result.hits:
        common.echo(render.search_text(result, click.style, style, fmt, explain))
    else:
        for note in result.notes:
            common.echo(f"Note: {note}", err=True)
        message = f"No passage matches {query!r}."
        if result.suggestion:
            message += f" Did you mean: {result.suggestion}"
        common.echo(message, err=True)
    if copy:
        common.copy_citations(citations)
    sys.exit(0 if result.hits else 1)


@cli.command("show", context_settings={"ignore_unknown_options": True})  # show DOC -1
@click.argument("doc")
@click.argument("paragraph", required=False, type=int)
@common.index_option
@common.style_option
@common.format_option
@common.copy_option
@common.json_option
@common.color_option
@common.reports_errors
def show_command(doc: str, paragraph: int | None, index_dir: str, style: str, fmt: str | None,
                 copy: bool, as_json: bool) -> None:
    """Print article DOC, or its paragraph ¶PARAGRAPH, with the citation.

    DOC is a file name with or without extension, or a unique prefix such as 000. A whole
    article goes through a pager ($PAGER, else less) on a terminal.

    \b
    Example:
      seedsearch show 001 10 --style apa --format html --copy
    """
    with common.open_library(index_dir) as library:
        doc_id = library.resolve(doc)
        meta = library.articles[doc_id]
        blocks = ([library.paragraph(doc_id, paragraph)] if paragraph is not None
                  else library.blocks(doc_id))
        citations = [library.cite_block(block, style) for block in blocks]
        whole = library.cite_article(doc_id, style)
    if as_json:
        common.echo(render.as_json({"doc": meta.to_dict(doc_id), "blocks": [
            render.block_dict(block, meta, citation)
            for block, citation in zip(blocks, citations, strict=True)]}))
        return
    chosen = citations[0] if paragraph is not None else whole
    if fmt in ("html", "rtf"):
        common.paste_citations([chosen], fmt, copy)
        return
    if paragraph is not None:
        common.echo("\n".join(render.citation_lines(chosen, fmt, click.style))
                    + f"\n\n{blocks[0].text}")
    else:
        common.page(render.article_text(meta, blocks, whole, click.style, fmt))
    if copy:
        common.copy_citations([chosen])


@cli.command("docs")
@common.index_option
@click.option("--format", "export_format",
              type=click.Choice(common.EXPORT_FORMATS + common.PASTE_FORMATS),
              help="bibtex, csl-json or ris: the bibliography for a reference manager (Zotero "
                   "imports all three); text, markdown, html or rtf: the reference list in "
                   "--style, to paste.")
@click.option("--style", default="apa", show_default=True,
              type=click.Choice(["plain", "apa", "mla", "chicago"]),
              help="Citation style of the reference list (--format text/markdown/html/rtf).")
@common.copy_option
@common.json_option
@common.color_option
@common.reports_errors
def docs_command(index_dir: str, export_format: str | None, style: str, copy: bool,
                 as_json: bool) -> None:
    """List the indexed articles with their metadata and paragraph counts.

    \b
    Example:
      seedsearch docs --format rtf --style mla > works-cited.rtf
    """
    if export_format and as_json:
        raise search.InputError("Give --format or --json, not both: --format csl-json is "
                                "already JSON.")
    with common.open_library(index_dir) as library:
        infos = library.documents()
        if export_format in common.EXPORT_FORMATS:
            common.echo(library.bibliography(export_format))
            sys.exit(0 if infos else 1)
        if export_format:
            _print_references(library.references(style), export_format, copy)
            sys.exit(0 if infos else 1)
    common.echo(render.as_json({"documents": [info.to_dict() for info in infos]}) if as_json
                else render.documents_text(infos))
    sys.exit(0 if infos else 1)


def _print_references(references: list[str], fmt: str, copy: bool) -> None:
    common.echo(search.reference_document(references, fmt))
    if copy:
        common.copy_references(references)

@cli.group("catalog")
def catalog_group() -> None:
    """Fill the articles' catalog.toml from what a reference manager already knows.

    \b
    Example:
      seedsearch catalog import ~/zotero-export.bib
    """


@catalog_group.command("import")
@click.argument("references", type=click.Path(dir_okay=False))
@common.index_option
@common.json_option
@common.reports_errors
def catalog_import_command(references: str, index_dir: str, as_json: bool) -> None:
    """Add catalog entries from REFERENCES (a Zotero export: CSL-JSON, BibTeX or RIS).

    Each reference is matched to an indexed article by DOI, URL or title; an article that
    already has a catalog entry keeps it. Exits 0 when any entry was added, 1 when none.

    \b
    Example:
      seedsearch catalog import ~/zotero-export.json --index myindex
    """
    with common.open_library(index_dir) as library:
        report = library.import_catalog(references)
    common.echo(render.as_json(report.to_dict()) if as_json else render.import_text(report))
    sys.exit(0 if report.added else 1)


def _verification_output(verification: search.Verification, style: str, as_json: bool,
                         fmt: str | None = None) -> str:
    if as_json:
        return render.as_json(verification.to_dict(style))
    return render.verification_text(verification, click.style, style, fmt)


@cli.command("cite")
@click.argument("quotation", required=False)
@click.option("--batch", type=click.File("rb"),
              help="Check one quotation per line of FILE (- for standard input).")
@click.option("--by", default="", help="Also say whether the corpus attributes it to NAME.")
@common.index_option
@click.option("--style", default="plain", show_default=True,
              type=click.Choice(["plain", "apa", "mla", "chicago", *common.EXPORT_FORMATS]),
              help="Citation style of each source; bibtex, csl-json and ris export the cited "
                   "articles for a reference manager.")
@common.max_sources_option
@common.format_option
@common.copy_option
@common.json_option
@common.color_option
@common.reports_errors
def cite_command(quotation: str | None, batch: Any, by: str, index_dir: str, style: str,
                 max_sources: int, fmt: str | None, copy: bool, as_json: bool) -> None:
    """Check QUOTATION against the indexed articles: every source, a verdict, the changes.

    Exits 0 if it is verified (exact or edited), 1 if not, 2 on error. --copy puts the best
    source's citation on the clipboard.

    \b
    Example:
      seedsearch cite "Stalin is too rude" --style apa --copy
    """
    if (quotation is None) == (batch is None):
        raise search.InputError("Give one QUOTATION or --batch FILE.")
    with common.open_library(index_dir) as library:
        if batch is None:
            verification = library.verify(quotation or "", by=by, max_sources=max_sources)
            if style in common.EXPORT_FORMATS:
                ids = list(dict.fromkeys(m.doc_id for m in verification.matches))
                common.echo(library.bibliography(style, ids))
                sys.exit(0 if _confirmed(verification) else 1)
            citations = [match.cite(style) for match in verification.matches]
            if fmt in ("html", "rtf") and not as_json:
                common.paste_citations(citations[:1], fmt, copy)
            else:
                common.echo(_verification_output(verification, style, as_json, fmt))
                if copy:
                    common.copy_citations(citations)
            sys.exit(0 if _confirmed(verification) else 1)
        if style in common.EXPORT_FORMATS:
            raise search.InputError("--style bibtex/csl-json/ris exports one quotation's "
                                    "sources; use `seedsearch docs --format` for the whole "
                                    "corpus.")
        if fmt in ("html", "rtf"):
            raise search.InputError(f"--format {fmt} writes one quotation's citation to paste; "
                                    "with --batch use --format text or markdown.")
        sys.exit(_cite_batch(library, batch, by, style, as_json, fmt, max_sources))


def _confirmed(verification: search.Verification) -> bool:
    """Verified, and attributed to the --by name when one was given."""
    return verification.verified and verification.attributed_to_by is not False


def _cite_batch(library: search.Library, batch: Any, by: str, style: str,
                as_json: bool, fmt: str | None, max_sources: int) -> int:
    lines = batch.read().splitlines()  # bytes: a line that is not UTF-8 is reported alone
    all_verified = True
    for result in library.verify_batch(lines, by=by, max_sources=max_sources):
        if isinstance(result, search.BatchError):
            all_verified = False
            common.echo(render.as_json(result.to_dict()) if as_json
                        else f"line {result.line}: Error: {result.message}")
        else:
            all_verified &= _confirmed(result)
            common.echo(_verification_output(result, style, as_json, fmt))
            if not as_json:
                common.echo("")
        sys.stdout.flush()  # each result as soon as it is ready, for a pipe reading along
    return 0 if all_verified else 1


cli.add_command(cli_draft.check_command)
cli.add_command(cli_draft.serve_command)


def main() -> None:
    """Run the command line."""
    # One BLAS thread for the embedding model: with small matrices and a busy machine, more
    # threads only wait on each other (measured 2x slower on 2 cores). The program decides
    # this for itself; the library leaves a user's process settings alone.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # The modules imported so far live as long as the process: the collector need not walk
    # them again each time the command's own imports trigger it (5% of a search command).
    gc.freeze()
    common.freeze_opened = True  # and so do the index a command opens, and what that imports
    try:
        cli(prog_name="seedsearch")
    finally:
        # At exit the interpreter collects three times over everything not frozen, only to
        # find the modules and the index the command kept to its end (3% of a search
        # command); frozen, they are freed as the modules are cleared, as before.
        gc.freeze()
