"""The pruned first stage finds exactly what scoring every match finds, and the second stage
adds to each pooled passage exactly what Whoosh's OR of the bonus queries would. The impact
lists hold what Whoosh's own postings hold, and the first stage reading them best first
(`impacttop`) finds exactly the exhaustive top-N of the same score."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.util.numeric import length_to_byte

import search
from search.engine import (
    accumulate,
    impacts,
    impacttop,
    impactwriter,
    merging,
    perdoc,
    pool,
    postings,
    termscores,
    topk,
)
from search.engine import query as engine_query

QUERIES = [
    "kronstadt", "trotsky", "kronstadt uprising", "left opposition", "workers state bureaucracy",
    "permanent revolution", "socialism in one country", '"united front"', "popular front spain",
    "civil war red army", "peasant revolts", "lenin testament", "trots*", "exil~",
    "stalin NOT trotsky", "fascism OR nazism", "title:stalinism", "revolution AND party",
    "the", "date:[2019 TO 2023] revolution",
]
DEPTHS = [1, 3, 10, 40, 200]


def assert_same_top(store, words: str) -> int:
    """Compare the pruned top-k with the exhaustive one at several depths; return how many
    posting blocks pruning skipped."""
    searcher = store._searcher
    parsed = store.parse(words)
    skipped = 0
    for depth in DEPTHS:
        pruned = topk.pruned_top(searcher, parsed.whoosh_query, depth, parsed.filter_query,
                                 engine_query.NOT_BLOCKS)
        reference = topk.exhaustive_top(searcher, parsed.whoosh_query, depth,
                                        parsed.filter_query, engine_query.NOT_BLOCKS)
        assert [docnum for _, docnum in pruned.top] == [docnum for _, docnum in reference.top], \
            (words, depth)
        for (score, _), (expected, _) in zip(pruned.top, reference.top, strict=True):
            assert score == pytest.approx(expected, abs=1e-9)
        assert pruned.total <= reference.total
        if pruned.exact_total:
            assert pruned.total == reference.total
        skipped += pruned.skipped_blocks
    return skipped


@pytest.mark.parametrize("words", QUERIES)
def test_the_pruned_first_stage_ranks_the_seeds_like_scoring_every_match(seed_library, words):
    assert_same_top(seed_library.store, words)


def write_generated_corpus(folder: Path, rng: random.Random, articles: int) -> None:
    """Articles of Zipf-distributed words with headings, captions and footnotes (different
    kind weights), so some passages are long and full of the query words and most are not."""
    words = [f"w{number}" for number in range(400)] + ["kronstadt", "uprising", "soviet"]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(articles):
        parts = [f"Article {number}", "By A. Writer"]
        for paragraph in range(rng.randint(5, 25)):
            if paragraph % 7 == 3:
                parts.append("## " + " ".join(rng.choices(words, weights, k=rng.randint(2, 5))))
            length = rng.choice([5, 12, 40, 120])
            parts.append(" ".join(rng.choices(words, weights, k=length)).capitalize() + ".")
        (folder / f"g{number:03d}.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def test_the_pruned_first_stage_ranks_a_generated_corpus_like_scoring_every_match(tmp_path):
    rng = random.Random(1921)
    corpus = tmp_path / "corpus"
    write_generated_corpus(corpus / "first", rng, 60)
    search.build([corpus], tmp_path / "index")
    write_generated_corpus(corpus / "second", rng, 60)  # a second segment
    search.build([corpus], tmp_path / "index")
    queries = ["w1 w2", "w3 w50 w200", "kronstadt uprising", "w0", "w7 soviet w120 w399",
               '"w1 w2"', "w5 AND w9", "w30 NOT w1"]
    skipped = 0
    with search.open(tmp_path / "index") as library:
        for words in queries:
            skipped += assert_same_top(library.store, words)
    assert skipped > 0  # the comparison exercised the skipping, not only a full read


def test_the_second_stage_adds_what_an_or_of_the_bonus_queries_adds(seed_library):
    from whoosh import query

    store = seed_library.store
    searcher = store._searcher
    for words in ("kronstadt uprising", "workers state bureaucracy", "popular front spain"):
        parsed = store.parse(words)
        first = topk.pruned_top(searcher, parsed.whoosh_query, 50, None, engine_query.NOT_BLOCKS)
        scores = {docnum: score for score, docnum in first.top}
        pool.add_scores(searcher, query.Or(parsed.proximity), scores)
        whole = searcher.search(query.Or([parsed.whoosh_query, *parsed.proximity]), limit=None,
                                mask=engine_query.NOT_BLOCKS)
        expected = {hit.docnum: hit.score for hit in whole}
        for docnum, score in scores.items():
            assert score == pytest.approx(expected[docnum], abs=1e-9)


def assert_accumulated_as_whoosh_scores_it(store, words: str) -> None:
    """The block-at-a-time first stage (an OR of words) finds the passages and scores that
    Whoosh's exhaustive evaluation finds. Its sums are added in another order, so scores
    agree within 1e-9 and passages whose scores do may trade places."""
    searcher = store._searcher
    parsed = store.parse(words)
    assert accumulate.or_of_terms(parsed.whoosh_query) is not None, words
    mask = engine_query.not_blocks(searcher)
    for depth in DEPTHS:
        ours = topk.pruned_top(searcher, parsed.whoosh_query, depth, None, mask)
        reference = topk.exhaustive_top(searcher, parsed.whoosh_query, depth, None,
                                        engine_query.NOT_BLOCKS)
        assert ours.total == reference.total and ours.exact_total, (words, depth)
        assert len(ours.top) == len(reference.top)
        for (score, _), (expected, _) in zip(ours.top, reference.top, strict=True):
            assert score == pytest.approx(expected, abs=1e-9), (words, depth)
        cut = reference.top[-1][0] if reference.top else 0.0
        assert {d for s, d in ours.top if s > cut + 1e-9} == {
            d for s, d in reference.top if s > cut + 1e-9}, (words, depth)


@pytest.mark.parametrize("words", ["kronstadt", "trotsky", "kronstadt uprising",
                                   "workers state bureaucracy", "socialism in one country",
                                   "fascism OR nazism", "the"])
def test_the_accumulated_first_stage_ranks_the_seeds_like_scoring_every_match(seed_library,
                                                                               words):
    assert_accumulated_as_whoosh_scores_it(seed_library.store, words)


def test_the_accumulated_first_stage_ranks_an_updated_corpus_like_scoring_every_match(
        tmp_path, monkeypatch):
    monkeypatch.setattr(merging, "REWRITE_DELETED", 0.5)  # the first segment keeps its deletions
    rng = random.Random(1905)
    corpus = tmp_path / "corpus"
    write_generated_corpus(corpus / "first", rng, 50)
    search.build([corpus], tmp_path / "index")
    write_generated_corpus(corpus / "second", rng, 30)  # a second segment
    for number in range(0, 50, 7):  # and deleted documents in the first
        path = corpus / "first" / f"g{number:03d}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nW1 w2 kronstadt.\n",
                        encoding="utf-8")
    search.build([corpus], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        reader = library.store._searcher.reader()
        assert not reader.is_atomic() and reader.has_deletions()
        for words in ("w1 w2", "w3 w50 w200", "kronstadt uprising", "w0", "w7 soviet w120"):
            assert_accumulated_as_whoosh_scores_it(library.store, words)


def assert_proximity_as_whoosh_scores_it(store, words: str) -> None:
    """add_proximity adds to the pool what Whoosh's OR of the phrases adds."""
    from whoosh import query

    searcher = store._searcher
    parsed = store.parse(words)
    assert parsed.proximity, words
    first = topk.pruned_top(searcher, parsed.whoosh_query, 200, None, engine_query.NOT_BLOCKS)
    ours = {docnum: 0.0 for _, docnum in first.top}
    whooshs = dict(ours)
    pool.add_proximity(searcher, parsed.proximity, ours)
    pool.FAST_SKIPS = False  # the reference: Whoosh's own matchers throughout
    try:
        pool.add_scores(searcher, query.Or(parsed.proximity), whooshs)
    finally:
        pool.FAST_SKIPS = True
    assert any(whooshs.values()), words  # the phrases matched some pooled passages
    for docnum, bonus in ours.items():
        assert bonus == pytest.approx(whooshs[docnum], abs=1e-9), (words, docnum)


