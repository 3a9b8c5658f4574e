"""How seedsearch grows with the corpus, beside plain Whoosh: one table, a column per corpus.

    .venv/bin/python bench/scale.py --sizes 10,100,300 [--dictionaries] [--incremental 50]

For each synthetic size (and the real-text dictionaries): indexing MB/s and the peak memory
of all indexing processes together (ours and Whoosh's multi-process writer, each in a fresh
interpreter), index size against the corpus, query latency side by side with plain Whoosh
(`sidebyside.py`), `lib.verify` per quotation, and one cold `seedsearch search` command.
`--incremental N` then makes N indexing runs that each change three articles of the smallest
corpus (`--incremental-mb` names another size) and compares query latency on the result with a
fresh build of the same files; the median and the slowest run are printed (one run that folds
large segments is what a user waits for).
Nothing is asserted; the targets of issue 9 are printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from dictionaries import dictionary_corpus
from dictionaries import quotations as dictionary_quotations
from sidebyside import DICTIONARY_QUERIES, SYNTHETIC_QUERIES, PlainWhoosh, side_by_side, summary
from synthetic import MB, quotations, synthetic_corpus

from bench import ENGINE, folder_bytes, freeze_code, log, median, run_command

WARM_UP_QUOTES = ["the civil war ruined the already feeble Russian economy",
                  "Nobody in the harbour of Tromso ever sold a red umbrella on a Tuesday."]


def tree_memory_mb(root: int) -> tuple[float, float]:
    """Return the resident memory of a process and all its descendants, in MB (Linux /proc):
    the plain sum of their RSS, which counts the pages a forked worker shares with its parent
    once per process, and the sum of their PSS (proportional set size: a shared page split
    between its sharers), which counts each page once."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    family, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in family]
        family.update(children)
        frontier.extend(children)
    return (sum(rss.get(pid, 0) for pid in family) / MB,
            sum(proportional_kb(pid) for pid in family) * 1024 / MB)


def proportional_kb(pid: int) -> int:
    """A process's PSS in kB (0 when it is gone or the kernel does not say)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def index_with_peak(kind: str, corpus: Path, index_dir: Path) -> dict:
    """Index in a fresh interpreter (bench.py --child), sampling the whole process tree's RSS."""
    shutil.rmtree(index_dir, ignore_errors=True)
    command = [sys.executable, str(Path(__file__).with_name("bench.py")), "--child", kind,
               str(corpus), str(index_dir)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0, 0.0]

    def sample() -> None:
        while proc.poll() is None:
            rss, pss = tree_memory_mb(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, errors = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"indexing with {kind} failed: {errors[-300:]}")
    return dict(json.loads(output), peak_tree_mb=peak[0], peak_tree_pss_mb=peak[1])


def measure_corpus(name: str, corpus: Path, queries: list[tuple[str, str]],
                   quotes: list[tuple[str, str]], work: Path, passes: int) -> dict:
    """Every figure of one column of the table."""
    import search

    corpus_mb = folder_bytes(corpus) / MB
    built = {}
    for kind in ("ours", "whoosh"):
        record = work / f"{name}-{kind}.json"
        if record.exists():  # --work with an index built by an earlier run: its figures
            log(f"  {name}: reusing the {kind} index built earlier")
            built[kind] = json.loads(record.read_text())
            continue
        log(f"  {name}: indexing with {kind}")
        built[kind] = index_with_peak(kind, corpus, work / f"{name}-{kind}")
        record.write_text(json.dumps(built[kind]))
    ours_dir, whoosh_dir = work / f"{name}-ours", work / f"{name}-whoosh"
    log(f"  {name}: queries side by side")
    library = search.open(ours_dir)
    plain = PlainWhoosh(whoosh_dir)
    latencies = side_by_side(library, plain, queries, passes)
    plain.close()
    log(f"  {name}: quotations")
    for text in WARM_UP_QUOTES:
        library.verify(text)
    verify_times = []
    for _, text in quotes:
        started = time.perf_counter()
        library.verify(text)
        verify_times.append(time.perf_counter() - started)
    library.close()
    cold = [run_command([ENGINE, "search", queries[3][1], "--index", str(ours_dir), "--json",
                         "--limit", "10"])[0] for _ in range(5)]
    return {"corpus_mb": corpus_mb, "built": built, "latencies": latencies,
            "verify": verify_times, "cold": cold,
            "index_ratio": folder_bytes(ours_dir) / MB / corpus_mb,
            "whoosh_index_ratio": folder_bytes(whoosh_dir) / MB / corpus_mb}


