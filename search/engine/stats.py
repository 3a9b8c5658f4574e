"""Collection statistics over live records, and the vocabulary, one pair of files per
committed generation of the index.

Whoosh keeps a deleted record's term frequencies, field lengths and document count until a
merge rewrites its segment, so after an update its idf and average lengths (hence every
BM25 score) drift from a clean build of the same files. `removed_stats` records, for each
segment, what its deleted records contributed, rebuilt from their stored fields
(`records.indexed_values`); `LiveSearcher` subtracts it and so answers `doc_frequency`,
`doc_count_all` and `field_length` as a clean build would.

Both files are named after the generation they describe and are written before Whoosh
writes that generation's table of contents (the commit point): a committed generation
always has them, and a run killed earlier leaves only files that no generation refers to
(`housekeeping` removes those). Should one be missing or unreadable anyway, it is rebuilt
from the index: the removed statistics from the deleted records (cheap), the vocabulary
from every block (a full pass).

API for the rest of the engine: `open_searcher(ix, weighting)`, `load_vocabulary`,
`save`, `removed_stats`, `vocabulary_of_index`, `block_words`.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path

import whoosh
from whoosh import scoring
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from ..analyse import stem
from ..frozen import mutable_dataclass
from .records import indexed_values, stored_fields
from .schema import Analysed

FREEZE_DELETIONS = whoosh.__version__[:2] == (2, 7)
REMOVED_FILE = re.compile(r"^removed_([0-9]+)\.json$")
VOCABULARY_FILE = re.compile(r"^vocabulary_([0-9]+)\.json$")
Vocabulary = dict[str, list]  # word -> [stem, occurrences in live blocks]


def removed_name(generation: int) -> str:
    return f"removed_{generation}.json"


def vocabulary_name(generation: int) -> str:
    return f"vocabulary_{generation}.json"


@mutable_dataclass
class Removed:
    """What the deleted records of one segment contributed to Whoosh's statistics."""

    docnums: list[int] = field(default_factory=list)
    lengths: dict[str, int] = field(default_factory=dict)  # field -> summed length
    terms: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> term -> records

    def add(self, schema, docnum: int, stored: dict, paths: Mapping[str, str]) -> None:
        """Count one deleted record, from its stored fields (a block's path from paths:
        doc_id -> path of the deleted articles)."""
        self.docnums.append(docnum)
        for fieldname, value in indexed_values(stored, paths).items():
            if value is None or fieldname not in schema:
                continue
            field_type = schema[fieldname]
            length = 0
            terms = self.terms.setdefault(fieldname, {})
            for term, freq, _, _ in field_type.index(value):
                key = term.decode("latin-1")  # any bytes, losslessly, as a JSON key
                terms[key] = terms.get(key, 0) + 1
                length += freq
            if field_type.scorable and length:
                self.lengths[fieldname] = self.lengths.get(fieldname, 0) + length

    def to_dict(self) -> dict:
        return {"docnums": self.docnums, "lengths": self.lengths, "terms": self.terms}

    @classmethod
    def from_dict(cls, data: dict) -> Removed:
        if not (isinstance(data, dict) and isinstance(data.get("docnums"), list)
                and isinstance(data.get("lengths"), dict) and isinstance(data.get("terms"), dict)):
            raise ValueError("a removed-statistics entry of the wrong shape")
        return cls(list(data["docnums"]), dict(data["lengths"]), dict(data["terms"]))


