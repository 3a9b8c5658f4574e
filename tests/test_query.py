"""Tests for engine/query.py: plain words, words joined by AND and quoted phrases are read
without Whoosh's parser, exactly as it reads them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.engine.query import joined_query, make_parser, plain_word_query
from search.engine.schema import make_schema

SCHEMA = make_schema()
PARSER = make_parser(SCHEMA)  # the whole parser, date plugin included


def same(made: object, parsed: object) -> bool:
    """True when two Whoosh queries are equal in every attribute, all the way down (Whoosh's
    own == leaves some out, such as where a term was typed)."""
    if type(made) is not type(parsed):
        return False
    if isinstance(made, list | tuple):
        return len(made) == len(parsed) and all(map(same, made, parsed))  # type: ignore[arg-type]
    if hasattr(made, "__dict__"):
        return vars(made).keys() == vars(parsed).keys() and all(
            same(value, vars(parsed)[name]) for name, value in vars(made).items())
    return made == parsed


@pytest.mark.parametrize("text", ["kronstadt uprising", "Trotsky", "workers STATE state",
                                  "Left Opposition 1923", "a"])
def test_plain_words_make_the_parsers_query(text):
    made = plain_word_query(SCHEMA, text)
    assert made is not None
    assert same(made, PARSER.parse(text))


@pytest.mark.parametrize("text", ["left-wing", "Trotsky's", '"left opposition"', "trots*",
                                  "exil~", "author:shail", "lenin AND trotsky", "NOT stalin",
                                  "Kámenev", "(trotsky)", ""])
def test_anything_but_plain_words_is_left_to_the_parser(text):
    assert plain_word_query(SCHEMA, text) is None


WORDS = st.sampled_from(["trotsky", "Stalin", "bureaucracy", "the", "AND", "OR", "NOT", "TO",
                         "ANDNOT", "ANDMAYBE", "and", "date", "1917", "x2", "Kronstadt",
                         "workers", "STATE", "iii", "a"])
TYPED = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789'-:*~\"()é ", max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(WORDS, TYPED), max_size=6), st.sampled_from([" ", "  ", "\t"]))
def test_any_text_gets_the_parsers_query_or_goes_to_the_parser(words, separator):
    text = separator.join(words)
    made = plain_word_query(SCHEMA, text)
    if made is not None:
        assert same(made, PARSER.parse(text))


@pytest.mark.parametrize("text", ["lenin AND trotsky", "horse AND carriage AND whip", "a AND a",
                                  "Trotsky AND 1917", "the AND state", '"left opposition"',
                                  '"the act of"', '"Left Opposition 1923"', '"trotsky"', '"the"'])
def test_words_joined_by_and_and_quoted_phrases_make_the_parsers_query(text):
    made = joined_query(SCHEMA, text)
    assert made is not None
    assert same(made, PARSER.parse(text))


@pytest.mark.parametrize("text", ["lenin trotsky", "lenin and trotsky", "lenin AND  trotsky",
                                  "OR AND x", "x AND NOT", "x AND y OR z", '"left opposition"~2',
                                  '"left" "opposition"', '"left-wing party"', '""', "Kámenev AND x",
                                  "title:x AND y", " x AND y"])
def test_anything_else_is_left_to_the_parser(text):
    assert joined_query(SCHEMA, text) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(WORDS, TYPED), min_size=1, max_size=5),
       st.sampled_from([" AND ", " ", " AND  ", "AND"]), st.booleans())
def test_any_joined_or_quoted_text_gets_the_parsers_query_or_goes_to_the_parser(words, joint,
                                                                                 quoted):
    text = joint.join(words)
    if quoted:
        text = f'"{text}"'
    made = joined_query(SCHEMA, text)
    if made is not None:
        assert same(made, PARSER.parse(text))
