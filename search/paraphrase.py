"""Paraphrase detection: does a passage say what the quotation says, in other words?

Two signals, either of which suffices. Lexical: most of the quotation's content words (weighted
by rarity) stand in the passage. Semantic: a sentence or two of the passage is close in meaning
to the quotation by all-MiniLM-L6-v2 embeddings (`semantic.py`), when the model is installed.
The semantic bar is set high because embeddings do not check facts: a false claim on the same
topic scores like a paraphrase, so only close meaning counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .analyse import STOP_WORDS, fold, stem, text_stems
from .quotation import Quotation, read_tokens
from .semantic import Embedder
from .sentences import split_sentences

LEXICAL_MIN_OVERLAP = 0.45
SEMANTIC_MIN_COSINE = 0.78
SEMANTIC_BLOCKS = 5  # embed the sentences of this many best lexical candidates
SEMANTIC_WINDOWS = 12  # and of those, the windows sharing most words with the quotation

_embedder: Embedder | None = None
_embedder_loaded = False


def embedder() -> Embedder | None:
    """The sentence embedder, loaded once; None when numpy or the model is not installed."""
    global _embedder, _embedder_loaded
    if not _embedder_loaded:
        _embedder, _embedder_loaded = Embedder.load(), True
    return _embedder


def content_stems(quote: Quotation) -> set[str]:
    """The stems of the quotation's content words."""
    return {stem(fold(token.key)) for token in quote.tokens if token.key not in STOP_WORDS}


def lexical_overlap(content: set[str], passage: str, weight: Callable[[str], float]) -> float:
    """Share of the quotation's content (weighted by rarity) that the passage has."""
    present = {stem(fold(token.key)) for token in read_tokens(passage)}
    total = sum(weight(s) for s in content)
    return sum(weight(s) for s in content & present) / total if total else 0.0


def rarity(frequencies: dict[str, int], blocks: int) -> Callable[[str], float]:
    """An IDF weight for stems from their block frequencies."""
    return lambda s: math.log(1 + blocks / (1 + frequencies.get(s, 0)))


def sentence_windows(text: str) -> list[str]:
    """The passage's sentences, alone and in consecutive pairs.

    >>> sentence_windows("One. Two? Three.")
    ['One.', 'Two?', 'Three.', 'One. Two?', 'Two? Three.']
    """
    sentences = split_sentences(text)
    pairs = [f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False)]
    return sentences + pairs


def semantic_scores(quote: str, passages: list[str]) -> list[float]:
    """Best cosine between the quotation and any sentence window of each passage ([] if the
    model is not installed).

    Only the SEMANTIC_WINDOWS windows sharing the most words with the quotation are embedded
    (the model's cost grows with every window, about 10 ms each here); the others score 0.
    """
    model = embedder()
    if model is None or not passages:
        return []
    windows = [sentence_windows(passage) or [passage] for passage in passages]
    flat = [window for group in windows for window in group]
    chosen = _most_shared(quote, flat, SEMANTIC_WINDOWS)
    vectors = model.embed([quote, *(flat[i] for i in chosen)])
    cosines = [0.0] * len(flat)
    for row, index in enumerate(chosen, 1):
        cosines[index] = float(vectors[row] @ vectors[0])
    scores, cursor = [], 0
    for group in windows:
        scores.append(max(cosines[cursor:cursor + len(group)]))
        cursor += len(group)
    return scores


def _most_shared(quote: str, windows: list[str], most: int) -> list[int]:
    """Indexes of the windows sharing the most content words with the quotation, in order.

    >>> _most_shared("the sons were shot", ["Rain fell.", "His sons were shot.", "Sons."], 2)
    [1, 2]
    """
    wanted = _content_words(quote)
    shared = [len(wanted & _content_words(window)) for window in windows]
    best = sorted(range(len(windows)), key=lambda i: -shared[i])[:most]
    return sorted(best)


def _content_words(text: str) -> set[str]:
    return set(text_stems(text, content=True))
