"""A word's score added to a pool without Whoosh's matchers (`engine.termscores`) is exactly
the float Whoosh's own Term matcher adds (`pool.add_scores`), on the seeds and on an updated
two-segment corpus with deletions, read through jump tables and block by block."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from whoosh import query

import search
from search.engine import impactwriter, pool, termscores
from search.engine.query import not_blocks

sys.path.insert(0, str(Path(__file__).parent))
from test_topk import updated_corpus  # noqa: E402


def live_blocks(searcher) -> list[int]:
    skip = not_blocks(searcher)
    reader = searcher.reader()
    return [docnum for docnum in range(searcher.doc_count_all())
            if docnum not in skip and not reader.is_deleted(docnum)]


def assert_adds_what_whoosh_adds(searcher, rng: random.Random, monkeypatch,
                                 terms: int = 60) -> int:
    """Random words, boosts and pools: both ways (`pool.add_scores` with this path turned
    off reads Whoosh's matchers) give identical pools; return how many (word, passage)
    scores were compared."""
    stems = [text.decode() for text in searcher.reader().lexicon("content")]
    blocks = live_blocks(searcher)
    compared = 0
    common = sorted(stems, key=lambda stem: -searcher.doc_frequency("content", stem))[:terms]
    for stem in common + rng.sample(stems, min(terms, len(stems))) + ["nosuchword"]:
        for boost in (1.0, 0.2 * rng.random()):
            chosen = rng.sample(blocks, min(len(blocks), rng.choice([1, 10, 100, 300])))
            start = {docnum: rng.random() for docnum in chosen}
            ours, whooshs = dict(start), dict(start)
            term = query.Term("content", stem, boost=boost)
            assert termscores.add_term(searcher, term, ours)
            with monkeypatch.context() as patched:
                patched.setattr(termscores, "add_term", lambda *args: False)
                pool.add_scores(searcher, term, whooshs)
            assert ours == whooshs, stem
            compared += sum(ours[docnum] != start[docnum] for docnum in ours)
    return compared


def test_a_words_score_is_whooshs_on_the_seeds(seed_library, monkeypatch):
    assert assert_adds_what_whoosh_adds(seed_library.store._searcher, random.Random(1921),
                                        monkeypatch) > 500


@pytest.fixture(params=[False, True], ids=["block by block", "jump tables"])
def updated_searcher(request, tmp_path, monkeypatch):
    """An updated two-segment corpus with deletions; with jump tables, every term gets an
    impact list, so its blocks are found through the table."""
    if request.param:
        monkeypatch.setattr(impactwriter, "MIN_POSTINGS", 1)
    with search.open(updated_corpus(tmp_path)) as library:
        searcher = library.store._searcher
        assert not searcher.reader().is_atomic() and searcher.reader().has_deletions()
        yield searcher


def test_a_words_score_is_whooshs_on_an_updated_corpus(updated_searcher, monkeypatch):
    assert assert_adds_what_whoosh_adds(updated_searcher, random.Random(1923), monkeypatch) > 500


def test_a_weighting_other_than_ours_is_left_to_whoosh(seed_library):
    from whoosh import scoring
    from whoosh.searching import Searcher

    other = Searcher(seed_library.store._searcher.reader(), weighting=scoring.BM25F())
    assert not termscores.add_term(other, query.Term("content", "trotski"), {0: 0.0})


def assert_pairs_add_what_whooshs_matchers_add(searcher, rng: random.Random, monkeypatch,
                                               pairs: int = 40) -> int:
    """Two-word proximity phrases over random pools: the pool the matcher-free path leaves
    is identical to the one Whoosh's matchers leave (`pool.add_proximity` with `add_pair`
    turned off); return how many passages the bonus reached."""
    from whoosh import query as whoosh_query

    blocks = live_blocks(searcher)
    texts = [searcher.stored_fields(docnum)["block"][-1] for docnum in rng.sample(blocks, pairs)]
    reached = 0
    for text in texts:
        from search.analyse import text_stems

        stems = text_stems(text, content=True)
        if len(stems) < 2:
            continue
        at = rng.randrange(len(stems) - 1)
        phrase = whoosh_query.Phrase("content", stems[at:at + 2], slop=rng.choice([1, 2, 3]),
                                     boost=rng.choice([1.0, 0.5]))
        chosen = rng.sample(blocks, min(len(blocks), rng.choice([10, 100, 400])))
        start = {docnum: rng.random() for docnum in chosen}
        start.update((docnum, 0.0) for docnum in searcher.docs_for_query(phrase)
                     if docnum in set(blocks) and rng.random() < 0.5)
        ours, whooshs = dict(start), dict(start)
        assert termscores.add_pair(searcher, phrase, ours)
        with monkeypatch.context() as patched:
            patched.setattr(termscores, "add_pair", lambda *args: False)
            pool.add_proximity(searcher, [phrase], whooshs)
        assert ours == whooshs, phrase
        reached += sum(ours[docnum] != start[docnum] for docnum in ours)
    return reached


def test_a_pairs_bonus_is_whooshs_on_the_seeds(seed_library, monkeypatch):
    searcher = seed_library.store._searcher
    assert assert_pairs_add_what_whooshs_matchers_add(searcher, random.Random(1917),
                                                      monkeypatch) > 100


def test_a_pairs_bonus_is_whooshs_on_an_updated_corpus(updated_searcher, monkeypatch):
    assert assert_pairs_add_what_whooshs_matchers_add(updated_searcher, random.Random(1927),
                                                      monkeypatch) > 100
