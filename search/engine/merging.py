"""When an indexing run merges segments: keep a few large segments, not one per run.

Every incremental run adds a segment (its changed articles) and marks the old copies deleted
in older ones. Whoosh's default policy (MERGE_SMALL) merges only while the small segments
hold fewer documents than a Fibonacci number of their count (34 documents for five), so on
a real index it never fires: after 50 runs of a few articles each, a 10 MB index had 10
segments and searched at half the speed of a fresh build. Each query pays per segment
(matchers, scorers, posting lookups), so the small ones are folded into the run's own
segment once there are a few of them; the merged copy also drops their deleted documents.
(Rewriting a large segment for its deletions alone is left out: with the live statistics of
`stats` it gave scores a little off a clean build's, and the cause is not yet known.)
"""

from __future__ import annotations

from whoosh.reading import SegmentReader

SMALL_SHARE = 0.1  # a segment under this share of the index's documents is small
MERGE_AT = 3  # merge the small segments once there are this many


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh merge policy: fold the small segments into the writer's new segment once there
    are MERGE_AT of them; return the segments kept as they are."""
    total = sum(segment.doc_count_all() for segment in segments) or 1
    small = [segment for segment in segments
             if segment.doc_count_all() <= SMALL_SHARE * total]
    chosen = small if len(small) >= MERGE_AT else []
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in chosen]
