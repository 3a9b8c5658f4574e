"""Stored records read by position, a run of consecutive documents at a time.

An article's records lie together (its metadata, its text's skeleton, then its blocks in
order), so putting its text back together, or reading a block with its neighbours, reads a
run of consecutive records. Whoosh hands out each record through four layers (searcher,
multi-segment reader, segment reader copying the record to filter it by schema, per-document
reader) and counts every segment's documents again on each bounds check; checking a quotation
at 100 MB read some 80,000 records that way. Here the run's segment is found once and its
stored-fields column read directly.

Whoosh internals touched (written against Whoosh 2.7.4): a multi-segment reader's `readers`
and `doc_offsets`, and a segment reader's `_perdoc._cached_reader` with whoosh3's
`STORED_COLUMN` (the pickled records). Any other reader is read the public way
(`stored_fields`, the same records; `FAST = False` forces it); a test compares both.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Any

import whoosh
from whoosh.codec import whoosh3

FAST = whoosh.__version__[:2] == (2, 7)


def stored_run(reader: Any, first: int, count: int) -> list[dict | None]:
    """Return the stored records of documents first, first+1, ... (count of them, fewer where
    the segment holding `first` ends): None for a deleted one."""
    parts = getattr(reader, "readers", None)
    offsets = reader.doc_offsets if parts is not None else [0]
    parts = parts if parts is not None else [reader]
    if first < 0 or count <= 0:
        return []
    number = bisect_right(offsets, first) - 1
    segment, base = parts[number], offsets[number]
    end = min(first - base + count, segment.doc_count_all())
    read = _column_reader(segment) or segment.stored_fields
    deleted = segment.is_deleted
    return [None if deleted(docnum) else (read(docnum) or {})
            for docnum in range(first - base, end)]


def record_reader(reader: Any) -> Callable[[int], dict]:
    """A function giving the stored record of a live document by its number, read from its
    segment's stored-fields column directly: `reader.stored_fields` but for its filter by
    the schema (a stored field since dropped from it would be kept; the callers read the
    block tuple). A search reads a hundred block records, and Whoosh's four layers on the way
    were a third of that. Made once per reader."""
    found = reader.__dict__.get("_seedsearch_record_reader")
    if found is None:
        found = reader.__dict__["_seedsearch_record_reader"] = _record_reader(reader)
    return found


def _record_reader(reader: Any) -> Callable[[int], dict]:
    parts = getattr(reader, "readers", None)
    offsets = list(reader.doc_offsets) if parts is not None else [0]
    parts = parts if parts is not None else [reader]
    columns = [_column_reader(part) for part in parts]
    if not all(columns):
        return reader.stored_fields
    if len(parts) == 1:
        (column,) = columns
        return lambda docnum: column(docnum) or {}

    def read(docnum: int) -> dict:
        number = bisect_right(offsets, docnum) - 1
        return columns[number](docnum - offsets[number]) or {}

    return read


def _column_reader(segment: Any) -> Any:
    """The segment's stored-fields column (indexable by document number), or None."""
    if not FAST:
        return None
    cache = segment.__dict__.setdefault("_seedsearch_rows", [])
    if not cache:
        getter = getattr(getattr(segment, "_perdoc", None), "_cached_reader", None)
        column = getter("_stored", whoosh3.STORED_COLUMN) if getter is not None else None
        cache.append(column.__getitem__ if column is not None else None)
    return cache[0]
