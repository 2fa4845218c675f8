"""Positive control for the epsilon audit: a "DP" trainer that claims a small epsilon and adds no noise.

``fake_dp_nonoise`` declares ``epsilon`` (default 0.1) and ``delta_ = 0`` like a real DP trainer, but fits the
non-private reference classifier (tf-idf + logistic regression) with almost no regularization, so it memorizes its
training records. An empirical epsilon lower bound must exceed its declared epsilon (DESIGN.md section 4: a lower
bound above the declared epsilon is a bug in the mechanism or the accountant, and a test must fail on it). A test
double: registered only when ``mhprivbench.testing`` is imported, never part of a benchmark suite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from mhprivbench.base import Trainer, check_epsilon
from mhprivbench.registry import register
from mhprivbench.types import Record
from mhprivbench.utility.classifiers import TfidfLogReg
from mhprivbench.validation import check_positive


@register("trainer", "fake_dp_nonoise")
@dataclass
class FakeDPNoNoise(Trainer):
    """Claims (epsilon, 0)-DP per record (replace one) and releases an unregularized, noiseless classifier."""

    neighbouring: ClassVar[str] = "replace_one"
    privacy_unit: ClassVar[str] = "record"

    epsilon: float = 0.1
    C: float = 1e4

    def __post_init__(self) -> None:
        check_epsilon(self.epsilon)
        check_positive("C", self.C)

    def fit(self, records: Sequence[Record], *, seed: int | None = 0,
            labels: Sequence[str] | None = None) -> TfidfLogReg:
        """Fit without noise; declare the claimed guarantee all the same."""
        model = TfidfLogReg(C=self.C).fit([r.text for r in records], [r.label for r in records], seed=seed or 0)
        self.epsilon_, self.delta_ = float(self.epsilon), 0.0
        return model
