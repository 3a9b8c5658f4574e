"""A search's work budget: how many postings its stages read, and a cap on it.

Any query on any corpus must answer in bounded time and memory. Expansions are capped where
they are made (`query.capped`); the postings a search reads are counted here, stage by stage,
as the live document frequency of each word it looks up (a phrase: twice its rarest word's,
as Whoosh skips through the others). When the words of a query would read more than the
budget, its commonest words are left out until it fits, and the optional stages (the
proximity bonus, feedback) are skipped when what is left cannot pay for them; a note says so.
"""

from __future__ import annotations

from dataclasses import asdict

from whoosh import query

from ..frozen import mutable_dataclass

MAX_POSTINGS = 3_000_000  # at least twice the number of blocks, so one word always fits


@mutable_dataclass
class Work:
    """What one search read, against its budget (exposed as `SearchResult.work`)."""

    budget: int = MAX_POSTINGS
    postings: int = 0  # postings read by the searches run, counted as above
    expansions: int = 0  # words the wildcard, fuzzy and range terms stood for
    scanned_terms: int = 0  # words of the lexicon read to expand them
    over_budget: bool = False  # words or stages were left out to stay within the budget

    def to_dict(self) -> dict:
        """Return the counters as plain data."""
        return asdict(self)

    def spend(self, postings: int) -> None:
        self.postings += postings


def cost(searcher, wanted: query.Query | None) -> int:
    """The postings searching wanted reads (see the module docstring)."""
    if wanted is None:
        return 0
    return sum(leaf_cost(searcher, leaf) for leaf in wanted.leaves())


def leaf_cost(searcher, leaf: query.Query) -> int:
    if isinstance(leaf, query.Every):
        return searcher.doc_count()
    frequencies = [searcher.doc_frequency(name, text) for name, text in leaf.terms()
                   if name in searcher.schema]
    if not frequencies:
        return 0
    if isinstance(leaf, query.Phrase):
        return 2 * min(frequencies)
    return sum(frequencies)


def within(searcher, wanted: query.Query, budget: int, notes: list[str]) -> query.Query:
    """Leave the commonest words out of wanted until searching it fits the budget (one word
    is always kept); note the words left out."""
    dropped = []
    while cost(searcher, wanted) > budget:
        leaves = [leaf for leaf in wanted.leaves() if leaf_cost(searcher, leaf)]
        if len(leaves) <= 1:
            break
        commonest = max(leaves, key=lambda leaf: (leaf_cost(searcher, leaf), str(leaf)))
        dropped.append(" ".join(str(text) for _, text in commonest.terms()) or str(commonest))
        wanted = without(wanted, commonest) or query.NullQuery
    if dropped:
        notes.append(f"The query would read more than {budget:,} postings; left out its "
                     f"commonest words ({', '.join(dict.fromkeys(dropped))}).")
    return wanted


def without(wanted: query.Query, leaf: query.Query) -> query.Query | None:
    """wanted with one leaf removed (None when nothing is left)."""
    if wanted is leaf:
        return None
    if wanted.is_leaf():
        return wanted
    if isinstance(wanted, query.BinaryQuery):
        first, second = without(wanted.a, leaf), without(wanted.b, leaf)
        if first is None:
            return None if isinstance(wanted, (query.AndNot, query.AndMaybe)) else second
        if second is None:
            return first
        return type(wanted)(first, second)
    if isinstance(wanted, query.Not):
        inner = without(wanted.query, leaf)
        return None if inner is None else query.Not(inner, boost=wanted.boost)
    if isinstance(wanted, query.CompoundQuery):
        kept = [child for child in (without(sub, leaf) for sub in wanted.subqueries)
                if child is not None]
        if not kept:
            return None
        copy = wanted.copy()
        copy.subqueries = kept
        return copy
    return wanted.apply(lambda child: without(child, leaf) or query.NullQuery)
