"""Shared pieces of the embedding-head DP trainers (``dpsgd``, ``dp_fedavg``).

- ``features``: the frozen, pretrained MiniLM sentence embeddings (``mhprivbench.embeddings.embed``). The weights
  are public and fixed, so features computed with them are data-independent per record and cost no privacy
  budget. Imported lazily (tests replace this function with a cheap featurizer).
- ``EmbeddingHead``: the released model. It holds the head's weights as numpy arrays and the public classes,
  nothing else (no optimizer state, no accountant, no sample counts); ``predict_proba`` is a numpy softmax and
  needs neither torch nor opacus.
- torch helpers (imported lazily inside functions: ``import mhprivbench`` must not import torch).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

MAX_LOGIT_GAP = 700.0  # exp(-700) > 0 in float64: every class keeps a probability > 0
FEATURES = ("minilm", "hash", "minilm+hash", "words")
N_HASH = 2**12  # hashed word 1-2 grams / hashed words (data-independent, like dp_logreg's)


def features(texts: Sequence[str]) -> np.ndarray:
    """Frozen MiniLM embeddings, float32 (n, 384) with unit-norm rows (public pretrained weights)."""
    from mhprivbench.embeddings import embed

    return np.asarray(embed(list(texts)), dtype=np.float32)


def featurize(texts: Sequence[str], kind: str) -> np.ndarray:
    """Data-independent features with L2 norm <= 1 per row: ``"minilm"`` (frozen embeddings), ``"hash"``
    (hashed word 1-2 grams, ``N_HASH`` columns, no vocabulary learned), ``"minilm+hash"`` (both, each scaled by
    1/sqrt(2)) or ``"words"`` (which non-stop-words occur, hashed: ``features.word_features``). None of them costs
    privacy budget."""
    if kind not in FEATURES:
        raise ValueError(f"features must be one of {FEATURES}, got {kind!r}")
    if kind == "words":
        from mhprivbench.features import word_features

        return word_features(texts, n_features=N_HASH).toarray().astype(np.float32)
    parts = []
    if kind in ("minilm", "minilm+hash"):
        parts.append(np.asarray(features(texts), dtype=np.float32))
    if kind in ("hash", "minilm+hash"):
        from mhprivbench.features import hash_features

        parts.append(hash_features(texts, n_features=N_HASH).toarray().astype(np.float32))
    return parts[0] if len(parts) == 1 else np.hstack(parts) / np.float32(np.sqrt(2.0))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row softmax with every entry > 0 (logit gaps clipped at ``MAX_LOGIT_GAP``)."""
    shifted = np.maximum(logits - logits.max(axis=1, keepdims=True), -MAX_LOGIT_GAP)
    scores = np.exp(shifted)
    return scores / scores.sum(axis=1, keepdims=True)


@dataclass
class EmbeddingHead:
    """A released classifier over the frozen embeddings: linear layers (ReLU between them) and the classes.

    ``weights[i]`` has shape (out, in) and ``biases[i]`` (out,), as in ``torch.nn.Linear``; the last layer has
    one output per public class, in ``classes_`` order. ``features`` names the public featurizer (a parameter of
    the trainer, not learned).
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    classes_: list[str]
    features: str = "minilm"

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Logits, shape (len(texts), len(classes_))."""
        hidden = np.asarray(featurize(texts, self.features), dtype=np.float64)
        for index, (weight, bias) in enumerate(zip(self.weights, self.biases, strict=True)):
            hidden = hidden @ weight.T + bias
            if index < len(self.weights) - 1:
                hidden = np.maximum(hidden, 0.0)
        return hidden

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return softmax(self.decision_function(texts))

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.classes_[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def exposed_strings(self) -> frozenset[str]:
        """The model stores no strings (only weights over public-model embeddings)."""
        return frozenset()


def head_from_state(state: dict, classes: Sequence[str], kind: str) -> EmbeddingHead:
    """An ``EmbeddingHead`` from a ``torch.nn.Sequential`` state dict of Linear layers (keys ``"<i>.weight"``)."""
    indices = sorted({int(key.split(".")[0]) for key in state})
    weights = [state[f"{i}.weight"].detach().cpu().numpy().astype(np.float64) for i in indices]
    biases = [state[f"{i}.bias"].detach().cpu().numpy().astype(np.float64) for i in indices]
    return EmbeddingHead(weights=weights, biases=biases, classes_=list(classes), features=kind)


def build_head(n_in: int, hidden: int, n_out: int):
    """``torch.nn.Sequential``: Linear (hidden = 0), else Linear-ReLU-Linear."""
    import torch

    if hidden == 0:
        return torch.nn.Sequential(torch.nn.Linear(n_in, n_out))
    return torch.nn.Sequential(torch.nn.Linear(n_in, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, n_out))


@contextlib.contextmanager
def torch_session(seed: int | None) -> Iterator[None]:
    """One torch thread and a private global RNG state for the duration (both restored afterwards).

    The global torch generator drives weight initialization, opacus's Poisson sampling and its Gaussian noise. It
    is seeded with ``seed`` (reduced mod 2**64) or, for ``seed=None`` (a real release), with 64 bits from the OS
    (``secrets``). This is torch's Mersenne Twister, not a cryptographic generator: opacus's ``secure_mode``
    needs ``torchcsprng``, which is not available for torch 2.13.
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(secrets.randbits(64) if seed is None else int(seed) % 2**64)
            yield
    finally:
        torch.set_num_threads(threads)
