"""Where a quotation may come from: the index's candidate blocks for `verify` to align.

Verbatim occurrences: the blocks where each part of the quotation has its rarest words at
their distances from each other in it (the two rarest, more while a small budget of postings
allows), read from the postings a block at a time (`postings`), never by scoring every match.
They are counted whole and ranked by the block's kind (a paragraph before a caption or page
furniture) and then by index order, and only the best few are handed on to be aligned. A
quotation that runs across paragraphs has no such block: the rarest adjacent pair in each
half of each part then finds its pieces. A BM25 search on the quotation's rarest words finds
altered quotations and other translations, through the pruned first stage (`topk`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from whoosh import query
from whoosh.searching import Searcher

from ..analyse import STOP_WORDS, fold, stem
from ..frozen import frozen_dataclass
from . import perdoc, postings, topk
from .query import not_blocks

PLACED_BUDGET = 6_000  # postings read for a part beyond its two rarest words
SIMILAR_BUDGET = 6_000  # postings the altered-wording search may read (at least 3 words)


@frozen_dataclass
class Verbatim:
    """Blocks holding a quotation's words at their places, best first, and how many hold it
    whole (every part in one block); `pieces` are blocks holding a part's rarest pair only."""

    best: list[int]  # docnums, at most the limit asked for
    total: int
    pieces: list[int]


def verbatim_blocks(searcher: Searcher, parts: list[list[str]], limit: int) -> Verbatim:
    """Return the best `limit` blocks holding the quotation verbatim and how many there are;
    when fewer than `limit` hold it whole, blocks holding pieces of it fill the list."""
    frequency = _frequencies(searcher)
    stems = [[stem(fold(word)) for word in words] for words in parts]
    probes = [words for words in stems if len(words) > 1] or stems
    whole: set[int] | None = None
    for words in probes:
        found = placed(searcher, words, frequency, None if whole is None else whole)
        whole = found if whole is None else whole & found
        if not whole:
            break
    whole = whole or set()
    rank = _ranking(searcher)
    best = heapq.nsmallest(limit, whole, key=rank)
    pieces: list[int] = []
    if len(best) < limit:
        pairs = {pair for words in stems for pair in rare_pairs(words, frequency)}
        seen: set[int] = set(whole)
        for pair in sorted(pairs):
            seen |= placed(searcher, list(pair), frequency)
        pieces = heapq.nsmallest(limit - len(best), seen - whole, key=rank)
    return Verbatim(best, len(whole), pieces)


def placed(searcher: Searcher, words: list[str], frequency: Callable[[str], int],
           within: set[int] | None = None) -> set[int]:
    """Return the blocks (among `within`, if given) where the rarest of these stems stand at
    their distances from each other in `words`: the two rarest, and more while the postings
    read stay within PLACED_BUDGET (a word no block holds means no block holds them all)."""
    offsets: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        offsets.setdefault(word, []).append(position)
    ordered = sorted(offsets, key=lambda term: (frequency(term), term))
    if not ordered or frequency(ordered[0]) == 0:
        return set()
    chosen = ordered[:2]
    spent = sum(map(frequency, chosen))
    for term in ordered[2:]:
        spent += frequency(term)
        if spent > PLACED_BUDGET:
            break
        chosen.append(term)
    found = postings.read(searcher, chosen[0], within)
    values = [found]
    for term in chosen[1:]:
        found = postings.read(searcher, term, set(found))
        values.append(found)
    return {docnum for docnum in found
            if _in_place(searcher, [(value[docnum], offsets[term])
                                    for value, term in zip(values, chosen, strict=True)])}


def _in_place(searcher: Searcher, terms: list[tuple[bytes, list[int]]]) -> bool:
    """True when some start position puts every term at one of its offsets."""
    starts: set[int] | None = None
    for value, offsets in terms:
        here = {position - offset for position in postings.decode(searcher, value)
                for offset in offsets}
        starts = here if starts is None else starts & here
        if not starts:
            return False
    return True


def _ranking(searcher: Searcher) -> Callable[[int], tuple[int, int]]:
    """Order blocks by their kind's weight (body text before captions and page furniture),
    then by index order."""
    weights = perdoc.kind_weights(searcher.reader())
    return lambda docnum: (-weights[docnum], docnum)


def similar_blocks(searcher: Searcher, parts: list[list[str]],
                   limit: int = 30) -> list[tuple[float, int]]:
    """Return (score, docnum) of blocks sharing a quotation's rarest words, best first:
    altered quotations, other translations. The words are taken rarest first while their
    postings stay within SIMILAR_BUDGET (at least three), so the cost does not follow the
    corpus into its common words."""
    distinctive = _distinctive_stems(searcher, [w for words in parts for w in words])
    if not distinctive:
        return []
    ranked = query.Or([query.Term("content", s) for s in distinctive])
    return topk.pruned_top(searcher, ranked, limit, mask=not_blocks(searcher)).top


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
    """The quotation's rarest stems (stop words only when nothing else is left), as many as
    SIMILAR_BUDGET allows."""
    stems = {stem(fold(word)) for word in words if fold(word) not in STOP_WORDS}
    stems = stems or {stem(fold(word)) for word in words}
    frequency = {s: searcher.doc_frequency("content", s) for s in stems}
    present = sorted((s for s in stems if frequency[s]), key=lambda s: (frequency[s], s))
    chosen: list[str] = []
    spent = 0
    for term in present[:most]:
        spent += frequency[term]
        if len(chosen) >= 3 and spent > SIMILAR_BUDGET:
            break
        chosen.append(term)
    return chosen


def document_frequencies(searcher: Searcher, stems: set[str]) -> tuple[dict[str, int], int]:
    """Return each stem's block frequency and the number of blocks, for IDF weights."""
    total = searcher.doc_frequency("rectype", "block")
    return {s: searcher.doc_frequency("content", s) for s in stems}, total
