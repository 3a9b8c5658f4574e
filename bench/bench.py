"""Measure seedsearch: indexing speed and memory, search latency, quotation-checking time.

    .venv/bin/python bench/bench.py [--quick] [--size-mb 50] [--runs N] [--json]

Every figure is a median over several runs, and every ratio compares two things measured
side by side, alternately, in the same run: the machines are shared and noisy. Nothing is
asserted; each figure is printed next to its target. A synthetic corpus made from the seeds
is generated once under bench/data/ (git-ignored) and reused. bench/README.md says what each
figure means.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from baseline import split_paragraphs
from synthetic import DATA, MB, SEEDS, corpus_stats, quotations, synthetic_corpus

ROOT = Path(__file__).resolve().parent.parent
ENGINE = str(Path(sys.executable).parent / "seedsearch")
SEARCH_QUERY = "kronstadt uprising"

QUERIES = [
    "kronstadt", "trotsky", "stalinism", "kronstadt uprising", "left opposition",
    "workers state bureaucracy", "permanent revolution", "socialism in one country",
    '"united front"', '"social fascism"', "popular front spain", "third period",
    "kollontai shlyapnikov", "workers opposition", "new economic policy",
    "civil war red army", "peasant revolts", "lenin testament", "trots*", "exil~",
    "bureaucra*", "stalin NOT trotsky", "fascism OR nazism", "author:narai",
    "title:stalinism", "date:[2019 TO 2023] revolution", "moscow trials",
    "industrialisation collectivisation", "revolutionary party democracy",
    "comintern germany hitler", "the", "xyzzy nonexistent",
]

# One quotation from the seeds and one from nowhere, so that whatever verify loads lazily for
# either path (a stemmer, a paraphrase model) is loaded before the timed quotations.
WARM_UP_QUOTES = ["the civil war ruined the already feeble Russian economy",
                  "Nobody in the harbour of Tromso ever sold a red umbrella on a Tuesday."]


@dataclass
class Figure:
    """One measured figure, as printed in the table and in --json."""

    key: str
    label: str
    value: float | None
    unit: str
    target: str = ""
    note: str = ""


@dataclass
class Settings:
    """What a run measures and how many times."""

    quick: bool
    size_mb: float
    runs: int
    seed_index_runs: int
    startup_runs: int
    query_passes: int  # in-process passes over the query set
    cite_runs: int  # passes of lib.verify and `cite --batch` runs on the seeds (corpus: one)


# --------------------------------------------------------------------------- measuring


def median(values: list[float]) -> float:
    """Return the median of values."""
    return statistics.median(values)


def p90(values: list[float]) -> float:
    """Return the 90th percentile of values (the value itself if there is only one)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def run_command(command: list[str], stdin: str | None = None) -> tuple[float, str]:
    """Run a command and return its wall time and standard output; exit 0 or 1 is success."""
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, input=stdin)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command[:3])}... exited {proc.returncode}: "
                           f"{proc.stderr.strip()[-300:]}")
    return elapsed, proc.stdout


def line_times(command: list[str]) -> tuple[float, list[float]]:
    """Run a command that prints one line per item as it finishes; return its wall time and
    the time each line took to arrive after the one before (the first includes start-up)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            bufsize=1)
    arrivals = []
    assert proc.stdout is not None
    for _ in proc.stdout:
        arrivals.append(time.perf_counter())
    _, stderr = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command[:3])}... exited {proc.returncode}: {stderr[-300:]}")
    gaps = [later - earlier for earlier, later in zip([started, *arrivals], arrivals, strict=False)]
    return wall, gaps


def time_command(command: list[str], runs: int) -> list[float]:
    """Return the wall times of running a command several times."""
    return [run_command(command)[0] for _ in range(runs)]


def time_calls(call: Callable[[str], object], items: list[str], passes: int,
               warm_up: list[str]) -> list[float]:
    """Return each item's median time over several passes, after calling warm_up items."""
    for item in warm_up:
        call(item)
    times: list[list[float]] = [[] for _ in items]
    for _ in range(passes):
        for number, item in enumerate(items):
            started = time.perf_counter()
            call(item)
            times[number].append(time.perf_counter() - started)
    return [median(item_times) for item_times in times]


