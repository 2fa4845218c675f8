"""mia_loss: loss-threshold membership inference (Yeom et al. 2018) against the target classifier.

Members are ``splits.train``, non-members ``splits.control``, balanced by subsampling the larger side (seeded,
at most ``max_per_side`` each). The membership score is the log-probability the target gives the true label
(a label the model does not know gets probability 1e-12). Summaries come from ``stats.roc_summary``; a TPR at
a low FPR that the non-member count cannot support is left out, and ``not_applicable_`` says why.

``eps_lower_bound`` is a per-record epsilon lower bound, reported with ``eps_lower_bound_ceiling``, the largest
value this audit could report at its sample sizes (perfect separation). Splits assign whole authors (or threads)
to train or control, so records of one author are neither independent trials nor single-record neighbours. The
audit therefore takes one record per group on each side (independent trials across groups: each trial includes
or excludes a whole group), bounds the TPR and FPR with Clopper-Pearson at a Bonferroni-corrected grid of
thresholds, and finds the largest per-record epsilon whose group guarantee is violated, with k the largest number
of train records of one group: a per-record (eps, delta)-DP mechanism is (k eps, k e^((k - 1) eps) delta)-DP for
groups of k (``eps_audit.eps_audit``, the release's declared delta). Equivalently: an author-level audit compared with
the author-level epsilon k * eps that group privacy implies. A ceiling below the declared epsilon means the audit
cannot see at that epsilon; a bound above it is a bug in the mechanism or its accountant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import eps_audit, stats
from mhprivbench.base import Attack
from mhprivbench.datasets.splits import group_key
from mhprivbench.group_privacy import max_contribution
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.validation import check_int

MIN_PROBA = 1e-12


def true_label_log_proba(model: Classifier, records: Sequence[Record]) -> np.ndarray:
    """log P(true label | text) under ``model``; labels outside ``model.classes_`` get log(1e-12)."""
    if not records:
        return np.zeros(0)
    proba = np.asarray(model.predict_proba([r.text for r in records]), dtype=float)
    column = {str(c): i for i, c in enumerate(model.classes_)}
    picked = np.array([proba[i, column[r.label]] if r.label in column else MIN_PROBA for i, r in enumerate(records)])
    return np.log(np.clip(np.nan_to_num(picked, nan=MIN_PROBA), MIN_PROBA, 1.0))


def balanced_sample(
    members: Sequence[Record], nonmembers: Sequence[Record], *, cap: int, rng: np.random.Generator,
) -> tuple[list[Record], list[Record]]:
    size = min(len(members), len(nonmembers), cap)

    def take(records: Sequence[Record]) -> list[Record]:
        if len(records) == size:
            return list(records)
        return [records[i] for i in sorted(rng.choice(len(records), size=size, replace=False))]

    return take(members), take(nonmembers)


def one_per_group(records: Sequence[Record], rng: np.random.Generator) -> list[Record]:
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(group_key(record), []).append(record)
    return [groups[key][int(rng.integers(len(groups[key])))] for key in sorted(groups)]


def per_record_eps_audit(target: Classifier, splits: Splits, *, delta: float, rng) -> dict[str, Score]:
    """``eps_lower_bound`` and ``eps_lower_bound_ceiling``: the audit over one record per group (module docstring).
    Both are one-sided bounds already (their interval is the point)."""
    members = one_per_group(splits.train, rng)
    nonmembers = one_per_group(splits.control, rng)
    audit = eps_audit.eps_audit(true_label_log_proba(target, members), true_label_log_proba(target, nonmembers),
                            delta=delta, k=max_contribution(splits.train))
    n = len(members) + len(nonmembers)
    return {key: Score(value=value, ci_low=value, ci_high=value, higher_is_better=False, baseline=0.0, n=n)
            for key, value in (("eps_lower_bound", audit.lower_bound), ("eps_lower_bound_ceiling", audit.ceiling))}


@register("attack", "mia_loss")
@dataclass
class MiaLoss(Attack):
    """Threshold on the target's log-probability of the true label."""

    max_per_side: int = 2000
    n_bootstrap: int = 500

    applies_to: ClassVar[frozenset[str]] = frozenset({"model", "records"})

    def __post_init__(self) -> None:
        check_int("max_per_side", self.max_per_side, 1)
        check_int("n_bootstrap", self.n_bootstrap, 1)

    def applies(self, release: Release, splits: Splits) -> bool:
        return release.kind in self.applies_to and bool(splits.train) and bool(splits.control)

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        target = self.queried_model(release, splits, target)
        if target is None:
            return {}
        rng = np.random.default_rng(seed)
        members, nonmembers = balanced_sample(splits.train, splits.control, cap=self.max_per_side, rng=rng)
        scores, self.not_applicable_ = stats.membership_scores(
            "mia.loss", true_label_log_proba(target, members), true_label_log_proba(target, nonmembers), seed=seed,
            n_resamples=self.n_bootstrap)
        audit = per_record_eps_audit(target, splits, delta=release.delta or 0.0, rng=rng)
        return scores | {f"mia.loss.{key}": score for key, score in audit.items()}
