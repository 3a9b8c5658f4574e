"""The Whoosh index: opening it, checking its version, and a safe, incremental build.

One Whoosh document per block (a paragraph, heading, caption...), one per article holding its
metadata, and one per article holding its full text (`records.py`). A run reads only files
whose content or catalog entry changed, moved or vanished (`plan.py`) and commits once: the
new segments, the deletions, and the generation's live statistics and vocabulary
(`stats.py`, written just before Whoosh's table of contents) become visible together, so an
interrupted or killed run leaves the previous index as it was; every run starts and ends by
removing what killed runs left behind (`housekeeping.py`).
"""

from __future__ import annotations

import json
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from whoosh import index, query, writing

from ..analyse import ANALYSER_VERSION
from ..errors import IndexIncompatible, IndexLocked, IndexNotFound, IndexReadOnly, InputError
from ..files import content_hash
from ..ingest import read_article
from . import blockids, impactwriter, mapped, postings, stats
from .copygroups import Sketches, open_copies, write_copies
from .housekeeping import remove_stray_files
from .lexicon import write_lexicon
from .lock import IndexLock
from .merging import merge_small_segments, rebuild_instead
from .opening import (  # re-exported: the index's readers and tests know them from here
    DAMAGE_ERRORS,
    READER_LOCK_SECONDS,
    VERSION_FILE,
    damaged,
    open_whoosh,
    writable,
)
from .plan import Known, Plan, article_files, fingerprint_of, make_plan
from .records import records as _records
from .report import IndexReport, Progress
from .schema import SCHEMA_VERSION, Analysed, make_schema
from .segments import open_writer
from .vector_index import update_vectors
from .workers import Job, write_jobs

LOCK_WAIT_SECONDS = 10.0  # a writer that just finished may still be releasing the lock



def build(paths: Iterable[str | Path], index_dir: str | Path, rebuild: bool = False,
          progress: Progress | None = None, fast: bool = True,
          vectors: bool | None = None) -> IndexReport:
    """Index the articles under paths into index_dir, re-reading only what changed.

    fast=False writes with Whoosh's own segment writer instead of `FastSegmentWriter`.
    vectors: True to keep a sentence vector per block, False to drop them, None to keep
    them if the index has them or the corpus is small enough (vectors.DEFAULT_LIMIT_CHARS).
    """
    started = time.perf_counter()
    mapped.use_views()  # a new index's readers too: Whoosh copies every segment's files whole
    blockids.install()  # block document numbers decoded in C (engine/blockids.py)
    index_dir = Path(index_dir)
    report = IndexReport(str(index_dir))
    files, root = article_files([Path(p) for p in paths], report.not_articles)
    make_index_folder(index_dir)
    with IndexLock(index_dir, wait=READER_LOCK_SECONDS) as lock:
        report.warnings.extend(lock.warnings)
        remove_stray_files(index_dir)
        whoosh_index = _open_for_writing(index_dir, rebuild)
        known = {} if rebuild else _known_articles(whoosh_index)
        plan = make_plan(files, root, known)
        report.unchanged, report.skipped = plan.unchanged, plan.skipped
        if not rebuild and known and _folds_too_much(whoosh_index, plan, known):
            plan.jobs = make_plan(files, root, {}).jobs  # every file read afresh
            report.warnings.append("Wrote the whole index afresh: this run's changes would have "
                                   "rewritten more of it than a fresh build costs.")
            rebuild = True
        if not _write(whoosh_index, plan, known, report, rebuild, progress, fast):
            _ensure_derived(whoosh_index)
        remove_stray_files(index_dir)
        report.articles, report.blocks = _counts(whoosh_index)
        done = update_vectors(index_dir, whoosh_index, vectors, report.blocks, progress)
        report.vectors, report.embedded, report.vector_seconds = done.blocks, done.embedded, done.seconds
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _folds_too_much(whoosh_index: index.Index, plan: Plan, known: dict[str, Known]) -> bool:
    """Whether the merge policy would fold so much of the index after this run's deletions
    that writing the whole corpus afresh costs less (`merging.rebuild_instead`)."""
    leaving = plan.removed + [old for old, _ in plan.moved] + [
        str(job.path) for job in plan.jobs if str(job.path) in known]
    try:
        with whoosh_index.searcher() as searcher:
            leaves = postings.segments(searcher)
            starts = [base for _, base in leaves]
            deleted = [reader.segment().deleted_count() for reader, _ in leaves]
            for path in leaving:
                for docnum in searcher.document_numbers(path=path):
                    deleted[bisect_right(starts, docnum) - 1] += 1
            sizes = [(reader.doc_count_all(), gone)
                     for (reader, _), gone in zip(leaves, deleted, strict=True)]
    except DAMAGE_ERRORS as exc:
        raise damaged(Path(whoosh_index.storage.folder), exc) from exc
    return rebuild_instead(sizes)


