"""The synthetic corpus and the quotations the benchmark measures with, made from the seeds.

The corpus is many articles, each a title, a date, a byline and a shuffled, recombined set of
seed paragraphs with some words swapped for made-up ones, so the vocabulary grows as a real
corpus's does. It is written once under bench/data/ (git-ignored) and reused while the
generator's settings stay the same.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

from baseline import split_paragraphs

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
MB = 1 << 20  # sizes are in MiB, so "50 MB" is at least 50,000,000 bytes however one reads it
GENERATOR_VERSION = 1

INVENTED_QUOTES = [
    "The revolution was betrayed not by its enemies abroad but by its own accountants.",
    "Every strike in Leningrad that winter was settled by a committee of cooks.",
    "Socialism will arrive on the first train after the harvest festival in Omsk.",
    "Trotsky never wrote a single line about the cooperative bakeries of Minsk.",
    "The Fourth International met in a lighthouse and voted to abolish the tides.",
    "Bureaucracy is the art of turning every victory into a filing cabinet.",
    "Our comrades in Valparaiso printed the newspaper on the backs of tram tickets.",
]

REPLACEMENT_WORDS = ["people", "movement", "government", "struggle", "country", "leaders",
                     "decades", "masses", "economy", "history"]


def seed_paragraphs() -> list[str]:
    """Return the seed articles' paragraphs that are body text rather than headings."""
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs += [text for _, _, text in split_paragraphs(path.read_text(encoding="utf-8"))
                       if len(text.split()) >= 12]
    return paragraphs


def invented_words(rng: random.Random, count: int) -> list[str]:
    """Return count made-up words, so the synthetic vocabulary grows like a real one."""
    syllables = ["ka", "ro", "vi", "len", "dor", "tsa", "mi", "ber", "ul", "gra", "nov", "ske",
                 "pe", "tra", "lo", "zin", "ev", "ich", "an", "ov", "mar", "sel", "qui", "bru"]
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def altered(paragraph: str, rng: random.Random, vocabulary: list[str]) -> str:
    """Return paragraph with about one long word in 25 swapped for a made-up one."""
    def swap(match: re.Match[str]) -> str:
        if rng.random() >= 0.04:
            return match.group()
        word = vocabulary[int(len(vocabulary) * rng.random() ** 2.5)]  # Zipf-like reuse
        return word.capitalize() if match.group()[0].isupper() else word

    return re.sub(r"[A-Za-z]{4,}", swap, paragraph)


def recombined(paragraphs: list[str], rng: random.Random) -> str:
    """Return a seed paragraph, or now and then the first half of one and the end of another."""
    first = rng.choice(paragraphs)
    if rng.random() >= 0.25:
        return first
    head = re.split(r"(?<=[.!?])\s+", first)
    tail = re.split(r"(?<=[.!?])\s+", rng.choice(paragraphs))
    return " ".join(head[: max(1, len(head) // 2)] + tail[len(tail) // 2:])


def synthetic_article(paragraphs: list[str], rng: random.Random, vocabulary: list[str]) -> str:
    """Return one article: title, date and byline, then paragraphs and the odd heading."""
    target = min(60_000, max(10_000, int(rng.lognormvariate(10.1, 0.5))))
    names = ["Anna Petrova", "John Ross", "Mei Lin", "Carlos Ruiz", "Robert Narai", "Ida Berg"]
    title = " ".join(rng.choice(vocabulary).capitalize() for _ in range(rng.randint(3, 7)))
    blocks = [title, f"{rng.randint(1, 28)} March {rng.randint(1990, 2024)}\n{rng.choice(names)}"]
    size = sum(len(block) + 2 for block in blocks)
    while size < target:
        if rng.random() < 0.08:
            block = " ".join(rng.choice(vocabulary).capitalize() for _ in range(3))
        else:
            block = altered(recombined(paragraphs, rng), rng, vocabulary)
        if size + len(block) > 60_000:
            break
        blocks.append(block)
        size += len(block.encode("utf-8")) + 2
    return "\n\n".join(blocks) + "\n"


def synthetic_corpus(size_mb: float) -> Path:
    """Return a folder of articles made from the seeds, size_mb in all; made once, then reused."""
    folder = DATA / f"synthetic-{size_mb:g}mb"
    manifest = folder / "manifest.json"
    wanted = {"version": GENERATOR_VERSION, "size_mb": size_mb}
    if manifest.is_file() and json.loads(manifest.read_text())["settings"] == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    building = folder.with_name(folder.name + ".partial")
    shutil.rmtree(building, ignore_errors=True)
    rng = random.Random(f"seedsearch-bench-{size_mb}")
    paragraphs, vocabulary = seed_paragraphs(), invented_words(rng, 40_000)
    total, count = 0, 0
    while total < size_mb * MB:
        path = building / f"d{count // 200:03d}" / f"syn_{count:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(synthetic_article(paragraphs, rng, vocabulary), encoding="utf-8")
        total += path.stat().st_size
        count += 1
    (building / "manifest.json").write_text(json.dumps(
        {"settings": wanted, "files": count, "bytes": total}))
    building.rename(folder)
    return folder


def corpus_stats(folder: Path) -> dict:
    """Return the corpus manifest: its settings, number of files and bytes."""
    return json.loads((folder / "manifest.json").read_text())


def quotations(rng: random.Random) -> list[tuple[str, str]]:
    """Return 40 (kind, quotation): 15 exact spans, 10 altered, 8 with an ellipsis, 7 invented."""
    paragraphs = [p for p in seed_paragraphs() if len(p.split()) >= 40]
    quotes = [("exact", span(rng.choice(paragraphs), rng, 8, 25)) for _ in range(15)]
    quotes += [("altered", altered_span(rng.choice(paragraphs), rng)) for _ in range(10)]
    quotes += [("ellipsis", elided_span(rng.choice(paragraphs), rng)) for _ in range(8)]
    quotes += [("invented", text) for text in INVENTED_QUOTES]
    return quotes


def span(paragraph: str, rng: random.Random, shortest: int, longest: int) -> str:
    """Return a run of shortest..longest consecutive words of paragraph."""
    words = paragraph.split()
    length = rng.randint(shortest, longest)
    start = rng.randrange(len(words) - length)
    return " ".join(words[start:start + length])


def altered_span(paragraph: str, rng: random.Random) -> str:
    """Return a span with one word replaced by another, or dropped."""
    words = span(paragraph, rng, 10, 25).split()
    long_words = [n for n, word in enumerate(words[1:-1], 1) if len(word) >= 5] or [1]
    position = rng.choice(long_words)
    if rng.random() < 0.3:
        del words[position]
    else:
        words[position] = rng.choice([w for w in REPLACEMENT_WORDS if w != words[position]])
    return " ".join(words)


def elided_span(paragraph: str, rng: random.Random) -> str:
    """Return a span with some middle words left out and marked with an ellipsis."""
    words = span(paragraph, rng, 24, 36).split()
    cut = rng.randint(8, 12)
    gap = rng.randint(4, 9)
    mark = rng.choice(["…", "...", ". . ."])
    return " ".join(words[:cut] + [mark] + words[cut + gap:])
