"""Hostile input, generated: searching, quotation checking and the manuscript reader raise
only the library's own errors, and every search stays within its work limits.

The limits are asserted on the counters `lib.search` exposes (`SearchResult.work`), not on
time; the wall clock only detects a hang, far above what the budget allows.
SEEDSEARCH_FUZZ_EXAMPLES sets the number of examples (300 by default).
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import search
from search.engine.query import MAX_EXPANSIONS, MAX_SCANNED_TERMS
from search.engine.schema import make_schema
from search.manuscript import find_quotations, read_manuscript

EXAMPLES = int(os.environ.get("SEEDSEARCH_FUZZ_EXAMPLES", "300"))
HANG_SECONDS = 30.0
FIELD_NAMES = sorted(make_schema().names()) + ["nosuch", "Note", "http", "AUTHOR"]
WORDS = ["kronstadt", "trotsky", "stalin", "bureaucracy", "the", "of", "river", "blood",
         "Opposition", "Lenin’s", "1927", "épuration", "Троцкий", "quokka", "a", "to"]
timings: list[tuple[float, str]] = []

words = st.sampled_from(WORDS)
operators = st.sampled_from(["AND", "OR", "NOT", "TO", "&&", "||", "!", "+", "-", "^2", "~",
                             "~9", "~2", "*", "?", ">", "<", ">=", "=", ":", "\\", "/", "…"])
fields = st.builds(lambda name, value: f"{name}:{value}", st.sampled_from(FIELD_NAMES),
                   st.one_of(words, st.sampled_from(["*", "x", "5", "[a TO z]", "[* TO *]",
                                                     "[2019 TO *]", "[x TO y]", ">2019", "<",
                                                     "2019-13-45", '"a b"', "(a OR b)"])))
ranges = st.builds(lambda low, high, left, right: f"{left}{low} TO {high}{right}",
                   st.one_of(words, st.just("*"), st.just("")),
                   st.one_of(words, st.just("*"), st.just("")),
                   st.sampled_from("[{"), st.sampled_from("]}"))
wildcards = st.builds(lambda word, mark: word[: len(word) // 2] + mark, words,
                      st.sampled_from(["*", "?", "*?", "~", "~1", "~3", "~99"]))
pieces = st.one_of(words, operators, fields, ranges, wildcards,
                   st.sampled_from(['"', "(", ")", "[", "]", "{", "}", "'", "“", "”", "> "]),
                   st.text(max_size=12))
queries = st.one_of(
    st.lists(pieces, min_size=1, max_size=25).map(" ".join),
    st.lists(pieces, min_size=1, max_size=25).map("".join),
    st.text(max_size=200),
    st.integers(min_value=1, max_value=400).map(lambda depth: "(" * depth + "a" + ")" * depth),
    st.integers(min_value=100, max_value=3000).map(lambda size: "stalin " * (size // 7)),
)
FUZZ = settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck), deadline=None)


def multi_term_leaves(text: str) -> int:
    """At most how many wildcard, fuzzy and range terms (`a*`, `a~`, `[a TO b]`, `<a`) a query
    can hold, each searched in up to two fields."""
    return 2 * sum(text.count(mark) for mark in "*?~[{<>")


@FUZZ
@given(text=queries)
@example(text="0~0content_hash:0")  # found: an internal field straight after a fuzzy term
@example(text="0:<1")
def test_any_query_raises_only_search_errors_and_stays_within_its_budget(seed_library, text):
    started = time.perf_counter()
    try:
        result = seed_library.search(text, limit=5)
    except search.SearchError:
        return
    finally:
        timings.append((time.perf_counter() - started, text))
    assert time.perf_counter() - started < HANG_SECONDS, text
    work = result.work
    assert work.postings <= work.budget, (text, work)
    assert work.expansions <= MAX_EXPANSIONS * multi_term_leaves(text), (text, work)
    assert work.scanned_terms <= MAX_SCANNED_TERMS * multi_term_leaves(text), (text, work)
    assert len(result.hits) <= 5
    for hit in result.hits:
        assert all(0 <= start < end <= len(hit.snippet) for start, end in hit.highlights)


@settings(max_examples=max(EXAMPLES // 4, 25), deadline=None,
          suppress_health_check=list(HealthCheck))  # a quotation not found costs ~0.5 s
@given(text=st.one_of(st.lists(pieces, min_size=1, max_size=40).map(" ".join),
                      st.text(max_size=400)))
@example(text="kronstadt trotsky ²")  # found: a superscript digit reached int()
def test_any_quotation_raises_only_search_errors(seed_library, text):
    started = time.perf_counter()
    try:
        verification = seed_library.verify(text)
    except search.SearchError:
        return
    assert time.perf_counter() - started < HANG_SECONDS, text
    assert verification.verdict in search.Verdict


@FUZZ
@given(text=st.one_of(st.lists(pieces, min_size=1, max_size=60).map(" ".join),
                      st.text(max_size=600)))
def test_any_draft_is_read_or_refused_with_a_search_error(text):
    try:
        manuscript = find_quotations(text)
    except search.SearchError:
        return
    for quote in manuscript.quotations:
        assert quote.line >= 1 and quote.column >= 1


@settings(max_examples=max(EXAMPLES // 10, 20), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=2000))
def test_any_file_is_read_as_a_manuscript_or_refused(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("draft") / "draft.md"
    path.write_bytes(data)
    try:
        read_manuscript(path)
    except search.SearchError:
        pass


@pytest.fixture(scope="module", autouse=True)
def report_the_slowest_query(seed_library):  # type: ignore[no-untyped-def]
    """Load what a first call loads (NLTK, the paraphrase model) before anything is timed;
    afterwards print how many queries ran and the slowest (run with -s to see it)."""
    seed_library.search("kronstadt uprisings zzyzxqw")  # a word not indexed: NLTK loads
    seed_library.verify("the quokkas of the island never read the newspaper")
    yield
    if timings:
        seconds, text = max(timings)
        print(f"\n{len(timings)} random queries; slowest {seconds:.2f} s: {text[:80]!r}")
