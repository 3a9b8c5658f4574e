"""A real-text benchmark corpus: two English dictionaries Debian packages for dictd.

The synthetic corpus recombines the seeds, so every content word has very long postings; a
dictionary is the opposite (a hundred thousand rare words, short entries). The GNU
Collaborative International Dictionary of English (`dict-gcide`, 40.0 MB of text) and the Free
On-line Dictionary of Computing (`dict-foldoc`, 7 MB) are turned into articles of about 40 KB,
each a title line and one block per entry, its line breaks kept as printed, written once
under bench/data/dictionaries/ (git-ignored):

    .venv/bin/python bench/dictionaries.py

The packages need not be installed (they depend on a dict server we do not use): the script
fetches each .deb with `apt-get download` and unpacks it with `dpkg-deb -x` under bench/data/.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DICTIONARIES = {"gcide": "dict-gcide", "foldoc": "dict-foldoc"}  # dictd name: Debian package
ARTICLE_BYTES = 40_000


def dictionary_text(name: str) -> str:
    """Return a dictionary's text (installed, or fetched from Debian into bench/data/)."""
    installed = Path(f"/usr/share/dictd/{name}.dict.dz")
    path = installed if installed.exists() else _unpacked_package(name)
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _unpacked_package(name: str) -> Path:
    target = DATA / DICTIONARIES[name]
    found = target / f"usr/share/dictd/{name}.dict.dz"
    if found.exists():
        return found
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", DICTIONARIES[name]], cwd=target, check=True,
                   capture_output=True)
    package = next(target.glob(f"{DICTIONARIES[name]}_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(package), str(target)], check=True)
    return found


def entries(text: str) -> list[tuple[str, str]]:
    """Return (headword, entry as printed) for each entry: a block starting at column 0."""
    found = []
    for chunk in re.split(r"\n\s*\n(?=\S)", text):
        chunk = chunk.strip("\n")
        if not chunk or chunk.startswith("00-database") or chunk.startswith("00database"):
            continue
        headword = chunk.split("\n", 1)[0].split(" \\", 1)[0].strip()
        found.append((headword[:40], chunk))
    return found


def dictionary_corpus() -> Path:
    """Write the dictionaries as articles under bench/data/dictionaries/ (once); return it."""
    folder = DATA / "dictionaries"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in DICTIONARIES:
        batch: list[tuple[str, str]] = []
        size = number = 0
        for headword, entry in entries(dictionary_text(name)):
            batch.append((headword, entry))
            size += len(entry)
            if size >= ARTICLE_BYTES:
                _write_article(folder, name, number, batch)
                batch, size, number = [], 0, number + 1
        if batch:
            _write_article(folder, name, number, batch)
    done.write_text("ok\n", encoding="utf-8")
    return folder


def _write_article(folder: Path, name: str, number: int, batch: list[tuple[str, str]]) -> None:
    title = f"{name.upper()}: {batch[0][0]} to {batch[-1][0]}"
    body = "\n\n".join(entry for _, entry in batch)
    (folder / f"{name}-{number:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def quotations(folder: Path, rng: random.Random, count: int = 30) -> list[tuple[str, str]]:
    """Return (kind, quotation): verbatim spans of definitions, some with a word changed."""
    files = sorted(folder.glob("*.txt"))
    found: list[tuple[str, str]] = []
    while len(found) < count:
        paragraphs = files[rng.randrange(len(files))].read_text(encoding="utf-8").split("\n\n")
        paragraphs = [" ".join(paragraph.split()) for paragraph in paragraphs]
        words = paragraphs[rng.randrange(1, len(paragraphs))].split()
        if len(words) < 14:
            continue
        start = rng.randrange(len(words) - 12)
        span = words[start:start + rng.randint(8, 12)]
        if len(found) % 3 == 2:
            span[len(span) // 2] = "remarkable"
            found.append(("variant", " ".join(span)))
        else:
            found.append(("exact", " ".join(span)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()
    folder = dictionary_corpus()
    files = list(folder.glob("*.txt"))
    print(f"{folder}: {len(files)} articles, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
