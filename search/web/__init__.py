"""`seedsearch serve`: a small local web application over the same library as the CLI.

Flask routes the requests (app), pages turns the library's `to_dict()` data into HTML with the
same pieces as the check report, and a pool of open libraries lets several requests run at
once, so a long draft check never blocks a search. Waitress serves it: a pure-Python,
multi-threaded WSGI server. Neither is imported until a server is made, so the other
commands start as fast as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError

DEFAULT_HOST = "127.0.0.1"  # loopback only: the index is shown to no one else
DEFAULT_THREADS = 8


def make_server(index_dir: str | Path, host: str = DEFAULT_HOST, port: int = 8000,
                style: str = "apa", threads: int = DEFAULT_THREADS) -> Any:
    """Return a Waitress server for the index's web page, listening but not yet serving.

    Call its run() to serve, close() to stop; port 0 picks a free port (see server_url).
    """
    from waitress.server import create_server

    from .app import create_app

    # Waitress warns on every queued request; under a burst of clients that floods the terminal.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    loopback = host in ("127.0.0.1", "localhost", "::1")
    app = create_app(index_dir, style=style, libraries=min(4, threads), loopback_only=loopback)
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="seedsearch")
    except OSError as exc:
        app.config["POOL"].close()
        raise InputError(f"Cannot listen on {host} port {port}: {exc.strerror or exc}; pick "
                         "another with --port (or stop what uses it).") from exc
    server.seedsearch_app = app
    return server


def server_url(server: Any) -> str:
    """Return the address a server listens at, e.g. http://127.0.0.1:8000/."""
    host, port = server.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in str(host) else f"http://{host}:{port}/"


def serve(index_dir: str | Path, host: str = DEFAULT_HOST, port: int = 8000, style: str = "apa",
          on_start: Callable[[str], None] | None = None, threads: int = DEFAULT_THREADS) -> None:
    """Serve the web page for the index at index_dir until interrupted.

    on_start gets the page's address once the server listens.
    """
    server = make_server(index_dir, host, port, style, threads)
    if on_start:
        on_start(server_url(server))
    try:
        server.run()
    finally:
        stop(server)


def run_until_stopped(server: Any) -> None:
    """Serve until `stop` (a thread's target: tests and embedding programs).

    `stop` closes the sockets the serving loop may be waiting on, which then fails with a bad
    file descriptor; that is the loop ending as asked, not an error.
    """
    try:
        server.run()
    except OSError:
        if not getattr(server, "seedsearch_stopping", False):
            raise


def stop(server: Any) -> None:
    """Stop a server made by make_server and close its libraries."""
    server.seedsearch_stopping = True
    server.task_dispatcher.shutdown()
    server.close()
    server.seedsearch_app.config["POOL"].close()
