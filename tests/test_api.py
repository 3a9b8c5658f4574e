"""Tests for the package's public face: `search.__all__`, command help and the documented example."""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import importlib
import inspect
import io
import pkgutil
import re
import shutil
import typing
from pathlib import Path

import click
import pytest

import search
from search.cli import cli

PACKAGE_DIR = Path(search.__file__).parent


def package_namespace() -> dict[str, object]:
    """Every module-level name of every module, to resolve annotations written as strings."""
    names: dict[str, object] = {}
    # The engine's first: some of its types are imported elsewhere only for type checking
    # (`IndexReport` by library.py); the package's own modules win a clash of names.
    for module in pkgutil.iter_modules([str(PACKAGE_DIR / "engine")]):
        names.update(vars(importlib.import_module(f"search.engine.{module.name}")))
    for module in pkgutil.iter_modules([str(PACKAGE_DIR)]):
        if module.name != "__main__":
            names.update(vars(importlib.import_module(f"search.{module.name}")))
    return names


def ours(value: object) -> bool:
    return inspect.isclass(value) and (getattr(value, "__module__", "") or "").startswith(
        "search.")


def classes_in(hint: object) -> set[type]:
    found = {hint} if ours(hint) else set()
    for argument in typing.get_args(hint):
        found |= classes_in(argument)
    return found


def public_callables(value: object) -> list[tuple[str, object]]:
    """A public class's methods and properties, or the function itself."""
    if not inspect.isclass(value):
        return [("", value)] if callable(value) else []
    members = []
    for name, member in inspect.getmembers(value):
        if isinstance(member, property):
            member = member.fget
        if not name.startswith("_") and callable(member) and not inspect.isclass(member):
            members.append((f".{name}", member))
    return members


def types_a_user_meets() -> dict[str, set[str]]:
    """Classes of this package that exported names take or return, and where they appear."""
    namespace = package_namespace()
    met: dict[str, set[str]] = {}
    for name in search.__all__:
        value = getattr(search, name)
        hints = []
        if dataclasses.is_dataclass(value):
            hints += [(f"{name}.{field}", hint) for field, hint in
                      typing.get_type_hints(value, globalns=namespace).items()]
        for suffix, function in public_callables(value):
            if (getattr(function, "__module__", "") or "").startswith("search"):
                hints += [(f"{name}{suffix}", hint) for hint in
                          typing.get_type_hints(function, globalns=namespace).values()]
        for where, hint in hints:
            for cls in classes_in(hint):
                met.setdefault(cls.__name__, set()).add(where)
    return met


# --- __all__ --------------------------------------------------------------------------------


def test_all_is_sorted_and_has_no_duplicates():
    assert search.__all__ == sorted(search.__all__)
    assert len(search.__all__) == len(set(search.__all__))


def test_every_name_in_all_exists():
    missing = [name for name in search.__all__ if not hasattr(search, name)]
    assert missing == []


def test_star_import_gives_exactly_all():
    namespace: dict[str, object] = {}
    exec("from search import *", namespace)  # noqa: S102
    assert sorted(name for name in namespace if name != "__builtins__") == search.__all__


def test_the_documented_entry_points_are_exported():
    assert {"open", "build", "Library", "Hit", "SearchResult", "SearchError", "InputError",
            "IndexNotFound", "IndexIncompatible", "IndexLocked", "ArticleNotFound",
            "NothingFound", "IndexReport", "Verdict", "Verification", "Match"} <= set(
        search.__all__)


def test_every_error_class_is_exported():
    from search import errors

    defined = {name for name, value in vars(errors).items()
               if inspect.isclass(value) and issubclass(value, Exception)
               and value.__module__ == errors.__name__}
    assert defined <= set(search.__all__)


def test_all_is_complete_for_the_types_the_api_hands_out():
    """A class a user gets back from (or passes to) an exported name is exported too."""
    unexported = {name: sorted(where) for name, where in types_a_user_meets().items()
                  if name not in search.__all__}
    assert unexported == {}


CLI_MODULES = [PACKAGE_DIR / "cli.py", *sorted(PACKAGE_DIR.glob("cli_*.py"))]


