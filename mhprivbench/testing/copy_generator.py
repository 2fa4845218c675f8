"""Control generators for the attacks on synthetic text (test doubles, registered only when ``mhprivbench.testing``
is imported, never part of a benchmark suite).

- ``copy_generator`` (positive control): "generates" its train records themselves, every text and label verbatim
  (new uids, no author or fields). It exposes the likelihood of its empirical distribution (``next_log_probs``:
  the share of its train texts of the label that continue a history with each token), so ``canary_exposure``
  ranks a canary's secret among the train texts' own. Memorization, DCR membership inference and canary exposure
  must all flag it.
- ``ctrl_public_generator`` (negative control): ignores its input and fits the ``ngram`` generator on an
  independently generated synthmh corpus (``public_seed``). It writes the language of the task but nothing of the
  members (nor of any canary), so the same attacks must score it near their baselines. Meant for synthmh splits.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mhprivbench.base import Generator
from mhprivbench.generators.markov import EOS, tokenize
from mhprivbench.generators.ngram import NGramGenerator
from mhprivbench.registry import register
from mhprivbench.types import Record


@register("generator", "copy_generator")
@dataclass
class CopyGenerator(Generator):
    """Releases the train records verbatim (``sample(n)``: the first n of them in train order, then a seeded
    draw with replacement when n exceeds train)."""

    context_size = None  # the next-token distribution depends on the whole history

    def fit(self, records: Sequence[Record], *, seed: int | None = 0,
            labels: Sequence[str] | None = None) -> CopyGenerator:
        if not records:
            raise ValueError("cannot fit a generator on zero records")
        self.records_ = tuple(records)
        self.tokens_: dict[str, list[list[str]]] = {}
        for record in records:
            self.tokens_.setdefault(record.label, []).append(tokenize(record.text))
        return self

    def sample(self, n: int, *, seed: int) -> list[Record]:
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        picked = list(self.records_[:n])
        if n > len(picked):
            extra = np.random.default_rng(seed).integers(0, len(self.records_), size=n - len(picked))
            picked += [self.records_[i] for i in extra]
        return [Record(uid=f"synth-{i}", text=r.text, label=r.label) for i, r in enumerate(picked)]

    def tokenize(self, text: str) -> list[str]:
        return tokenize(text)

    def next_log_probs(self, history: Sequence[str], label: str) -> dict[str, float]:
        """{token: log share of the label's train texts starting with ``history`` that continue with it}."""
        history = list(history)
        k = len(history)
        nexts = Counter(toks[k] if len(toks) > k else EOS
                        for toks in self.tokens_.get(label, ()) if toks[:k] == history)
        total = sum(nexts.values())
        return {token: math.log(count / total) for token, count in nexts.items()}


@register("generator", "ctrl_public_generator")
@dataclass
class PublicGenerator(NGramGenerator):
    """An ``ngram`` generator fitted on a public synthmh corpus, whatever records it is given."""

    public_seed: int = 987_654  # seed of the public synthmh corpus
    n_personas: int = 80  # its size

    def fit(self, records: Sequence[Record], *, seed: int | None = 0,
            labels: Sequence[str] | None = None) -> PublicGenerator:
        public = _public_records(self.public_seed, self.n_personas)
        super().fit(public, seed=seed or 0, labels=labels)
        return self


@functools.lru_cache(maxsize=4)
def _public_records(public_seed: int, n_personas: int) -> tuple[Record, ...]:
    from mhprivbench import load_dataset

    return tuple(load_dataset("synthmh", n_personas=n_personas, seed=public_seed).records)
