"""Reference models for the strongest membership attacks (``mia_lira``, ``mia_rmia``), shared by both.

**Challenge pool.** ``splits.train`` (the release's members) and ``splits.control`` (non-members), subsampled
uniformly (seeded) to at most ``max_pool`` points. **Population** (RMIA's z samples): up to ``n_population``
records of ``splits.test``, never in any training set.

**Reference models go through the mechanism.** Each point of the pool is put in exactly ``n_reference // 2`` of
the ``n_reference`` reference models (a random choice per point, so each model sees a random half of the pool and
every point is IN for half the models and OUT for the others, as in Carlini et al. 2022). Model k is
``retrain(its half, seed=k)``: the runner derives an independent draw of the mechanism's randomness from the
cell's mechanism seed and k (a ``retrain`` without a ``seed`` argument reuses one draw for every model). What the
attacker queries is then built as for the target (``Evaluator.target_model``): a released model is used as is; a
records release gets the same reference classifier as the target (the target's class with the target's
parameters, fit on the released records). Each model contributes, for every pool and population point, the log
probability of the true label and the log of the summed probability of the other labels (the logit
phi = log p - log(1 - p) without cancellation).

**Cache.** LiRA and RMIA in one evaluation get the same ``retrain`` and seed: the signals (not the models) are
kept per Splits object (``_background``), keyed by the ``retrain`` callable itself (held, so its id is never
reused), the seed, the pool parameters and the target classifier's spec, so the second attack pays nothing.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mhprivbench import registry, stats
from mhprivbench.attacks._background import background
from mhprivbench.attacks._pooled_intervals import two_way_intervals
from mhprivbench.types import Classifier, Record, Release, Score, Splits

MIN_PROBA = 1e-12
DEFAULT_POPULATION = 1000  # RMIA's default; LiRA asks for the same so that both share one set of models
NEEDS_RETRAIN = "needs retrain: pass retrain= to Evaluator.evaluate (the runner always does)"
NEEDS_CLASSIFIER = ("a records release needs a registered reference classifier as its target: set the evaluator's "
                    "`classifier` (e.g. tfidf_logreg)")


@dataclass(frozen=True)
class Signals:
    """Per model (rows) and point (columns): log P(true label) and log P(any other label)."""

    log_true: np.ndarray
    log_rest: np.ndarray

    @property
    def logit(self) -> np.ndarray:
        """phi = log(p / (1 - p)), p clipped to [1e-12, 1 - 1e-12]."""
        return self.log_true - self.log_rest

    @property
    def proba(self) -> np.ndarray:
        return np.exp(self.log_true)


@dataclass(frozen=True)
class ReferenceSet:
    """The pool, which reference model holds which pool point, and every model's signals."""

    pool: tuple[Record, ...]
    member: np.ndarray  # (n,) bool: the pool point is in splits.train (a member of the release)
    inside: np.ndarray  # (K, n) bool: the pool point is in reference model k's training half
    population: tuple[Record, ...]
    pool_signals: Signals  # (K, n)
    population_signals: Signals  # (K, m)


def true_label_signals(model: Classifier, records: Sequence[Record]) -> Signals:
    """One row of Signals for ``model``; a label outside ``model.classes_`` gets probability 1e-12."""
    if not records:
        return Signals(np.zeros((1, 0)), np.zeros((1, 0)))
    proba = np.nan_to_num(np.asarray(model.predict_proba([r.text for r in records]), dtype=float), nan=0.0)
    column = {str(c): i for i, c in enumerate(model.classes_)}
    index = np.array([column.get(r.label, -1) for r in records])
    rows = np.arange(len(records))
    known = index >= 0
    p_true = np.where(known, proba[rows, np.maximum(index, 0)], 0.0)
    rest = proba.copy()
    rest[rows[known], index[known]] = 0.0
    def clip(p):
        return np.log(np.clip(p, MIN_PROBA, 1.0))

    return Signals(clip(p_true)[None, :], clip(rest.sum(axis=1))[None, :])


def choose_pool(splits: Splits, *, max_pool: int, rng: np.random.Generator) -> tuple[tuple[Record, ...], np.ndarray]:
    """Train and control records (uniform seeded subsample of at most ``max_pool``) and their membership."""
    records = list(splits.train) + list(splits.control)
    member = np.array([True] * len(splits.train) + [False] * len(splits.control))
    if len(records) > max_pool:
        keep = np.sort(rng.choice(len(records), size=max_pool, replace=False))
        records, member = [records[i] for i in keep], member[keep]
    return tuple(records), member


