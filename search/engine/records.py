"""The index records of an article, and the indexed values of a record read back from its
stored fields.

Three records per article: its metadata ("article"), its full text ("source") and one per
block. `records` builds them for writing; `indexed_values` rebuilds, from what a record
stored, exactly the values that were indexed, so the statistics of a deleted record can be
taken back out without a forward index (`stats.py`). A test holds the two together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, fields
from datetime import datetime
from typing import TYPE_CHECKING

from ..catalog import ArticleMeta, OriginalPublication
from ..duplicates import sketch
from ..kinds import KIND_WEIGHT
from ..sections import section_paragraphs
from .schema import Analysed
from .skeleton import skeleton

if TYPE_CHECKING:  # only the indexing run reads articles; a search need not import the readers
    from ..ingest import Article, Block


# A block record stores one tuple (schema 8): these fields, in this order. Its searchable
# fields are indexed but not stored, and its article's path is not stored again: keys, path
# and ids repeated on every block were half of a block record's stored bytes.
BLOCK_FIELDS = ("doc_id", "order", "kind", "paragraph", "section_paragraph", "line_start",
                "line_end", "start", "end", "place", "section", "content")
UNSTORED = {f"_stored_{name}": None for name in ("rectype", "doc_id", "path")}


def records(article: Article, doc_id: str, identity: str, fingerprint: str) -> Iterable[dict]:
    """Return the article's records: metadata, full text, then its blocks in order.

    identity is the file's resolved absolute path (the `path` term); the metadata keeps the
    path shown in citations. The full text is stored as its skeleton around the blocks
    (`skeleton.py`) when that gives it back exactly."""
    meta = article.meta
    common = {"doc_id": doc_id, "path": identity}
    body = sketch(block.text for block in article.paragraphs)
    yield {**common, **article_values(meta, doc_id), "rectype": "article",
           "content_hash": fingerprint, "data": json.dumps(meta_to_dict(meta, doc_id)),
           "sketch": json.dumps(body)}
    bones = skeleton(article.text, [(block.start, block.end, block.text)
                                    for block in article.blocks])
    yield {**common, "rectype": "source", "data": article.text if bones is None else bones}
    sections: dict[str, Analysed] = {}
    numbers = section_paragraphs(article.blocks)
    for block, number in zip(article.blocks, numbers, strict=True):
        if block.section not in sections:
            sections[block.section] = Analysed.of(block.section)
        yield {**common, **UNSTORED, "rectype": "block", "content": Analysed.of(block.text),
               "section": sections[block.section], "kind": block.kind.value,
               "weight": round(KIND_WEIGHT[block.kind] * 100),
               "block": (doc_id, block.order, block.kind.value, block.paragraph or 0,
                         number or 0, block.line_start, block.line_end, block.start,
                         block.end, _place(block), block.section, block.text)}


def stored_fields(stored: dict) -> dict:
    """Return a record's stored fields by name, a block's unpacked from its tuple."""
    packed = stored.get("block")
    if packed is None:
        return stored
    return {"rectype": "block", **dict(zip(BLOCK_FIELDS, packed, strict=True))}


def _place(block: Block) -> str:
    """A block's page labels and anchor, "" for a text block (most blocks: stored small)."""
    if not (block.page_start or block.anchor):
        return ""
    return json.dumps([block.page_start, block.page_end, block.anchor], ensure_ascii=False)


def article_values(meta: ArticleMeta, doc_id: str) -> dict[str, object]:
    """The searchable metadata of an article record (indexed, not stored)."""
    values: dict[str, object] = {
        "title": f"{meta.title} {meta.subtitle}".strip(), "author": meta.author,
        "publication": f"{meta.publication} {meta.publisher}".strip(),
        "doc": doc_id.replace("_", " "),
    }
    when = _as_datetime(meta.date)
    if when:
        values["date"] = when
    return values


ID_FIELDS = ("rectype", "doc_id", "path", "kind")


def indexed_values(stored: dict, paths: Mapping[str, str]) -> dict[str, object]:
    """Return the values a record indexed, rebuilt from its stored fields (as `records`
    wrote them: same text, same analysis); a block's path is its article's, from paths
    (doc_id -> path)."""
    stored = stored_fields(stored)
    values: dict[str, object] = {name: stored[name] for name in ID_FIELDS if name in stored}
    if "path" not in values and stored.get("doc_id") in paths:
        values["path"] = paths[stored["doc_id"]]
    rectype = stored.get("rectype")
    if rectype == "block":
        values["content"] = Analysed.of(stored.get("content", ""))
        values["section"] = Analysed.of(stored.get("section", ""))
    elif rectype == "article":
        meta = meta_from_json(str(stored.get("data")))
        values.update(article_values(meta, str(stored.get("doc_id"))))
    return values


def _as_datetime(date: str) -> datetime | None:
    if not date:
        return None
    parts = [int(part) for part in date.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2])


def meta_to_dict(meta: ArticleMeta, doc_id: str | None = None) -> dict:
    """Return metadata as plain data (the id may differ from the stem on a name clash)."""
    data = asdict(meta)
    if doc_id:
        data["doc_id"] = doc_id
    return data


_META_FIELDS = {f.name for f in fields(ArticleMeta)}
_ORIGINAL_FIELDS = {f.name for f in fields(OriginalPublication)}
_META_LISTS = ("authors", "author_roles", "translators", "notes", "extra", "title_case")


def meta_from_json(raw: str) -> ArticleMeta:
    """Rebuild ArticleMeta from a stored article record, refusing one of the wrong shape
    with ValueError (a damaged index, not a bug)."""
    data = json.loads(raw)
    if not isinstance(data, dict) or not {"doc_id", "path", "title"} <= set(data) <= _META_FIELDS:
        raise ValueError("an article record of the wrong shape")
    original = data.get("original")
    if original is not None and (not isinstance(original, dict)
                                 or not set(original) <= _ORIGINAL_FIELDS):
        raise ValueError("an article record of the wrong shape")
    if not all(isinstance(data.get(name, []), list) for name in _META_LISTS):
        raise ValueError("an article record of the wrong shape")
    if not all(isinstance(data.get(name), str) for name in ("doc_id", "path", "title")):
        raise ValueError("an article record of the wrong shape")
    try:
        return meta_from_dict(data)
    except TypeError as exc:  # a list of pairs that are not pairs, a field of the wrong type
        raise ValueError("an article record of the wrong shape") from exc


def meta_from_dict(data: dict) -> ArticleMeta:
    """Rebuild ArticleMeta from `meta_to_dict` output."""
    data = dict(data)
    original = data.pop("original", None)
    for name in ("authors", "author_roles", "translators"):
        data[name] = tuple(data.get(name, ()))
    data["notes"] = tuple(tuple(pair) for pair in data.get("notes", ()))
    data["extra"] = tuple(tuple(pair) for pair in data.get("extra", ()))
    data["title_case"] = tuple(tuple(pair) for pair in data.get("title_case", ()))
    return ArticleMeta(**data, original=OriginalPublication(**original) if original else None)
