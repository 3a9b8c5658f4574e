"""Write a test corpus of real public-domain prose: chapters of the King James Bible.

The text comes from Debian's `bible-kjv-text` package through its `bible` program, so nobody
on the team wrote it. Each chapter becomes one Markdown article: a title, then paragraphs of
three verses with the verse numbers dropped, as a reader's edition prints them.

    python tests/kjv/corpus.py OUT_DIR      # writes gen37.md, gen39.md, ...
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

# (file stem, reference for `bible`, title). The quotation cases in cases.jsonl name the stems.
CHAPTERS = [
    ("gen37", "Gen 37", "Genesis 37: Joseph sold by his brothers"),
    ("gen39", "Gen 39", "Genesis 39: Joseph in Potiphar's house"),
    ("gen41", "Gen 41", "Genesis 41: Pharaoh's dreams"),
    ("gen45", "Gen 45", "Genesis 45: Joseph makes himself known"),
    ("exo2", "Exo 2", "Exodus 2: The birth of Moses"),
    ("exo14", "Exo 14", "Exodus 14: The crossing of the sea"),
    ("ruth1", "Ruth 1", "Ruth 1: Naomi and Ruth"),
    ("sam17", "1Sa 17", "1 Samuel 17: David and Goliath"),
    ("jonah1", "Jon 1", "Jonah 1: Jonah flees"),
    ("dan6", "Dan 6", "Daniel 6: Daniel in the lions' den"),
]
VERSES_PER_PARAGRAPH = 3
VERSE = re.compile(r"^\S+?\d+:(\d+) (.*)$")


def available() -> bool:
    """True when Debian's `bible` program and its KJV text are installed."""
    return shutil.which("bible") is not None and Path("/usr/lib/bible.data").is_file()


def chapter_verses(reference: str) -> list[str]:
    """The verses of one chapter, in order, without their numbers."""
    output = subprocess.run(["bible", "-f", f"{reference}:1-200"], capture_output=True,
                            text=True, check=True).stdout
    return [match.group(2).strip() for line in output.splitlines()
            if (match := VERSE.match(line.strip()))]


def write_corpus(out_dir: Path) -> list[Path]:
    """Write every chapter as a Markdown article under out_dir; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, reference, title in CHAPTERS:
        verses = chapter_verses(reference)
        paragraphs = [" ".join(verses[i:i + VERSES_PER_PARAGRAPH])
                      for i in range(0, len(verses), VERSES_PER_PARAGRAPH)]
        path = out_dir / f"{stem}.md"
        path.write_text(f"# {title}\n\nThe King James Version\n\n" + "\n\n".join(paragraphs)
                        + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_corpus(Path(sys.argv[1])):
        print(written)
