"""`seedsearch serve`: a small local web application over the same library as the CLI.

Flask routes the requests (app), pages turns the library's `to_dict()` data into HTML with the
same pieces as the check report, and a pool of open libraries lets several requests run at
once, so a long draft check never blocks a search. Waitress serves it: a pure-Python,
multi-threaded WSGI server. Neither is imported until `serve` runs, so the other commands
start as fast as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

DEFAULT_THREADS = 8


def serve(index_dir: str | Path, host: str = "127.0.0.1", port: int = 8000, style: str = "apa",
          on_start: Callable[[str], None] | None = None, threads: int = DEFAULT_THREADS) -> None:
    """Serve the web page for the index at index_dir until interrupted.

    on_start gets the page's address once the server listens (port 0 picks a free port).
    """
    from waitress.server import create_server

    from .app import create_app

    app = create_app(index_dir, style=style, libraries=min(4, threads))
    server = create_server(app, host=host, port=port, threads=threads, ident="seedsearch")
    bound = server.getsockname()
    shown = f"[{bound[0]}]" if ":" in str(bound[0]) else bound[0]
    if on_start:
        on_start(f"http://{shown}:{bound[1]}/")
    try:
        server.run()
    finally:
        server.close()
        app.config["POOL"].close()
