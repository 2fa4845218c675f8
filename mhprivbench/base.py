"""Base classes of the plugin families (scikit-learn conventions: dataclass fields are the parameters,
nothing happens in ``__init__`` but validation, fitted state ends in ``_``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np

from mhprivbench.errors import ConfigError
from mhprivbench.types import Classifier, Record, Release, Score, Span, Splits


def check_epsilon(epsilon: float | None, *, allow_none: bool = False) -> None:
    """Raise ConfigError unless epsilon is a finite number > 0 (DP plugins default it to None: required)."""
    if epsilon is None and allow_none:
        return
    if epsilon is None:
        raise ConfigError("epsilon is required: a finite number > 0")
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or not np.isfinite(epsilon) or epsilon <= 0:
        raise ConfigError(f"epsilon must be a finite number > 0, got {epsilon!r}")


class Anonymizer:
    """Detect PII spans, then rewrite the records (Presidio's split between analysis and anonymization)."""

    baseline: ClassVar[bool] = False

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        raise NotImplementedError

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        raise NotImplementedError

    def transform(self, records: Sequence[Record], *, seed: int = 0) -> list[Record]:
        return self.rewrite(records, self.detect([r.text for r in records]), seed=seed)


class Generator:
    """Fit on train records, then sample synthetic records (labels included)."""

    baseline: ClassVar[bool] = False

    def fit(self, records: Sequence[Record], *, seed: int = 0, labels: Sequence[str] | None = None) -> Generator:
        """``labels``: the public label set of the task (None: the labels seen in ``records``)."""
        raise NotImplementedError

    def release_size(self, n_train: int) -> int:
        """How many records to sample. A DP generator must not reveal the exact train size: it overrides this
        with a noisy count from its fitted state."""
        return n_train

    def sample(self, n: int, *, seed: int) -> list[Record]:
        raise NotImplementedError


class Trainer:
    """Fit a classifier on train records; DP trainers set ``epsilon_`` and ``delta_``."""

    baseline: ClassVar[bool] = False

    def fit(self, records: Sequence[Record], *, seed: int = 0, labels: Sequence[str] | None = None) -> Classifier:
        """``labels``: the public label set of the task (None: the labels seen in ``records``)."""
        raise NotImplementedError


class Attack:
    """An attack scores one release; every Score carries an interval and a baseline.

    ``run`` may set ``not_applicable_`` (dict: metric key -> one-line reason) for metrics it leaves out, e.g. a
    TPR at an FPR its non-member sample cannot support; the evaluator reports them (absent attribute: none).
    """

    applies_to: ClassVar[frozenset[str]] = frozenset()

    def applies(self, release: Release, splits: Splits) -> bool:
        return release.kind in self.applies_to

    def queried_model(self, release: Release, splits: Splits, target: Classifier | None) -> Classifier | None:
        """For membership attacks: reset ``not_applicable_`` and return the model queried (``target``, the reference
        classifier on released records, else the released model); None when the attack does not apply."""
        self.not_applicable_: dict[str, str] = {}
        if target is None and release.kind == "model":
            target = release.model
        return target if target is not None and self.applies(release, splits) else None

    def run(
        self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
        retrain: Callable[[Sequence[Record]], Release] | None = None,
    ) -> dict[str, Score]:
        raise NotImplementedError
