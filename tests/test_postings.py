"""Postings read a block at a time (engine/postings.py) against Whoosh's own matchers, and the
verbatim probe (engine/candidates.placed) against Whoosh's phrase query, on the seeds."""

from __future__ import annotations

import pytest
from whoosh import query

from search.analyse import fold, stem
from search.engine import candidates, postings

TERMS = ["stalin", "the", "bureaucraci", "kronstadt", "trotski", "nosuchword"]


@pytest.fixture(scope="module")
def searcher(seed_library):  # type: ignore[no-untyped-def]
    return seed_library.store._searcher


def whoosh_postings(searcher, term: str) -> dict[int, bytes]:  # type: ignore[no-untyped-def]
    found = {}
    for docnum in searcher.docs_for_query(query.Term("content", term)):
        matcher = query.Term("content", term).matcher(searcher, searcher.context())
        matcher.skip_to(docnum)
        found[docnum] = matcher.value()
    return found


@pytest.mark.parametrize("term", TERMS)
def test_block_reads_give_whooshs_postings(searcher, term: str) -> None:
    assert postings.read(searcher, term) == whoosh_postings(searcher, term)


@pytest.mark.parametrize("term", TERMS)
def test_the_public_path_gives_the_same(searcher, term: str, monkeypatch) -> None:
    fast = postings.read(searcher, term)
    monkeypatch.setattr(postings, "FAST", False)
    assert postings.read(searcher, term) == fast


def test_reading_within_documents_keeps_only_those(searcher) -> None:
    every = postings.read(searcher, "stalin")
    chosen = set(sorted(every)[::3]) | {10**9}
    assert postings.read(searcher, "stalin", chosen) == {d: every[d] for d in chosen if d in every}


@pytest.mark.parametrize("text", ["the working class and the peasantry",
                                  "a workers' state with bureaucratic deformations",
                                  "not only a bloody line but a whole river of blood",
                                  "Stalin is too rude"])
def test_placed_words_are_whooshs_phrase_matches(searcher, text: str) -> None:
    words = [stem(fold(word)) for word in text.split()]
    frequency = candidates._frequencies(searcher)  # noqa: SLF001
    phrase = set(searcher.docs_for_query(query.Phrase("content", words)))
    placed = candidates.placed(searcher, words, frequency)
    assert phrase and placed >= phrase
    # Within the posting budget every word is checked at its place: the same blocks.
    assert placed == phrase


def test_block_weights_are_whooshs(searcher) -> None:
    """`read_weights` gives each block's weights as Whoosh's own `_read_weights` does (equal
    weights stored as None or one float included), over every content word of the seeds."""
    stored = set()
    for subsearcher, _ in ([(searcher, 0)] if searcher.is_atomic() else searcher.subsearchers):
        reader = subsearcher.reader()
        for text, _ in reader.iter_field("content"):
            ours = postings.leaf(postings.every_posting(reader, "content", text))
            whooshs = postings.leaf(postings.every_posting(reader, "content", text))
            while ours.is_active():
                whooshs._read_data()
                stored.add(type(whooshs._data[1]))
                whooshs._read_weights()
                assert list(postings.read_weights(ours)) == list(whooshs._weights), text
                assert type(ours._weights) is type(whooshs._weights)
                ours._next_block()
                whooshs._next_block()
    assert {type(None), float} <= stored  # both kinds of equal weights were met
