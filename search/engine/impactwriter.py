"""Writing a segment's impact lists: each common term's postings grouped by what decides
their score, for the impact-ordered first stage (`impacts`).

The jump table lets a passage be looked up in the term's Whoosh postings by bisection,
instead of walking every block header before it (`impacttop` completes candidates so).

A posting's kind-weighted BM25F term score is a function of three numbers only: the term's
frequency in the passage (Whoosh's weight), the passage's field length as Whoosh stores it
(one byte) and its kind weight (one byte). Postings sharing all three score exactly alike,
whatever the collection statistics are when the query runs. So each term's postings are
grouped by that triple, and a group carries its triple and its document numbers: at query
time every group's score is computed exactly (no bound to loosen after an update changes the
average lengths or document frequencies), and groups are read best first.

Only terms with at least MIN_POSTINGS postings in the segment get a list: a rarer term is
read whole by the first stage, as before. Groups are written best first by the segment's own
statistics at writing time (the reader re-sorts them by the query's), their document numbers
ascending and delta-coded at the narrowest width that holds them (1, 2 or 4 bytes).

The file is `<index name>_<segment id>.impacts`, so Whoosh's own clean-up removes it with
its segment; it is written from the committed segment's postings (`write_segment`) before
the generation's table of contents, in the same commit. Its layout (little-endian):

    header    MAGIC, term count n; u32 key starts[n + 1] into the key blob; u64 record
              offsets[n]; the key blob (keys "field\\0term", sorted)
    record    group count g; weights f32[g]; length bytes u8[g]; kind weights u8[g];
              counts u32[g]; widths u8[g]; block count j; each Whoosh posting block's last
              docnum u32[j] and start u32[j] (from the term's first block: the jump table);
              then each group's delta-coded document numbers
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable
from itertools import accumulate
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermsReader

from . import perdoc, postings
from .impacts import EXTENSION as EXTENSION  # the file's names, kept with its reader
from .impacts import MAGIC
from .impacts import file_name as file_name

FIELDS = ("content", "section")
MIN_POSTINGS = 512  # a term with fewer postings in a segment is read whole (`impacts`)
K1, B = 1.2, 0.75  # build-time order only; the reader sorts groups by the query's own numbers

Group = tuple[float, int, int]  # weight (term frequency), length byte, kind weight
FAST = postings.FAST  # group in numpy and read the term index's bytes (Whoosh 2.7); tests
# compare the files with the plain Python path's
DOC_FREQUENCY_AT = 5  # in a W3 term info: flags (1 byte), weight (float), doc frequency (u32)
WIDTH_TYPES = {1: "<u1", 2: "<u2", 4: "<u4"}
ONE = array("f", [1.0])


def write_missing(storage, schema, segments: list) -> int:
    """Write the impact lists of each segment that has none yet (the ones this commit
    wrote or merged; a segment's postings never change once written); return the postings
    written. Called before the table of contents, so they belong to the same commit."""
    from whoosh.reading import SegmentReader

    folder = Path(storage.folder)
    written = 0
    for segment in segments:
        path = folder / file_name(segment.indexname, segment.segment_id())
        if path.exists():
            continue
        reader = SegmentReader(storage, schema, segment)
        try:
            written += write_segment(reader, path)
        finally:
            reader.close()
    return written


def write_segment(reader, path: Path) -> int:
    """Write the impact lists of one segment's reader to path; return the postings written."""
    kinds = perdoc.kind_weights(reader)
    records: list[tuple[bytes, bytes]] = []
    written = 0
    for fieldname in FIELDS:
        if fieldname not in reader.schema:
            continue
        lengths = perdoc.field_lengths(reader, fieldname)
        average = max(reader.field_length(fieldname) / max(reader.doc_count_all(), 1), 1.0)
        for text in _common_terms(reader, fieldname):
            matcher = postings.every_posting(reader, fieldname, text)
            if FAST:
                record, count = _fast_record(matcher, lengths, kinds, average)
            else:
                groups, jumps = _grouped(matcher, lengths, kinds)
                record = _record(groups, jumps, average)
                count = sum(len(docnums) for docnums in groups.values())
            records.append((fieldname.encode("utf-8") + b"\0" + text, record))
            written += count
    _write(path, records)
    return written


def _common_terms(reader, fieldname: str) -> list[bytes]:
    """The field's terms with at least MIN_POSTINGS postings in the segment, in order: read
    from the term index's bytes (key, then the document frequency at a fixed place in the
    term info) rather than decoding every term info, with Whoosh 2.7's W3 codec."""
    terms: Any = getattr(reader, "_terms", None)
    if not (FAST and type(terms) is W3TermsReader):
        return [text for text, info in reader.iter_field(fieldname)
                if info.doc_frequency() >= MIN_POSTINGS]
    number = terms._fieldmap.get(fieldname)
    if number is None:
        return []
    tindex = terms._tindex
    prefix = struct.pack("!H", number)
    position = tindex.closest_key_pos(prefix)
    if position is None:
        return []
    end = tindex.endofdata
    data = tindex.dbfile.get(position, end - position)
    lengths = struct.Struct("!ii").unpack_from
    frequency = struct.Struct("!I").unpack_from
    found = []
    at, end = 0, end - position
    while at < end:
        keylength, datalength = lengths(data, at)
        keyat = at + 8
        if data[keyat:keyat + 2] != prefix:
            break
        infoat = keyat + keylength
        if frequency(data, infoat + DOC_FREQUENCY_AT)[0] >= MIN_POSTINGS:
            found.append(data[keyat + 2:infoat])
        at = infoat + datalength
    return found


def _every_posting(matcher) -> tuple[array, array]:
    """A term's docnums and weights, all blocks: each block's pickled data read as it is
    (gaps summed by `itertools.accumulate`, a weight stored once expanded), as
    `W3LeafMatcher` would read them posting by posting."""
    ids, weights = array("I"), array("f")
    leaf = postings.leaf(matcher)
    if not (type(leaf) is W3LeafMatcher and not leaf._byteids):
        for block_ids, block_weights in postings.weight_blocks(matcher):
            ids.extend(block_ids)
            weights.extend(block_weights)
        return ids, weights
    while leaf.is_active():
        leaf._read_data()
        gaps, stored, _ = leaf._data
        ids.extend(accumulate(gaps))
        if stored is None:
            weights.extend(ONE * leaf._blocklength)
        elif isinstance(stored, float):
            weights.extend(array("f", [stored]) * leaf._blocklength)
        else:
            weights.extend(stored)
        leaf._next_block()
    return ids, weights


def _fast_record(matcher, lengths: bytes, kinds: bytes, average: float) -> tuple[bytes, int]:
    """`_record(*_grouped(...))` and the postings written, grouping in numpy: the same bytes."""
    jumps = postings.jump_table(matcher)
    ids, weights = _every_posting(matcher)
    return grouped_record(ids, weights, jumps, lengths, kinds, average), len(ids)


def grouped_record(ids: array, weights: array, jumps: tuple[array, array], lengths: bytes,
                   kinds: bytes, average: float) -> bytes:
    """A term's record from its docnums ("I") and weights ("f") in the segment, all of them
    in order, and its jump table, grouped in numpy."""
    import numpy as np

    docnums = np.frombuffer(ids, dtype=np.uint32)
    # weight bits, length byte, kind weight: one integer a group
    keys = np.frombuffer(weights, dtype=np.uint32).astype(np.uint64) << np.uint64(16)
    keys |= np.frombuffer(lengths, dtype=np.uint8)[docnums].astype(np.uint64) << np.uint64(8)
    keys |= np.frombuffer(kinds, dtype=np.uint8)[docnums]
    order = np.argsort(keys, kind="stable")  # docnums stay ascending within a group
    keys, docnums = keys[order], docnums[order].astype(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    ends = np.append(starts[1:], len(keys))
    deltas = np.diff(docnums, prepend=0)
    deltas[starts] = docnums[starts]
    most = np.maximum.reduceat(deltas, starts)
    found = keys[starts]
    weight_values = (found >> np.uint64(16)).astype(np.uint32).view(np.float32).tolist()
    groups = list(zip(weight_values, ((found >> np.uint64(8)) & np.uint64(255)).tolist(),
                      (found & np.uint64(255)).tolist(), strict=True))
    ordered = sorted(range(len(groups)),
                     key=lambda number: (-build_impact(groups[number], average), groups[number]))
    data = []
    widths = array("B")
    for number in ordered:
        top = int(most[number])
        width = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
        widths.append(width)
        data.append(deltas[starts[number]:ends[number]].astype(WIDTH_TYPES[width]).tobytes())
    counts = (ends - starts)[ordered]
    header = struct.pack("<I", len(ordered))
    maxids, offsets = jumps
    record = b"".join([header,
                       _little(array("f", [groups[n][0] for n in ordered])).tobytes(),
                       bytes(groups[n][1] for n in ordered), bytes(groups[n][2] for n in ordered),
                       counts.astype("<u4").tobytes(), widths.tobytes(),
                       struct.pack("<I", len(maxids)), _little(maxids).tobytes(),
                       _little(offsets).tobytes(), *data])
    return record


class Collector:
    """A new segment's impact lists made as its terms are written from memory (the fast
    writer, `segments`), instead of read back from the written segment: the same file as
    `write_segment` (a test compares them). `lengths` and `kinds` are each document's field
    length byte and kind weight, as `perdoc` reads them from the segment."""

    def __init__(self, kinds: bytes) -> None:
        self.kinds = kinds
        self.records: list[tuple[bytes, bytes]] = []
        self.written = 0
        self._field: tuple[bytes, bytes, float] | None = None

    def start_field(self, fieldname: str, lengths: bytes, total_length: int) -> bool:
        """Start a field's terms; return whether its common terms get lists."""
        if fieldname not in FIELDS:
            self._field = None
            return False
        average = max(total_length / max(len(self.kinds), 1), 1.0)
        self._field = (fieldname.encode("utf-8") + b"\0", lengths, average)
        return True

    def wants(self, count: int) -> bool:
        """Whether a term of this many postings in the current field gets a list."""
        return self._field is not None and count >= MIN_POSTINGS

    def add(self, term: bytes, ids: array, weights: array, jumps: tuple[array, array]) -> None:
        assert self._field is not None
        prefix, lengths, average = self._field
        self.records.append((prefix + term, grouped_record(ids, weights, jumps, lengths,
                                                           self.kinds, average)))
        self.written += len(ids)

    def write(self, path: Path) -> int:
        _write(path, self.records)
        return self.written


def _grouped(matcher, lengths: bytes, kinds: bytes
             ) -> tuple[dict[Group, list[int]], tuple[array, array]]:
    """A term's postings in one segment by (weight, length byte, kind weight), docnums
    ascending (deleted documents included: the reader drops them), and its jump table:
    each posting block's last docnum and where the block starts (`postings.jump_table`)."""
    groups: dict[Group, list[int]] = {}
    jumps = postings.jump_table(matcher)
    for ids, weights in postings.weight_blocks(matcher):
        for docnum, weight in zip(ids, weights, strict=True):
            key = (weight, lengths[docnum], kinds[docnum])
            found = groups.get(key)
            if found is None:
                groups[key] = [docnum]
            else:
                found.append(docnum)
    return groups, jumps


def build_impact(group: Group, average: float) -> float:
    """A group's BM25 term score (without idf) at writing time, for the order on disk."""
    weight, length_byte, kind = group
    length = perdoc.LENGTH_OF_BYTE[length_byte]
    return weight * (K1 + 1) / (weight + K1 * (1 - B + B * length / average)) * kind


def _record(groups: dict[Group, list[int]], jumps: tuple[array, array], average: float
            ) -> bytes:
    ordered = sorted(groups, key=lambda group: (-build_impact(group, average), group))
    data = []
    widths = array("B")
    for group in ordered:
        docnums = groups[group]
        deltas = [docnums[0]] + [b - a for a, b in zip(docnums, docnums[1:], strict=False)]
        most = max(deltas)
        typecode = "B" if most < 1 << 8 else "H" if most < 1 << 16 else "I"
        coded = array(typecode, deltas)
        widths.append(coded.itemsize)
        data.append(_little(coded).tobytes())
    header = struct.pack("<I", len(ordered))
    weights = array("f", [group[0] for group in ordered])
    lengths = array("B", [group[1] for group in ordered])
    kinds = array("B", [group[2] for group in ordered])
    counts = array("I", [len(groups[group]) for group in ordered])
    maxids, offsets = jumps
    return b"".join([header, _little(weights).tobytes(), lengths.tobytes(), kinds.tobytes(),
                     _little(counts).tobytes(), widths.tobytes(),
                     struct.pack("<I", len(maxids)), _little(maxids).tobytes(),
                     _little(offsets).tobytes(), *data])


def _little(values: array) -> array:
    import sys

    if sys.byteorder == "big" and values.itemsize > 1:
        values = array(values.typecode, values)
        values.byteswap()
    return values


def _write(path: Path, records: Iterable[tuple[bytes, bytes]]) -> None:
    records = sorted(records)
    blob = b"".join(key for key, _ in records)
    starts = array("I", [0])
    for key, _ in records:
        starts.append(starts[-1] + len(key))
    offset = len(MAGIC) + 4 + 4 * len(starts) + 8 * len(records) + len(blob)
    offsets = array("Q")
    for _, record in records:
        offsets.append(offset)
        offset += len(record)
    directory = [MAGIC, struct.pack("<I", len(records)), _little(starts).tobytes(),
                 _little(offsets).tobytes(), blob]
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as out:
        out.write(b"".join(directory))
        for _, record in records:
            out.write(record)
    temporary.replace(path)
