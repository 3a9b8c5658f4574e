"""Tests for search.manuscript: finding the quotations in a writer's draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.errors import InputError
from search.manuscript import (
    Manuscript,
    ManuscriptQuote,
    SkippedQuote,
    find_quotations,
    read_manuscript,
)
from search.typography import normalise

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SHORT = "scare quote or title (fewer than four words)"

DRAFT = """\
# Trotsky against the “Great Purge”

As Trotsky put it, “The present purge draws between Bolshevism and Stalinism not only a
bloody line but a whole river of blood”. The workers’ state didn’t survive it.

“Stalin conducts a struggle on a totally different plane,” Trotsky wrote. "He seeks to
strike not at the ideas of the opponent, but at his skull."

Narai notes the troika's campaign against "Trotskyism": "All the old formulae of Bolshevism
were named 'Trotskyist'". Its "Left Opposition" never gave up.

Trotsky wrote in 1936:

> The present purge draws between Bolshevism and Stalinism
> not only a bloody line but a whole river of blood

Type `"this is not a quotation"` or read [the article](https://example.org "A title in quotes").
"""

PURGE = (
    "The present purge draws between Bolshevism and Stalinism not only a bloody line"
    " but a whole river of blood"
)


def quotes(text: str) -> list[tuple[str, int, int, int, str]]:
    """Return (text, line, line_end, column, kind) for each quotation found in text."""
    return [
        (quote.text, quote.line, quote.line_end, quote.column, quote.kind)
        for quote in find_quotations(text).quotations
    ]


def test_each_quotation_spans_its_marks_in_the_draft():
    manuscript = find_quotations(DRAFT, "draft.md")
    assert manuscript.text == DRAFT
    spans = [DRAFT[quote.start:quote.end] for quote in manuscript.quotations]
    assert spans == [
        "“The present purge draws between Bolshevism and Stalinism not only a\nbloody line but a "
        "whole river of blood”",
        "“Stalin conducts a struggle on a totally different plane,”",
        '"He seeks to\nstrike not at the ideas of the opponent, but at his skull."',
        "\"All the old formulae of Bolshevism\nwere named 'Trotskyist'\"",
        "> The present purge draws between Bolshevism and Stalinism\n> not only a bloody line but "
        "a whole river of blood"]


def test_the_draft_gives_each_quotation_with_its_place_and_speaker():
    manuscript = find_quotations(DRAFT, "draft.md")
    assert manuscript == Manuscript(
        "draft.md",
        (
            ManuscriptQuote(
                PURGE,
                3,
                4,
                20,
                "inline",
                f"As Trotsky put it, “{PURGE}”.",
                "Trotsky",
            ),
            ManuscriptQuote(
                "Stalin conducts a struggle on a totally different plane,",
                6,
                6,
                1,
                "inline",
                "“Stalin conducts a struggle on a totally different plane,” Trotsky wrote.",
                "Trotsky",
            ),
            ManuscriptQuote(
                "He seeks to strike not at the ideas of the opponent, but at his skull.",
                6,
                7,
                75,
                "inline",
                '"He seeks to strike not at the ideas of the opponent, but at his skull."',
                "",
            ),
            ManuscriptQuote(
                "All the old formulae of Bolshevism were named 'Trotskyist'",
                9,
                10,
                57,
                "inline",
                'Narai notes the troika\'s campaign against "Trotskyism": "All the old'
                " formulae of Bolshevism were named 'Trotskyist'\".",
                "Narai",
            ),
            ManuscriptQuote(PURGE, 14, 15, 1, "block", "Trotsky wrote in 1936:", "Trotsky"),
        ),
        (
            SkippedQuote("Great Purge", 1, SHORT),
            SkippedQuote("Trotskyism", 9, SHORT),
            SkippedQuote("Left Opposition", 10, SHORT),
        ),
    )


def test_the_draft_quotes_the_seed_articles_word_for_word():
    seeds = normalise(" ".join(path.read_text() for path in SEEDS.glob("*.txt")))
    for quote in find_quotations(DRAFT).quotations:
        assert normalise(quote.text).rstrip(",.") in seeds


def test_curly_and_straight_quotes_are_both_found():
    text = (
        "Trotsky said “Either the Russian revolution will raise the whirlwind” and"
        ' "the capitalists of all countries will crush our revolution".'
    )
    assert quotes(text) == [
        ("Either the Russian revolution will raise the whirlwind", 1, 1, 14, "inline"),
        ("the capitalists of all countries will crush our revolution", 1, 1, 75, "inline"),
    ]


def test_nested_single_quotes_stay_inside_the_quotation():
    text = (
        "One survivor recalled: “As they marched away, the condemned sang the ‘Internationale’,"
        " joined by the voices of hundreds of prisoners remaining in the camp.”"
    )
    assert quotes(text) == [
        (
            "As they marched away, the condemned sang the ‘Internationale’, joined by the voices"
            " of hundreds of prisoners remaining in the camp.",
            1,
            1,
            24,
            "inline",
        )
    ]


def test_a_quotation_runs_over_a_soft_line_break():
    text = (
        "Wurst argues the Opposition fought for “correct tactics in many\n"
        "revolutionary opportunities in a number of countries” across the world.\n"
    )
    found = find_quotations(text).quotations
    assert quotes(text) == [
        (
            "correct tactics in many revolutionary opportunities in a number of countries",
            1,
            2,
            40,
            "inline",
        )
    ]
    assert found[0].attributed_to == "Wurst"


def test_consecutive_block_quote_lines_are_one_quotation_of_any_length():
    text = (
        "In the words of Leon Trotsky:\n"
        ">  Stalin conducts a struggle\n"
        "> on a totally different plane.\n"
        "\n"
        "> Down with it!\n"
        ">\n"
        "> — Leon Trotsky, 1937\n"
    )
    manuscript = find_quotations(text)
    assert manuscript.quotations == (
        ManuscriptQuote(
            "Stalin conducts a struggle on a totally different plane.",
            2,
            3,
            1,
            "block",
            "In the words of Leon Trotsky:",
            "Leon Trotsky",
        ),
        ManuscriptQuote("Down with it!", 5, 7, 1, "block", "", "Leon Trotsky"),
    )
    assert manuscript.skipped == ()


def test_a_block_quote_in_quote_marks_loses_the_marks():
    text = "> “He seeks to strike not at the ideas of the opponent, but at his skull.”\n"
    assert quotes(text) == [
        ("He seeks to strike not at the ideas of the opponent, but at his skull.", 1, 1, 1, "block")
    ]


def test_a_quotation_over_paragraphs_reopens_each_paragraph():
    text = (
        "Trotsky later commented: “All the old formulae of Bolshevism were named\n"
        "‘Trotskyist’.\n"
        "\n"
        "“The genuine thing in Bolshevism is opposed to every privilege, to the oppression\n"
        "of the majority by the minority.”\n"
    )
    assert quotes(text) == [
        (
            "All the old formulae of Bolshevism were named ‘Trotskyist’. The genuine thing in"
            " Bolshevism is opposed to every privilege, to the oppression of the majority by the"
            " minority.",
            1,
            5,
            26,
            "inline",
        )
    ]


def test_an_unclosed_quotation_closes_at_the_end_of_its_paragraph():
    text = (
        'Trotsky wrote that "the present purge draws a bloody line\n'
        "\n"
        'The next paragraph quotes "a whole river of blood" only.\n'
    )
    assert quotes(text) == [
        ("the present purge draws a bloody line", 1, 1, 20, "inline"),
        ("a whole river of blood", 3, 3, 27, "inline"),
    ]


def test_scare_quotes_and_titles_are_skipped_with_a_reason():
    text = (
        "The “Great Purge” was no “workers’ democracy” but “a bloody line”;\n"
        "Narai’s article “Against Stalinism” says so, and “” means nothing.\n"
    )
    manuscript = find_quotations(text)
    assert manuscript.quotations == ()
    assert manuscript.skipped == (
        SkippedQuote("Great Purge", 1, SHORT),
        SkippedQuote("workers’ democracy", 1, SHORT),
        SkippedQuote("a bloody line", 1, SHORT),
        SkippedQuote("Against Stalinism", 2, SHORT),
        SkippedQuote("", 2, "empty quotation"),
    )


def test_min_words_sets_the_scare_quote_limit():
    text = "Stalin's “socialism in one country” was a slogan."
    assert [q.text for q in find_quotations(text).quotations] == ["socialism in one country"]
    assert find_quotations(text, min_words=5).skipped == (
        SkippedQuote("socialism in one country", 1, "scare quote or title (fewer than five words)"),
    )


def test_quote_marks_in_code_and_link_urls_are_ignored():
    text = (
        'Run `grep "the present purge draws" seeds/*.txt` to check, or\n'
        "``` text\n"
        '"Stalin conducts a struggle on a totally different plane,"\n'
        "```\n"
        'or read [the "Great Purge" article](https://example.org/?q="purge" "The title here").\n'
        '[ref]: https://example.org "A reference title with words"\n'
        '<!-- "a comment that quotes four words" -->\n'
    )
    manuscript = find_quotations(text)
    assert manuscript.quotations == ()
    assert manuscript.skipped == (SkippedQuote("Great Purge", 5, SHORT),)


def test_markdown_inside_a_quotation_is_reduced_to_its_words():
    text = "He called it “a *bridge* between the [bourgeois](https://x.org) and socialist society”."
    assert quotes(text)[0][0] == "a bridge between the bourgeois and socialist society"


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("The workers' state didn't \"survive the purges of the thirties\" at all.", 27),
        ("The workers’ state didn’t “survive the purges of the thirties” at all.", 27),
        ("The workers' state 'didn't' \"survive the purges of the thirties\" at all.", 29),
        ("'Tis the workers' 'state' \"survive the purges of the thirties\" at all.", 27),
    ],
)
def test_apostrophes_are_not_quote_marks(text, column):
    assert quotes(text) == [("survive the purges of the thirties", 1, 1, column, "inline")]


def test_apostrophes_inside_a_quotation_are_kept():
    text = "He praised \"the workers' state and the peasants' councils\" in 1923."
    assert quotes(text) == [("the workers' state and the peasants' councils", 1, 1, 12, "inline")]


def test_an_inch_mark_does_not_break_the_pairing():
    text = 'Deutscher kept a 5" photograph. He wrote "the lost generation of the Opposition" there.'
    assert quotes(text) == [("the lost generation of the Opposition", 1, 1, 42, "inline")]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ('Trotsky wrote that "the present purge draws a bloody line".', "Trotsky"),
        ('In 1936 Leon Trotsky said "the present purge draws a bloody line".', "Leon Trotsky"),
        ('According to Robert Narai, "the present purge draws a bloody line".', "Robert Narai"),
        ('As Trotsky put it, "the present purge draws a bloody line".', "Trotsky"),
        ('"The present purge draws a bloody line," said Trotsky.', "Trotsky"),
        ('"The present purge draws a bloody line," Trotsky later wrote.', "Trotsky"),
        ('Trotsky: "the present purge draws a bloody line".', "Trotsky"),
        ('He wrote that "the present purge draws a bloody line".', ""),
        ('The purge was, in short, "the present purge draws a bloody line".', ""),
        ('Again: "the present purge draws a bloody line".', ""),  # an adverb, not a name
        ('Elsewhere: "the present purge draws a bloody line".', ""),
        ('Finally, Trotsky: "the present purge draws a bloody line".', "Trotsky"),
    ],
)
def test_attribution_follows_simple_patterns(sentence, speaker):
    text = f"The trials began in 1936. {sentence} The river followed."
    [quote] = find_quotations(text).quotations
    assert (quote.attributed_to, quote.context) == (speaker, sentence)


def test_crlf_line_endings_and_a_bom_keep_line_numbers(tmp_path):
    path = tmp_path / "draft.md"
    text = DRAFT.replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_manuscript(path) == find_quotations(DRAFT, str(path))


def test_a_manuscript_without_quotations_is_not_an_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("No quotations here, only the writer's own words.\n", encoding="utf-8")
    assert read_manuscript(path) == Manuscript(str(path), (), ())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.md", None, "{path}: no such file."),
        ("folder", "directory", "{path} is a directory; give a file."),
        (
            "draft.odt",
            b"PK\x03\x04\x00\x00",
            "{path} looks binary, not text; give a UTF-8 text file.",
        ),
        (
            "draft.docx",
            b"PK\x03\x04\x00\x00",
            "{path} is not a readable .docx (damaged or truncated: BadZipFile); open and save it"
            " again in Word.",
        ),
        (
            "draft.md",
            "As Trotsky put it, “blood”.".encode("cp1252"),
            "{path} is not UTF-8 (byte 0x93 at offset 19); convert it,"
            " e.g. iconv -f cp1252 -t utf-8.",
        ),
        ("empty.md", b"", "{path} is empty."),
        ("blank.md", b" \r\n\n", "{path} is empty."),
    ],
)
def test_unusable_files_are_refused_with_a_one_line_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content == "directory":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        read_manuscript(path)
    assert str(raised.value) == message.format(path=path)


WORD = st.from_regex(r"[A-Za-zéüßøç]{1,9}(['’][a-z]{1,3})?['’]?", fullmatch=True)
BREAK = st.sampled_from([" ", "\n", "  ", " \n", "\n  "])


@given(
    lead=st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), max_size=6),
    quoted=st.lists(WORD, min_size=4, max_size=14),
    marks=st.sampled_from([("“", "”"), ('"', '"')]),
    data=st.data(),
)
def test_any_wrapped_quotation_is_found_whole_on_its_first_line(lead, quoted, marks, data):
    tokens = ["Trotsky", "wrote", *lead, "that", marks[0] + quoted[0], *quoted[1:-1]]
    tokens += [quoted[-1] + marks[1], "in", "1937."]
    breaks = data.draw(st.lists(BREAK, min_size=len(tokens) - 1, max_size=len(tokens) - 1))
    text = tokens[0] + "".join(gap + token for gap, token in zip(breaks, tokens[1:], strict=True))
    opening = text.index(marks[0] + quoted[0])
    [quote] = find_quotations(text).quotations
    assert quote.text == " ".join(quoted)
    assert quote.line == text.count("\n", 0, opening) + 1
    assert quote.attributed_to == "Trotsky"
