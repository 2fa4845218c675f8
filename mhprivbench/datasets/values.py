"""Column values of a loaded table: texts, labels and optional columns as strings, bad rows, and the class rule.

Every message names the file, the row (1-based data row, header excluded) and the column, never a cell's content.

Labels are strings. ``label_str`` writes a number the same way wherever it comes from (a CSV cell, a JSON or
Parquet number, or a number in a suite's ``labels`` / ``crisis_label``): an integer value has no decimal point
(``1``, ``1.0``, ``"1.0"`` and ``" 1 "`` are all ``"1"``), anything else is kept as written (stripped). NaN (a
missing JSON/Parquet value, or a cell reading ``nan``/``NaN``) is a missing label, never a class.

Too many classes (``check_class_count``): a label column may hold at most ``max(50, n_rows // 5)`` classes.
Stratified splits put about half the rows in train and a quarter in test, so a class needs a few rows to be both
learned and measured: beyond 50 classes the rule asks for at least 5 rows per class on average (one or two in
test). Up to 50 classes always pass, so small files and toy examples load. A column above the limit is almost
always the wrong column (free text, ids, timestamps: a text column as labels has about one class per row); the
generic loader's ``max_classes`` overrides the limit for a genuinely fine-grained task.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from mhprivbench.errors import DataError, clip

BAD_ROWS = ("error", "skip")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?")


# --- column checks --------------------------------------------------------------------------------------------

_HEADER_CELL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,39}|Unnamed: \d+")


def looks_like_header(columns: Iterable[Any]) -> bool:
    """True when every column name looks like a name (an identifier of at most 40 characters, no spaces, '@' or
    leading digit): only then are column names safe to show. A header-less CSV has a record as its "header"."""
    return all(isinstance(c, str) and _HEADER_CELL.fullmatch(c) for c in columns)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], source: str | os.PathLike) -> None:
    """DataError naming the first missing column; the present ones are listed only if they look like a header."""
    for column in columns:
        if column not in frame.columns:
            raise DataError(f"{source}: missing column {clip(column, 40)} ({_present(frame.columns)})")


def _present(columns: Sequence[Any]) -> str:
    if looks_like_header(columns):
        return f"columns present: {', '.join(str(c) for c in columns)}"
    return (f"{len(columns)} columns; the first row does not look like a header, so it is not shown: add a header "
            "row naming the columns (e.g. text,label), or pass `header: none` and name the columns by position "
            "(0, 1, ...)")


def is_blank(value: Any) -> bool:
    """None, NaN, or a string of whitespace."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def is_missing_label(value: Any) -> bool:
    """Blank, or a string that reads as NaN (``nan``, ``NaN``: how some tools write a missing number)."""
    return is_blank(value) or (isinstance(value, str) and value.strip().lower() in ("nan", "-nan", "+nan"))


def label_str(value: Any) -> str:
    """A label as a string, the same for 1, 1.0 and "1.0" (see the module docstring). ValueError on NaN or a
    value that is not a string or a number."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"a label must be a string or a number, got {type(value).__name__}")
    if isinstance(value, float):
        if math.isnan(value):
            raise ValueError("a label must not be NaN")
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = value.strip()
    if _DECIMAL.fullmatch(text) and float(text).is_integer():
        return str(int(float(text)))
    return text


def text_values(frame: pd.DataFrame, column: str, source: str | os.PathLike, *, what: str = "text") -> list[str]:
    """The column as strings; DataError on the first empty cell, naming its row."""
    values = frame[column].tolist()
    for index, value in enumerate(values):
        if is_blank(value):
            raise DataError(f"{source}: empty {what} in row {index + 1} (column {column!r})")
    return [str(v) for v in values]


def label_values(frame: pd.DataFrame, column: str, source: str | os.PathLike, *, min_classes: int = 2) -> list[str]:
    """Labels as strings (``label_str``); DataError on an empty or NaN label or fewer than ``min_classes``."""
    values = frame[column].tolist()
    for index, value in enumerate(values):
        if is_missing_label(value):
            kind = "empty" if is_blank(value) else "NaN"
            raise DataError(f"{source}: {kind} label in row {index + 1} (column {column!r})")
    labels = [label_str(v if isinstance(v, int | float) and not isinstance(v, bool) else str(v)) for v in values]
    check_min_classes(labels, column, source, min_classes)
    return labels


def check_min_classes(labels: Sequence[str], column: str, source: str | os.PathLike, min_classes: int = 2) -> None:
    classes = len(set(labels))
    if classes < min_classes:
        kind = "a single class" if classes == 1 else f"{classes} classes"
        raise DataError(f"{source}: label column {column!r} has {kind} across {len(labels)} rows; "
                        f"classification needs at least {min_classes}")


def optional_values(frame: pd.DataFrame, column: str) -> list[str | None]:
    """The column as strings with blank cells as None (authors, groups)."""
    return [None if is_blank(v) else label_str(str(v)) for v in frame[column].tolist()]


def bad_rows(frame: pd.DataFrame, text_column: str, label_column: str) -> list[tuple[int, str, str]]:
    """(1-based row, what is wrong, column) for every row with an empty text or an empty / NaN label."""
    found = []
    texts, labels = frame[text_column].tolist(), frame[label_column].tolist()
    for index, (text, label) in enumerate(zip(texts, labels, strict=True)):
        if is_blank(text):
            found.append((index + 1, "empty text", text_column))
        elif is_missing_label(label):
            found.append((index + 1, f"{'empty' if is_blank(label) else 'NaN'} label", label_column))
    return found


def class_limit(n_rows: int) -> int:
    """The most classes a label column of ``n_rows`` rows may hold: ``max(50, n_rows // 5)``."""
    return max(50, n_rows // 5)


def check_class_count(labels: Sequence[str], column: str, source: str | os.PathLike,
                      max_classes: int | None = None) -> None:
    """DataError with the figures when the column holds more classes than ``class_limit`` (or ``max_classes``)."""
    n_classes, n_rows = len(set(labels)), len(labels)
    limit = class_limit(n_rows) if max_classes is None else max_classes
    if n_classes <= limit:
        return
    rule = "max_classes" if max_classes is not None else "the limit is max(50, rows/5)"
    raise DataError(f"{source}: label column {column!r} has {n_classes} classes across {n_rows} rows, more than "
                    f"{limit} ({rule}): is label_column the right column? For a fine-grained task set "
                    f"`max_classes: {n_classes}`")