@pytest.mark.parametrize("words", ["kronstadt uprising", "workers state bureaucracy",
                                   "popular front spain", "socialism in one country",
                                   "left opposition trotsky", "civil war red army"])
def test_the_proximity_bonus_is_what_whooshs_phrase_matcher_gives(seed_library, words):
    assert_proximity_as_whoosh_scores_it(seed_library.store, words)


def test_the_proximity_bonus_is_whooshs_on_a_generated_corpus(tmp_path):
    rng = random.Random(1937)
    corpus = tmp_path / "corpus"
    write_generated_corpus(corpus / "first", rng, 40)
    search.build([corpus], tmp_path / "index")
    write_generated_corpus(corpus / "second", rng, 40)  # a second segment
    search.build([corpus], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        for words in ("w1 w2", "w0 w1 w3", "w3 w1", "w2 w0 w2 w5"):
            assert_proximity_as_whoosh_scores_it(library.store, words)


def test_the_public_collector_gives_the_same_results_when_pruning_is_off(seed_library,
                                                                          monkeypatch):
    pruned = [(hit.doc_id, hit.order, hit.score) for hit in seed_library.search("kronstadt uprising")]
    monkeypatch.setattr(topk, "PRUNE", False)
    assert [(hit.doc_id, hit.order, hit.score)
            for hit in seed_library.search("kronstadt uprising")] == pruned


# ----------------------------------------------------------------- the impact lists

IMPACT_DEPTHS = [1, 3, 10, 40, 100, 200]


@pytest.fixture
def every_term_listed(monkeypatch):
    """Give every term an impact list and check for the stopping point often, so the
    small test corpora exercise both."""
    monkeypatch.setattr(impactwriter, "MIN_POSTINGS", 1)
    monkeypatch.setattr(impacttop, "FIRST_CHECK", 16)
    monkeypatch.setattr(impacttop, "LATER_CHECK", 4)


@pytest.fixture
def seeds_listed(every_term_listed, seeds_dir, tmp_path):
    search.build([seeds_dir], tmp_path / "seeds-index")
    with search.open(tmp_path / "seeds-index") as library:
        yield library


def leaves(searcher):
    return [(searcher, 0)] if searcher.is_atomic() else list(searcher.subsearchers)


def assert_lists_hold_whooshs_postings(searcher) -> int:
    """Every listed term's groups hold exactly Whoosh's postings of it (docnum, weight,
    length byte, kind weight), and its jump table names Whoosh's posting blocks; return
    how many terms were compared."""
    compared = 0
    for subsearcher, _ in leaves(searcher):
        reader = subsearcher.reader()
        file = impacts.open_segment(reader)
        assert file is not None
        kinds = perdoc.kind_weights(reader)
        for fieldname in impactwriter.FIELDS:
            for text, _ in reader.iter_field(fieldname):
                groups = file.groups(fieldname, text)
                assert groups is not None, (fieldname, text)
                listed = {}
                for number in range(len(groups.counts)):
                    docnums = groups.docnums(number)
                    assert docnums == sorted(docnums)
                    for docnum in docnums:
                        listed[docnum] = (groups.weights[number], groups.lengths[number],
                                          groups.kinds[number])
                matcher = postings.every_posting(reader, fieldname, text)
                whooshs, maxids = {}, []
                while matcher.is_active():
                    docnum = matcher.id()
                    length = reader.doc_field_length(docnum, fieldname, 0)
                    whooshs[docnum] = (matcher.weight(), length_to_byte(length), kinds[docnum])
                    if matcher._maxid not in maxids:
                        maxids.append(matcher._maxid)
                    matcher.next()
                assert listed == whooshs, (fieldname, text)
                assert list(groups.maxids) == maxids
                leaf = postings.leaf(reader.postings(fieldname, text))
                for block, start in enumerate(groups.block_starts):
                    ids, _ = postings.jump(leaf, start)
                    assert ids[-1] == groups.maxids[block]
                compared += 1
    return compared


def test_the_impact_lists_of_the_seeds_hold_whooshs_postings(seeds_listed):
    assert assert_lists_hold_whooshs_postings(seeds_listed.store._searcher) > 1000


def test_the_impact_lists_of_an_updated_corpus_hold_whooshs_postings(every_term_listed,
                                                                     tmp_path):
    index_dir = updated_corpus(tmp_path)
    with search.open(index_dir) as library:
        reader = library.store._searcher.reader()
        assert not reader.is_atomic() and reader.has_deletions()
        assert assert_lists_hold_whooshs_postings(library.store._searcher) > 100


def updated_corpus(tmp_path: Path, monkeypatch=None) -> Path:
    """Two segments, the first with deleted documents (its segment is kept: see merging)."""
    rng = random.Random(1905)
    corpus = tmp_path / "corpus"
    write_generated_corpus(corpus / "first", rng, 50)
    search.build([corpus], tmp_path / "index")
    write_generated_corpus(corpus / "second", rng, 30)
    for number in range(0, 50, 7):
        path = corpus / "first" / f"g{number:03d}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nW1 w2 kronstadt.\n",
                        encoding="utf-8")
    original = merging.REWRITE_DELETED
    merging.REWRITE_DELETED = 0.5
    try:
        search.build([corpus], tmp_path / "index")
    finally:
        merging.REWRITE_DELETED = original
    return tmp_path / "index"


