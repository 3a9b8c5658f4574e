"""Where an index's bytes go: each kind of file, and each kind of part inside Whoosh's compound
segment files (stored records, postings, term index, per-document columns), against the corpus.

    .venv/bin/python bench/index_size.py INDEX [CORPUS]

With CORPUS (a folder of the articles indexed) each line also gives its size over the corpus's.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from bench import folder_bytes


def index_parts(index_dir: Path) -> Counter[str]:
    """Bytes per kind of part: `_stored.col`, `pst`, `trm`, `content_len.col`..., and for the
    files beside the segments their name up to the generation (`lexicon`, `vocabulary`...)."""
    storage = FileStorage(str(index_dir))
    parts: Counter[str] = Counter()
    for path in sorted(index_dir.iterdir()):
        if path.suffix == ".seg":
            compound = CompoundStorage(storage.open_file(path.name))
            for name, info in compound._dir.items():  # the sub-files' table (Whoosh 2.7)
                parts[name.split(".", 1)[1]] += info["length"]
            compound.close()
        elif path.is_file():
            parts[path.name.split("_")[0] if "_" in path.name else path.name] += \
                path.stat().st_size
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("corpus", type=Path, nargs="?")
    args = parser.parse_args()
    parts = index_parts(args.index)
    corpus = folder_bytes(args.corpus) if args.corpus else 0
    for name, size in [*parts.most_common(), ("total", sum(parts.values()))]:
        share = f"  {size / corpus:6.3f}x" if corpus else ""
        print(f"{name:28s} {size:>14,}{share}")


if __name__ == "__main__":
    main()
