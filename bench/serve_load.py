"""Load on the local web page: N clients, each sending requests one after another for S seconds.

Prints the requests served, errors, and latency (median, p90, p99, slowest) per kind of
request. Loopback only: the server is started in this process on 127.0.0.1 and a free port.
Asserts nothing (tests/test_web_load.py runs it and checks there were no errors).

    .venv/bin/python bench/serve_load.py --clients 20 --seconds 30 [--index index]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

# A mix a writer's browser sends: pages, searches, a quotation check, an article, the API.
REQUESTS = [
    ("page", "/"),
    ("search", "/search?q=" + quote("kronstadt uprising")),
    ("search", "/search?q=" + quote('"left opposition" trotsky')),
    ("api search", "/api/search?q=" + quote("trotsky exile mexico") + "&limit=5"),
    ("check", "/check?quote=" + quote("not only a bloody line but a whole river of blood")),
    ("article", "/doc/001"),
    ("api cite", "/api/cite?quote=" + quote("Stalin is too rude, and this defect")),
]


def run_load(host: str, port: int, clients: int, seconds: float) -> dict:
    """Return the latencies (seconds) per kind of request and the errors seen."""
    latencies: dict[str, list[float]] = {kind: [] for kind, _ in REQUESTS}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        step = number
        while time.monotonic() < deadline:
            kind, path = REQUESTS[step % len(REQUESTS)]
            step += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{path}: {exc!r}")
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies[kind].append(elapsed)
                if status != 200:
                    errors.append(f"{path}: HTTP {status}")
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "errors": errors, "clients": clients, "seconds": seconds}


def summary(result: dict) -> dict:
    """Return count, median, p90, p99 and slowest (ms) per kind and over all requests."""
    def figures(values: list[float]) -> dict:
        ordered = sorted(values)
        if not ordered:
            return {"requests": 0}
        pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
        return {"requests": len(ordered), "median_ms": round(statistics.median(ordered) * 1000, 1),
                "p90_ms": round(pick(0.9) * 1000, 1), "p99_ms": round(pick(0.99) * 1000, 1),
                "max_ms": round(ordered[-1] * 1000, 1)}
    every = [value for values in result["latencies"].values() for value in values]
    table = {kind: figures(values) for kind, values in result["latencies"].items()}
    table["all"] = figures(every)
    table["all"]["per_second"] = round(len(every) / result["seconds"], 1)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--index", default="index")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from search.web import make_server, stop

    server = make_server(args.index, "127.0.0.1", 0)
    host, port = server.getsockname()[:2]
    threading.Thread(target=server.run, daemon=True).start()
    try:
        result = run_load(host, port, args.clients, args.seconds)
    finally:
        stop(server)
    table = summary(result)
    if args.json:
        print(json.dumps({"summary": table, "errors": result["errors"]}))
        return
    print(f"{args.clients} clients for {args.seconds:.0f} s on {host}:{port}; "
          f"{len(result['errors'])} errors")
    for kind, row in table.items():
        print(f"  {kind:<11} " + "  ".join(f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
