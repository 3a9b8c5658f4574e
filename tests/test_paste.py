"""Tests for search.paste: each paste format of real seed citations, golden."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.cite import cite, unmark
from search.paste import as_format, citation_parts, curly, document, reference_document

sys.path.insert(0, str(Path(__file__).parent))
from test_cite import seed_meta, seed_pinpoint  # noqa: E402

SHAIL_IN_TEXT = "(Shail, 2019, Left Opposition section, para. 3)"
SHAIL_TITLE = ("Leon Trotsky’s struggle against Stalinism: 90 years since Trotsky’s expulsion "
               "from Soviet Union")
GOLDEN = {  # 002 ¶20 in APA: a page on a website, so its title is in italics
    "text": f"{SHAIL_IN_TEXT}\nShail, L. (2019, January). {SHAIL_TITLE}. Socialist Party.",
    "markdown": f"{SHAIL_IN_TEXT}\nShail, L. (2019, January). *{SHAIL_TITLE}*. Socialist Party.",
    "html": f'<p class="in-text">{SHAIL_IN_TEXT}</p>\n<p class="reference">Shail, L. (2019, '
            f"January). <i>{SHAIL_TITLE}</i>. Socialist Party.</p>",
    "rtf": "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24\n"
           f"{SHAIL_IN_TEXT}\\par\nShail, L. (2019, January). {{\\i Leon Trotsky\\u8217?s "
           "struggle against Stalinism: 90 years since Trotsky\\u8217?s expulsion from Soviet "
           "Union}. Socialist Party.\\par\n}",
}


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_each_paste_format_of_an_apa_citation(fmt):
    citation = cite(seed_meta("002"), seed_pinpoint("002"), "apa")
    assert document(citation_parts(citation), fmt) == GOLDEN[fmt]


def test_chicago_note_in_html_has_curly_quotes_and_italics():
    citation = cite(seed_meta("001"), seed_pinpoint("001"), "chicago")
    assert as_format(citation.in_text, "html") == (
        "Nicholas Wurst, “2023: 100 Years of Socialist Opposition to Stalinism,” "
        "<i>Independent Socialist Group</i>, n.d., under “Permanent Revolution.”")


def test_urls_keep_their_characters_and_become_links_in_html():
    citation = cite(seed_meta("004"), None, "mla")
    text = as_format(citation.reference, "text")
    assert "www.leftvoice.org/lenins-fight-against-stalinism-and-the-emergence-of-the-left-" \
           "opposition/." in text
    assert '<a href="https://www.leftvoice.org/lenins-fight' in as_format(
        cite(seed_meta("004"), None, "apa").reference, "html")


def test_html_escapes_markup_in_titles():
    assert as_format("A <b>bold</b> & *odd* title", "html") == (
        "A &lt;b&gt;bold&lt;/b&gt; &amp; <i>odd</i> title")


def test_rtf_escapes_braces_and_backslashes():
    assert as_format("a {b} \\ c", "rtf") == "a \\{b\\} \\\\ c"


def test_reference_document_sorts_the_entries():
    assert reference_document(["Narai, R. (2022).", "*Isolation*. (n.d.).", "Belano, R."],
                              "text") == "Belano, R.\nIsolation. (n.d.).\nNarai, R. (2022)."


@given(st.text(alphabet=st.sampled_from("ab \"'(—"), max_size=30))
def test_curly_changes_only_quotes_and_keeps_length(text):
    result = curly(text)
    assert len(result) == len(text)
    assert result.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'") == text


@given(st.text(max_size=40))
def test_text_format_is_the_unmarked_text_with_curly_quotes(text):
    assert as_format(text, "text") == curly(unmark(text))
