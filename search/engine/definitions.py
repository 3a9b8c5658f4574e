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

from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from .query import not_blocks
from .records import stored_fields

DEFINING_ARTICLES = 5  # articles whose first mention is read
DEFINING_POSTINGS = 400  # postings visited at most while looking for them


def first_mentions(searcher: Searcher, stemmed: str, articles: int = DEFINING_ARTICLES) -> list[str]:
    """Return the text of the first block holding a stem in each of up to `articles` articles
    (index order), visiting at most DEFINING_POSTINGS postings."""
    try:
        matcher = searcher.reader().postings("content", stemmed)  # deleted blocks left out
    except TermNotFound:
        return []
    skip = not_blocks(searcher)
    starts = _record_starts(searcher)
    texts: dict[str, str] = {}
    visited = 0
    while matcher.is_active() and visited < DEFINING_POSTINGS and len(texts) < articles:
        docnum = matcher.id()
        visited += 1
        if docnum in skip:
            matcher.next()
            continue
        block = stored_fields(searcher.stored_fields(docnum))
        texts.setdefault(block["doc_id"], block["content"])
        following = bisect_right(starts, docnum)  # the next article's first record
        if following == len(starts):
            break
        matcher.skip_to(starts[following])
    return list(texts.values())


def _record_starts(searcher: Searcher) -> list[int]:
    """The docnums of the article and text records, ascending (made once per searcher)."""
    found = getattr(searcher, "_seedsearch_record_starts", None)
    if found is None:
        found = sorted(not_blocks(searcher))
        searcher._seedsearch_record_starts = found
    return found
