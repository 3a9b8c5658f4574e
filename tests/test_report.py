"""Tests for search.report: the self-contained HTML report on docs/draft.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.report import report_html

DRAFT = Path(__file__).resolve().parents[1] / "docs" / "draft.md"


@pytest.fixture(scope="module")
def report(seed_library):  # type: ignore[no-untyped-def]
    return seed_library.check(DRAFT)


@pytest.fixture(scope="module")
def page(report, seed_index):  # type: ignore[no-untyped-def]
    return report_html(report, "apa", seed_index.parent)


def test_report_fetches_nothing(page):
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert "@import" not in page and "url(" not in page
    hrefs = set(re.findall(r'href="([^"]*)"', page))
    assert all(h.startswith(("#", "file:///", "https://www.leftvoice.org/")) for h in hrefs), hrefs


def test_every_quotation_is_highlighted_in_the_draft_by_verdict(page):
    draft = page.split('<div class="draft">')[1].split("</div>")[0]
    marks = re.findall(r'<mark class="(\w+)" id="q(\d)-draft" title="([^"]+)"><a href="#q\2">'
                       r'<span aria-hidden="true">(.)</span>', draft)
    assert marks == [("ok", "1", "exact", "✓"), ("ok", "2", "edited (marked changes)", "✓"),
                     ("bad", "3", "misquoted (variant)", "✗"),
                     ("bad", "4", "not found in the index", "?")]
    assert "&quot;not only a bloody line but a whole\nriver of blood&quot;</a></mark>" in draft


def test_summary_counts_and_the_quotations_to_fix_first(page):
    assert "2 of 4 quotations are not verified." in page
    fix = page.split('<section class="fix">')[1].split("</section>")[0]
    assert re.findall(r'href="#q(\d)">line (\d+)', fix) == [("3", "9"), ("4", "12")]


def test_the_variant_is_shown_beside_its_source_with_the_word_marked(page):
    card = page.split('id="q3"')[1].split('<div class="quotation"')[0]
    assert '<mark class="ins">five</mark>' in card
    assert '<mark class="del">three</mark>' in card
    assert "the source has “three” where the quotation has “five”" in card
    assert "(<i>Isolation and Degeneration</i>, n.d., 10. The Defeat of the German Revolution " \
           "section, para. 19)" in card


def test_omissions_warnings_and_copy_buttons_are_spelled_out(page, seed_index):
    card = page.split('id="q2"')[1].split('id="q3"')[0]
    assert ("ellipsis ... stands for “although quite tolerable in our midst in dealing and among "
            "us Communists”") in card
    assert "⚠ apa: no author in the catalog; the title takes the author&#x27;s place" in card
    assert 'data-html="(&lt;i&gt;Isolation and Degeneration&lt;/i&gt;, n.d.' in card
    source = (seed_index.parent / "seeds" / "003_411d2712463a3513.txt").as_uri()
    assert f'href="{source}">open seeds/003_411d2712463a3513.txt (lines 340-340)' in page \
        or f'href="{source}"' in page


def test_a_reprint_links_to_its_online_passage_with_a_text_fragment(page):
    assert ('href="https://www.leftvoice.org/lenins-fight-against-stalinism-and-the-emergence-'
            'of-the-left-opposition/#:~:text=Stalin%20is%20too%20rude,intolerable%20in%20a'
            '%20Secretary') in page
