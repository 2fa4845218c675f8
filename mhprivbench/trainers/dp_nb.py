"""The ``dp_nb`` trainer: (epsilon, delta)-DP Gaussian naive Bayes on MiniLM embeddings.

Why not diffprivlib's ``GaussianNB`` as is (checked in diffprivlib 0.6.6, ``models/naive_bayes.py``): it spends
``epsilon / 3 / n_features`` per coordinate with the Laplace mechanism and per-coordinate ``bounds``; with 384
coordinates in [-1, 1] and epsilon = 1 that is noise of scale ~2,300 on each class sum (means useless at any
epsilon we benchmark). And a class absent from train keeps prior 0 and mean 0 exactly, while present classes get
noisy counts: which labels occur is released without noise. So the per-class statistics are fitted here, with
diffprivlib's ``GaussianAnalytic`` mechanism (Balle and Wang 2018), on sensitivities that use the public bound
that matters: every embedding row has L2 norm 1 (so each coordinate also lies in the public ``bounds`` [-1, 1]).

Privacy accounting, **replace one record** (x, y) by (x', y'), ||x||, ||x'|| <= 1, **privacy unit: record**:

- counts per public label (a vector of L): L2 sensitivity sqrt(2);
- per-label sums of embeddings (L x 384): sensitivity 2 (same label: ||x' - x|| <= 2; else sqrt(2));
- per-label sums of squared coordinates: sensitivity sqrt(2) (non-negative vectors of norm <= 1).

With ``variance="public"`` (the default, chosen on synthmh seed 0) no variance is estimated: every label and
coordinate gets 1 / 384, the average squared coordinate of a unit-norm row (public, no budget), which makes
the model a nearest-centroid classifier, and the squares' share of the budget goes to the sums.
Each statistic is one vector Gaussian mechanism (the analytic calibration depends only on the L2 sensitivity,
so independent noise of that scale on every coordinate) with ``split`` shares of (epsilon, delta); basic
composition gives (epsilon, delta) in total. **Every public label is fitted** (a label with no record gets
noisy statistics like any other); the public label set is required. Means are noisy sums / max(noisy count, 1),
clipped to ``bounds``; variances are floored at the public ``var_floor``; priors are the clipped noisy counts,
normalized. All of it is post-processing. **Released**: per-label means, variances and priors, and the public
labels, nothing else. ``seed=None`` draws the noise from ``secrets.SystemRandom`` (diffprivlib's secure mode).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench.base import Trainer, check_epsilon
from mhprivbench.errors import ConfigError, DataError
from mhprivbench.public_labels import check_record_labels, public_label_set
from mhprivbench.registry import register
from mhprivbench.types import Record
from mhprivbench.validation import check_open_unit, check_positive

MIN_PROBA = 1e-12
SENSITIVITY = {"counts": np.sqrt(2.0), "sums": 2.0, "squares": np.sqrt(2.0)}


@dataclass
class GaussianNBModel:
    """Released naive Bayes: per-label means ``theta`` and variances ``var`` (L x 384), ``prior`` (L,)."""

    theta: np.ndarray
    var: np.ndarray
    prior: np.ndarray
    classes_: list[str]

    def joint_log_likelihood(self, vectors: np.ndarray) -> np.ndarray:
        """log prior + sum of per-coordinate Gaussian log densities, shape (n, L)."""
        log_norm = -0.5 * np.log(2.0 * np.pi * self.var).sum(axis=1)
        squares = ((vectors[:, None, :] - self.theta[None, :, :]) ** 2 / self.var[None, :, :]).sum(axis=2)
        return np.log(self.prior)[None, :] + log_norm[None, :] - 0.5 * squares

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        from scipy.special import softmax

        from mhprivbench.embeddings import embed

        proba = np.maximum(softmax(self.joint_log_likelihood(embed(texts).astype(np.float64)), axis=1), MIN_PROBA)
        return proba / proba.sum(axis=1, keepdims=True)  # every label keeps a probability > 0 (finite losses)

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.classes_[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def exposed_strings(self) -> frozenset[str]:
        return frozenset()


def _gaussian_noise(values: np.ndarray, *, epsilon: float, delta: float, sensitivity: float, rng) -> np.ndarray:
    """``values`` + analytic-Gaussian noise calibrated to the L2 ``sensitivity`` of the whole array."""
    from diffprivlib.mechanisms import GaussianAnalytic

    mechanism = GaussianAnalytic(epsilon=epsilon, delta=delta, sensitivity=sensitivity, random_state=rng)
    return np.array([mechanism.randomise(float(v)) for v in np.ravel(values)]).reshape(np.shape(values))


@register("trainer", "dp_nb")
@dataclass
class DPNaiveBayes(Trainer):
    """(epsilon, delta)-DP Gaussian naive Bayes on MiniLM embeddings; see the module docstring."""

    neighbouring: ClassVar[str] = "replace_one"
    privacy_unit: ClassVar[str] = "record"
    uses_embeddings: ClassVar[bool] = True

    epsilon: float | None = None  # required
    delta: float = 1e-5
    split: tuple[float, float, float] = (0.1, 0.6, 0.3)  # shares of (epsilon, delta): counts, sums, squares
    bounds: tuple[float, float] = (-1.0, 1.0)  # public: unit-norm rows have every coordinate in [-1, 1]
    var_floor: float = 1e-3
    variance: str = "public"  # "public": 1 / 384 for every label and coordinate (no budget); "dp": per label

    def __post_init__(self) -> None:
        check_epsilon(self.epsilon)
        if self.variance not in ("public", "dp"):
            raise ConfigError(f"dp_nb: variance must be 'public' or 'dp', got {self.variance!r}")
        check_open_unit("delta", self.delta)
        check_positive("var_floor", self.var_floor)
        if len(self.split) != 3 or any(not s > 0 for s in self.split) or not np.isclose(sum(self.split), 1.0):
            raise ConfigError(f"dp_nb: split must be 3 positive shares summing to 1, got {list(self.split)}")
        if len(self.bounds) != 2 or not -1.0 <= self.bounds[0] < self.bounds[1] <= 1.0:
            raise ConfigError(f"dp_nb: bounds must be (low, high) with -1 <= low < high <= 1, got {list(self.bounds)}")

    def fit(self, records: Sequence[Record], *, seed: int | None = None,
            labels: Sequence[str] | None = None) -> GaussianNBModel:
        """Fit every public label; ``seed=None`` draws the noise from OS entropy."""
        from mhprivbench.embeddings import embed

        public = public_label_set(labels, mechanism="dp_nb")
        if not records:
            raise DataError("dp_nb: cannot fit on zero records")
        check_record_labels(records, public, mechanism="dp_nb")
        vectors = _unit_ball(embed([r.text for r in records]).astype(np.float64))
        onehot = np.array([[r.label == label for label in public] for r in records], dtype=np.float64)
        exact = {"counts": onehot.sum(axis=0), "sums": onehot.T @ vectors, "squares": onehot.T @ vectors**2}
        shares = dict(zip(exact, self.split, strict=True))
        if self.variance == "public":  # nothing spent on squares: their share goes to the sums
            shares = {"counts": shares["counts"], "sums": shares["sums"] + shares.pop("squares")}
        rng = None if seed is None else np.random.RandomState(seed)
        noisy = {name: _gaussian_noise(exact[name], epsilon=float(self.epsilon) * share, delta=self.delta * share,
                                       sensitivity=SENSITIVITY[name], rng=rng) for name, share in shares.items()}
        self.epsilon_, self.delta_ = float(self.epsilon), float(self.delta)
        return self._estimates(noisy, public)

    def _estimates(self, noisy: dict[str, np.ndarray], public: list[str]) -> GaussianNBModel:
        """Post-processing of the noisy statistics into means, variances and priors."""
        counts = np.maximum(noisy["counts"], 1.0)
        theta = np.clip(noisy["sums"] / counts[:, None], *self.bounds)
        if self.variance == "public":
            var = np.full_like(theta, 1.0 / theta.shape[1])  # the mean coordinate variance of a unit-norm row
        else:
            var = np.maximum(noisy["squares"] / counts[:, None] - theta**2, self.var_floor)
        return GaussianNBModel(theta=theta, var=var, prior=counts / counts.sum(), classes_=list(public))


def _unit_ball(vectors: np.ndarray) -> np.ndarray:
    """Scale rows onto the unit ball (embeddings are unit-norm already; float rounding must not break the bound)."""
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(lengths, 1.0)
