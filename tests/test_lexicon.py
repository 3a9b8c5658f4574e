"""lexicon.bin, written with the index, says what Whoosh's own postings say."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import search
from search import querytext
from search.analyse import _nltk_stem
from search.engine.lexicon import LEXICON_FILE, open_lexicon


def generation(index_dir) -> int:
    """The generation of the index's one lexicon file."""
    [found] = [int(m.group(1)) for m in map(LEXICON_FILE.match, (p.name for p in
                                                                index_dir.iterdir())) if m]
    return found


def lexicon_of(index_dir):
    return open_lexicon(index_dir, generation(index_dir))


def test_the_lexicon_holds_every_indexed_stem_with_whooshs_own_counts(seed_index):
    lexicon = lexicon_of(seed_index)
    with search.open(seed_index) as library:
        searcher = library.store._searcher
        reader = searcher.reader()
        indexed = {term.decode("utf-8") if isinstance(term, bytes) else term
                   for term in reader.field_terms("content")}
        per_stem: Counter[str] = Counter()
        for word in lexicon:
            stemmed, count = lexicon[word]
            per_stem[stemmed] += count
        assert set(per_stem) == indexed
        for stemmed in ("trotski", "kronstadt", "bureaucraci", "the", "opposit"):
            matcher = reader.postings("content", stemmed)
            occurrences = 0
            while matcher.is_active():
                occurrences += int(matcher.weight())
                matcher.next()
            assert per_stem[stemmed] == occurrences


def test_the_lexicon_equals_the_vocabulary_table_and_snowball(seed_index):
    lexicon = lexicon_of(seed_index)
    table = json.loads((seed_index / f"vocabulary_{generation(seed_index)}.json")
                       .read_text(encoding="utf-8"))
    assert list(lexicon) == sorted(table)
    assert all(lexicon[word] == entry for word, entry in table.items())
    assert all(lexicon[word][0] == _nltk_stem(word) for word in list(table)[::25])
    assert "trotsky" in lexicon and "trotskyy" not in lexicon


def test_related_forms_by_binary_search_equal_the_scan_of_every_stem(seed_index):
    lexicon = lexicon_of(seed_index)
    every_stem = {lexicon[word][0] for word in lexicon}
    for query_stems in ({"georgia"}, {"itali", "stalin"}, {"trotski"}, {"soviet", "bolshevik"},
                        {"revolutionari"}, {"oppos", "communist"}):
        assert lexicon.related_forms(query_stems) == querytext.related_forms(query_stems,
                                                                             every_stem)


def test_related_forms_are_derivations_not_every_stem_sharing_a_prefix(seed_index):
    lexicon = lexicon_of(seed_index)
    assert {"mass", "fore", "frontier", "trader"} <= {lexicon[word][0] for word in lexicon}
    assert lexicon.related_forms({"itali", "stalin", "tsarist", "georgia", "blood"}) == [
        "bloodi", "georgian", "italian", "stalinist", "tsar"]
    assert lexicon.related_forms({"massacr", "foreign", "front", "trade"}) == []


def test_an_index_without_a_lexicon_reads_its_vocabulary_table(seed_index, tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    (index_dir / f"lexicon_{generation(index_dir)}.bin").unlink()
    with search.open(index_dir) as library:
        assert "trotsky" in library.vocabulary
        assert library.search("trotskyy").suggestion == "trotsky"


def test_a_damaged_lexicon_falls_back_on_the_vocabulary_table(seed_index, tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    (index_dir / f"lexicon_{generation(index_dir)}.bin").write_bytes(b"SSLEX001" + b"\xff" * 40)
    with search.open(index_dir) as library:
        assert library.search("kronstadt").hits
        assert library.search("trotskyy").suggestion == "trotsky"