def change_articles(corpus: Path, rng: random.Random, count: int = 3) -> None:
    """Append a paragraph of one article to `count` others (an editor's day of changes)."""
    files = sorted(corpus.rglob("*.txt"))
    for path in rng.sample(files, count):
        donor = rng.choice(files).read_text(encoding="utf-8").split("\n\n")
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n" + rng.choice(donor[2:] or donor).strip() + "\n")


def measure_incremental(corpus: Path, runs: int, work: Path, passes: int) -> dict:
    """N incremental runs changing a few articles, then latency against a fresh build."""
    import search

    copy = work / "incremental-corpus"
    for folder in (copy, work / "incremental-index", work / "fresh-index"):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(corpus, copy)
    grown = work / "incremental-index"
    search.build([copy], grown)
    rng = random.Random(50)
    seconds = []
    for run in range(runs):
        change_articles(copy, rng)
        started = time.perf_counter()
        search.build([copy], grown)
        seconds.append(time.perf_counter() - started)
        if run % 10 == 9:
            log(f"  incremental run {run + 1}/{runs}")
    fresh = work / "fresh-index"
    search.build([copy], fresh, rebuild=True)
    segments = len(list(grown.glob("*.seg"))) + len(list(grown.glob("MAIN_*.trm")))
    queries = [text for _, text in SYNTHETIC_QUERIES]
    times: dict[str, list[list[float]]] = {"grown": [[] for _ in queries],
                                           "fresh": [[] for _ in queries]}
    libraries = {"grown": search.open(grown), "fresh": search.open(fresh)}
    for library in libraries.values():
        for text in queries:
            library.search(text)
    for run in range(passes):
        for number, text in enumerate(queries):
            order = ["grown", "fresh"] if (run + number) % 2 == 0 else ["fresh", "grown"]
            for name in order:
                started = time.perf_counter()
                libraries[name].search(text)
                times[name][number].append(time.perf_counter() - started)
    for library in libraries.values():
        library.close()
    grown_p50 = median([median(t) for t in times["grown"]])
    fresh_p50 = median([median(t) for t in times["fresh"]])
    return {"runs": runs, "run_seconds_median": median(seconds),
            "run_seconds_max": max(seconds, default=0.0), "segment_files": segments,
            "grown_p50": grown_p50, "fresh_p50": fresh_p50, "ratio": grown_p50 / fresh_p50}


def rows(columns: dict[str, dict]) -> list[tuple[str, str, list[str]]]:
    """Return (figure, target, value per column) for the table."""
    def ms(value: float) -> str:
        return f"{value * 1000:.0f}"

    table: list[tuple[str, str, list[str]]] = []
    values = list(columns.values())
    for kind in ("plain", "and", "phrase"):
        ours = [summary(v["latencies"].ours.get(kind, [0.0])) for v in values]
        theirs = [summary(v["latencies"].whoosh.get(kind, [0.0])) for v in values]
        table.append((f"{kind} query p50 / p90 / max, ms: seedsearch",
                      "p90 <= 150, max <= 500" if kind == "plain" else "",
                      [" / ".join(ms(x) for x in o) for o in ours]))
        table.append((f"{kind} query p50 / p90 / max, ms: plain Whoosh", "",
                      [" / ".join(ms(x) for x in t) for t in theirs]))
        table.append((f"{kind} p50 ratio seedsearch / plain Whoosh", "<= 1.0",
                      [f"{o[0] / t[0]:.2f}" if t[0] else "-" for o, t in zip(ours, theirs,
                                                                             strict=True)]))
    table.append(("lib.verify p50 / p90 / max, ms", "100 / 250 at 100 MB",
                  [" / ".join(ms(x) for x in summary(v["verify"])) for v in values]))
    table.append(("cold `seedsearch search`, median of 5, ms", "<= 300 at 100 MB",
                  [ms(median(v["cold"])) for v in values]))
    for kind, label in (("ours", "seedsearch"), ("whoosh", "Whoosh MP writer")):
        table.append((f"indexing MB/s, {label}", ">= 2" if kind == "ours" else "",
                      [f"{v['corpus_mb'] / v['built'][kind]['seconds']:.2f}" for v in values]))
        table.append((f"peak RSS of all processes, MB, {label}",
                       "<= 500, flat" if kind == "ours" else "",
                      [f"{v['built'][kind]['peak_tree_mb']:.0f}" for v in values]))
        table.append((f"peak PSS of all processes, MB, {label}", "",
                      [f"{v['built'][kind].get('peak_tree_pss_mb', 0):.0f}" for v in values]))
    table.append(("index size / corpus, seedsearch", "<= 2.5",
                  [f"{v['index_ratio']:.2f}" for v in values]))
    table.append(("index size / corpus, plain Whoosh", "",
                  [f"{v['whoosh_index_ratio']:.2f}" for v in values]))
    return table


