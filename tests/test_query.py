"""Tests for engine/query.py: plain words are read without Whoosh's parser, exactly as it reads them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.engine.query import make_parser, plain_word_query
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
