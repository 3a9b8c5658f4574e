"""An article's text is stored as its skeleton around the blocks and put back together
exactly: on every seed, in every format, and through the index."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import search
import search.engine.records
from search.catalog import load_catalog
from search.engine.skeleton import rebuild, skeleton
from search.engine.store import Store
from search.ingest import read_article

FORMATS = ("html", "md", "pdf", "epub", "docx")


def spans(article: search.Article) -> list[tuple[int, int, str]]:
    return [(block.start, block.end, block.text) for block in article.blocks]


def test_every_seed_is_stored_as_a_skeleton_and_given_back(seeds_dir: Path) -> None:
    catalog = load_catalog(seeds_dir)
    for path in sorted(seeds_dir.glob("*.txt")):
        article = read_article(path, catalog)
        bones = skeleton(article.text, spans(article))
        assert bones is not None, path.name
        assert rebuild(bones, [block.text for block in article.blocks]) == article.text
        kept = sum(map(len, bones[0])) + sum(len(run) for runs in bones[1].values()
                                             for _, run in runs)
        assert kept < len(article.text) / 10, path.name  # the blocks hold the rest


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_given_back_exactly(formats_dir: Path, fmt: str) -> None:
    for path in sorted((formats_dir / fmt).iterdir()):
        article = read_article(path)
        bones = skeleton(article.text, spans(article))
        assert bones is not None, path.name
        assert rebuild(bones, [block.text for block in article.blocks]) == article.text


def test_the_index_gives_back_each_seeds_text(seed_index: Path, seeds_dir: Path) -> None:
    store = Store(seed_index)
    try:
        catalog = load_catalog(seeds_dir)
        for path in sorted(seeds_dir.glob("*.txt")):
            source = store._searcher.document(rectype="source", doc_id=path.stem)
            assert not isinstance(source["data"], str)  # a skeleton, not the text again
            assert store.text(path.stem) == read_article(path, catalog).text
    finally:
        store.close()


def test_an_article_the_skeleton_cannot_give_back_is_stored_whole(
        seed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search.engine.records, "skeleton", lambda text, spans: None)
    search.build([seed_copy], tmp_path / "index")
    store = Store(tmp_path / "index")
    try:
        for path in sorted(seed_copy.glob("*.txt")):
            source = store._searcher.document(rectype="source", doc_id=path.stem)
            assert source["data"] == store.text(path.stem) == read_article(
                path, load_catalog(seed_copy)).text
    finally:
        store.close()


@pytest.mark.parametrize("text, found", [
    ("Title\n\nBody", [(0, 5, "Title"), (7, 11, "Other")]),  # not the span's words
    ("Title\n\nBody", [(7, 11, "Body"), (0, 5, "Title")]),  # out of reading order
    ("Title\n\nBody", [(0, 11, "Title Body"), (7, 11, "Body")]),  # overlapping
    ("Title\n\n  \n", [(0, 5, "Title"), (7, 10, "")]),  # a block of blanks only
])
def test_spans_it_cannot_give_back_are_refused(text: str, found: list) -> None:
    assert skeleton(text, found) is None


WORDS = st.text(alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")),
                min_size=1, max_size=8)
GAPS = st.text(alphabet=" \t\n\u00a0\u2009\r", min_size=1, max_size=4)


@given(st.lists(st.lists(st.tuples(WORDS, GAPS), min_size=1, max_size=6), min_size=1,
                max_size=5), GAPS, GAPS)
def test_blocks_cut_at_whitespace_are_always_given_back(blocks, head, tail) -> None:
    """Any text made of blocks of words, joined by any whitespace, round-trips."""
    text, found = head, []
    for number, words in enumerate(blocks):
        if number:
            text += "\n\n"
        raw = "".join(word + gap for word, gap in words[:-1]) + words[-1][0]
        found.append((len(text), len(text) + len(raw), " ".join(raw.split())))
        text += raw
    text += tail
    bones = skeleton(text, found)
    assert bones is not None
    assert rebuild(bones, [collapsed for _, _, collapsed in found]) == text
