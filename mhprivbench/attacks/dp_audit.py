"""dp_audit: empirical lower bounds on a DP model release's epsilon, each with its ceiling.

Applies to model releases that declare an epsilon, when the evaluator passes ``retrain`` (the same mechanism on
other records; called as ``retrain(records, seed=s)``, or ``retrain(records)`` when it takes no seed). Both audits
train on a small seeded subset of train (``max_train`` records) plus canaries (``_canaries``), with the release's
declared delta and neighbouring relation; a canary is one privacy unit (a record of its own author, or the replaced
record's author), so the bounds compare directly with the declared epsilon at either privacy unit.

- **Multi-run** (Jagielski, Ullman and Oprea 2020): one worst-case canary (random tokens, the public label rarest in
  the subset); ``n_runs`` trainings on D' (with it) and ``n_runs`` on D (without), each run with its own mechanism
  seed; the score is the model's log-probability of the canary's label. Clopper-Pearson over the two samples
  (``multi_run_bound``: Bonferroni over the 3 pooled-score quartiles, the ``eps_audit`` rate bounds) gives
  ``dp.audit_eps_lower_bound``; ``dp.audit_eps_ceiling`` is the bound a perfectly separated sample of the same
  size would give (``eps_audit.eps_ceiling``). Runs must be independent: a retrain that takes no seed and repeats
  a score exactly is refused (``not_applicable_``).
- **One-run** (Steinke, Nasr and Jagielski 2023): ``m_canaries`` canaries (random tokens, random public labels),
  each included with probability 1/2 (replace-one: otherwise a filler canary of the same author takes its slot, so
  the training set size is fixed), one training run; guess "in" for the top half of ``n_guesses`` scores and "out"
  for the bottom half, abstain on the rest; ``eps_audit.one_run_eps_lower_bound`` of the v correct among the r
  guesses is ``dp.audit1_eps_lower_bound``; all r correct gives ``dp.audit1_eps_ceiling``.

Every figure is a one-sided bound already: its interval is the point, its baseline 0 (a release that reveals
nothing). ``dp.epsilon`` is the declared epsilon, reported exactly (interval = value) with baseline 0 so that it
sits beside the bounds. A bound above ``dp.epsilon`` is a bug in the mechanism or its accountant (1 - alpha
confidence); a ceiling below it means that audit cannot see at that epsilon.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import eps_audit
from mhprivbench.attacks import _canaries as canaries
from mhprivbench.attacks.mia_loss import true_label_log_proba
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Record, Release, Score, Splits
from mhprivbench.validation import check_int, check_open_unit

MULTI_RUN_LEVELS = (0.25, 0.5, 0.75)  # quartiles of the pooled scores: the thresholds of the multi-run audit


def bound_score(value: float, n: int | None) -> Score:
    """A one-sided bound (or the declared epsilon): interval = value, baseline 0, lower is better."""
    value = float(value)
    return Score(value=value, ci_low=value, ci_high=value, higher_is_better=False, baseline=0.0, n=n)


def _canary_score(retrain: Callable, records: Sequence[Record], probe: Record, seed: int) -> tuple[float, bool]:
    """log P(probe's label | probe's text) under the model retrained on ``records``; and whether seeded."""
    released, seeded = canaries.call_retrain(retrain, records, seed)
    if released.kind != "model" or released.model is None:
        raise TypeError(f"dp_audit needs a model release from retrain, got {released.kind!r}")
    return float(true_label_log_proba(released.model, [probe])[0]), seeded


def multi_run(retrain: Callable, base: list[Record], splits: Splits, release: Release, *, n_runs: int,
              alpha: float, rng: np.random.Generator) -> tuple[dict[str, Score], str | None]:
    """The multi-run audit (module docstring): its two scores, or none and the reason."""
    label = canaries.rarest_label(base, canaries.public_labels(splits), splits.crisis_label)
    probe = canaries.canary(rng, label, uid="dp_audit_canary", author="dp_audit_canary")
    with_probe = canaries.with_canary(base, probe, release.neighbouring, int(rng.integers(len(base))))
    first = int(rng.integers(2**30))
    inside, outside, seeded = [], [], True
    for run in range(n_runs):
        score_in, seeded_in = _canary_score(retrain, with_probe, probe, first + 2 * run)
        score_out, seeded_out = _canary_score(retrain, base, probe, first + 2 * run + 1)
        inside.append(score_in)
        outside.append(score_out)
        seeded = seeded and seeded_in and seeded_out
    if not seeded and (len(set(inside)) < n_runs or len(set(outside)) < n_runs):
        return {}, ("retrain takes no seed and repeated a run exactly: the runs are not independent "
                    "trials; give retrain a `seed` keyword (the runner's does)")
    bound, ceiling = multi_run_bound(inside, outside, alpha=alpha, delta=release.delta or 0.0)
    return {"dp.audit_eps_lower_bound": bound_score(bound, 2 * n_runs),
            "dp.audit_eps_ceiling": bound_score(ceiling, 2 * n_runs)}, None


def multi_run_bound(inside, outside, *, alpha: float, delta: float) -> tuple[float, float]:
    """(bound, ceiling) over equally many runs with and without the canary: Clopper-Pearson at the pooled
    quartiles (``MULTI_RUN_LEVELS``; the median is the share of runs without, which a perfectly separated sample
    puts strictly between the classes), Bonferroni over always 3 thresholds, even tied ones, so the ceiling
    ``eps_audit.eps_ceiling(n, n, n_thresholds=3)`` depends on n_runs only."""
    thresholds = np.quantile(np.concatenate([inside, outside]), MULTI_RUN_LEVELS)
    tpr_low, fpr_high = eps_audit.rate_bounds(inside, outside, thresholds, alpha=alpha)
    bound = eps_audit.per_record_eps(tpr_low, fpr_high, delta=delta, k=1)
    n_thresholds = len(MULTI_RUN_LEVELS)
    return bound, eps_audit.eps_ceiling(len(inside), len(outside), n_thresholds=n_thresholds, alpha=alpha, delta=delta)


def guesses(scores: np.ndarray, included: np.ndarray, n_guesses: int) -> tuple[int, int]:
    """(r, v): guess "in" for the ceil(n/2) highest scores, "out" for the floor(n/2) lowest (ties by canary
    index, fixed before inclusion is drawn), abstain on the rest; v counts the correct guesses."""
    order = np.argsort(np.asarray(scores, float), kind="stable")
    n_in, n_out = (n_guesses + 1) // 2, n_guesses // 2
    top, bottom = order[len(order) - n_in:], order[:n_out]
    correct = int(np.sum(included[top])) + int(np.sum(~included[bottom]))
    return n_in + n_out, correct


def one_run_records(base: list[Record], splits: Splits, release: Release, m: int,
                    rng: np.random.Generator) -> tuple[list[Record], list[Record], np.ndarray]:
    """(training records, the m canaries, inclusion mask): canary i in its slot with probability 1/2, else
    nothing (add/remove) or a filler canary of the same author (replace-one)."""
    labels = canaries.public_labels(splits)
    probes = [canaries.canary(rng, labels[int(rng.integers(len(labels)))], uid=f"dp_audit_c{i}",
                              author=f"dp_audit_c{i}") for i in range(m)]
    included = rng.random(m) < 0.5
    train = list(base) + [probe for probe, keep in zip(probes, included, strict=True) if keep]
    if release.neighbouring == "replace_one":
        train += [canaries.canary(rng, labels[int(rng.integers(len(labels)))], uid=f"dp_audit_f{i}",
                                  author=f"dp_audit_c{i}") for i in np.flatnonzero(~included)]
    return train, probes, included


def one_run(retrain: Callable, base: list[Record], splits: Splits, release: Release, *, m: int, n_guesses: int,
            alpha: float, rng: np.random.Generator) -> dict[str, Score]:
    """The one-run audit (module docstring): its two scores."""
    train, probes, included = one_run_records(base, splits, release, m, rng)
    released, _ = canaries.call_retrain(retrain, train, int(rng.integers(2**30)))
    if released.kind != "model" or released.model is None:
        raise TypeError(f"dp_audit needs a model release from retrain, got {released.kind!r}")
    r, v = guesses(true_label_log_proba(released.model, probes), included, n_guesses)
    delta = release.delta or 0.0
    bound = eps_audit.one_run_eps_lower_bound(r, v, m=m, delta=delta, alpha=alpha)
    ceiling = eps_audit.one_run_ceiling(r, m=m, delta=delta, alpha=alpha)
    return {"dp.audit1_eps_lower_bound": bound_score(bound, r), "dp.audit1_eps_ceiling": bound_score(ceiling, r)}


@register("attack", "dp_audit")
@dataclass
class DPAudit(Attack):
    """Multi-run and one-run epsilon audits of a DP model release (module docstring). ``n_runs = 0`` or
    ``m_canaries = 0`` leaves that audit out."""

    n_runs: int = 50  # multi-run: trainings with the canary, and as many without
    m_canaries: int = 200  # one-run: canaries, each included with probability 1/2
    n_guesses: int = 100  # one-run: guesses (half "in", half "out"), at most m_canaries
    max_train: int = 200  # train records under the canaries
    alpha: float = 0.05

    applies_to: ClassVar[frozenset[str]] = frozenset({"model"})

    def __post_init__(self) -> None:
        check_int("n_runs", self.n_runs, 0)
        check_int("m_canaries", self.m_canaries, 0)
        check_int("n_guesses", self.n_guesses, 0)
        check_int("max_train", self.max_train, 1)
        check_open_unit("alpha", self.alpha)
        if self.n_guesses > self.m_canaries:
            raise ValueError(f"n_guesses ({self.n_guesses}) must be <= m_canaries ({self.m_canaries})")

    def applies(self, release: Release, splits: Splits) -> bool:
        return release.kind in self.applies_to and release.epsilon is not None and bool(splits.train)

    def run(self, release: Release, splits: Splits, *, seed: int, target=None, retrain=None) -> dict[str, Score]:
        self.not_applicable_: dict[str, str] = {}
        if not self.applies(release, splits):
            return {}
        if retrain is None:
            self.not_applicable_["dp_audit"] = ("no retrain callable: the audits need fresh training "
                                                 "runs; pass retrain= to Evaluator.evaluate (the runner always does)")
            return {}
        rng = np.random.default_rng(seed)
        base = canaries.base_subset(splits.train, self.max_train, rng)
        scores = {"dp.epsilon": bound_score(release.epsilon, None)}
        if self.n_runs:
            found, reason = multi_run(retrain, base, splits, release, n_runs=self.n_runs, alpha=self.alpha,
                                      rng=np.random.default_rng([seed, 1]))
            scores.update(found)
            if reason:
                self.not_applicable_["dp.audit_eps_lower_bound"] = reason
        if self.m_canaries and self.n_guesses:
            scores.update(one_run(retrain, base, splits, release, m=self.m_canaries, n_guesses=self.n_guesses,
                                  alpha=self.alpha, rng=np.random.default_rng([seed, 2])))
        return scores
