"""Merge finished segments into one without pooling their postings: fewer, larger segments
for the same build memory.

A query pays per segment: a matcher, a term look-up and the first stage's groups for each
word in each segment, and the feedback terms again in every segment holding pooled passages.
A build worker starts a new segment every `workers.MAX_SEGMENT_POSTINGS` pooled postings (its
memory bound), so the segment count grew with the corpus (4 at 100 MB, 12 at 300 MB) and so
did those per-segment costs: the 20 plain queries' p50 at 300 MB was 61.5 ms on 12 segments
against 53.9 ms on 4 (same hits and scores). Whoosh's `add_reader` would merge them by
pooling every posting again (the memory the bound is there to cap); here the merged
segment's terms are read from the sources and written one term at a time (a term's postings
from each source, renumbered, in source order), so a merge holds one term's postings, not a
segment's.

Each document's stored fields and column values are copied as Whoosh's `write_per_doc`
copies them; its field lengths are kept back as the fast writer keeps them (as their length
bytes decode, as any Whoosh merge has them) and each length column is written whole, with
the sources' exact field length totals, so average lengths and every score stay what they
were. Sources must have no deleted documents (a build's own worker segments: a merge within
one run, before anything is committed).

Whoosh internals touched, besides `segments.FastSegmentWriter`'s: the per-document writer's
`start_doc`, `add_field`, `add_column_value` and `finish_doc` (as `write_per_doc` uses
them), and the leaf matcher's block reading as in `postings`.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterator
from itertools import repeat

from whoosh import columns
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from . import perdoc, postings
from .segments import DEFAULT_KIND, FastSegmentWriter, FieldLengths, TermPostings

LENGTH_OF_BYTE = [byte_to_length(byte) for byte in range(256)]


class StreamedPool:
    """Stands in for `segments.MemoryPostingPool` while a merged segment is written: yields
    each term's postings read from the source segments as `_flush_segment` asks for them."""

    def __init__(self, readers: list, bases: list[int], fieldnames: list[str]) -> None:
        self._readers = readers
        self._bases = bases
        self._fieldnames = fieldnames
        self.postings = 0  # nothing held in memory

    @property
    def fieldnames(self) -> set[str]:
        return set(self._fieldnames)

    def terms(self) -> Iterator[tuple[str, bytes, TermPostings]]:
        """(field, term, postings) sorted by field and term, postings by document: each
        term's postings from every source holding it, in source order (ascending docnums)."""
        for fieldname in self._fieldnames:
            lexicons = [zip(reader.lexicon(fieldname), repeat(number))
                        for number, reader in enumerate(self._readers)
                        if fieldname in reader.indexed_field_names()]
            current: bytes | None = None
            holders: list[int] = []
            for term, number in heapq.merge(*lexicons):
                if term != current:
                    if current is not None:
                        yield fieldname, current, self._postings(fieldname, current, holders)
                    current, holders = term, []
                holders.append(number)
            if current is not None:
                yield fieldname, current, self._postings(fieldname, current, holders)

    def _postings(self, fieldname: str, term: bytes, holders: list[int]) -> TermPostings:
        docnums, weights, values = array("I"), array("f"), []
        for number in holders:
            base = self._bases[number]
            leaf = postings.term_leaf(self._readers[number], fieldname, term)
            while leaf.is_active():
                ids = postings.read_ids(leaf)
                docnums.extend(map(base.__add__, ids) if base else ids)
                weights.extend(postings.read_weights(leaf))
                leaf._read_values()
                values.extend(leaf._values)
                leaf._next_block()
        return docnums, weights, values

    def iter_postings(self):  # (Whoosh's path, not taken: `_flush_segment` asks `terms`)
        raise NotImplementedError

    def cleanup(self) -> None:
        for reader in self._readers:
            reader.close()
        self._readers = []


def merge_into(writer: FastSegmentWriter, segments: list) -> None:
    """Make a new writer's segment the merge of segments (none deleted from, none with
    documents of the writer before them): their documents copied now, their postings
    streamed when the segment is finished (`finish_alone`)."""
    if writer.docnum or writer.pool.postings:
        raise ValueError("merge_into needs a writer with no documents of its own")
    storage, schema = _unmapped(writer.storage), writer.schema
    readers = [SegmentReader(storage, schema, segment) for segment in segments]
    if any(reader.has_deletions() for reader in readers):
        for reader in readers:
            reader.close()
        raise ValueError("merge_into merges segments without deleted documents")
    bases: list[int] = []
    exact: dict[str, int] = {}
    fieldnames: set[str] = set()
    for reader in readers:
        indexed = {name for name in reader.indexed_field_names() if name in schema}
        fieldnames |= indexed
        bases.append(writer.docnum)
        _copy_lengths(writer, reader, indexed)
        weights = writer._kinds.weights  # (`KindWeights`: 100 where none was given)
        weights += DEFAULT_KIND * max(0, writer.docnum - len(weights))
        del weights[writer.docnum:]
        weights += perdoc.kind_weights(reader)
        _copy_documents(writer, reader)
        for name in indexed:
            if schema[name].scorable:
                exact[name] = exact.get(name, 0) + reader.field_length(name)
    writer.exact_totals = exact  # the length columns' totals (`_write_lengths`)
    writer._added = True
    writer.pool = StreamedPool(readers, bases, sorted(fieldnames))  # type: ignore[assignment]


def _unmapped(storage):
    """The storage, its files read through file handles rather than mapped: every page of
    a mapped source that a merge reads stays in the worker's resident memory until the map
    is closed (a 300 MB build's peak went from 439 to 753 MB with mapped sources)."""
    folder = getattr(storage, "folder", None)
    if not getattr(storage, "supports_mmap", False) or folder is None:
        return storage
    return FileStorage(folder, supports_mmap=False, readonly=True)


def _copy_documents(writer: FastSegmentWriter, reader) -> None:
    """Each document's stored fields and column values (Whoosh's `write_per_doc` without
    its length look-ups, a file-system check each: the lengths are kept back, as
    `add_document` keeps them, and written whole with the segment)."""
    perdoc_writer = writer.perdocwriter
    schema = writer.schema
    values = []
    for name in schema.names():
        column_type = schema[name].column_type
        if column_type and reader.has_column(name):
            column = reader.column_reader(name, column_type)
            if isinstance(column, columns.TranslatingColumnReader):
                column = column.raw_column()
            values.append((name, column_type, list(column)))
    docnum = writer.docnum
    for number, stored in reader.iter_docs():
        perdoc_writer.start_doc(docnum)
        for name, value in stored.items():
            perdoc_writer.add_field(name, None, value, 0)
        for name, column_type, column in values:
            perdoc_writer.add_column_value(name, column_type, column[number])
        perdoc_writer.finish_doc()
        docnum += 1
    writer.docnum = docnum


def _copy_lengths(writer: FastSegmentWriter, reader, fieldnames: set[str]) -> None:
    """Each scored field's document lengths (as their bytes decode) at the documents'
    numbers in the merged segment, for the posting blocks' length bounds and the impact
    lists, as `add_document` keeps them."""
    base = writer.docnum
    count = reader.doc_count_all()
    for name in fieldnames:
        if not writer.schema[name].scorable:
            continue
        lengths = writer._lengths.setdefault(name, FieldLengths())
        column = perdoc.field_lengths(reader, name)
        lengths.padded(base)
        decoded = array("I", map(LENGTH_OF_BYTE.__getitem__, column[:count]))
        if len(decoded) < count:
            decoded.frombytes(bytes(4 * (count - len(decoded))))
        held = lengths.lengths
        del held[base:]
        held.extend(decoded)
