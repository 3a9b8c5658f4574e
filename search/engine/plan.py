"""What an indexing run must do: which files are new, changed, moved, gone or unchanged.

An article is identified by its file's resolved absolute path, so the same file is the same
article whatever the working directory and however its path is spelt (relative, absolute,
through `..` or a symbolic link). A file whose text is unchanged but whose path is new, while
an indexed article with that text has lost its file, was moved or renamed: it is re-indexed
under its new path and reported as moved, not as one removal and one addition. An indexed
article is removed only when its file is really gone.

Citations print a path relative to the folder holding what was indexed: `seedsearch index
seeds` cites `seeds/000_….txt`, `seedsearch index notes/draft.md` cites `draft.md`, and
several paths are shown from their common folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..catalog import load_catalog
from ..errors import InputError
from ..files import ARTICLE_SUFFIXES, content_hash, file_hash, find_article_files
from ..frozen import frozen_dataclass
from .workers import Job


@frozen_dataclass
class Known:
    """An article already in the index."""

    path: str  # resolved absolute path: the article's identity
    doc_id: str
    fingerprint: str  # "<text hash>:<catalog entry hash>"

    @property
    def text_hash(self) -> str:
        return self.fingerprint.split(":", 1)[0]


@dataclass
class Plan:
    """The run's work: jobs to write, and what the report says about every file."""

    jobs: list[Job]
    moved: list[tuple[str, str]]  # (old path, new path)
    removed: list[str]
    unchanged: list[str]
    skipped: list[tuple[str, str]]


def article_files(paths: list[Path], not_articles: list[tuple[str, str]] | None = None
                  ) -> tuple[list[Path], Path]:
    """Return the article files under paths, resolved and without duplicates, and the
    folder citations are shown from; files of other formats in the folders go to
    not_articles, with why."""
    found = find_article_files(paths, not_articles)
    if not found:
        named = ", ".join(str(path) for path in paths)
        raise InputError(f"No articles in {named}: nothing ending in "
                         f"{', '.join(ARTICLE_SUFFIXES)} was found.")
    files = list(dict.fromkeys(path.resolve() for path in found))
    return files, citation_root(paths)


def citation_root(paths: list[Path]) -> Path:
    """The folder holding what was named: a folder's parent, a file's own folder (their
    common folder when several were named).

    >>> str(citation_root([Path("/data/seeds"), Path("/data/notes/a.md")]))
    '/data'
    """
    holders = [str(path.resolve().parent) for path in paths]
    return Path(os.path.commonpath(holders)) if holders else Path("/")


def shown_path(path: Path, root: Path) -> str:
    """The path citations print for a file.

    >>> shown_path(Path("/data/seeds/a.txt"), Path("/data"))
    'seeds/a.txt'
    """
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def make_plan(files: list[Path], root: Path, known: dict[str, Known]) -> Plan:
    """Read each file and decide what to do with it (see the module docstring)."""
    plan = Plan([], [], [], [], [])
    catalogs: dict[Path, dict[str, dict]] = {}
    fresh: list[tuple[Path, str]] = []
    for path in files:
        try:
            if path.parent not in catalogs:  # once a folder, not once a file
                catalogs[path.parent] = load_catalog(path.parent)
            digest = file_hash(path)
        except InputError as exc:
            plan.skipped.append((str(path), str(exc)))
            continue
        catalog = catalogs[path.parent]
        fingerprint = _fingerprint(digest, catalog.get(path.stem))
        previous = known.get(str(path))
        if previous and previous.fingerprint == fingerprint:
            plan.unchanged.append(str(path))
            continue
        if previous is None:
            fresh.append((path, fingerprint))
        plan.jobs.append(Job(path, path.stat().st_size, path.stem, catalog,
                             shown_path(path, root), fingerprint))
    present = {str(path) for path in files}
    gone = [info for path, info in known.items() if path not in present and not _exists(path)]
    plan.moved = _moves(fresh, gone)
    moved_from = {old for old, _ in plan.moved}
    plan.removed = [info.path for info in gone if info.path not in moved_from]
    return plan


def _moves(fresh: list[tuple[Path, str]], gone: list[Known]) -> list[tuple[str, str]]:
    """Pair new files with vanished articles of the same text (each used once)."""
    by_text: dict[str, list[Known]] = {}
    for info in gone:
        by_text.setdefault(info.text_hash, []).append(info)
    moves = []
    for path, fingerprint in fresh:
        candidates = by_text.get(fingerprint.split(":", 1)[0])
        if candidates:
            # the same file name first (a move), else the first gone (a rename)
            same_name = [info for info in candidates if Path(info.path).name == path.name]
            chosen = (same_name or candidates)[0]
            candidates.remove(chosen)
            moves.append((chosen.path, str(path)))
    return moves


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except OSError:
        return True  # cannot tell (permissions): keep the article


def fingerprint_of(path: Path, catalog: dict[str, dict]) -> str:
    """The fingerprint stored with an article: its file's bytes and its catalog entry."""
    return _fingerprint(file_hash(path), catalog.get(path.stem))


def _fingerprint(digest: str, entry: dict | None) -> str:
    catalog_part = json.dumps(entry, sort_keys=True, default=str) if entry else ""
    return f"{digest}:{content_hash(catalog_part)[:16]}"
