"""Tests for search.analyse: one analyser (normalise, lower-case, Snowball stem) for both sides."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nltk.stem.snowball import SnowballStemmer

import search
from search.analyse import analyse, fold, stem_spans, tokens
from search.engine.schema import SeedTokenizer
from search.typography import normalise

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
TYPOGRAPHY = "\u2018\u2019\u201c\u201d\u2013\u2014\u00a0\u2009\u2026\ufb01\ufb02\uff41\u200b"
PARAGRAPH = ("The workers\u2019 state \u2014 Trotsky\u2019s \u201cbridge\u201d between "
             "capitalism and socialism \u2014 was, in Hamlet\u2019s words, to be or not to "
             "be\u2026 \ufb01nally.")


def test_stop_words_are_kept_in_order():
    assert analyse("To be, or not to be") == ["to", "be", "or", "not", "to", "be"]


def test_words_are_lower_cased():
    assert analyse("STALIN Stalin stalin") == ["stalin", "stalin", "stalin"]


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("generously", "generous"),  # Porter would give "gener"
        ("fairly", "fair"),  # Porter would give "fairli"
        ("exiled", "exil"),
        ("bureaucracy", "bureaucraci"),
        ("nationalized", "nation"),
        ("dying", "die"),
        ("Trotsky", "trotski"),
    ],
)
def test_words_are_reduced_to_snowball_english_stems(word, stemmed):
    assert analyse(word) == [stemmed]


def test_a_seed_paragraph_is_stemmed_word_by_word_with_snowball_english():
    (path,) = SEEDS_DIR.glob("000_*.txt")
    text = path.read_text(encoding="utf-8").split("\n")[7]  # line 8: "Trotsky’s assessment..."
    snowball = SnowballStemmer("english")
    stems = analyse(text)
    assert stems[:12] == ["trotski", "assess", "would", "be", "vindic", "over", "the", "come",
                          "year", "the", "mass", "revuls"]
    assert len(stems) == 72
    assert stems == [snowball.stem(word) for word, _, _, _ in tokens(text)]


@pytest.mark.parametrize("form", ["workers\u2019", "workers'", "worker", "Workers", "WORKER"])
def test_worker_forms_meet(form):
    assert analyse(form) == ["worker"]


@pytest.mark.parametrize("form", ["Trotsky\u2019s", "Trotsky's", "Trotsky", "trotsky"])
def test_possessive_meets_the_name(form):
    assert analyse(form) == ["trotski"]


def test_contraction_stays_one_word():
    assert analyse("didn\u2019t") == analyse("didn't") == ["didn't"]


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        (PARAGRAPH, "The workers' state - Trotsky's \"bridge\" between capitalism and socialism "
                    "- was, in Hamlet's words, to be or not to be... finally."),
        ("1923\u201324", "1923-24"),
        ("Left\u00a0Opposition", "Left Opposition"),
        ("\u2018Trotskyist\u2019", "'Trotskyist'"),
        ("\uff37\uff4f\uff52\uff4b\uff45\uff52\uff53", "Workers"),
        ("bureau\u00adcracy", "bureaucracy"),
    ],
)
def test_typographic_variants_give_identical_token_streams(typed, plain):
    assert analyse(typed) == analyse(plain)


def test_a_decomposed_accent_meets_the_composed_one():
    assert analyse("Pierre Broue\u0301") == analyse("Pierre Brou\u00e9") == ["pierr", "broué"]


def test_token_offsets_index_the_original_text():
    text = "in my life\u2026 the \ufb01nal workers\u2019 state"
    found = [(word, text[start:end]) for word, _, start, end in tokens(text)]
    assert found == [("in", "in"), ("my", "my"), ("life", "life"), ("the", "the"),
                     ("final", "\ufb01nal"), ("workers", "workers"), ("state", "state")]


def test_token_offsets_stay_right_when_dropped_and_expanded_characters_balance():
    # Two soft hyphens vanish and one ellipsis grows by two: the lengths match, but the
    # offsets after the first soft hyphen still move.
    text = "Trotsky\u2019s bureau\u00adcratic oppo\u00adnents\u2026 and the workers"
    found = [(word, text[start:end]) for word, _, start, end in tokens(text)]
    assert found == [("trotsky", "Trotsky\u2019s"), ("bureaucratic", "bureau\u00adcratic"),
                     ("opponents", "oppo\u00adnents"), ("and", "and"), ("the", "the"),
                     ("workers", "workers")]


@given(st.text(alphabet=st.sampled_from("abcXYZ 019.,;'\"-\n" + TYPOGRAPHY), max_size=80))
def test_token_offsets_point_at_the_words_of_the_original(text):
    previous_end = 0
    for word, _, start, end in tokens(text):
        assert previous_end <= start < end <= len(text)
        assert fold(normalise(text[start:end])) == word
        previous_end = end


@given(st.text(max_size=60))
def test_token_offsets_stay_inside_the_text_for_any_unicode(text):
    previous_start = 0
    for word, _, start, end in tokens(text):
        assert previous_start <= start < end <= len(text)
        assert word in normalise(text[start:end]).lower()
        previous_start = start


@given(st.text(max_size=80))
def test_analysing_normalised_text_changes_nothing(text):
    assert analyse(normalise(text)) == analyse(text)


# --- The index and the query parser use the same analyser -------------------------------------


@pytest.fixture
def note_library(tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "note.txt").write_text(f"A short note\n\nBy Ana Ruiz\n\n{PARAGRAPH}\n",
                                     encoding="utf-8")
    search.build([folder], tmp_path / "ix")
    library = search.open(tmp_path / "ix")
    yield library
    library.close()


def test_the_index_analyser_is_the_seed_tokenizer(note_library):
    analyzer = note_library.store._index.schema["content"].analyzer
    assert isinstance(analyzer, SeedTokenizer)
    assert [token.text for token in analyzer(PARAGRAPH)] == analyse(PARAGRAPH)


def test_stored_stems_equal_analyse_of_the_indexed_text(note_library):
    reader = note_library.store._searcher.reader()
    stored = {term.decode("utf-8") for field, term in reader.all_terms() if field == "content"}
    expected = set(analyse("A short note")) | set(analyse("By Ana Ruiz")) | set(analyse(PARAGRAPH))
    assert stored == expected
    assert {"worker", "trotski", "bridg", "to", "be", "or", "not", "final"} <= stored


def test_stop_word_phrase_is_found(note_library):
    hits = note_library.search('"to be or not to be"').hits
    assert [(hit.doc_id, hit.paragraph) for hit in hits] == [("note", 1)]


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("Trotsky\u2019s bridge", "Trotsky's bridge"), ("\ufb01nally", "finally")],
)
def test_query_typography_finds_the_same_paragraph(note_library, typed, plain):
    typed_hits = [(hit.doc_id, hit.paragraph) for hit in note_library.search(typed).hits]
    assert typed_hits == [(hit.doc_id, hit.paragraph) for hit in note_library.search(plain).hits]
    assert ("note", 1) in typed_hits


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("workers\u2019 state", "workers' state"),
        ("Trotsky\u2019s exile", "Trotsky's exile"),
        ("\u201cworkers\u2019 state\u201d", "\"workers' state\""),
        ("\u201criver of blood\u201d", "\"river of blood\""),
        ("Left\u00a0Opposition", "Left Opposition"),
        ("1925\u201327", "1925-27"),
        ("\u2018socialism in one country\u2019", "'socialism in one country'"),
    ],
)
def test_curly_query_finds_the_same_hits_as_the_straight_one(seed_library, typed, plain):
    def found(query: str) -> list[tuple[str, int | None]]:
        return [(hit.doc_id, hit.paragraph) for hit in seed_library.search(query, limit=10)]

    assert found(typed) == found(plain)
    assert found(plain)


def test_stem_spans_are_the_tokens_of_those_stems(seeds_dir) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*"))
             if path.is_file()]
    texts += ["ﬁne café naïve — “quoted” soft\u00adhyphen … ellipsis fine",
              "Kronstadt's workers' state", "’ ' -- …", ""]
    assert len(texts) > 4
    for text in texts:
        every = {stemmed for _, stemmed, _, _ in tokens(text)}
        for stems in ({"fine", "cafe", "quot", "hyphen", "ellipsi"},
                      {"kronstadt", "worker", "state"}, set(sorted(every)[::7]), every, set(),
                      {""}):
            assert stem_spans(text, stems) == [
                (start, end) for _, stemmed, start, end in tokens(text) if stemmed in stems]


@given(st.lists(st.sampled_from(list("ab1Z' \t\n-_.,\"`") + ["''", "'s"]), max_size=30))
def test_ascii_words_are_the_pattern_s(pieces):
    text = "".join(pieces)
    from search.analyse import ASCII_WORD_PATTERN, _ascii_words

    assert _ascii_words(text) == ASCII_WORD_PATTERN.findall(text)


def test_ascii_words_are_the_pattern_s_over_every_ascii_character():
    from search.analyse import ASCII_WORD_PATTERN, _ascii_words

    for code in range(128):
        text = f"a{chr(code)}b '{chr(code)}' {chr(code)}{chr(code)}c'"
        assert _ascii_words(text) == ASCII_WORD_PATTERN.findall(text)