def inclusion(n_points: int, n_models: int, rng: np.random.Generator) -> np.ndarray:
    """(n_models, n_points) bool: every point is IN for exactly n_models // 2 models, chosen at random."""
    ranks = np.argsort(rng.random((n_points, n_models)), axis=1)
    return (ranks < n_models // 2).T


def classifier_spec(release: Release, target: Classifier | None) -> str | None:
    """The reference classifier a records release needs (JSON of name and params), else None."""
    if release.kind != "records" or target is None or not hasattr(target, "plugin_name"):
        return None
    return json.dumps([target.plugin_name, registry.params(target)], sort_keys=True, default=str)


def why_not(release: Release, target: Classifier | None, retrain: Callable | None) -> str | None:
    """Why reference models cannot be built for this release (None: they can)."""
    if retrain is None:
        return NEEDS_RETRAIN
    if release.kind == "records" and classifier_spec(release, target) is None:
        return NEEDS_CLASSIFIER
    return None


def refused(attack: Any, name: str, release: Release, target: Classifier | None, retrain: Callable | None) -> bool:
    """True (and ``attack.not_applicable_[name]`` says why) when reference models cannot be built."""
    reason = why_not(release, target, retrain)
    if reason is not None:
        attack.not_applicable_[name] = reason
    return reason is not None


def _call_retrain(retrain: Callable, records: list[Record], index: int) -> Release:
    parameters = inspect.signature(retrain).parameters
    takes_seed = "seed" in parameters or any(p.kind == p.VAR_KEYWORD for p in parameters.values())
    return retrain(records, seed=index) if takes_seed else retrain(records)


def queried_model(released: Release, spec: str | None, *, seed: int) -> Classifier:
    """What the attacker queries for a reference release: its model, or the reference classifier on its records."""
    if released.kind == "model" and released.model is not None:
        return released.model
    if spec is None or not released.records:
        raise ValueError("a reference release gave neither a model nor records to fit the reference classifier on")
    name, params = json.loads(spec)
    model = registry.create("classifier", name, **params)
    return model.fit([r.text for r in released.records], [r.label for r in released.records], seed=seed)


def _build(splits: Splits, retrain: Callable, spec: str | None, *, seed: int, n_reference: int, max_pool: int,
           n_population: int) -> ReferenceSet:
    rng = np.random.default_rng([seed, 0x11A])
    pool, member = choose_pool(splits, max_pool=max_pool, rng=rng)
    population = tuple(splits.test[:n_population])
    inside = inclusion(len(pool), n_reference, rng)
    pool_rows, population_rows = [], []
    for k in range(n_reference):
        released = _call_retrain(retrain, [pool[i] for i in np.flatnonzero(inside[k])], k)
        model = queried_model(released, spec, seed=(seed + k) % 2**32)
        pool_rows.append(true_label_signals(model, pool))
        population_rows.append(true_label_signals(model, population))
    def stack(rows):
        return Signals(np.vstack([r.log_true for r in rows]), np.vstack([r.log_rest for r in rows]))

    return ReferenceSet(pool, member, inside, population, stack(pool_rows), stack(population_rows))


def reference_set(release: Release, splits: Splits, *, target: Classifier | None, retrain: Callable, seed: int,
                  n_reference: int, max_pool: int, n_population: int = DEFAULT_POPULATION) -> ReferenceSet:
    """The reference models' signals, built once per (splits, retrain, seed, parameters, classifier spec)."""
    spec = classifier_spec(release, target)
    key = ("reference_models", retrain, seed, n_reference, max_pool, n_population, spec)
    return background(splits, key, lambda: _build(splits, retrain, spec, seed=seed, n_reference=n_reference,
                                                  max_pool=max_pool, n_population=n_population))


def pooled_summary(prefix: str, target_scores: np.ndarray, target_member: np.ndarray, *, seed: int,
                   max_per_side: int, n_bootstrap: int) -> tuple[dict[str, Score], dict[str, str]]:
    """``stats.roc_summary`` over the scores of every target (rows), pooled (at most ``max_per_side`` scores per
    side, a seeded subsample, for the point estimates); the intervals come from the two-way bootstrap over targets
    and challenge points (``_pooled_intervals``), since pooled scores are not independent. Returns (scores,
    not_applicable) keyed ``prefix.*``."""
    member = np.concatenate([s[m] for s, m in zip(target_scores, target_member, strict=True)])
    nonmember = np.concatenate([s[~m] for s, m in zip(target_scores, target_member, strict=True)])
    rng = np.random.default_rng([seed, 0x5C0])
    def cap(x):
        return x if len(x) <= max_per_side else x[np.sort(rng.choice(len(x), max_per_side, replace=False))]

    member, nonmember = cap(member), cap(nonmember)
    keys = ["auc", "advantage", *stats.supported_low_fprs(len(nonmember))]
    intervals = two_way_intervals(target_scores, target_member, keys, seed=seed, n_resamples=n_bootstrap)
    return stats.membership_scores(prefix, member, nonmember, seed=seed, n_resamples=n_bootstrap, intervals=intervals)