@pytest.mark.parametrize("module", CLI_MODULES, ids=lambda path: path.name)
def test_the_cli_only_imports_what_the_package_exports(module):
    """The CLI imports from `search`; a name it takes from a submodule must be exported."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    taken = {(node.module, alias.name) for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                 "search") for alias in node.names}
    submodules = {module.name for module in pkgutil.iter_modules([str(PACKAGE_DIR)])}
    not_exported = sorted(f"{module}.{name}" for module, name in taken
                          if name not in submodules and name not in search.__all__)
    assert not_exported == []
    used = set(re.findall(r"\bsearch\.([A-Za-z_]\w*)", module.read_text(encoding="utf-8")))
    assert sorted(used - set(search.__all__) - submodules) == []


@pytest.mark.parametrize("module", CLI_MODULES, ids=lambda path: path.name)
def test_the_cli_imports_only_from_the_package(module):
    """STYLE.md: the CLI imports only from `search` (`import search`, `from search import x`)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    deep = sorted(f"from {node.module} import {', '.join(a.name for a in node.names)}"
                  for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                  and (node.level or (node.module or "").startswith("search.")))
    assert deep == []


# --- command help ---------------------------------------------------------------------------


def test_the_group_and_every_command_have_help_text():
    assert cli.help and cli.help.strip()
    assert cli.commands
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), name
        assert command.get_short_help_str().strip(), name


def test_every_option_has_help_text():
    missing = [f"{name} {param.opts[0]}" for name, command in cli.commands.items()
               for param in command.params
               if isinstance(param, click.Option) and not param.help]
    assert missing == []


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_answers_help(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    summary = cli.commands[command].help.strip().splitlines()[0]
    assert " ".join(summary.split()[:4]) in " ".join(result.stdout.split())


def test_the_version_option_works(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert re.search(r"\d+\.\d+\.\d+", result.stdout)


# --- the documented library example ---------------------------------------------------------


def documented_example() -> str:
    """The indented code of the package docstring's example."""
    lines = search.__doc__.split("import search\n", 1)[1].splitlines()
    code = ["import search"] + [line[4:] for line in lines if line.startswith("    ")]
    return "\n".join(code) + "\n"


def test_the_package_docstring_example_runs(tmp_path, monkeypatch):
    shutil.copytree(Path(__file__).parent.parent / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    assert search.build(["seeds"], "index").articles == 5
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(documented_example(), "search.__doc__", "exec"), {})  # noqa: S102
    lines = printed.getvalue().splitlines()
    assert len(lines) == 5
    assert any("¶112" in line for line in lines)
    assert all("seeds/003_411d2712463a3513.txt:" in line for line in lines)


def test_the_library_example_gives_citations_paragraphs_lines_and_text(seed_index):
    lib = search.open(seed_index)
    try:
        seen = []
        for hit in lib.search("kronstadt uprising", limit=5):
            seen.append((hit.citation, hit.paragraph, hit.line_start, hit.text))
    finally:
        lib.close()
    assert len(seen) == 5
    path = seed_index.parent / "seeds" / "003_411d2712463a3513.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    for citation, paragraph, line_start, text in seen:
        assert isinstance(citation, str) and f"seeds/{path.name}:{line_start}-" in citation
        assert paragraph is None or f"¶{paragraph}, " in citation
        assert text == " ".join(lines[line_start - 1].split())
    body = [entry for entry in seen if entry[1] is not None]
    assert 112 <= body[0][1] <= 120  # the paragraphs under "The Kronstadt Uprising"


def test_open_and_build_accept_strings_and_paths(seed_index, tmp_path):
    for index_dir in (seed_index, str(seed_index)):
        with search.open(index_dir) as library:
            assert isinstance(library, search.Library)
            assert len(library.articles) == 5
    report = search.build([str(seed_index.parent / "seeds")], str(tmp_path / "index"))
    assert isinstance(report, search.IndexReport)
    assert report.to_dict()["articles"] == 5


def test_library_errors_are_search_errors_with_exit_codes():
    assert issubclass(search.InputError, search.SearchError)
    assert issubclass(search.IndexNotFound, search.SearchError)
    assert search.SearchError.exit_code == 2
    assert search.NothingFound.exit_code == 1
