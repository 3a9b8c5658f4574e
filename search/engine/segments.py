"""A faster Whoosh segment writer for building an index in one pass.

Whoosh's `SegmentWriter` spills every posting to temporary files (pickled), merges them back
with a heap, reads each posting's field length back from disk (asking the file system
whether the column exists, once per posting of an unscored field) and hands postings one by
one through three layers of checks. Profiled on 5 MB of articles, that bookkeeping cost more
than parsing and analysing the text. This writer keeps each term's postings in memory,
grouped by term in the order documents arrive (so they need no sorting), remembers each
document's field lengths, and fills the codec's posting blocks a block at a time. It writes
the same files in the same codec, its posting blocks pickled at a later protocol
(`codec.py`): readers cannot tell the difference (tests compare the postings with Whoosh's
own writer).

It reaches into Whoosh's private parts, each for a reason:
- `SegmentWriter._check_state`, `.docnum`, `.perdocwriter`, `._added`: `add_document` does
  what Whoosh's does, minus the posting pool's spill to disk.
- `SegmentWriter._flush_segment`, `.fieldwriter`: where the pooled postings are written.
- `W3FieldWriter._postwriter` and `W3PostingsWriter._blocklimit`, `._ids`, `._weights`,
  `._values`, `._maxweight`, `._minlength`, `._maxlength`, `._write_block`: a block of
  postings is filled at once instead of posting by posting (`_fill_blocks`).
- `SegmentWriter._merge_segments`, `._finalize_segment`, `._close_segment`, `._commit_toc`,
  `._finish`: a build's worker segments are committed with the parent's in one table of
  contents (`commit_with`, `finish_alone`; the stock writer uses these too).
- `W3FieldWriter._tindex`, `._fieldid`, `._format` and `W3TermInfo`'s fields: a term of a
  `Positions` field is written whole (`codec.write_term`), and the impact lists of the
  common terms are made as they are written (`impactwriter.Collector`), after
  `_finalize_segment` has assembled the compound file.
- `W3PerDocWriter._colwriters`, `._create_column`, `._fieldlengths` and
  `NumericColumn.Writer._dbfile`, `._count`: field lengths are kept back and each length
  column written whole (`_write_lengths`), before `_merge_segments` or `add_reader`.
Those names are stable within a Whoosh release, not across them, so `open_writer` uses this
writer only with the Whoosh version and codec it was written for (`WRITTEN_FOR`) and falls
back to Whoosh's own writer, with one warning, on anything else: slower, never corrupt.
"""

from __future__ import annotations

import warnings
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import whoosh
from whoosh import fields, formats, writing
from whoosh.codec import default_codec, whoosh3
from whoosh.codec.base import Segment
from whoosh.fields import UnknownFieldError
from whoosh.index import Index
from whoosh.util.numeric import byte_to_length

from . import impactwriter
from . import perdoc as perdoc_numbers
from .codec import WRITE_BLOCK_NAMES, CompactCodec, CompactPostingsWriter, write_term
from .schema import SINGLE_POSITIONS, Analysed, SeedText, encode_positions

PostingItem = tuple[str, bytes, int, float, bytes | None]
TermPostings = tuple[array, array, list]  # document numbers, weights, encoded values
PositionPostings = tuple[array, array, array]  # document numbers, word counts, positions


