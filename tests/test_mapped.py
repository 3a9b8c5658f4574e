"""Reading segments in place from the memory map gives what Whoosh's copies give."""

from __future__ import annotations

import io

import search
from search.engine import mapped

QUERIES = ["kronstadt uprising", '"united front"', "trots*", "stalin NOT trotsky", "exil~"]


def results(index_dir) -> list:
    with search.open(index_dir) as library:
        found = [[(hit.doc_id, hit.order, hit.score, hit.text) for hit in library.search(words)]
                 for words in QUERIES]
        found.append([library.verify("Kronstadt commanded the approach to Petrograd").verdict])
        found.append(sorted(library.articles))
    return found


def test_views_and_whooshs_copies_give_the_same_searches(seed_index, monkeypatch):
    with_views = results(seed_index)
    monkeypatch.setattr(mapped, "SUPPORTED", False)  # Store's use_views() keeps Whoosh's own
    assert results(seed_index) == with_views


def test_a_view_reader_reads_seeks_and_reads_lines_like_bytesio():
    data = b"first line\nsecond line\n" + bytes(range(256))
    view, copy = io.BufferedReader(mapped.ViewReader(memoryview(data))), io.BytesIO(data)
    for stream in (view, copy):
        stream.seek(6)
    assert view.read(4) == copy.read(4)
    assert view.readline() == copy.readline()
    view.seek(-10, io.SEEK_END)
    copy.seek(-10, io.SEEK_END)
    assert view.read() == copy.read()
    assert view.tell() == copy.tell()
