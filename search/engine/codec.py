"""Whoosh's W3 codec with its posting blocks pickled at protocol 4 instead of 2, and the
smallest blocks stored uncompressed.

Whoosh pickles each block of postings (ids, weights, encoded positions) with protocol 2, in
which every `bytes` value (one per posting: its positions) becomes a call to
`_codecs.encode(str, "latin1")`. At protocol 4 a `bytes` value is two bytes of header: on a
10 MB index the same blocks took 58% of the space after compression, and reading them
(inflate and unpickle, a third of a slow query's time) 2.8 times less. The blocks unpickle
to exactly the same tuples, so Whoosh's readers (and `postings.py`) read them unchanged; the
codec pickles itself as the plain `W3Codec` in the table of contents, so nothing of ours is
needed to open an index.

A block whose pickle is under STORE_BELOW bytes (over half the blocks of a corpus: a rare
term's one short block) is written as it is, with compression 0 in its header: Whoosh's
reader inflates a block only when its header's compression level is not 0 (Whoosh's own
writer meant to do this below 20 bytes, but a slip overrides it). zlib would save a few
bytes at most on so little and costs its setup (~26 µs) per block, to write and to read.

Whoosh internals touched (written against Whoosh 2.7.4, checked by
`segments.fast_writer_fits`): `W3PostingsWriter._write_block`, reproduced here with the one
change, and the names it reads (`_blockcount`, `_postfile`, `_terminfo`, `_ids`,
`_maxweight`, `_minlength`, `_maxlength`, `_compression`, `_mini_ids`, `_mini_weights`,
`_mini_values`); for `write_term`, also `W3FieldWriter`'s `_postwriter`, `_tindex`,
`_fieldid` and `W3TermInfo`'s `_weight`, `_df`, `_minlength`, `_maxlength`, `_maxweight`,
`_minid`, `_maxid`, `set_extent`, `to_bytes`; for stored records, `W3PerDocWriter._create_column`
and `._colwriters`, `STORED_COLUMN` and its writers' `_child` and `_compress`.
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from itertools import chain
from operator import sub

from whoosh.codec import whoosh3
from whoosh.filedb.structfile import StructFile
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte

PROTOCOL = 4
ZLIB_LOOKAHEAD = 262  # zlib's MIN_LOOKAHEAD: a window holds this much less than its size of history
_INT_SIZE = 4  # a block's length, before it
STORE_BELOW = 64  # a block pickling to fewer bytes is stored as it is (compression 0)
WRITE_BLOCK_NAMES = ("_blockcount", "_postfile", "_terminfo", "_ids", "_maxweight",
                     "_minlength", "_maxlength", "_compression", "_mini_ids", "_mini_weights",
                     "_mini_values", "_write_block")


class CompactPostingsWriter(whoosh3.W3PostingsWriter):
    """Whoosh's postings writer, pickling each block's data at protocol 4."""

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        infobytes, databytes = _block_bytes(data, self._ids, self._maxweight, self._minlength,
                                            self._maxlength, self._compression)
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()

    def _mini_ids(self) -> tuple:
        """Whoosh's: the block's document numbers as gaps (its `delta_encode`, in C)."""
        ids = self._ids
        if self._byteids:
            return tuple(ids)
        return tuple(map(sub, ids, chain((0,), ids)))

    def _mini_weights(self):
        return _mini_weights(self._weights)


def _mini_weights(weights: list[float]):
    """Whoosh's: None when every weight is 1, the one weight when all are equal, else all of
    them (counted in C instead of compared in a generator)."""
    if weights.count(1.0) == len(weights):
        return None
    if weights.count(weights[0]) == len(weights):
        return weights[0]
    return tuple(weights)


def _block_bytes(data: tuple, ids, maxweight: float, minlength, maxlength,
                 level: int) -> tuple[bytes, bytes]:
    """A posting block's header and data: the data pickled at PROTOCOL and deflated at
    `level` unless it pickles to under STORE_BELOW bytes (then compression 0 in the header)."""
    databytes = pickle.dumps(data, PROTOCOL)
    compression = level if len(databytes) >= STORE_BELOW else 0
    if compression:
        databytes = deflate(databytes, compression)
    infobytes = pickle.dumps((len(ids), ids[-1], maxweight, compression,
                              length_to_byte(minlength), length_to_byte(maxlength)), 2)
    return infobytes, databytes


def deflate(data: bytes, level: int) -> bytes:
    """`zlib.compress(data, level)` in the smallest window that holds all of `data`.

    The deflate stream is the same: no match can reach further back than the data is long,
    and so little data never slides the window. Only the header's window size differs, which
    `zlib.decompress` reads whatever it is. A posting block or a stored record is a few
    hundred bytes, and zlib's default 32 kB window cost more to set up than such data costs
    to compress: this takes a third of the time (29.9 against 83.0 µs a call on samples of
    the seeds under 3 kB).

    >>> sample = b"the workers state, the workers opposition, the state " * 4
    >>> deflate(sample, 3)[2:] == zlib.compress(sample, 3)[2:]
    True
    >>> zlib.decompress(deflate(sample, 3)) == sample
    True
    """
    return zlib.compress(data, level, max(9, min(15, (len(data) + ZLIB_LOOKAHEAD - 1).bit_length())))


def write_term(fieldwriter, term: bytes, docnums, weights, values: list, lengths,
               jumps: bool = False) -> tuple[array, array] | None:
    """Write one term's postings in full with a `W3FieldWriter` whose postings writer is a
    `CompactPostingsWriter`, for a format with variable-size values (`Positions`): the bytes
    and term info that `start_term`, the blocks filled a block at a time
    (`segments._fill_blocks`) and `finish_term` write, made in one function and written to
    the postings file at once, instead of through a dozen method calls and three writes a
    block. `lengths[docnum]` is each document's field length (0: none). A test compares the
    segment's files both ways. With `jumps`, return each block's last docnum and its start
    from the first block's (`postings.jump_table` of the term, read back)."""
    postwriter = fieldwriter._postwriter
    postfile = postwriter._postfile
    limit = postwriter._blocklimit
    level = postwriter._compression
    info = whoosh3.W3TermInfo()
    startoffset = postfile.tell()
    parts = [whoosh3.WHOOSH3_HEADER_MAGIC]
    total = len(docnums)
    term_weight = info._weight
    term_minlength = None
    term_maxlength = info._maxlength
    term_maxweight = info._maxweight
    get_length = lengths.__getitem__
    maxids, starts = (array("I"), array("I")) if jumps else (None, None)
    position = 0
    for start in range(0, total, limit):
        ids = docnums[start:start + limit]
        block_weights = weights[start:start + limit]
        maxweight = max(0, max(block_weights))
        known = list(filter(None, map(get_length, ids)))
        minlength = min(known) if known else None
        maxlength = max(known) if known else 0
        # W3TermInfo.add_block
        term_weight += sum(block_weights)
        if term_minlength is None:
            term_minlength = minlength
        else:
            term_minlength = min(term_minlength, minlength)
        term_maxlength = max(term_maxlength, maxlength)
        term_maxweight = max(term_maxweight, maxweight)
        # CompactPostingsWriter._write_block
        data = (tuple(map(sub, ids, chain((0,), ids))), _mini_weights(block_weights),
                tuple(filter(None, values[start:start + limit])))
        infobytes, databytes = _block_bytes(data, ids, maxweight, minlength, maxlength, level)
        blocklength = len(infobytes) + len(databytes)
        parts += (pack_int(-blocklength if start + limit >= total else blocklength), infobytes,
                  databytes)
        if maxids is not None:
            maxids.append(ids[-1])
            starts.append(position)  # type: ignore[union-attr]
            position += _INT_SIZE + blocklength
    postfile.write(b"".join(parts))
    info._weight = term_weight
    info._df = total
    info._minlength = term_minlength
    info._maxlength = term_maxlength
    info._maxweight = term_maxweight
    info._minid = docnums[0]
    info._maxid = docnums[-1]
    info.set_extent(startoffset, postfile.tell() - startoffset)  # (a `PositionedFile`)
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + term, info.to_bytes())
    return (maxids, starts) if maxids is not None else None  # type: ignore[return-value]


