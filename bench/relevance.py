"""Score seedsearch's ranking on the judged query set, beside plain Whoosh, in one table.

Systems, each on a fresh index of the seeds built in this run:

    seedsearch           the index built with vectors (hybrid ranking)
    seedsearch lexical   the same seeds indexed with --no-vectors (words only)
    Whoosh BM25F, OR     one document per blank-line paragraph, StemmingAnalyzer, OR grouping

Columns: the development half of bench/judged_queries.jsonl, its held-out half (only with
--held-out: keep it unlooked-at while tuning), and the 8 development queries of
/work/shared/eval. Scores are run.py's: a hit earns a judgment when its file matches and the
judged line lies within its line span, each judgment is credited once, gains are the grades.

    .venv/bin/python bench/relevance.py                 # in process, development columns
    .venv/bin/python bench/relevance.py --held-out      # all columns (the final measurement)
    .venv/bin/python bench/relevance.py --cli           # through `seedsearch search --json`
    .venv/bin/python bench/relevance.py --per-query --only development
    .venv/bin/python bench/relevance.py --by-kind --only development
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline  # noqa: E402  (bench/ is a folder of scripts, not a package)

ROOT = Path(__file__).resolve().parent.parent
JUDGED = Path(__file__).resolve().parent / "judged_queries.jsonl"
Searcher = Callable[[str], list[dict]]


def load_columns(eval_dir: Path, held_out: bool, scorer) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    """Return the query sets to score, by column name."""
    judged = scorer.load_jsonl(JUDGED)
    columns = {"judged dev": [q for q in judged if q["half"] == "development"]}
    if held_out:
        columns["judged held-out"] = [q for q in judged if q["half"] == "held-out"]
    columns["eval dev"] = scorer.load_jsonl(eval_dir / "dev_queries.jsonl")
    return columns


def library_searcher(index_dir: Path) -> Searcher:
    """Return a function giving the top hits of `Library.search`, shaped like the CLI's JSON."""
    import search

    library = search.open(index_dir)

    def run(text: str) -> list[dict]:
        return [{"doc": {"path": hit.doc.path}, "line_start": hit.line_start,
                 "line_end": hit.line_end} for hit in library.search(text, limit=baseline.LIMIT)]

    return run


def cli_searcher(index_dir: Path) -> Searcher:
    """Return a function giving the top hits of `seedsearch search --json`, as run.py reads them."""
    return lambda text: baseline.engine_hits(index_dir, text)


def whoosh_searcher(seeds: Path, index_dir: Path) -> Searcher:
    """Return a function giving plain Whoosh's top hits (OR grouping)."""
    from whoosh.qparser import OrGroup

    whoosh_index = baseline.build_baseline(seeds, index_dir)
    return lambda text: baseline.baseline_hits(whoosh_index, text, OrGroup)


def build_engine_index(seeds: Path, index_dir: Path, vectors: bool) -> float:
    """Index the seeds with the command line, with or without vectors; return the seconds taken."""
    command = [str(baseline.ENGINE), "index", str(seeds), "--index", str(index_dir)]
    usage = subprocess.run([str(baseline.ENGINE), "index", "--help"], capture_output=True, text=True)
    if "--vectors" in usage.stdout:  # engines older than vectors index words only
        command.append("--vectors" if vectors else "--no-vectors")
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - started


def score_system(searcher: Searcher, columns: dict[str, list[dict]], scorer) -> dict:  # type: ignore[no-untyped-def]
    """Return per-query scores and search times of one system over every column."""
    scored: dict[str, list[dict]] = {}
    times = []
    for name, queries in columns.items():
        rows = []
        for query in queries:
            started = time.perf_counter()
            hits = searcher(query["query"])
            times.append(time.perf_counter() - started)
            rows.append(dict(baseline.score(hits, query["relevant"], scorer), id=query["id"]))
        scored[name] = rows
    return {"columns": scored, "median_seconds": statistics.median(times)}


