"""What an indexing run reports, and the progress callback it takes: the types a caller of
`build` sees, apart from the indexing machinery itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

Progress = Callable[[int, int, str], None]  # (done, total, path): the one progress callback type


@dataclass
class IndexReport:
    """What an indexing run did."""

    index_dir: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # their files are gone
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    not_articles: list[tuple[str, str]] = field(default_factory=list)  # files of other formats
    articles: int = 0
    blocks: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    vectors: int = 0  # blocks with a sentence vector (0: the index has none)
    embedded: int = 0  # of which embedded by this run
    vector_seconds: float = 0.0

    def to_dict(self) -> dict:
        """Return the report as plain data for JSON output."""
        return asdict(self)
