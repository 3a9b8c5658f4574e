"""How fast `lib.verify` checks quotations on a built index, optionally for two versions of
the code side by side (issue 9: p50 <= 100 ms and p90 <= 250 ms at 100 MB, p50 <= 15 ms on
the seeds).

    .venv/bin/python bench/quotes.py INDEX [--passes 3]
    .venv/bin/python bench/quotes.py INDEX --code /tmp/before@OLDINDEX --code .   # side by side
    .venv/bin/python bench/quotes.py INDEX --profile 25                  # cProfile, top 25

The quotations are the 40 of `synthetic.quotations` (15 exact, 10 altered, 8 with an
ellipsis, 7 invented). Each version runs in its own interpreter (`--child`), which opens the
index, checks two warm-up quotations and then times every quotation `--passes` times; the
versions take turns pass by pass (alternating which goes first), so both see the same load.
A quotation's figure is its median over the passes; p50 / p90 / max are over quotations.
`--code DIR` names a folder holding a `search/` package (e.g. `git archive COMMIT search`
unpacked), `--code DIR@INDEX` the same with its own index of the same corpus (an older version
may not read a newer index); without it the project's own `search/` is measured. Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from synthetic import quotations

ROOT = Path(__file__).resolve().parent.parent
WARM_UP_QUOTES = ["the civil war ruined the already feeble Russian economy",
                  "Nobody in the harbour of Tromso ever sold a red umbrella on a Tuesday."]


def quotes() -> list[tuple[str, str]]:
    """The (kind, quotation) pairs the benchmark times."""
    return quotations(random.Random(5))


def child(index_dir: str, passes: int, profile: int, warm_model: bool) -> None:
    """Time (or profile) every quotation in this interpreter; print JSON to stdout."""
    import search

    library = search.open(index_dir)
    if warm_model:  # else the first quotation reaching the paraphrase stage loads the model
        from search.paraphrase import embedder

        model = embedder()
        for _ in range(8):  # its first calls are slow, and it moves to onnxruntime after a few
            if model is not None:
                model.embed(WARM_UP_QUOTES)
    for text in WARM_UP_QUOTES:
        library.verify(text)
    cases = quotes()
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _, text in cases:
            library.verify(text)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(profile)
    times: list[list[float]] = [[] for _ in cases]
    verdicts = []
    for _ in range(passes):
        verdicts = []
        for n, (_, text) in enumerate(cases):
            started = time.perf_counter()
            verification = library.verify(text)
            times[n].append(time.perf_counter() - started)
            verdicts.append([verification.verdict.value, len(verification.matches),
                             getattr(verification, "more_sources", None)])
    print(json.dumps({"times": times, "verdicts": verdicts, "module": search.__file__}))


def run_child(code: Path | None, index_dir: str, passes: int, profile: int,
              warm_model: bool) -> dict:
    """Run one version's timings in a fresh interpreter."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code.resolve())
    command = [sys.executable, str(Path(__file__).resolve()), "--child", index_dir,
               "--passes", str(passes), "--profile", str(profile)] + \
        (["--warm-model"] if warm_model else [])
    proc = subprocess.run(command, capture_output=True, text=True, env=env,
                          cwd=str(code.resolve()) if code else str(ROOT / "bench"))
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    if profile:
        print(proc.stderr, file=sys.stderr)
    return json.loads(proc.stdout)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(result: dict) -> str:
    """p50 / p90 / max over quotations, and the median by kind, in ms."""
    medians = [statistics.median(times) * 1000 for times in result["times"]]
    kinds = [kind for kind, _ in quotes()]
    by_kind = ", ".join(
        f"{kind} {statistics.median([m for k, m in zip(kinds, medians, strict=True) if k == kind]):.0f}"
        for kind in dict.fromkeys(kinds))
    return (f"p50 {statistics.median(medians):.0f} / p90 {percentile(medians, 0.9):.0f} / "
            f"max {max(medians):.0f} ms   ({by_kind})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", help="a built index (e.g. of bench/data/synthetic-100mb)")
    parser.add_argument("--code", action="append",
                        help="a folder holding a search/ package to measure (repeatable)")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, help="print the top N of cProfile")
    parser.add_argument("--warm-model", action="store_true",
                        help="load the paraphrase model before timing (else the slowest "
                             "quotation is the first to reach the paraphrase stage)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.index, args.passes, args.profile, args.warm_model)
        return 0
    codes: list[Path | None] = [Path(str(code).split("@")[0]) for code in args.code] \
        if args.code else [None]
    indexes = [str(code).split("@")[1] if "@" in str(code) else args.index
               for code in args.code] if args.code else [args.index]
    results: dict[int, dict] = {}
    for turn in range(args.passes):
        order = list(range(len(codes)))
        if turn % 2:
            order.reverse()
        for n in order:
            print(f"pass {turn + 1}: {codes[n] or 'search/'}", file=sys.stderr, flush=True)
            result = run_child(codes[n], indexes[n], 1, args.profile if turn == 0 else 0,
                               args.warm_model)
            if n in results:
                for mine, new in zip(results[n]["times"], result["times"], strict=True):
                    mine.extend(new)
            else:
                results[n] = result
    load = os.getloadavg()
    print(f"lib.verify, {len(quotes())} quotations, {args.passes} passes"
          + (", model loaded first" if args.warm_model else "")
          + f", load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    for n, code in enumerate(codes):
        print(f"  {str(code or 'search/'):24} {indexes[n]:22} {summary(results[n])}")
    if len(codes) > 1:
        differing = [(n, [r["verdicts"][n] for r in results.values()]) for n in
                     range(len(quotes())) if len({json.dumps(r["verdicts"][n][:1])
                                                   for r in results.values()}) > 1]
        for n, verdicts in differing:
            print(f"  verdicts differ on quotation {n + 1}: {verdicts}  {quotes()[n][1][:60]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
