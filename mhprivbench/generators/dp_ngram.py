"""The ``dp_ngram`` generator: an (epsilon, delta)-DP release of per-label n-gram histograms, then Markov sampling.

Privacy accounting (neighbouring datasets differ by adding or removing one record; the label set is public, as
the task definition is):

1. **Contribution bounding.** Each record keeps at most ``max_ngrams_per_record`` (k) of its *distinct* padded
   n-grams, drawn uniformly with the seed. A record then adds 1 to at most k cells (label, n-gram) of the
   histogram, so the histogram's L1 sensitivity is k.
2. **Label counts** (``epsilon_labels = LABEL_SHARE * epsilon``): Laplace(1 / epsilon_labels) noise on the count of
   every label of the (public) label set: sensitivity 1, pure epsilon_labels-DP.
3. **N-gram counts** (``epsilon_ngrams = epsilon - epsilon_labels``): Laplace(b) with b = k / epsilon_ngrams on every
   cell present in the data, and only cells whose noisy count exceeds tau = 1 + b * ln(k / (2 delta)) are released
   (stability-based histogram: Korolova et al. 2009; Wilson et al. 2020, "Differentially private SQL with bounded
   user contribution"). Cells present in both neighbours get epsilon_ngrams-DP from the Laplace mechanism; the at
   most k cells that exist only because of the added record have count 1 and each passes tau with probability
   exp(-(tau - 1) / b) / 2 = delta / k, so together with probability at most delta.
4. **Composition.** Sequential composition of (2) and (3): (epsilon_labels + epsilon_ngrams, delta) =
   (``epsilon``, ``delta``). Backoff tables are marginals of the released histogram and sampling uses only
   released values: post-processing, no further cost.

Caveat: noise comes from numpy's floating-point Laplace sampler (not a snapping / discrete mechanism), as in
most research code.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mhprivbench.base import Generator, check_epsilon
from mhprivbench.generators.markov import NGram, padded_ngrams, sample_records, tables_per_label
from mhprivbench.registry import register
from mhprivbench.types import Record
from mhprivbench.validation import check_int, check_open_unit

LABEL_SHARE = 0.1  # share of epsilon spent on the label counts


@register("generator", "dp_ngram")
@dataclass
class DPNGramGenerator(Generator):
    """Differentially private class-conditional n-gram generator (see the module docstring for the accounting)."""

    epsilon: float | None = None  # required; None only so that a missing value gets a clear ConfigError
    delta: float = 1e-5
    order: int = 2
    max_ngrams_per_record: int = 20
    max_words: int = 120

    def __post_init__(self) -> None:
        check_epsilon(self.epsilon)
        check_open_unit("delta", self.delta)
        check_int("order", self.order, 1)
        check_int("max_ngrams_per_record", self.max_ngrams_per_record, 1)
        check_int("max_words", self.max_words, 1)

    @property
    def threshold(self) -> float:
        """tau: a cell is released only when its noisy count exceeds it."""
        k = self.max_ngrams_per_record
        return 1.0 + self.noise_scale * math.log(k / (2.0 * self.delta))

    @property
    def noise_scale(self) -> float:
        return self.max_ngrams_per_record / (self.epsilon * (1.0 - LABEL_SHARE))

    def _bounded_counts(self, records: Sequence[Record], rng: np.random.Generator) -> dict[str, Counter[NGram]]:
        k = self.max_ngrams_per_record
        counts: dict[str, Counter[NGram]] = {}
        for record in records:
            distinct = list(dict.fromkeys(padded_ngrams(record.text, self.order)))
            if len(distinct) > k:
                distinct = [distinct[i] for i in sorted(rng.choice(len(distinct), size=k, replace=False))]
            counts.setdefault(record.label, Counter()).update(distinct)
        return counts

    def _noisy_priors(self, records: Sequence[Record], labels: list[str], rng: np.random.Generator) -> dict:
        exact = Counter(r.label for r in records)
        scale = 1.0 / (self.epsilon * LABEL_SHARE)
        noisy = {label: exact[label] + rng.laplace(0.0, scale) for label in labels}
        return {label: max(value, 0.0) for label, value in noisy.items()}

    def fit(self, records: Sequence[Record], *, seed: int = 0, labels: Sequence[str] | None = None) -> DPNGramGenerator:
        if not records:
            raise ValueError("cannot fit a generator on zero records")
        rng = np.random.default_rng(seed)
        # The label set must be public (the task definition, passed by the runner); falling back to the labels of
        # the private records is only for direct use, and then reveals which labels occur.
        labels = sorted(set(labels) if labels is not None else {r.label for r in records})
        self.priors_ = self._noisy_priors(records, labels, rng)
        counts = self._bounded_counts(records, rng)
        tau, scale = self.threshold, self.noise_scale
        self.released_: dict[str, dict[NGram, float]] = {}
        for label in labels:
            cells = list(counts.get(label, {}).items())
            noise = rng.laplace(0.0, scale, size=len(cells))
            self.released_[label] = {g: c + z for (g, c), z in zip(cells, noise, strict=True) if c + z > tau}
        self.tables_ = tables_per_label(self.released_, self.order)
        self.epsilon_, self.delta_ = float(self.epsilon), float(self.delta)
        return self

    def release_size(self, n_train: int) -> int:
        """The noisy total of the released label counts (DP), not the exact train size."""
        return max(1, round(sum(self.priors_.values())))

    def sample(self, n: int, *, seed: int) -> list[Record]:
        return sample_records(self.priors_, self.tables_, n, seed=seed, max_words=self.max_words)
