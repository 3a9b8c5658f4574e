"""Which articles are copies of each other, worked out when the index is written.

Folding the copies of a passage (`duplicates.PassageFolder`) needs the copy groups on every
search, and grouping needs every article's sketch: read from the article records, that was
thousands of stored records decoded by the first search of each command (0.3 s at 100 MB).
`copies_<generation>.bin` is written with each committed generation instead (beside the
lexicon, before Whoosh's table of contents) and mapped into memory when first asked for.
It also keeps every live article's sketch, so the next indexing run regroups from it
without reading the article records again.

Layout (little-endian uint32 arrays, each section padded to 4 bytes, `packed`):
    header   MAGIC, article count N, sketch value count V, grouped article count C, group count G
    article ids (sorted by UTF-8 bytes): offsets (N + 1), bytes
    sketch offsets (N + 1) into the sketch values (V)
    each article's group number (N; NO_GROUP when it has no copies)
    group offsets (G + 1) into the members (C): article numbers, in id order
"""

from __future__ import annotations

import mmap
import os
import re
import struct
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..duplicates import copies
from .packed import string_section, strings_at, uint32s, uint32s_at

COPIES_FILE = re.compile(r"^copies_([0-9]+)\.bin$")  # one per committed generation
MAGIC = b"SSCPY001"
NO_GROUP = 0xFFFFFFFF
_HEADER = struct.Struct("<8sIIII")
Sketches = dict[str, Sequence[int]]  # doc_id -> its body's sketch (duplicates.sketch)


def copies_name(generation: int) -> str:
    """The file name of a generation's copy groups."""
    return f"copies_{generation}.bin"


class CopyGroups(Mapping[str, tuple[str, ...]]):
    """{doc_id: the ids of its copies} for the articles that have copies, read in place."""

    def __init__(self, view: memoryview, keep: object = None) -> None:
        magic, count, values, grouped, groups = _HEADER.unpack_from(view)
        if magic != MAGIC or sys.byteorder != "little":
            raise ValueError("not a copies file this version reads")
        self._ids, cursor = strings_at(view, _HEADER.size, count)
        self._sketch_offsets, cursor = uint32s_at(view, cursor, count + 1)
        self._sketch_values, cursor = uint32s_at(view, cursor, values)
        self._group_of, cursor = uint32s_at(view, cursor, count)
        self._group_offsets, cursor = uint32s_at(view, cursor, groups + 1)
        self._members, cursor = uint32s_at(view, cursor, grouped)
        if cursor != len(view):
            raise ValueError("a copies file of the wrong length")
        self._grouped = grouped
        self._keep = keep  # the mapping the views point into

    def __getitem__(self, doc_id: str) -> tuple[str, ...]:
        number = self._ids.find(doc_id)
        group = self._group_of[number] if number >= 0 else NO_GROUP
        if group == NO_GROUP:
            raise KeyError(doc_id)
        members = self._members[self._group_offsets[group]:self._group_offsets[group + 1]]
        return tuple(self._ids[member] for member in members if member != number)

    def __iter__(self) -> Iterator[str]:
        return (self._ids[number] for number in range(len(self._ids))
                if self._group_of[number] != NO_GROUP)

    def __len__(self) -> int:
        return self._grouped

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        """The groups as a plain dict (reads the grouped articles only)."""
        found: dict[str, tuple[str, ...]] = {}
        ids, members, offsets = self._ids, self._members, self._group_offsets
        for group in range(len(offsets) - 1):
            names = [ids[member] for member in members[offsets[group]:offsets[group + 1]]]
            for name in names:
                found[name] = tuple(other for other in names if other != name)
        return found

    def sketches(self) -> Sketches:
        """Every live article's sketch (for the next indexing run)."""
        offsets, values = self._sketch_offsets, self._sketch_values
        return {self._ids[number]: list(values[offsets[number]:offsets[number + 1]])
                for number in range(len(self._ids))}


def encode_copies(sketches: Sketches) -> bytes:
    """Return every article's sketch and the copy groups they make, in the layout above."""
    ids = sorted(sketches, key=lambda doc_id: doc_id.encode("utf-8"))
    number = {doc_id: position for position, doc_id in enumerate(ids)}
    groups = sorted({tuple(sorted((doc_id, *others), key=number.__getitem__))
                     for doc_id, others in copies(sketches).items()})
    group_of = [NO_GROUP] * len(ids)
    sketch_offsets, group_offsets, members = [0], [0], []
    for group_number, group in enumerate(groups):
        for doc_id in group:
            group_of[number[doc_id]] = group_number
            members.append(number[doc_id])
        group_offsets.append(len(members))
    for doc_id in ids:
        sketch_offsets.append(sketch_offsets[-1] + len(sketches[doc_id]))
    parts = [_HEADER.pack(MAGIC, len(ids), sketch_offsets[-1], len(members), len(groups))]
    parts += string_section(ids)
    parts += [uint32s(sketch_offsets), uint32s(v for doc_id in ids for v in sketches[doc_id]),
              uint32s(group_of), uint32s(group_offsets), uint32s(members)]
    return b"".join(parts)


def write_copies(index_dir: Path, generation: int, sketches: Sketches) -> None:
    """Write a generation's sketches and copy groups, atomically."""
    target = index_dir / copies_name(generation)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_bytes(encode_copies(sketches))
    os.replace(temporary, target)


def open_copies(index_dir: Path, generation: int) -> CopyGroups | None:
    """Map a generation's copy groups into memory; None when the file is missing or damaged
    (an index written by an older version: the caller regroups from the article records)."""
    try:
        with open(index_dir / copies_name(generation), "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return CopyGroups(memoryview(mapped), mapped)
    except (OSError, ValueError, struct.error, TypeError, IndexError):
        return None


def empty() -> CopyGroups:
    """Copy groups of an empty index."""
    return CopyGroups(memoryview(encode_copies({})))

