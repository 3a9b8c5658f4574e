"""Indexing speed of the format readers, side by side with the extractor each one uses.

    .venv/bin/python bench/formats.py [--runs 3] [--pages 200] [--pdf-pages 300] [--json]

Corpora (written under bench/data/formats/, git-ignored, reused): PAGES web pages (the seed
articles rendered with page furniture by tests/fixtures/make_formats.py, each copy's words
changed a little so no two pages are the same text) and one PDF of about PDF_PAGES pages (the
seeds' paragraphs set by reportlab, over and over, with running heads and page labels).
For each, in the same run and alternating the order each round, median of --runs:

    extractor   the library alone: trafilatura.bare_extraction per page; pdfminer.six's
                extract_pages over the PDF (the layout analysis the reader starts from)
    reader      search.ingest.read_article: the extractor plus our blocks, lines, kinds,
                metadata (and, for PDF, running heads, paragraphs, page labels)
    index       search.build(..., rebuild=True): reading, analysing and writing the index
    index_text  the same build over .txt files holding the words the reader found: what
                indexing costs without the format (index - index_text = reading the format)

MB means 2^20 bytes of the files on disk. Nothing is asserted; the ratios are the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "formats"
sys.path.insert(0, str(ROOT))


def _make_formats():
    spec = importlib.util.spec_from_file_location(
        "make_formats", ROOT / "tests" / "fixtures" / "make_formats.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def html_corpus(pages: int) -> Path:
    """PAGES web pages: the seeds' pages, each copy with a few words swapped."""
    folder = DATA / f"html-{pages}"
    if folder.is_dir() and len(list(folder.glob("*.html"))) == pages:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rendered = tempfile.mkdtemp()
    _make_formats().make_formats(Path(rendered), ROOT / "seeds", ("html",))
    sources = sorted(Path(rendered, "html").glob("*.html"))
    rng = random.Random(11)
    for number in range(pages):
        text = sources[number % len(sources)].read_text(encoding="utf-8")
        words = text.split(" ")
        for _ in range(40):
            spot = rng.randrange(len(words))
            if words[spot].isalpha():
                words[spot] = words[spot][::-1]
        (folder / f"page-{number:04d}.html").write_text(" ".join(words), encoding="utf-8")
    return folder


def pdf_corpus(pages: int) -> Path:
    """One PDF of about PAGES pages made of the seeds' paragraphs."""
    path = DATA / f"book-{pages}.pdf"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    make_formats = _make_formats()
    from search.catalog import load_catalog
    from search.ingest import read_article

    catalog = load_catalog(ROOT / "seeds")
    articles = [read_article(p, catalog) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    blocks = [b for a in articles for b in make_formats.article_blocks(a)]
    book = articles[0]
    per_page = 245  # words on an A5 page of 10-point type with the seeds' spacing, measured
    words = sum(len(b.text.split()) for b in blocks)
    repeats = max(1, round(pages * per_page / words))
    book = type(book)(book.meta, book.text, book.content_hash, tuple(blocks * repeats))
    path.write_bytes(make_formats.render_pdf(book))
    return path


def mb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 2**20


def time_extractor_html(files: list[Path]) -> float:
    import trafilatura

    started = time.perf_counter()
    for file in files:
        trafilatura.bare_extraction(file.read_text(encoding="utf-8"), with_metadata=True,
                                    include_comments=False)
    return time.perf_counter() - started


def time_extractor_pdf(files: list[Path]) -> float:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    started = time.perf_counter()
    for file in files:
        for _ in extract_pages(file, laparams=LAParams(line_margin=0.3)):
            pass
    return time.perf_counter() - started


def time_reader(files: list[Path]) -> float:
    from search.ingest import read_article

    started = time.perf_counter()
    for file in files:
        read_article(file, {})
    return time.perf_counter() - started


def text_twins(files: list[Path]) -> Path:
    """The words each reader finds, saved as .txt files: indexing them is the cost of
    indexing the text alone, without reading the format."""
    from search.ingest import read_article

    folder = DATA / f"text-of-{files[0].parent.name}-{files[0].stem}-{len(files)}"
    if not folder.is_dir():
        folder.mkdir(parents=True)
        for file in files:
            blocks = read_article(file, {}).blocks
            (folder / f"{file.stem}.txt").write_text(
                "\n\n".join(block.text for block in blocks) + "\n", encoding="utf-8")
    return folder


def time_index(target: Path) -> float:
    import search

    with tempfile.TemporaryDirectory() as index_dir:
        started = time.perf_counter()
        search.build([target], index_dir, rebuild=True)
        return time.perf_counter() - started


def measure(name: str, files: list[Path], target: Path, extractor, runs: int) -> dict:
    twins = text_twins(files)
    steps = {"extractor": lambda: extractor(files), "reader": lambda: time_reader(files),
             "index": lambda: time_index(target), "index_text": lambda: time_index(twins)}
    times: dict[str, list[float]] = {step: [] for step in steps}
    for run in range(runs):
        order = list(steps) if run % 2 == 0 else list(reversed(steps))
        for step in order:
            times[step].append(steps[step]())
            print(f"  {name} run {run + 1} {step}: {times[step][-1]:.2f} s", file=sys.stderr)
    size = mb(files)
    medians = {step: statistics.median(values) for step, values in times.items()}
    return {"corpus": name, "files": len(files), "mb": round(size, 2),
            **{f"{step}_s": round(value, 2) for step, value in medians.items()},
            **{f"{step}_mb_s": round(size / value, 3) for step, value in medians.items()},
            "reader_vs_extractor": round(medians["reader"] / medians["extractor"], 2),
            "index_vs_extractor": round(medians["index"] / medians["extractor"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--pdf-pages", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    html = html_corpus(args.pages)
    pdf = pdf_corpus(args.pdf_pages)
    from pypdf import PdfReader

    results = [measure(f"{args.pages} HTML pages", sorted(html.glob("*.html")), html,
                       time_extractor_html, args.runs),
               measure(f"{len(PdfReader(pdf).pages)}-page PDF", [pdf], pdf, time_extractor_pdf,
                       args.runs)]
    if args.json:
        print(json.dumps(results))
        return
    print(f"{'corpus':<18} {'MB':>6} {'extractor':>15} {'reader':>15} {'index':>15} "
          f"{'index (as text)':>15} {'reader/extr.':>12} {'index/extr.':>11}")
    for row in results:
        print(f"{row['corpus']:<18} {row['mb']:>6.2f} "
              + " ".join(f"{row[s + '_s']:>6.2f} s {row[s + '_mb_s']:>5.2f}" for s in
                         ("extractor", "reader", "index", "index_text"))
              + f" {row['reader_vs_extractor']:>12.2f} {row['index_vs_extractor']:>11.2f}")
    print("(each: seconds, MB/s; median of", args.runs, "runs, measured side by side)")


if __name__ == "__main__":
    main()
