"""A few open libraries shared by the server's threads, one request at a time each.

A Whoosh searcher is not meant to be used by several threads at once, so each request borrows
a whole `Library` and gives it back; with as many libraries as the server runs queries at
once, a slow draft check holds one of them and searches go on with the others.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..library import Library


class LibraryPool:
    """Open libraries over one index, lent out one request at a time."""

    def __init__(self, index_dir: str | Path, size: int = 2) -> None:
        self.index_dir = Path(index_dir)
        self._idle: queue.Queue[Library] = queue.Queue()
        self._all = [Library(self.index_dir)]  # the first one opens (or fails) at once
        self._size = max(1, size)
        self._idle.put(self._all[0])
        self._opening = threading.Lock()

    @contextmanager
    def library(self) -> Iterator[Library]:
        """Lend a library for the time of a with-block; open another while fewer than size."""
        try:
            library = self._idle.get_nowait()
        except queue.Empty:
            library = self._open_another() or self._idle.get()
        try:
            yield library
        finally:
            self._idle.put(library)

    def _open_another(self) -> Library | None:
        with self._opening:
            if len(self._all) >= self._size:
                return None
            library = Library(self.index_dir)
            self._all.append(library)
            return library

    def close(self) -> None:
        """Close every library."""
        for library in self._all:
            library.close()
