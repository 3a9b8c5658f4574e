"""seedsearch: find where a quotation comes from, and whether it was quoted right.

The pipeline, one module a stage, each importing only from stages to its left:

    ingest   read article files into classified, numbered blocks (layout, catalog)
    analyse  normalise typography, tokenise and stem (NLTK Snowball) for index and query
    index    the Whoosh index: schema, incremental safe builds (lock)
    find     query parsing, BM25F ranking by block kind, spelling, snippets
    verify   quotation checking: candidates, alignment, verdicts, speakers (align, attribution)
    cite     APA, MLA, Chicago and plain citations; BibTeX, CSL-JSON and RIS exports

    import search
    lib = search.open("index")              # or search.build(["seeds"], "index")
    for hit in lib.search("kronstadt uprising", limit=5):
        print(hit.citation, hit.paragraph, hit.line_start, hit.text)
"""

from .catalog import ArticleMeta, OriginalPublication
from .errors import (
    ArticleNotFound,
    IndexIncompatible,
    IndexLocked,
    IndexNotFound,
    InputError,
    NothingFound,
    SearchError,
)
from .find import Hit, SearchResult
from .index import IndexReport
from .ingest import Article, Block, read_article
from .layout import Kind
from .manuscript import Manuscript, ManuscriptQuote, read_manuscript
from .library import DocumentInfo, Library, StoredBlock, build
from .verify import Match, Verdict, Verification
from .library import open_library as open  # noqa: A001 - the documented entry point

__all__ = [
    "Article",
    "ArticleMeta",
    "ArticleNotFound",
    "Block",
    "DocumentInfo",
    "Hit",
    "IndexIncompatible",
    "IndexLocked",
    "IndexNotFound",
    "IndexReport",
    "InputError",
    "Kind",
    "Library",
    "Manuscript",
    "ManuscriptQuote",
    "Match",
    "NothingFound",
    "OriginalPublication",
    "SearchError",
    "SearchResult",
    "StoredBlock",
    "Verdict",
    "Verification",
    "build",
    "open",
    "read_article",
    "read_manuscript",
]
