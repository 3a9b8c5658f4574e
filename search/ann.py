"""Approximate nearest neighbours of block vectors, for indexes too large to scan.

Below MIN_BLOCKS the blocks nearest a query are found by scanning every vector (one
matrix-vector product: 36,000 blocks, 10 MB of articles, 10 to 40 ms). Above it the scan, and
the float32 copy of the matrix it needs (550 MB at 100 MB of articles), cost more than a
search should, so each vector set of that size gets an HNSW graph beside it, built by usearch
(a maintained single-file vector search library with wheels for every platform we run on; its
import costs ~45 ms after numpy, and a search of 30 neighbours ~2 ms) and memory-mapped when
searched, so a cold command reads only the pages it visits.

The graph holds the same float16 vectors as `vectors-<generation>.npz`, keyed by row. It is
only a way to find candidates: every candidate's cosine is computed again from the exact
vectors, so an approximate neighbour can be missed but is never mis-scored.

    vectors-<generation>.usearch    HNSW graph, cosine metric, float16, key = row
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np  # type: ignore[import-not-found, unused-ignore]

MIN_BLOCKS = 100_000  # about 28 MB of articles: from here a scan costs 40 to 100 ms a query
CONNECTIVITY = 16  # edges a node keeps (usearch's default; HNSW's usual M)
EXPANSION_ADD = 128  # candidates weighed while linking a new node: a better graph, slower build
EXPANSION_SEARCH = 96  # candidates kept while searching: above the 30 + feedback we ask for


def wanted(blocks: int) -> bool:
    """True when a vector set of `blocks` rows should get a graph."""
    return blocks >= MIN_BLOCKS


def build(path: Path, matrix: np.ndarray) -> None:
    """Write the graph of the rows of `matrix` (unit vectors) to `path`."""
    import numpy as np
    from usearch.index import Index

    graph = Index(ndim=matrix.shape[1], metric="cos", dtype="f16", connectivity=CONNECTIVITY,
                  expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
    graph.add(np.arange(len(matrix), dtype=np.uint64), np.asarray(matrix, dtype=np.float16))
    temporary = path.with_suffix(".tmp")
    graph.save(str(temporary))
    temporary.replace(path)


class Graph:
    """A saved graph, memory-mapped: the rows nearest a query vector."""

    def __init__(self, path: Path) -> None:
        from usearch.index import Index

        restored = Index.restore(str(path), view=True)
        if restored is None:
            raise OSError(f"{path} is not a usearch index")
        # A restored index starts at usearch's default expansion; the stubs call the property
        # read-only, but it has a setter (usearch 2.x).
        restored.expansion_search = EXPANSION_SEARCH  # type: ignore[misc]
        self._index: Any = restored

    def __len__(self) -> int:
        return len(self._index)

    def nearest(self, query_vector: np.ndarray, count: int) -> list[int]:
        """Return up to `count` rows near the query, nearest first (approximately)."""
        import numpy as np

        found = self._index.search(np.asarray(query_vector, dtype=np.float32), count)
        return [int(row) for row in found.keys]
