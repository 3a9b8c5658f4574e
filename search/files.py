"""Find article files and read their bytes or text, refusing what cannot be an article.

Every refusal is one clear line (missing, a folder, unreadable, binary, not UTF-8, empty, too
large), and the hashes here decide whether a file must be read again on the next run.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import InputError
from .readers import SUFFIXES, TEXT_SUFFIXES, format_of
from .readers.mojibake import repair

ARTICLE_SUFFIXES = SUFFIXES
MAX_ARTICLE_BYTES = 50_000_000
MAX_BINARY_BYTES = 500_000_000  # a PDF or EPUB of a whole book, with its images


def read_text(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """Return a file's text, refusing binary, non-UTF-8 and empty files with a clear message."""
    data = _raw_bytes(path)
    if len(data) > max_bytes:
        raise InputError(f"{path} is larger than {max_bytes // 1_000_000} MB; split it.")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path} looks binary, not text; give a UTF-8 text file.")
    nul = data.find(b"\x00")
    if nul >= 0:  # text with a NUL inside would be indexed and printed raw
        raise InputError(f"{path} holds a NUL byte at offset {nul}; remove it or give a "
                         "UTF-8 text file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"convert it, e.g. iconv -f cp1252 -t utf-8."
        ) from exc
    if not text.strip():
        raise InputError(f"{path} is empty.")
    return repair(text.replace("\r\n", "\n").replace("\r", "\n"))


def read_bytes(path: Path) -> bytes:
    """Return a file's bytes, refusing missing, unreadable, empty and oversized files."""
    data = _raw_bytes(path)
    limit = MAX_ARTICLE_BYTES if is_text(path) else MAX_BINARY_BYTES
    if len(data) > limit:
        raise InputError(f"{path} is larger than {limit // 1_000_000} MB; split it.")
    if not data.strip():
        raise InputError(f"{path} is empty.")
    return data


def _raw_bytes(path: Path) -> bytes:
    """A file's bytes, with a missing, directory or unreadable path as one clear message."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} is a directory; give a file.") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror}).") from exc


def file_hash(path: Path) -> str:
    """Return the hash of a file's bytes (what decides whether it must be read again)."""
    return hashlib.sha256(read_bytes(path)).hexdigest()[:32]


def content_hash(text: str) -> str:
    """Return a short, stable hash of an article's text (used to skip unchanged files)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def find_article_files(paths: list[Path],
                       skipped: list[tuple[str, str]] | None = None) -> list[Path]:
    """Return the article files named by paths (files as given, folders searched for every
    format there is a reader for); the other files in the folders go to skipped with why."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.suffix.lower() in ARTICLE_SUFFIXES:
                    found.append(file)
                elif skipped is not None and _worth_mentioning(file):
                    skipped.append((str(file), _unsupported(file)))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder.")
    return found


def _worth_mentioning(path: Path) -> bool:
    """Hidden files and the catalog are expected beside articles; say nothing of them."""
    return not path.name.startswith(".") and path.name != "catalog.toml" and not any(
        part.startswith(".") for part in path.parent.parts)


def _unsupported(path: Path) -> str:
    kind = f"{path.suffix} files" if path.suffix else "files without a suffix"
    return (f"not read: {kind} are not articles seedsearch can read "
            f"(it reads {', '.join(ARTICLE_SUFFIXES)})")


def is_text(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES or format_of(path) == "text"


def content_hash_bytes(data: bytes) -> str:
    """Return the short hash of a file's bytes."""
    return hashlib.sha256(data).hexdigest()[:32]