def make_index_folder(index_dir: Path) -> None:
    """Create the index folder, or say in one line why it cannot be written."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise InputError(f"{index_dir} is a file, not a folder; give another --index.") from exc
    except OSError as exc:
        raise IndexReadOnly(f"Cannot create the index folder {index_dir} "
                            f"({exc.strerror}); give another --index.") from exc
    if not writable(index_dir):
        raise IndexReadOnly(f"The index folder {index_dir} is read-only; make it writable "
                            "or give another --index.")

def _counts(whoosh_index: index.Index) -> tuple[int, int]:
    """Live articles and blocks (Whoosh's term frequencies still count deleted documents).

    Counted off the matchers, not by a search with limit=None, which lists every docnum."""
    with whoosh_index.searcher() as searcher:
        return tuple(sum(1 for _ in query.Term("rectype", kind).docs(searcher))
                     for kind in ("article", "block"))  # type: ignore[return-value]


def _open_for_writing(index_dir: Path, rebuild: bool) -> index.Index:
    """Open the index to update it; a rebuild of a readable index replaces it only at commit."""
    if rebuild and _readable(index_dir):
        return open_whoosh(index_dir)
    if rebuild or not (index_dir / VERSION_FILE).is_file():
        if not rebuild and index.exists_in(str(index_dir)):
            raise IndexIncompatible(
                f"The index in {index_dir} was written by another version; "
                "rebuild with `seedsearch index --rebuild`."
            )
        whoosh_index = index.create_in(str(index_dir), make_schema())
        info = {"schema": SCHEMA_VERSION, "analyser": ANALYSER_VERSION}
        stats.write_atomically(index_dir / VERSION_FILE, json.dumps(info))
        return whoosh_index
    return open_whoosh(index_dir)


def _readable(index_dir: Path) -> bool:
    try:
        open_whoosh(index_dir).close()
    except (IndexIncompatible, IndexNotFound):
        return False
    return True


def _known_articles(whoosh_index: index.Index) -> dict[str, Known]:
    """Return {identity path: Known} for the articles already indexed."""
    try:
        with whoosh_index.searcher() as searcher:
            stored = list(searcher.documents(rectype="article"))
    except DAMAGE_ERRORS as exc:
        raise damaged(Path(whoosh_index.storage.folder), exc) from exc
    if not all({"path", "doc_id", "content_hash"} <= set(record) for record in stored):
        raise damaged(Path(whoosh_index.storage.folder), ValueError("article record"))
    return {record["path"]: Known(record["path"], record["doc_id"], record["content_hash"])
            for record in stored}


def _write(whoosh_index: index.Index, plan: Plan, known: dict[str, Known],
           report: IndexReport, clear: bool, progress: Progress | None,
           fast: bool = True) -> bool:
    """Write the changed articles and drop the removed ones in one commit, with the
    statistics and vocabulary of the new generation; return False when there was nothing
    to do."""
    if not plan.jobs and not plan.removed and not plan.moved and not clear:
        return False
    writer = _open_writer(whoosh_index, report, fast)
    if clear:  # a rebuild writes this version's schema, whatever the old index had
        writer.schema = make_schema()
    try:
        outcome = _write_jobs(writer, plan, known, progress)
        written = set(outcome.written)
        plan.moved = [(old, new) for old, new in plan.moved if new in written]
        moved_to = {new for _, new in plan.moved}
        # Deletes reach only the committed segments, never the documents just added.
        doomed = plan.removed + [old for old, _ in plan.moved] + [
            path for path in outcome.written if path in known]
        vocabulary = _next_vocabulary(whoosh_index, outcome, doomed, clear)
        sketches = _next_sketches(whoosh_index, outcome, {known[path].doc_id for path in doomed
                                                          if path in known}, clear)
        if not clear:  # (a rebuild drops every earlier segment whole)
            for path in doomed:
                writer.delete_by_term("path", path)
        _fill_report(report, plan, outcome, known, moved_to)
        index_dir = Path(whoosh_index.storage.folder)

        def save_derived(segments: list, generation: int) -> None:
            previous = {} if clear else (stats.load_removed(index_dir, generation - 1) or {})
            removed = stats.removed_stats(writer.storage, writer.schema, segments, previous)
            stats.save(index_dir, generation, removed, vocabulary)
            write_lexicon(index_dir, generation, vocabulary)  # the read side's compact copy
            write_copies(index_dir, generation, sketches)
            impactwriter.write_missing(writer.storage, writer.schema, segments)

        # CLEAR drops every earlier segment in the same atomic commit: a rebuild that dies
        # before this line leaves the previous index whole.
        writer.commit_with(outcome.segments,
                           mergetype=writing.CLEAR if clear else merge_small_segments,
                           before_toc=save_derived)
    except BaseException:
        writer.cancel()
        _remove_uncommitted(whoosh_index)
        raise
    return True


def _open_writer(whoosh_index: index.Index, report: IndexReport, fast: bool):
    try:
        return open_writer(whoosh_index, fast, timeout=LOCK_WAIT_SECONDS)
    except index.LockError as exc:
        raise IndexLocked(
            f"Another process holds the write lock of {report.index_dir}; wait for it to "
            "finish (or stop it) and retry."
        ) from exc


def _write_jobs(writer, plan: Plan, known: dict[str, Known], progress: Progress | None):
    """Give each job its document id, then write them (in workers when worth it)."""
    leaving = set(plan.removed) | {old for old, _ in plan.moved}
    taken = {info.doc_id: path for path, info in known.items() if path not in leaving}
    for job in plan.jobs:
        previous = known.get(str(job.path))
        if previous is not None:
            taken.pop(previous.doc_id, None)
        job.doc_id = _unique_id(job.path.stem, str(job.path), taken)
    return write_jobs(writer, plan.jobs, _job_records, progress)


def _fill_report(report: IndexReport, plan: Plan, outcome, known: dict[str, Known],
                 moved_to: set[str]) -> None:
    report.skipped.extend(outcome.skipped)
    report.warnings.extend(outcome.warnings)
    report.removed.extend(plan.removed)
    report.moved.extend(plan.moved)
    written = set(outcome.written)
    unchanged = set(plan.unchanged)  # (read again only when the run rebuilt the index)
    for job in plan.jobs:  # in file order, however the workers shared them out
        path = str(job.path)
        if path in written and path not in moved_to and path not in unchanged:
            (report.updated if path in known else report.added).append(path)


def _next_vocabulary(whoosh_index: index.Index, outcome, doomed: list[str],
                     clear: bool) -> stats.Vocabulary:
    """The vocabulary after this run: the last one, less the words of the records about to
    be deleted, plus those of the articles written."""
    if clear:
        return stats.updated_vocabulary({}, outcome.vocabulary, outcome.stems, Counter())
    try:
        with whoosh_index.searcher() as searcher:
            generation = stats.generation_of(whoosh_index, searcher.reader())
            previous = stats.load_vocabulary(Path(whoosh_index.storage.folder), generation)
            if previous is None:
                previous = stats.vocabulary_of_index(searcher)
            gone: Counter[str] = Counter()
            for path in doomed:
                for stored in searcher.documents(path=path):
                    gone.update(stats.block_words(stored))
    except DAMAGE_ERRORS as exc:
        raise damaged(Path(whoosh_index.storage.folder), exc) from exc
    return stats.updated_vocabulary(previous, outcome.vocabulary, outcome.stems, gone)


def _next_sketches(whoosh_index: index.Index, outcome, doomed: set[str],
                   clear: bool) -> Sketches:
    """Every live article's sketch after this run: the last generation's, less the articles
    about to be deleted, plus those written."""
    sketches = {} if clear else _sketches_of(whoosh_index)
    for doc_id in doomed:
        sketches.pop(doc_id, None)
    sketches.update(outcome.sketches)
    return sketches


def _sketches_of(whoosh_index: index.Index) -> Sketches:
    """The latest generation's sketches: from its copies file, or (an index written by an
    older version) from the article records."""
    index_dir = Path(whoosh_index.storage.folder)
    try:
        with whoosh_index.searcher() as searcher:
            generation = stats.generation_of(whoosh_index, searcher.reader())
            groups = open_copies(index_dir, generation)
            if groups is not None:
                return groups.sketches()
            return {str(stored["doc_id"]): json.loads(stored.get("sketch") or "[]")
                    for stored in searcher.documents(rectype="article")}
    except DAMAGE_ERRORS as exc:
        raise damaged(index_dir, exc) from exc


def _ensure_derived(whoosh_index: index.Index) -> None:
    """Write the latest generation's statistics and vocabulary if they are missing (a run
    killed between an older version's commit and its vocabulary, a file deleted by hand)."""
    index_dir = Path(whoosh_index.storage.folder)
    try:
        with whoosh_index.reader() as reader:
            generation = stats.generation_of(whoosh_index, reader)
        if open_copies(index_dir, generation) is None:
            write_copies(index_dir, generation, _sketches_of(whoosh_index))
        if (stats.load_removed(index_dir, generation) is not None
                and stats.load_vocabulary(index_dir, generation) is not None):
            return
        searcher, vocabulary = stats.open_searcher(whoosh_index, None)
        with searcher:
            removed = stats.removed_stats(whoosh_index.storage, whoosh_index.schema,
                                          stats.segments_of(searcher.reader()), {})
            stats.save(index_dir, generation, removed, vocabulary)
    except DAMAGE_ERRORS as exc:
        raise damaged(index_dir, exc) from exc

