"""Query latency of seedsearch and of plain Whoosh over the same corpus, side by side.

Plain Whoosh is what a Whoosh user gets out of the box: one document per blank-line paragraph,
`StemmingAnalyzer`, the multi-process multi-segment writer, BM25F, `OrGroup` for plain words,
AND and phrases as such, the top 10 with their stored text read. Each query goes to both
engines back to back in one process, which one goes first alternating, so machine load falls
on both alike. Our side is the whole `lib.search` (parsing, spelling, both stages, snippets,
citations).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

# (kind, our query, plain Whoosh's query); kinds: plain (any word, ranked), and, phrase
SYNTHETIC_QUERIES = [
    ("plain", "kronstadt"), ("plain", "trotsky"), ("plain", "stalinism"),
    ("plain", "kronstadt uprising"), ("plain", "left opposition"),
    ("plain", "workers state bureaucracy"), ("plain", "permanent revolution"),
    ("plain", "socialism in one country"), ("plain", "popular front spain"),
    ("plain", "third period"), ("plain", "kollontai shlyapnikov"), ("plain", "workers opposition"),
    ("plain", "new economic policy"), ("plain", "civil war red army"),
    ("plain", "peasant revolts"), ("plain", "lenin testament"), ("plain", "moscow trials"),
    ("plain", "industrialisation collectivisation"), ("plain", "revolutionary party democracy"),
    ("plain", "comintern germany hitler"),
    ("and", "kronstadt AND uprising"), ("and", "left AND opposition"),
    ("and", "trotsky AND stalin AND exile"), ("and", "workers AND bureaucracy"),
    ("and", "comintern AND germany"), ("and", "peasant AND famine"),
    ("phrase", '"united front"'), ("phrase", '"social fascism"'), ("phrase", '"workers state"'),
    ("phrase", '"permanent revolution"'), ("phrase", '"left opposition"'),
    ("phrase", '"new economic policy"'),
]
DICTIONARY_QUERIES = [
    ("plain", "abdication"), ("plain", "steam engine"), ("plain", "holy roman empire"),
    ("plain", "electric current"), ("plain", "posterior section of the body"),
    ("plain", "musical instrument"), ("plain", "chemistry acid salt"),
    ("plain", "ship sail mast"), ("plain", "law court judge"), ("plain", "disease of the skin"),
    ("plain", "bird of prey"), ("plain", "church bishop"), ("plain", "computer memory"),
    ("plain", "programming language compiler"), ("plain", "operating system"),
    ("and", "horse AND carriage"), ("and", "acid AND salt"), ("and", "ship AND sail"),
    ("and", "memory AND disk"),
    ("phrase", '"sovereign power"'), ("phrase", '"bird of prey"'),
    ("phrase", '"operating system"'), ("phrase", '"the act of"'),
]


@dataclass
class Latencies:
    """Per-query median seconds for each engine, by query kind."""

    ours: dict[str, list[float]]
    whoosh: dict[str, list[float]]


class PlainWhoosh:
    """A plain Whoosh index searched as its documentation shows."""

    def __init__(self, index_dir: Path) -> None:
        from whoosh import index, qparser

        self._index = index.open_dir(str(index_dir))
        self._searcher = self._index.searcher()
        schema = self._index.schema
        self._any = qparser.QueryParser("content", schema, group=qparser.OrGroup)
        self._all = qparser.QueryParser("content", schema)

    def search(self, kind: str, text: str) -> list[str]:
        """Return the stored text of the top 10 paragraphs, read as Whoosh comes (our
        process-wide faster decoding of posting blocks, `engine.blockids`, turned off)."""
        from search.engine import blockids

        parser = self._any if kind == "plain" else self._all
        with blockids.whoosh_own():
            results = self._searcher.search(parser.parse(text), limit=10)
            return [hit["content"] for hit in results]

    def close(self) -> None:
        """Release the index."""
        self._searcher.close()


def side_by_side(library, whoosh: PlainWhoosh, queries: list[tuple[str, str]],
                 passes: int) -> Latencies:
    """Time each query on both engines, alternately first, after a warm-up pass."""
    for kind, text in queries:
        library.search(text, limit=10)
        whoosh.search(kind, text)
    ours: list[list[float]] = [[] for _ in queries]
    theirs: list[list[float]] = [[] for _ in queries]
    for run in range(passes):
        for number, (kind, text) in enumerate(queries):
            calls = [(ours, lambda text=text: library.search(text, limit=10)),
                     (theirs, lambda kind=kind, text=text: whoosh.search(kind, text))]
            for times, call in calls if (run + number) % 2 == 0 else calls[::-1]:
                started = time.perf_counter()
                call()
                times[number].append(time.perf_counter() - started)
    result = Latencies({}, {})
    for number, (kind, _) in enumerate(queries):
        result.ours.setdefault(kind, []).append(statistics.median(ours[number]))
        result.whoosh.setdefault(kind, []).append(statistics.median(theirs[number]))
    return result


def summary(times: list[float]) -> tuple[float, float, float]:
    """Return (p50, p90, max) of per-query times."""
    if len(times) < 2:
        return times[0], times[0], times[0]
    return (statistics.median(times), statistics.quantiles(times, n=10, method="inclusive")[-1],
            max(times))
