"""The ``dp_marginals`` table generator: epsilon-DP label counts and per-label one-way marginals of each field,
then sampling field by field given the label.

Privacy accounting. **Neighbouring relation: add or remove one record** (``neighbouring = "add_remove"``);
**privacy unit: one record** (``privacy_unit = "record"``; an author with k records gets k times epsilon).
Pure DP: ``delta = 0``. Everything the release may contain that is not a count is public and declared:

- the label set is the task's public labels (``labels`` in fit, from the dataset's declaration; a fit without it
  raises ConfigError, a train record outside it raises DataError);
- each field's domain is a parameter (``domains``: categorical values; ``bounds``: numeric [low, high] cut into
  ``bin_width`` bins), defaulting to synthmh's public schema. A categorical value outside its domain, or a missing
  value, adds to no cell; a numeric value is clipped into its bounds. Nothing about the domain is learned.

Budget split, for ``k`` declared fields: the label counts get ``epsilon_labels = label_share * epsilon``; each
field's (label x cell) histogram gets ``epsilon_field = (1 - label_share) * epsilon / k``. Adding or removing one
record changes one label count by 1 and at most one cell of each field's histogram by 1 (L1 sensitivity 1 each),
so the two-sided geometric mechanism (diffprivlib's ``Geometric``, integer-valued: the discrete Laplace) gives
each histogram its epsilon, and sequential composition gives ``epsilon_labels + k * epsilon_field = epsilon``.
Every cell of the declared domain is noised, empty ones included. Sampling (clipping negative counts to 0,
normalizing, drawing labels and then each field given the label, uniform inside a numeric bin) and the release
size (the noisy label total) are post-processing.

Fields are independent given the label: correlations between fields (age band and gender, PHQ-9 and GAD-7) are
not kept. ``seed=None`` (a real release) takes the noise from ``secrets.SystemRandom`` (diffprivlib's secure
generator); a given seed makes the fit reproducible (benchmark cells), no protection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from mhprivbench.base import check_epsilon
from mhprivbench.errors import ConfigError
from mhprivbench.generators._table_base import TableGenerator
from mhprivbench.generators._table_domains import (
    SYNTHMH_BOUNDS,
    Column,
    check_domains,
    columns_of,
    synthmh_domains,
)
from mhprivbench.public_labels import check_record_labels, public_label_set
from mhprivbench.registry import register
from mhprivbench.tables import LABEL, row_of
from mhprivbench.types import Record
from mhprivbench.validation import check_open_unit, check_positive

if TYPE_CHECKING:
    import pandas as pd


def _noisy(counts: np.ndarray, epsilon: float, random_state: Any) -> np.ndarray:
    """Every cell of ``counts`` plus two-sided geometric noise (sensitivity 1, ``epsilon``)."""
    from diffprivlib.mechanisms import Geometric

    mechanism = Geometric(epsilon=epsilon, sensitivity=1, random_state=random_state)
    return np.array([mechanism.randomise(int(c)) for c in counts.ravel()], dtype=float).reshape(counts.shape)


def _weights(row: np.ndarray) -> np.ndarray:
    """Noisy counts -> sampling probabilities (negatives clipped to 0; uniform when nothing is left)."""
    clipped = np.clip(row, 0.0, None)
    total = clipped.sum()
    return clipped / total if total > 0 else np.full(len(row), 1.0 / len(row))


@register("generator", "dp_marginals")
@dataclass
class DPMarginalsGenerator(TableGenerator):
    """epsilon-DP table synthesizer from noisy label counts and per-label field marginals (module docstring)."""

    neighbouring: ClassVar[str] = "add_remove"
    privacy_unit: ClassVar[str] = "record"
    delta: ClassVar[float] = 0.0  # pure DP

    epsilon: float | None = None  # required: the total budget (pure epsilon-DP, one record, add/remove)
    # public categorical domains {field: [values]} (default: synthmh's gender, age_band, post_kind)
    domains: dict[str, list[Any]] = field(default_factory=synthmh_domains)
    # public numeric bounds {field: [low, high]} (default: PHQ-9 0-27, GAD-7 0-21); values are clipped into them
    bounds: dict[str, list[float]] = field(default_factory=lambda: {k: list(v) for k, v in SYNTHMH_BOUNDS.items()})
    bin_width: float = 1  # width of a numeric cell (integer bounds: 1 = one cell per value)
    label_share: float = 0.2  # share of epsilon spent on the label counts; the rest is split over the fields

    def __post_init__(self) -> None:
        check_epsilon(self.epsilon)
        check_domains(self.domains, self.bounds, LABEL)
        try:
            check_positive("bin_width", self.bin_width)
            check_open_unit("label_share", self.label_share)
        except ValueError as error:
            raise ConfigError(str(error)) from None

    @property
    def columns(self) -> list[Column]:
        return columns_of(self.domains, self.bounds, self.bin_width)

    def fit(self, records: Sequence[Record], *, seed: int | None = None,
            labels: Sequence[str] | None = None) -> DPMarginalsGenerator:
        public = public_label_set(labels, mechanism="dp_marginals")
        if not records:
            raise ValueError("cannot fit a generator on zero records")
        check_record_labels(records, public, mechanism="dp_marginals")
        random_state = np.random.RandomState(seed % 2**32) if seed is not None else None  # None: secure
        columns = self.columns
        rows = [row_of(record) for record in records]
        label_index = np.array([public.index(record.label) for record in records])
        epsilon_labels = self.label_share * self.epsilon
        epsilon_field = (1.0 - self.label_share) * self.epsilon / len(columns)
        self.labels_ = public
        self.label_counts_ = _noisy(np.bincount(label_index, minlength=len(public)), epsilon_labels, random_state)
        self.marginals_ = {}
        for column in columns:
            exact = np.zeros((len(public), column.n_cells), dtype=int)
            for row, label in zip(rows, label_index, strict=True):
                cell = column.cell(row.get(column.name))
                if cell is not None:
                    exact[label, cell] += 1
            self.marginals_[column.name] = _noisy(exact, epsilon_field, random_state)
        self.epsilon_, self.delta_ = float(self.epsilon), 0.0
        return self

    def release_size(self, n_train: int) -> int:
        """The noisy total of the released label counts (DP), not the exact train size."""
        return max(1, round(float(np.clip(self.label_counts_, 0.0, None).sum())))

    def sample_table(self, n: int, *, seed: int | None) -> pd.DataFrame:
        import pandas as pd

        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        rng = np.random.default_rng(seed)
        drawn = rng.choice(len(self.labels_), size=n, p=_weights(self.label_counts_))
        table: dict[str, list[Any]] = {}
        for column in self.columns:
            values: list[Any] = [None] * n
            for label in np.unique(drawn):
                where = np.flatnonzero(drawn == label)
                cells = rng.choice(column.n_cells, size=len(where), p=_weights(self.marginals_[column.name][label]))
                for i, value in zip(where, column.draw(cells, rng), strict=True):
                    values[i] = value
            table[column.name] = values
        table[LABEL] = [self.labels_[i] for i in drawn]
        return pd.DataFrame(table)
