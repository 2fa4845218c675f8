"""Shared base of the table generators: their release is a table (``Release(kind="table")``), not records.

``mechanisms.release`` reads ``release_kind`` and calls ``sample_table(n, seed=...)``; the table layout is
``mhprivbench.tables`` (one column per structured field, then the label). ``sample`` still returns records (the
rows as ``fields``, empty text) for code that wants records, e.g. a notebook.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from mhprivbench.base import Generator
from mhprivbench.tables import LABEL, frame_rows
from mhprivbench.types import Record

if TYPE_CHECKING:
    import pandas as pd


class TableGenerator(Generator):
    """A generator whose release is a table in the ``mhprivbench.tables`` layout."""

    release_kind: ClassVar[str] = "table"

    def sample_table(self, n: int, *, seed: int | None) -> pd.DataFrame:
        raise NotImplementedError

    def sample(self, n: int, *, seed: int | None) -> list[Record]:
        """The sampled rows as records: label, structured fields, empty text (``uid`` synth-i)."""
        records = []
        for i, row in enumerate(frame_rows(self.sample_table(n, seed=seed))):
            label = str(row.pop(LABEL))
            records.append(Record(uid=f"synth-{i}", text="", label=label, fields=row))
        return records


@contextlib.contextmanager
def global_seeds(seed: int | None) -> Iterator[None]:
    """Seed numpy's, Python's and torch's global generators (SDV draws from them), restoring them afterwards so
    nothing else in the process inherits the seed. ``seed=None``: leave them alone (fresh randomness)."""
    if seed is None:
        yield
        return
    import numpy as np
    import torch

    saved = (np.random.get_state(), random.getstate(), torch.get_rng_state())
    np.random.seed(seed % 2**32)
    random.seed(seed)
    torch.manual_seed(seed % 2**63)
    try:
        yield
    finally:
        np.random.set_state(saved[0])
        random.setstate(saved[1])
        torch.set_rng_state(saved[2])
