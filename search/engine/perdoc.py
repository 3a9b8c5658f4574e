"""Per-document numbers a score needs (block kind weight, field lengths), read per segment in
one piece instead of one column lookup per posting.

Scoring a posting in Whoosh asks the segment's length column for the document's field length,
a Python call chain ending in a one-byte file read; the kind weight was a second one. Both
columns are one byte per document, so each is read whole (a few hundred KB at 100 MB) the first
time a segment is scored, and a lookup becomes an index into bytes.

Whoosh internals touched (written against Whoosh 2.7.4): `NumericColumn.Reader`'s `_dbfile`,
`_basepos`, `_count`, `_fixedlen` and `_default` (the column's bytes on disk), and a segment
reader's `_perdoc._cached_reader` with whoosh3's `LENGTHS_COLUMN` and `_lenfield` (where field
lengths live). Any other reader or column is read the public way, document by document; a test
compares both with Whoosh's own `doc_field_length` and column reader.
"""

from __future__ import annotations

from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length, length_to_byte

WEIGHT_COLUMN = "weight"
LENGTH_OF_BYTE = tuple(byte_to_length(value) if value else 1 for value in range(256))


def kind_weights(reader) -> bytes:
    """Return each document's kind weight (percent; a missing one counts as 100) in a segment."""
    return _cached(reader, WEIGHT_COLUMN)


def field_lengths(reader, fieldname: str) -> bytes:
    """Return each document's field length as Whoosh stores it (one byte, see LENGTH_OF_BYTE)."""
    return _cached(reader, f"length:{fieldname}")


def _cached(reader, key: str) -> bytes:
    cache = reader.__dict__.setdefault("_seedsearch_perdoc", {})
    if key not in cache:
        parts = getattr(reader, "readers", None)  # a multi-segment reader: its segments' bytes
        cache[key] = b"".join(_cached(part, key) for part in parts) if parts else _read(reader,
                                                                                        key)
    return cache[key]


def _read(reader, key: str) -> bytes:
    if key == WEIGHT_COLUMN:
        return _kind_weights(reader)
    return _field_lengths(reader, key.split(":", 1)[1])


def _kind_weights(reader) -> bytes:
    count = reader.doc_count_all()
    if not reader.has_column(WEIGHT_COLUMN):
        return bytes([100]) * count
    data = column_bytes(reader.column_reader(WEIGHT_COLUMN, translate=False), count)
    return data.replace(b"\0", bytes([100]))  # 0 (never written) reads as 100, as it always has


def _field_lengths(reader, fieldname: str) -> bytes:
    count = reader.doc_count_all()
    getter = getattr(getattr(reader, "_perdoc", None), "_cached_reader", None)
    if getter is not None:
        column = getter(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        return column_bytes(column, count) if column is not None else bytes(count)
    # Not the whoosh3 codec: ask for each length the public way (slow, but right).
    return bytes(length_to_byte(reader.doc_field_length(docnum, fieldname, 0) or 0)
                 for docnum in range(count))


def column_bytes(column, count: int) -> bytes:
    """Return a one-byte numeric column's values for documents 0..count-1 as bytes."""
    if isinstance(column, columns.NumericColumn.Reader) and column._fixedlen == 1:
        stored = column._count
        data = column._dbfile.get(column._basepos, stored) if stored else b""
        return bytes(data[:count]) + bytes([column._default]) * max(0, count - stored)
    return bytes(int(column[docnum]) & 0xFF for docnum in range(count))
