"""Blocks where an article may define a short form: the first block naming it in each article.

An article spells a name out at its first mention, "the New Economic Policy (NEP)", so the
first block of each article holding the short form is where `acronyms.defined_expansion`
looks. Reading stops after a few articles: one definition is enough, and a short form in
thousands of blocks must not cost a read of each.
"""

from __future__ import annotations

from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from .query import not_blocks
from .records import stored_fields

DEFINING_ARTICLES = 5  # articles whose first mention is read
DEFINING_POSTINGS = 400  # postings read at most while looking for them


def first_mentions(searcher: Searcher, stemmed: str, articles: int = DEFINING_ARTICLES) -> list[str]:
    """Return the text of the first block holding a stem in each of up to `articles` articles
    (index order), reading at most DEFINING_POSTINGS postings."""
    try:
        matcher = searcher.reader().postings("content", stemmed)  # deleted blocks left out
    except TermNotFound:
        return []
    skip = not_blocks(searcher)
    texts: dict[str, str] = {}
    for read, docnum in enumerate(matcher.all_ids()):
        if read >= DEFINING_POSTINGS or len(texts) >= articles:
            break
        if docnum in skip:
            continue
        block = stored_fields(searcher.stored_fields(docnum))
        texts.setdefault(block["doc_id"], block["content"])
    return list(texts.values())
