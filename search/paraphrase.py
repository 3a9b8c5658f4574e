"""Paraphrase detection: does a passage say what the quotation says, in other words?

A paraphrase shares the meaning, not the run of wording. The test has two halves. Meaning: a
sentence, or two consecutive sentences, of the passage is close to the quotation by
all-MiniLM-L6-v2 embeddings (`embed.py`). Facts: embeddings rate topic and wording, not
truth, so the passage must also keep the quotation's numbers, dates and names, its polarity,
its agent and the direction of what was done (`facts.py`). A passage that is close but fails
the fact check is not a paraphrase; it is reported as the closest passage, with the reasons.

Cost: the model is the expensive part (about 0.4 ms a word-piece here), so only the few
windows sharing most rare words with the quotation are embedded, each once per process.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable

from . import facts
from .analyse import STOP_WORDS, fold, stem, text_stems
from .embed import Embedder, shared_embedder
from .frozen import frozen_dataclass
from .quotation import Quotation
from .sentences import split_sentences

SEMANTIC_MIN_COSINE = 0.72  # closeness of meaning a paraphrase needs (see tests/kjv)
ANCHORED_MIN_COSINE = 0.62  # ... when the window also states the quotation's dates and numbers
CLOSEST_MIN_COSINE = 0.6  # a passage this close is worth showing as the closest
LEXICAL_MIN_OVERLAP = 0.8  # without the model: nearly all rare words shared (and facts kept)
SEMANTIC_WINDOWS = 4  # windows embedded per quotation, of those passing the fact check
PRESELECTED_WINDOWS = 12  # windows fact-checked per quotation, by shared rare words
PAIR_WINDOWS_FROM_WORDS = 25  # quotations this long may paraphrase two sentences at once
CACHED_VECTORS = 4096
EMBED_ROUND = 2  # windows embedded at a time, best first
CONFIDENT_COSINE = 0.8  # a window this close ends the search
HOPELESS_COSINE = 0.55  # if the best first windows are this far, the rest will not be closer

_vectors: OrderedDict[str, object] = OrderedDict()


@frozen_dataclass
class Candidate:
    """A passage that may paraphrase the quotation: its best window and what the check found."""

    passage: int  # index into the passages given
    score: float  # cosine of the best window (or lexical overlap without the model)
    window: str
    conflicts: tuple[str, ...]  # facts the passage does not share with the quotation
    anchored: bool = False  # the window itself states every date and number of the quotation

    @property
    def paraphrases(self) -> bool:
        """True when the passage says what the quotation says: close enough in meaning (less
        close needed when the same dates and numbers anchor it) and no fact contradicted."""
        if self.conflicts:
            return False
        if embedder() is None:
            return self.score >= LEXICAL_MIN_OVERLAP
        return self.score >= (ANCHORED_MIN_COSINE if self.anchored else SEMANTIC_MIN_COSINE)


def embedder() -> Embedder | None:
    """The sentence embedder, loaded once; None when numpy or the model is not installed."""
    return shared_embedder()


def content_stems(quote: Quotation) -> set[str]:
    """The stems of the quotation's content words."""
    return {stem(fold(token.key)) for token in quote.tokens if token.key not in STOP_WORDS}


def rarity(frequencies: dict[str, int], blocks: int) -> Callable[[str], float]:
    """An IDF weight for stems from their block frequencies."""
    return lambda s: math.log(1 + blocks / (1 + frequencies.get(s, 0)))


def sentence_windows(text: str, pairs: bool = True) -> list[str]:
    """The passage's sentences, alone and (with pairs) in consecutive pairs.

    >>> sentence_windows("One. Two? Three.")
    ['One.', 'Two?', 'Three.', 'One. Two?', 'Two? Three.']
    """
    sentences = split_sentences(text)
    if not pairs:
        return sentences
    return sentences + [f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False)]


def candidates(quote: Quotation, passages: list[str],
               weight: Callable[[str], float]) -> list[Candidate]:
    """Judge each passage that may paraphrase the quotation, closest first.

    The windows sharing most rare words with the quotation are fact-checked first (cheap);
    only those that pass are embedded (dear), at most SEMANTIC_WINDOWS of them. The best
    window that fails is kept too, scored by its shared words, to be shown as the closest.
    Without the model, a passage must share nearly all the quotation's rare words.
    """
    content = content_stems(quote)
    windows = _windows(quote, passages)
    shared = [_overlap(content, window, weight) for _, window in windows]
    ranked = sorted(range(len(windows)), key=lambda i: -shared[i])[:PRESELECTED_WINDOWS]
    said = facts.read_facts(quote.text)
    context = {passage: facts.read_facts(passages[passage])
               for passage in {windows[i][0] for i in ranked}}
    judged = {}
    for index in ranked:
        passage, window = windows[index]
        printed = facts.read_facts(window)
        judged[index] = (tuple(facts.conflicts(said, printed, context[passage])),
                         bool(said.numbers) and said.numbers <= printed.numbers)
    clean = [i for i in ranked if not judged[i][0]][:SEMANTIC_WINDOWS]
    model = embedder()
    texts = [windows[i][1] for i in clean]
    cosines = _cosines(model, quote.text, texts) if model is not None and clean else \
        [shared[i] for i in clean]
    scores = dict(zip(clean, cosines, strict=True))
    failed = [i for i in ranked if judged[i][0]]
    if failed:
        scores[failed[0]] = shared[failed[0]]
    best: dict[int, Candidate] = {}
    for index, score in scores.items():
        passage, window = windows[index]
        if passage not in best or best[passage].score < score:
            best[passage] = Candidate(passage, round(score, 4), window, *judged[index])
    return sorted(best.values(), key=lambda c: -c.score)


def _windows(quote: Quotation, passages: list[str]) -> list[tuple[int, str]]:
    pairs = len(quote.tokens) >= PAIR_WINDOWS_FROM_WORDS
    return [(number, window) for number, passage in enumerate(passages)
            for window in (sentence_windows(passage, pairs) or [passage])]


def _overlap(content: set[str], window: str, weight: Callable[[str], float]) -> float:
    present = _content_words(window)
    total = sum(weight(s) for s in content)
    return sum(weight(s) for s in content & present) / total if total else 0.0


def _cosines(model: Embedder, quote: str, windows: list[str]) -> list[float]:
    """Cosine of each window with the quotation, best-first windows embedded a pair at a time:
    once one is clearly a paraphrase, or the first pair is far from the quotation, the rest
    are left (scored 0). Vectors are kept for the next quotation (a batch revisits passages)."""
    cosines: list[float] = []
    for first in range(0, len(windows), EMBED_ROUND):
        cosines += [float(vector @ _vector(model, quote))  # type: ignore[operator]
                    for vector in (_vector(model, w) for w in windows[first:first + EMBED_ROUND])]
        if max(cosines) >= CONFIDENT_COSINE or max(cosines) < HOPELESS_COSINE:
            break
    return cosines + [0.0] * (len(windows) - len(cosines))


def _vector(model: Embedder, text: str) -> object:
    """The text's vector, embedded alone (no padding to a longer text's length) and cached."""
    if text not in _vectors:
        _vectors[text] = model.embed([text])[0]
        while len(_vectors) > CACHED_VECTORS:
            _vectors.popitem(last=False)
    _vectors.move_to_end(text)
    return _vectors[text]


def _content_words(text: str) -> set[str]:
    return set(text_stems(text, content=True))
