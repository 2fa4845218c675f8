"""Records <-> tables: the structured part of a record (``group`` and ``fields``) and its label as one row.

A ``table`` release (``Release(kind="table", table=frame)``) is a DataFrame in this layout: one column per
structured field (scalars only, ``group`` and ``fields`` merged, ``fields`` winning on a shared key) and the label
in ``LABEL``. Table synthesizers fit on ``records_to_frame(splits.train)``; table attacks compare a release with
``records_to_frame(splits.train)`` (members) and ``records_to_frame(splits.control)`` (non-members).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mhprivbench.types import Record

if TYPE_CHECKING:
    import pandas as pd

LABEL = "label"
_SCALARS = (str, int, float)


def row_of(record: Record) -> dict[str, Any]:
    """The record's scalar structured fields (``group`` then ``fields``) and its label."""
    row = {str(k): v for mapping in (record.group, record.fields) for k, v in mapping.items()
           if isinstance(v, _SCALARS) and not isinstance(v, bool)}
    row.pop(LABEL, None)
    row[LABEL] = record.label
    return row


def is_tabular(record: Record) -> bool:
    """Whether the record has any structured field: a text-only record (e.g. a planted canary) is no table row."""
    return len(row_of(record)) > 1


def field_columns(records: Sequence[Record]) -> list[str]:
    """Structured columns present in every tabular record (sorted), label excluded: the table's shared schema.
    Text-only records (no structured field at all) neither shrink the schema nor become rows."""
    rows = [set(row_of(record)) for record in records if is_tabular(record)]
    if not rows:
        return []
    common = set.intersection(*rows)
    common.discard(LABEL)
    return sorted(common)


def records_to_frame(records: Sequence[Record], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per tabular record (``is_tabular``): ``columns`` (default: ``field_columns(records)``) then
    ``LABEL``."""
    return _frame([r for r in records if is_tabular(r)], field_columns(records) if columns is None else columns)


def _frame(records: Sequence[Record], columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    rows = [row_of(record) for record in records]
    return pd.DataFrame({name: [row.get(name) for row in rows] for name in [*columns, LABEL]})


def has_table(records: Sequence[Record]) -> bool:
    """Whether the records carry at least one structured field shared by all of them."""
    return bool(field_columns(records))


def feature_frame(records: Sequence[Record], columns: Sequence[str]) -> pd.DataFrame:
    """The inputs a fields classifier predicts from, one row per record (text-only ones included): a record that
    lacks a column gets None there."""
    return _frame(records, columns).drop(columns=[LABEL])


def plain(value: Any) -> Any:
    """A numpy scalar as the Python scalar it holds (int, float, str); NaN and None as None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table as dicts of plain Python scalars (missing values left out)."""
    columns = [str(c) for c in frame.columns]
    rows = []
    for values in frame.itertuples(index=False, name=None):
        row = {name: plain(value) for name, value in zip(columns, values, strict=True)}
        rows.append({name: value for name, value in row.items() if value is not None})
    return rows


def object_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with ``category`` columns cast to ``object`` (SDV's CTGAN rejects the category dtype)."""
    out = frame.copy()
    for name in out.columns:
        if str(out[name].dtype) == "category":
            out[name] = out[name].astype(object)
    return out