def folder_bytes(folder: Path) -> int:
    """Return the total size of the files under folder."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


# --------------------------------------------------------------------------- child processes


def child_index(kind: str, corpus: Path, index_dir: Path) -> dict:
    """Index corpus with our engine or with Whoosh's multi-process writer; report time and RSS."""
    started = time.perf_counter()
    if kind == "ours":
        import search

        documents = search.build([corpus], index_dir, rebuild=True).blocks
    else:
        documents = index_with_whoosh(corpus, index_dir)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": documents,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "index_mb": folder_bytes(index_dir) / MB}


def index_with_whoosh(corpus: Path, index_dir: Path) -> int:
    """Index corpus paragraphs with Whoosh's own multi-process writer; return the doc count."""
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    schema = fields.Schema(path=fields.ID(stored=True),
                           content=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True))
    index_dir.mkdir(parents=True, exist_ok=True)
    writer = index.create_in(str(index_dir), schema).writer(procs=2, multisegment=True)
    documents = 0
    for path in sorted(corpus.rglob("*.txt")):
        for _, _, text in split_paragraphs(path.read_text(encoding="utf-8")):
            writer.add_document(path=str(path), content=text)
            documents += 1
    writer.commit()
    return documents


def index_in_child(kind: str, corpus: Path, index_dir: Path) -> dict:
    """Run child_index in a fresh interpreter, so its memory and time are its own."""
    shutil.rmtree(index_dir, ignore_errors=True)
    command = [sys.executable, __file__, "--child", kind, str(corpus), str(index_dir)]
    wall, output = run_command(command)
    return dict(json.loads(output), wall=wall)


# --------------------------------------------------------------------------- the measurements


def measure_seed_indexing(settings: Settings, index_dir: Path) -> list[Figure]:
    """Figure 1: wall time of `seedsearch index seeds --rebuild` (leaves the index built)."""
    command = [ENGINE, "index", str(SEEDS), "--index", str(index_dir), "--rebuild"]
    times = time_command(command, settings.seed_index_runs)
    seeds_mb = sum(p.stat().st_size for p in SEEDS.glob("*.txt")) / MB
    return [Figure("seed_index_s", f"1. seedsearch index seeds --rebuild "
                   f"(median of {len(times)})", median(times), "s",
                   note=f"{seeds_mb * 1024:.0f} KiB of articles; "
                        f"{seeds_mb / median(times):.2f} MB/s incl. start-up")]


def measure_startup(settings: Settings, index_dir: Path) -> list[Figure]:
    """Figure 2: one `seedsearch search` command, next to bare Python and `import search`."""
    runs = settings.startup_runs
    bare, imported, command = [], [], []
    for _ in range(runs):  # interleaved, so all three see the same machine load
        bare += time_command([sys.executable, "-c", "pass"], 1)
        imported += time_command([sys.executable, "-c", "import search"], 1)
        command += time_command([ENGINE, "search", SEARCH_QUERY, "--index", str(index_dir),
                                 "--json", "--limit", "10"], 1)
    return [
        Figure("search_cli_s", f"2. seedsearch search '{SEARCH_QUERY}' on seeds "
               f"(median of {runs})", median(command), "s", "< 0.3 s",
               note=f"max {max(command):.3f} s"),
        Figure("python_startup_s", "   for reference: python -c pass", median(bare), "s"),
        Figure("import_search_s", "   for reference: python -c 'import search'",
               median(imported), "s"),
    ]


