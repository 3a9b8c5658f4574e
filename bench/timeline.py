"""Where a build's cores idle: sample each process of an indexing run every --every seconds.

`timeline.py CORPUS INDEX_DIR` runs `bench.py --child ours` (a fresh interpreter, honouring
PYTHONPATH) and reads /proc/PID/stat of the run and its workers at each tick: the CPU each
spent since the last tick (user + system) and the tree's RSS. It prints one line per tick
(seconds, per-process CPU share of the tick, all processes together, RSS) and a summary: the
build's wall time, CPU seconds per process, and how many core-seconds of the wall the
processes left unused, split by phase (before the first worker starts, while workers run,
after the last one ends).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def stat_of(pid: int) -> tuple[float, float, int] | None:
    """(CPU seconds, RSS MB, parent pid) of a process, or None if it has gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    return cpu, int(fields[21]) * PAGE / 2**20, int(fields[1])


def sched_of(pid: int) -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting for one) of a process, from /proc/PID/schedstat."""
    try:
        run, wait, _ = Path(f"/proc/{pid}/schedstat").read_text().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(run) / 1e9, int(wait) / 1e9


def tree(root: int) -> list[int]:
    """The root and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            got = stat_of(int(entry))
            if got:
                children.setdefault(got[2], []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--every", type=float, default=0.5)
    parser.add_argument("--json", type=Path, help="write the samples here")
    args = parser.parse_args()
    shutil.rmtree(args.index_dir, ignore_errors=True)
    bench = Path(__file__).with_name("bench.py")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(bench), "--child", "ours", str(args.corpus),
                             str(args.index_dir)], stdout=subprocess.PIPE, text=True)
    last: dict[int, float] = {}
    total: dict[int, float] = {}
    sched: dict[int, tuple[float, float]] = {}
    born: dict[int, float] = {}
    samples = []
    previous = started
    while proc.poll() is None:
        time.sleep(args.every)
        now = time.perf_counter()
        shares, rss = {}, 0.0
        for pid in tree(proc.pid):
            got = stat_of(pid)
            if got is None:
                continue
            cpu, mb, _ = got
            shares[pid] = (cpu - last.get(pid, 0.0)) / (now - previous)
            last[pid], total[pid] = cpu, cpu
            sched[pid] = sched_of(pid)
            born.setdefault(pid, now - started)
            rss += mb
        samples.append({"t": round(now - started, 2), "cpu": {str(k): round(v, 2)
                                                              for k, v in shares.items()},
                        "rss": round(rss)})
        previous = now
        row = " ".join(f"{pid}:{share:4.2f}" for pid, share in shares.items())
        print(f"{now - started:7.2f} {sum(shares.values()):4.2f} {rss:6.0f} MB  {row}",
              flush=True)
    wall = time.perf_counter() - started
    output = proc.stdout.read() if proc.stdout else ""
    workers = {pid for sample in samples for pid in map(int, sample["cpu"]) if pid != proc.pid}
    busy = [s for s in samples if any(int(p) in workers for p in s["cpu"])]
    first = busy[0]["t"] if busy else wall
    end = busy[-1]["t"] if busy else wall
    phases = {"before workers": (0.0, first), "workers": (first, end), "after": (end, wall)}
    print(f"wall {wall:.1f} s; result {output.strip()}")
    for pid, cpu in total.items():
        run, wait = sched.get(pid, (0.0, 0.0))
        print(f"  pid {pid}{' (parent)' if pid == proc.pid else ''}: {cpu:.1f} CPU s; "
              f"on a CPU {run:.1f} s, waiting for one {wait:.1f} s, first seen at "
              f"{born[pid]:.1f} s")
    cores = os.cpu_count() or 1
    for name, (a, b) in phases.items():
        used = sum(sum(s["cpu"].values()) * args.every for s in samples if a < s["t"] <= b)
        print(f"  {name:15s} {a:6.1f}-{b:6.1f} s: {used:6.1f} CPU s of {cores * (b - a):6.1f}")
    if args.json:
        args.json.write_text(json.dumps({"wall": wall, "samples": samples}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
