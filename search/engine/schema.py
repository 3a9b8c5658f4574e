"""The index schema: which fields each record has, and how text reaches Whoosh.

Three kinds of record share the schema: one per block (paragraph, heading, caption...), one
per article holding its metadata, one per article holding its full text. A block stores
everything it shows in one tuple (`records.BLOCK_FIELDS`) and nothing else; the full text is
stored as what the blocks do not hold (`skeleton.py`). Article metadata
(title, author, publication, doc, date) is indexed once, on the article record; a filter on
it becomes the ids of the matching articles (`find.on_blocks`). Indexing it on every block
doubled the postings (a date or number is eight or more terms) for nothing.
"""

from __future__ import annotations

import pickle
from functools import cached_property
from itertools import chain
from operator import sub

from whoosh import columns, fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.system import pack_uint

from ..analyse import index_stems, positions_of, tokens
from ..frozen import frozen_dataclass

SCHEMA_VERSION = 9  # 9: each segment has impact lists (`impactwriter`);
# 8: a block stores one tuple, its article's text is stored as a skeleton;
# 7: blocks store their ¶ counted from the section heading;
# 6: blocks store their place (PDF page, HTML anchor), articles a sketch;
# 5: articles identified by resolved path, statistics and vocabulary per generation
_POSITIONS = formats.Positions()  # the content field's posting format (`encode_positions` writes its bytes)



class SeedTokenizer(Tokenizer):
    """Whoosh tokenizer over `analyse.tokens`: one analyser for indexing and querying."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SeedTokenizer)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for position, (word, stemmed, start, end) in enumerate(tokens(value)):
            token.text = stemmed
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


@frozen_dataclass
class Analysed:
    """A block's text analysed once by `analyse.index_stems`, for a `SeedText` field.

    The same pass gives the postings and the words for the vocabulary, so indexing reads
    each block once instead of three times (Whoosh's tokens, its positions, our counts).
    """

    stems: list[str]  # each word's stem, in order (the fast writer's pool reads these)
    words: list[str]

    @classmethod
    def of(cls, text: str) -> Analysed:
        return cls(*index_stems(text))

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Each stem's word positions (for Whoosh's own writer, through `SeedText.index`)."""
        return positions_of(self.stems)


class SeedText(fields.TEXT):
    """A TEXT field that takes an `Analysed` value as it is (a plain string is analysed by
    the field's analyser as usual). Postings are encoded exactly as Whoosh's Positions
    format encodes them, so searching cannot tell the two paths apart."""

    def index(self, value, **kwargs):
        if not isinstance(value, Analysed):
            return super().index(value, **kwargs)
        boost = self.format.field_boost
        return [(stemmed.encode("utf-8"), len(where), len(where) * boost, encode_positions(where))
                for stemmed, where in value.positions.items()]


SINGLE_POSITIONS: dict[int, bytes] = {}  # position -> its encoding alone (most words occur once)
_MAX_SINGLES = 65_536


def encode_positions(positions: list[int]) -> bytes:
    """A posting's value as Whoosh's Positions format encodes it (lone positions remembered)."""
    if len(positions) == 1:
        encoded = SINGLE_POSITIONS.get(positions[0])
        if encoded is not None:
            return encoded
    # Positions.encode, its gaps taken in C: the same bytes
    encoded = pack_uint(len(positions)) + pickle.dumps(list(map(sub, positions,
                                                                chain((0,), positions))), 2)
    if len(positions) == 1 and positions[0] < _MAX_SINGLES:
        SINGLE_POSITIONS[positions[0]] = encoded
    return encoded


def make_schema() -> fields.Schema:
    """Return the schema: searchable text fields, stored citation fields, ranking column."""
    text = SeedTokenizer()
    return fields.Schema(
        rectype=fields.ID(stored=True),  # "block", "article" or "source"
        doc_id=fields.ID(stored=True),
        path=fields.ID(stored=True),
        content=SeedText(analyzer=text, phrase=True),
        section=SeedText(analyzer=text, field_boost=1.5),
        title=fields.TEXT(analyzer=text),
        author=fields.TEXT(analyzer=text),
        publication=fields.TEXT(analyzer=text),
        doc=fields.TEXT(analyzer=text),
        date=fields.DATETIME(),
        kind=fields.ID(),
        weight=fields.COLUMN(columns.NumericColumn("B", default=100)),  # KIND_WEIGHT * 100
        block=fields.STORED(),  # block records: records.BLOCK_FIELDS, the only thing stored
        sketch=fields.STORED(),  # article records: the body's MinHash sketch (duplicates.py)
        data=fields.STORED(),  # article metadata (article records), text skeleton (sources)
        content_hash=fields.STORED(),
    )
