"""Queries as people type them: questions, number words, decades, families of names."""

from __future__ import annotations

import pytest

from search.phrasing import as_typed, name_family, question_topic


@pytest.mark.parametrize(("typed", "topic"), [
    ("Where was Trotsky exiled?", "Trotsky exiled"),
    ("Who killed Rosa Luxemburg?", "killed Rosa Luxemburg"),
    ("how many people died in the famine of 1921", "people died in the famine of 1921"),
    ("What happened in 1905?", "in 1905"),
    ("Why did Stalin defeat Trotsky?", "Stalin defeat Trotsky"),
    ("Kronstadt uprising", "Kronstadt uprising"),  # not a question
    ("trots?y", "trots?y"),  # a wildcard, not a question
    ("Is this the end?", "this the end"),
    ("Why?", "Why"),  # nothing left to search for but the word itself
])
def test_question_topic(typed, topic):
    assert question_topic(typed) == topic


def test_number_words_become_the_figures_articles_print():
    assert as_typed("statement of the forty-six in 1923").words == "statement of the 46 in 1923"
    assert as_typed("Forty-Six").words == "46"
    assert as_typed("forty six").words == "forty six"  # two words: could be anything


def test_a_decade_adds_its_years_as_light_terms():
    typed = as_typed("abortion rights in the 1920s")
    assert typed.words == "abortion rights in the 1920s"
    assert typed.extra == tuple((str(year), 0.3) for year in range(1920, 1930))
    assert as_typed("the '30s").extra == ()  # two-digit decades are too ambiguous


def test_name_families_cross_what_the_stemmer_keeps_apart():
    vocabulary = {word: [] for word in ("trotsky", "trotskyism", "trotskyist", "trotskyists",
                                        "stalin", "stalinism", "stalinist", "trotting")}
    assert name_family("Trotskyist", vocabulary) == ["trotsky", "trotskyism", "trotskyists"]
    assert name_family("Stalinism", vocabulary) == ["stalin", "stalinist"]
    assert name_family("Trotsky's", vocabulary) == ["trotskyism", "trotskyist", "trotskyists"]
    assert name_family("the", vocabulary) == []


def test_a_question_is_searched_for_its_topic(seed_library):
    result = seed_library.search("Where was Trotsky exiled?", limit=3, vectors=False)
    assert result.searched_for == "Trotsky exiled"
    assert all("exile" in hit.text for hit in result.hits)


def test_the_forty_six_finds_the_declaration(seed_library):
    hits = seed_library.search("statement of the forty-six", limit=5, vectors=False).hits
    assert any(hit.doc_id.startswith("003") and hit.line_start == 374 for hit in hits)


def test_the_lexicons_prefix_search_finds_the_families_a_scan_finds(seed_library):
    import random

    lexicon = seed_library.store.vocabulary
    scanned = dict.fromkeys(lexicon, [])
    words = sorted(lexicon)
    families = 0
    suffixed = [word for word in words if word.endswith(("ist", "ists", "ism", "ite", "ian"))]
    for word in random.Random(1940).sample(words, 300) + suffixed + ["Trotskyists", "Stalin's"]:
        found = name_family(word, lexicon)
        assert found == name_family(word, scanned), word
        families += bool(found)
    assert families > 40
