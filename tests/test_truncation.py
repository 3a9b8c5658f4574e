"""Truncations, stitches, fact checks and word differences on the seed articles (truncation.py,
stitching.py and facts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import search
from search import facts
from search.semantic import Embedder

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> search.Library:
    index_dir = tmp_path_factory.mktemp("truncation") / "index"
    search.build([SEEDS], index_dir)
    return search.open(index_dir)


def test_a_clause_cut_from_a_claim_is_a_variant_naming_the_cut_words(
        library: search.Library) -> None:
    # 000:52 "Published in 1937, the book refuted Stalin’s claim that Russia had achieved
    # socialism."
    verification = library.verify("Russia had achieved socialism.")
    assert verification.verdict == search.Verdict.VARIANT
    (deleted,) = verification.matches[0].differences
    assert deleted.to_dict() == {"op": "delete", "quote": "", "source":
                                 "Published in 1937, the book refuted Stalin’s claim that"}
    assert "(claim)" in verification.warnings[0]


def test_a_condition_cut_after_a_sentence_is_a_deletion(library: search.Library) -> None:
    # 003:392 "... that the party could not be turned back onto the road of Bolshevism unless
    # the rank and file ... acted"
    verification = library.verify("The party could not be turned back onto the road of "
                                  "Bolshevism.")
    assert verification.verdict == search.Verdict.VARIANT
    sources = [d.source for d in verification.matches[0].differences]
    assert sources[-1].startswith("unless the rank and file")


def test_dropping_only_an_introductory_phrase_stays_exact(library: search.Library) -> None:
    assert library.verify("The book refuted Stalin's claim that Russia had achieved "
                          "socialism.").verdict == search.Verdict.EXACT
    assert library.verify("refuted Stalin's claim that Russia had achieved "
                          "socialism").verdict == search.Verdict.EXACT


def test_an_ellipsis_at_a_governing_cut_is_edited_with_the_warning(
        library: search.Library) -> None:
    verification = library.verify("... Russia had achieved socialism.")
    assert verification.verdict == search.Verdict.EDITED
    assert verification.matches[0].edits[0].source.endswith("claim that")
    assert "(claim)" in verification.warnings[0]


def test_an_ellipsis_the_source_prints_at_the_edge_is_quoted_text(
        library: search.Library) -> None:
    # 003:260 "... supply them with mechanics… the middle peasant would say: ..."
    verification = library.verify("If we could tomorrow give 100,000 first-class tractors, "
                                  "supply them with benzine, supply them with mechanics...")
    assert verification.verdict == search.Verdict.EXACT
    assert verification.matches[0].line_start == 260


def test_a_cut_stops_at_the_paragraph_even_when_it_opens_with_a_quote_mark(
        library: search.Library) -> None:
    # 003:260 opens with “If we could...; the paragraph before ends "summed up the situation:"
    verification = library.verify("... supply them with mechanics... the middle peasant "
                                  "would say")
    assert verification.verdict == search.Verdict.EDITED
    dropped = verification.matches[0].edits[0]
    assert dropped.source == ("If we could tomorrow give 100,000 first-class tractors, supply "
                              "them with benzine")
    assert "a condition (if)" in verification.warnings[0]


def test_two_sentences_from_two_articles_are_a_stitch_with_both_places(
        library: search.Library) -> None:
    # 002:57 "But none of this happened without a struggle." + 003:27 "Public positions gave
    # them new privileges."
    verification = library.verify("But none of this happened without a struggle, and public "
                                  "positions gave them new privileges.")
    assert verification.verdict == search.Verdict.VARIANT
    parts = verification.matches[0].parts
    assert [(part.file[:3], part.line_start) for part in parts] == [("002", 57), ("003", 27)]
    assert verification.warnings[0].startswith("stitched together without an ellipsis")


def test_a_dropped_comma_is_a_minor_difference(library: search.Library) -> None:
    verification = library.verify("Published in 1937 the book refuted Stalin's claim that "
                                  "Russia had achieved socialism.")
    assert verification.verdict == search.Verdict.VARIANT
    assert [d.to_dict() for d in verification.matches[0].differences] == [
        {"op": "replace", "source": "1937,", "quote": "1937", "minor": True}]


def test_spaced_double_hyphens_stand_for_the_sources_dashes(library: search.Library) -> None:
    verification = library.verify("Trotsky demonstrated how in every aspect of life -- work, "
                                  "family, gender and sexual relations, politics, education, "
                                  "health care --- the oppression of Russian workers continued.")
    assert verification.verdict == search.Verdict.EXACT


@pytest.mark.skipif(Embedder.load() is None, reason="the embedding model is not installed")
def test_a_close_passage_that_contradicts_is_the_closest_not_a_paraphrase(
        library: search.Library) -> None:
    # 002:65: "at the request of ... Churchill and ... Roosevelt, Stalin dissolved the
    # Communist International"
    verification = library.verify("In 1943 Stalin dissolved the Communist International on "
                                  "his own initiative, against the wishes of Churchill and "
                                  "Roosevelt.")
    assert verification.verdict == search.Verdict.NOT_FOUND
    assert verification.closest is not None
    assert Path(verification.closest.doc.path).name.startswith("002")
    assert any("another agent" in warning for warning in verification.closest.warnings)


def test_fact_check_reads_numbers_names_negation_and_agents() -> None:
    said = facts.read_facts("Joseph was sold for thirty pieces of silver by Reuben.")
    printed = facts.read_facts("They sold Joseph to the Ishmeelites for twenty pieces of silver.")
    reasons = facts.conflicts(said, printed, printed)
    assert reasons == ["a number or date the passage does not give (30)",
                       "names the passage does not give (reuben)"]
    assert facts.conflicts(facts.read_facts("Nobody could interpret the dream."),
                           facts.read_facts("Joseph could interpret the dream."),
                           facts.read_facts("Joseph could interpret the dream.")) == [
        "a negation on one side only"]


def test_differences_keep_compounds_whole_with_the_sources_characters(
        library: search.Library) -> None:
    # 003:266 "It greatly strengthened the so-called “NEP-men”"
    verification = library.verify('It strengthened the so-called "NEP-people"')
    assert [d.to_dict() for d in verification.matches[0].differences] == [
        {"op": "delete", "source": "greatly", "quote": ""},
        {"op": "replace", "source": "NEP-men", "quote": "NEP-people"}]


def test_a_parenthesised_aside_is_one_difference(library: search.Library) -> None:
    # 003:392 "... acted to “regenerate and renovate the party apparatus”. (The New Course,
    # page 71)"
    verification = library.verify("acted to “regenerate and renovate the party apparatus”. "
                                  "(The New Course, page 17)")
    assert [d.to_dict() for d in verification.matches[0].differences] == [
        {"op": "replace", "source": "The New Course, page 71", "quote": "The New Course, page 17"}]
