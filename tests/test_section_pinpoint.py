"""APA's section pinpoint ("Heading section, para. N", counted from the heading, APA 7 8.28)
wherever a citation is made: search hits, quotation sources and `show`, all from the index."""

from __future__ import annotations

from pathlib import Path

from search.cite import pinpoint_at
from search.ingest import read_article, section_paragraphs

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_the_index_counts_every_paragraph_in_its_section_as_the_article_does(seed_library):
    for path in sorted(SEEDS.glob("*.txt")):
        article = read_article(path)
        from_text = section_paragraphs(article.blocks)
        stored = [block.section_paragraph for block in seed_library.blocks(path.stem)]
        assert stored == from_text, path.name
        for block, counted in zip(article.blocks, from_text, strict=True):
            if block.paragraph:
                assert pinpoint_at(str(path), article.blocks,
                                   block.paragraph).section_paragraph == counted


def test_a_search_hit_is_cited_from_its_heading(seed_library):
    hit = next(hit for hit in seed_library.search("kronstadt uprising", limit=10)
               if hit.paragraph == 114)
    assert hit.section == "The Kronstadt Uprising"
    assert hit.cite("apa").in_text == ("(*Isolation and Degeneration*, n.d., The Kronstadt "
                                       "Uprising section, para. 3)")
    assert hit.cite("chicago").short_note.endswith('under "The Kronstadt Uprising."')
    assert hit.to_dict("apa")["section_paragraph"] == 3


def test_a_quotation_source_is_cited_from_its_heading(seed_library):
    verification = seed_library.verify("It was none other than the historic leader of the "
                                       "Bolshevik Party who launched an attack")
    match = verification.matches[0]
    assert (match.paragraph, match.section_paragraph) == (15, 2)
    assert match.cite("apa").in_text == "(Belano, 2025/n.d., Lenin’s last struggle section, para. 2)"


def test_show_cites_a_paragraph_from_its_heading(seed_library):
    block = seed_library.paragraph("001_baf5b2bc01864b5f", 10)
    assert seed_library.cite_block(block, "apa").in_text == (
        "(Wurst, n.d., Permanent Revolution section, para. 2)")


def test_paragraphs_before_the_first_heading_are_counted_from_the_top(seed_library):
    block = seed_library.paragraph("000_ee2ff855b77098e1", 21)
    assert block.section == "" and block.section_paragraph is None
    assert seed_library.cite_block(block, "apa").in_text == "(Narai, 2022, para. 21)"
