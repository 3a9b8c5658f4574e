"""Write changed articles into the index, in parallel when there is enough text.

Each worker process takes a share of the articles (balanced by size), parses them and writes
its own Whoosh segment; the committing writer then adds every segment in one new table of
contents, so an interrupted or failed run leaves the index as it was. Whoosh's own
multi-process writer instead parses everything in the parent and pickles each document to a
worker; here the parsing is shared out too, and nothing is pickled but the finished
segments. Below `PARALLEL_BYTES` the articles are written in this process: forking costs
more than it saves. So they are where processes cannot fork (Windows).
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import connection, get_all_start_methods, get_context
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..analyse import stem
from ..errors import IndexingFailed, InputError
from . import compaction, impactwriter
from .report import Progress
from .segments import FastSegmentWriter, StockSegmentWriter
from .wordcounts import WordCounts

Writer = FastSegmentWriter | StockSegmentWriter  # fast, or Whoosh's own
PARALLEL_BYTES = 1_000_000
MAX_SEGMENT_POSTINGS = 4_000_000  # about 200 MB of pooled postings, then a worker starts a new segment
# A worker that wrote more segments than this merges them into this many, a term at a time
# (`compaction`: the memory of one term's postings, not of a segment's), so the index's
# segment count (a query's per-segment costs) stops growing with the corpus: 4 segments at
# 100 MB (no merge) and at 300 MB (each worker's 6 merged into 2). 0: never merge.
WORKER_SEGMENTS = 2
PR_SET_PDEATHSIG = 1
# Garbage collection while writing: the pooled postings are hundreds of thousands of lists
# and tuples that live to the end of the segment, and Python's default thresholds made the
# collector walk them over and over (8% of a build's CPU time, measured on 10 MB). Collecting
# less often delays freeing cyclic garbage, never skips it.
WRITING_GC_THRESHOLDS = (10_000, 10, 10)
# A worker tells the parent which articles it wrote at most this often, not once an article:
# each message woke the parent, which on a busy 2-core machine took a worker's core from it
# (a worker's write to its pipe was 4% of a 100 MB build's samples, waiting for its core back).
PROGRESS_SECONDS = 0.25


@dataclass
class Job:
    """One changed article to write: where it is, how large, and what the index calls it.

    The text is not kept: the worker reads the file again, so a run never holds the
    whole corpus in memory.
    """

    path: Path  # resolved absolute: the article's identity
    size: int  # characters, to share the work out evenly
    doc_id: str
    catalog: dict[str, dict]
    shown: str = ""  # the path citations print
    # "<text hash>:<catalog entry hash>" as the plan hashed the file, before any worker read
    # it (a file changed since is read again by the next run); "" to hash it when written
    fingerprint: str = ""


@dataclass
class Outcome:
    """What writing the jobs produced besides the documents themselves."""

    segments: list = field(default_factory=list)  # written by workers, not yet committed
    vocabulary: Counter[str] = field(default_factory=Counter)
    stems: dict[str, str] = field(default_factory=dict)  # the vocabulary's
    # doc_id -> article's sketch, 32-bit: a list of 64 ints took 2.5 kB an article, and a
    # worker's grew with the corpus (14 MB at 300 MB) until it handed them over
    sketches: dict[str, Sequence[int]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # paths
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[str] = field(default_factory=list)  # "path: what could not be read"
    words: WordCounts = field(default_factory=WordCounts)  # counted into `vocabulary` at the end

    def stem_vocabulary(self) -> None:
        """Count the words read into the vocabulary, and stem each word of it once, where the
        words were read (in the worker): stemming each article's words as it was written
        looked up the words every article uses thousands of times (with counting them an
        article at a time, ~4% of a build)."""
        counted, self.words = self.words.counted(), WordCounts()  # (its numbers let go)
        if self.vocabulary:
            self.vocabulary.update(counted)
        else:
            self.vocabulary = counted
        self.stems = {word: stem(word) for word in self.vocabulary}


# Turns a job into the documents to add, the article's words (each time it uses one) and
# what its reader could not read; raises InputError for an article that cannot be read.
Records = Callable[[Job], tuple[Iterable[dict], list[str], tuple[str, ...]]]


def write_jobs(writer: Writer, jobs: list[Job], records: Records,
               progress: Progress | None = None, processes: int | None = None) -> Outcome:
    """Write jobs through writer, or through worker segments when they are large enough."""
    size = sum(job.size for job in jobs)
    processes = min(processes or os.cpu_count() or 1, len(jobs))
    if processes < 2 or size < PARALLEL_BYTES or "fork" not in get_all_start_methods():
        return _write_here(writer, jobs, records, progress)
    return _write_in_workers(writer, jobs, records, progress, processes)


def _write_here(writer: Writer, jobs: list[Job], records: Records,
                progress: Progress | None) -> Outcome:
    outcome = Outcome()
    with _fewer_collections():
        for done, job in enumerate(jobs, 1):
            _write_one(writer, job, records, outcome)
            if progress:
                progress(done, len(jobs), str(job.path))
    outcome.stem_vocabulary()
    return outcome


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often while writing (see `WRITING_GC_THRESHOLDS`)."""
    before = gc.get_threshold()
    gc.set_threshold(*WRITING_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _write_one(writer: Writer, job: Job, records: Records, outcome: Outcome) -> None:
    try:
        documents, words, warnings = records(job)
        documents = list(documents)  # parse fully before adding: a bad article adds nothing
    except InputError as exc:
        outcome.skipped.append((str(job.path), str(exc)))
        return
    for document in documents:
        writer.add_document(**document)
        if document.get("rectype") == "article":
            outcome.sketches[document["doc_id"]] = array("I", json.loads(document.get("sketch")
                                                                      or "[]"))
    outcome.words.add(words)
    outcome.written.append(str(job.path))
    outcome.warnings.extend(f"{job.path}: {warning}" for warning in warnings)


def shares(jobs: list[Job], count: int) -> list[list[Job]]:
    """Split jobs into count lists of about equal text size (largest first, to the lightest).

    >>> jobs = [Job(Path(str(n)), n, "", {}) for n in (5, 1, 4, 2, 3)]
    >>> [[job.size for job in share] for share in shares(jobs, 2)]
    [[5, 2, 1], [4, 3]]
    """
    bins: list[list[Job]] = [[] for _ in range(count)]
    sizes = [0] * count
    for job in sorted(jobs, key=lambda job: -job.size):
        lightest = sizes.index(min(sizes))
        bins[lightest].append(job)
        sizes[lightest] += job.size
    return [share for share in bins if share]


def _write_in_workers(writer: Writer, jobs: list[Job], records: Records,
                      progress: Progress | None, processes: int) -> Outcome:
    context = get_context("fork")  # workers inherit the jobs and the open index; nothing pickled
    # One pipe a worker, written by the worker's own thread: a `multiprocessing.Queue` sends
    # through a feeder thread, and each message (one an article) woke it to take the GIL
    # from the working thread, which then waited for it on a machine whose cores were busy
    # (measured: 9 ms of wall time a message under load, 0.1 ms of CPU).
    workers: list = []
    receivers: list[Connection] = []
    outcome = Outcome()
    parts: dict[int, Outcome] = {}
    try:
        for number, share in enumerate(shares(jobs, processes)):
            receiving, sending = context.Pipe(duplex=False)
            receivers.append(receiving)
            workers.append(context.Process(target=_worker, daemon=True,
                                           args=(writer, share, records, sending, number)))
            try:
                workers[-1].start()
            finally:
                # here, and so in the workers started after: a worker that dies closes
                # its pipe's last sending end, and its pipe reads as ended
                sending.close()
        waiting = dict(zip(receivers, workers, strict=True))  # until its worker's last message
        done = 0
        while waiting:
            for message in _next_messages(waiting):
                kind = message[0]
                if kind == "progress":
                    for path in message[1]:
                        done += 1
                        if progress:
                            progress(done, len(jobs), path)
                elif kind == "done":
                    parts[message[1]] = message[2]
                else:
                    raise IndexingFailed(f"An indexing worker failed ({message[1]}); "
                                         "the index is as it was before this run.")
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        for receiving in receivers:
            receiving.close()
    # In worker order, not the order they finished in: the same files get the same document
    # numbers in every build, and ties in ranking (broken by document number) fall the same.
    for number in sorted(parts):
        part = parts[number]
        outcome.segments.extend(part.segments)
        outcome.vocabulary.update(part.vocabulary)
        outcome.stems.update(part.stems)
        outcome.sketches.update(part.sketches)
        outcome.written.extend(part.written)
        outcome.skipped.extend(part.skipped)
        outcome.warnings.extend(part.warnings)
    return outcome


def _next_messages(waiting: dict[Connection, Any]) -> list[tuple]:
    """Wait for the workers' next messages (a worker's pipe leaves `waiting` with its last
    message, "done" or "error"), noticing a worker that died without a word."""
    while True:
        messages = []
        for pipe in connection.wait(list(waiting), timeout=1.0):
            assert isinstance(pipe, Connection)
            worker = waiting[pipe]
            try:
                message = pipe.recv()
            except EOFError:
                worker.join()
                raise IndexingFailed(f"An indexing worker died (exit code {worker.exitcode}); "
                                     "the index is as it was before this run.") from None
            if message[0] != "progress":
                del waiting[pipe]
            messages.append(message)
        if messages:
            return messages
        dead = [w for w in waiting.values() if w.exitcode not in (None, 0)]
        if dead:
            raise IndexingFailed(f"An indexing worker died (exit code {dead[0].exitcode}); "
                                 "the index is as it was before this run.")


def _worker(parent: Writer, jobs: list[Job], records: Records, messages: Connection,
            number: int) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means
    gc.freeze()  # what the worker inherited stays: the collector need not walk it
    gc.set_threshold(*WRITING_GC_THRESHOLDS)
    try:
        outcome = Outcome()
        writer = _sub_writer(parent)
        written: list[str] = []  # since the last progress message
        told = time.monotonic()
        share, done = sum(job.size for job in jobs), 0
        for job in jobs:
            _write_one(writer, job, records, outcome)
            written.append(str(job.path))
            done += job.size
            full = writer.pooled_postings > MAX_SEGMENT_POSTINGS
            if full or time.monotonic() - told >= PROGRESS_SECONDS:  # (before a segment's write)
                messages.send(("progress", tuple(written)))
                written, told = [], time.monotonic()
            if full:
                # this segment's share of what the worker will write: when it will be
                # merged (`_fewer_segments`), its own impact lists would be made for nothing
                ahead = (len(outcome.segments) + 1) * share / max(done, 1)
                writer.impacts_wanted = not _merged_away(ahead)
                outcome.segments.append(writer.finish_alone())
                writer = _sub_writer(parent)
        if written:
            messages.send(("progress", tuple(written)))
        writer.impacts_wanted = not _merged_away(len(outcome.segments) + 1)
        last = writer.finish_alone()
        if last is not None:
            outcome.segments.append(last)
        outcome.segments = [_with_impacts(parent, segment)  # any not made in memory
                            for segment in _fewer_segments(parent, outcome.segments)]
        outcome.stem_vocabulary()
        messages.send(("done", number, outcome))
    except BaseException as exc:  # report anything, or the parent would wait for nothing
        messages.send(("error", f"{type(exc).__name__}: {exc}"))
        raise SystemExit(1) from None


def _fewer_segments(parent: Writer, segments: list) -> list:
    """A worker's segments merged into WORKER_SEGMENTS runs of consecutive ones (document
    order kept), when it wrote more than that and the fast writer can merge them."""
    if not WORKER_SEGMENTS or len(segments) <= WORKER_SEGMENTS or \
            not isinstance(parent, FastSegmentWriter):
        return segments
    merged = []
    for run in _runs(segments, WORKER_SEGMENTS):
        if len(run) == 1:
            merged.extend(run)
            continue
        writer = _sub_writer(parent)
        compaction.merge_into(writer, run)
        merged.append(_with_impacts(parent, writer.finish_alone()))
        for segment in run:  # never committed: nothing else refers to their files
            _delete_segment_files(parent.storage, segment)
    return merged


def _merged_away(segments: float) -> bool:
    """Whether every segment of a worker that writes this many (about equal) will be merged
    into another (`_runs` of at least two each). A wrong guess costs time, never the
    index: a segment without impact lists gets them read back from it (`_with_impacts`)."""
    return bool(WORKER_SEGMENTS) and segments >= 2 * WORKER_SEGMENTS


def _runs(segments: list, count: int) -> list[list]:
    """segments cut into count runs of consecutive ones, about equal in documents.

    >>> class S:
    ...     def __init__(self, n): self.n = n
    ...     def doc_count_all(self): return self.n
    >>> [[s.n for s in run] for run in _runs([S(4), S(4), S(4), S(4), S(4), S(2)], 2)]
    [[4, 4, 4], [4, 4, 2]]
    """
    total = sum(segment.doc_count_all() for segment in segments)
    runs: list[list] = [[] for _ in range(count)]
    done = 0
    for segment in segments:
        at = min(count - 1, done * count // total) if total else 0
        runs[at].append(segment)
        done += segment.doc_count_all()
    return [run for run in runs if run]


def _delete_segment_files(storage, segment) -> None:
    """Remove a merged-away worker segment's files (its compound file, its impact lists)."""
    prefix = f"{segment.indexname}_{segment.segment_id()}."
    for name in list(storage.list()):
        if name.startswith(prefix):
            storage.delete_file(name)


def _with_impacts(parent: Writer, segment):
    """Write a finished worker segment's impact lists here, in parallel with the other
    workers, rather than in the parent at commit (`impactwriter.write_missing` skips a
    segment that has them); return the segment."""
    impactwriter.write_missing(parent.storage, parent.schema, [segment])
    return segment


def _sub_writer(parent: Writer) -> Writer:
    """A writer of one more segment of the parent's index, under the parent's lock."""
    index = parent.storage.open_index(parent.indexname)
    writer = type(parent)(index, _lk=False)
    writer.schema = parent.schema  # a rebuild's new schema, not the one on disk
    return writer


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if the indexing run is killed, rather than let it
    write on for nothing (elsewhere this does nothing)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
