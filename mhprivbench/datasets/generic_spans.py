"""Ground-truth PII spans for the generic loader (``spans_column``): per row a JSON list of objects
``{"start": int, "end": int, "entity": str}`` with optional ``"kind"`` (``direct`` | ``quasi``; default from
``mhprivbench.identifiers.entity_kind``) and ``"attribute"`` (the persona attribute it reveals). In JSON/JSONL
(and Parquet) input the cell may hold the list itself instead of a JSON string. A blank cell means no spans.

Offsets are character offsets into the row's text, 0 <= start < end <= len(text). A malformed cell raises a
one-line ``DataError`` naming the file, the 1-based data row and the column, never the text or the cell.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from mhprivbench.datasets.values import is_blank
from mhprivbench.errors import DataError, clip
from mhprivbench.identifiers import entity_kind
from mhprivbench.types import Span

KINDS = ("direct", "quasi")
KEYS = frozenset({"start", "end", "entity", "kind", "attribute"})


def parse_spans(values: Sequence[Any], texts: Sequence[str], rows: Sequence[int], source: str,
                column: str) -> list[tuple[Span, ...]]:
    """The spans of every row (``rows``: 0-based rows of the file, for messages)."""
    return [_row_spans(value, text, row + 1, source, column) for value, text, row in zip(values, texts, rows,
                                                                                          strict=True)]


def _row_spans(value: Any, text: str, row: int, source: str, column: str) -> tuple[Span, ...]:
    where = f"{source}: row {row} (column {column!r})"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list | tuple) and is_blank(value):
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise DataError(f"{where}: malformed JSON (character {error.pos}: {error.msg}); expected a list "
                            "of {start, end, entity} objects") from None
    if not isinstance(value, list | tuple):
        raise DataError(f"{where}: expected a JSON list of {{start, end, entity}} objects, got "
                        f"{type(value).__name__}")
    spans = [_span(item, len(text), f"{where}: span {i}") for i, item in enumerate(value)]
    return tuple(sorted(spans, key=lambda s: (s.start, s.end)))


def _span(item: Any, length: int, where: str) -> Span:
    if not isinstance(item, dict):
        raise DataError(f"{where}: expected an object {{start, end, entity}}, got {type(item).__name__}")
    unknown = sorted(str(k) for k in item if k not in KEYS)
    if unknown:
        raise DataError(f"{where}: unknown key {clip(unknown[0], 30)} (allowed: {', '.join(sorted(KEYS))})")
    start, end, entity = item.get("start"), item.get("end"), item.get("entity")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise DataError(f"{where}: start and end must be integers (character offsets)")
    if not 0 <= start < end <= length:
        raise DataError(f"{where}: offsets {start}-{end} are outside the text (length {length}) or empty")
    if not isinstance(entity, str) or not entity.strip():
        raise DataError(f"{where}: entity must be a non-empty string (e.g. PERSON)")
    kind = item.get("kind", entity_kind(entity))
    if kind not in KINDS:
        raise DataError(f"{where}: kind must be one of {', '.join(KINDS)}, got {clip(kind, 20)}")
    attribute = item.get("attribute")
    if attribute is not None and not isinstance(attribute, str):
        raise DataError(f"{where}: attribute must be a string or absent")
    return Span(start, end, entity.strip()[:64], kind, attribute)
