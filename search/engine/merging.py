"""When an indexing run merges segments: keep a few large segments, not one per run, and
none that is mostly deleted documents.

Every incremental run adds a segment (its changed articles) and marks the old copies deleted
in older ones. Whoosh's default policy (MERGE_SMALL) merges only while the small segments
hold fewer documents than a Fibonacci number of their count (34 documents for five), so on
a real index it never fires: after 50 runs of a few articles each, a 10 MB index had 10
segments and searched at half the speed of a fresh build. Each query pays per segment
(matchers, scorers, posting lookups), so the small ones are folded into the run's own
segment once there are a few of them; the merged copy also drops their deleted documents.

A deleted document stays in its segment's postings, read and skipped by every query, until
the segment is rewritten; so a segment of which `REWRITE_DELETED` or more is deleted is
rewritten too (folded into the run's segment, its deleted documents dropped), and the
index's share of dead postings stays under that fraction however many runs it has seen.

The two shares were chosen on `bench/scale.py`'s incremental measurement (10 MB, 50 runs of
three changed articles each, grown index against a fresh build, side by side): at 0.1 / 0.2
(small share / rewrite share) queries on the grown index took 1.33-1.36x a fresh build's, 7
segment files; at 0.25 / 0.1, 1.08-1.09x with 2, for runs 5-20% longer in all (longest run 8.7
against 8.4 s, when a large segment is rewritten).

A segment of at least half the largest's documents is never small: a large build is written
as a few segments of similar size (two per worker, `compaction`), at 100 MB four of 27, 23, 27
and 23% of the documents. Counting the two of 23% small (under a quarter of the index), the
second run that changed three articles folded them, 46% of the index, through Whoosh's
`add_reader`: 78 s and 410 MB at 100 MB, against 2-4 s and 150 MB for the runs around it.
Measuring small against the largest segment alone (a quarter of it) avoided that but let the
runs' own merged segment stop growing at an eighth of a 10 MB index (two halves): 5 segments
after the 50 runs and 1.20x a fresh build's queries, against 3 and 1.09x. With both bounds a
build's similar segments stay as they are and the runs' segments still gather up to a quarter
of the index.

Folding is the slow way to rewrite documents: `add_reader` pools every posting of the folded
segments again, in one process. A 100 MB run that changed 600 articles (11%) left every
segment a tenth deleted, so it folded all four: 251 s and 678 MB, where a build of the whole
corpus by the workers takes 50-60 s and 422 MB. So a run that would fold more than
REBUILD_SHARE of the index's live documents (and at least REBUILD_MIN_DOCUMENTS) writes the
whole corpus afresh instead (`rebuild_instead`; `index.build` decides before writing). A
fold's memory follows what it folds, not the corpus (at 100 MB, 23% of the documents folded:
25 s and 259 MB; 46%: 78 s and 400 MB), while a build's stays flat: so a run that would fold
more than FOLD_MOST_DOCUMENTS (about 30 MB of text) rebuilds too, whatever the corpus's size.

Whoosh keeps each document's field length in one byte (rounded), and its `add_reader` sums
those rounded lengths into the merged segment's total, so a merged segment's average length
(hence every BM25 score) drifted from a clean build's. `_fold` sets the total to the exact
one: the source segment's total less what its deleted documents held (`stats.removed_stats`).
Whoosh internals touched (written against Whoosh 2.7.4): the per-document writer's
`_fieldlengths`, the running totals the new segment's field lengths are saved from.
"""

from __future__ import annotations

from whoosh.reading import SegmentReader

from .stats import removed_stats

SMALL_SHARE = 0.25  # a segment with at most this share of the index's documents is small,
BASE_SHARE = 0.5  # unless it has more than this share of the largest segment's
MERGE_AT = 3  # merge the small segments once there are this many
REWRITE_DELETED = 0.1  # rewrite a segment once this share of its documents is deleted
REBUILD_SHARE = 0.2  # a run that would fold more of the live documents rebuilds instead,
REBUILD_MIN_DOCUMENTS = 10_000  # when that is at least this many (a 10 MB index has 33,000)
FOLD_MOST_DOCUMENTS = 100_000  # and one that would fold more than this rebuilds at any share


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh merge policy: fold the small segments into the writer's new segment once there
    are MERGE_AT of them, and every segment that is REWRITE_DELETED deleted; return the
    segments kept as they are."""
    chosen = to_merge(segments)
    for segment in chosen:
        _fold(writer, segment)
    return [segment for segment in segments if segment not in chosen]


def to_merge(segments: list) -> list:
    """The segments an indexing run folds into its own: the small ones (at most SMALL_SHARE
    of the index's documents and BASE_SHARE of the largest segment's) once there are
    MERGE_AT of them, and every one with REWRITE_DELETED of its documents deleted."""
    sizes = [segment.doc_count_all() for segment in segments]
    most = min(SMALL_SHARE * sum(sizes), BASE_SHARE * max(sizes, default=0))
    small = [segment for segment, size in zip(segments, sizes, strict=True) if size <= most]
    chosen = small if len(small) >= MERGE_AT else []
    return chosen + [segment for segment in segments if segment not in chosen
                     and segment.deleted_count() >= REWRITE_DELETED * segment.doc_count_all()]


def rebuild_instead(sizes: list[tuple[int, int]]) -> bool:
    """Whether a run should write the whole corpus afresh rather than fold, given each
    segment's (documents, deleted documents once the run's deletions are made)."""
    segments = [_Sized(documents, deleted) for documents, deleted in sizes]
    folded = sum(segment.live for segment in to_merge(segments))
    live = sum(segment.live for segment in segments)
    return folded >= REBUILD_MIN_DOCUMENTS and (folded > REBUILD_SHARE * live
                                                or folded > FOLD_MOST_DOCUMENTS)


class _Sized:
    """A segment's counts, as `to_merge` reads them."""

    def __init__(self, documents: int, deleted: int = 0) -> None:
        self.documents, self.deleted = documents, deleted
        self.live = documents - deleted

    def doc_count_all(self) -> int:
        return self.documents

    def deleted_count(self) -> int:
        return self.deleted


def _fold(writer, segment) -> None:
    """Add a segment's live documents to the writer's new segment, with exact field lengths."""
    totals = getattr(writer.perdocwriter, "_fieldlengths", None)
    before = dict(totals or {})
    reader = SegmentReader(writer.storage, writer.schema, segment)
    try:
        writer.add_reader(reader)
        if totals is None:
            return
        removed = removed_stats(writer.storage, writer.schema, [segment], {})
        deleted = removed[segment.segment_id()].lengths if removed else {}
        for fieldname in {*before, *totals}:
            if fieldname in writer.schema and writer.schema[fieldname].scorable:
                exact = reader.field_length(fieldname) - deleted.get(fieldname, 0)
                totals[fieldname] = before.get(fieldname, 0) + exact
    finally:
        reader.close()