class MemoryPostingPool:
    """Postings grouped by field and term, standing in for Whoosh's `PostingPool` (same
    `add`, `iter_postings`, `cleanup` and `fieldnames`). Compact arrays keep a posting to
    about 20 bytes: 32-bit document numbers, and 32-bit weights, as the codec writes them;
    an analysed field keeps its words in order (`PooledWords`, 4 bytes a word) and groups
    them into postings, with their weights and encoded positions, as the segment is
    written."""

    def __init__(self) -> None:
        self._fields: dict[str, dict[bytes, TermPostings]] = {}
        self._words: dict[str, PooledWords] = {}  # `add_stems`' fields
        self._boosts: dict[str, float] = {}  # an analysed field's boost (weight = count * it)
        self._unsorted: set[tuple[str, bytes]] = set()  # added out of document order
        self.postings = 0

    @property
    def fieldnames(self) -> set[str]:
        return set(self._fields) | set(self._words)

    def add(self, item: PostingItem) -> None:
        """Add one (field, term bytes, docnum, weight, value bytes) posting."""
        fieldname, term, docnum, weight, value = item
        terms = self._fields.setdefault(fieldname, {})
        entry = terms.get(term)
        if entry is None:
            entry = terms[term] = (array("I"), array("f"), [])
        elif docnum < entry[0][-1]:  # merged segments' postings may arrive out of order
            self._unsorted.add((fieldname, term))
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(value)
        self.postings += 1

    def add_document_field(self, fieldname: str, docnum: int,
                           items: Iterable[tuple[bytes, int, float, bytes | None]]) -> int:
        """Add a new document's postings in one field; return the sum of their frequencies."""
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        length = 0
        count = 0
        for term, freq, weight, value in items:
            entry = terms.get(term)
            if entry is None:
                entry = terms[term] = (array("I"), array("f"), [])
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(value)
            length += freq
            count += 1
        self.postings += count
        return length

    def add_stems(self, fieldname: str, docnum: int, stems: list[str], boost: float) -> int:
        """Add a new document's postings in a `SeedText` field from its `Analysed` stems in
        order (documents in increasing number, as a writer adds them; every document must
        give the field the same boost); return the field's length."""
        words = self._words.get(fieldname)
        if words is None:
            words = self._words[fieldname] = PooledWords()
            self._boosts[fieldname] = boost
        elif self._boosts[fieldname] != boost:
            raise ValueError(f"field {fieldname!r} added with two boosts")
        if stems:
            self.postings += words.add(docnum, stems)
        return len(stems)

    def terms(self) -> Iterator[tuple[str, bytes, TermPostings]]:
        """Yield (field, term, postings) sorted by field and term, postings by document; an
        analysed field's are grouped from its words, and expanded as they are yielded."""
        for fieldname in sorted(self.fieldnames):
            terms = self._fields.get(fieldname, {})
            words = self._words.pop(fieldname, None)
            boost = self._boosts.get(fieldname, 1.0)
            grouped = words.grouped() if words is not None else None
            encoded = ({stemmed.encode("utf-8"): stemmed for stemmed in words.numbers}
                       if words is not None else {})
            del words
            for term in sorted(terms.keys() | encoded.keys()):
                postings = terms.get(term)
                stemmed = encoded.get(term)
                if stemmed is not None:
                    expanded = _expand(grouped.postings(stemmed), boost)  # type: ignore[union-attr]
                    if postings is not None:  # the field also got postings through `add`
                        self._unsorted.add((fieldname, term))
                        expanded = (postings[0] + expanded[0], postings[1] + expanded[1],
                                    postings[2] + expanded[2])
                    postings = expanded
                docnums, weights, values = postings  # type: ignore[misc]
                if (fieldname, term) in self._unsorted:
                    order = sorted(range(len(docnums)), key=docnums.__getitem__)
                    docnums = array("I", (docnums[i] for i in order))
                    weights = array("f", (weights[i] for i in order))
                    values = [values[i] for i in order]
                if docnums:
                    yield fieldname, term, (docnums, weights, values)
        self._words.clear()

    def iter_postings(self) -> Iterator[PostingItem]:
        """Yield every posting sorted by field, term and document, as Whoosh's codec wants."""
        for fieldname, term, (docnums, weights, values) in self.terms():
            for docnum, weight, value in zip(docnums, weights, values, strict=True):
                yield fieldname, term, docnum, weight, value

    def cleanup(self) -> None:
        """Free the postings (nothing was written to temporary files)."""
        self._fields.clear()
        self._words.clear()
        self._boosts.clear()
        self._unsorted.clear()


