"""Reading a segment's impact lists (written by `impactwriter`): for a term, its postings
in groups that score alike, each group's (weight, length byte, kind weight) and docnums.

The file is mapped, not read: opening it costs a system call, and looking a term up is a
binary search over the sorted keys in the map (no directory is decoded). A segment written
before this file existed, or by Whoosh's own writer, simply has none (`open_segment` gives
None and the first stage reads that segment's postings whole).
"""

from __future__ import annotations

import mmap
import struct
import sys
from array import array
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from typing import Literal

from ..frozen import frozen_dataclass

# The file's names are here, with its reader, so that a search does not import the writer.
MAGIC = b"SSIMPCT1"
EXTENSION = "impacts"


def file_name(indexname: str, segment_id: str) -> str:
    """The impact file of a segment (Whoosh's clean-up pattern `<indexname>_<id>.<ext>`)."""
    return f"{segment_id}.{EXTENSION}" if segment_id.startswith(indexname + "_") \
        else f"{indexname}_{segment_id}.{EXTENSION}"

_CODES: dict[int, Literal["B", "H", "I"]] = {1: "B", 2: "H", 4: "I"}


@frozen_dataclass
class TermGroups:
    """One term's groups in one segment, in the order written (best first at writing)."""

    weights: array  # f: term frequency
    lengths: bytes  # field length byte
    kinds: bytes  # kind weight, percent
    counts: array  # I: postings in the group
    starts: list[int]  # where each group's docnums begin in the map
    widths: bytes  # bytes per coded docnum
    view: memoryview
    key: bytes  # the term, as Whoosh stores it
    maxids: array  # I: each Whoosh posting block's last docnum (the jump table)
    block_starts: array  # I: where each block starts, from the first one

    def docnums(self, group: int, offset: int = 0) -> list[int]:
        """The group's document numbers in the segment, ascending, plus offset (where the
        segment's numbers start in the index's: added while decoding)."""
        start, width = self.starts[group], self.widths[group]
        coded: Sequence[int] = self.view[start:start + width * self.counts[group]].cast(
            _CODES[width])  # the mapped bytes read in place as numbers (nothing copied)
        if width > 1 and sys.byteorder == "big":  # (written little-endian)
            swapped = array(_CODES[width], coded)
            swapped.byteswap()
            coded = swapped
        if not offset:
            return list(accumulate(coded))
        numbers = accumulate(coded, initial=offset)
        next(numbers)
        return list(numbers)


class ImpactFile:
    """A segment's impact lists, mapped."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._view = memoryview(self._map)
        if bytes(self._view[:len(MAGIC)]) != MAGIC:
            raise ValueError(f"{path} is not an impact file")
        at = len(MAGIC)
        (self._count,) = struct.unpack_from("<I", self._view, at)
        at += 4
        self._starts = self._array("I", at, self._count + 1)
        at += 4 * (self._count + 1)
        self._offsets = self._array("Q", at, self._count)
        self._blob = at + 8 * self._count

    def _array(self, typecode: str, at: int, count: int) -> array:
        values = array(typecode)
        values.frombytes(self._view[at:at + values.itemsize * count])
        if sys.byteorder == "big":
            values.byteswap()
        return values

    def _key(self, number: int) -> bytes:
        return self._map[self._blob + self._starts[number]:self._blob + self._starts[number + 1]]

    def jump_table(self, fieldname: str, term: bytes) -> tuple[array, array] | None:
        """The term's jump table (each Whoosh posting block's last docnum and start), or
        None when the segment keeps no list for it; nothing else of the record is read."""
        at = self._find(fieldname, term)
        if at is None:
            return None
        (count,) = struct.unpack_from("<I", self._view, at)
        at += 4 + 11 * count  # weights f32, length and kind bytes, counts u32, widths u8
        (blocks,) = struct.unpack_from("<I", self._view, at)
        return self._array("I", at + 4, blocks), self._array("I", at + 4 + 4 * blocks, blocks)

    def groups(self, fieldname: str, term: bytes) -> TermGroups | None:
        """The term's groups, or None when the segment keeps no list for it (a rare term)."""
        at = self._find(fieldname, term)
        return None if at is None else self._record(at, term)

    def _find(self, fieldname: str, term: bytes) -> int | None:
        """Where the term's record starts, or None."""
        wanted = fieldname.encode("utf-8") + b"\0" + term
        low, high = 0, self._count
        while low < high:  # bisect over the mapped keys
            middle = (low + high) // 2
            if self._key(middle) < wanted:
                low = middle + 1
            else:
                high = middle
        if low == self._count or self._key(low) != wanted:
            return None
        return self._offsets[low]

    def _record(self, at: int, term: bytes) -> TermGroups:
        view = self._view
        (count,) = struct.unpack_from("<I", view, at)
        at += 4
        weights = self._array("f", at, count)
        at += 4 * count
        lengths = bytes(view[at:at + count])
        kinds = bytes(view[at + count:at + 2 * count])
        at += 2 * count
        counts = self._array("I", at, count)
        at += 4 * count
        widths = bytes(view[at:at + count])
        at += count
        (blocks,) = struct.unpack_from("<I", view, at)
        at += 4
        maxids = self._array("I", at, blocks)
        block_starts = self._array("I", at + 4 * blocks, blocks)
        at += 8 * blocks
        starts = []
        for width, size in zip(widths, counts, strict=True):
            starts.append(at)
            at += width * size
        return TermGroups(weights, lengths, kinds, counts, starts, widths, view, term, maxids,
                          block_starts)


def jump_table_of(reader, fieldname: str, text: bytes, leaf) -> tuple[array, array] | None:
    """The term's jump table in a segment (`leaf`: its leaf matcher there), or None when the
    segment has no impact lists or the term no table; a term of one block needs none (the
    look-up, ~6 µs a segment, is left out)."""
    if leaf._lastblock:
        return None
    file = open_segment(reader)
    return file.jump_table(fieldname, text) if file is not None else None


def open_segment(reader) -> ImpactFile | None:
    """The impact file of a segment reader (cached on it), or None when it has none."""
    cached = reader.__dict__.get("_seedsearch_impacts", False)
    if cached is not False:
        return cached
    found = None
    segment = getattr(reader, "segment", None)
    folder = _folder(getattr(reader, "_storage", None))
    if segment is not None and folder is not None:
        path = Path(folder) / file_name(segment().indexname, segment().segment_id())
        if path.is_file():
            try:
                found = ImpactFile(path)
            except (OSError, ValueError):
                found = None
    reader.__dict__["_seedsearch_impacts"] = found
    return found


def _folder(storage) -> str | None:
    """The folder of a segment's storage (a compound segment overlays the index folder's)."""
    for each in (storage, getattr(storage, "b", None), getattr(storage, "a", None)):
        folder = getattr(each, "folder", None)
        if folder:
            return folder
    return None
