"""Every format is a first-class source: the seeds rendered as web pages, Markdown, PDF, EPUB
and Word read back into the same passages, cited as precisely as the format allows."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

import search
import search.files
from search.catalog import load_catalog
from search.cite import cite
from search.ingest import read_article
from search.kinds import Kind
from search.paragraphs import LIST_MARKER

FORMATS = ("html", "md", "pdf", "epub", "docx")
SEED_STEMS = sorted(path.stem for path in (Path(__file__).parent.parent / "seeds").glob("*.txt"))
FURNITURE = ("Share on Facebook", "Great piece", "Related articles", "Privacy policy",
             "Subscribe", "Email this article", "3 comments")


def words_of(text: str, kind: str) -> str:
    return LIST_MARKER.sub("", text) if kind == Kind.LIST_ITEM else text


def seed_article(seeds_dir: Path, stem: str) -> search.Article:
    return read_article(seeds_dir / f"{stem}.txt", load_catalog(seeds_dir))


def quotation_of(article: search.Article) -> tuple[search.Block, str]:
    """A quotation taken from the seed: words 4 to 22 of its fourth body paragraph."""
    body = [block for block in article.paragraphs if block.kind == Kind.BODY]
    block = body[3]
    return block, " ".join(block.text.split()[3:22])


@pytest.fixture(scope="module")
def libraries(formats_dir: Path, tmp_path_factory) -> dict[str, search.Library]:
    """One index a format, so each format's sources are checked on their own."""
    opened = {}
    for fmt in FORMATS:
        index_dir = tmp_path_factory.mktemp(f"index-{fmt}")
        report = search.build([formats_dir / fmt], index_dir)
        assert report.skipped == [] and len(report.added) == len(SEED_STEMS), report
        opened[fmt] = search.open(index_dir)
    yield opened
    for library in opened.values():
        library.close()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stem", SEED_STEMS)
def test_a_quotation_from_each_seed_verifies_exact_in_every_format(libraries, seeds_dir, fmt,
                                                                   stem):
    seed = seed_article(seeds_dir, stem)
    block, quotation = quotation_of(seed)
    verification = libraries[fmt].verify(quotation)
    assert verification.verdict == search.Verdict.EXACT
    (match,) = [m for m in verification.matches if m.doc_id == stem]
    assert (match.paragraph, match.section, match.paragraph_text) == (
        block.paragraph, block.section, block.text)
    assert quotation.startswith(" ".join(match.source_text.split()))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_numbered_passage_keeps_its_paragraph_number_and_section(formats_dir, seeds_dir,
                                                                       fmt):
    for stem in SEED_STEMS:
        seed = seed_article(seeds_dir, stem)
        (path,) = (formats_dir / fmt).glob(f"{stem}.*")
        read = {words_of(b.text, b.kind): (b.paragraph, b.section) for b in read_article(path).blocks}
        for block in seed.paragraphs:
            assert read.get(words_of(block.text, block.kind)) == (block.paragraph, block.section), \
                (fmt, stem, block.paragraph)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_formats_own_metadata_fills_the_citation(formats_dir, seeds_dir, fmt):
    catalog = load_catalog(seeds_dir)
    for stem in SEED_STEMS:
        (path,) = (formats_dir / fmt).glob(f"{stem}.*")
        meta = read_article(path).meta
        entry = catalog[stem]
        assert (meta.title, meta.authors, meta.format, meta.source) == (
            entry["title"], tuple(entry.get("authors", ())), fmt.replace("md", "markdown"),
            "document")
        if fmt in ("md", "epub") or (fmt == "html" and entry.get("date")):
            assert meta.date == entry.get("date", "")  # PDF and Word files here state none
        if meta.authors:
            family = meta.authors[0].split()[-1]
            year = f", {meta.date[:4]}" if meta.date else ", n.d."
            assert cite(meta, None, "apa").in_text.startswith(f"({family}{year}")


