"""The ``dp_logreg`` trainer: diffprivlib's objective-perturbation logistic regression on hashed word n-grams.

Privacy accounting (checked in diffprivlib 0.6.6, ``models/logistic_regression.py``):

- diffprivlib fits multi-class problems one-vs-rest and calls the per-class solver with ``epsilon / n_classes``
  (binary problems fit a single model with the whole epsilon); its accountant then records one spend of
  ``epsilon``. Sequential composition over the classes therefore totals exactly the declared ``epsilon``: we pass
  it through unchanged and must not divide it ourselves. Each per-class fit is pure DP (``Vector`` mechanism,
  Chaudhuri, Monteleoni and Sarwate 2011; when epsilon is too small for the regularizer it adds extra
  regularization and uses epsilon / 2, still with delta = 0), so ``delta_ = 0``.
- The guarantee needs every feature vector to have L2 norm <= ``data_norm``. Features are data-independent
  (hashing, no learned vocabulary, so nothing about the data is spent or stored) and L2-normalized; the intercept
  is learned as an ordinary, regularized constant feature inside that norm (``fit_intercept=False``) because
  diffprivlib's unregularized intercept would sit outside the norm bound its noise is calibrated for.
- Neighbouring datasets replace one record (the analysis uses the public size n). The label set is taken from the
  records as public knowledge (the task definition), not protected.
- As in the paper, the guarantee assumes the perturbed objective is minimized exactly; L-BFGS stops after
  ``max_iter`` iterations.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mhprivbench.base import Trainer, check_epsilon
from mhprivbench.errors import ConfigError, DataError
from mhprivbench.features import hash_features
from mhprivbench.registry import register
from mhprivbench.types import Record


@dataclass
class HashedLinearModel:
    """A released linear model over hashed features: stores weights only, no strings."""

    model: object
    n_features: int
    classes_: list[str]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        proba = self.model.predict_proba(hash_features(texts, n_features=self.n_features, bias=True).toarray())
        order = [list(self.model.classes_).index(c) for c in self.classes_]
        return proba[:, order]

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.classes_[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def exposed_strings(self) -> frozenset[str]:
        return frozenset()


@register("trainer", "dp_logreg")
@dataclass
class DPLogReg(Trainer):
    """epsilon-DP logistic regression (diffprivlib); see the module docstring for the accounting."""

    epsilon: float | None = None  # required; None only so that a missing value gets a clear ConfigError
    n_features: int = 2**10
    C: float = 1.0
    max_iter: int = 100

    def __post_init__(self) -> None:
        if self.epsilon is None:
            raise ConfigError("epsilon is required: a finite number > 0")
        check_epsilon(self.epsilon)
        for name in ("n_features", "max_iter"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        if isinstance(self.C, bool) or not isinstance(self.C, int | float) or not self.C > 0:
            raise ValueError(f"C must be a number > 0, got {self.C!r}")

    def fit(self, records: Sequence[Record], *, seed: int = 0) -> HashedLinearModel:
        from diffprivlib.accountant import BudgetAccountant
        from diffprivlib.models import LogisticRegression
        from sklearn.exceptions import ConvergenceWarning

        labels = [r.label for r in records]
        classes = sorted(set(labels))
        if len(classes) < 2:
            raise DataError(f"dp_logreg needs records of at least 2 labels, got {len(classes)}")
        features = hash_features([r.text for r in records], n_features=self.n_features, bias=True)
        model = LogisticRegression(
            epsilon=float(self.epsilon), data_norm=1.0, C=self.C, max_iter=self.max_iter, fit_intercept=False,
            random_state=seed, accountant=BudgetAccountant(),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)  # scipy: lbfgs iprint, called by diffprivlib
            model.fit(features.toarray(), np.asarray(labels))
        self.epsilon_, self.delta_ = float(model.accountant.total()[0]), 0.0
        return HashedLinearModel(model=model, n_features=self.n_features, classes_=classes)
