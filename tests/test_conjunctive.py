"""The first stage for AND, ANDMAYBE and phrase queries (`conjunctive`) finds the
passages and the scores Whoosh's own matchers find, float for float, with the exact count
of matches: on the seeds, on a generated corpus of two segments with deleted documents, and
with Whoosh's binary tree of unions in place of its array OR."""

from __future__ import annotations

import random

import pytest
from whoosh import query

import search
from search.engine import conjunctive, topk
from search.engine import query as engine_query

from .test_topk import updated_corpus, write_generated_corpus

DEPTHS = [1, 10, 100, 1000]
SEED_QUERIES = [
    "revolution AND party", "trotsky AND stalin AND exile", "workers AND bureaucracy",
    '"united front"', '"left opposition"', '"permanent revolution"', '"of the"',
    '"the workers state"', '"united front"~3', "kronstadt AND uprising",
    "kronstadt AND (sailors OR soviet OR uprising)", '"left opposition" AND trotsky',
    '"socialism in one country"',
]
GENERATED_QUERIES = [
    "w5 AND w9", "w1 AND w2 AND w3", '"w1 w2"', '"w3 w1 w0"', '"w1 w2"~4',
    "w7 AND (w8 OR w9 OR w10 OR soviet)", "kronstadt AND uprising", '"kronstadt uprising"',
    "w0 AND w399", '"w0 w0"',
]


def whoosh_top(searcher, wanted, depth: int) -> topk.FirstStage:
    """Whoosh's collector (the path `conjunctive` replaces)."""
    original = conjunctive.ENABLED
    conjunctive.ENABLED = False
    try:
        return topk.pruned_top(searcher, wanted, depth, None, engine_query.not_blocks(searcher))
    finally:
        conjunctive.ENABLED = original


def assert_as_whoosh(store, words: str) -> None:
    """Same top (docnums and scores, ==) as Whoosh's exhaustive search at each depth, for
    the query and for it widened by related forms, and as Whoosh's pruned collector once
    the depth holds every match (below that its pruning may miss the best passages: an AND
    over its array OR, on the generated corpus); the count is exact."""
    searcher = store._searcher
    parsed = store.parse(words)
    widened = store.with_feedback(parsed, store.query_stems(parsed))
    mask = engine_query.not_blocks(searcher)
    for wanted in (parsed.whoosh_query, widened):
        assert conjunctive.top(searcher, wanted, 10, mask) is not None, (words, wanted)
        reference = topk.exhaustive_top(searcher, wanted, None, None, engine_query.NOT_BLOCKS)
        for depth in DEPTHS:
            ours = topk.pruned_top(searcher, wanted, depth, None, mask)
            assert ours.top == reference.top[:depth], (words, wanted, depth)
            assert ours.total == reference.total and ours.exact_total, (words, wanted, depth)
        everything = max(reference.total, 1)
        assert topk.pruned_top(searcher, wanted, everything, None, mask).top == \
            whoosh_top(searcher, wanted, everything).top, (words, wanted)


@pytest.mark.parametrize("words", SEED_QUERIES)
def test_the_seeds_rank_as_whooshs_matchers_rank_them(seed_library, words):
    assert_as_whoosh(seed_library.store, words)


def test_a_generated_corpus_with_deletions_ranks_as_whooshs_matchers_rank_it(tmp_path):
    with search.open(updated_corpus(tmp_path)) as library:
        reader = library.store._searcher.reader()
        assert not reader.is_atomic() and reader.has_deletions()
        for words in GENERATED_QUERIES:
            assert_as_whoosh(library.store, words)


def test_the_tree_of_unions_sums_as_whoosh_does(tmp_path, monkeypatch):
    """Segments of over 5,000 documents OR their parts with a tree of union matchers built
    by frequency (small ones with an array): both ways give Whoosh's floats."""
    rng = random.Random(1917)
    write_generated_corpus(tmp_path / "corpus", rng, 40)
    search.build([tmp_path / "corpus"], tmp_path / "index")
    monkeypatch.setattr(query.Or, "matcher_type", query.Or.DEFAULT_MATCHER)
    monkeypatch.setattr(conjunctive, "SMALL_SEGMENT", 0)
    with search.open(tmp_path / "index") as library:
        for words in GENERATED_QUERIES:
            assert_as_whoosh(library.store, words)


def test_queries_it_does_not_mirror_go_to_whoosh(seed_library):
    searcher = seed_library.store._searcher
    mask = engine_query.not_blocks(searcher)
    for wanted in (seed_library.store.parse("party AND NOT revolution").whoosh_query,
                   seed_library.store.parse("stalin NOT trotsky").whoosh_query,
                   query.Not(query.Term("content", "trotsky")), query.Every(),
                   query.Or([query.Term("content", "a"), query.Term("content", "b")], scale=0.5),
                   query.Prefix("content", "trots")):
        assert conjunctive.top(searcher, wanted, 10, mask) is None, wanted
