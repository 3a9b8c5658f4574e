"""The Whoosh index: schema, analyser, and a safe, incremental build.

One Whoosh document per block (a paragraph, heading, caption...), one per article holding its
metadata, and one per article holding its full text (for `show` and quotation alignment).
Re-indexing touches only files whose content or catalog entry changed; Whoosh commits a run
atomically, so an interrupted run leaves the previous index as it was.
"""

from __future__ import annotations

import json
import os
import pickle
import struct
import time
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path

from whoosh import index, query, writing

from ..analyse import ANALYSER_VERSION, stem
from ..catalog import ArticleMeta, OriginalPublication, load_catalog
from ..duplicates import sketch
from ..errors import IndexIncompatible, IndexLocked, IndexNotFound, InputError
from ..ingest import Article, content_hash, file_hash, find_article_files, read_article
from ..layout import KIND_WEIGHT
from .lock import IndexLock
from .schema import SCHEMA_VERSION, Analysed, make_schema
from .segments import open_writer
from .workers import Job, Progress, write_jobs

VERSION_FILE = "seedsearch.json"
VOCABULARY_FILE = "vocabulary.json"
LOCK_WAIT_SECONDS = 10.0  # a writer that just finished may still be releasing the lock

@dataclass
class IndexReport:
    """What an indexing run did."""

    index_dir: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    not_articles: list[tuple[str, str]] = field(default_factory=list)  # files of other formats
    articles: int = 0
    blocks: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return the report as plain data for JSON output."""
        return asdict(self)


# What Whoosh's own code raises when its files were truncated, overwritten or deleted under
# it. Only calls into Whoosh are guarded with this: in our code a KeyError or TypeError is a
# bug, and must surface as one rather than as "damaged, rebuild".
DAMAGE_ERRORS = (index.IndexError, index.EmptyIndexError, OSError, EOFError, ValueError,
                 KeyError, IndexError, TypeError, AttributeError, struct.error,
                 pickle.UnpicklingError, zlib.error)


def damaged(index_dir: Path, exc: BaseException) -> IndexIncompatible:
    """The error for an index whose files cannot be read."""
    return IndexIncompatible(f"The index in {index_dir} is damaged ({type(exc).__name__}); "
                             "rebuild with `seedsearch index --rebuild`.")


def open_whoosh(index_dir: Path) -> index.Index:
    """Open an existing index, refusing a missing or incompatible one with the fix."""
    if not (index_dir / VERSION_FILE).is_file():
        if index_dir.is_dir() and index.exists_in(str(index_dir)):
            raise IndexIncompatible(
                f"The index in {index_dir} was written by another version; "
                "rebuild with `seedsearch index --rebuild`."
            )
        raise IndexNotFound(f"No index in {index_dir}. Run `seedsearch index` first.")
    _check_version(index_dir)
    try:
        whoosh_index = index.open_dir(str(index_dir))
        with whoosh_index.searcher() as searcher:
            # Touch the postings and stored fields through the few article records: cheap,
            # unlike a query over every block. Callers reading more wrap it in DAMAGE_ERRORS.
            searcher.search(query.Term("rectype", "article"), limit=1)
    except DAMAGE_ERRORS as exc:
        raise damaged(index_dir, exc) from exc
    return whoosh_index


def _check_version(index_dir: Path) -> None:
    try:
        info = json.loads((index_dir / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexIncompatible(
            f"{index_dir / VERSION_FILE} is unreadable; rebuild with `seedsearch index --rebuild`."
        ) from exc
    if info.get("schema") != SCHEMA_VERSION or info.get("analyser") != ANALYSER_VERSION:
        raise IndexIncompatible(
            f"The index in {index_dir} was built by an incompatible version "
            f"(schema {info.get('schema')}, analyser {info.get('analyser')}; this version "
            f"writes schema {SCHEMA_VERSION}, analyser {ANALYSER_VERSION}); "
            "rebuild with `seedsearch index --rebuild`."
        )


def build(paths: Iterable[str | Path], index_dir: str | Path, rebuild: bool = False,
          progress: Progress | None = None, fast: bool = True) -> IndexReport:
    """Index the articles under paths into index_dir, re-reading only what changed.

    fast=False writes with Whoosh's own segment writer instead of `FastSegmentWriter`."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    report = IndexReport(str(index_dir))
    files = find_article_files([Path(p) for p in paths], report.not_articles)
    index_dir.mkdir(parents=True, exist_ok=True)
    with IndexLock(index_dir) as lock:
        report.warnings.extend(lock.warnings)
        whoosh_index = _open_for_writing(index_dir, rebuild)
        known = {} if rebuild else _known_articles(whoosh_index)
        jobs = _changed(files, known, report)
        removed = _removed(known, files, [Path(p) for p in paths])
        vocabulary = _write(whoosh_index, jobs, known, removed, report, rebuild, progress,
                            fast)
        _save_vocabulary(index_dir, *vocabulary, reset=rebuild)
        report.articles, report.blocks = _counts(whoosh_index)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _counts(whoosh_index: index.Index) -> tuple[int, int]:
    """Live articles and blocks (Whoosh's term frequencies still count deleted documents)."""
    with whoosh_index.searcher() as searcher:
        return tuple(len(searcher.search(query.Term("rectype", kind), limit=None, scored=False))
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
        _write_atomically(index_dir / VERSION_FILE, json.dumps(info))
        (index_dir / VOCABULARY_FILE).unlink(missing_ok=True)
        return whoosh_index
    return open_whoosh(index_dir)


def _readable(index_dir: Path) -> bool:
    try:
        open_whoosh(index_dir).close()
    except (IndexIncompatible, IndexNotFound):
        return False
    return True


def _known_articles(whoosh_index: index.Index) -> dict[str, dict]:
    """Return {path: {"doc_id", "content_hash"}} for the articles already indexed."""
    try:
        with whoosh_index.searcher() as searcher:
            records = list(searcher.documents(rectype="article"))
    except DAMAGE_ERRORS as exc:
        raise damaged(Path(whoosh_index.storage.folder), exc) from exc
    if not all({"path", "doc_id", "content_hash"} <= set(stored) for stored in records):
        raise damaged(Path(whoosh_index.storage.folder), ValueError("article record"))
    return {stored["path"]: {"doc_id": stored["doc_id"], "content_hash": stored["content_hash"]}
            for stored in records}


def _changed(files: list[Path], known: dict[str, dict], report: IndexReport) -> list[Job]:
    """Read each file and keep those whose text or catalog entry changed since indexing."""
    catalogs: dict[Path, dict[str, dict]] = {}
    jobs = []
    for path in files:
        try:
            if path.parent not in catalogs:  # once a folder, not once a file
                catalogs[path.parent] = load_catalog(path.parent)
            catalog = catalogs[path.parent]
            digest = file_hash(path)
        except InputError as exc:
            report.skipped.append((str(path), str(exc)))
            continue
        fingerprint = _fingerprint(digest, catalog.get(path.stem))
        previous = known.get(str(path))
        if previous and previous["content_hash"] == fingerprint:
            report.unchanged.append(str(path))
            continue
        jobs.append(Job(path, path.stat().st_size, path.stem, catalog))
    return jobs


def _fingerprint(digest: str, entry: dict | None) -> str:
    catalog_part = json.dumps(entry, sort_keys=True, default=str) if entry else ""
    return f"{digest}:{content_hash(catalog_part)[:16]}"


def _removed(known: dict[str, dict], files: list[Path], roots: list[Path]) -> list[str]:
    """Indexed articles whose file is gone (or no longer under the folders given)."""
    present = {str(path) for path in files}
    removed = []
    for path in known:
        if path in present:
            continue
        under_root = any(_is_under(Path(path), root) for root in roots)
        if under_root or not Path(path).exists():
            removed.append(path)
    return removed


def _is_under(path: Path, root: Path) -> bool:
    try:
        return path == root or path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def _write(whoosh_index: index.Index, jobs: list[Job], known: dict[str, dict],
           removed: list[str], report: IndexReport, clear: bool,
           progress: Progress | None, fast: bool = True) -> tuple[Counter[str], dict[str, str]]:
    """Write the changed articles and drop the removed ones in one commit; return the
    word counts and stems of the articles written."""
    if not jobs and not removed and not clear:
        return Counter(), {}
    try:
        writer = open_writer(whoosh_index, fast, timeout=LOCK_WAIT_SECONDS)
    except index.LockError as exc:
        raise IndexLocked(
            f"Another process holds the write lock of {report.index_dir}; wait for it to "
            "finish (or stop it) and retry."
        ) from exc
    if clear:  # a rebuild writes this version's schema, whatever the old index had
        writer.schema = make_schema()
    try:
        taken = {info["doc_id"]: path for path, info in known.items() if path not in removed}
        for job in jobs:
            taken.pop(known.get(str(job.path), {}).get("doc_id", ""), None)
            job.doc_id = _unique_id(job.path.stem, str(job.path), taken)
        outcome = write_jobs(writer, jobs, _job_records, progress)
        report.skipped.extend(outcome.skipped)
        report.warnings.extend(outcome.warnings)
        for path in removed + outcome.written:
            # Deletes reach only the committed segments, never the documents just added.
            writer.delete_by_term("path", path)
        report.removed.extend(removed)
        written = set(outcome.written)
        for path in (str(job.path) for job in jobs if str(job.path) in written):  # file order
            (report.updated if path in known else report.added).append(path)
        # CLEAR drops every earlier segment in the same atomic commit: a rebuild that dies
        # before this line leaves the previous index whole.
        writer.commit_with(outcome.segments, mergetype=writing.CLEAR if clear else None)
    except BaseException:
        writer.cancel()
        _remove_uncommitted(whoosh_index)
        raise
    return outcome.vocabulary, outcome.stems


def _remove_uncommitted(whoosh_index: index.Index) -> None:
    """Delete the segment files a failed or interrupted run wrote (its workers' and its own)
    but never committed; the files of the committed index are left alone."""
    try:
        toc = index.TOC.read(whoosh_index.storage, whoosh_index.indexname)
        index.clean_files(whoosh_index.storage, whoosh_index.indexname, toc.generation,
                          toc.segments)
    except DAMAGE_ERRORS:
        pass  # leftovers are harmless: the next commit removes them


def _job_records(job: Job) -> tuple[Iterable[dict], Counter[str], dict[str, str], tuple[str, ...]]:
    """The documents of one changed article, and its words' counts and stems for the
    vocabulary (stemmed where the words were, so the committing process need not)."""
    article = read_article(job.path, job.catalog)  # changed since hashed? The next run sees it
    fingerprint = _fingerprint(file_hash(job.path), job.catalog.get(job.path.stem))
    records = list(_records(article, job.doc_id, fingerprint))
    words: Counter[str] = Counter()
    for record in records:
        if isinstance(record.get("content"), Analysed):
            words.update(record["content"].words)
    return records, words, {word: stem(word) for word in words}, article.warnings


def _unique_id(doc_id: str, path: str, taken: dict[str, str]) -> str:
    """Keep the file stem as id unless another file already uses it."""
    candidate = doc_id
    if taken.get(candidate, path) != path:
        candidate = f"{doc_id}-{content_hash(path)[:6]}"
    taken[candidate] = path
    return candidate


def _records(article: Article, doc_id: str, fingerprint: str) -> Iterable[dict]:
    meta = article.meta
    common = {"doc_id": doc_id, "path": meta.path}
    searchable: dict[str, object] = {
        "title": f"{meta.title} {meta.subtitle}".strip(), "author": meta.author,
        "publication": f"{meta.publication} {meta.publisher}".strip(),
        "doc": doc_id.replace("_", " "),
    }
    when = _as_datetime(meta.date)
    if when:
        searchable["date"] = when
    body = sketch(block.text for block in article.paragraphs)
    yield {**common, **searchable, "rectype": "article", "content_hash": fingerprint,
           "data": json.dumps(meta_to_dict(meta, doc_id)), "sketch": json.dumps(body)}
    yield {**common, "rectype": "source", "data": article.text}
    sections: dict[str, Analysed] = {}
    for block in article.blocks:
        if block.section not in sections:
            sections[block.section] = Analysed.of(block.section)
        yield {**common, "rectype": "block", "content": Analysed.of(block.text),
               "_stored_content": block.text, "section": sections[block.section],
               "_stored_section": block.section, "kind": block.kind.value,
               "paragraph": block.paragraph or 0, "order": block.order,
               "weight": round(KIND_WEIGHT[block.kind] * 100), "line_start": block.line_start,
               "line_end": block.line_end, "start": block.start, "end": block.end,
               "place": _place(block)}


def _place(block) -> str:
    """A block's page labels and anchor, "" for a text block (most blocks: stored small)."""
    if not (block.page_start or block.anchor):
        return ""
    return json.dumps([block.page_start, block.page_end, block.anchor], ensure_ascii=False)


def _as_datetime(date: str) -> datetime | None:
    if not date:
        return None
    parts = [int(part) for part in date.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2])


