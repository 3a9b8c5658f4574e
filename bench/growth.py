"""How query latency grows with the corpus, measured side by side in one process.

    .venv/bin/python bench/growth.py --work DIR [--sizes 100,300] [--passes 3]

`scale.py` measures each corpus in its own column, one after the other; on a shared machine
the load changes between columns (its 10 -> 100 MB growth line once read 5.1x for that reason
alone). Here the indexes `scale.py --work DIR` left behind (`s100-ours`, `s100-whoosh`,
`s300-ours`, ...) are opened together and each query goes to all of them back to back, the
order rotating from query to query, after a warm-up pass: seedsearch and plain Whoosh at every
size, so load falls on all alike. Printed per kind of query (plain words, AND, phrase): the p50
of each engine at each size, and the growth of each engine's p50 from the smallest size to
the largest (issue 9's target: seedsearch's plain-word p50 at 300 MB at most 2x its 100 MB one).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sidebyside import SYNTHETIC_QUERIES, PlainWhoosh

from bench import freeze_code

Engine = Callable[[str, str], object]  # (kind, text) -> hits


def open_engines(work: Path, sizes: list[str]) -> dict[tuple[str, str], Engine]:
    """Our library and plain Whoosh at every size, as (engine, size) -> search call."""
    import search

    engines: dict[tuple[str, str], Engine] = {}
    for size in sizes:
        library = search.open(work / f"s{size}-ours")
        plain = PlainWhoosh(work / f"s{size}-whoosh")
        engines[("seedsearch", size)] = lambda kind, text, lib=library: lib.search(text, limit=10)
        engines[("plain Whoosh", size)] = lambda kind, text, plain=plain: plain.search(kind, text)
    return engines


def rotating_times(engines: dict[tuple[str, str], Engine], queries: list[tuple[str, str]],
                   passes: int) -> dict[tuple[str, str], list[float]]:
    """Per engine, each query's median time over the passes, the engines' order rotating."""
    names = list(engines)
    for kind, text in queries:  # warm-up: the index files read once by every engine
        for name in names:
            engines[name](kind, text)
    times: dict[tuple[str, str], list[list[float]]] = {name: [[] for _ in queries]
                                                       for name in names}
    for run in range(passes):
        for number, (kind, text) in enumerate(queries):
            turn = (run + number) % len(names)
            for name in names[turn:] + names[:turn]:
                started = time.perf_counter()
                engines[name](kind, text)
                times[name][number].append(time.perf_counter() - started)
    return {name: [statistics.median(each) for each in per_query]
            for name, per_query in times.items()}


def report(medians: dict[tuple[str, str], list[float]], queries: list[tuple[str, str]],
           sizes: list[str]) -> str:
    lines = []
    for kind in ("plain", "and", "phrase"):
        numbers = [n for n, (each, _) in enumerate(queries) if each == kind]
        for engine in ("seedsearch", "plain Whoosh"):
            p50 = [statistics.median(medians[(engine, size)][n] for n in numbers) * 1000
                   for size in sizes]
            cells = "  ".join(f"{size} MB {value:6.0f} ms"
                              for size, value in zip(sizes, p50, strict=True))
            spread = "  ".join(f"p90/max {size} MB {_quantile(medians[(engine, size)], numbers, 0.9):.0f}"
                               f"/{max(medians[(engine, size)][n] for n in numbers) * 1000:.0f}"
                               for size in sizes)
            lines.append(f"{kind:6} {engine:12}  {cells}  growth {p50[-1] / p50[0]:.2f}x  "
                         f"{spread}")
    return "\n".join(lines)


def _quantile(times: list[float], numbers: list[int], share: float) -> float:
    """The share-quantile in ms of the given queries' times (nearest rank)."""
    ordered = sorted(times[n] for n in numbers)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True,
                        help="the folder scale.py --work built the indexes in")
    parser.add_argument("--sizes", default="100,300", help="sizes in MB, smallest first")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    sizes = [size for size in args.sizes.split(",") if size]
    work = args.work.resolve()
    missing = [f"s{size}-{kind}" for size in sizes for kind in ("ours", "whoosh")
               if not (work / f"s{size}-{kind}").is_dir()]
    if missing:
        print(f"growth.py: no index {', '.join(missing)} in {work}; build them with "
              f"scale.py --sizes {args.sizes} --work {work}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="seedsearch-growth-") as tmp:
        version = freeze_code(Path(tmp))
        engines = open_engines(work, sizes)
        medians = rotating_times(engines, SYNTHETIC_QUERIES, args.passes)
    print(f"growth side by side, {version}, {args.passes} passes, "
          f"{len(SYNTHETIC_QUERIES)} queries")
    print(report(medians, SYNTHETIC_QUERIES, sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
