"""``copy_table`` (test double, registered only when ``mhprivbench.testing`` is imported, never part of a benchmark
suite): a table generator that "synthesizes" the train table itself, row for row. The positive control of the
table attacks (DCR on rows, anonymeter, DOMIAS, sdmetrics' disclosure metrics): each must flag it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mhprivbench.generators._table_base import TableGenerator
from mhprivbench.registry import register
from mhprivbench.tables import records_to_frame
from mhprivbench.types import Record

if TYPE_CHECKING:
    import pandas as pd


@register("generator", "copy_table")
@dataclass
class CopyTableGenerator(TableGenerator):
    """Releases ``records_to_frame(train)`` (``sample_table(n)``: its first n rows in train order, then a seeded
    draw with replacement when n exceeds train)."""

    def fit(self, records: Sequence[Record], *, seed: int | None = 0,
            labels: Sequence[str] | None = None) -> CopyTableGenerator:
        if not records:
            raise ValueError("cannot fit a generator on zero records")
        self.table_ = records_to_frame(records)
        return self

    def sample_table(self, n: int, *, seed: int | None) -> pd.DataFrame:
        import pandas as pd

        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        picked = self.table_.iloc[:n]
        if n > len(picked):
            extra = np.random.default_rng(seed).integers(0, len(self.table_), size=n - len(picked))
            picked = pd.concat([picked, self.table_.iloc[extra]])
        return picked.reset_index(drop=True)