def assert_same_top_as_reading_everything(store, words: str) -> tuple[int, int]:
    """The pruned first stage returns the exhaustive top-N of the same score (same
    passages in the same order, ties in docnum order, identical scores), and agrees with
    `accumulate` and Whoosh's own evaluation within 1e-9; return (postings read, postings
    listed) at depth 10."""
    searcher = store._searcher
    parsed = store.parse(words)
    wanted = store.with_feedback(parsed, store.query_stems(parsed))
    terms = accumulate.or_of_terms(wanted)
    assert terms is not None, words
    mask = engine_query.not_blocks(searcher)
    counts = (0, 0)
    for depth in IMPACT_DEPTHS:
        found = impacttop.or_top(searcher, terms, depth, mask)
        every = impacttop.or_top(searcher, terms, depth, mask, prune=False)
        assert found is not None and every is not None
        assert found.top == every.top, (words, depth)
        reference, total = accumulate.accumulated_top(searcher, terms, depth, mask)
        assert every.total == total and found.total <= total
        assert len(found.top) == len(reference)
        for (score, _), (expected, _) in zip(found.top, reference, strict=True):
            assert score == pytest.approx(expected, abs=1e-9), (words, depth)
        cut = reference[-1][0] if reference else 0.0
        assert {d for s, d in found.top if s > cut + 1e-9} == {
            d for s, d in reference if s > cut + 1e-9}, (words, depth)
        whooshs = searcher.search(wanted, limit=None, mask=engine_query.NOT_BLOCKS)
        expected_scores = {hit.docnum: hit.score for hit in whooshs}
        for score, docnum in found.top:
            assert score == pytest.approx(expected_scores[docnum], abs=1e-9), (words, docnum)
        if depth == 10:
            counts = (found.read, found.postings)
    return counts


