"""Read a segment's files in place from the memory map, instead of copying each one whole.

Whoosh 2.7 maps a compound segment file into memory, then wraps every sub-file it opens
(postings, term index, stored fields, columns) in a `BufferFile`, whose constructor makes a
`BytesIO` of the mapped bytes: a full copy. Opening a 100 MB corpus's index copied ~400 MB
and took over a second before the first posting was read, most of it for parts a search
never touches. `ViewFile` is the same `BufferFile` reading straight from the mapped view.

Whoosh internals touched (written against Whoosh 2.7.4): `whoosh.filedb.compound.BufferFile`,
the name `CompoundStorage.open_file` looks up to wrap a sub-file, replaced by `use_views()`
for the whole process (plain Whoosh indexes opened in it benefit too). With another Whoosh
version, or `use_views(False)`, the stock class stays (a copy per file, same results); a
test compares searches both ways.
"""

from __future__ import annotations

import io

import whoosh
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

_STOCK = BufferFile
SUPPORTED = whoosh.__version__[:2] == (2, 7)


class ViewReader(io.RawIOBase):
    """A read-only, seekable file over a memoryview: read and readinto copy only what is read."""

    def __init__(self, view) -> None:
        super().__init__()
        self._view = memoryview(view).cast("B") if not isinstance(view, bytes) else view
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._view[self._position:self._position + len(buffer)]
        buffer[:len(chunk)] = chunk
        self._position += len(chunk)
        return len(chunk)

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._position + size
        chunk = bytes(self._view[self._position:end])
        self._position += len(chunk)
        return chunk

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: len(self._view)}
        self._position = max(0, base[whence] + offset)
        return self._position

    def tell(self) -> int:
        return self._position


class ViewFile(BufferFile):
    """Whoosh's BufferFile without the copy: its stream reads from the mapped view."""

    def __init__(self, buf, name=None, onclose=None) -> None:
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = io.BufferedReader(ViewReader(buf))


def use_views(enabled: bool = True) -> None:
    """Make Whoosh wrap mapped sub-files in `ViewFile` (or, with False, its own BufferFile)."""
    compound.BufferFile = ViewFile if enabled and SUPPORTED else _STOCK