def measure_big_indexing(settings: Settings, corpus: Path, work: Path) -> list[Figure]:
    """Figures 3 and 6: our build vs Whoosh's MP writer, alternately (our index: big-ours)."""
    corpus_mb = corpus_stats(corpus)["bytes"] / MB
    results: dict[str, list[dict]] = {"ours": [], "whoosh": []}
    for run in range(settings.runs):
        order = ["ours", "whoosh"] if run % 2 == 0 else ["whoosh", "ours"]
        for kind in order:
            results[kind].append(index_in_child(kind, corpus, work / f"big-{kind}"))
            log(f"  run {run + 1}/{settings.runs} {kind}: {results[kind][-1]['seconds']:.1f} s")
    ours = [corpus_mb / r["seconds"] for r in results["ours"]]
    theirs = [corpus_mb / r["seconds"] for r in results["whoosh"]]
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    n = settings.runs
    figures = [
        Figure("big_index_ours_mbps", f"3. search.build throughput, {corpus_mb:.1f} MB "
               f"(median of {n})", median(ours), "MB/s",
               note=f"{median([r['seconds'] for r in results['ours']]):.1f} s, "
                    f"{results['ours'][-1]['documents']} blocks, "
                    f"index {results['ours'][-1]['index_mb']:.0f} MB"),
        Figure("big_index_whoosh_mbps", "   Whoosh MP writer (procs=2, multisegment)",
               median(theirs), "MB/s",
               note=f"{median([r['seconds'] for r in results['whoosh']]):.1f} s, "
                    f"{results['whoosh'][-1]['documents']} paragraphs, "
                    f"index {results['whoosh'][-1]['index_mb']:.0f} MB"),
        Figure("big_index_ratio", "   ratio ours / Whoosh MP (median of paired runs)",
               median(ratios), "x", ">= 1.0",
               note="per run: " + ", ".join(f"{r:.2f}" for r in ratios)),
    ]
    return figures + memory_figures(results)


def memory_figures(results: dict[str, list[dict]]) -> list[Figure]:
    """Figure 6: peak RSS of the indexing process and of its worker processes."""
    figures = []
    for kind, label in (("ours", "6. peak RSS, search.build"), ("whoosh", "   peak RSS, "
                                                                          "Whoosh MP writer")):
        main = max(r["maxrss_mb"] for r in results[kind])
        workers = max(r["children_maxrss_mb"] for r in results[kind])
        figures.append(Figure(f"peak_rss_{kind}_mb", label, main, "MB",
                              note=f"largest worker process {workers:.0f} MB"))
    return figures


def measure_queries(settings: Settings, index_dir: Path, name: str, number: str) -> list[Figure]:
    """Figure 4: in-process latency of lib.search over the query set, after a warm-up."""
    import search

    started = time.perf_counter()
    library = search.open(index_dir)
    opened = time.perf_counter() - started
    times = time_calls(lambda text: library.search(text, limit=10), QUERIES,
                       settings.query_passes, warm_up=QUERIES)
    library.close()
    slowest = QUERIES[times.index(max(times))]
    return [
        Figure(f"query_{name}_median_s", f"{number} lib.search latency, {name} "
               f"({len(QUERIES)} queries, median of {settings.query_passes})",
               median(times), "s", note=f"search.open took {opened:.2f} s"),
        Figure(f"query_{name}_p90_s", "   p90 over the queries", p90(times), "s"),
        Figure(f"query_{name}_max_s", "   slowest query", max(times), "s",
               note=repr(slowest)),
    ]


def measure_quotations(index_dir: Path, name: str, number: str, target: str, passes: int,
                       work: Path) -> list[Figure]:
    """Figure 5: lib.verify per quotation in process, and `cite --batch` wall time per quote."""
    import search

    kinds, quotes = zip(*quotations(random.Random(5)), strict=True)
    library = search.open(index_dir)
    times = time_calls(library.verify, list(quotes), passes, warm_up=WARM_UP_QUOTES)
    library.close()
    batch = work / "quotations.txt"
    batch.write_text("\n".join(quotes) + "\n", encoding="utf-8")
    command = [ENGINE, "cite", "--batch", str(batch), "--index", str(index_dir), "--json"]
    runs = [line_times(command) for _ in range(passes)]
    walls = [wall for wall, _ in runs]
    # Each quotation's time in the command: the gap before its result line, median over runs.
    # The first gap also holds start-up, so it is reported on its own.
    per_quote = [median([gaps[n] for _, gaps in runs]) for n in range(1, len(quotes))]
    first = median([gaps[0] for _, gaps in runs])
    return [
        Figure(f"verify_{name}_median_s", f"{number} lib.verify per quotation, {name} "
               f"({len(quotes)} quotes, median of {passes})", median(times), "s", target,
               note=medians_by_kind(kinds, times)),
        Figure(f"verify_{name}_max_s", "   slowest quotation", max(times), "s", target,
               note=repr(quotes[times.index(max(times))][:50])),
        Figure(f"cite_batch_{name}_median_s", "   cite --batch, per quotation (median; "
               f"gaps between result lines, median of {passes})", median(per_quote), "s", target,
               note=f"start-up and first quotation {first:.2f} s"),
        Figure(f"cite_batch_{name}_max_s", "   cite --batch, slowest quotation", max(per_quote),
               "s", target, note=repr(quotes[1 + per_quote.index(max(per_quote))][:50])),
        Figure(f"cite_batch_{name}_paraphrase_max_s", "   cite --batch, slowest invented "
               "quotation (reaches the paraphrase stage)",
               max(t for k, t in zip(kinds[1:], per_quote, strict=True) if k == "invented"),
               "s", "<=0.15 s", note=medians_by_kind(kinds[1:], per_quote)),
        Figure(f"cite_batch_{name}_per_quote_s", "   cite --batch wall time / quotations "
               f"(median of {passes})", median(walls) / len(quotes), "s",
               note=f"whole command {median(walls):.2f} s, start-up and model loading included"),
    ]


