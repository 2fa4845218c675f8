"""Exposure arithmetic for ``canary_exposure`` (Carlini et al. 2019, "The Secret Sharer").

A secret is ``n_digits`` decimal digits written as one-digit tokens separated by spaces ("4 8 1 5 9 2"); the
candidate space R holds all 10^n_digits such strings, candidate i being i zero-padded (first digit most
significant). Exposure of a secret = log2 |R| - log2 rank, rank being 1-based among all candidates ordered by the
attacker's score, ties broken uniformly at random (so a score that ignores the secret gives a uniform rank).
Its chance level, the expectation under a uniform rank, is log2 |R| - log2(|R|!) / |R| (about 1/ln 2 = 1.44 bits
for a large space).

Two scorers:

- **likelihood** (white box): log P(secret | prefix, label) under a generator that exposes
  ``next_log_probs(history, label)`` (and ``tokenize``, optionally ``context_size``: the distribution depends on
  the last ``context_size`` tokens only; None: on the whole history). All 10^n candidates are scored level by
  level: a node's children reuse one ``next_log_probs`` call per distinct state (its last ``context_size`` digits),
  and nodes of probability 0 are not expanded. A generator whose every step depends on the whole history (a
  transformer: 111,111 nodes for 6 digits) may instead offer ``next_log_probs_tree(prefix, label, tokens,
  depth)``: the tables of all levels in one batched pass (``tiny_lm`` feeds each node once on its parent's
  key/value cache).
- **extraction** (black box): how many sampled texts contain the candidate as ``n_digits`` consecutive one-digit
  tokens (``_text.tokens``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from mhprivbench.attacks._text import tokens

DIGITS = tuple("0123456789")
DECIMALS = 9  # log-probabilities are rounded before ranking: sums in another order are ties, not wins


def chance_exposure(n_candidates: int) -> float:
    """E[log2 N - log2 rank] for a uniform rank on 1..N: log2 N - log2(N!) / N."""
    if n_candidates < 1:
        raise ValueError(f"need at least one candidate, got {n_candidates}")
    return math.log2(n_candidates) - math.lgamma(n_candidates + 1) / (n_candidates * math.log(2))


def exposure(rank: int, n_candidates: int) -> float:
    """log2 N - log2 rank (rank 1-based)."""
    if not 1 <= rank <= n_candidates:
        raise ValueError(f"rank must be in 1..{n_candidates}, got {rank}")
    return math.log2(n_candidates) - math.log2(rank)


def rank_of(scores: np.ndarray, index: int, rng: np.random.Generator) -> int:
    """1-based rank of ``scores[index]`` (higher = more likely), ties broken uniformly at random."""
    own = scores[index]
    higher = int(np.count_nonzero(scores > own))
    ties = int(np.count_nonzero(scores == own)) - 1
    return 1 + higher + int(rng.integers(0, ties + 1))


def secret_text(value: int, n_digits: int) -> str:
    """Candidate ``value`` as written in a canary: "0 4 2" for 42 with 3 digits."""
    return " ".join(f"{value:0{n_digits}d}")


def _digits(value: int, width: int) -> list[str]:
    return list(f"{value:0{width}d}") if width else []


def secret_log_probs(model: Any, prefix: Sequence[str], label: str, n_digits: int) -> np.ndarray:
    """log P(candidate | prefix tokens, label) for all 10^n_digits candidates (index = candidate's value)."""
    if callable(getattr(model, "next_log_probs_tree", None)):
        return _tree_log_probs(model, prefix, label, n_digits)
    context = getattr(model, "context_size", None)
    logp = np.zeros(1)
    for level in range(n_digits):
        state_digits = level if context is None else min(context, level)
        width = 10 ** state_digits
        node_state = np.arange(len(logp)) % width
        table = np.full((width, len(DIGITS)), -np.inf)
        for state in np.unique(node_state[np.isfinite(logp)]):
            found = model.next_log_probs([*prefix, *_digits(int(state), state_digits)], label)
            table[state] = [found.get(d, -np.inf) for d in DIGITS]
        logp = (logp[:, None] + table[node_state]).ravel()
    return np.round(logp, DECIMALS)


def _tree_log_probs(model: Any, prefix: Sequence[str], label: str, n_digits: int) -> np.ndarray:
    """The same sums from the model's batched tables: ``next_log_probs_tree(prefix, label, DIGITS, n_digits)``
    gives, per level k, the next-digit log-probabilities after every k-digit node (shape (10^k, 10))."""
    logp = np.zeros(1)
    for table in model.next_log_probs_tree(list(prefix), label, DIGITS, n_digits):
        logp = (logp[:, None] + np.asarray(table, dtype=float)).ravel()
    return np.round(logp, DECIMALS)


def scores_likelihood(model: Any) -> bool:
    """Whether ``model`` offers what the likelihood scorer needs and writes a secret as one-digit tokens."""
    if not (callable(getattr(model, "next_log_probs", None)) and callable(getattr(model, "tokenize", None))):
        return False
    return list(model.tokenize(secret_text(1234567890, 10))) == list("1234567890")


def sampled_counts(texts: Iterable[str], n_digits: int) -> Counter[str]:
    """Per candidate (its digit string), the number of texts holding it as consecutive one-digit tokens."""
    counts: Counter[str] = Counter()
    for text in texts:
        toks = tokens(text)
        single = [len(t) == 1 and t.isdigit() for t in toks]
        found = {"".join(toks[i:i + n_digits]) for i in range(len(toks) - n_digits + 1)
                 if all(single[i:i + n_digits])}
        counts.update(found)
    return counts


def rank_by_counts(counts: Counter[str], secret: str, n_candidates: int, rng: np.random.Generator) -> int:
    """1-based rank of ``secret`` by sampled count among all candidates (absent ones count 0), random ties."""
    own = counts.get(secret, 0)
    values = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    higher = int(np.count_nonzero(values > own))
    ties = int(np.count_nonzero(values == own)) if own > 0 else n_candidates - len(counts)
    return 1 + higher + int(rng.integers(0, ties))
