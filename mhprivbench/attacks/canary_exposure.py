"""canary_exposure: exposure of secrets inserted into train (Carlini et al. 2019, "The Secret Sharer").

The attack builds ``n_canaries`` canary records from its own seeded generator, never from data: the text is
``prefix`` followed by a random secret of ``n_digits`` digits written as one-digit tokens ("my case number is
4 8 1 5 9 2"), each canary with a public label (round robin from a seeded offset) and an author of its own, and
inserted ``repeats`` times. The mechanism is retrained on train + canaries through ``retrain`` (the runner's:
same mechanism, same seed stream), and each secret is ranked among all |R| = 10^n_digits candidates
(default 10^6: exposure ranges from 0 to log2 |R| = 19.93 bits, ``_exposure``):

- ``synth.canary_exposure``: mean exposure over canaries, percentile-bootstrap interval over canaries; baseline
  = chance, the expected exposure of a uniformly random rank (1.4427 bits at 10^6 candidates:
  log2 |R| - log2(|R|!) / |R|). Candidates are ranked by the retrained generator's likelihood
  log P(secret | prefix, label) when it exposes one (``next_log_probs``: ngram, dp_ngram; tiny_lm through the
  batched ``next_log_probs_tree``; white box, as in the paper), otherwise by how many of its released records contain the candidate.
- ``synth.canary_extraction``: share of canaries whose secret appears in the retrained release's records (Wilson
  interval); baseline = the share of the other candidates (no canary's secret) present there: what secrets the
  mechanism never saw score.

Without ``retrain`` (e.g. ``Evaluator.evaluate`` called without it) the attack reports nothing and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks import _exposure as ex
from mhprivbench.base import Attack
from mhprivbench.errors import ConfigError
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.validation import check_int

NEEDS_RETRAIN = "needs retrain: pass retrain= to Evaluator.evaluate (the runner always does)"
MAX_DIGITS = 7  # 10^7 candidate log-probabilities (80 MB) per label at most


@dataclass(frozen=True)
class Canary:
    value: int  # the secret, as an integer in [0, 10^n_digits)
    label: str
    text: str


def make_canaries(rng: np.random.Generator, labels: Sequence[str], *, n_canaries: int, n_digits: int,
                  prefix: str) -> list[Canary]:
    """Distinct random secrets, labels round robin from a random offset (nothing comes from the data)."""
    values = rng.choice(10 ** n_digits, size=n_canaries, replace=False)
    offset = int(rng.integers(len(labels)))
    return [Canary(int(v), labels[(offset + i) % len(labels)], f"{prefix} {ex.secret_text(int(v), n_digits)}")
            for i, v in enumerate(values)]


def canary_records(canaries: Sequence[Canary], repeats: int) -> list[Record]:
    return [Record(uid=f"canary-{i}-{r}", text=c.text, label=c.label, author=f"canary-author-{i}")
            for i, c in enumerate(canaries) for r in range(repeats)]


@register("attack", "canary_exposure")
@dataclass
class CanaryExposure(Attack):
    """Carlini et al.'s exposure (bits) of random secrets inserted into train, in the mechanism retrained on them."""

    n_canaries: int = 32  # canaries, each with its own random secret and author
    repeats: int = 5  # copies of each canary inserted into train
    n_digits: int = 6  # digits of a secret: 10^n_digits candidates (at most 7)
    prefix: str = "my case number is"  # the text before each secret (no digits)
    n_bootstrap: int = 500  # bootstrap resamples (over canaries) of the mean exposure

    applies_to: ClassVar[frozenset[str]] = frozenset({"records"})

    def __post_init__(self) -> None:
        check_int("n_canaries", self.n_canaries, 1)
        check_int("repeats", self.repeats, 1)
        check_int("n_digits", self.n_digits, 1)
        check_int("n_bootstrap", self.n_bootstrap, 1)
        if self.n_digits > MAX_DIGITS:
            raise ConfigError(f"n_digits must be <= {MAX_DIGITS}, got {self.n_digits}")
        if self.n_canaries > 10 ** self.n_digits:
            raise ConfigError(f"n_canaries must be <= 10^n_digits = {10 ** self.n_digits}")
        if not isinstance(self.prefix, str) or any(ch.isdigit() for ch in self.prefix):
            raise ConfigError("prefix must be a string without digits")

    @property
    def n_candidates(self) -> int:
        return 10 ** self.n_digits

    def applies(self, release: Release, splits: Splits) -> bool:
        """Synthetic (unaligned) records of a mechanism that can be retrained on train."""
        return release.kind in self.applies_to and not release.aligned and bool(release.records) and bool(splits.train)

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain: Callable | None = None) -> dict[str, Score]:
        self.not_applicable_: dict[str, str] = {}
        if not self.applies(release, splits):
            return {}
        if retrain is None:
            self.not_applicable_["canary_exposure"] = NEEDS_RETRAIN
            return {}
        rng = np.random.default_rng(seed)
        labels = list(splits.labels) or sorted({r.label for r in splits.train})
        canaries = make_canaries(rng, labels, n_canaries=self.n_canaries, n_digits=self.n_digits, prefix=self.prefix)
        retrained = retrain([*splits.train, *canary_records(canaries, self.repeats)])
        texts = [r.text for r in retrained.records or ()]
        counts = ex.sampled_counts(texts, self.n_digits)
        if ex.scores_likelihood(retrained.generator):
            ranks = self._likelihood_ranks(retrained.generator, canaries, rng)
        else:
            ranks = [ex.rank_by_counts(counts, f"{c.value:0{self.n_digits}d}", self.n_candidates, rng)
                     for c in canaries]
        return {"synth.canary_exposure": self._exposure_score(ranks, seed),
                "synth.canary_extraction": self._extraction_score(canaries, counts)}

    def _likelihood_ranks(self, generator, canaries: Sequence[Canary], rng: np.random.Generator) -> list[int]:
        prefix = list(generator.tokenize(self.prefix))
        by_label: dict[str, np.ndarray] = {}
        ranks = []
        for canary in canaries:
            if canary.label not in by_label:
                by_label[canary.label] = ex.secret_log_probs(generator, prefix, canary.label, self.n_digits)
            ranks.append(ex.rank_of(by_label[canary.label], canary.value, rng))
        return ranks

    def _exposure_score(self, ranks: Sequence[int], seed: int) -> Score:
        values = np.array([ex.exposure(rank, self.n_candidates) for rank in ranks])
        low, high = stats.bootstrap_ci(np.mean, values, n_resamples=self.n_bootstrap, seed=seed)
        return stats.interval_score(float(values.mean()), low, high, higher_is_better=False,
                                    baseline=ex.chance_exposure(self.n_candidates), n=len(values))

    def _extraction_score(self, canaries: Sequence[Canary], counts) -> Score:
        found = sum(1 for c in canaries if counts.get(f"{c.value:0{self.n_digits}d}", 0) > 0)
        others = self.n_candidates - len(canaries)  # candidates that are no canary's secret
        chance = (len(counts) - found) / others if others else 0.0
        return stats.proportion_score(found, len(canaries), higher_is_better=False, baseline=chance)
