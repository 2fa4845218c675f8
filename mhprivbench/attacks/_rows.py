"""Table rows for the synthetic-data attacks: the release as a frame, and rows encoded for distances/densities.

A release has rows when it is a ``table`` (``release.table``) or unaligned synthetic records whose records carry
shared structured fields (``tables.has_table``). Its frame is compared with ``records_to_frame`` of the real
records on the columns all of them share (a generator may drop a column; the label is one of the columns).

``RowEncoder`` makes the rows numeric in a Gower-like way: a numeric column becomes ``(x - low) / (high - low)``
(range over every frame the encoder was fitted on; a missing value sits at -1, equal to other missing values and
far from any present one) and a categorical column a one-hot block scaled by 1/2, so the L1 distance between two
encoded rows divided by the number of columns is the Gower distance (range-scaled absolute difference on numbers,
0/1 mismatch on categories, averaged over columns). The encoder is fitted on the union of the frames an attack
compares (synthetic, members, non-members): symmetric in members and non-members, so it adds no membership signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mhprivbench.tables import has_table, records_to_frame
from mhprivbench.types import Record, Release

if TYPE_CHECKING:
    import pandas as pd

CHUNK = 512  # query rows per distance block
MISSING = -1.0  # scaled position of a missing numeric value


def release_frame(release: Release) -> pd.DataFrame | None:
    """The release's rows: its table, or the frame of its unaligned records when they carry fields; else None."""
    if release.kind == "table":
        table = release.table
        return table if table is not None and len(table) and len(table.columns) else None
    if release.kind == "records" and release.records and not release.aligned and has_table(release.records):
        return records_to_frame(release.records)
    return None


def uses_rows(space: str, release: Release) -> bool:
    """Whether an attack with ``space`` (auto | text | rows) scores ``release`` on table rows rather than text."""
    return space == "rows" or (space == "auto" and release.kind == "table")


def scorable(release: Release, rows: bool) -> bool:
    """Rows: the release has a table (or records with fields); text: synthetic (unaligned) records."""
    if rows:
        return release_frame(release) is not None
    return release.kind == "records" and not release.aligned and bool(release.records)


def shared_columns(*frames: pd.DataFrame) -> list[str]:
    """Columns present in every frame, in the order of the first."""
    common = set(frames[0].columns).intersection(*(set(f.columns) for f in frames[1:]))
    return [str(c) for c in frames[0].columns if c in common]


def frames_on(columns: Sequence[str], *frames: pd.DataFrame) -> list[pd.DataFrame]:
    """Each frame restricted to ``columns`` with one dtype per column across frames: float where the column is
    numeric in every frame, else str (so a category "3" and a number 3 compare equal)."""
    import pandas as pd

    out = [f[list(columns)].reset_index(drop=True).copy() for f in frames]
    for column in columns:
        numeric = all(pd.api.types.is_numeric_dtype(f[column]) and not pd.api.types.is_bool_dtype(f[column])
                      for f in out)
        for f in out:
            f[column] = f[column].astype(float) if numeric else f[column].map(str).astype(object)
    return out


@dataclass
class RowEncoder:
    """Gower-like numeric encoding (module docstring); build with ``RowEncoder.fit``."""

    columns: list[str]
    numeric: dict[str, tuple[float, float]]  # column -> (low, span)
    categories: dict[str, list[str]]  # column -> sorted values

    @classmethod
    def fit(cls, frames: Sequence[pd.DataFrame]) -> RowEncoder:
        """Ranges and category lists over the union of ``frames`` (already passed through ``frames_on``)."""
        import pandas as pd

        union = pd.concat(list(frames), ignore_index=True)
        numeric, categories = {}, {}
        for column in union.columns:
            values = union[column]
            if pd.api.types.is_float_dtype(values):
                present = values.dropna()
                low = float(present.min()) if len(present) else 0.0
                span = float(present.max()) - low if len(present) else 0.0
                numeric[str(column)] = (low, span if span > 0 else 1.0)
            else:
                categories[str(column)] = sorted(set(values))
        return cls([str(c) for c in union.columns], numeric, categories)

    @property
    def width(self) -> int:
        return len(self.numeric) + sum(len(v) for v in self.categories.values())

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """Encoded rows (float64, ``width`` columns)."""
        blocks = []
        for column in self.columns:
            values = frame[column]
            if column in self.numeric:
                low, span = self.numeric[column]
                scaled = (values.to_numpy(dtype=float) - low) / span
                blocks.append(np.where(np.isnan(scaled), MISSING, scaled)[:, None])
            else:
                index = {v: i for i, v in enumerate(self.categories[column])}
                codes = np.array([index.get(v, -1) for v in values], dtype=np.intp)
                block = np.zeros((len(frame), len(index)))
                known = codes >= 0
                block[np.flatnonzero(known), codes[known]] = 0.5
                blocks.append(block)
        return np.hstack(blocks) if blocks else np.zeros((len(frame), 0))


def gower_closest(queries: np.ndarray, synthetic: np.ndarray, n_columns: int) -> np.ndarray:
    """Gower distance from each encoded query row to its nearest encoded synthetic row (L1 / columns)."""
    from scipy.spatial.distance import cdist

    if not len(synthetic):
        raise ValueError("gower_closest needs at least one synthetic row")
    out = np.empty(len(queries))
    for start in range(0, len(queries), CHUNK):
        out[start:start + CHUNK] = cdist(queries[start:start + CHUNK], synthetic, "cityblock").min(axis=1)
    return out / max(n_columns, 1)


def encoded(release_rows: pd.DataFrame, *real: Sequence[Record]) -> tuple[np.ndarray, list[np.ndarray], int] | None:
    """(encoded release rows, encoded rows of each real record set, number of columns) on the shared columns,
    the encoder fitted on all of them; None when they share no column."""
    real_frames = [records_to_frame(records) for records in real]
    columns = shared_columns(release_rows, *real_frames)
    if not columns:
        return None
    frames = frames_on(columns, release_rows, *real_frames)
    encoder = RowEncoder.fit(frames)
    return encoder.transform(frames[0]), [encoder.transform(f) for f in frames[1:]], len(columns)