class _Numbers(dict[str, int]):
    """Stem -> its number, in order of first use (`dict.__missing__`: a document's stems
    numbered in one `map`, in C)."""

    def __missing__(self, stemmed: str) -> int:
        number = self[stemmed] = len(self)
        return number


BAND_WORDS = 500_000  # words grouped at a time (`PooledWords.grouped`)


class PooledWords:
    """An analysed field's words as documents added them: each word's stem as a number, and
    where each document's words start. Adding a document is two C-level passes over its
    stems (numbering them, and counting its distinct ones: its postings); the postings are
    grouped from them once, in numpy, when the segment is written (`grouped`). Pooling each
    word into its stem's posting lists in a Python loop was a tenth of a build's CPU."""

    __slots__ = ("numbers", "ids", "docnums", "starts", "postings")

    def __init__(self) -> None:
        self.numbers = _Numbers()
        self.ids = array("I")  # each word's stem number, document after document
        self.docnums = array("I")  # each document added
        self.starts = array("I")  # where its words start in `ids`
        self.postings = 0  # distinct stems summed over the documents

    def add(self, docnum: int, stems: list[str]) -> int:
        """Add a document's stems in order; return its postings (distinct stems)."""
        if self.docnums and docnum <= self.docnums[-1]:
            raise ValueError(f"document {docnum} added after document {self.docnums[-1]}")
        self.docnums.append(docnum)
        self.starts.append(len(self.ids))
        self.ids.extend(map(self.numbers.__getitem__, stems))
        postings = len(set(stems))
        self.postings += postings
        return postings

    def grouped(self, band_words: int = BAND_WORDS) -> GroupedWords:
        """The words grouped by stem, then document, then position; the words are let go.

        The results go straight into the `array`s that keep them (32 bits: 4 bytes a word
        and 8 a posting, as the pool before this one kept them). They are made a band of
        stems at a time, about `band_words` words each, so what grouping needs beside them
        is a band's sort (~40 bytes a word of it) and two flags a word: sorting the
        segment's words at once was 16 bytes a word more, and a worker's peak."""
        import numpy as np  # indexing only

        count, stems = len(self.ids), len(self.numbers)
        ids = np.frombuffer(self.ids, dtype=np.uint32)
        word_starts = np.zeros(stems + 1, dtype=np.int64)  # by stem number, in sorted order
        np.cumsum(np.bincount(ids, minlength=stems), out=word_starts[1:])
        starts = np.frombuffer(self.starts, dtype=np.uint32)
        document_numbers = np.frombuffer(self.docnums, dtype=np.uint32)
        positions, docnums, counts = _zeros(count), _zeros(self.postings), _zeros(self.postings)
        term_postings = np.zeros(stems + 1, dtype=np.int64)
        done = 0  # postings made so far
        low = 0
        while low < stems:
            high = max(low + 1, int(np.searchsorted(word_starts, word_starts[low] + band_words,
                                                    side="right")) - 1)
            high = min(high, stems)
            done = _group_band(ids, low, high, word_starts, starts, document_numbers,
                               (_view(positions), _view(docnums), _view(counts)),
                               term_postings, done)
            low = high
        term_postings[stems] = done
        if done != self.postings:
            raise AssertionError("the postings grouped differ from those counted")
        del ids
        self.ids, self.docnums, self.starts = array("I"), array("I"), array("I")
        return GroupedWords(self.numbers, word_starts.tolist(), term_postings.tolist(), docnums,
                            counts, positions)


