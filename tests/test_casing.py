"""Tests for search.casing: which title words an article's body shows to be names."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from search import casing
from search.casing import learn_title_case, title_word


def verdicts(title: str, *body: str) -> dict[str, str]:
    return dict(learn_title_case(title, body))


def test_a_word_capitalised_mid_sentence_is_proper_and_a_lowercase_one_common():
    assert verdicts("The Fight Against Stalinism",
                    "Their fight went on.", "It was a fight against Stalinism, and the fight "
                    "was long.") == {"Fight": "common", "Stalinism": "proper"}


def test_a_run_of_capitals_is_judged_as_a_whole():
    body = "He had left the party. The Left Opposition grew; the Left Opposition lost."
    assert verdicts("Rise of the Left Opposition", body) == {
        "Left": "proper", "Opposition": "proper"}


def test_a_capital_inside_a_longer_name_is_no_evidence_for_the_word_alone():
    body = ("The United Opposition was expelled. Any opposition was crushed, and the "
            "opposition knew it.")
    assert verdicts("Socialist Opposition to Stalin", body)["Opposition"] == "common"


def test_sentence_starts_and_the_title_itself_are_no_evidence():
    body = "Emergence was slow. The Emergence of the Left was the article's title."
    assert "Emergence" not in verdicts("The Emergence of the Left", body)


def test_a_word_used_both_ways_stays_undecided():
    body = "a Party meeting, the Party line, the party line, a party congress"
    assert "Party" not in verdicts("The Party", body)


def test_acronyms_and_numbers_are_not_candidates():
    assert verdicts("SMART-TD Local 1473 and Its Members", "the smart-td union") == {}


def test_apostrophes_match_either_form():
    assert verdicts("Lenin's Last Struggle", "It was Lenin’s fight, his last struggle.") == {
        "Lenin's": "proper", "Last": "common", "Struggle": "common"}


WORDS = st.sampled_from(["Left", "Opposition", "the", "of", "Stalinism", "Party", "left",
                         "party", "Trotsky's", "years", "SMART", "1923:"])


@given(st.lists(WORDS, min_size=1, max_size=6).map(" ".join),
       st.lists(st.lists(WORDS, max_size=12).map(" ".join), max_size=4))
def test_verdicts_are_only_for_title_words(title, body):
    found = learn_title_case(title, body)
    title_words = {title_word(word) for word in title.split()}
    assert {word for word, _ in found} <= title_words
    assert {verdict for _, verdict in found} <= {"proper", "common"}


TWINS = st.sampled_from(["Stalin", "stalin", "STALIN", "Left", "left", "Kirov", "\u212airov",
                         "Isaac", "\u0131saac", "\u0130saac", "Struggle", "\u017ftruggle",
                         "Trotsky’s", "Trotsky's", "trotsky's", "Opposition", ". ", ", ", "\n"])


@given(st.lists(TWINS, min_size=1, max_size=5).map(" ".join),
       st.lists(st.lists(TWINS, max_size=12).map(" ".join), max_size=3))
def test_the_substring_shortcut_changes_no_verdict(title, body):
    """`_may_occur` rules a title word out without a regular expression; it must never rule
    out one the expression would find (case twins such as K, ı, ſ match k, i, s)."""
    fast = learn_title_case(title, body)
    with patch.object(casing, "_may_occur", lambda phrase, folded: True):
        assert learn_title_case(title, body) == fast
