"""Tests for search.find through the library: ranking, query syntax, spelling, snippets, hits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import search
from search.analyse import fold, stem, tokens
from search.errors import InputError

NARAI = "000_ee2ff855b77098e1"
SHAIL = "002_ced5b9d275ebdcfc"
STUDY = "003_411d2712463a3513"
BELANO = "004_abca370204a8c88e"


def where(hit: search.Hit) -> tuple[str, int]:
    """(article number, first line) of a hit."""
    return hit.doc_id[:3], hit.line_start


def searchable_text(hit: search.Hit) -> str:
    """What a block is matched on: its text, its section and its article's title."""
    return " ".join((hit.text, hit.section, hit.doc.title, hit.doc.subtitle)).lower()


def query_stems(words: str) -> set[str]:
    return {stem(fold(word)) for word in re.findall(r"[\w'’]+", words)}


@pytest.fixture(scope="module")
def seeds_folder(seed_index: Path) -> Path:
    return seed_index.parent / "seeds"


# --- ranking --------------------------------------------------------------------------------


def test_kronstadt_uprising_ranks_a_paragraph_under_its_heading_first(seed_library):
    result = seed_library.search("kronstadt uprising", limit=10)
    body = [hit for hit in result if hit.kind == "body"]
    assert body[0].doc_id == STUDY
    assert body[0].section == "The Kronstadt Uprising"
    assert result.hits[0].doc_id == STUDY


