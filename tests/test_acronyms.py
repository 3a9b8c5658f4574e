"""Acronyms the articles define, read from real seed sentences."""

from __future__ import annotations

import pytest

from search.acronyms import bridges, defined_expansion, spelled_names, typed_acronyms


@pytest.mark.parametrize(("text", "acronym", "expected"), [
    # seeds/003 line 262 and seeds/001 line 7, as printed
    ("and adopting what was called the “New Economic Policy” (NEP) – a series of", "NEP",
     "New Economic Policy"),
    ("What was the Left Opposition (LO) which led the fight", "LO", "Left Opposition"),
    ("the Union of Soviet Socialist Republics (USSR) was founded", "USSR",
     "Union of Soviet Socialist Republics"),
    # seeds/001 line 13: the RCP is named, never spelled out in brackets
    ("In October 1923, 46 members of the RCP declared their opposition.", "RCP", ""),
    # the other way round, and brackets after it that are not its long form
    ("Lenin launched the NEP (New Economic Policy) in 1921", "NEP", "New Economic Policy"),
    ("They built the LO (see below) and recruited", "LO", ""),
    ("They built the LO (Left Opposition of 1923) and recruited", "LO", ""),
    # initials that spell it, but lower-case words: not a name
    ("they lived on occasion (LO) there", "LO", ""),
])
def test_a_definition_is_the_run_of_words_before_the_brackets(text, acronym, expected):
    assert defined_expansion(text, acronym) == expected


def test_typed_acronyms_are_capitals_of_two_to_six_letters():
    assert typed_acronyms("the NEP and the USSR's CPs, I think, in WWII or NATIONALISATION") == [
        "NEP", "USSR", "CP", "WWII"]


def test_a_query_names_every_run_of_content_words():
    assert spelled_names("the Chinese Communist Party in 1927") == {
        "CC": "Chinese Communist", "CCP": "Chinese Communist Party", "CP": "Communist Party"}


def test_an_and_between_two_words_is_an_operator_not_the_linking_word_of_a_name():
    # "acid AND salt" was read as the name "acid and salt", short form AS: its check read
    # the first blocks of every article holding the stop word "as" (5 ms a query on the
    # dictionaries)
    looked_up = []
    assert bridges("acid AND salt", lambda word: True,
                   lambda word: looked_up.append(word) or []) == []
    assert looked_up == []
    assert spelled_names("Left AND Opposition") == {}
    assert spelled_names("Left and Opposition") == {"LO": "Left and Opposition"}


def test_a_run_of_words_bridges_only_to_the_short_form_defined_for_it():
    texts = {"lo": ["What was the Left Opposition (LO) which led the fight"]}
    assert bridges("left opposition", texts.__contains__, texts.__getitem__) == [
        ("left opposition", "LO")]
    assert bridges("lost opportunities", texts.__contains__, texts.__getitem__) == []


def test_the_store_reads_the_first_mention_in_each_article(seed_library):
    firsts = seed_library.store.first_mentions("nep")
    assert [text[:40] for text in firsts] == [
        "The new Soviet state inherited the under", "The tenth party congress of March 1921 c",
        "The results of the policy were uneven. T"]
    assert seed_library.store.first_mentions("nosuchword") == []


def test_an_acronym_is_read_only_from_articles_still_indexed(seed_copy, tmp_path):
    # seeds/001 and seeds/003 write "(NEP)"; seeds/004 says "known as the New Economic
    # Policy, or NEP", which is no definition. With the two removed, NEP stands alone.
    import search

    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir, vectors=False)
    with search.open(index_dir) as library:
        assert library.search("NEP", limit=1).notes == (
            "Also searched for 'New Economic Policy', which the articles use for 'NEP'.",)
    for name in ("001_baf5b2bc01864b5f.txt", "003_411d2712463a3513.txt"):
        (seed_copy / name).unlink()
    search.build([seed_copy], index_dir, vectors=False)
    with search.open(index_dir) as library:
        assert library.search("NEP", limit=1).notes == ()
        assert library.store.first_mentions("nep")[0].startswith("The results of the policy")


def _first_mentions_read_one_by_one(searcher, stemmed: str) -> list[str]:
    """The reference: every posting's stored record read, the first per article kept."""
    from search.engine.query import not_blocks
    from search.engine.records import stored_fields

    texts: dict[str, str] = {}
    for docnum in searcher.reader().postings("content", stemmed).all_ids():
        if docnum not in not_blocks(searcher) and len(texts) < 5:
            block = stored_fields(searcher.stored_fields(docnum))
            texts.setdefault(block["doc_id"], block["content"])
    return list(texts.values())


def _first_mentions_through_whooshs_matcher(searcher, stemmed: str, articles: int,
                                            most: int) -> list[str]:
    """The reference for the per-segment reading: Whoosh's multi-segment matcher (deleted
    blocks left out by it), skipping to the next article's first record."""
    from bisect import bisect_right

    from whoosh.reading import TermNotFound

    from search.engine.definitions import _record_starts
    from search.engine.query import not_blocks
    from search.engine.records import stored_fields

    try:
        matcher = searcher.reader().postings("content", stemmed)
    except TermNotFound:
        return []
    starts = _record_starts(searcher)
    texts: dict[str, str] = {}
    visited = 0
    while matcher.is_active() and visited < most and len(texts) < articles:
        docnum = matcher.id()
        visited += 1
        if docnum in not_blocks(searcher):
            matcher.next()
            continue
        block = stored_fields(searcher.stored_fields(docnum))
        texts.setdefault(block["doc_id"], block["content"])
        following = bisect_right(starts, docnum)
        if following == len(starts):
            break
        matcher.skip_to(starts[following])
    return list(texts.values())


def test_skipping_to_the_next_article_finds_the_same_first_mentions(seed_copy, tmp_path,
                                                                    monkeypatch):
    # Two segments, one article replaced (its old records deleted): the skip from an
    # article's first mention to the next article's first record must land where reading
    # every posting would.
    import search
    from search.engine import merging

    monkeypatch.setattr(merging, "REWRITE_DELETED", 0.5)  # the first segment kept, deletions
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir, vectors=False)
    changed = seed_copy / "002_ced5b9d275ebdcfc.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nThe NEP again, briefly.\n",
                       encoding="utf-8")
    search.build([seed_copy], index_dir, vectors=False)
    with search.open(index_dir) as library:
        searcher = library.store._searcher
        assert len(searcher.reader().leaf_readers()) == 2 and searcher.reader().has_deletions()
        stems = [text.decode() for text in searcher.reader().lexicon("content")]
        common = [stem for stem in stems if searcher.doc_frequency("content", stem) >= 20]
        assert len(common) > 50
        for stem in common:
            assert library.store.first_mentions(stem) == \
                _first_mentions_read_one_by_one(searcher, stem), stem

        from search.engine import definitions

        for most in (1, 3, 10, 400):  # the postings visited, capped
            monkeypatch.setattr(definitions, "DEFINING_POSTINGS", most)
            for articles in (1, 2, 5):
                for stem in common[::5]:
                    assert definitions.first_mentions(searcher, stem, articles) == \
                        _first_mentions_through_whooshs_matcher(searcher, stem, articles,
                                                                most), (stem, most, articles)