def removed_stats(storage, schema, segments, known: dict[str, Removed]) -> dict[str, Removed]:
    """Return {segment id: Removed} for the segments with deletions, reusing what known
    already counted (a segment's deletions only grow) and reading the rest."""
    result = {}
    for segment in segments:
        if not segment.has_deletions():
            continue
        segment_id = segment.segment_id()
        deleted = set(segment.deleted_docs())
        entry = known.get(segment_id)
        if entry is None or not set(entry.docnums) <= deleted:
            entry = Removed()
        todo = sorted(deleted - set(entry.docnums))
        if todo:
            entry = Removed(list(entry.docnums), dict(entry.lengths),
                            {name: dict(terms) for name, terms in entry.terms.items()})
            reader = SegmentReader(storage, schema, segment)
            try:
                found = [(docnum, reader.stored_fields(docnum)) for docnum in todo]
            finally:
                reader.close()
            # An article's records are deleted together; its blocks do not store the path.
            paths = {stored["doc_id"]: stored["path"] for _, stored in found
                     if stored.get("rectype") == "article"}
            for docnum, stored in found:
                entry.add(schema, docnum, stored, paths)
            entry.docnums.sort()
        result[segment_id] = entry
    return result


def load_removed(index_dir: Path, generation: int) -> dict[str, Removed] | None:
    """The removed statistics of a generation, or None when missing or unreadable."""
    data = _read_json(index_dir / removed_name(generation))
    if not isinstance(data, dict):
        return None
    try:
        return {str(key): Removed.from_dict(value) for key, value in data.items()}
    except ValueError:
        return None


def load_vocabulary(index_dir: Path, generation: int) -> Vocabulary | None:
    """Return {word: [stem, count]} of a generation, or None when missing or unreadable."""
    data = _read_json(index_dir / vocabulary_name(generation))
    if not isinstance(data, dict) or not all(
            isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
            and isinstance(entry[1], int) for entry in data.values()):
        return None
    return data


def save(index_dir: Path, generation: int, removed: dict[str, Removed],
         vocabulary: Vocabulary) -> None:
    """Write a generation's files (each atomically; before its table of contents)."""
    write_atomically(index_dir / removed_name(generation),
                     json.dumps({key: entry.to_dict() for key, entry in removed.items()},
                                ensure_ascii=False))
    write_atomically(index_dir / vocabulary_name(generation),
                     json.dumps(vocabulary, ensure_ascii=False, sort_keys=True))


def block_words(stored: dict) -> list[str]:
    """The words a stored block record counted in the vocabulary."""
    fields = stored_fields(stored)
    if fields.get("rectype") != "block":
        return []
    return Analysed.of(fields.get("content", "")).words


def updated_vocabulary(vocabulary: Vocabulary, added: Counter[str], stems: dict[str, str],
                       removed: Counter[str]) -> Vocabulary:
    """Return the vocabulary with the words of added blocks counted in and those of removed
    blocks counted out (a word no live block holds is dropped)."""
    table = {word: list(entry) for word, entry in vocabulary.items()}
    for word, count in added.items():
        entry = table.setdefault(word, [stems.get(word) or stem(word), 0])
        entry[1] += count
    for word, count in removed.items():
        if word in table:
            table[word][1] -= count
            if table[word][1] <= 0:
                del table[word]
    return table


def vocabulary_of_index(searcher: Searcher) -> Vocabulary:
    """Count the words of every live block (the slow way: the vocabulary file was lost)."""
    counts: Counter[str] = Counter()
    for stored in searcher.documents(rectype="block"):
        counts.update(block_words(stored))
    return updated_vocabulary({}, counts, {}, Counter())


