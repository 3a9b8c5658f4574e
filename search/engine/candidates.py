"""Where a quotation may come from: the index's candidate blocks for `verify` to align.

Two searches: phrase probes on the quotation's rarest word pairs find the verbatim
occurrences; a BM25 search on its rarest words finds altered ones and other translations.
"""

from __future__ import annotations

from whoosh import query
from whoosh.searching import Searcher

from ..analyse import fold, stem
from .query import NOT_BLOCKS

MAX_VERBATIM_CANDIDATES = 30  # blocks holding a quotation's words verbatim, best first
SHORT_QUOTATION_WORDS = 10  # up to this, probe with the whole phrase first (cheap when short)


def verbatim_blocks(searcher: Searcher, parts: list[list[str]]) -> list[tuple[str, int, float]]:
    """Return (doc_id, order, score) of blocks holding a quotation's words verbatim, best first.

    Phrase probes: in each half of each part, the adjacent pair of words that is rarest in
    the corpus (a long phrase of common words costs Whoosh ten times more to match, and the
    alignment checks every word anyway).
    """
    frequency = _frequencies(searcher)
    probes = {pair for words in parts for pair in rare_pairs([stem(fold(w)) for w in words],
                                                            frequency)}
    if not probes:
        return []
    phrases = [query.Phrase("content", list(pair)) for pair in sorted(probes)]
    # Blocks holding the whole of a short quotation (or every probe of a long one) first: a
    # short quotation of common words ("that the working class had") would otherwise be
    # crowded out of the list by blocks repeating one of its pairs.
    short = sum(len(words) for words in parts) <= SHORT_QUOTATION_WORDS
    whole = query.And([query.Phrase("content", [stem(fold(w)) for w in words])
                       for words in parts if len(words) > 1]) if short else query.And(phrases)
    found: dict[tuple[str, int], float] = {}
    for wanted, bonus in ((whole, 2000.0), (query.Or(phrases), 1000.0)):
        if len(found) >= MAX_VERBATIM_CANDIDATES:
            continue
        for hit in searcher.search(wanted, limit=MAX_VERBATIM_CANDIDATES, mask=NOT_BLOCKS):
            found.setdefault((hit["doc_id"], hit["order"]), hit.score + bonus)
    return [(doc_id, order, score) for (doc_id, order), score
            in list(found.items())[:MAX_VERBATIM_CANDIDATES]]


def similar_blocks(searcher: Searcher, parts: list[list[str]],
                   limit: int = 30) -> list[tuple[str, int, float]]:
    """Return (doc_id, order, score) of blocks sharing a quotation's rarest words, best
    first: altered quotations, other translations."""
    distinctive = _distinctive_stems(searcher, [w for words in parts for w in words])
    if not distinctive:
        return []
    ranked = query.Or([query.Term("content", s) for s in distinctive])
    return [(hit["doc_id"], hit["order"], hit.score)
            for hit in searcher.search(ranked, limit=limit, mask=NOT_BLOCKS)]


def rare_pairs(stems: list[str], frequency) -> list[tuple[str, str]]:
    """The rarest adjacent pair of stems in each half of a run (one pair for a short run).

    >>> df = {"the": 90, "bureaucraci": 3, "worker": 20, "state": 30, "of": 95}.get
    >>> rare_pairs("the bureaucraci of the worker state".split(), df)
    [('the', 'bureaucraci'), ('worker', 'state')]
    """
    if len(stems) < 2:
        return []
    halves = [stems] if len(stems) < 4 else [stems[:len(stems) // 2 + 1], stems[len(stems) // 2:]]
    pairs = []
    for half in halves:
        candidates = list(zip(half, half[1:], strict=False))
        # the pair whose commoner word is rarest, then whose rarer word is
        pairs.append(min(candidates, key=lambda pair: sorted(map(frequency, pair), reverse=True)))
    return list(dict.fromkeys(pairs))


def _frequencies(searcher: Searcher):
    """A cached doc_frequency of content stems for one searcher."""
    cache: dict[str, int] = {}

    def frequency(stemmed: str) -> int:
        if stemmed not in cache:
            cache[stemmed] = searcher.doc_frequency("content", stemmed)
        return cache[stemmed]

    return frequency


def _distinctive_stems(searcher: Searcher, words: list[str], most: int = 8) -> list[str]:
    """The quotation's rarest stems (stop words only when nothing else is left)."""
    from ..analyse import STOP_WORDS

    stems = {stem(fold(word)) for word in words if fold(word) not in STOP_WORDS}
    stems = stems or {stem(fold(word)) for word in words}
    frequency = {s: searcher.doc_frequency("content", s) for s in stems}
    present = sorted((s for s in stems if frequency[s]), key=lambda s: frequency[s])
    return present[:most]


def document_frequencies(searcher: Searcher, stems: set[str]) -> tuple[dict[str, int], int]:
    """Return each stem's block frequency and the number of blocks, for IDF weights."""
    total = searcher.doc_frequency("rectype", "block")
    return {s: searcher.doc_frequency("content", s) for s in stems}, total
