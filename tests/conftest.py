"""Shared fixtures: the bundled seed articles and small articles written for edge cases."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check behaviour, not speed: on a shared, noisy machine a first call that
# imports NLTK (about 0.3 s) must not fail a test for taking too long.
settings.register_profile("seedsearch", deadline=None)
# Under CI the property tests draw the same examples every run, so a landing never depends on
# luck; on a developer's machine they keep exploring (and remember what they found).
settings.register_profile("ci", deadline=None, derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "seedsearch")

# One BLAS thread for the embedding model, as the CLI sets it (cli.py): on a shared 2-core
# machine more threads only wait on each other, and the paraphrase tests ran 10x slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The folder of bundled seed articles (with its catalog.toml)."""
    return SEEDS_DIR


@pytest.fixture
def seed_path() -> Callable[[str], Path]:
    """Return the path of a seed article from its number, e.g. seed_path("004")."""

    def find(number: str) -> Path:
        (path,) = SEEDS_DIR.glob(f"{number}_*.txt")
        return path

    return find


@pytest.fixture
def write_article(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write an article's text (UTF-8) under tmp_path, with no catalog beside it."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


MARKDOWN_ARTICLE = """\
# The Opposition's programme

By Ana Ruiz

The platform of 1927 made three demands that the leadership could not accept.

## The demands

* Restore democracy inside the party and the soviets.
* Plan industry and tax the rich peasants.
* Defend the Chinese revolution against the Kuomintang.

> The party must again become the party of the workers.

## What followed

The platform was banned and its authors were expelled before the year was out.
"""

FOOTNOTE_ARTICLE = """\
Notes on the Opposition

By Ana Ruiz

Trotsky's exile began in January 1929, when he was deported to Turkey.[1] The Opposition \
survived him in several countries.[2]

The archive of his papers is held at Harvard.

[1] Isaac Deutscher, The Prophet Outcast, Oxford University Press, 1963.
[2] Pierre Broué, Trotsky, Paris: Fayard, 1988.
"""

TRAILER_ARTICLE = """\
The last struggle

By Ana Ruiz

Lenin spent his final months fighting the bureaucracy he had helped to create.

His letters of 1923 are the clearest record of that fight.

Read more
Stalin's rise to power
The Moscow Trials

Share this
"""

CAPTION_ARTICLE = """\
Exile on Prinkipo

By Ana Ruiz

Trotsky arrived on the island of Prinkipo in the spring of 1929 and stayed there for four years.

Trotsky at his desk on Prinkipo (Photo: Wikimedia Commons)

He wrote his History of the Russian Revolution there, at a long table facing the sea.
"""

QUOTATION_ARTICLE = """\
A letter from exile

By Ana Ruiz

In 1928 Rakovsky wrote to Valentinov from his place of exile in Astrakhan:

\u201cThe situation of the party has changed beyond recognition since 1917, and not only in numbers.

\u201cThe workers who made the revolution are no longer the workers who run the state. Many \
have become officials themselves.

\u201cThat is the danger of power: it changes those who hold it.\u201d

The letter circulated among the exiles for months before it reached Trotsky.
"""


@pytest.fixture
def markdown_article(write_article: Callable[[str, str], Path]) -> Path:
    """A Markdown-ish article: '#' title, '##' headings, '* ' bullets and a '>' block quote."""
    return write_article("programme.md", MARKDOWN_ARTICLE)


@pytest.fixture
def footnote_article(write_article: Callable[[str, str], Path]) -> Path:
    """An article ending in a list of bracketed footnotes, one per line."""
    return write_article("notes.txt", FOOTNOTE_ARTICLE)


@pytest.fixture
def trailer_article(write_article: Callable[[str, str], Path]) -> Path:
    """An article followed by 'Read more' links and a 'Share this' button."""
    return write_article("struggle.txt", TRAILER_ARTICLE)


@pytest.fixture
def caption_article(write_article: Callable[[str, str], Path]) -> Path:
    """An article with a photo caption '(Photo: ...)' between two paragraphs."""
    return write_article("prinkipo.txt", CAPTION_ARTICLE)


@pytest.fixture
def quotation_article(write_article: Callable[[str, str], Path]) -> Path:
    """A three-paragraph block quotation, each paragraph opening with a quotation mark."""
    return write_article("letter.txt", QUOTATION_ARTICLE)


# Fixtures for the index, find, CLI and API tests: indexes always live under a tmp folder.

RANKING_ARTICLE = """\
The Clove Growers of Pemba

By Ann Lee

The clove harvest on Pemba island was gathered by hand every autumn, and the growers carried \
the dried buds down to the harbour market at Chake Chake.

Growers sorting the clove harvest at the harbour market (photo), 1931

Later in the century the cooperatives took over the trade, and prices at the harbour were set \
by the state marketing board rather than by the growers themselves.

Read more

The clove harvest at the harbour market
"""


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed articles and their catalog, in tmp_path/seeds."""
    import shutil

    return Path(shutil.copytree(SEEDS_DIR, tmp_path / "seeds"))


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of a copy of the seeds, built once per session; tests must not change it.

    The copied articles sit in the `seeds` folder beside the index folder.
    """
    import shutil

    import search

    base = tmp_path_factory.mktemp("seed_index")
    shutil.copytree(SEEDS_DIR, base / "seeds")
    search.build([base / "seeds"], base / "index", vectors=False)  # words only: see below
    return base / "index"


@pytest.fixture(autouse=True, scope="session")
def _words_only_unless_asked() -> Iterator[None]:
    """Indexes built in tests keep no block vectors unless a test asks (`vectors=True`):
    embedding the seeds takes 10-30 s here, and most tests are about words, not meaning.
    tests/test_vectors.py covers the vectors and the default that turns them on. Its own
    MonkeyPatch, so that a test's `monkeypatch.undo()` leaves it in place."""
    from search import vectors

    patch = pytest.MonkeyPatch()
    patch.setattr(vectors, "DEFAULT_LIMIT_CHARS", 0)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def seed_library(seed_index: Path):  # type: ignore[no-untyped-def]
    """The session's seed index, open for searching."""
    import search

    library = search.open(seed_index)
    yield library
    library.close()


@pytest.fixture
def runner():  # type: ignore[no-untyped-def]
    """A click CliRunner that keeps stdout and stderr apart."""
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def ranking_article(tmp_path: Path) -> Path:
    """A folder with one article whose body, caption and trailer share the same words."""
    folder = tmp_path / "ranking"
    folder.mkdir()
    (folder / "pemba.txt").write_text(RANKING_ARTICLE, encoding="utf-8")
    return folder


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Say where the browser tests left their screenshots, for a reviewer to look at."""
    folder = Path(__file__).resolve().parents[1] / "build" / "screenshots"
    if folder.is_dir() and any(folder.glob("*.png")):
        terminalreporter.write_line(f"Browser screenshots: {folder}/")


def _load_make_formats():
    """tests/fixtures/make_formats.py, loaded by path (tests are not a package)."""
    import importlib.util

    path = Path(__file__).resolve().parent / "fixtures" / "make_formats.py"
    spec = importlib.util.spec_from_file_location("make_formats", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def make_formats():
    """The module that renders the seeds in every format."""
    return _load_make_formats()


@pytest.fixture(scope="session")
def formats_dir(tmp_path_factory, make_formats) -> Path:
    """The seeds rendered in every format, one folder a format (html, md, pdf, epub, docx),
    with no catalog: each file's metadata is its own."""
    out = tmp_path_factory.mktemp("formats")
    make_formats.make_formats(out, SEEDS_DIR)
    return out
