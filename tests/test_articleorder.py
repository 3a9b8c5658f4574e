"""`store.in_article_order` ranks a pool's best passages as sorting all of them by (score,
article, block order) does, reading only the blocks it must."""

from __future__ import annotations

import random

import pytest

from search.engine import store as store_module
from search.engine.store import StoredBlock, in_article_order


def reference(best, limit, read):
    """Every passage's block read, all sorted (the way `Store.top` ranked before)."""
    ranked = sorted(((score, docnum, read(docnum)) for score, docnum in best),
                    key=lambda item: (-item[0], item[2].doc_id, item[2].order))
    return ranked if limit is None else ranked[:limit]


def block(doc_id: str, order: int) -> StoredBlock:
    return StoredBlock(doc_id, "paragraph", order, "", order, "text", 1, 1, 0, 4)


@pytest.mark.parametrize("seed", range(40))
def test_pools_with_many_ties_rank_as_sorting_everything(seed):
    rng = random.Random(seed)
    count = rng.randint(0, 80)
    blocks = {docnum: block(rng.choice("abcde"), rng.randint(0, 50)) for docnum in range(count)}
    scores = [float(rng.choice([1, 2, 3, rng.random()])) for _ in range(count)]
    best = sorted(((score, docnum) for docnum, score in enumerate(scores)),
                  key=lambda item: (-item[0], item[1]))
    for limit in (None, 0, 1, 3, 10, 60, 100):
        read: list[int] = []

        def reading(docnum: int, read: list[int] = read) -> StoredBlock:
            read.append(docnum)
            return blocks[docnum]

        found = in_article_order(best, limit, reading)
        assert found[:limit] == reference(best, limit, blocks.__getitem__), (seed, limit)
        assert sorted(read) == sorted(docnum for _, docnum, _ in found)
        if limit is not None and len(found) > limit:  # past the limit, only ties are read
            assert all(score == found[limit - 1][0] for score, _, _ in found[limit:])


@pytest.mark.parametrize("words", ["kronstadt", "trotsky stalin", '"united front"',
                                   "revolution AND party", "the", "workers state bureaucracy"])
def test_searches_of_the_seeds_rank_as_when_every_pooled_block_was_read(seed_library,
                                                                        monkeypatch, words):
    for limit in (1, 5, 10, 40):
        ours = seed_library.search(words, limit=limit).to_dict()
        monkeypatch.setattr(store_module, "in_article_order", reference)
        theirs = seed_library.search(words, limit=limit).to_dict()
        monkeypatch.undo()
        assert ours == theirs, (words, limit)


def test_with_block_vectors_in_use_every_pooled_block_is_kept(seed_library, monkeypatch):
    """A passage near the query in meaning may rank past the limit: `block_at` finds its
    block among those the last search read, as before."""
    store = seed_library.store
    parsed = store.parse("trotsky")
    store.top(parsed, parsed.whoosh_query, 10)
    read = len(store._ranked)
    monkeypatch.setattr(store, "_vectors", [object()])
    store.top(parsed, parsed.whoosh_query, 10)
    assert len(store._ranked) == 10 + store_module.TIE_MARGIN > read