def medians_by_kind(kinds: tuple[str, ...], times: list[float]) -> str:
    """Return 'kind median' for each kind of quotation, e.g. 'exact 41 ms, invented 12 ms'."""
    parts = []
    for kind in dict.fromkeys(kinds):
        value = median([t for k, t in zip(kinds, times, strict=True) if k == kind])
        parts.append(f"{kind} {value * 1000:.0f} ms")
    return "by kind: " + ", ".join(parts)


# --------------------------------------------------------------------------- reporting


def log(message: str) -> None:
    """Tell the person waiting what is being measured (on stderr, so --json stays clean)."""
    print(message, file=sys.stderr, flush=True)


def attempt(figures: list[Figure], key: str, label: str, measure: Callable[[], list[Figure]]) -> None:
    """Run one measurement; if the engine fails (it is edited as we measure), note the error."""
    log(f"measuring: {label}")
    try:
        figures += measure()
    except Exception as exc:  # noqa: BLE001 - any failure is reported as a figure, not a crash
        figures.append(Figure(key, label, None, "", note=f"error: {exc}"[:200]))


def format_value(figure: Figure) -> str:
    """Return a figure's value with sensible precision and its unit."""
    if figure.value is None:
        return "-"
    if figure.unit == "s" and figure.value < 1:
        return f"{figure.value * 1000:.1f} ms"
    precision = 0 if figure.unit == "MB" else 2 if figure.unit in ("x", "MB/s") else 3
    return f"{figure.value:.{precision}f} {figure.unit}"


def render_table(figures: list[Figure], header: str) -> str:
    """Return the figures as a readable table."""
    width = max(len(f.label) for f in figures) + 2
    lines = [header, "", f"{'figure':<{width}}{'measured':>12}  {'target':<10}note"]
    lines.append("-" * (width + 40))
    for figure in figures:
        lines.append(f"{figure.label:<{width}}{format_value(figure):>12}  {figure.target:<10}"
                     f"{figure.note}")
    return "\n".join(lines)