def _group_band(ids, low: int, high: int, word_starts, starts, document_numbers,
                out: tuple, term_postings, done: int) -> int:
    """Group the words of stems low..high-1 into their places in out (positions, docnums,
    counts) and their stems' first postings into term_postings; return the postings made."""
    import numpy as np  # indexing only
    positions, docnums, counts = out
    in_band = ids >= low
    np.logical_and(in_band, ids < high, out=in_band)
    words = np.flatnonzero(in_band)  # each word's number, in order
    del in_band
    words = words[np.argsort(ids[words], kind="stable")]  # by stem, then number
    documents = np.searchsorted(starts, words, side="right") - 1
    first, last = int(word_starts[low]), int(word_starts[high])
    positions[first:last] = words - starts[documents]
    del words
    new = np.ones(last - first, dtype=bool)  # a posting's first word: a new document or stem
    np.not_equal(documents[1:], documents[:-1], out=new[1:])
    new[word_starts[low:high] - first] = True
    posting_starts = np.flatnonzero(new)
    del new
    made = len(posting_starts)
    docnums[done:done + made] = document_numbers[documents[posting_starts]]
    del documents
    counts[done:done + made - 1] = np.diff(posting_starts)
    counts[done + made - 1] = (last - first) - posting_starts[-1]
    term_postings[low:high] = done + np.searchsorted(posting_starts, word_starts[low:high] - first)
    return done + made


def _zeros(count: int) -> array:
    return array("I", (0,)) * count


def _view(values: array):
    """A writable numpy view of an `array("I")`."""
    import numpy as np

    return np.frombuffer(values, dtype=np.uint32)


class GroupedWords:
    """An analysed field's postings, stem by stem: each posting's document and word count,
    and each word's position, in one array each (`PooledWords.grouped`)."""

    __slots__ = ("numbers", "word_starts", "posting_starts", "docnums", "counts", "positions")

    def __init__(self, numbers: dict[str, int], word_starts: list[int],
                 posting_starts: list[int], docnums: array, counts: array,
                 positions: array) -> None:
        self.numbers = numbers
        self.word_starts = word_starts  # by stem number: where its words start, and end
        self.posting_starts = posting_starts  # by stem number: where its postings start
        self.docnums, self.counts, self.positions = docnums, counts, positions

    def postings(self, stemmed: str) -> PositionPostings:
        """A stem's postings: document numbers, word counts, positions (as `add_stems` had
        pooled them a word at a time)."""
        number = self.numbers[stemmed]
        first, last = self.posting_starts[number], self.posting_starts[number + 1]
        start, end = self.word_starts[number], self.word_starts[number + 1]
        return (self.docnums[first:last], self.counts[first:last],
                self.positions[start:end])


WRITE_TERMS_WHOLE = True  # `codec.write_term` for a Positions field (tests compare both ways)
DEFER_LENGTHS = True  # length columns written whole at the end (tests compare both ways)
IMPACTS_FROM_MEMORY = True  # impact lists made as terms are written (tests compare both ways)
WRITTEN_FOR = (2, 7, 4)  # the Whoosh release whose private names this writer relies on
_POSTINGS_WRITER_NAMES = ("_blocklimit", "_ids", "_weights", "_values", "_maxweight",
                          "_minlength", "_maxlength", "_write_block")
_WRITER_NAMES = ("_check_state", "_flush_segment", "_merge_segments", "_finalize_segment",
                 "_close_segment", "_commit_toc", "_finish")
_warned: list[str] = []


class SegmentsCommittedTogether:
    """What a multi-process build needs of a writer, on top of Whoosh's `SegmentWriter`."""

    @property
    def pooled_postings(self) -> int:
        """Postings held in memory (none: Whoosh's own writer spills them to disk)."""
        return 0

    def finish_alone(self) -> Segment | None:
        """Close this writer's segment without committing it (a worker's part of a build):
        return the segment for the committing writer, or None when nothing was added."""
        if not self._added:  # type: ignore[attr-defined]
            self._close_segment()  # type: ignore[attr-defined]
            return None
        return self._finalize_segment()  # type: ignore[attr-defined]

    def commit_with(self, segments: list, mergetype=None,
                    before_toc: Callable[[list, int], None] | None = None) -> None:
        """Commit this writer's changes together with segments written by other writers:
        one new table of contents, so readers see all of them or none.

        before_toc(segments, generation) runs just before the table of contents is
        written (the commit point), to write files that belong to the new generation."""
        self._check_state()  # type: ignore[attr-defined]
        final = self._merge_segments(mergetype, None, None)  # type: ignore[attr-defined]
        final.extend(segments)
        if self._added:  # type: ignore[attr-defined]
            final.append(self._finalize_segment())  # type: ignore[attr-defined]
        else:
            self._close_segment()  # type: ignore[attr-defined]
        if before_toc is not None:
            before_toc(final, self.generation)  # type: ignore[attr-defined]
        self._commit_toc(final)  # type: ignore[attr-defined]
        self._finish()  # type: ignore[attr-defined]


