"""Twenty clients for thirty seconds against the web page on loopback: no error, no lost
request. The latencies are printed (and quoted in the README), never asserted: the machines
are shared, so a timing would fail for the wrong reasons."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

from search.web import make_server, run_until_stopped, stop

BENCH = Path(__file__).resolve().parents[1] / "bench" / "serve_load.py"


def _load_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("serve_load", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_twenty_clients_for_thirty_seconds_get_every_answer(seed_index, capsys):
    load = _load_module()
    server = make_server(seed_index, "127.0.0.1", 0)
    host, port = server.getsockname()[:2]
    assert host == "127.0.0.1"
    threading.Thread(target=run_until_stopped, args=(server,), daemon=True).start()
    try:
        result = load.run_load(host, port, clients=20, seconds=30)
    finally:
        stop(server)
    table = load.summary(result)
    with capsys.disabled():
        print(f"\n20 clients, 30 s, loopback: {table['all']}")
    assert result["errors"] == []
    assert all(row["requests"] > 0 for row in table.values())
