"""Words counted as numbers (`wordcounts.WordCounts`) come out as `Counter.update` counts
them, in the same order."""

from __future__ import annotations

import random
from collections import Counter

from search.engine import wordcounts
from search.engine.wordcounts import WordCounts


def test_counts_are_the_counter_s_in_the_order_first_met(monkeypatch):
    monkeypatch.setattr(wordcounts, "FLUSH_WORDS", 7)  # counted a few words at a time
    rng = random.Random(9)
    vocabulary = [f"w{number}" for number in range(40)]
    counts, expected = WordCounts(), Counter()
    for _ in range(60):
        words = [rng.choice(vocabulary[:rng.randint(1, 40)]) for _ in range(rng.randint(0, 25))]
        counts.add(words)
        expected.update(words)
    counted = counts.counted()
    assert counted == expected
    assert list(counted) == list(expected)


def test_nothing_added_counts_nothing():
    assert WordCounts().counted() == {}
