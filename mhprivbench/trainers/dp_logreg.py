"""The ``dp_logreg`` trainer: objective-perturbation logistic regression (diffprivlib) on hashed word n-grams.

Privacy accounting (checked in diffprivlib 0.6.6, ``models/logistic_regression.py``):

- **Every public label is fitted.** We fit one-vs-rest ourselves over the task's public label set (``labels``,
  passed by the runner from the dataset's declaration; a DP fit without it raises ``ConfigError``: the labels of
  the private records are never used as a fallback). With two labels one binary problem (the second label
  against the first) gets the whole ``epsilon``; with L > 2 labels each of the L binary problems gets
  ``epsilon / L`` and sequential composition totals exactly ``epsilon``. A label with no train record is still
  fitted, as an all-negative binary problem through the same mechanism, so a neighbouring dataset that adds one
  record of that label changes the release only as much as the noise covers: every label gets probability > 0.
- Each binary problem is diffprivlib's own per-class solver (``_logistic_regression_path``, which diffprivlib's
  ``LogisticRegression.fit`` calls once per class with ``pos_class``): the ``Vector`` mechanism of Chaudhuri,
  Monteleoni and Sarwate (2011), objective perturbation with L-BFGS. It is pure DP (when epsilon is too small
  for the regularizer it adds extra regularization and uses epsilon / 2, still with delta = 0), so ``delta_ = 0``.
- The guarantee needs every feature vector to have L2 norm <= ``data_norm`` = 1. Features are data-independent
  (hashing, no learned vocabulary, so nothing about the data is spent or stored) and L2-normalized; the intercept
  is learned as an ordinary, regularized constant feature inside that norm (no separate intercept) because an
  unregularized intercept would sit outside the norm bound the noise is calibrated for. Rows are clipped to the
  norm bound anyway. ``features="minilm"`` uses MiniLM sentence embeddings (public pretrained weights, unit
  norm) with the same bias column and scaling, ``[e / sqrt(2), 1 / sqrt(2)]``: every row has norm exactly 1.
- **Neighbouring relation: replace one record** (``neighbouring = "replace_one"``); the analysis uses the public
  size n. **Privacy unit: one record** (``privacy_unit = "record"``); an author with several records gets the
  group-privacy epsilon.
- **Nothing data-dependent is released outside the noisy weights.** The model holds the coefficient matrix, the
  number of hashed features and the public label list: no diffprivlib object, no iteration counts, no fitted
  class list.
- **Noise source.** ``seed=None`` (a real release) draws the noise from OS entropy (diffprivlib then uses
  ``secrets.SystemRandom``); a given seed makes the fit deterministic (benchmark cells), which is no protection.
- As in the paper, the guarantee assumes the perturbed objective is minimized exactly; L-BFGS stops after
  ``max_iter`` iterations.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench.base import Trainer, check_epsilon
from mhprivbench.errors import ConfigError, DataError
from mhprivbench.features import hash_features
from mhprivbench.public_labels import check_record_labels, public_label_set
from mhprivbench.registry import register
from mhprivbench.threads import single_threaded_blas
from mhprivbench.types import Record
from mhprivbench.validation import check_int, check_positive

DATA_NORM = 1.0
FEATURES = ("hashed", "minilm")
MAX_MARGIN = 700.0  # exp(-700) > 0 in float64: every label keeps a probability > 0


def _sigmoid(margins: np.ndarray) -> np.ndarray:
    """Logistic function of clipped margins: strictly inside (0, 1)."""
    from scipy.special import expit

    return expit(np.clip(margins, -MAX_MARGIN, MAX_MARGIN))


@dataclass
class HashedLinearModel:
    """A released linear model over hashed features: the weights, the feature count and the public labels only.

    ``coef`` has one row per binary problem: a single row for two labels (the second label against the first),
    else one row per label (one-vs-rest).
    """

    coef: np.ndarray
    n_features: int
    classes_: list[str]

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Margins of the binary problems, shape (len(texts), rows of ``coef``)."""
        features = hash_features(texts, n_features=self.n_features, bias=True)
        return np.asarray(features @ self.coef.T)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Columns in ``classes_`` order, every entry > 0: the sigmoid for two labels, else normalized
        one-vs-rest sigmoids (as scikit-learn's one-vs-rest ``predict_proba``)."""
        margins = self.decision_function(texts)
        if len(self.classes_) == 2:
            return np.column_stack([_sigmoid(-margins[:, 0]), _sigmoid(margins[:, 0])])
        scores = _sigmoid(margins)
        return scores / scores.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.classes_[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def exposed_strings(self) -> frozenset[str]:
        return frozenset()


@dataclass
class EmbeddingLinearModel(HashedLinearModel):
    """The same released model over ``minilm_features`` (``n_features`` = 384 dimensions, plus the bias)."""

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(minilm_features(texts) @ self.coef.T)


def minilm_features(texts: Sequence[str]) -> np.ndarray:
    """MiniLM embeddings (unit norm) with a bias column, scaled as ``hash_features(bias=True)`` does: the row
    [e / sqrt(2), 1 / sqrt(2)] has norm exactly 1 = ``data_norm``. Public weights: no budget is spent."""
    from mhprivbench.embeddings import embed

    vectors = embed(texts).astype(np.float64)
    return np.hstack([vectors, np.ones((len(vectors), 1))]) / np.sqrt(2.0)


def featurize(texts: Sequence[str], features: str, *, n_features: int):
    """The feature rows (norm <= 1, bias included) of ``features`` = "hashed" or "minilm"."""
    if features == "minilm":
        return minilm_features(texts)
    return hash_features(texts, n_features=n_features, bias=True)


def _noise_source(seed: int | None) -> np.random.RandomState | None:
    """One stream shared by the binary problems; None lets diffprivlib draw from ``secrets.SystemRandom``."""
    return None if seed is None else np.random.RandomState(seed)


@register("trainer", "dp_logreg")
@dataclass
class DPLogReg(Trainer):
    """epsilon-DP logistic regression (diffprivlib); see the module docstring for the accounting."""

    neighbouring: ClassVar[str] = "replace_one"
    privacy_unit: ClassVar[str] = "record"

    epsilon: float | None = None  # required; None only so that a missing value gets a clear ConfigError
    n_features: int = 2**10
    C: float = 1.0
    max_iter: int = 100
    features: str = "hashed"  # "hashed": word n-grams hashed into n_features; "minilm": MiniLM embeddings

    def __post_init__(self) -> None:
        check_epsilon(self.epsilon)
        if self.features not in FEATURES:
            raise ConfigError(f"dp_logreg: features must be one of {FEATURES}, got {self.features!r}")
        check_int("n_features", self.n_features, 1)
        check_int("max_iter", self.max_iter, 1)
        check_positive("C", self.C)

    @property
    def uses_embeddings(self) -> bool:
        """The runner embeds the dataset once, before dispatching cells, when this is true."""
        return self.features == "minilm"

    @single_threaded_blas
    def fit(self, records: Sequence[Record], *, seed: int | None = None,
            labels: Sequence[str] | None = None) -> HashedLinearModel:
        """Fit every public label (see the module docstring); ``seed=None`` draws the noise from OS entropy."""
        public = public_label_set(labels, mechanism="dp_logreg")
        if not records:
            raise DataError("dp_logreg: cannot fit on zero records")
        check_record_labels(records, public, mechanism="dp_logreg")
        features = featurize([r.text for r in records], self.features, n_features=self.n_features)
        features = _clip_rows(np.asarray(features.toarray() if hasattr(features, "toarray") else features), DATA_NORM)
        targets = [public[1]] if len(public) == 2 else public
        epsilon = float(self.epsilon) / len(targets)
        rng = _noise_source(seed)
        coef = np.vstack([self._fit_binary(features, records, label, epsilon, rng) for label in targets])
        self.epsilon_, self.delta_ = float(self.epsilon), 0.0
        if self.features == "minilm":
            return EmbeddingLinearModel(coef=coef, n_features=features.shape[1] - 1, classes_=list(public))
        return HashedLinearModel(coef=coef, n_features=self.n_features, classes_=list(public))

    def _fit_binary(self, features: np.ndarray, records: Sequence[Record], label: str, epsilon: float,
                    rng: np.random.RandomState | None) -> np.ndarray:
        """One epsilon-DP binary problem ``label`` vs the rest (all-negative when no record has ``label``)."""
        from diffprivlib.models.logistic_regression import _logistic_regression_path
        from sklearn.exceptions import ConvergenceWarning

        target = np.array([1.0 if r.label == label else 0.0 for r in records])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", DeprecationWarning)  # scipy: lbfgs iprint, called by diffprivlib
            coefs, _, _ = _logistic_regression_path(
                features, target, epsilon=epsilon, data_norm=DATA_NORM, pos_class=1.0, Cs=[self.C],
                fit_intercept=False, max_iter=self.max_iter, tol=1e-4, random_state=rng, check_input=False,
            )
        return np.asarray(coefs[0], dtype=float)


def _clip_rows(features: np.ndarray, norm: float) -> np.ndarray:
    """Scale rows whose L2 norm exceeds ``norm`` back onto the ball (the DP guarantee's data bound)."""
    lengths = np.linalg.norm(features, axis=1)
    factors = np.minimum(1.0, norm / np.maximum(lengths, 1e-300))
    return features * factors[:, None]
