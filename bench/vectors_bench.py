"""What block vectors cost: indexing seconds with and without them, and query latency.

    .venv/bin/python bench/vectors_bench.py                       # seeds and 1 MB, 10 MB without
    .venv/bin/python bench/vectors_bench.py --sizes 1 10 100 --vectors-up-to 10

For each corpus (the seeds, then synthetic corpora of the sizes given, made by synthetic.py):
  - indexing: `search.build(..., rebuild=True)` in a fresh interpreter, without vectors and
    with them (up to --vectors-up-to MB; above it the time with vectors is estimated from the
    embedding rate measured on the largest corpus embedded, and marked "est.");
  - query latency: the 55 queries of the judged set and the eval dev set, `lib.search(q)` in
    process after a warm-up pass, median and p90 over the queries, with vectors and with
    `vectors=False` on the same index. Where the index was built without vectors, a set of
    random unit vectors of the right shape is written for it (marked "random"): the latency
    is real, the ranking is meaningless;
  - on the seeds, the cold `seedsearch search` command (start-up included), median of 5.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (bench/ is a folder of scripts, not a package)

ROOT = Path(__file__).resolve().parent.parent
ENGINE = Path(sys.executable).parent / "seedsearch"
BUILD = ("import json, sys, search; r = search.build([sys.argv[1]], sys.argv[2], rebuild=True, "
         "vectors=sys.argv[3] == 'on'); print(json.dumps(r.to_dict()))")


def build(corpus: Path, index_dir: Path, vectors: bool) -> dict:
    """Index a corpus in a fresh interpreter; return the report with the wall time added."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", BUILD, str(corpus), str(index_dir),
                           "on" if vectors else "off"], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    report = json.loads(done.stdout)
    report["wall"] = time.perf_counter() - started
    return report


def queries() -> list[str]:
    """The judged set's and the eval dev set's queries."""
    texts = []
    for path in (ROOT / "bench" / "judged_queries.jsonl", Path("/work/shared/eval/dev_queries.jsonl")):
        if path.is_file():
            texts += [json.loads(line)["query"] for line in path.read_text().splitlines() if line]
    return texts


def latency(index_dir: Path, vectors: bool) -> tuple[float, float]:
    """Return median and p90 seconds of `lib.search(q)` over the queries, after a warm-up."""
    import search

    with search.open(index_dir) as library:
        for text in queries():
            library.search(text, vectors=vectors)
        times = []
        for text in queries():
            started = time.perf_counter()
            library.search(text, vectors=vectors)
            times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def random_vectors(index_dir: Path) -> None:
    """Write a set of random unit vectors for every block of an index (latency only)."""
    import numpy as np

    import search
    from search import vectors
    from search.engine import vector_index
    from search.engine.index import open_whoosh

    live = vector_index.live_blocks(open_whoosh(index_dir))
    rng = np.random.default_rng(1917)
    matrix = rng.standard_normal((len(live), 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    with search.open(index_dir) as library:
        generation = library.store.generation
    vectors._write_set(index_dir, generation, live, matrix.astype(np.float16), asked=True)


def cold_search(index_dir: Path, runs: int = 5) -> float:
    """Median wall time of one `seedsearch search` command, start-up included."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(ENGINE), "search", "kronstadt uprising", "--index", str(index_dir),
                        "--json", "--limit", "10"], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(name: str, corpus: Path, with_vectors: bool, rate: float | None, tmp: Path) -> dict:
    """Return one corpus's figures; `rate` is blocks embedded per second, for estimates."""
    row: dict = {"corpus": name}
    words_only = build(corpus, tmp / f"{name}-words", vectors=False)
    row.update(blocks=words_only["blocks"], index_words=words_only["wall"])
    if with_vectors:
        both = build(corpus, tmp / f"{name}-vectors", vectors=True)
        row.update(index_vectors=both["wall"], vector_seconds=both["vector_seconds"],
                   rate=both["vectors"] / max(both["vector_seconds"], 1e-9))
        index_dir, kind = tmp / f"{name}-vectors", "real"
    else:
        if rate:
            row.update(index_vectors=words_only["wall"] + words_only["blocks"] / rate,
                       estimated=True)
        random_vectors(tmp / f"{name}-words")
        index_dir, kind = tmp / f"{name}-words", "random"
    row["latency_vectors"] = latency(index_dir, vectors=True)
    row["latency_words"] = latency(index_dir, vectors=False)
    row["vectors_kind"] = kind
    if name == "seeds":
        row["cold_vectors"] = cold_search(tmp / "seeds-vectors") if with_vectors else None
        row["cold_words"] = cold_search(tmp / "seeds-words-copy") if _copy_words(tmp) else None
    return row


def _copy_words(tmp: Path) -> bool:
    """Keep a vector-free copy of the seeds index for the cold command (random vectors are
    written into the words-only index later)."""
    shutil.copytree(tmp / "seeds-words", tmp / "seeds-words-copy")
    for path in (tmp / "seeds-words-copy").glob("vectors-*"):
        path.unlink()
    return True


def render(rows: list[dict]) -> str:
    """Return the figures as a table."""
    lines = [f"{'corpus':<8}{'blocks':>8}{'index, words':>14}{'with vectors':>16}"
             f"{'query words (med/p90)':>24}{'query + vectors (med/p90)':>28}"]
    for row in rows:
        estimate = " est." if row.get("estimated") else ""
        with_vectors = (f"{row['index_vectors']:.1f} s{estimate}" if "index_vectors" in row
                        else "-")
        words, both = row["latency_words"], row["latency_vectors"]
        lines.append(f"{row['corpus']:<8}{row['blocks']:>8}{row['index_words']:>12.1f} s"
                     f"{with_vectors:>16}{1000 * words[0]:>13.0f} / {1000 * words[1]:.0f} ms"
                     f"{1000 * both[0]:>15.0f} / {1000 * both[1]:.0f} ms ({row['vectors_kind']})")
    seeds = rows[0]
    if seeds.get("cold_vectors"):
        lines.append(f"cold `seedsearch search` on the seeds: {1000 * seeds['cold_words']:.0f} ms "
                     f"without vectors, {1000 * seeds['cold_vectors']:.0f} ms with")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="*", default=[1.0, 10.0],
                        help="synthetic corpus sizes in MB (besides the seeds)")
    parser.add_argument("--vectors-up-to", type=float, default=1.0,
                        help="build with vectors only up to this size (MB); estimate above")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows, rate = [], None
    with tempfile.TemporaryDirectory(prefix="seedsearch-vectors-") as tmp_name:
        tmp = Path(tmp_name)
        corpora = [("seeds", ROOT / "seeds", True)] + [
            (f"{size:g}MB", synthetic.synthetic_corpus(size), size <= args.vectors_up_to)
            for size in args.sizes]
        for name, corpus, with_vectors in corpora:
            print(f"measuring {name}...", file=sys.stderr, flush=True)
            row = measure(name, corpus, with_vectors, rate, tmp)
            rate = row.get("rate", rate)
            rows.append(row)
    print(json.dumps(rows, indent=1) if args.json else render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
