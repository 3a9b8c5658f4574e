"""How long one cold `seedsearch search` command takes, for one or more versions of the code
side by side (issue 9: <= 150 ms on the seeds indexed words only; issue 14: <= 400 ms with
block vectors).

    .venv/bin/python bench/cold.py INDEX [--runs 9]
    .venv/bin/python bench/cold.py INDEX --code /tmp/before --code .     # side by side
    .venv/bin/python bench/cold.py INDEX --code /tmp/before --code . --instructions

Each run is a fresh `python -m search search QUERY --index INDEX --json --limit 10`, with the
version's folder first on `PYTHONPATH` and the working directory outside the project (else
Python's own path entry for it would win). Versions take turns run by run, alternating which
goes first, so they see the same load; `python -c pass` runs beside them for reference. Each
version's `search/` is compiled to bytecode first, as pip compiles an installed package (these
machines set PYTHONDONTWRITEBYTECODE=1). Printed per version: the median and fastest wall
time, and the median CPU time (user + system of the child), which moves less with the load.
`--instructions` also counts the instructions of one run of each under valgrind (if
installed): a figure the load does not move at all. `--code DIR` names a folder holding a
`search/` package (`git archive COMMIT search | tar -x -C DIR`). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def command(code: Path | None, index: str, query: str) -> list[str]:
    """The search command of one version, as a list of arguments."""
    if code is None:
        return [sys.executable, "-c", "pass"]
    return [sys.executable, "-m", "search", "search", query, "--index", index, "--json",
            "--limit", "10"]


def environment(code: Path | None) -> dict[str, str]:
    """The child's environment: the version first on the path, bytecode allowed."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    if code is not None:
        env["PYTHONPATH"] = str(code.resolve())
    return env


def timed(code: Path | None, index: str, query: str, cwd: str) -> tuple[float, float]:
    """Run the command once; return (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command(code, index, query), env=environment(code), cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr.decode()[-2000:])
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def instructions(code: Path | None, index: str, query: str, cwd: str) -> int | None:
    """Instructions one run executes, counted by valgrind; None when it is not installed."""
    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           *command(code, index, query)], env=environment(code), cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    found = re.search(r"refs:\s+([\d,]+)", done.stderr.decode())
    return int(found.group(1).replace(",", "")) if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", help="a built index (e.g. of seeds/, built --no-vectors)")
    parser.add_argument("--code", action="append", type=Path,
                        help="a folder holding a search/ package (repeat to compare)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--query", default="kronstadt uprising")
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()
    versions: list[Path | None] = [*(args.code or [ROOT]), None]
    for code in versions:
        if code is not None:
            compileall.compile_dir(str(code / "search"), quiet=1)
    index = str(Path(args.index).resolve())
    walls: dict[int, list[float]] = {n: [] for n in range(len(versions))}
    cpus: dict[int, list[float]] = {n: [] for n in range(len(versions))}
    loads = []
    with tempfile.TemporaryDirectory() as outside:
        for run in range(args.runs):
            order = list(range(len(versions)))
            for n in order if run % 2 == 0 else order[::-1]:
                wall, cpu = timed(versions[n], index, args.query, outside)
                walls[n].append(wall)
                cpus[n].append(cpu)
            loads.append(os.getloadavg()[0])
        counts = [instructions(code, index, args.query, outside) if args.instructions else None
                  for code in versions]
    print(f"cold `seedsearch search {args.query!r} --json --limit 10`, {args.runs} runs each, "
          f"load average (1 min) {min(loads):.1f} to {max(loads):.1f}")
    for n, code in enumerate(versions):
        label = "python -c pass" if code is None else str(code)
        line = (f"  {label:28} wall median {statistics.median(walls[n]) * 1000:4.0f} ms, fastest "
                f"{min(walls[n]) * 1000:4.0f} ms; CPU median {statistics.median(cpus[n]) * 1000:4.0f} ms")
        if counts[n]:
            line += f"; {counts[n] / 1e6:.0f}M instructions"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
