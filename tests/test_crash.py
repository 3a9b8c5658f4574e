"""Indexing killed at random moments never loses or corrupts the index.

A sequence of incremental runs over a changing copy of the seeds; each run is started in a
subprocess and killed (SIGKILL) after a random delay, a few times, before it is let finish.
After every kill the index must open and answer exactly like the state before the run or
the state after it; after the run that finishes, exactly like a clean build of the files,
with no file in the index folder that the committed generation does not use.
SEEDSEARCH_KILLS_PER_RUN sets the number of kills before each run is let finish (3).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import search
from search.engine.housekeeping import stray_files

sys.path.insert(0, str(Path(__file__).parent))
from index_answers import answers, differing  # noqa: E402

QUERIES = ["kronstadt uprising", "river of blood", "stalin*", "popular front", "bureaucracy",
           "quokkas rottnest", "trotzky"]
KILLS_PER_RUN = int(os.environ.get("SEEDSEARCH_KILLS_PER_RUN", "3"))
# Run indexing in a child process; workers=1 writes through worker processes even for the
# small seeds, so kills also land while worker segments are being written.
CHILD = """
import sys
import search.engine.workers as workers
if sys.argv[3] == "1":
    workers.PARALLEL_BYTES = 0
import search
search.build([sys.argv[1]], sys.argv[2], vectors=False)  # as conftest's in-process builds
"""


def change(corpus: Path, step: int) -> None:
    """The edit of each step: change a file, add one, remove one, rename one."""
    files = sorted(corpus.glob("*.txt"))
    if step == 0:
        files[1].write_text(files[1].read_text(encoding="utf-8").replace(
            "Stalin", "Stalin and the quokkas", 2), encoding="utf-8")
    elif step == 1:
        (corpus / "rottnest.txt").write_text(
            "Trotzky never saw the quokkas of Rottnest.\n\nThe bureaucracy did.\n",
            encoding="utf-8")
    elif step == 2:
        files[3].unlink()
    elif step == 3:
        files[0].rename(corpus / "renamed.txt")


def clean_answers(corpus: Path, where: Path) -> list[tuple]:
    shutil.copytree(corpus, where / "files", ignore=shutil.ignore_patterns("index*"))
    search.build([where / "files"], where / "index")
    return answers(where / "index", QUERIES, 20)


def start(corpus: Path, index_dir: Path, workers: bool) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(corpus), str(index_dir),
                             "1" if workers else "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_indexing_runs_leave_the_before_or_after_index(seed_copy, tmp_path):
    chance = random.Random(10)
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir)
    before = clean_answers(seed_copy, tmp_path / "clean0")
    kills = survivors = 0
    for step in range(4):
        change(seed_copy, step)
        after = clean_answers(seed_copy, tmp_path / f"clean{step + 1}")
        for _ in range(KILLS_PER_RUN):
            child = start(seed_copy, index_dir, workers=chance.random() < 0.5)
            time.sleep(chance.uniform(0.2, 3.0))
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
            now = answers(index_dir, QUERIES, 20)
            assert not differing(now, before, QUERIES) or not differing(now, after, QUERIES), \
                f"step {step}"
            survivors += 1
        finished = start(seed_copy, index_dir, workers=step % 2 == 0)
        assert finished.wait(timeout=120) == 0
        assert differing(answers(index_dir, QUERIES, 20), after, QUERIES) == [], f"step {step}"
        assert stray_files(index_dir) == []
        assert not (index_dir / ".seedsearch.lock").exists()
        before = after
    print(f"\n{kills} indexing runs killed, {survivors} left an index that answered like "
          "the state before or after the run")


@pytest.mark.parametrize("leftover", ["MAIN_deadbeefdeadbeef.seg", "_MAIN_99.toc.123.4",
                                      "MAIN.tmp", "removed_77.json", "vocabulary_77.json.tmp"])
def test_stray_files_of_a_killed_run_are_removed_by_the_next(seed_copy, tmp_path, leftover):
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir)
    (index_dir / leftover).write_bytes(b"half written")
    (index_dir / "notes.txt").write_text("a user's own file", encoding="utf-8")
    report = search.build([seed_copy], index_dir)
    assert len(report.unchanged) == 5
    assert not (index_dir / leftover).exists()
    assert (index_dir / "notes.txt").exists()


def test_opening_an_index_removes_stray_files(seed_copy, tmp_path):
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir)
    (index_dir / "MAIN_deadbeefdeadbeef.seg").write_bytes(b"half written")
    search.open(index_dir).close()
    assert stray_files(index_dir) == []
