"""Opening an index to read it: the version check, the one error for damaged files, and
tidying up after killed runs. Kept apart from the build (`index.py`), so that a search
command does not import the indexing machinery (workers, plan, segment writer).
"""

from __future__ import annotations

import json
import os
import pickle
import struct
import zlib
from pathlib import Path

from whoosh import index, query

from ..analyse import ANALYSER_VERSION
from ..errors import IndexIncompatible, IndexLocked, IndexNotFound, IndexReadOnly
from . import blockids, mapped
from .housekeeping import remove_stray_files, stray_files
from .schema import SCHEMA_VERSION

VERSION_FILE = "seedsearch.json"
READER_LOCK_SECONDS = 2.0  # a reader removing stray files holds the lock for milliseconds

# What Whoosh's own code raises when its files were truncated, overwritten or deleted under
# it. Only calls into Whoosh are guarded with this: in our code a KeyError or TypeError is a
# bug, and must surface as one rather than as "damaged, rebuild".
DAMAGE_ERRORS = (index.IndexError, index.EmptyIndexError, OSError, EOFError, ValueError,
                 KeyError, IndexError, TypeError, AttributeError, struct.error,
                 pickle.UnpicklingError, zlib.error)


def damaged(index_dir: Path, exc: BaseException) -> IndexIncompatible:
    """The error for an index whose files cannot be read."""
    return IndexIncompatible(f"The index in {index_dir} is damaged ({type(exc).__name__}); "
                             "rebuild with `seedsearch index --rebuild`.")


def open_whoosh(index_dir: Path) -> index.Index:
    """Open an existing index, refusing a missing or incompatible one with the fix."""
    mapped.use_views()  # segments read in place, not copied whole, by readers and writers
    blockids.install()  # block document numbers decoded in C (engine/blockids.py)
    if not (index_dir / VERSION_FILE).is_file():
        if index_dir.is_dir() and index.exists_in(str(index_dir)):
            raise IndexIncompatible(
                f"The index in {index_dir} was written by another version; "
                "rebuild with `seedsearch index --rebuild`."
            )
        raise IndexNotFound(f"No index in {index_dir}. Run `seedsearch index` first.")
    _check_version(index_dir)
    try:
        whoosh_index = index.open_dir(str(index_dir))
        with whoosh_index.searcher() as searcher:
            # Touch the postings and stored fields through the few article records: cheap,
            # unlike a query over every block. Callers reading more wrap it in DAMAGE_ERRORS.
            # (Searcher.search without the Results it would make: they alone need highlights.)
            searcher.search_with_collector(query.Term("rectype", "article"),
                                           searcher.collector(limit=1))
    except DAMAGE_ERRORS as exc:
        raise damaged(index_dir, exc) from exc
    return whoosh_index


def _check_version(index_dir: Path) -> None:
    try:
        info = json.loads((index_dir / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexIncompatible(
            f"{index_dir / VERSION_FILE} is unreadable; rebuild with `seedsearch index --rebuild`."
        ) from exc
    if not isinstance(info, dict):
        raise IndexIncompatible(f"{index_dir / VERSION_FILE} is damaged; "
                                "rebuild with `seedsearch index --rebuild`.")
    if info.get("schema") != SCHEMA_VERSION or info.get("analyser") != ANALYSER_VERSION:
        raise IndexIncompatible(
            f"The index in {index_dir} was built by an incompatible version "
            f"(schema {info.get('schema')}, analyser {info.get('analyser')}; this version "
            f"writes schema {SCHEMA_VERSION}, analyser {ANALYSER_VERSION}); "
            "rebuild with `seedsearch index --rebuild`."
        )


def writable(folder: Path) -> bool:
    """True when files can be created in folder (a read-only index is still searched)."""
    return os.access(folder, os.W_OK | os.X_OK)


def tidy(index_dir: Path) -> None:
    """Remove the stray files of killed runs when the index can be written and no run is
    writing it now (a reader that cannot lock it just reads). The usual case, nothing to
    remove, is seen without taking the lock: no lock file written for each search."""
    if not (index_dir / VERSION_FILE).is_file() or not writable(index_dir):
        return
    if not stray_files(index_dir):
        return
    from .lock import IndexLock  # (a search command's start-up need not read it)

    try:
        with IndexLock(index_dir):
            remove_stray_files(index_dir)
    except (IndexLocked, IndexReadOnly, OSError):
        pass