def render(columns: dict[str, dict], header: str) -> str:
    """Return the table: one row per figure, one column per corpus."""
    table = rows(columns)
    names = [f"{name} ({v['corpus_mb']:.0f} MB)" for name, v in columns.items()]
    width = max(len(label) for label, _, _ in table) + 2
    cell = max(18, *(len(n) + 2 for n in names))
    lines = [header, "", f"{'figure':<{width}}{'target':<22}" + "".join(f"{n:>{cell}}"
                                                                         for n in names)]
    lines.append("-" * (width + 22 + cell * len(names)))
    for label, target, cells in table:
        lines.append(f"{label:<{width}}{target:<22}" + "".join(f"{c:>{cell}}" for c in cells))
    return "\n".join(lines)


def growth(columns: dict[str, dict], small: str, large: str) -> str:
    """Return the plain-query p50 growth from one synthetic size to another."""
    if small not in columns or large not in columns:
        return ""
    before = statistics.median(columns[small]["latencies"].ours["plain"])
    after = statistics.median(columns[large]["latencies"].ours["plain"])
    return f"plain query p50 growth {small} -> {large}: {after / before:.2f}x (target <= 2)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100", help="synthetic sizes in MB (10,100,300)")
    parser.add_argument("--dictionaries", action="store_true",
                        help="add the real-text dictionaries corpus (bench/dictionaries.py)")
    parser.add_argument("--incremental", type=int, default=0,
                        help="incremental runs on the smallest synthetic corpus (50)")
    parser.add_argument("--incremental-mb", type=float,
                        help="the synthetic size for --incremental (default: the smallest)")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the queries")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--work", type=Path, help="keep the indexes here and reuse those "
                        "already built (their indexing figures too); default: a temporary folder")
    args = parser.parse_args()
    sizes = [float(size) for size in args.sizes.split(",") if size]
    incremental_mb = args.incremental_mb or min(sizes, default=10.0)
    columns: dict[str, dict] = {}
    started = time.strftime("%Y-%m-%d %H:%M")
    with tempfile.TemporaryDirectory(prefix="seedsearch-scale-") as tmp:
        version = freeze_code(Path(tmp))
        work = args.work.resolve() if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            log(f"synthetic {size:g} MB")
            corpus = synthetic_corpus(size)
            columns[f"synthetic {size:g}"] = measure_corpus(
                f"s{size:g}", corpus, SYNTHETIC_QUERIES, quotations(random.Random(5)), work,
                args.passes)
        if args.dictionaries:
            log("dictionaries (GCIDE + FOLDOC)")
            corpus = dictionary_corpus()
            columns["dictionaries"] = measure_corpus(
                "dict", corpus, DICTIONARY_QUERIES, dictionary_quotations(corpus,
                                                                          random.Random(5)),
                work, args.passes)
        incremental = (measure_incremental(synthetic_corpus(incremental_mb), args.incremental,
                                           work, args.passes) if args.incremental else None)
    if args.json:
        print(json.dumps({"started": started, "code": version, "columns": columns,
                          "incremental": incremental}, default=lambda o: o.__dict__, indent=1))
        return 0
    header = f"seedsearch scale benchmark started {started}, {version}, {os.cpu_count()} CPUs"
    print(render(columns, header))
    names = [f"synthetic {size:g}" for size in sizes]
    if len(names) > 1:
        print(growth(columns, names[-2] if "synthetic 300" in names else names[0], names[-1]))
    if incremental:
        print(f"after {incremental['runs']} incremental runs ({incremental_mb:g} MB, median run "
              f"{incremental['run_seconds_median']:.2f} s, slowest "
              f"{incremental['run_seconds_max']:.2f} s, {incremental['segment_files']} "
              f"segment files): query p50 {incremental['grown_p50'] * 1000:.0f} ms vs fresh "
              f"build {incremental['fresh_p50'] * 1000:.0f} ms = {incremental['ratio']:.2f}x "
              "(target <= 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
