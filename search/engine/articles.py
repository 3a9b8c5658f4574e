"""Every article's metadata, read from the index's article records only when asked for.

Kept apart from `store.py`, whose `Store.articles` it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from whoosh.searching import Searcher

from ..catalog import ArticleMeta
from .opening import DAMAGE_ERRORS, damaged
from .records import meta_from_json


class Articles(Mapping[str, ArticleMeta]):
    """Every article's metadata, each record read from the index the first time it is asked
    for: a search citing ten passages decodes ten records, not thousands."""


    def __init__(self, searcher: Searcher, index_dir: Path,
                 locate: Callable[[str], dict | None] = lambda doc_id: None) -> None:
        self._searcher = searcher
        self._index_dir = index_dir
        self._locate = locate  # the record found by position, when the store knows where
        self._read: dict[str, ArticleMeta] = {}
        self._complete = False

    def __getitem__(self, doc_id: str) -> ArticleMeta:
        if doc_id not in self._read and not self._complete:
            stored = self._locate(doc_id)
            found = (self._decoded([(doc_id, stored["data"])]).get(doc_id) if stored
                     else self._record(doc_id))
            if found is not None:
                self._read[doc_id] = found
        return self._read[doc_id]

    def _record(self, doc_id: str) -> ArticleMeta | None:
        """One article's record, found among its own records (the article record comes
        first): intersecting doc_id with rectype:article ran a query per lookup."""
        try:
            for docnum in self._searcher.document_numbers(doc_id=doc_id):
                stored = self._searcher.stored_fields(docnum)
                if stored.get("rectype") == "article":
                    return meta_from_json(str(stored.get("data")))
        except DAMAGE_ERRORS as exc:
            raise damaged(self._index_dir, exc) from exc
        return None

    def __iter__(self) -> Iterator[str]:
        self._read_all()
        return iter(self._read)

    def __len__(self) -> int:
        self._read_all()
        return len(self._read)

    def _read_all(self) -> None:
        if not self._complete:
            self._read = self._records()
            self._complete = True

    def _records(self, **terms: str) -> dict[str, ArticleMeta]:
        try:
            found = [(stored.get("doc_id"), stored.get("data"))
                     for stored in self._searcher.documents(rectype="article", **terms)]
        except DAMAGE_ERRORS as exc:
            raise damaged(self._index_dir, exc) from exc
        return self._decoded(found)

    def _decoded(self, found: list[tuple[object, object]]) -> dict[str, ArticleMeta]:
        try:
            return {str(doc_id): meta_from_json(str(data)) for doc_id, data in found}
        except ValueError as exc:
            raise damaged(self._index_dir, exc) from exc
