"""Tests for search.layout: splitting a scrape into blocks and saying what each block is.

Seed judgement calls are checked one by one here (the full golden tables live in
test_ingest.py); small articles from conftest.py cover layouts the seeds do not have.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search import Kind, layout, read_article
from search.layout import classify
from search.paragraphs import split_blocks
from search.typography import normalise

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
LONG_START = ("The party nationalized, without compensation, all large land estates, along with "
              "the land of the church, and redistributed it among the peasantry. It expropriated "
              "the capitalist")


def kinds_at(number: str) -> dict[int, Kind]:
    """Return {line_start: kind} for a seed article."""
    (path,) = SEEDS_DIR.glob(f"{number}_*.txt")
    return {block.line_start: block.kind for block in read_article(path).blocks}


def spans(blocks) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [(block.line_start, block.line_end) for block in blocks]


def test_numbered_kinds_are_body_blockquote_and_list_item():
    assert {kind for kind in Kind if kind.numbered} == {
        Kind.BODY, Kind.BLOCKQUOTE, Kind.LIST_ITEM}
    assert [kind.value for kind in Kind] == [
        "title", "byline", "heading", "body", "blockquote", "list_item", "caption", "footnote",
        "boilerplate", "preformatted"]


# --- Splitting ----------------------------------------------------------------------------


def test_blocks_are_runs_of_non_blank_lines_with_exact_offsets():
    text = "Title\n\n  Indented first line\nsecond line  \n\n\nLast"
    blocks = split_blocks(text)
    assert spans(blocks) == [(1, 1), (3, 4), (7, 7)]
    assert [text[b.start:b.end] for b in blocks] == [
        "Title", "Indented first line\nsecond line", "Last"]
    assert blocks[1].text == "Indented first line second line"


def test_a_run_with_two_or_more_list_markers_splits_into_items():
    text = ("Lenin's points:\n\n  1. No official above a skilled wage.\n"
            "  2. Rotate duties,\n     so that no caste forms.\n  3. Arm the people.\n")
    blocks = split_blocks(text)
    assert spans(blocks) == [(1, 1), (3, 3), (4, 5), (6, 6)]
    assert blocks[2].text == "2. Rotate duties, so that no caste forms."
    assert text[blocks[1].start:blocks[1].start + 2] == "1."


def test_a_single_dash_line_does_not_split_a_paragraph():
    text = "The vote was close\n- some say rigged -\nbut it stood.\n"
    assert spans(split_blocks(text)) == [(1, 3)]


def test_a_paragraph_broken_mid_sentence_is_joined():
    text = f"{LONG_START}\n\nclass and established worker control in all major industries.\n"
    (block,) = split_blocks(text)
    assert (block.line_start, block.line_end) == (1, 3)
    assert block.text == f"{LONG_START} class and established worker control in all major " \
                         "industries."
    assert text[block.start:block.end] == text.strip()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (LONG_START + ".", "class and established worker control."),  # first one ends a sentence
        ("The growth of the state", "and party bureaucracy grew."),  # too short to be broken
        (LONG_START, "Class and established worker control."),  # next one starts a sentence
        (LONG_START, "- class and established worker control"),  # next one is a list item
    ],
    ids=["ends-with-full-stop", "short", "capital", "list-marker"],
)
def test_blocks_that_are_not_one_broken_paragraph_stay_apart(first, second):
    assert spans(split_blocks(f"{first}\n\n{second}\n")) == [(1, 1), (3, 3)]


def test_classify_marks_a_given_title():
    text = ("A note on Kronstadt\n\nBy Ana Ruiz\n\nThe sailors of 1921 were not the sailors "
            "of 1917, and the difference mattered to everything that followed.\n")
    kinds = classify(split_blocks(text), ("A note on Kronstadt",))
    assert kinds == [Kind.TITLE, Kind.BYLINE, Kind.BODY]


# --- Judgement calls on the seeds -----------------------------------------------------------


def test_question_heading_is_a_heading_where_headings_are_sentence_case():
    # 004 line 86 is a section heading on the page; every heading of 004 is sentence case
    # ("Lenin’s last struggle"), so sentence case does not make it a paragraph.
    assert kinds_at("004")[86] == Kind.HEADING


def test_rhetorical_question_inside_the_body_stays_a_paragraph():
    # 003's headings are Title Case; line 17 is a question in the author's running prose.
    assert kinds_at("003")[17] == Kind.BODY


@pytest.mark.parametrize("line", [17, 33, 55, 69, 89])
def test_photo_captions_between_paragraphs_are_captions(line):
    # 001 line 69 ("Members of the Chinese Communist Party rounded up in the Kuomintang
    # purges of communists in 1927.") has no finite verb and sits before a heading.
    assert kinds_at("001")[line] == Kind.CAPTION


@pytest.mark.parametrize("line", [5, 7, 47, 49, 73, 75, 95, 97])
def test_alt_text_and_visible_caption_are_both_captions(line):
    assert kinds_at("002")[line] == Kind.CAPTION


@pytest.mark.parametrize(("number", "line"), [("000", 40), ("002", 23), ("003", 372)])
def test_quotation_run_into_the_authors_narration_is_a_body_paragraph(number, line):
    # '"...", Trotsky wrote. "..."': the author tells us who said it, in the author's voice.
    assert kinds_at(number)[line] == Kind.BODY


@pytest.mark.parametrize(
    ("number", "line"),
    [("000", 58), ("003", 35), ("003", 99), ("003", 125), ("003", 424), ("004", 60),
     ("004", 68)],
)
def test_quotation_introduced_by_a_colon_is_a_block_quote(number, line):
    assert kinds_at(number)[line] == Kind.BLOCKQUOTE


@pytest.mark.parametrize(
    ("number", "line"),
    [("000", 60), ("002", 115), ("003", 286), ("003", 380), ("004", 70), ("004", 72)],
)
def test_quotation_left_open_runs_on_into_the_next_blocks(number, line):
    assert kinds_at(number)[line] == Kind.BLOCKQUOTE


@pytest.mark.parametrize("line", [3, 81, 145, 200, 254, 324, 398])
def test_numbered_chapter_titles_are_headings_not_list_items(line):
    assert kinds_at("003")[line] == Kind.HEADING


@pytest.mark.parametrize("line", [157, 158, 159, 160, 382, 383, 384, 440, 442, 444, 446, 448])
def test_numbered_points_and_study_questions_are_list_items(line):
    assert kinds_at("003")[line] == Kind.LIST_ITEM


@pytest.mark.parametrize(("number", "first"), [("000", 63), ("001", 91), ("002", 120),
                                               ("003", 450)])
def test_everything_from_a_reading_list_or_sign_up_trailer_on_is_boilerplate(number, first):
    kinds = kinds_at(number)
    assert {kind for line, kind in kinds.items() if line >= first} == {Kind.BOILERPLATE}


def test_site_header_and_rubric_before_the_title_are_boilerplate():
    kinds = kinds_at("004")
    assert [kinds[line] for line in (1, 3, 5, 7)] == [
        Kind.BOILERPLATE, Kind.BOILERPLATE, Kind.TITLE, Kind.BYLINE]


def test_author_bio_and_first_publication_after_the_body_are_bylines():
    kinds = kinds_at("004")
    assert [kinds[106], kinds[108], kinds[110]] == [Kind.BYLINE, Kind.BYLINE, Kind.BOILERPLATE]


@pytest.mark.parametrize("line", [114, 116, 118])
def test_endnotes_and_a_footnotes_source_link_are_footnotes(line):
    # Line 118 is the link footnote 2 was taken from, not site furniture.
    assert kinds_at("004")[line] == Kind.FOOTNOTE


def test_kicker_and_headline_are_both_titles():
    kinds = kinds_at("002")
    assert [kinds[1], kinds[3], kinds[9]] == [Kind.TITLE, Kind.TITLE, Kind.BYLINE]


# --- Small articles with layouts the seeds do not have --------------------------------------


def rows(path: Path) -> list[tuple[int, int, str, int | None]]:
    blocks = read_article(path).blocks
    return [(b.line_start, b.line_end, b.kind.value, b.paragraph) for b in blocks]


def test_markdown_article_blocks(markdown_article):
    assert rows(markdown_article) == [
        (1, 1, "title", None),
        (3, 3, "byline", None),
        (5, 5, "body", 1),
        (7, 7, "heading", None),
        (9, 9, "list_item", 2),
        (10, 10, "list_item", 3),
        (11, 11, "list_item", 4),
        (13, 13, "blockquote", 5),
        (15, 15, "heading", None),
        (17, 17, "body", 6),
    ]


def test_markdown_bullets_are_markup_not_words(markdown_article):
    article = read_article(markdown_article)
    items = [block for block in article.blocks if block.kind == Kind.LIST_ITEM]
    assert [item.text for item in items] == [
        "Restore democracy inside the party and the soviets.",
        "Plan industry and tax the rich peasants.",
        "Defend the Chinese revolution against the Kuomintang.",
    ]
    assert [article.text[item.start:item.end] for item in items] == [item.text for item in items]


def test_markdown_title_mark_is_not_part_of_the_title(markdown_article):
    assert read_article(markdown_article).meta.title == "The Opposition's programme"


def test_markdown_heading_marks_are_not_part_of_sections(markdown_article):
    article = read_article(markdown_article)
    sections = {block.line_start: block.section for block in article.paragraphs}
    assert sections == {5: "", 9: "The demands", 10: "The demands", 11: "The demands",
                        13: "The demands", 17: "What followed"}


def test_footnote_list_gives_one_footnote_per_note(footnote_article):
    assert rows(footnote_article) == [
        (1, 1, "title", None),
        (3, 3, "byline", None),
        (5, 5, "body", 1),
        (7, 7, "body", 2),
        (9, 9, "footnote", None),
        (10, 10, "footnote", None),
    ]


def test_read_more_and_share_this_trailers_are_boilerplate(trailer_article):
    assert rows(trailer_article) == [
        (1, 1, "title", None),
        (3, 3, "byline", None),
        (5, 5, "body", 1),
        (7, 7, "body", 2),
        (9, 11, "boilerplate", None),
        (13, 13, "boilerplate", None),
    ]


def test_photo_caption_is_not_numbered(caption_article):
    assert rows(caption_article) == [
        (1, 1, "title", None),
        (3, 3, "byline", None),
        (5, 5, "body", 1),
        (7, 7, "caption", None),
        (9, 9, "body", 2),
    ]


def test_each_paragraph_of_a_multi_paragraph_quotation_is_a_block_quote(quotation_article):
    assert rows(quotation_article) == [
        (1, 1, "title", None),
        (3, 3, "byline", None),
        (5, 5, "body", 1),
        (7, 7, "blockquote", 2),
        (9, 9, "blockquote", 3),
        (11, 11, "blockquote", 4),
        (13, 13, "body", 5),
    ]


# The shortcuts classify takes (issue 9, indexing speed) answer as the patterns they stand for.
_NEAR_MISSES = st.sampled_from([
    "All rights reserved.", "all Rights RESERVED", "This is published by Verso", "thisis published by",
    "Creative Commons licence", "creative commons License", "(click to enlarge) Lenin",
    "(Photo: Tass)", "from left to right", "From L to R", "photo: Lenin", "Image: x",
    "Moscow, 12 March 1921.", "Trotsky in exile, 1929 -", "\n", "\u0130mage:", "\u212a", "\u0131",
    "www.marxists.org", "https://x.org", "e-mail me@x.org", "Share on Facebook", "print",
])


@given(st.lists(st.one_of(_NEAR_MISSES, st.text(max_size=30)), max_size=5).map("".join))
def test_the_furniture_shortcut_matches_the_pattern(text):
    assert layout._is_furniture(text) == bool(layout.FURNITURE.match(text))


@given(st.lists(st.one_of(_NEAR_MISSES, st.text(max_size=30)), max_size=5).map("".join))
def test_the_caption_shortcuts_match_the_patterns(text):
    marked = bool(layout.CAPTION_DATED.match(text)) or bool(
        layout.CAPTION_MARK.search(text) and text.count(". ") <= 1)
    assert layout._caption_marked(text) == marked
    assert layout._caption_letters(text) == layout._NOT_CAPTION_LETTERS.sub("", text).lower()


def test_the_shortcuts_answer_as_the_patterns_on_every_seed_block():
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for block in split_blocks(path.read_text(encoding="utf-8")):
            text = normalise(block.text)
            assert layout._is_furniture(text) == bool(layout.FURNITURE.match(text))
            assert layout._caption_letters(text) == (
                layout._NOT_CAPTION_LETTERS.sub("", text).lower())
