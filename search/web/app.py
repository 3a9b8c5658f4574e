"""The Flask application: pages for people, the same data as JSON under /api/ for scripts.

Every route borrows a library from the pool and calls the same method the CLI calls
(`search`, `verify`, `check_text`, `blocks`, `documents`), then hands its `to_dict()` data to
`pages` or to `jsonify`. A `SearchError` is the user's to fix: a 400 (404 for an unknown
article) with its message, on the page or as {"error": ...}; an upload over the limit is a
413; nothing ever shows a stack trace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from ..cite import STYLES
from ..errors import ArticleNotFound, InputError, SearchError
from . import pages
from .pool import LibraryPool

MAX_UPLOAD_BYTES = 2_000_000  # a long book manuscript in plain text is about 1 MB
MAX_QUERY_CHARS = 2_000
MAX_LIMIT = 100


LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def create_app(index_dir: str | Path, style: str = "apa", libraries: int = 2,
               loopback_only: bool = True) -> Flask:
    """Return the web application over the index at index_dir (opened at once).

    loopback_only refuses requests addressed to any other host name: a web page elsewhere
    cannot then read the index through a name it points at 127.0.0.1 (DNS rebinding).
    """
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES, POOL=LibraryPool(index_dir, libraries),
                      STYLE=style, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if loopback_only:
        app.before_request(_refuse_other_hosts)
    _routes(app)
    _api_routes(app)
    _error_handlers(app)
    return app


def _refuse_other_hosts() -> Any:
    name = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    if name.strip("[]") not in LOOPBACK_NAMES:
        return _error(f"This page answers only at 127.0.0.1 or localhost, not at {name}.", 400)
    return None


def _pool(app: Flask) -> LibraryPool:
    return app.config["POOL"]


def _style() -> str:
    style = _value("style") or str(current_app.config["STYLE"])
    if style not in STYLES:
        raise InputError(f"Unknown citation style {style!r}; use one of: {', '.join(STYLES)}.")
    return style


def _value(name: str, default: str = "") -> str:
    """Return a request parameter: from the query string, a form, or a JSON object body."""
    body = request.get_json(silent=True) if request.is_json else None
    if isinstance(body, dict) and name in body:
        return str(body[name])
    return request.values.get(name, default)


def _query() -> str:
    text = _value("q")
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"The query is {len(text)} characters long; the most is "
                         f"{MAX_QUERY_CHARS}.")
    return text


def _limit() -> int:
    raw = _value("limit", "10")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise InputError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {raw!r}.")
    return int(raw)


def _max_sources() -> int:
    raw = _value("max_sources", "20")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise InputError(f"max_sources must be a whole number from 1 to {MAX_LIMIT}, not "
                         f"{raw!r}.")
    return int(raw)


def _draft() -> tuple[str, str]:
    """Return (name, text) of the draft pasted or uploaded with the request."""
    upload = request.files.get("draft")
    if upload is not None and upload.filename:
        data = upload.read()
        try:
            return upload.filename, data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{upload.filename} is not UTF-8 text (byte {exc.start}); save "
                             "it as UTF-8 plain text or Markdown and upload it again.") from exc
    text = _value("text")
    if not text.strip():
        raise InputError("Paste a draft or choose a file to upload.")
    return "pasted draft", text


def _routes(app: Flask) -> None:
    @app.get("/")
    def home() -> str:
        return pages.home(_style())

    @app.get("/search")
    def search_page() -> str:
        query, style = _query(), _style()
        if not query.strip():
            return pages.home(style, error="Type some words to search for.")
        with _pool(app).library() as library:
            result = library.search(query, limit=_limit())
            data = result.to_dict(style)
            others = {hit.rank: {s: hit.cite(s).to_dict() for s in STYLES if s != style}
                      for hit in result.hits}
        return pages.search_results(data, style, others)

    @app.route("/check", methods=["GET", "POST"])
    def check_page() -> str:
        style = _style()
        quote = request.values.get("quote", "")
        if quote.strip():
            with _pool(app).library() as library:
                entry = library.verify(quote, by=request.values.get("by", ""),
                                       max_sources=_max_sources()).to_dict(style)
            return pages.verification(entry, style)
        if request.method == "GET":
            return pages.home(style, error="Paste a quotation to check.")
        name, text = _draft()
        with _pool(app).library() as library:
            report = library.check_text(text, name, max_sources=_max_sources())
        return pages.draft_report(report, style)

    @app.get("/docs")
    def docs_page() -> str:
        with _pool(app).library() as library:
            infos = [info.to_dict() for info in library.documents()]
        return pages.documents(infos)

    @app.get("/doc/<doc_id>")
    def article_page(doc_id: str) -> str:
        style = _style()
        with _pool(app).library() as library:
            doc_id = library.resolve(doc_id)
            blocks = [block.to_dict() for block in library.blocks(doc_id)]
            meta = library.articles[doc_id].to_dict(doc_id)
            cited = library.cite_article(doc_id, style).to_dict()
        return pages.article(meta, blocks, cited, style)


def _api_routes(app: Flask) -> None:
    @app.get("/api/search")
    def api_search() -> Any:
        query = _query()
        if not query.strip():
            raise InputError("Give the query as ?q=...")
        with _pool(app).library() as library:
            return jsonify(library.search(query, limit=_limit()).to_dict(_style()))

    @app.route("/api/cite", methods=["GET", "POST"])
    def api_cite() -> Any:
        quote = _value("quote")
        if not quote.strip():
            raise InputError("Give the quotation as quote=...")
        with _pool(app).library() as library:
            return jsonify(library.verify(quote, by=_value("by"), max_sources=_max_sources())
                           .to_dict(_style()))

    @app.post("/api/check")
    def api_check() -> Any:
        name, text = _draft()
        with _pool(app).library() as library:
            return jsonify(library.check_text(text, name, max_sources=_max_sources())
                           .to_dict(_style()))

    @app.get("/api/docs")
    def api_docs() -> Any:
        with _pool(app).library() as library:
            return jsonify({"documents": [info.to_dict() for info in library.documents()]})

    @app.get("/api/doc/<doc_id>")
    def api_doc(doc_id: str) -> Any:
        style = _style()
        with _pool(app).library() as library:
            doc_id = library.resolve(doc_id)
            meta = library.articles[doc_id]
            blocks = library.blocks(doc_id)
            return jsonify({"doc": meta.to_dict(doc_id), "blocks": [
                {**block.to_dict(), "cited": library.cite_block(block, style).to_dict()}
                for block in blocks]})


def _error_handlers(app: Flask) -> None:
    @app.errorhandler(SearchError)
    def user_error(error: SearchError) -> tuple[Any, int]:
        status = 404 if isinstance(error, ArticleNotFound) else 400
        return _error(str(error), status)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Any, int]:
        status = error.code or 500
        if status == 413:
            return _error(f"The upload is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB; "
                          "split the draft or check it with `seedsearch check`.", 413)
        return _error(error.description or error.name, status)

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[Any, int]:
        # A bug: Flask has logged the trace on the server's stderr; the page gets none of it.
        return _error("Something went wrong on the server; its log says what.", 500)


def _error(message: str, status: int) -> tuple[Any, int]:
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "status": status}), status
    return Response(pages.error_page(message, status), mimetype="text/html"), status
