"""Tests for search.typography: one form for quotes, dashes, spaces and ellipses, with offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.typography import normalise, normalise_char, normalise_with_offsets, word_spans, words

# Characters normalise maps one to one, so text keeps its length and offsets.
ONE_TO_ONE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
    "\u3000": " ", "\t": " ",
}
TYPOGRAPHIC = "".join(ONE_TO_ONE) + "\u2026\ufb01\ufb02\uff21\uff57\u200b\u00ad"
MIXED_TEXT = st.text(alphabet=st.sampled_from("abcXYZ019 .,'\"-" + TYPOGRAPHIC), max_size=60)


@pytest.mark.parametrize(("typed", "plain"), sorted(ONE_TO_ONE.items()))
def test_quotes_dashes_and_spaces_map_to_one_plain_character(typed, plain):
    assert normalise(f"a{typed}b") == f"a{plain}b"
    assert normalise_char(typed) == plain


def test_a_sentence_with_curly_quotes_dashes_and_a_no_break_space():
    text = "Trotsky\u2019s \u201cbridge\u201d \u2014 a\u00a0workers\u2019 state \u2013 1923\u201324"
    assert normalise(text) == "Trotsky's \"bridge\" - a workers' state - 1923-24"
    assert len(normalise(text)) == len(text)
    assert normalise_with_offsets(text).offsets == tuple(range(len(text) + 1))


def test_plain_ascii_is_unchanged():
    text = 'He said: "It\'s 1923 - the (New) Course!" [sic]'
    assert normalise(text) == text


def test_ellipsis_becomes_three_dots_and_maps_back_to_the_one_character():
    text = "in my life\u2026 To carry out"
    normalised = normalise_with_offsets(text)
    assert normalised.text == "in my life... To carry out"
    assert normalise(text) == normalised.text
    dots = normalised.text.index("...")
    assert normalised.original_span(dots, dots + 3) == (10, 11)
    assert text[slice(*normalised.original_span(dots, dots + 3))] == "\u2026"
    carry = normalised.text.index("carry")
    assert normalised.original_span(carry, carry + 5) == (15, 20)
    assert text[15:20] == "carry"
    assert normalised.offsets[-1] == len(text)


def test_ligatures_expand_and_map_back():
    text = "the \ufb01nal \ufb02ag, an o\ufb03ce"
    normalised = normalise_with_offsets(text)
    assert normalised.text == "the final flag, an office"
    final = normalised.text.index("final")
    assert normalised.original_span(final, final + 5) == (4, 8)
    assert text[4:8] == "\ufb01nal"
    office = normalised.text.index("office")
    assert text[slice(*normalised.original_span(office, office + 6))] == "o\ufb03ce"


def test_full_width_letters_and_digits_become_ascii():
    assert normalise("\uff37\uff4f\uff52\uff4b\uff45\uff52\uff53 \uff11\uff19\uff12\uff13") == (
        "Workers 1923")


def test_zero_width_characters_and_soft_hyphens_vanish():
    text = "work\u200bers\u2019 bureau\u00adcracy"
    normalised = normalise_with_offsets(text)
    assert normalised.text == "workers' bureaucracy"
    assert normalised.original_span(0, 7) == (0, 8)


def test_a_decomposed_accent_is_composed():
    # NFKC composes "e" + COMBINING ACUTE ACCENT into "é", as text pasted from a PDF or a Mac
    # often arrives; without it "Broue\u0301" and "Broué" never meet.
    assert normalise("Pierre Broue\u0301") == "Pierre Broué"


def test_original_span_of_an_empty_range_is_empty():
    normalised = normalise_with_offsets("a\u2026b")
    assert normalised.original_span(2, 2) == (1, 1)


def test_words_keep_inner_apostrophes_and_drop_punctuation():
    text = normalise("The workers\u2019 state, Trotsky\u2019s 1936 book \u2014 didn\u2019t it?")
    assert words(text) == ["the", "workers", "state", "trotsky's", "1936", "book", "didn't", "it"]
    assert [(word, text[start:end]) for word, start, end in word_spans(text)][3] == (
        "trotsky's", "Trotsky's")


@given(st.text(alphabet=st.sampled_from("abc XYZ.,;:!?'\"-()" + "".join(ONE_TO_ONE)),
               max_size=80))
def test_one_to_one_characters_keep_the_length(text):
    assert len(normalise(text)) == len(text)
    assert normalise_with_offsets(text).offsets == tuple(range(len(text) + 1))


@given(st.text(max_size=80))
def test_normalise_with_offsets_agrees_with_normalise(text):
    normalised = normalise_with_offsets(text)
    assert normalised.text == normalise(text)
    assert len(normalised.offsets) == len(normalised.text) + 1
    assert list(normalised.offsets) == sorted(normalised.offsets)
    assert normalised.offsets[-1] == len(text)


@given(st.one_of(MIXED_TEXT, st.text(max_size=40)))
def test_offsets_round_trip_to_the_original_characters(text):
    normalised = normalise_with_offsets(text)
    pieces: dict[int, str] = {}
    for ch, origin in zip(normalised.text, normalised.offsets, strict=False):
        pieces[origin] = pieces.get(origin, "") + ch
    for index, ch in enumerate(text):
        assert pieces.get(index, "") == normalise_char(ch)


@given(MIXED_TEXT)
def test_normalising_twice_changes_nothing(text):
    assert normalise(normalise(text)) == normalise(text)


def test_normalised_text_is_normalise_remembered(monkeypatch):
    from search import typography

    monkeypatch.setattr(typography, "MAX_NORMALISED_CHARS", 10)  # started afresh often
    texts = ["Trotsky\u2019s \u201cbridge\u201d", "plain", "a\u00a0b\u2026", "Broue\u0301"] * 5
    for text in texts:
        assert typography.normalised_text(text) == typography.normalise(text)
