"""Blocks where an article may define a short form: the first block naming it in each article.

An article spells a name out at its first mention, "the New Economic Policy (NEP)", so the
first block of each article holding the short form is where `acronyms.defined_expansion`
looks. Reading stops after a few articles: one definition is enough, and a short form in
thousands of blocks must not cost a read of each.

An article's records are written together, its metadata and text records first (`not_blocks`),
then its blocks; so past an article's first mention the postings skip straight to the next
article's first record, and each article costs one stored read however many of its blocks
name the form (a dictionary article names a common short form in hundreds of entries: that
was a stored read each, a few ms a query).
"""

from __future__ import annotations

from bisect import bisect_right

from whoosh.searching import Searcher

from . import postings
from .query import not_blocks
from .records import stored_fields
from .rows import record_reader

DEFINING_ARTICLES = 5  # articles whose first mention is read
DEFINING_POSTINGS = 400  # postings visited at most while looking for them


def first_mentions(searcher: Searcher, stemmed: str, articles: int = DEFINING_ARTICLES) -> list[str]:
    """Return the text of the first block holding a stem in each of up to `articles` articles
    (index order), visiting at most DEFINING_POSTINGS postings (deleted blocks not visited).

    Each segment's postings are read through its own leaf matcher (one term look-up a
    segment: Whoosh's multi-segment matcher asks each segment twice and wraps each list);
    they are visited as its multi-segment matcher visits them."""
    try:
        text = searcher.schema["content"].to_bytes(stemmed)
    except ValueError:
        return []
    skip = not_blocks(searcher)
    starts = _record_starts(searcher)
    read = record_reader(searcher.reader())
    texts: dict[str, str] = {}
    visited = 0
    target = 0  # the next docnum to read from (the next article's first record)
    for reader, base in postings.segments(searcher):
        if base + reader.doc_count_all() <= target:
            continue
        leaf = postings.term_leaf(reader, "content", text)
        if leaf is None:
            continue
        deleted = postings.deleted_set(reader)
        if target > base and leaf.is_active():
            leaf.skip_to(target - base)
        while leaf.is_active() and visited < DEFINING_POSTINGS and len(texts) < articles:
            local = leaf.id()
            if local in deleted:
                leaf.next()
                continue
            docnum = base + local
            visited += 1
            if docnum in skip:
                leaf.next()
                continue
            block = stored_fields(read(docnum))
            texts.setdefault(block["doc_id"], block["content"])
            following = bisect_right(starts, docnum)  # the next article's first record
            if following == len(starts):
                return list(texts.values())
            target = starts[following]
            if target - base >= reader.doc_count_all():
                break
            leaf.skip_to(target - base)
        if visited >= DEFINING_POSTINGS or len(texts) >= articles:
            break
    return list(texts.values())


def _record_starts(searcher: Searcher) -> list[int]:
    """The docnums of the article and text records, ascending (made once per searcher)."""
    found = getattr(searcher, "_seedsearch_record_starts", None)
    if found is None:
        found = sorted(not_blocks(searcher))
        searcher._seedsearch_record_starts = found
    return found