class LiveSearcher(Searcher):
    """A Whoosh searcher whose collection statistics count live records only."""

    def __init__(self, reader, *args, removed: dict[str, Removed] | None = None, **kwargs):
        super().__init__(reader, *args, **kwargs)
        self._doccount = reader.doc_count()  # Whoosh counts deleted records too
        self._removed_terms: dict[tuple[str, bytes], int] = {}
        self._removed_lengths: Counter[str] = Counter()
        for entry in (removed or {}).values():
            self._removed_lengths.update(entry.lengths)
            for fieldname, terms in entry.terms.items():
                for term, count in terms.items():
                    key = (fieldname, term.encode("latin-1"))
                    self._removed_terms[key] = self._removed_terms.get(key, 0) + count
        self._frequencies: dict[tuple[str, object], int] = {}
        self.doc_frequency = self._live_doc_frequency  # Searcher copies the reader's method
        freeze_deletions(reader)

    def _subsearcher(self, reader):
        return Searcher(reader, fromindex=self._ix, weighting=self.weighting, parent=self)

    def _live_doc_frequency(self, fieldname: str, text) -> int:
        # Asked again for each term of each query in each segment's scorer; an open
        # searcher never changes, so each answer is kept.
        key = (fieldname, text)
        found = self._frequencies.get(key)
        if found is None:
            found = self._frequencies[key] = self._count_live(fieldname, text)
        return found

    def _count_live(self, fieldname: str, text) -> int:
        whole = self.ixreader.doc_frequency(fieldname, text)
        if not self._removed_terms or fieldname not in self.schema:
            return whole
        term = text if isinstance(text, bytes) else self.schema[fieldname].to_bytes(text)
        return whole - self._removed_terms.get((fieldname, term), 0)

    def field_length(self, fieldname: str) -> int:
        return self.ixreader.field_length(fieldname) - self._removed_lengths.get(fieldname, 0)


def freeze_deletions(reader) -> None:
    """Give each segment reader with deletions its deleted documents as one frozenset.

    Whoosh's `SegmentReader.postings` makes a frozenset of the segment's deleted documents
    for every term it is asked for: in an index updated 50 times (5,300 deleted records in
    two segments) that was 100 us a term a segment, most of what a small query cost more
    than on a fresh build. `frozenset()` of a frozenset is the frozenset itself, so once the
    per-document reader hands out a frozenset the copy costs nothing; an open reader's
    deletions never change. Whoosh internals touched (2.7.4): the segment reader's
    `_perdoc.deleted_docs`; with another version nothing is done (slower, same results)."""
    if not FREEZE_DELETIONS:
        return
    leaves = [reader] if reader.is_atomic() else [leaf for leaf, _ in reader.leaf_readers()]
    for leaf in leaves:
        perdoc = getattr(leaf, "_perdoc", None)
        if perdoc is not None and leaf.has_deletions():
            frozen = frozenset(perdoc.deleted_docs())
            perdoc.deleted_docs = lambda frozen=frozen: frozen


def open_live_searcher(ix, weighting) -> tuple[LiveSearcher, int]:
    """Open a searcher on the latest generation, with live statistics (rebuilt in memory
    when their file is missing), and say which generation it reads."""
    reader = ix.reader()
    generation = generation_of(ix, reader)
    removed = load_removed(Path(ix.storage.folder), generation)
    if removed is None:
        removed = removed_stats(ix.storage, ix.schema, segments_of(reader), {})
    searcher = LiveSearcher(reader, fromindex=ix, weighting=weighting or scoring.BM25F(),
                            removed=removed)
    return searcher, generation


def open_searcher(ix, weighting) -> tuple[LiveSearcher, Vocabulary]:
    """Open a searcher on the latest generation, with live statistics, and its vocabulary
    (both rebuilt in memory when their files are missing)."""
    searcher, generation = open_live_searcher(ix, weighting)
    vocabulary = load_vocabulary(Path(ix.storage.folder), generation)
    if vocabulary is None:
        vocabulary = vocabulary_of_index(searcher)
    return searcher, vocabulary


def generation_of(ix, reader) -> int:
    """The generation a reader reads (an empty index's reader does not know it)."""
    generation = reader.generation()
    return ix.latest_generation() if generation is None else generation


def segments_of(reader) -> list:
    """The segments a reader reads (none for an empty index)."""
    leaves = [reader] if reader.is_atomic() else [leaf for leaf, _ in reader.leaf_readers()]
    segments = [getattr(leaf, "segment", lambda: None)() for leaf in leaves]
    return [segment for segment in segments if segment is not None]


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_atomically(path: Path, text: str) -> None:
    """Write a file so a reader sees the old one or the new one, never half of it."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