class StockSegmentWriter(SegmentsCommittedTogether, writing.SegmentWriter):
    """Whoosh's own segment writer, able to commit a build's worker segments with its own."""


def fast_writer_fits(ix: Index) -> str:
    """Return why the fast writer cannot write this index ("" when it can)."""
    if whoosh.__version__ != WRITTEN_FOR:
        return (f"it was written for Whoosh {'.'.join(map(str, WRITTEN_FOR))}, "
                f"this is {whoosh.versionstring()}")
    codec = default_codec()
    if not isinstance(codec, whoosh3.W3Codec):
        return f"Whoosh writes with codec {type(codec).__name__}, not W3Codec"
    content = ix.schema["content"] if "content" in ix.schema else None
    if content is not None and type(content.format) is not formats.Positions:
        return f"the content field's posting format is {type(content.format).__name__}, not Positions"
    known = _attribute_names(whoosh3.W3PostingsWriter)
    missing = [name for name in sorted({*_POSTINGS_WRITER_NAMES, *WRITE_BLOCK_NAMES})
               if name not in known]
    missing += [name for name in _WRITER_NAMES if not hasattr(writing.SegmentWriter, name)]
    if missing:
        return f"Whoosh no longer has {', '.join(missing)}"
    return ""


def _attribute_names(cls: type) -> set[str]:
    """Names a class defines or its methods set or read on self."""
    names = set(dir(cls))
    for member in vars(cls).values():
        code = getattr(member, "__code__", None)
        if code is not None:
            names.update(code.co_names)
    return names


def open_writer(ix: Index, fast: bool = True, **kwargs) -> FastSegmentWriter | StockSegmentWriter:
    """Return the fast writer where it fits this Whoosh, else Whoosh's own (one warning)."""
    if fast:
        problem = fast_writer_fits(ix)
        if not problem:
            return FastSegmentWriter(ix, **kwargs)
        if problem not in _warned:
            _warned.append(problem)
            warnings.warn(f"Indexing with Whoosh's own writer (slower): {problem}.",
                          RuntimeWarning, stacklevel=2)
    return StockSegmentWriter(ix, **kwargs)


