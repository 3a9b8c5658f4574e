"""The same article twice is recognised by its text: a reprint with a new first paragraph and a
few words changed is a copy; two different articles on the same subject are not."""

from __future__ import annotations

import zlib
from pathlib import Path

from search import duplicates
from search.duplicates import PassageFolder, copies, resemblance, sketch
from search.ingest import read_article

SEEDS = Path(__file__).parent.parent / "seeds"


def body(stem: str) -> list[str]:
    (path,) = SEEDS.glob(f"{stem}_*.txt")
    return [block.text for block in read_article(path).paragraphs]


def test_a_reprint_with_a_new_introduction_is_a_copy():
    original = body("000")
    reprint = ["This article first appeared in Red Flag and is reprinted with permission."]
    reprint += [text.replace("Trotsky", "Leon Trotsky", 1) if i % 9 == 0 else text
                for i, text in enumerate(original)]
    assert resemblance(sketch(original), sketch(reprint)) >= 0.8
    found = copies({"red-flag": sketch(original), "reprint": sketch(reprint),
                    "other": sketch(body("004"))})
    assert found == {"red-flag": ("reprint",), "reprint": ("red-flag",)}


def test_articles_on_one_subject_are_not_copies():
    sketches = {stem: sketch(body(stem)) for stem in ("000", "001", "002", "003", "004")}
    assert copies(sketches) == {}
    assert max(resemblance(sketches[a], sketches[b]) for a in sketches for b in sketches
               if a < b) < 0.2


def test_a_short_text_has_no_sketch_and_no_copies():
    assert sketch(["Too short."]) == []
    assert copies({"a": [], "b": []}) == {}


def test_a_passage_in_two_copies_is_kept_once_and_names_the_other():
    class Meta:
        def __init__(self, path: str) -> None:
            self.path = path

    folder = PassageFolder({"a": ("b",), "b": ("a",)}, {"a": Meta("a.txt"), "b": Meta("b.html"),
                                                        "c": Meta("c.txt")})
    assert not folder.seen("b", "The workers’ state, born in 1917.")
    assert folder.seen("a", "The workers' state born in 1917")  # the same words
    assert not folder.seen("c", "The workers’ state, born in 1917.")  # not a copy
    assert folder.also_in("b", "The workers’ state, born in 1917.") == ("a.txt",)
    assert folder.also_in("c", "The workers’ state, born in 1917.") == ()


def test_the_sketch_is_the_plain_formula_s_smallest_shingle_hashes():
    """`sketch` combines the word hashes in numpy; the plain-Python formula gives the same."""
    for path in sorted(SEEDS.glob("*.txt")):
        texts = [block.text for block in read_article(path).paragraphs]
        words = duplicates._WORD.findall(" ".join(texts).lower())
        hashes = [zlib.crc32(word.encode("utf-8")) for word in words]
        expected = sorted(duplicates._shingle_hashes(hashes))[:duplicates.SKETCH_SIZE]
        assert duplicates.sketch(texts) == expected
        assert all(type(value) is int for value in duplicates.sketch(texts))


def test_the_smallest_distinct_values_are_np_uniques_with_repeats_and_without():
    """The partial sort `sketch` uses gives `np.unique(values)[:64]`, even when the smallest
    values repeat so often that the partition's first part holds too few distinct ones."""
    import random

    import numpy as np

    rng = random.Random(9)
    for size in (0, 5, 63, 64, 256, 257, 1000, 20000):
        for spread in (3, 50, 100, 2**32):
            values = np.array([rng.randrange(spread) for _ in range(size)], dtype=np.uint64)
            got = duplicates._smallest_distinct(np, values, duplicates.SKETCH_SIZE)
            assert got == np.unique(values)[:duplicates.SKETCH_SIZE].tolist()
    repeated = np.array([1] * 500 + list(range(1000, 2000)), dtype=np.uint64)
    assert duplicates._smallest_distinct(np, repeated, 64) == [1, *range(1000, 1063)]


def test_sketch_words_are_the_pattern_s_for_every_character():
    import sys

    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue  # no text read from a file holds a lone surrogate
        text = f"a{chr(code)}b {chr(code)} c{chr(code)}"
        assert duplicates._words(text) == duplicates._WORD.findall(text), hex(code)


def test_sketch_words_are_the_pattern_s_in_an_article(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        text = " ".join(block.text for block in read_article(path).paragraphs).lower()
        assert duplicates._words(text) == duplicates._WORD.findall(text)