class PositionedFile(StructFile):
    """A file being written that keeps count of its position: `tell` on a buffered file is
    a system call (lseek) each time, and writing a term asked four times (its postings'
    start and end, the term index's entry twice): 2.5% of a build's CPU on 10 MB. Every
    write goes through `write` (arrays and pickles too, below); a seek asks the file again."""

    def __init__(self, inner: StructFile) -> None:
        super().__init__(inner.file, inner._name, inner.onclose)
        self.is_real = False  # `write_array` through `write`, not `array.tofile`
        self._position = inner.file.tell()

    def write(self, data) -> int:
        self._position += memoryview(data).nbytes
        return self.file.write(data)

    def tell(self) -> int:
        return self._position

    def seek(self, *args) -> int:
        self.file.seek(*args)
        self._position = self.file.tell()
        return self._position

    def write_pickle(self, obj, protocol: int = -1) -> None:
        self.write(pickle.dumps(obj, protocol))


class CompactFieldWriter(whoosh3.W3FieldWriter):
    """Whoosh's field writer, its terms and postings files `PositionedFile`s."""

    def _create_file(self, ext):
        return PositionedFile(super()._create_file(ext))


class CompactCodec(whoosh3.W3Codec):
    """The W3 codec, writing posting blocks with `CompactPostingsWriter`."""

    def field_writer(self, storage, segment):
        return CompactFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return CompactPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                     compression=self._compression,
                                     inlinelimit=self._inlinelimit)

    def per_document_writer(self, storage, segment):
        return CompactPerDocWriter(self, storage, segment)

    def __reduce__(self):
        """Saved in the table of contents as Whoosh's own codec: readers need nothing more."""
        return (whoosh3.W3Codec, (self._blocklimit, self._compression, self._inlinelimit))


class CompactPerDocWriter(whoosh3.W3PerDocWriter):
    """The W3 per-document writer, deflating each document's stored record with `deflate`:
    the same bytes once inflated, which is all Whoosh's reader does with them."""

    def _create_column(self, fieldname, column):
        super()._create_column(fieldname, column)
        if column is whoosh3.STORED_COLUMN:
            compressed = self._colwriters[fieldname]._child  # PickleColumn's CompressedBytes
            compressed._compress = deflate