class FastSegmentWriter(SegmentsCommittedTogether, writing.SegmentWriter):
    """A `SegmentWriter` with postings pooled in memory; see the module docstring.

    Supports what this package's schema uses (indexed, stored and column fields, `_stored_`
    values); document and field boosts, spelling fields and term vectors are not.
    """

    def __init__(self, ix: Index, **kwargs) -> None:
        kwargs.setdefault("codec", CompactCodec())  # smaller posting blocks, read faster
        super().__init__(ix, **kwargs)
        self.pool = MemoryPostingPool()
        self._lengths: dict[str, FieldLengths] = {}
        self._kinds = KindWeights()
        # Field lengths go to the length columns when the segment is written (or before an
        # older segment's documents are added), not a column write per field per document.
        self._lengths_deferred = DEFER_LENGTHS
        self._impact_lists: impactwriter.Collector | None = None
        # False: no impact lists for this segment (a worker's, which a merge will replace)
        self.impacts_wanted = True
        self._merged = False  # postings of older segments were added: lengths unknown here
        self.exact_totals: dict[str, int] = {}  # field length totals where `_lengths` are
        # decoded length bytes (`compaction.merge_into`), not the lengths added
        self._id_postings: dict[tuple[str, str], list] = {}
        self._plans: dict[tuple[str, ...], list] = {}
        self._plans_schema: fields.Schema | None = None
        unsupported = [name for name, field in self.schema.items()
                       if field.vector or field.separate_spelling()]
        if unsupported:
            raise ValueError(f"FastSegmentWriter cannot write fields {unsupported}")

    def add_document(self, **fields) -> None:
        self._check_state()
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        add_postings = self.pool.add_document_field
        add_stems = self.pool.add_stems
        defer = self._lengths_deferred
        for fieldname, field, stored_key, lengths, analysed in self._plan_of(tuple(fields)):
            value = fields[fieldname]
            if value is None:
                continue
            length = 0
            if analysed and type(value) is Analysed:
                length = add_stems(fieldname, docnum, value.stems, field.format.field_boost)
            elif field.indexed:
                length = add_postings(fieldname, docnum, self._postings(fieldname, field, value))
                if lengths is None:  # not scorable
                    length = 0
            stored = fields.get(stored_key, value)
            # a length kept back is written with its column (`_write_lengths`)
            perdoc.add_field(fieldname, field, stored if field.stored else None,
                             0 if defer else length)
            if length:
                lengths[docnum] = length  # type: ignore[index]
            if field.column_type and stored is not None:
                column_value = field.to_column_value(stored)
                perdoc.add_column_value(fieldname, field.column_type, column_value)
                if fieldname == perdoc_numbers.WEIGHT_COLUMN:
                    self._kinds.set(docnum, column_value)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _plan_of(self, names: tuple[str, ...]) -> list[tuple[str, Any, str, dict | None, bool]]:
        """(name, field, its `_stored_` key, its lengths or None, whether it is a scored
        `SeedText`) for each indexable name, sorted as Whoosh adds them; worked out once per
        set of names (the records of a kind all have the same), for the writer's schema now."""
        if self._plans_schema is not self.schema:
            self._plans, self._plans_schema = {}, self.schema
        plan = self._plans.get(names)
        if plan is None:
            plan = []
            for fieldname in sorted(name for name in names if not name.startswith("_")):
                if fieldname not in self.schema:
                    raise UnknownFieldError(f"No field named {fieldname!r} in {self.schema}")
                field = self.schema[fieldname]
                lengths = (self._lengths.setdefault(fieldname, FieldLengths()) if field.scorable
                           else None)
                analysed = isinstance(field, SeedText) and field.indexed and field.scorable
                plan.append((fieldname, field, f"_stored_{fieldname}", lengths, analysed))
            self._plans[names] = plan
        return plan

    def _postings(self, fieldname: str, field, value) -> list:
        """The field's postings for value; an ID's are the same every time (remembered)."""
        if not isinstance(field, fields.ID):
            return field.index(value)
        key = (fieldname, value)
        found = self._id_postings.get(key)
        if found is None:
            found = self._id_postings[key] = list(field.index(value))
        return found

    def _merge_segments(self, mergetype, optimize, merge):
        """Whoosh's, after the kept-back lengths are written: a merge policy reads the
        running totals (`merging._fold`) before adding an older segment's documents."""
        self._write_lengths()
        return super()._merge_segments(mergetype, optimize, merge)

    def add_reader(self, reader) -> None:
        self._write_lengths()  # Whoosh's own way from here on
        self._merged = True
        super().add_reader(reader)

    def _write_lengths(self) -> None:
        """Give Whoosh's per-document writer the field lengths kept back so far: each field's
        length column as its writer would have written it a document at a time (a byte per
        document up to the last with a length, 0 between), and its total, fields in the order
        they would have first had one (by document, then by name, as documents add them)."""
        if not self._lengths_deferred:
            return
        self._lengths_deferred = False
        perdoc = self.perdocwriter
        firsts = []
        for fieldname, kept in self._lengths.items():
            data = kept.padded(self.docnum)[:self.docnum].tobytes()
            leading = len(data) - len(data.lstrip(b"\0"))
            if leading < len(data):
                firsts.append((leading // kept.lengths.itemsize, fieldname))
        for _, fieldname in sorted(firsts):
            lengths = self._lengths[fieldname].lengths[:self.docnum]
            column = length_bytes(lengths).rstrip(b"\0")
            name = whoosh3._lenfield(fieldname)
            perdoc._create_column(name, whoosh3.LENGTHS_COLUMN)
            writer = perdoc._colwriters[name]
            writer._dbfile.write(column)
            writer._count = len(column)
            total = self.exact_totals.get(fieldname)
            perdoc._fieldlengths[fieldname] += sum(lengths) if total is None else total

    def _flush_segment(self) -> None:
        if self._merged:  # rare (a commit merging small segments): Whoosh's own way
            super()._flush_segment()
            return
        self._write_lengths()
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        impacts = self._impacts()
        listed = False
        current = None
        for fieldname, term, postings in self.pool.terms():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                current = fieldname
                lengths = self._lengths.get(fieldname, FieldLengths()).padded(self.docnum)
                whole = WRITE_TERMS_WHOLE and _writes_terms_whole(fieldwriter)
                if impacts is not None and not whole and fieldname in impactwriter.FIELDS:
                    impacts = None  # read back from the segment instead (`write_missing`)
                total = self.exact_totals.get(fieldname)  # (a merge: the sources' totals)
                listed = (impacts is not None and fieldname in impactwriter.FIELDS
                          and impacts.start_field(fieldname, length_bytes(
                              lengths[:self.docnum]),
                              sum(lengths) if total is None else total))
            if whole:
                if listed and impacts.wants(len(postings[0])):  # type: ignore[union-attr]
                    jumps = write_term(fieldwriter, term, *postings, lengths, jumps=True)
                    impacts.add(term, postings[0], postings[1], jumps)  # type: ignore
                else:
                    write_term(fieldwriter, term, *postings, lengths)
                continue
            fieldwriter.start_term(term)
            _fill_blocks(fieldwriter._postwriter, postings, lengths)
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()
        fieldwriter.close()
        self._impact_lists = impacts  # written once the segment is assembled

    def _finalize_segment(self):
        """Whoosh's, then the impact lists made while writing: after the segment's files are
        assembled into its compound file, which takes in every file named after it."""
        segment = super()._finalize_segment()
        impacts, self._impact_lists = self._impact_lists, None
        if impacts is not None:
            impacts.write(Path(self.storage.folder) / impactwriter.file_name(
                self.indexname, segment.segment_id()))
        return segment

    def _impacts(self) -> impactwriter.Collector | None:
        """A collector of the segment's impact lists as its terms are written, where they
        can all be made from memory (else `impactwriter.write_missing` reads them back)."""
        if not (IMPACTS_FROM_MEMORY and WRITE_TERMS_WHOLE and self.impacts_wanted
                and getattr(self.storage, "folder", None)):
            return None
        return impactwriter.Collector(self._kinds.padded(self.docnum))

    @property
    def pooled_postings(self) -> int:
        """Postings held in memory, waiting for the segment to be written."""
        return self.pool.postings


def _writes_terms_whole(fieldwriter) -> bool:
    """Whether `codec.write_term` writes this field's terms: our postings writer, its
    values of variable size (`Positions`), never inlined, document numbers as integers."""
    postwriter = fieldwriter._postwriter
    return (type(postwriter) is CompactPostingsWriter and not postwriter._byteids
            and postwriter._inlinelimit <= 1
            and fieldwriter._format.fixed_value_size() is None)


def length_bytes(lengths: array) -> bytes:
    """`bytes(map(length_to_byte, lengths))` in numpy (Whoosh's length byte is the number of
    its byte lengths below the length, 255 at most): a call a document a field cost ~1% of
    writing a segment."""
    import numpy as np  # indexing only

    found = np.searchsorted(_BYTE_LENGTHS, np.frombuffer(lengths, dtype=np.uint32), side="left")
    return np.minimum(found, 255).astype(np.uint8).tobytes()


_BYTE_LENGTHS = [byte_to_length(byte) for byte in range(256)]  # ascending


class KindWeights:
    """Each document's kind weight (the weight column) by document number, as
    `perdoc.kind_weights` reads it back: 100 where none was given or it is 0."""

    __slots__ = ("weights",)

    def __init__(self) -> None:
        self.weights = bytearray()

    def set(self, docnum: int, weight: int) -> None:
        missing = docnum - len(self.weights)
        if missing >= 0:
            self.weights += DEFAULT_KIND * missing
            self.weights.append(weight & 0xFF)
        else:
            self.weights[docnum] = weight & 0xFF

    def padded(self, count: int) -> bytes:
        """The weights of documents 0 to count - 1."""
        weights = bytes(self.weights[:count]) + DEFAULT_KIND * max(0, count - len(self.weights))
        return weights.replace(b"\0", DEFAULT_KIND)


DEFAULT_KIND = bytes([100])


class FieldLengths:
    """Each document's length in one field by document number, 0 where it has none: 4 bytes
    a document, where a dict of them took about 100 (10 bytes a posting in the pool)."""

    __slots__ = ("lengths",)

    def __init__(self) -> None:
        self.lengths = array("I")

    def __setitem__(self, docnum: int, length: int) -> None:
        missing = docnum - len(self.lengths)
        if missing >= 0:
            self.lengths.frombytes(bytes(4 * missing))
            self.lengths.append(length)
        else:
            self.lengths[docnum] = length

    def padded(self, count: int) -> array:
        """The lengths of documents 0 to count - 1 (and any after)."""
        missing = count - len(self.lengths)
        if missing > 0:
            self.lengths.frombytes(bytes(4 * missing))
        return self.lengths


def _expand(postings: PositionPostings, boost: float) -> TermPostings:
    """An analysed term's postings as `SeedText.index` gives them: weights (count times the
    field's boost, 32-bit as the codec keeps them) and positions encoded as Whoosh does."""
    docnums, counts, positions = postings
    weights = array("f", counts) if boost == 1.0 else array("f", [c * boost for c in counts])
    singles = SINGLE_POSITIONS
    if len(positions) == len(counts):  # one position each: most terms
        get = singles.get
        return docnums, weights, [get(position) or encode_positions([position])
                                  for position in positions]
    values: list = []
    offset = 0
    for count in counts:
        if count == 1:
            position = positions[offset]
            values.append(singles.get(position) or encode_positions([position]))
        else:
            values.append(encode_positions(positions[offset:offset + count].tolist()))
        offset += count
    return docnums, weights, values


def _fill_blocks(postwriter, postings: TermPostings, lengths: array) -> None:
    """Fill a Whoosh 3 postings writer a block at a time, leaving the last block buffered
    for `finish_term`: the state `add_posting` would have built one posting at a time."""
    docnums, weights, values = postings
    limit = postwriter._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            postwriter._write_block()  # and starts the next one
        block_ids = docnums[start:start + limit]  # slices of arrays are new arrays
        block_weights = weights[start:start + limit]
        postwriter._ids = block_ids
        postwriter._weights = block_weights
        postwriter._values = list(filter(None, values[start:start + limit]))
        postwriter._maxweight = max(0, max(block_weights))
        block_lengths = list(filter(None, map(lengths.__getitem__, block_ids)))  # known, not 0
        postwriter._minlength = min(block_lengths) if block_lengths else None
        postwriter._maxlength = max(block_lengths) if block_lengths else 0
