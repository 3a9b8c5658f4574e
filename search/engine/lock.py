"""A write lock for the index that knows which process holds it.

Whoosh's own lock is released when its process dies, but a user still needs to know when a
killed run left its lock file behind (and that the index it was writing is the previous,
intact one), or that another run is writing right now.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import TracebackType

from ..errors import IndexLocked, IndexReadOnly

LOCK_NAME = ".seedsearch.lock"


def _host() -> str:
    """This machine's name, as the lock file records it (socket is imported only here: a
    search that never writes the index does not pay for it)."""
    import socket

    return socket.gethostname()


class IndexLock:
    """Hold `index_dir/.seedsearch.lock` (host and pid) while writing the index."""

    def __init__(self, index_dir: Path, wait: float = 0.0) -> None:
        self.path = index_dir / LOCK_NAME
        self.warnings: list[str] = []
        self.wait = wait  # seconds to wait for a live holder (a reader tidying up) to let go

    def __enter__(self) -> IndexLock:
        deadline = time.monotonic() + self.wait
        while True:
            try:
                return self._acquire()
            except IndexLocked:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def _acquire(self) -> IndexLock:
        for _ in range(2):
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                self._clear_if_stale()
                continue
            except OSError as exc:  # a read-only folder or file system
                raise IndexReadOnly(f"Cannot write the index folder {self.path.parent} "
                                    f"({exc.strerror}); make it writable or give another "
                                    "--index.") from exc
            with os.fdopen(descriptor, "w") as handle:
                handle.write(f"{_host()} {os.getpid()}\n")
            return self
        raise IndexLocked(f"Could not lock {self.path}; delete it if no indexing run is active.")

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.path.unlink(missing_ok=True)

    def _clear_if_stale(self) -> None:
        host, pid = read_lock(self.path)
        if host == _host() and pid and not _alive(pid):
            try:
                self.path.unlink(missing_ok=True)
            except OSError as exc:
                raise IndexReadOnly(f"Cannot remove the stale lock {self.path} "
                                    f"({exc.strerror}).") from exc
            self.warnings.append(
                f"Removed a stale lock left by a killed indexing run (pid {pid}); "
                "the index it was writing is the previous, intact one."
            )
            return
        if host != _host() or not pid:
            raise IndexLocked(
                f"{self.path} is held by {host or 'an unknown host'} (pid {pid or '?'}); "
                "if no indexing run is active there, delete that file and retry."
            )
        raise IndexLocked(
            f"Another indexing run (pid {pid}) is writing {self.path.parent}; wait for it to "
            f"finish, or stop it (kill {pid}) and retry."
        )


def read_lock(path: Path) -> tuple[str, int]:
    """Return (host, pid) recorded in a lock file, ("", 0) if unreadable."""
    try:
        host, pid = path.read_text(encoding="utf-8").split()
        return host, int(pid)
    except (OSError, ValueError):
        return "", 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
