"""Score a plain-Whoosh baseline and seedsearch on the development queries, side by side.

The baseline is what Whoosh gives with no work: one document per blank-line-separated
paragraph, the default StemmingAnalyzer, default BM25F and the default query parser (AND
grouping; OR grouping is reported too). seedsearch is driven through its command line on a
fresh index of the same seeds, exactly as /work/shared/eval/run.py drives it, and both are
scored with run.py's own `points_at` and `dcg`, so the figures are comparable with run.py's.

    .venv/bin/python bench/baseline.py [--json] [--per-query]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EVAL_DIR = Path("/work/shared/eval")
ENGINE = Path(sys.executable).parent / "seedsearch"
LIMIT = 10


def split_paragraphs(text: str) -> list[tuple[int, int, str]]:
    """Return (first line, last line, text) of each run of non-blank lines; lines count from 1.

    >>> split_paragraphs("a\\nb\\n\\n  \\nc\\n")
    [(1, 2, 'a\\nb'), (5, 5, 'c')]
    """
    paragraphs, lines, first = [], [], 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not lines:
                first = number
            lines.append(line)
        elif lines:
            paragraphs.append((first, first + len(lines) - 1, "\n".join(lines)))
            lines = []
    if lines:
        paragraphs.append((first, first + len(lines) - 1, "\n".join(lines)))
    return paragraphs


def load_scorer(eval_dir: Path):  # type: ignore[no-untyped-def]
    """Return run.py as a module, so its `points_at` and `dcg` judge both systems."""
    spec = importlib.util.spec_from_file_location("eval_run", eval_dir / "run.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"Cannot load {eval_dir / 'run.py'}.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_baseline(seeds: Path, index_dir: Path):  # type: ignore[no-untyped-def]
    """Return a Whoosh index of the seeds: one document per paragraph, default analysis."""
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    schema = fields.Schema(file=fields.ID(stored=True), line_start=fields.STORED(),
                           line_end=fields.STORED(),
                           content=fields.TEXT(analyzer=StemmingAnalyzer()))
    whoosh_index = index.create_in(str(index_dir), schema)
    writer = whoosh_index.writer()
    for path in sorted(seeds.glob("*.txt")):
        for first, last, text in split_paragraphs(path.read_text(encoding="utf-8")):
            writer.add_document(file=path.name, line_start=first, line_end=last, content=text)
    writer.commit()
    return whoosh_index


def baseline_hits(whoosh_index, query_text: str, grouping) -> list[dict]:  # type: ignore[no-untyped-def]
    """Return the top hits of the default parser and BM25F, shaped like seedsearch's JSON."""
    from whoosh.qparser import QueryParser

    parsed = QueryParser("content", whoosh_index.schema, group=grouping).parse(query_text)
    with whoosh_index.searcher() as searcher:
        return [{"doc": {"path": hit["file"]}, "line_start": hit["line_start"],
                 "line_end": hit["line_end"]} for hit in searcher.search(parsed, limit=LIMIT)]


def engine_hits(index_dir: Path, query_text: str) -> list[dict]:
    """Return seedsearch's hits for a query, through `seedsearch search --json` as run.py does."""
    command = [str(ENGINE), "search", query_text, "--index", str(index_dir), "--json",
               "--limit", str(LIMIT)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"seedsearch search failed: {proc.stderr.strip()[-400:]}")
    return json.loads(proc.stdout).get("hits") or []


def score(hits: list[dict], labels: list[dict], scorer) -> dict:  # type: ignore[no-untyped-def]
    """Return nDCG@10, reciprocal rank and recall@10, computed as run.py's score_queries does."""
    credited: set[int] = set()
    gains, first = [], None
    for rank, hit in enumerate(hits[:LIMIT], 1):
        gain = 0
        for number, label in enumerate(labels):
            if number not in credited and scorer.points_at(hit, label):
                credited.add(number)
                gain = max(gain, label.get("grade", 1))
        gains.append(gain)
        if gain and first is None:
            first = rank
    ideal = scorer.dcg(sorted((label.get("grade", 1) for label in labels), reverse=True)[:LIMIT])
    return {"ndcg10": scorer.dcg(gains) / ideal if ideal else 0.0,
            "rr": 1.0 / first if first else 0.0,
            "recall10": len(credited) / len(labels) if labels else 0.0}


def evaluate(seeds: Path, queries: list[dict], scorer) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    """Return per-query scores of each system, all measured in this one run."""
    from whoosh.qparser import AndGroup, OrGroup

    systems: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="seedsearch-baseline-") as tmp:
        whoosh_index = build_baseline(seeds, Path(tmp))
        for name, grouping in (("Whoosh BM25F, AND (default)", AndGroup),
                               ("Whoosh BM25F, OR", OrGroup)):
            systems[name] = [score(baseline_hits(whoosh_index, q["query"], grouping),
                                   q["relevant"], scorer) for q in queries]
        engine_index = Path(tmp) / "seedsearch-index"
        subprocess.run([str(ENGINE), "index", str(seeds), "--index", str(engine_index)],
                       check=True, capture_output=True, timeout=600)
        systems["seedsearch"] = [score(engine_hits(engine_index, q["query"]), q["relevant"],
                                       scorer) for q in queries]
    return systems


def summarise(rows: list[dict]) -> dict[str, float]:
    """Return the mean of each score over the queries, rounded as run.py rounds."""
    return {key: round(statistics.mean(row[key] for row in rows), 3)
            for key in ("ndcg10", "rr", "recall10")}


def render(systems: dict[str, list[dict]], queries: list[dict], per_query: bool) -> str:
    """Return the comparison as a table (and, if asked, nDCG@10 per query)."""
    lines = [f"Development queries: {len(queries)}, on the seeds; judged with run.py's rules",
             f"{'system':<30}{'nDCG@10':>9}{'MRR':>8}{'recall@10':>11}"]
    for name, rows in systems.items():
        means = summarise(rows)
        lines.append(f"{name:<30}{means['ndcg10']:>9.3f}{means['rr']:>8.3f}"
                     f"{means['recall10']:>11.3f}")
    if per_query:
        short = {name: name.split(",")[-1].strip().split()[0] for name in systems}
        lines += ["", f"{'nDCG@10 per query':<40}" + "".join(f"{short[n]:>12}" for n in systems)]
        for number, q in enumerate(queries):
            label = f"{q['id']} {q['query']}"[:40]
            lines.append(f"{label:<40}" + "".join(f"{systems[n][number]['ndcg10']:>12.3f}"
                                                   for n in systems))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR,
                        help="folder holding run.py and dev_queries.jsonl")
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--per-query", action="store_true", help="also show nDCG@10 per query")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    scorer = load_scorer(args.eval_dir)
    queries = scorer.load_jsonl(args.eval_dir / "dev_queries.jsonl")
    systems = evaluate(args.seeds, queries, scorer)
    if args.json:
        print(json.dumps({name: {"summary": summarise(rows),
                                 "queries": [dict(row, id=q["id"]) for q, row in
                                             zip(queries, rows, strict=True)]}
                          for name, rows in systems.items()}, indent=1))
    else:
        print(render(systems, queries, args.per_query))
    return 0


if __name__ == "__main__":
    sys.exit(main())
