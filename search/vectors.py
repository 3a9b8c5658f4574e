"""Block vectors: one sentence embedding per indexed block, kept beside the Whoosh index.

Search ranks by meaning as well as words with these (see `hybrid.py`). They are optional per
index: computing them is most of the indexing time (about 3 ms a block with onnxruntime), so
they are made by default only for corpora up to DEFAULT_LIMIT_CHARS of text, or when asked.

Files, named by the Whoosh commit (generation) they belong to:

    vectors-<generation>.npz    float16 `vectors` (blocks, 384), int32 `article`, int32 `order`,
                                uint8 `kind` (position in the .json's `kinds`)
    vectors-<generation>.json   the model, the article ids, each article's fingerprint, the kinds
    vectors-<generation>.usearch  from ann.MIN_BLOCKS blocks: a graph to find the nearest (ann.py)

Every indexing run that commits writes the set for its new generation, re-using the rows of
articles whose fingerprint did not change and embedding only new and changed ones, then
deletes older sets. A reader uses the set of the generation it opened and nothing else, so a
run that dies between the two commits leaves search on words alone, never on wrong vectors,
and the next run completes the set. numpy is imported only when vectors are used.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import ann
from .frozen import frozen_dataclass

if TYPE_CHECKING:
    import numpy as np  # type: ignore[import-not-found, unused-ignore]

    from .embed import Embedder

MODEL_ID = "all-MiniLM-L6-v2"
DEFAULT_LIMIT_CHARS = 300_000  # about 30 s of indexing in all on this machine (seeds: 130,000)
EMBED_CHUNK = 256  # blocks embedded between progress reports
FILE_PATTERN = re.compile(r"^vectors-(\d+)\.(json|npz|usearch)$")


@frozen_dataclass
class LiveBlock:
    """A block of the committed index that needs a vector: its key and its text."""

    doc_id: str
    fingerprint: str
    order: int
    text: str
    kind: str = ""  # its layout kind, kept so ranking need not read the block to weigh it


@frozen_dataclass
class VectorUpdate:
    """What a vector update did: blocks with vectors, how many were embedded, and the time."""

    blocks: int
    embedded: int
    seconds: float


def generations(index_dir: Path) -> list[int]:
    """Return the generations that have a complete vector set, newest first."""
    found: dict[int, set[str]] = {}
    for path in index_dir.glob("vectors-*"):
        match = FILE_PATTERN.match(path.name)
        if match:
            found.setdefault(int(match.group(1)), set()).add(match.group(2))
    return sorted((g for g, kinds in found.items() if {"json", "npz"} <= kinds), reverse=True)


def has_vectors(index_dir: Path) -> bool:
    """True when the index keeps block vectors (of any generation)."""
    return bool(generations(index_dir))


def was_asked(index_dir: Path) -> bool:
    """True when the newest vector set was asked for (`--vectors`), not made by default."""
    found = generations(index_dir)
    return bool(found) and bool(_read_meta(index_dir, found[0]).get("asked"))


def remove(index_dir: Path, keep: int | None = None) -> None:
    """Delete every vector set, or every one but generation `keep`."""
    for path in index_dir.glob("vectors-*"):
        match = FILE_PATTERN.match(path.name)
        if match and int(match.group(1)) != keep:
            path.unlink(missing_ok=True)


def update(index_dir: Path, generation: int, live: Iterable[LiveBlock], embedder: Embedder,
           asked: bool, progress: Callable[[int, int], None] | None = None) -> VectorUpdate:
    """Write the vector set of `generation`: old rows re-used where the article is unchanged,
    the other blocks embedded; then delete older sets."""
    import time

    import numpy as np

    started = time.perf_counter()
    blocks = list(live)
    previous = _previous_rows(index_dir)
    rows = [previous.get((block.doc_id, block.fingerprint, block.order)) for block in blocks]
    missing = [number for number, row in enumerate(rows) if row is None]
    fresh = _embed([blocks[number].text for number in missing], embedder, progress)
    matrix = np.zeros((len(blocks), fresh.shape[1] if len(missing) else 384), dtype=np.float16)
    for number, row in enumerate(rows):
        if row is not None:
            matrix[number] = row
    if missing:
        matrix[missing] = fresh.astype(np.float16)
    _write_set(index_dir, generation, blocks, matrix, asked)
    remove(index_dir, keep=generation)
    return VectorUpdate(len(blocks), len(missing), round(time.perf_counter() - started, 3))


def _embed(texts: list[str], embedder: Embedder,
           progress: Callable[[int, int], None] | None) -> np.ndarray:
    """Return the vectors of texts, reporting progress every EMBED_CHUNK texts."""
    import numpy as np

    parts = []
    for first in range(0, len(texts), EMBED_CHUNK):
        parts.append(embedder.embed(texts[first:first + EMBED_CHUNK]))
        if progress is not None:
            progress(min(first + EMBED_CHUNK, len(texts)), len(texts))
    return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)


def _previous_rows(index_dir: Path) -> dict[tuple[str, str, int], Any]:
    """Return the newest set's rows by (doc_id, fingerprint, order), to re-use them."""
    found = generations(index_dir)
    if not found:
        return {}
    stored = BlockVectors.read(index_dir, found[0])
    if stored is None:
        return {}
    return {(stored.doc_ids[article], stored.fingerprints[article], int(order)): row
            for article, order, row in zip(stored.article, stored.order, stored.matrix,
                                           strict=True)}


