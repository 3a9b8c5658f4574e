"""Remove the files a killed or failed run left in the index folder.

A run killed mid-way leaves segment files its workers wrote, Whoosh's temporary folders and
half-written tables of contents, and the statistics of a generation it never committed;
nothing refers to them, and over many interrupted runs they pile up to several times the
size of the index. Only names this package or Whoosh writes are ever touched, so an index
folder that also holds a user's own files keeps them. Call with the write lock held: a
live writer's files look exactly like a dead one's.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage

from .copygroups import COPIES_FILE
from .lexicon import LEXICON_FILE
from .stats import REMOVED_FILE, VOCABULARY_FILE

INDEX_NAME = "MAIN"  # Whoosh's default index name, used by every index this package writes
_TOC = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc$")
_TOC_DEBRIS = re.compile(rf"^_{INDEX_NAME}_[0-9]+\.toc\..+$")  # Whoosh's temporary TOC
_SEGMENT = re.compile(rf"^({INDEX_NAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
# Whoosh's temporary folders (MAIN.tmp, a random name) and our half-written .json/.bin files
_TEMPORARY = re.compile(rf"^(?:(?:{INDEX_NAME}|[0-9a-z]{{8,}})\.tmp|.+\.(?:json|bin)\.tmp)$")
# What reading a missing, truncated or foreign table of contents raises inside Whoosh.
UNREADABLE = (index.EmptyIndexError, index.IndexError, OSError, ValueError, EOFError, KeyError, IndexError,
              TypeError, AttributeError, pickle.UnpicklingError)
LEGACY_FILES = ("vocabulary.json", "lexicon.bin")  # derived files of earlier versions


def stray_files(index_dir: Path) -> list[Path]:
    """Return the files in index_dir that no committed generation refers to."""
    try:
        toc = index.TOC.read(FileStorage(str(index_dir)), INDEX_NAME)
    except UNREADABLE:
        return []  # no readable commit: nothing can be told apart safely
    generation = toc.generation
    segments = {segment.segment_id() for segment in toc.segments}
    stray = []
    for path in sorted(index_dir.iterdir()):
        if _is_stray(path.name, generation, segments):
            stray.append(path)
    return stray


def _is_stray(name: str, generation: int, segments: set[str]) -> bool:
    for pattern in (_TOC, REMOVED_FILE, VOCABULARY_FILE, LEXICON_FILE, COPIES_FILE):
        match = pattern.match(name)
        if match:
            return int(match.group(1)) != generation
    segment = _SEGMENT.match(name)
    if segment:
        return segment.group(1) not in segments and not name.endswith("WRITELOCK")
    return bool(_TOC_DEBRIS.match(name) or _TEMPORARY.match(name) or name in LEGACY_FILES)


def remove_stray_files(index_dir: Path) -> list[str]:
    """Delete the stray files and folders; return their names."""
    removed = []
    for path in stray_files(index_dir):
        try:
            if path.is_dir() and not path.is_symlink():
                import shutil  # only when there is a folder to remove (a search opens this module)

                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            continue  # a file another process still holds: the next run tries again
        removed.append(path.name)
    return removed
