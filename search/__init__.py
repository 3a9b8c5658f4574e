"""seedsearch: find where a quotation comes from, and whether it was quoted right.

The pipeline, one module a stage, each importing only from stages to its left:

    ingest   read article files into classified, numbered blocks (layout decides each
             block's kind, kinds names them), with their metadata (catalog), and learn how
             the body cases the title's words (casing); one reader a format under
             readers/ (html, markdown, pdf, epub, docx, drafts); catalog_import fills the
             catalog from a Zotero export
    analyse  normalise typography, tokenise and stem (NLTK Snowball), stop words;
             sentences and quotemarks: the one sentence splitter and quote-mark reader
    engine/  everything that speaks Whoosh: schema, index (safe incremental builds by
             worker processes through a guarded fast segment writer; plan: which files
             changed; stats: live collection statistics committed with each generation;
             housekeeping: stray files), opening (what reading an index needs, apart from
             the build), query parsing, spelling and budget, ranking, candidates (a
             quotation's blocks, from postings read a block at a time by postings;
             definitions: where an article spells out a short form), and store (the read
             side, plain data); a search runs in two stages: topk (kind-weighted
             BM25F, an OR of words scored a block at a time by accumulate, anything else
             pruned by Whoosh) then pool (proximity and feedback on at most 100 passages);
             lexicon and copygroups (files written with each generation, read in place by
             packed), perdoc, mapped and merging keep opening, scoring and updating cheap
             however large the index
    embed    all-MiniLM-L6-v2 sentence vectors (numpy; onnxruntime for batches: embed_onnx),
             shared by ranking and the paraphrase check; vectors: block vectors beside the
             index, made at indexing time (engine/vector_index keeps them in step), with
             an HNSW graph to find the nearest once there are too many to scan (ann)
    find     a search from query to hits: queries as typed (phrasing; acronyms the articles
             define, in both forms), parse, first stage within a work budget, rerank, words
             and meaning blended (hybrid), snippets
    verify   quotation checking: candidates aligned into matches (quotation, align,
             matching), stitched and paraphrased sources, verdicts, speakers (attribution,
             paraphrase); check: whole drafts (manuscript), accepted
             differences (accept), the HTML report (report, with htmlparts)
    cite     APA, MLA, Chicago and plain citations; BibTeX, CSL-JSON and RIS (bibliography);
             text, Markdown, HTML and RTF to paste (paste), the desktop clipboard (clipboard)

    library  the façade a user opens, one method per command; cli and render are the
             command line, web/ the local web page (`seedsearch serve`)

    import search
    lib = search.open("index")              # or search.build(["seeds"], "index")
    for hit in lib.search("kronstadt uprising", limit=5):
        print(hit.citation, hit.paragraph, hit.line_start, hit.text)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .accept import ACCEPT_FILE, accept_entries, read_accepted
    from .accept import HEADER as ACCEPT_HEADER
    from .align import Difference, Edit
    from .catalog import ArticleMeta, OriginalPublication
    from .catalog_import import ImportReport, import_references
    from .check import CheckedQuote, CheckReport
    from .cite import Citation, Pinpoint
    from .clipboard import ClipboardUnavailable
    from .clipboard import copy as copy_to_clipboard
    from .credits import DraftCitation
    from .engine.budget import Work
    from .engine.report import IndexReport
    from .engine.store import StoredBlock
    from .errors import (
        ArticleNotFound,
        IndexIncompatible,
        IndexingFailed,
        IndexLocked,
        IndexNotFound,
        IndexReadOnly,
        InputError,
        NothingFound,
        SearchError,
    )
    from .find import Hit, SearchResult
    from .ingest import Article, Block, read_article
    from .kinds import Kind
    from .library import BatchError, DocumentInfo, Library, build
    from .library import open_library as open
    from .manuscript import Manuscript, ManuscriptQuote, SkippedQuote, read_manuscript
    from .paste import reference_document
    from .quotation import Token
    from .report import report_html
    from .stitching import Part
    from .verify import Match, Verdict, Verification
    from .web import serve

# Each public name and the module that defines it. Names load on first use, so a command
# pays only for the stages it runs (the search command never imports the quotation checker).
_EXPORTS = {
    "ACCEPT_FILE": "accept",
    "ACCEPT_HEADER": "accept",
    "Article": "ingest",
    "ArticleMeta": "catalog",
    "ArticleNotFound": "errors",
    "BatchError": "library",
    "Block": "ingest",
    "CheckReport": "check",
    "CheckedQuote": "check",
    "Citation": "cite",
    "ClipboardUnavailable": "clipboard",
    "Difference": "align",
    "DocumentInfo": "library",
    "DraftCitation": "credits",
    "Edit": "align",
    "Hit": "find",
    "ImportReport": "catalog_import",
    "IndexIncompatible": "errors",
    "IndexLocked": "errors",
    "IndexNotFound": "errors",
    "IndexReadOnly": "errors",
    "IndexReport": "engine.report",
    "IndexingFailed": "errors",
    "InputError": "errors",
    "Kind": "kinds",
    "Library": "library",
    "Manuscript": "manuscript",
    "ManuscriptQuote": "manuscript",
    "Match": "verify",
    "NothingFound": "errors",
    "OriginalPublication": "catalog",
    "Part": "stitching",
    "Pinpoint": "cite",
    "SearchError": "errors",
    "SearchResult": "find",
    "SkippedQuote": "manuscript",
    "StoredBlock": "engine.store",
    "Token": "quotation",
    "Verdict": "verify",
    "Verification": "verify",
    "Work": "engine.budget",
    "accept_entries": "accept",
    "build": "library",
    "copy_to_clipboard": "clipboard",
    "import_references": "catalog_import",
    "open": "library",
    "read_accepted": "accept",
    "read_article": "ingest",
    "read_manuscript": "manuscript",
    "reference_document": "paste",
    "report_html": "report",
    "serve": "web",
}

__all__ = [
    "ACCEPT_FILE",
    "ACCEPT_HEADER",
    "Article",
    "ArticleMeta",
    "ArticleNotFound",
    "BatchError",
    "Block",
    "CheckReport",
    "CheckedQuote",
    "Citation",
    "ClipboardUnavailable",
    "Difference",
    "DocumentInfo",
    "DraftCitation",
    "Edit",
    "Hit",
    "ImportReport",
    "IndexIncompatible",
    "IndexLocked",
    "IndexNotFound",
    "IndexReadOnly",
    "IndexReport",
    "IndexingFailed",
    "InputError",
    "Kind",
    "Library",
    "Manuscript",
    "ManuscriptQuote",
    "Match",
    "NothingFound",
    "OriginalPublication",
    "Part",
    "Pinpoint",
    "SearchError",
    "SearchResult",
    "SkippedQuote",
    "StoredBlock",
    "Token",
    "Verdict",
    "Verification",
    "Work",
    "accept_entries",
    "build",
    "copy_to_clipboard",
    "import_references",
    "open",
    "read_accepted",
    "read_article",
    "read_manuscript",
    "reference_document",
    "report_html",
    "serve",
]


# Exported under another name than the one its module gives it.
_RENAMED = {"open": "open_library", "ACCEPT_HEADER": "HEADER", "copy_to_clipboard": "copy"}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