def _write_set(index_dir: Path, generation: int, blocks: list[LiveBlock], matrix: np.ndarray,
               asked: bool) -> None:
    """Write the two files of a set; the .json last, so a set is complete once it exists."""
    import numpy as np

    doc_ids = sorted({block.doc_id for block in blocks})
    number = {doc_id: position for position, doc_id in enumerate(doc_ids)}
    fingerprints = {block.doc_id: block.fingerprint for block in blocks}
    base = index_dir / f"vectors-{generation}"
    temporary = base.with_suffix(".tmp.npz")
    kinds = sorted({block.kind for block in blocks})
    np.savez(temporary, vectors=matrix,
             article=np.array([number[block.doc_id] for block in blocks], dtype=np.int32),
             order=np.array([block.order for block in blocks], dtype=np.int32),
             kind=np.array([kinds.index(block.kind) for block in blocks], dtype=np.uint8))
    os.replace(temporary, base.with_suffix(".npz"))
    if ann.wanted(len(blocks)):
        ann.build(base.with_suffix(".usearch"), matrix)
    meta = {"model": MODEL_ID, "generation": generation, "asked": asked, "doc_ids": doc_ids,
            "fingerprints": [fingerprints[doc_id] for doc_id in doc_ids], "kinds": kinds}
    text_path = base.with_suffix(".json")
    text_path.with_suffix(".tmp").write_text(json.dumps(meta), encoding="utf-8")
    os.replace(text_path.with_suffix(".tmp"), text_path)


def _read_meta(index_dir: Path, generation: int) -> dict:
    try:
        return json.loads((index_dir / f"vectors-{generation}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@dataclass
class BlockVectors:
    """The block vectors of one index generation, their keys, and the graph to search them."""

    doc_ids: list[str]
    fingerprints: list[str]
    article: np.ndarray  # row -> position in doc_ids
    order: np.ndarray  # row -> block order within its article
    matrix: np.ndarray  # (blocks, 384): float32, or float16 as stored when a graph finds rows
    graph: ann.Graph | None = None
    kinds: list[str] | None = None  # the kinds the `kind` codes name (None: a set without them)
    kind: np.ndarray | None = None  # row -> position in kinds
    _rows: dict[tuple[str, int], int] | None = None

    @classmethod
    def read(cls, index_dir: Path, generation: int) -> BlockVectors | None:
        """Return the vectors of `generation`, or None when that set is missing or unreadable.

        With a graph, the float16 matrix is kept as stored (half the memory; it is read for the
        candidates only); without one it is made float32 once, for the scans.
        """
        import numpy as np

        meta = _read_meta(index_dir, generation)
        if meta.get("model") != MODEL_ID or meta.get("generation") != generation:
            return None
        try:
            with np.load(index_dir / f"vectors-{generation}.npz") as data:
                matrix, article, order = data["vectors"], data["article"], data["order"]
                kind = data["kind"] if "kind" in data.files else None
        except (OSError, ValueError, KeyError):
            return None
        graph = _read_graph(index_dir / f"vectors-{generation}.usearch", len(matrix))
        if graph is None:
            matrix = matrix.astype(np.float32)
        return cls(meta["doc_ids"], meta["fingerprints"], article, order, matrix, graph,
                   meta.get("kinds") if kind is not None else None, kind)

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    def cosines(self, query_vector: np.ndarray) -> np.ndarray:
        """Return the cosine of the query with every block (vectors are unit length)."""
        return self.matrix @ query_vector.astype(self.matrix.dtype)

    def similarity(self, rows: list[int], query_vector: np.ndarray) -> np.ndarray:
        """Return the cosine of the query with the blocks of `rows`, in that order."""
        import numpy as np

        return self.matrix[rows].astype(np.float32) @ query_vector.astype(np.float32)

    def nearest(self, query_vector: np.ndarray, count: int) -> list[tuple[int, float]]:
        """Return (row, cosine) of the `count` blocks nearest the query, nearest first: found
        by the graph when there is one (approximately), else by scanning every vector."""
        import numpy as np

        count = min(count, len(self))
        if count <= 0:
            return []
        if self.graph is not None:
            rows = self.graph.nearest(query_vector, count)
            cosines = self.similarity(rows, query_vector)
        else:
            every = self.cosines(query_vector)
            rows = [int(row) for row in np.argpartition(-every, count - 1)[:count]]
            cosines = every[rows]
        found = [(row, float(cosine)) for row, cosine in zip(rows, cosines, strict=True)]
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))  # ties in row order

    def key(self, row: int) -> tuple[str, int]:
        """Return the (doc_id, order) of a row."""
        return self.doc_ids[int(self.article[row])], int(self.order[row])

    def kind_of(self, key: tuple[str, int]) -> str | None:
        """Return the layout kind of a block, or None when the set does not keep kinds."""
        row = self.rows().get(key)
        if row is None or self.kind is None or self.kinds is None:
            return None
        return self.kinds[int(self.kind[row])]

    def rows(self) -> dict[tuple[str, int], int]:
        """Return each block's row, by (doc_id, order); made once (300,000 blocks: ~0.3 s)."""
        if self._rows is None:
            self._rows = {self.key(row): row for row in range(len(self))}
        return self._rows


def _read_graph(path: Path, rows: int) -> ann.Graph | None:
    """Return the set's graph, or None when it has none (or one that does not fit its rows)."""
    if not path.is_file():
        return None
    try:
        graph = ann.Graph(path)
    except (OSError, ValueError, RuntimeError):
        return None
    return graph if len(graph) == rows else None