def meta_to_dict(meta: ArticleMeta, doc_id: str | None = None) -> dict:
    """Return metadata as plain data (the id may differ from the stem on a name clash)."""
    data = asdict(meta)
    if doc_id:
        data["doc_id"] = doc_id
    return data


_META_FIELDS = {f.name for f in fields(ArticleMeta)}
_ORIGINAL_FIELDS = {f.name for f in fields(OriginalPublication)}
_META_LISTS = ("authors", "author_roles", "translators", "notes", "extra", "title_case")


def meta_from_json(raw: str) -> ArticleMeta:
    """Rebuild ArticleMeta from a stored article record, refusing one of the wrong shape
    with ValueError (a damaged index, not a bug)."""
    data = json.loads(raw)
    if not isinstance(data, dict) or not {"doc_id", "path", "title"} <= set(data) <= _META_FIELDS:
        raise ValueError("an article record of the wrong shape")
    original = data.get("original")
    if original is not None and (not isinstance(original, dict)
                                 or not set(original) <= _ORIGINAL_FIELDS):
        raise ValueError("an article record of the wrong shape")
    if not all(isinstance(data.get(name, []), list) for name in _META_LISTS):
        raise ValueError("an article record of the wrong shape")
    return meta_from_dict(data)


def meta_from_dict(data: dict) -> ArticleMeta:
    """Rebuild ArticleMeta from `meta_to_dict` output."""
    data = dict(data)
    original = data.pop("original", None)
    for name in ("authors", "author_roles", "translators"):
        data[name] = tuple(data.get(name, ()))
    data["notes"] = tuple(tuple(pair) for pair in data.get("notes", ()))
    data["extra"] = tuple(tuple(pair) for pair in data.get("extra", ()))
    data["title_case"] = tuple(tuple(pair) for pair in data.get("title_case", ()))
    return ArticleMeta(**data, original=OriginalPublication(**original) if original else None)


def load_vocabulary(index_dir: Path) -> dict[str, list]:
    """Return {word: [stem, count]} for the indexed text ({} if the table is missing)."""
    try:
        data = json.loads((index_dir / VOCABULARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not all(
            isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
            and isinstance(entry[1], int) for entry in data.values()):
        return {}  # a table of the wrong shape: no spelling help, the index still works
    return data


def _save_vocabulary(index_dir: Path, counts: Counter[str], stems: dict[str, str],
                     reset: bool) -> None:
    if not counts and not reset:
        return
    table = {} if reset else load_vocabulary(index_dir)
    for word, count in counts.items():
        previous = table.get(word, [None, 0])
        table[word] = [stems.get(word) or stem(word), previous[1] + count]
    _write_atomically(index_dir / VOCABULARY_FILE, json.dumps(table, ensure_ascii=False))


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