def _remove_uncommitted(whoosh_index: index.Index) -> None:
    """Delete the segment files a failed or interrupted run wrote (its workers' and its own)
    but never committed; the files of the committed index are left alone."""
    try:
        toc = index.TOC.read(whoosh_index.storage, whoosh_index.indexname)
        index.clean_files(whoosh_index.storage, whoosh_index.indexname, toc.generation,
                          toc.segments)
    except DAMAGE_ERRORS:
        pass  # leftovers are harmless: the next commit removes them


def _job_records(job: Job) -> tuple[Iterable[dict], list[str], tuple[str, ...]]:
    """The documents of one changed article, its words for the vocabulary (each time it uses
    one; the writing process counts and stems them), and what its reader could not read."""
    # changed since the plan hashed it? Then the next run sees it (hashed once: the workers
    # hashing every file again cost a read and a hash of the corpus)
    article = read_article(job.path, job.catalog, shown_as=job.shown)
    fingerprint = job.fingerprint or fingerprint_of(job.path, job.catalog)
    documents = list(_records(article, job.doc_id, str(job.path), fingerprint))
    every: list[str] = []
    for document in documents:
        if isinstance(document.get("content"), Analysed):
            every += document["content"].words
    return documents, every, article.warnings


def _unique_id(doc_id: str, path: str, taken: dict[str, str]) -> str:
    """Keep the file stem as id unless another file already uses it."""
    candidate = doc_id
    if taken.get(candidate, path) != path:
        candidate = f"{doc_id}-{content_hash(path)[:6]}"
    taken[candidate] = path
    return candidate
