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
- Neighbouring datasets replace one record (the analysis uses the public size n). The label set is the task's
  public one (``labels``, passed by the runner from the dataset card). diffprivlib fits one-vs-rest only for the
  labels present in the records, so a public label with no train record gets probability 0: whether a label occurs
  at all is not protected (the stratified splits put every label in train).
- As in the paper, the guarantee assumes the perturbed objective is minimized exactly; L-BFGS stops after
  ``max_iter`` iterations.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mhprivbench.base import Trainer, check_epsilon
from mhprivbench.errors import DataError
from mhprivbench.features import hash_features
from mhprivbench.registry import register
from mhprivbench.threads import single_threaded_blas
from mhprivbench.types import Record
from mhprivbench.validation import check_int, check_positive


@dataclass
class HashedLinearModel:
    """A released linear model over hashed features: stores weights only, no strings."""

    model: object
    n_features: int
    classes_: list[str]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Columns in ``classes_`` order; a public label the model never saw gets probability 0."""
        proba = self.model.predict_proba(hash_features(texts, n_features=self.n_features, bias=True).toarray())
        fitted = [str(c) for c in self.model.classes_]
        out = np.zeros((proba.shape[0], len(self.classes_)))
        for column, label in enumerate(self.classes_):
            if label in fitted:
                out[:, column] = proba[:, fitted.index(label)]
        return out

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
        check_epsilon(self.epsilon)
        check_int("n_features", self.n_features, 1)
        check_int("max_iter", self.max_iter, 1)
        check_positive("C", self.C)

    @single_threaded_blas
    def fit(self, records: Sequence[Record], *, seed: int = 0, labels: Sequence[str] | None = None) -> HashedLinearModel:
        from diffprivlib.accountant import BudgetAccountant
        from diffprivlib.models import LogisticRegression
        from sklearn.exceptions import ConvergenceWarning

        public = sorted(set(labels)) if labels is not None else None
        labels = [r.label for r in records]
        classes = public if public is not None else sorted(set(labels))
        if len(set(labels)) < 2 or len(classes) < 2:
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