def test_a_pdf_passage_cites_its_printed_page(libraries, formats_dir, seeds_dir):
    from pypdf import PdfReader

    seed = seed_article(seeds_dir, "003_411d2712463a3513")
    block, quotation = quotation_of(seed)
    hit = libraries["pdf"].search(f'"{quotation}"', limit=1).hits[0]
    assert hit.doc_id == "003_411d2712463a3513" and hit.page_start.isdigit()
    page = int(hit.page_start)
    assert page >= 101  # the printed labels start at 101, the page numbers at 1
    reader = PdfReader(formats_dir / "pdf" / "003_411d2712463a3513.pdf")
    assert reader.page_labels[page - 101] == hit.page_start
    printed = " ".join(reader.pages[page - 101].extract_text().split())
    assert " ".join(hit.text.split()[:6]) in printed
    assert hit.cite("apa").in_text.endswith(f", p. {page})")
    assert hit.cite("mla").in_text.endswith(f" {page})")
    assert hit.to_dict()["page_start"] == hit.page_start
    assert f"p. {page}, ¶{hit.paragraph}, " in hit.citation


def test_a_passage_crossing_a_page_break_cites_the_page_range(formats_dir):
    article = read_article(formats_dir / "pdf" / "003_411d2712463a3513.pdf")
    crossing = [b for b in article.paragraphs if b.page_end != b.page_start]
    assert crossing, "a 30-page article has paragraphs running over a page break"
    block = crossing[0]
    pinpoint = search.Pinpoint(block.paragraph, block.section, "a.pdf", 1, 1, None,
                               block.page_start, block.page_end)
    assert pinpoint.locator.startswith(f"pp. {block.page_start}\u2013{block.page_end}, ")


def test_running_heads_and_page_numbers_are_not_indexed(formats_dir):
    article = read_article(formats_dir / "pdf" / "000_ee2ff855b77098e1.pdf")
    assert not any("Red Flag —" in block.text for block in article.blocks)
    assert not any(re.fullmatch(r"\d+", block.text) for block in article.blocks)


def test_the_text_fragment_link_holds_the_passages_words(libraries, seeds_dir):
    seed = seed_article(seeds_dir, "000_ee2ff855b77098e1")
    block, quotation = quotation_of(seed)
    hit = libraries["html"].search(f'"{quotation}"', limit=1).hits[0]
    page = "https://example.org/000_ee2ff855b77098e1"  # the page's canonical link
    assert hit.doc.url == page
    link = hit.to_dict()["link"]
    assert link.startswith(page + "#:~:text=")
    start, end = (unquote(part) for part in link.split("#:~:text=")[1].split(","))
    assert hit.text.startswith(start) and hit.text.endswith(end)
    assert link in hit.citation
    match = libraries["html"].verify(quotation).matches[0]
    start, end = (unquote(part) for part in match.to_dict()["link"].split("=")[1].split(","))
    assert quotation.startswith(start) and quotation.endswith(end)


def test_page_furniture_is_not_indexed(formats_dir):
    for path in sorted((formats_dir / "html").glob("*.html")):
        article = read_article(path)
        for block in article.blocks:
            assert not any(words in block.text for words in FURNITURE), (path.name, block.text)


def test_html_and_markdown_lines_are_the_lines_of_the_file(formats_dir):
    for fmt, opening in (("html", "<"), ("md", "")):
        path = formats_dir / fmt / f"004_abca370204a8c88e.{fmt}"
        lines = path.read_text(encoding="utf-8").split("\n")
        for block in read_article(path).paragraphs:
            line = lines[block.line_start - 1]
            assert line.startswith(opening), (fmt, block.line_start)
            assert block.text.split()[0].strip("“\"'") in line, (fmt, block.line_start, line)


def test_an_epub_chapter_title_is_the_section(formats_dir, seeds_dir):
    article = read_article(formats_dir / "epub" / "004_abca370204a8c88e.epub")
    headings = [b.text for b in article.blocks if b.kind == Kind.HEADING]
    assert headings[0] == "A revolution of world-historic proportions"
    first = next(b for b in article.paragraphs if b.section == headings[0])
    assert first.text.startswith("The revolution of October 1917")


