"""What every `seedsearch` command shares: its options, colour, the error wrapper, opening (or
first building) the index, and printing citations to paste or copy.

Part of the command line (with `cli.py` and `cli_draft.py`): only these modules talk to the
terminal, and they import only from `search`.
"""

from __future__ import annotations

import functools
import gc
import os
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

# True in the `seedsearch` process (cli.main), where what opening an index makes lives as long
# as the command: it is then frozen out of the collector's way, as main freezes the modules.
# A caller running commands in its own process (the tests) leaves it False.
freeze_opened = False


def default_index() -> str:
    """Return the default index folder: $SEEDSEARCH_INDEX, else index/."""
    return os.environ.get("SEEDSEARCH_INDEX") or DEFAULT_INDEX


index_option = click.option(
    "--index", "index_dir", default=default_index, show_default="index/ or $SEEDSEARCH_INDEX",
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
max_sources_option = click.option(
    "--max-sources", default=20, show_default=True, type=click.IntRange(min=1),
    help="List at most N sources of a quotation, best first; the further verbatim "
         "occurrences are counted.")
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


def build_index(paths: list[str | Path], index_dir: str, rebuild: bool,
                quiet: bool, vectors: bool | None = None) -> search.IndexReport:
    """Index paths, with progress bars on a terminal unless quiet (articles, then vectors)."""
    show = not quiet and sys.stderr.isatty()
    bars: dict[str, Any] = {}

    def progress(done: int, total: int, path: str) -> None:
        stage = "Embedding passages" if path == "vectors" else "Indexing articles"
        if stage not in bars:
            bars[stage] = click.progressbar(length=total, label=stage, file=sys.stderr)
            bars[stage].__enter__()
        bars[stage].update(done - bars[stage].pos if path == "vectors" else 1)
        if done == total:
            bars[stage].__exit__(None, None, None)

    return search.build(paths, index_dir, rebuild=rebuild, progress=progress if show else None,
                        vectors=vectors)


def open_library(index_dir: str, lasting: bool = True) -> search.Library:
    """Open the index; on a fresh checkout, build the default one from seeds/ first.
    lasting: the library is used until the command ends (False: closed before it goes on)."""
    try:
        return _uncollected(lambda: search.open(index_dir), lasting and freeze_opened)
    except search.IndexNotFound:
        # Only the default index/ is built on first use: a mistyped --index or
        # $SEEDSEARCH_INDEX is an error, not a new index somewhere unexpected.
        if index_dir != DEFAULT_INDEX or not Path(DEFAULT_SEEDS).is_dir():
            raise
    echo(f"No index in {index_dir}/ yet; indexing {DEFAULT_SEEDS}/ first.", err=True)
    build_index([DEFAULT_SEEDS], index_dir, rebuild=False, quiet=False)
    return search.open(index_dir)


def _uncollected(opening: Callable[[], search.Library], freeze: bool) -> search.Library:
    """Open an index with the cycle collector paused, and with freeze, what it made frozen.

    Opening imports the search stages (the first time `search.open` is asked for) and reads
    the index's tables: objects that live as long as the command, which the collector would
    walk again and again as they are made, and then once more all together (2% of a search
    command). It runs again, as usual, once they are made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return opening()
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def paste_citations(citations: list[search.Citation], fmt: str, copy: bool) -> None:
    """Print citations as a document to paste, their warnings on stderr; copy if asked."""
    if not citations:
        echo("No source to cite.", err=True)
        return
    echo(render.paste_text(citations, fmt))
    for warning in render.paste_warnings(citations):
        echo(click.style(f"Warning: {warning}", fg="yellow"), err=True)
    if copy:
        copy_citations(citations)


def copy_citations(citations: list[search.Citation]) -> None:
    """Put the first citation on the clipboard (the best source, the first hit)."""
    if not citations:
        echo("Nothing to copy: no citation.", err=True)
        return
    copy_text(render.paste_text(citations[:1], "text"), render.paste_text(citations[:1], "html"))


def on_terminal() -> bool:
    """True when standard output is a terminal (where a pager makes sense)."""
    return sys.stdout.isatty()


def page(text: str) -> None:
    """Print text, through a pager when it is longer than the terminal is high."""
    import shutil  # with its compression modules, only for the commands that page

    height = shutil.get_terminal_size().lines
    if on_terminal() and text.count("\n") + 1 > height - 1:
        click.echo_via_pager(text, color=use_color())
    else:
        echo(text)


def copy_text(text: str, html: str = "") -> None:
    """Put text (or its HTML, where the clipboard tool can label it) on the clipboard, or say
    why not."""
    try:
        echo(search.copy_to_clipboard(text, html), err=True)
    except search.SearchError as exc:
        echo(f"Note: {exc}", err=True)


def copy_references(references: list[str]) -> None:
    """Put a reference list on the clipboard, as HTML where the tool allows."""
    copy_text(search.reference_document(references, "text"),
              search.reference_document(references, "html"))


def write_file(path: str, text: str) -> None:
    """Write text to path as UTF-8; a path that cannot be written is the user's to fix."""
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise search.InputError(f"Cannot write {path}: {exc.strerror}.") from exc