def freeze_code(work: Path) -> str:
    """Copy search/ into work and make it the code every measurement runs; return its version.

    Others edit search/ while the benchmark runs; without a copy, a change half-way (say, a new
    analyser version) makes the later figures measure other code, or fail on the index.
    """
    shutil.copytree(ROOT / "search", work / "code" / "search",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # Compiled as an installed package is (pip compiles at install): with
    # PYTHONDONTWRITEBYTECODE set (these machines set it), every cold command would otherwise
    # compile all of search/ from source, about 170 ms of a 200 ms search command on the seeds.
    compileall.compile_dir(str(work / "code"), quiet=1)
    os.environ["PYTHONPATH"] = str(work / "code")  # ahead of the editable install's finder
    sys.path.insert(0, str(work / "code"))
    os.chdir(work)  # `python -c` puts the working directory first on sys.path: not the repo
    return code_version()


def code_version() -> str:
    """Return the commit measured, marked when search/ has uncommitted changes."""
    def git(*arguments: str) -> str:
        proc = subprocess.run(["git", "-C", str(ROOT), *arguments], capture_output=True,
                              text=True)
        return proc.stdout.strip()

    changed = " + uncommitted changes in search/" if git("status", "--porcelain", "search") else ""
    return f"commit {git('rev-parse', '--short', 'HEAD') or 'unknown'}{changed}"


def describe_machine(settings: Settings, corpus: dict | None, version: str,
                     started: str) -> str:
    """Return two lines naming the code, the machine, the settings and the corpus."""
    size = (f"{corpus['bytes'] / MB:.1f} MB in {corpus['files']} files" if corpus
            else "not generated")
    return (f"seedsearch benchmark started {started}, {version}\n"
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"{'quick' if settings.quick else 'full'}, runs={settings.runs}, "
            f"synthetic corpus {size}")


# --------------------------------------------------------------------------- main


def settings_from(args: argparse.Namespace) -> Settings:
    """Return the run's settings: --quick shrinks the corpus and the repeat counts."""
    size = args.size_mb if args.size_mb is not None else (5.0 if args.quick else 50.0)
    runs = args.runs if args.runs is not None else (1 if args.quick else 3)
    if args.quick:
        return Settings(True, size, runs, seed_index_runs=3, startup_runs=5, query_passes=1,
                        cite_runs=1)
    return Settings(False, size, runs, seed_index_runs=5, startup_runs=10, query_passes=3,
                    cite_runs=3)


def measure_all(settings: Settings, work: Path) -> tuple[list[Figure], dict | None]:
    """Run every measurement in order, seeds first, then the synthetic corpus."""
    figures: list[Figure] = []
    seeds_index = work / "seeds-index"
    attempt(figures, "seed_index_s", "1. index the seeds",
            lambda: measure_seed_indexing(settings, seeds_index))
    attempt(figures, "search_cli_s", "2. seedsearch search start-up",
            lambda: measure_startup(settings, seeds_index))
    log(f"generating or reusing the {settings.size_mb:g} MB corpus under {DATA}")
    corpus = synthetic_corpus(settings.size_mb)
    big_index = work / "big-ours"
    attempt(figures, "big_index_ours_mbps", "3. index the synthetic corpus",
            lambda: measure_big_indexing(settings, corpus, work))
    for name, index_dir, number in (("seeds", seeds_index, "4."), ("corpus", big_index, "  ")):
        attempt(figures, f"query_{name}_median_s", f"4. lib.search latency, {name}",
                lambda index_dir=index_dir, name=name, number=number:
                measure_queries(settings, index_dir, name, number))
    for name, index_dir, number, target, passes in (
            ("seeds", seeds_index, "5.", "< 50 ms", settings.cite_runs),
            ("corpus", big_index, "  ", "< 300 ms", 1)):
        attempt(figures, f"verify_{name}_median_s", f"5. quotations, {name}",
                lambda index_dir=index_dir, name=name, number=number, target=target,
                passes=passes: measure_quotations(index_dir, name, number, target, passes, work))
    memory = [f for f in figures if f.key.startswith("peak_rss")]
    return [f for f in figures if f not in memory] + memory, corpus_stats(corpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a ~5 MB corpus and fewer runs (1 to 2 minutes)")
    parser.add_argument("--size-mb", type=float, help="synthetic corpus size (default 50; 5 quick)")
    parser.add_argument("--runs", type=int,
                        help="paired indexing runs on the corpus (default 3; 1 quick)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, corpus, index_dir = args.child
        print(json.dumps(child_index(kind, Path(corpus), Path(index_dir))))
        return 0
    settings = settings_from(args)
    started = time.strftime("%Y-%m-%d %H:%M")
    with tempfile.TemporaryDirectory(prefix="seedsearch-bench-") as tmp:
        version = freeze_code(Path(tmp))
        figures, corpus = measure_all(settings, Path(tmp))
        os.chdir(ROOT)
    if args.json:
        print(json.dumps({"started": started, "code": version, "settings": asdict(settings),
                          "corpus": corpus,
                          "figures": [asdict(f) for f in figures]}, indent=1))
    else:
        print(render_table(figures, describe_machine(settings, corpus, version, started)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
