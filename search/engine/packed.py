"""Sorted strings and uint32 arrays in a file mapped into memory, read in place.

The derived files written with each generation (`lexicon`, `copygroups`) are sections of
little-endian uint32 arrays and UTF-8 strings, each padded to 4 bytes, so opening one costs
a `mmap` and a lookup a binary search: nothing is parsed up front however large the corpus.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable


class Strings:
    """A sorted run of UTF-8 strings, read in place: a sequence `bisect` can search."""

    def __init__(self, offsets: memoryview, data: memoryview) -> None:
        self._offsets = offsets
        self._data = data

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, number: int) -> str:
        return bytes(self._data[self._offsets[number]:self._offsets[number + 1]]).decode("utf-8")

    def find(self, text: str) -> int:
        """Return the string's number, or -1 when it is absent."""
        number = bisect_left(self, text)
        return number if number < len(self) and self[number] == text else -1


def string_section(strings: list[str]) -> list[bytes]:
    """Return the offsets and the bytes of strings (sorted by their UTF-8 bytes) as sections."""
    encoded = [s.encode("utf-8") for s in strings]
    offsets = [0]
    for item in encoded:
        offsets.append(offsets[-1] + len(item))
    data = b"".join(encoded)
    return [uint32s(offsets), data + b"\0" * (-len(data) % 4)]


def uint32s(values: Iterable[int]) -> bytes:
    """Return values as a little-endian uint32 section."""
    numbers = array("I", values)
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers.tobytes()


def uint32s_at(view: memoryview, cursor: int, count: int) -> tuple[memoryview, int]:
    """Return the `count` uint32s at cursor and the cursor after them."""
    end = cursor + 4 * count
    if end > len(view):
        raise ValueError("a truncated file")
    return view[cursor:end].cast("I"), end


def strings_at(view: memoryview, cursor: int, count: int) -> tuple[Strings, int]:
    """Return the `count` strings of a string section at cursor and the cursor after it."""
    offsets, cursor = uint32s_at(view, cursor, count + 1)
    size = offsets[-1] if count >= 0 else 0
    end = cursor + size + (-size % 4)
    if end > len(view):
        raise ValueError("a truncated file")
    return Strings(offsets, view[cursor:cursor + size]), end