def test_boilerplate_and_captions_rank_below_body_text_with_the_same_words(ranking_article,
                                                                           tmp_path):
    search.build([ranking_article], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        hits = library.search("clove harvest harbour market", limit=20).hits
    ranks = {(hit.kind, hit.line_start): hit.rank for hit in hits}
    body = ranks[("body", 5)]
    assert body == 1
    assert ranks[("caption", 7)] > body
    assert ranks[("boilerplate", 13)] > body


def test_a_book_in_a_reading_list_ranks_below_the_paragraph_discussing_it(seed_library):
    hits = seed_library.search("Revolution Betrayed", limit=500).hits
    ranks = {where(hit): hit.rank for hit in hits}
    assert ranks[("003", 168)] == 1  # "Trotsky, in his book The Revolution Betrayed, ..."
    assert ranks.get(("002", 131), len(hits) + 1) > ranks[("000", 52)]  # the reading list


# --- query syntax ---------------------------------------------------------------------------


def test_a_phrase_query_finds_both_occurrences(seed_library):
    hits = seed_library.search('"river of blood"', limit=10).hits
    assert {where(hit) for hit in hits[:2]} == {("000", 40), ("002", 87)}


@pytest.mark.parametrize("query, must_have, must_not_have", [
    ('"river of blood"', ["river of blood"], []),
    ("kronstadt AND sailors", ["kronstadt", "sailor"], []),
    ("kronstadt NOT sailors", ["kronstadt"], ["sailor"]),
])
def test_boolean_and_phrase_queries_match_only_what_they_say(seed_library, query, must_have,
                                                             must_not_have):
    hits = seed_library.search(query, limit=100).hits
    assert hits
    wrong = [where(hit) for hit in hits
             if not all(word in searchable_text(hit) for word in must_have)
             or any(word in searchable_text(hit) for word in must_not_have)]
    assert wrong == []


def test_or_finds_either_word(seed_library):
    hits = seed_library.search("kronstadt OR mexico", limit=100).hits
    texts = [hit.text.lower() for hit in hits]
    assert any("kronstadt" in text and "mexico" not in text for text in texts)
    assert any("mexico" in text and "kronstadt" not in text for text in texts)
    assert {("000", 36), ("004", 96), ("003", 236)} <= {where(hit) for hit in hits}


@pytest.mark.parametrize("query, count, check", [
    ("author:narai", 33, lambda hit: hit.doc_id == NARAI),
    ("title:lenin", 55, lambda hit: hit.doc_id == BELANO),
    ("doc:004", 55, lambda hit: hit.doc_id == BELANO),
    ("section:kronstadt", 10, lambda hit: hit.section == "The Kronstadt Uprising"),
    ("kind:caption", 13, lambda hit: hit.kind == "caption"),  # 5 in 001, 8 in 002
])
def test_field_filters_keep_only_matching_blocks(seed_library, query, count, check):
    result = seed_library.search(query, limit=500)
    assert len(result) == count
    assert all(check(hit) for hit in result)


def test_a_filter_narrows_a_word_search(seed_library):
    hits = seed_library.search("author:narai trotsky exile", limit=5).hits
    assert where(hits[0]) == ("000", 36)
    assert {hit.doc_id for hit in hits} == {NARAI}


@pytest.mark.parametrize("query, articles", [
    ("date:[2019 TO 2023]", {NARAI, SHAIL}),
    ("date:[2020 TO 2023]", {NARAI}),
    ("date:2022", {NARAI}),
    ("date:2019", {SHAIL}),
    # months and days: Whoosh reads a dashed month in a range or comparison as its whole year
    ("date:2019-1", {SHAIL}),
    ("date:[2019-01 TO 2019-02]", {SHAIL}),
    ("date:[2019-02 TO 2022-07]", set()),
    ("date:2022-09", set()),
    ("date:[2022-08-31 TO *]", {NARAI}),
    ("date:>2022-08-31", set()),
    ("date:<2019-01", set()),
    ("date:>2019-01", {NARAI}),
    ("date:<=2019-01", {SHAIL}),
])
def test_date_filters(seed_library, query, articles):
    assert {hit.doc_id for hit in seed_library.search(query, limit=500)} == articles


def test_a_wildcard_matches_every_word_it_starts(seed_library):
    hits = seed_library.search("trots*", limit=20).hits
    assert hits
    top = hits[0]
    assert re.search(r"\btrots", top.text, re.I)
    highlighted = [top.snippet[start:end].lower() for start, end in top.highlights]
    assert highlighted and all(word.startswith("trots") for word in highlighted)
    forms = {word.lower() for hit in hits for word in re.findall(r"\bTrots\w*", hit.text)}
    assert {"trotsky", "trotskyists"} <= forms


# --- spelling -------------------------------------------------------------------------------


def test_a_misspelt_word_still_finds_the_passage_with_a_suggestion(seed_library):
    result = seed_library.search("Trotsky exil Mexico", limit=5)
    assert {where(hit) for hit in result.hits[:2]} == {("000", 36), ("004", 96)}
    assert result.suggestion == "Trotsky exile Mexico"


def test_a_word_no_passage_contains_is_corrected_with_a_note(seed_library):
    result = seed_library.search("Trotksy exile Mexico", limit=5)
    assert "No passage contains 'Trotksy'; searched for 'trotsky' instead." in result.notes
    assert result.searched_for == "trotsky exile Mexico"
    assert where(result.hits[0]) == ("000", 36)


# --- malformed queries ----------------------------------------------------------------------


@pytest.mark.parametrize("query, problem", [
    ('"river of blood', "an unclosed quote"),
    ("(trotsky OR lenin", "unbalanced parentheses"),
    ("trotsky OR lenin)", "unbalanced parentheses"),
    ("kronstadt AND", "an operator without a word beside it"),
    ("sailors AND AND kronstadt", "an operator without a word beside it"),
    ("kronstadt title:", "a field name without a value"),
    ("kronstadt date:[2019 TO", "an unclosed range"),
    ('kronstadt title:"isolation and', "an unclosed quote"),
])
def test_malformed_syntax_falls_back_to_the_plain_words_with_a_note(seed_library, query,
                                                                     problem):
    result = seed_library.search(query, limit=5)
    assert any(note.startswith(f"Could not read the query syntax ({problem})")
               for note in result.notes), result.notes
    assert result.hits


def test_a_field_name_without_a_value_never_raises(seed_library):
    result = seed_library.search("title:", limit=5)
    assert any(note.startswith("Could not read the query syntax") for note in result.notes)


def test_a_field_name_without_a_value_is_not_spell_corrected(seed_library):
    result = seed_library.search("kronstadt title:", limit=5)
    assert "time" not in result.searched_for
    assert not any("'time'" in note for note in result.notes), result.notes
    assert result.hits[0].doc_id == STUDY


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_an_empty_query_is_an_input_error(seed_library, query):
    with pytest.raises(InputError, match="The query is empty; give some words to search for."):
        seed_library.search(query)


def test_a_limit_below_one_is_an_input_error(seed_library):
    with pytest.raises(InputError, match="--limit must be at least 1."):
        seed_library.search("kronstadt", limit=0)


# --- snippets and highlights ----------------------------------------------------------------


@pytest.mark.parametrize("query", ["kronstadt uprising",
                                   "physical incompatibility between Bolshevism and Stalinism",
                                   "trotsky exile mexico"])
def test_json_highlights_point_at_the_query_words_in_the_snippet(seed_library, query):
    data = seed_library.search(query, limit=10).to_dict()
    wanted = query_stems(query)
    assert any(hit["highlights"] for hit in data["hits"])
    for hit in data["hits"]:
        for start, end in hit["highlights"]:
            (token,) = tokens(hit["snippet"][start:end])
            assert token[1] in wanted, (hit["snippet"][start:end], query)


def test_a_long_paragraph_gets_a_windowed_snippet_around_the_match(seed_library):
    hit = seed_library.search("physical incompatibility between Bolshevism and Stalinism",
                              limit=1).hits[0]
    assert where(hit) == ("000", 40)
    assert hit.snippet.startswith("…") and len(hit.snippet) < len(hit.text)
    marked = [hit.snippet[start:end] for start, end in hit.highlights]
    pairs = list(zip(marked, marked[1:], strict=False))
    assert ("physical", "incompatibility") in pairs
    in_text = [hit.text[start:end] for start, end in hit.text_highlights]
    assert set(marked) <= set(in_text) and len(marked) <= len(in_text)


def test_full_gives_the_whole_paragraph(seed_library):
    hit = seed_library.search("physical incompatibility", limit=1, full=True).hits[0]
    assert hit.snippet == hit.text
    assert hit.highlights == hit.text_highlights


# --- per-doc and context --------------------------------------------------------------------


def test_per_doc_gives_at_most_one_hit_per_article(seed_library):
    hits = seed_library.search("Trotsky Stalin", limit=10, per_doc=True).hits
    doc_ids = [hit.doc_id for hit in hits]
    assert len(doc_ids) == len(set(doc_ids)) == 5


@pytest.mark.parametrize("context, paragraphs", [(1, [111, 113]), (2, [110, 111, 113, 114])])
def test_context_gives_the_neighbouring_paragraphs(seed_library, context, paragraphs):
    hit = seed_library.search("Kronstadt sailors forefront of the revolution", limit=1,
                              context=context).hits[0]
    assert (hit.doc_id, hit.paragraph) == (STUDY, 112)
    assert [neighbour["paragraph"] for neighbour in hit.context] == paragraphs
    for neighbour in hit.context:
        assert neighbour["text"] == seed_library.paragraph(STUDY, neighbour["paragraph"]).text


def test_context_never_gives_more_than_n_paragraphs_on_a_side(seed_library):
    for hit in seed_library.search("kronstadt uprising", limit=10, context=1):
        before = [n for n in hit.context if n["line_start"] < hit.line_start]
        after = [n for n in hit.context if n["line_start"] > hit.line_start]
        assert len(before) <= 1 and len(after) <= 1, (
            hit.kind, hit.line_start, [n["paragraph"] for n in hit.context])


def test_no_context_unless_asked(seed_library):
    assert all(hit.context == () for hit in seed_library.search("kronstadt uprising"))


# --- hits -----------------------------------------------------------------------------------


KNOWN_PASSAGES = [
    # query, article, first line, last line, ¶, section
    ('"whole river of blood"', NARAI, 40, 40, 18, ""),
    ("Trotsky exiled Alma Ata Mexico", NARAI, 36, 36, 16, ""),
    ("Kronstadt sailors forefront of the revolution", STUDY, 236, 236, 112,
     "The Kronstadt Uprising"),
]


@pytest.mark.parametrize("query, doc_id, line_start, line_end, paragraph, section",
                         KNOWN_PASSAGES)
def test_a_known_passage_comes_first_with_its_place(seed_library, seeds_folder, query, doc_id,
                                                    line_start, line_end, paragraph, section):
    hit = next(iter(seed_library.search(query, limit=5)))
    path = "seeds/" + f"{doc_id}.txt"  # shown from the folder holding seeds/
    assert (hit.doc_id, hit.doc.path) == (doc_id, path)
    assert (hit.line_start, hit.line_end, hit.paragraph) == (line_start, line_end, paragraph)
    assert (hit.kind, hit.section, hit.rank) == ("body", section, 1)
    line = (seeds_folder.parent / path).read_text(encoding="utf-8").split("\n")[line_start - 1]
    assert hit.text == " ".join(line.split())
    assert seed_library.text(doc_id)[hit.start:hit.end] == line.strip()
    assert hit.location == f"{path}:{line_start}-{line_end}"


def test_a_hit_cites_its_article_paragraph_and_lines(seed_library, seeds_folder):
    hits = [hit for hit in seed_library.search('"whole river of blood"', limit=1)]
    path = "seeds/" + f"{NARAI}.txt"  # shown from the folder holding seeds/
    assert [hit.citation for hit in hits] == [
        f'Robert Narai, "The struggle against Stalinism", *Red Flag*, 2022-08-31, ¶18, '
        f"{path}:40-40"]


def test_a_hit_without_an_author_cites_title_paragraph_and_lines(seed_library, seeds_folder):
    hit = seed_library.search("Kronstadt sailors forefront of the revolution", limit=1).hits[0]
    path = "seeds/" + f"{STUDY}.txt"  # shown from the folder holding seeds/
    assert hit.citation == (
        f"\"Isolation and Degeneration of the Workers' State\", ¶112, {path}:236-236")


def test_a_search_result_iterates_over_its_hits_in_rank_order(seed_library):
    result = seed_library.search("kronstadt uprising", limit=5)
    hits = list(result)
    assert hits == list(result.hits)
    assert len(result) == 5
    assert [hit.rank for hit in hits] == [1, 2, 3, 4, 5]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert result.query == "kronstadt uprising"
    assert result.total >= 5




def test_feedback_on_an_index_where_every_word_is_common_does_not_divide_by_zero(tmp_path):
    """Bug: with every stem of the top passages in every block, each feedback weight was
    log(1) = 0 and the weights were divided by the top one."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("Moscow news\n\nIn Moscow the leaflets were printed.\n\n"
                                    "In Moscow the press was seized.\n", encoding="utf-8")
    search.build([folder], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        assert [hit.paragraph for hit in library.search("leaflets press").hits] == [1, 2]


def test_a_fuzzy_filter_is_capped_like_a_fuzzy_word(seed_library):
    """Found by the fuzz test: `title:word~99` (a filter, read apart from the words) built a
    Levenshtein automaton of distance 99 and ran for over a minute."""
    result = seed_library.search("title:bureaucracy19~99 trotsky", limit=3)
    assert any("at most 2 edits" in note for note in result.notes)


def test_a_query_few_passages_answer_is_widened_by_feedback(seed_library):
    # Two passages name Prinkipo; the words they share with others (exile, Alma Ata, Turkey...)
    # bring in passages about the exile that do not name the island, after the two.
    plain = seed_library.search("Prinkipo", limit=10, feedback=False).hits
    naming = {("004", 36), ("002", 33)}
    assert {(hit.doc_id[:3], hit.paragraph) for hit in plain} == naming and len(plain) == 2
    hits = seed_library.search("Prinkipo", limit=10).hits
    assert len(hits) == 10
    assert {(hit.doc_id[:3], hit.paragraph) for hit in hits[:2]} == naming
    assert not any("prinkipo" in hit.text.lower() for hit in hits[2:])


def test_a_query_with_syntax_is_not_widened_by_feedback(seed_library):
    hits = seed_library.search('"Prinkipo"', limit=10).hits
    assert {(hit.doc_id[:3], hit.paragraph) for hit in hits} == {("004", 36), ("002", 33)}
    assert len(hits) == 2


def test_feedback_widens_a_narrow_query_within_its_filters(seed_library):
    hits = seed_library.search("Prinkipo author:shail", limit=10).hits
    assert hits[0].paragraph == 33 and len(hits) > 1  # the one Shail passage naming it, first
    assert {hit.doc.author for hit in hits} == {"Lenny Shail"}
    assert not any("prinkipo" in hit.text.lower() for hit in hits[1:])


def test_an_acronym_finds_the_passages_that_spell_its_name_out(seed_library):
    # Three articles define NEP: "the “New Economic Policy” (NEP)". Red Flag's ¶7 says only
    # "the New Economic Policy"; without the long form it is not among the first ten.
    result = seed_library.search("Why was the NEP introduced?", limit=3)
    assert result.notes == ("Also searched for 'New Economic Policy', which the articles use "
                            "for 'NEP'.",)
    assert [hit.location.split("/")[-1] for hit in result.hits] == [
        "003_411d2712463a3513.txt:262-262", "000_ee2ff855b77098e1.txt:18-18",
        "004_abca370204a8c88e.txt:32-32"]
    plain = seed_library.search("NEP introduced", limit=10, feedback=False).hits
    assert "000_ee2ff855b77098e1.txt:18-18" not in [hit.location.split("/")[-1] for hit in plain]


def test_a_name_the_articles_abbreviate_finds_the_abbreviation(seed_library):
    # Militant's article defines "the Left Opposition (LO)" and then writes "They built the LO".
    result = seed_library.search("Left Opposition", limit=30)
    assert result.notes == ("Also searched for 'LO', which the articles use for "
                            "'Left Opposition'.",)
    short_only = [hit.location.split("/")[-1] for hit in result.hits
                  if " LO " in hit.text and "Left Opposition" not in hit.text]
    assert short_only[:2] == ["001_baf5b2bc01864b5f.txt:13-13", "001_baf5b2bc01864b5f.txt:81-81"]


def test_an_acronym_no_article_defines_is_left_alone(seed_library):
    # USSR is in the seeds, but no article writes "... (USSR)": nothing is guessed.
    assert seed_library.search("USSR", limit=3).notes == ()


def test_an_acronym_typed_in_lower_case_is_read_as_the_articles_define_it(seed_library):
    result = seed_library.search("why was the nep introduced", limit=3)
    assert result.notes == ("Also searched for 'New Economic Policy', which the articles use "
                            "for 'nep'.",)
    assert [hit.location.split("/")[-1] for hit in result.hits] == [
        "003_411d2712463a3513.txt:262-262", "000_ee2ff855b77098e1.txt:18-18",
        "004_abca370204a8c88e.txt:32-32"]
