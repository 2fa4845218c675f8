"""The ``dp_ngram`` generator: an (epsilon, delta)-DP release of per-label n-gram histograms, then Markov sampling.

Privacy accounting. **Neighbouring relation: add or remove one record** (``neighbouring = "add_remove"``);
**privacy unit: one record** (``privacy_unit = "record"``; an author with several records gets the group-privacy
epsilon). The label set is public, as the task definition is: it comes from the dataset's declaration
(``labels``, passed by the runner); a fit without it raises ``ConfigError`` (the labels of the private records are
never used as a fallback), and a train record whose label is outside it raises ``DataError``.

1. **Contribution bounding.** Each record keeps at most ``max_ngrams_per_record`` (k) of its *distinct* padded
   n-grams, drawn uniformly with the seed. A record then adds 1 to at most k cells (label, n-gram) of the
   histogram, so the histogram's L1 sensitivity is k.
2. **Label counts** (``epsilon_labels = LABEL_SHARE * epsilon``): Laplace(1 / epsilon_labels) noise on the count of
   every label of the public label set, zero counts included: sensitivity 1, pure epsilon_labels-DP. Every public
   label is in the release: a label with no record gets a noisy prior like any other and an empty histogram
   (sampling then uses the pooled tables, post-processing), so the release does not show which labels occur.
3. **N-gram counts** (``epsilon_ngrams = epsilon - epsilon_labels``): Laplace(b) with b = k / epsilon_ngrams on every
   cell present in the data, and only cells whose noisy count exceeds tau = 1 + b * ln(k / (2 delta)) are released
   (stability-based histogram: Korolova et al. 2009; Wilson et al. 2020, "Differentially private SQL with bounded
   user contribution"). Cells present in both neighbours get epsilon_ngrams-DP from the Laplace mechanism; the at
   most k cells that exist only because of the added record have count 1 and each passes tau with probability
   exp(-(tau - 1) / b) / 2 = delta / k, so together with probability at most delta.
4. **Composition.** Sequential composition of (2) and (3): (epsilon_labels + epsilon_ngrams, delta) =
   (``epsilon``, ``delta``). Backoff tables are marginals of the released histogram and sampling uses only
   released values: post-processing, no further cost.

Nothing else is data-dependent: the released cells of each label are sorted by n-gram (not kept in the order the
records happen to list them). ``seed=None`` (a real release) draws every random choice from OS entropy
(``np.random.default_rng(None)``); a given seed makes the fit deterministic (benchmark cells), no protection.

Caveat: noise comes from numpy's floating-point Laplace sampler (not a snapping / discrete mechanism), as in
most research code.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench.base import Generator, check_epsilon
from mhprivbench.generators.markov import (
    MarkovScoring,
    NGram,
    padded_ngrams,
    sample_records,
    tables_per_label,
)
from mhprivbench.public_labels import check_record_labels, public_label_set
from mhprivbench.registry import register
from mhprivbench.types import Record
from mhprivbench.validation import check_int, check_open_unit

LABEL_SHARE = 0.1  # share of epsilon spent on the label counts


@register("generator", "dp_ngram")
@dataclass
class DPNGramGenerator(MarkovScoring, Generator):
    """Differentially private class-conditional n-gram generator (see the module docstring for the accounting).
    ``log_prob`` / ``next_log_probs`` (``MarkovScoring``) read only the released tables: post-processing."""

    neighbouring: ClassVar[str] = "add_remove"
    privacy_unit: ClassVar[str] = "record"

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

    def fit(self, records: Sequence[Record], *, seed: int | None = None,
            labels: Sequence[str] | None = None) -> DPNGramGenerator:
        """Release noisy priors and thresholded noisy histograms for every public label (module docstring).

        ``seed=None`` draws the noise from OS entropy; ``labels`` is the public label set (required).
        """
        public = public_label_set(labels, mechanism="dp_ngram")
        if not records:
            raise ValueError("cannot fit a generator on zero records")
        check_record_labels(records, public, mechanism="dp_ngram")
        rng = np.random.default_rng(seed)
        self.priors_ = self._noisy_priors(records, public, rng)
        counts = self._bounded_counts(records, rng)
        self.released_ = {label: self._noisy_cells(counts.get(label, Counter()), rng) for label in public}
        self.tables_ = tables_per_label(self.released_, self.order)
        self.epsilon_, self.delta_ = float(self.epsilon), float(self.delta)
        return self

    def _noisy_cells(self, counts: Counter[NGram], rng: np.random.Generator) -> dict[NGram, float]:
        """Laplace noise on every present cell, sorted by n-gram; keep those above tau (empty when no record)."""
        cells = sorted(counts.items())
        noise = rng.laplace(0.0, self.noise_scale, size=len(cells))
        tau = self.threshold
        return {g: c + z for (g, c), z in zip(cells, noise, strict=True) if c + z > tau}

    def release_size(self, n_train: int) -> int:
        """The noisy total of the released label counts (DP), not the exact train size."""
        return max(1, round(sum(self.priors_.values())))

    def sample(self, n: int, *, seed: int) -> list[Record]:
        return sample_records(self.priors_, self.tables_, n, seed=seed, max_words=self.max_words)