PLAIN = [words for words in QUERIES if words.replace(" ", "").isalpha()
         and "NOT" not in words and "OR" not in words and "AND" not in words]


def test_the_pruned_first_stage_ranks_the_seeds_like_reading_every_group(seeds_listed):
    read = listed = 0
    for words in PLAIN:
        got = assert_same_top_as_reading_everything(seeds_listed.store, words)
        read, listed = read + got[0], listed + got[1]
    assert read < listed  # pruning stopped early somewhere


def test_the_pruned_first_stage_ranks_an_updated_corpus_like_reading_every_group(
        every_term_listed, tmp_path):
    with search.open(updated_corpus(tmp_path)) as library:
        for words in ("w1 w2", "w3 w50 w200", "kronstadt uprising", "w0", "w7 soviet w120",
                      "w0 w1 w2 w3", "soviet"):
            assert_same_top_as_reading_everything(library.store, words)


def test_the_pruned_first_stage_ranks_copies_in_docnum_order(every_term_listed, tmp_path):
    """Many identical paragraphs score alike: the first `depth` of them in index order
    enter, as in the exhaustive evaluation, however the reading stopped."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rng = random.Random(1917)
    words = [f"w{number}" for number in range(60)]
    for number in range(80):
        paragraphs = ["Same words of the soviet congress and the kronstadt uprising."] * 3
        paragraphs += [" ".join(rng.choices(words, k=rng.choice([6, 20, 60])))
                       + " kronstadt soviet." for _ in range(4)]
        rng.shuffle(paragraphs)
        (corpus / f"c{number:03d}.md").write_text(f"Copy {number}\n\n" + "\n\n".join(
            paragraphs) + "\n", encoding="utf-8")
    search.build([corpus], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        read = listed = 0
        for words in ("kronstadt uprising", "soviet congress", "kronstadt soviet w1"):
            got = assert_same_top_as_reading_everything(library.store, words)
            read, listed = read + got[0], listed + got[1]
        assert read < listed


def test_an_index_without_impact_lists_is_searched_as_before(tmp_path, seeds_dir, monkeypatch):
    search.build([seeds_dir], tmp_path / "index")
    for path in (tmp_path / "index").glob("*.impacts"):
        path.unlink()
    with search.open(tmp_path / "index") as library:
        hits = [(hit.doc_id, hit.order) for hit in library.search("kronstadt uprising")]
    monkeypatch.setattr(impactwriter, "MIN_POSTINGS", 1)
    search.build([seeds_dir], tmp_path / "listed")
    with search.open(tmp_path / "listed") as library:
        assert [(hit.doc_id, hit.order) for hit in library.search("kronstadt uprising")] == hits


def test_a_plain_search_maps_the_impact_lists_without_numpy(every_term_listed, seeds_dir,
                                                            tmp_path):
    search.build([seeds_dir], tmp_path / "index", vectors=False)
    code = ("import sys, search\n"
            f"library = search.open({str(tmp_path / 'index')!r})\n"
            "library.search('kronstadt uprising')\n"
            "from search.engine import impacttop\n"
            "print('numpy' in sys.modules, 'search.engine.impacts' in sys.modules)\n")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert output == ["False", "True"]


def test_the_second_stage_skipping_through_jump_tables_adds_what_whoosh_does(
        every_term_listed, tmp_path, monkeypatch):
    from whoosh import query

    with search.open(updated_corpus(tmp_path)) as library:
        store = library.store
        searcher = store._searcher
        leaf = postings.leaf(searcher.reader().leaf_readers()[0][0].postings("content", b"w1"))
        matcher = pool.fast_skips(leaf, searcher)
        assert getattr(matcher, "_seedsearch_jumps", None) is not None  # the jumping path
        for words in ("w1 w2", "w0 w1 w3", "w3 w1", "w2 w0 w2 w5"):
            parsed = store.parse(words)
            first = topk.pruned_top(searcher, parsed.whoosh_query, 200, None,
                                    engine_query.not_blocks(searcher))
            ours = {docnum: 0.0 for _, docnum in first.top}
            pool.add_proximity(searcher, parsed.proximity, ours)
            every = searcher.search(query.Or(parsed.proximity), limit=None,
                                    mask=engine_query.NOT_BLOCKS)  # Whoosh reading it all
            expected = {hit.docnum: hit.score for hit in every}
            assert any(ours.values()), words
            for docnum, bonus in ours.items():
                assert bonus == pytest.approx(expected.get(docnum, 0.0), abs=1e-9), words
            for term in parsed.whoosh_query.leaves():  # one term at a time, as feedback is
                feedback = {docnum: 0.0 for docnum in ours}
                pool.add_scores(searcher, term, feedback)
                scored = searcher.search(term, limit=None, mask=engine_query.NOT_BLOCKS)
                expected = {hit.docnum: hit.score for hit in scored}
                for docnum, score in feedback.items():
                    assert score == pytest.approx(expected.get(docnum, 0.0), abs=1e-9), words


def whole_index_scores(searcher, scored, pool_scores: dict[int, float]) -> None:
    """The second stage as it was: one matcher over every segment (Whoosh's MultiMatcher)."""
    weighting = searcher.weighting
    matcher = pool.fast_skips(scored.matcher(searcher, searcher.context(weighting=weighting)),
                              searcher)
    for docnum in sorted(pool_scores):
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return
        if matcher.id() == docnum:
            pool_scores[docnum] += matcher.score()


def whole_index_proximity(searcher, phrases, pool_scores: dict[int, float]) -> None:
    from whoosh import query

    for phrase in phrases:
        context = searcher.context(weighting=searcher.weighting)
        first, second = (pool.fast_skips(query.Term(phrase.fieldname, word).matcher(
            searcher, context), searcher) for word in phrase.words)
        for docnum in sorted(pool_scores):
            if not (pool._move_to(first, docnum) and pool._move_to(second, docnum)):
                if not (first.is_active() and second.is_active()):
                    break
                continue
            if termscores.follows(first.value_as("positions"), second.value_as("positions"),
                             phrase.slop):
                pool_scores[docnum] += (first.score() + second.score()) * phrase.boost


def test_the_second_stage_per_segment_scores_as_one_matcher_over_every_segment(
        every_term_listed, tmp_path):
    """The pool's terms are opened only in the segments holding pooled passages: the same
    scores, to the bit, as a matcher over the whole index; a pool in one segment only opens
    that one."""
    with search.open(updated_corpus(tmp_path)) as library:
        store = library.store
        searcher = store._searcher
        assert len(searcher.subsearchers) == 2
        second = searcher.subsearchers[1][1]
        for words in ("w1 w2", "w0 w1 w3", "w3 w1", "w2 w0 w2 w5", "kronstadt uprising"):
            parsed = store.parse(words)
            first = topk.pruned_top(searcher, parsed.whoosh_query, 200, None,
                                    engine_query.not_blocks(searcher))
            pools = [{docnum: score for score, docnum in first.top},
                     {docnum: 0.0 for _, docnum in first.top if docnum >= second},
                     {docnum: 0.0 for _, docnum in first.top if docnum < second}]
            for each in pools:
                assert each, words
                ours, expected = dict(each), dict(each)
                pool.add_proximity(searcher, parsed.proximity, ours)
                whole_index_proximity(searcher, parsed.proximity, expected)
                assert ours == expected, words
                for term in parsed.whoosh_query.leaves():
                    pool.add_scores(searcher, term, ours)
                    whole_index_scores(searcher, term, expected)
                    assert ours == expected, words
        segments = pool.pooled_segments(searcher, pools[1])
        assert [offset for _, offset, _ in segments] == [second]
        assert segments[0][2] == sorted(pools[1])


def assert_bulk_reads_as_entry_at_a_time(store, words: str, monkeypatch) -> int:
    """The first stage with the state's C-level pipelines (`impacttop.BULK`) reads exactly as
    the entry-at-a-time loops do: the same top, totals and postings read, at every depth;
    return the postings read at depth 10."""
    searcher = store._searcher
    parsed = store.parse(words)
    terms = accumulate.or_of_terms(store.with_feedback(parsed, store.query_stems(parsed)))
    assert terms is not None, words
    mask = engine_query.not_blocks(searcher)
    read = 0
    for depth in IMPACT_DEPTHS:
        found = []
        for bulk in (False, True):
            monkeypatch.setattr(impacttop, "BULK", bulk)
            found.append(impacttop.or_top(searcher, terms, depth, mask))
        assert found[0] is not None and found[0] == found[1], (words, depth)
        if depth == 10:
            read = found[1].read
    return read


def test_the_first_stage_reads_the_seeds_in_bulk_as_an_entry_at_a_time(seeds_listed,
                                                                      monkeypatch):
    assert sum(assert_bulk_reads_as_entry_at_a_time(seeds_listed.store, words, monkeypatch)
               for words in PLAIN) > 0


def test_the_first_stage_reads_a_generated_corpus_in_bulk_as_an_entry_at_a_time(
        every_term_listed, tmp_path, monkeypatch):
    """Two segments, the first with deletions: groups may hold excluded passages there."""
    with search.open(updated_corpus(tmp_path)) as library:
        for words in ("w1 w2", "w3 w50 w200", "kronstadt uprising", "w0", "w7 soviet w120",
                      "w0 w1 w2 w3", "soviet", "w2 w0 w2 w5"):
            assert_bulk_reads_as_entry_at_a_time(library.store, words, monkeypatch)


def test_groups_skip_the_excluded_set_only_where_they_cannot_hold_excluded_passages(
        every_term_listed, tmp_path):
    """A segment whose only excluded documents are article and source records (no content
    or section) reads its groups without the excluded set; one with deleted blocks keeps it."""
    with search.open(updated_corpus(tmp_path)) as library:
        searcher = library.store._searcher
        mask = engine_query.not_blocks(searcher)
        may_hold = []
        for subsearcher, offset in leaves(searcher):
            reader = subsearcher.reader()
            excluded = impacttop._segment_excluded(reader, offset, mask)
            groups = impacts.open_segment(reader).groups("content", b"w1")
            may_hold.append(impacttop._may_hold(reader, "content", excluded, groups))
            lengths = perdoc.field_lengths(reader, "content")
            assert any(lengths[docnum] for docnum in excluded) == (reader.has_deletions())
        assert may_hold == [True, False]  # the first segment has deletions
