"""Two versions of the indexing code side by side: the CPU time of a one-process build of a
corpus, and whether both wrote the same index (issue 9: faster indexing must not change what
is indexed).

    .venv/bin/python bench/samebuild.py CORPUS --code /tmp/before --code . [--runs 3]

`--code DIR` names a folder holding a `search/` package (e.g. `git archive COMMIT search`
unpacked; `.` is the project's own). Each build runs in its own interpreter (`--child`), in
one process (the workers are what a 2-core build forks; one process's CPU time is what each
of them spends per MB, and is far steadier than wall time on a shared machine). The versions
take turns, run by run, alternating which goes first; the figure is the median CPU time over
`--runs`. The first run of each version also dumps every term's statistics and postings,
every document's stored fields and field lengths, the weight column and a hash of each file
the build derives beside the segments (statistics, vocabulary, lexicon, copy groups), and
the versions' dumps are compared. Nothing is asserted: it prints the figures and the
differences.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LENGTH_FIELDS = ("content", "section", "title", "author")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--code", action="append", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-contents", action="store_true",
                        help="time only (the comparison holds every posting in memory: "
                             "about 2 GB at 100 MB)")
    parser.add_argument("--child", nargs=2, metavar=("INDEX", "DUMP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        build_here(args.corpus, Path(args.child[0]), args.child[1])
        return
    compare(args.corpus, [code.resolve() for code in args.code], args.runs, not args.no_contents)


def compare(corpus: Path, codes: list[Path], runs: int, contents: bool = True) -> None:
    seconds: dict[Path, list[float]] = {code: [] for code in codes}
    with tempfile.TemporaryDirectory() as work:
        dumps = {code: Path(work) / f"dump{number}.pickle" for number, code in enumerate(codes)}
        for run in range(runs):
            order = codes if run % 2 == 0 else codes[::-1]
            for code in order:
                dump = str(dumps[code]) if run == 0 and contents else "-"
                seconds[code].append(build_in_child(corpus, code, Path(work) / "index", dump))
                print(f"run {run + 1}: {code}: {seconds[code][-1]:.2f} s CPU", file=sys.stderr)
        dumped = [pickle.loads(dumps[code].read_bytes()) for code in codes] if contents else []
    megabytes = sum(path.stat().st_size for path in corpus.rglob("*") if path.is_file()) / 2**20
    print(f"{corpus} ({megabytes:.1f} MB), one-process build, median CPU of {runs} "
          f"(load {os.getloadavg()[0]:.1f} at the end):")
    for code in codes:
        median = statistics.median(seconds[code])
        print(f"  {code}: {median:.2f} s = {median / megabytes:.2f} s/MB "
              f"(runs: {', '.join(f'{value:.2f}' for value in seconds[code])})")
    for name in dumped[0] if dumped else ():
        same = all(content[name] == dumped[0][name] for content in dumped[1:])
        print(f"  {name}: {'same' if same else 'DIFFERENT'} ({len(dumped[0][name])})")


def build_in_child(corpus: Path, code: Path, index_dir: Path, dump: str) -> float:
    environment = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, __file__, str(corpus), "--code", str(code),
                           "--child", str(index_dir), dump],
                          env=environment, check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def build_here(corpus: Path, index_dir: Path, dump: str) -> None:
    """Build in this process (no workers) and print the CPU time; dump the index unless "-"."""
    import search.engine.workers
    from search.engine.index import build

    search.engine.workers.PARALLEL_BYTES = 2**62  # one process, whatever the size
    started = time.process_time()
    build([corpus], index_dir, rebuild=True, vectors=False)
    seconds = time.process_time() - started
    if dump != "-":
        Path(dump).write_bytes(pickle.dumps(contents_of(index_dir)))
    print(f"{seconds:.3f}")


def contents_of(index_dir: Path) -> dict:
    """Everything a build wrote that a search can see, in document order."""
    from whoosh import index

    with index.open_dir(str(index_dir)).reader() as reader:
        terms = {}
        for fieldname, term in reader.all_terms():
            info = reader.term_info(fieldname, term)
            matcher = reader.postings(fieldname, term)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            terms[(fieldname, term)] = (info.weight(), info.doc_frequency(), info.min_length(),
                                        info.max_length(), info.max_weight(), postings)
        docnums = list(reader.all_doc_ids())
        documents = [(dict(reader.stored_fields(docnum)),
                      {name: reader.doc_field_length(docnum, name) for name in LENGTH_FIELDS})
                     for docnum in docnums]
        weights = [reader.column_reader("weight")[docnum] for docnum in docnums]
        lengths = {name: reader.field_length(name) for name in LENGTH_FIELDS}
    derived = {_generic_name(path): hashlib.sha256(path.read_bytes()).hexdigest()
               for path in index_dir.iterdir()
               if not path.name.endswith((".seg", ".toc", ".lock")) and path.is_file()}
    return {"terms": terms, "documents": documents, "weights": weights, "lengths": lengths,
            "derived files": derived}


def _generic_name(path: Path) -> str:
    """A derived file's name without its generation and segment ids."""
    return path.name.split("_")[0] + path.suffix


if __name__ == "__main__":
    main()
