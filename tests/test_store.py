"""The store's reads by position (an article's records lie together) against its reads by
query, on every seed article: the same blocks, text and metadata, and the query when the
position is wrong. (That blocks store their section ¶ is tested in test_section_pinpoint.)"""

from __future__ import annotations

import pytest

from search.engine.store import Store


@pytest.fixture()
def store(seed_index) -> Store:  # type: ignore[no-untyped-def]
    opened = Store(seed_index)
    yield opened
    opened.close()


def located(store: Store, doc_id: str) -> None:
    """Let the store see one of the article's blocks, as a quotation probe does."""
    block = store.blocks(doc_id)[len(store.blocks(doc_id)) // 2]
    docnum = next(docnum for docnum in store._searcher.document_numbers(doc_id=doc_id)
                  if store._searcher.stored_fields(docnum).get("block", [None, None])[1]
                  == block.order)
    store._keys([docnum], 0.0)
    store._blocks.clear()  # forget the full read: the next reads go by position


def test_reads_by_position_give_what_queries_give(seed_index) -> None:  # type: ignore[no-untyped-def]
    by_query = Store(seed_index)
    by_position = Store(seed_index)
    for doc_id in sorted(by_query.articles):
        blocks = by_query.blocks(doc_id)
        located(by_position, doc_id)
        assert by_position._first_block[doc_id] >= 0
        assert by_position.block_run(doc_id, 0, len(blocks) + 3) == blocks
        assert by_position.block_run(doc_id, 5, 9) == blocks[5:10]
        assert by_position.block_run(doc_id, -4, 1) == blocks[:2]
        assert by_position.text(doc_id) == by_query.text(doc_id)
        assert by_position.articles[doc_id] == by_query.articles[doc_id]
        assert not by_position._blocks  # nothing was read whole
    by_query.close()
    by_position.close()


def test_a_wrong_position_falls_back_to_the_query(store: Store) -> None:
    doc_id = sorted(store.articles)[2]
    expected = store.blocks(doc_id)[3:6]
    store._blocks.clear()
    store._first_block[doc_id] = 0  # the first article's records, not this one's
    assert store.block_run(doc_id, 3, 5) == expected