def evaluate(seeds: Path, columns: dict[str, list[dict]], use_cli: bool, scorer) -> dict:  # type: ignore[no-untyped-def]
    """Return every system's scores, all measured in this one run on fresh indexes."""
    make = cli_searcher if use_cli else library_searcher
    systems = {}
    with tempfile.TemporaryDirectory(prefix="seedsearch-relevance-") as tmp:
        for name, vectors in (("seedsearch", True), ("seedsearch lexical", False)):
            index_dir = Path(tmp) / name.replace(" ", "-")
            seconds = build_engine_index(seeds, index_dir, vectors)
            systems[name] = score_system(make(index_dir), columns, scorer)
            systems[name]["index_seconds"] = seconds
        whoosh_dir = Path(tmp) / "whoosh"
        whoosh_dir.mkdir()
        systems["Whoosh BM25F, OR"] = score_system(whoosh_searcher(seeds, whoosh_dir), columns, scorer)
    return systems


def render(systems: dict, columns: dict[str, list[dict]], per_query: bool,
           by_kind: bool = False) -> str:
    """Return the table: a row per system, nDCG@10 / MRR / recall@10 per column."""
    width = 22
    head = f"{'':<20}" + "".join(f"{f'{name} ({len(qs)})':>{width}}" for name, qs in columns.items())
    sub = f"{'system':<20}" + "".join(f"{'nDCG  MRR   R@10':>{width}}" for _ in columns)
    lines = [head, sub]
    for name, system in systems.items():
        cells = []
        for column in columns:
            means = baseline.summarise(system["columns"][column])
            cells.append(f"{means['ndcg10']:.3f} {means['rr']:.3f} {means['recall10']:.3f}")
        lines.append(f"{name:<20}" + "".join(f"{cell:>{width}}" for cell in cells)
                     + f"   {1000 * system['median_seconds']:.0f} ms/query")
    if by_kind:
        lines += render_kinds(systems, columns)
    if per_query:
        for column, queries in columns.items():
            lines += ["", f"nDCG@10 per query, {column}"]
            for number, query in enumerate(queries):
                label = f"{query['id']} {query['query']}"[:50]
                lines.append(f"  {label:<50}" + "".join(
                    f"{system['columns'][column][number]['ndcg10']:>8.3f}" for system in systems.values()))
    return "\n".join(lines)


def render_kinds(systems: dict, columns: dict[str, list[dict]]) -> list[str]:
    """Return nDCG@10 / recall@10 per query kind (a query counts once for each of its kinds)."""
    lines = []
    for column, queries in columns.items():
        kinds = sorted({kind.strip() for query in queries
                        for kind in query.get("kind", "").split(",") if kind.strip()})
        if not kinds:
            continue
        lines += ["", f"nDCG@10 / R@10 by kind, {column}: " + " | ".join(systems)]
        for kind in kinds:
            numbers = [n for n, query in enumerate(queries)
                       if kind in (k.strip() for k in query.get("kind", "").split(","))]
            cells = []
            for system in systems.values():
                rows = [system["columns"][column][n] for n in numbers]
                cells.append(f"{statistics.mean(r['ndcg10'] for r in rows):.3f} "
                             f"{statistics.mean(r['recall10'] for r in rows):.3f}")
            lines.append(f"  {kind:<32}{len(numbers):>3}   " + "   ".join(cells))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, default=baseline.EVAL_DIR)
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--held-out", action="store_true", help="also score the held-out half")
    parser.add_argument("--cli", action="store_true", help="search through the command line")
    parser.add_argument("--only", choices=["development", "eval"], help="score one column only")
    parser.add_argument("--per-query", action="store_true", help="also show nDCG@10 per query")
    parser.add_argument("--by-kind", action="store_true",
                        help="also show nDCG@10 and recall@10 per query kind")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    scorer = baseline.load_scorer(args.eval_dir)
    columns = load_columns(args.eval_dir, args.held_out, scorer)
    if args.only:
        columns = {name: qs for name, qs in columns.items()
                   if name.startswith("judged dev" if args.only == "development" else "eval")}
    systems = evaluate(args.seeds, columns, args.cli, scorer)
    if args.json:
        print(json.dumps({name: {"summary": {column: baseline.summarise(rows)
                                             for column, rows in system["columns"].items()},
                                 **system} for name, system in systems.items()}, indent=1))
    else:
        print(render(systems, columns, args.per_query, args.by_kind))
    return 0


if __name__ == "__main__":
    sys.exit(main())
