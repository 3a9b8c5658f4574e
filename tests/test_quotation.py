"""Tests for quotation.py: the source tokens its hot loop makes are ordinary Tokens."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.quotation import Token, read_tokens, source_token


@given(st.text(max_size=8), st.text(max_size=8), st.integers(0, 10**6), st.integers(0, 10**6),
       st.text(max_size=3), st.booleans(), st.booleans())
def test_a_source_token_is_the_token_its_fields_make(key, text, start, end, trail, bracketed,
                                                      quote_mark):
    made = source_token(key, text, start, end, trail, bracketed, quote_mark)
    expected = Token(key, text, start, end, trail, bracketed, False, 0, quote_mark)
    assert type(made) is Token
    assert vars(made) == vars(expected)
    assert list(vars(made)) == [field.name for field in dataclasses.fields(Token)]
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)


def test_source_tokens_stay_frozen(seeds_dir):
    text = next(iter(sorted(seeds_dir.glob("*.txt")))).read_text(encoding="utf-8")
    token = read_tokens(text)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        token.key = "changed"  # type: ignore[misc]
    assert dataclasses.replace(token, key="other").key == "other"