def test_index_picks_up_every_format_and_says_what_it_did_not_read(formats_dir, tmp_path,
                                                                   seeds_dir):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for fmt in FORMATS:
        source = formats_dir / fmt / f"000_ee2ff855b77098e1.{fmt}"
        (folder / f"narai.{fmt}").write_bytes(source.read_bytes())
    (folder / "narai.txt").write_bytes((seeds_dir / "000_ee2ff855b77098e1.txt").read_bytes())
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    report = search.build([folder], tmp_path / "index")
    assert sorted(Path(path).suffix for path in report.added) == sorted(
        [".docx", ".epub", ".html", ".md", ".pdf", ".txt"])
    assert report.skipped == []
    assert report.not_articles == [(str(folder / "photo.jpg"),
                                    f"not read: .jpg files are not articles seedsearch can read "
                                    f"(it reads {', '.join(search.files.ARTICLE_SUFFIXES)})")]


def _scanned_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(50, 50, 400, 600, fill=1)  # a page that is a picture: no text layer
    page.showPage()
    page.save()
    return buffer.getvalue()


def _encrypted_pdf(source: Path) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_broken_files_give_one_line_each_and_index_nothing_wrong(formats_dir, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    good = (formats_dir / "html" / "000_ee2ff855b77098e1.html").read_text(encoding="utf-8")
    (folder / "scan.pdf").write_bytes(_scanned_pdf())
    (folder / "locked.pdf").write_bytes(_encrypted_pdf(formats_dir / "pdf" / "000_ee2ff855b77098e1.pdf"))
    (folder / "notazip.epub").write_bytes(b"<html>this is not an epub</html>")
    docx = (formats_dir / "docx" / "000_ee2ff855b77098e1.docx").read_bytes()
    (folder / "cut.docx").write_bytes(docx[: len(docx) // 2])
    cut_at = good.index("workers’ state to counter-revolutionary")
    (folder / "cut.html").write_text(good[:cut_at] + "<p class=\"x", encoding="utf-8")
    report = search.build([folder], tmp_path / "index")
    reasons = dict(report.skipped)
    assert reasons == {
        str(folder / "scan.pdf"): f"{folder / 'scan.pdf'} has no text layer (a scan?); OCR it "
                                  "first (e.g. ocrmypdf), then index it again",
        str(folder / "locked.pdf"): f"{folder / 'locked.pdf'} is encrypted; save an unlocked "
                                    "copy and index that.",
        str(folder / "notazip.epub"): f"{folder / 'notazip.epub'} is not an EPUB (it is not a "
                                      "zip archive).",
        str(folder / "cut.docx"): f"{folder / 'cut.docx'} is not a readable .docx (damaged or "
                                  "truncated: BadZipFile); open and save it again in Word.",
    }
    assert report.warnings == [f"{folder / 'cut.html'}: the file ends inside a tag (truncated?); "
                               "the text before it was read"]
    assert report.added == [str(folder / "cut.html")]
    with search.open(tmp_path / "index") as library:
        (doc_id,) = library.articles
        blocks = library.blocks(doc_id)
        assert blocks and not any("<" in block.text or "class=" in block.text for block in blocks)
        assert blocks[-1].text.endswith("began subjecting the new")


def test_mojibake_is_repaired_so_a_correct_quotation_verifies(tmp_path, seeds_dir):
    text = (seeds_dir / "000_ee2ff855b77098e1.txt").read_text(encoding="utf-8")
    damaged = text.encode("utf-8").decode("cp1252", errors="replace")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "narai.txt").write_text(damaged, encoding="utf-8")
    assert "â€™" in damaged
    search.build([tmp_path / "articles"], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        verification = library.verify("the first successful workers’ insurrection")
        assert verification.verdict == search.Verdict.EXACT


def test_the_same_article_twice_is_listed_once_with_also_in(formats_dir, seeds_dir, tmp_path,
                                                            runner):
    from search.cli import cli

    folder = tmp_path / "saved"
    folder.mkdir()
    for stem in ("000_ee2ff855b77098e1", "004_abca370204a8c88e"):
        (folder / f"{stem}.txt").write_bytes((seeds_dir / f"{stem}.txt").read_bytes())
    (folder / "narai-saved-page.html").write_bytes(
        (formats_dir / "html" / "000_ee2ff855b77098e1.html").read_bytes())
    search.build([folder], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        infos = library.documents()
        assert [(info.doc_id, info.also_in) for info in infos] == [
            ("000_ee2ff855b77098e1", ("saved/narai-saved-page.html",)),  # as cited (README)
            ("004_abca370204a8c88e", ())]
        seed = seed_article(seeds_dir, "000_ee2ff855b77098e1")
        _, quotation = quotation_of(seed)
        hits = library.search(f'"{quotation}"').hits
        assert len(hits) == 1 and len(hits[0].also_in) == 1
        verification = library.verify(quotation)
        assert len(verification.matches) == 1 and len(verification.matches[0].also_in) == 1
        other = next(p for p in ("saved/narai-saved-page.html", "saved/000_ee2ff855b77098e1.txt")
                     if p != verification.matches[0].doc.path)
        assert verification.matches[0].also_in == (other,)
    result = runner.invoke(cli, ["docs", "--index", str(tmp_path / "index")])
    assert "    also in: saved/narai-saved-page.html\n" in result.stdout
    assert result.stdout.count("\n    also in: ") == 1


def test_docs_shows_each_articles_format_and_metadata_source(formats_dir, tmp_path, runner):
    from search.cli import cli

    search.build([formats_dir / "pdf"], tmp_path / "index")
    result = runner.invoke(cli, ["docs", "--index", str(tmp_path / "index")])
    first = result.stdout.splitlines()[:3]
    assert first[0] == "000_ee2ff855b77098e1  The struggle against Stalinism"
    assert first[2].startswith("    pdf/000_ee2ff855b77098e1.pdf · pdf · ")  # as cited
    assert first[2].endswith(" blocks · metadata from the file itself")


PAGE_WITH_METADATA = """<!DOCTYPE html>
<html><head>
<title>Ignored | Site</title>
<meta property="og:title" content="The Platform of the Opposition">
<meta property="og:site_name" content="Marxist Archive">
<meta name="DC.creator" content="Ana Ruiz">
<meta property="article:published_time" content="2021-09-05T08:00:00+00:00">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "The Platform of the Opposition",
 "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Person", "name": "Bo Chen"}],
 "publisher": {"@type": "Organization", "name": "Archive Press"}}</script>
<link rel="canonical" href="https://archive.example/platform">
</head><body>
<article>
<h1>The Platform of the Opposition</h1>
<p id="p1">In September 1927 the Opposition drafted a platform that the leadership refused to
print, and the Opposition's members printed it themselves on a secret press.</p>
<p>The platform demanded the restoration of democracy inside the party and the soviets, and a
plan for industry paid for by a tax on the rich peasants and the traders of the new economy.</p>
<pre>Platform, chapter 1: the situation of the working class</pre>
</article></body></html>
"""


def test_a_pages_own_metadata_is_read_from_its_tags(tmp_path):
    path = tmp_path / "platform.html"
    path.write_text(PAGE_WITH_METADATA, encoding="utf-8")
    article = read_article(path, {})
    meta = article.meta
    assert (meta.title, meta.authors, meta.date, meta.publication, meta.publisher, meta.url) == (
        "The Platform of the Opposition", ("Ana Ruiz",), "2021-09-05", "Marxist Archive",
        "Archive Press", "https://archive.example/platform")
    assert [block.kind for block in article.blocks] == [
        Kind.TITLE, Kind.BODY, Kind.BODY, Kind.PREFORMATTED]
    assert article.blocks[1].anchor == "p1" and article.blocks[2].anchor == ""


def test_a_passage_with_an_id_links_to_it(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "platform.html").write_text(PAGE_WITH_METADATA, encoding="utf-8")
    search.build([tmp_path / "pages"], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        first, second = library.search("opposition platform secret press").hits[:1] + \
            library.search("tax on the rich peasants").hits[:1]
        assert first.to_dict()["link"] == "https://archive.example/platform#p1"
        assert second.to_dict()["link"].startswith("https://archive.example/platform#:~:text=")


def test_markdown_markup_is_not_words(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("+++\ntitle = \"Notes\"\nauthors = [\"Ana Ruiz\"]\n+++\n\n"
                    "The **platform** of [the Opposition](https://example.org/p) was "
                    "![a photo](p.jpg)printed in `secret` <span class=\"x\">at night</span>.\n",
                    encoding="utf-8")
    article = read_article(path, {})
    assert article.meta.authors == ("Ana Ruiz",) and article.meta.title == "Notes"
    (body,) = article.paragraphs
    assert body.text == "The platform of the Opposition was printed in secret at night."
    assert body.line_start == 6


def test_pdf_footnote_markers_stay_out_of_the_body_and_notes_are_footnotes(tmp_path):
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body = ("The Opposition printed its platform on a secret press<super>1</super> and "
            "handed it out at factory gates across Moscow and Leningrad in the autumn of 1927, "
            "before the congress that expelled its leaders from the party.")
    note = ParagraphStyle("Note", parent=styles["BodyText"], fontSize=7, leading=8)
    story = [Paragraph(body, styles["BodyText"]), Spacer(1, 300),
             Paragraph("1 The press was found by the GPU in September 1927.", note)]
    path = tmp_path / "platform.pdf"
    SimpleDocTemplate(str(path), pagesize=A5).build(story)
    article = read_article(path, {})
    assert [(b.kind, b.text[:40]) for b in article.blocks] == [
        (Kind.BODY, "The Opposition printed its platform on a"),
        (Kind.FOOTNOTE, "1 The press was found by the GPU in Sept")]
    assert "secret press and handed" in article.blocks[0].text


def test_index_command_names_what_it_did_not_read_in_one_line(formats_dir, tmp_path, runner):
    from search.cli import cli

    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "page.html").write_bytes((formats_dir / "html" / "000_ee2ff855b77098e1.html")
                                       .read_bytes())
    for name in ("photo.png", "logo.png", "style.css"):
        (folder / name).write_bytes(b"\x89PNG not an article")
    result = runner.invoke(cli, ["index", str(folder), "--index", str(tmp_path / "index")])
    assert result.exit_code == 0
    assert result.stderr == ("Not read: 3 files of formats seedsearch does not read "
                             "(2 .png, 1 .css; --json lists them).\n")
    assert result.stdout.startswith(f"Indexed into {tmp_path / 'index'}/: 1 added, ")


def test_markdown_with_broken_front_matter_is_one_line(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    with pytest.raises(search.InputError) as raised:
        read_article(path, {})
    assert str(raised.value) == (f"{path}: its YAML front matter cannot be read "
                                 "(ParserError); fix it or remove it.")


def test_markdown_without_front_matter_takes_its_title_from_the_heading(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# The platform\n\nBy Ana Ruiz\n\nThe platform of 1927 made demands.\n",
                    encoding="utf-8")
    meta = read_article(path, {}).meta
    assert (meta.title, meta.authors, meta.source) == ("The platform", ("Ana Ruiz",), "inferred")


def test_pdf_metadata_comes_from_xmp_before_the_info_dictionary(formats_dir, tmp_path):
    from pypdf import PdfReader, PdfWriter
    from pypdf.xmp import XmpInformation

    writer = PdfWriter(clone_from=PdfReader(formats_dir / "pdf" / "000_ee2ff855b77098e1.pdf"))
    writer.add_metadata({"/Title": "Microsoft Word - draft3.docx", "/Author": "Typist",
                         "/CreationDate": "D:20240101120000"})
    xmp = XmpInformation.create()
    xmp.dc_title = {"x-default": "The Struggle against Stalinism"}
    xmp.dc_creator = ["Robert Narai", "A. N. Other"]
    writer.xmp_metadata = xmp
    path = tmp_path / "offprint.pdf"
    with path.open("wb") as out:
        writer.write(out)
    meta = read_article(path, {}).meta
    assert (meta.title, meta.authors, meta.date) == (
        "The Struggle against Stalinism", ("Robert Narai", "A. N. Other"), "")
