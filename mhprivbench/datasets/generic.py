"""Generic loader: bring your own labelled text as CSV/TSV, JSONL/JSON, Parquet or a Hugging Face dataset.

``path`` is a file, a folder written by ``datasets.Dataset.save_to_disk`` / ``DatasetDict.save_to_disk`` (read
with pyarrow alone: the optional ``datasets`` package is not needed), or ``hf:<hub name>`` (needs ``datasets``
and network access; ``HF_HUB_OFFLINE=1`` makes it use the local hub cache only). A relative ``path`` in a suite
resolves from the suite file's folder (from the working directory in Python). ``split`` picks one split of a
DatasetDict or hub dataset; by default every split is concatenated, since mhprivbench makes its own splits.
Authors are stored as ``hash_id(value)``; blank authors become None. ``uid`` is ``<name>-<0-based row>``.
``name`` is the dataset's name on the leaderboard and in result files (a safe name: 1-64 letters, digits, '.',
'_' or '-'), so two custom datasets in one suite need two names.

Labels are strings; numbers are written one way (``values.label_str``: 1, 1.0 and "1.0" are all "1"), in the file
and in ``labels`` / ``crisis_label`` alike. ``labels`` declares the task's public label set
(``Corpus.declared_labels``): the classes of the task, whether or not each occurs in this file. DP mechanisms need
it (they never learn the label set from the private records) and refuse to run without it. When given, every label
in the file must be one of them (``DataError`` otherwise) and ``crisis_label`` must be one of them. A label column
with more classes than ``values.class_limit`` (or ``max_classes``) is refused with the figures.

``spans_column`` names a column of ground-truth PII spans (``generic_spans``: per row a JSON list of
``{start, end, entity}`` character offsets, optional ``kind`` and ``attribute``; in JSONL the field may hold the list
itself), so annotated data feeds ``pii_leak``, ``evaluate-pii`` and ``text_fidelity``; a malformed cell stops the
load with an error naming the file, row and column.

Bad rows (an empty text, an empty or NaN label): ``on_bad_rows: error`` (default) stops at the first, naming its
row; ``skip`` drops them, logs one warning line with the count, and records it in ``Corpus.metadata``
(``skipped_rows``, ``skipped_row_numbers``: 1-based data rows, at most 100). Row numbers in uids stay those of the
file. Parameter help: ``mhprivbench list --params dataset generic`` and ``datasets_cards/generic.md``.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mhprivbench.datasets.corpus import Corpus
from mhprivbench.datasets.generic_spans import parse_spans
from mhprivbench.datasets.hf import read_hub, read_saved_dataset
from mhprivbench.datasets.io import (
    check_loader_params,
    finish,
    label_values,
    optional_values,
    provenance,
    read_table,
    require_columns,
    require_file,
    text_values,
)
from mhprivbench.datasets.values import BAD_ROWS, bad_rows, check_class_count, is_blank, label_str
from mhprivbench.errors import DataError, clip
from mhprivbench.registry import register
from mhprivbench.specs import SLUG
from mhprivbench.types import Record, hash_id

HF_PREFIX = "hf:"
MAX_ROWS_LISTED = 100
log = logging.getLogger("mhprivbench.datasets")


@register("dataset", "generic")
@dataclass
class GenericDataset:
    """Any labelled text table (CSV/TSV, JSONL/JSON, Parquet, a save_to_disk folder or hf:NAME) by column names."""

    path: str  # file, save_to_disk folder or hf:NAME; relative paths in a suite resolve from the suite's folder
    text_column: str = "text"  # column holding the record text
    label_column: str = "label"  # column holding the class label (numbers become strings: 1, 1.0 -> "1")
    author_column: str | None = None  # column of author ids (stored hashed); None: no authors, no authorship attack
    group_columns: list[str] = field(default_factory=list)  # demographic columns for the fairness metrics
    name: str = "generic"  # dataset name on the leaderboard and result files, uid prefix (letters, digits, . _ -)
    split: str | None = None  # one split of a saved DatasetDict or hub dataset; None: every split
    crisis_label: str | None = None  # the high-risk class (utility.crisis_recall); must be a label of the task
    labels: list[str] | None = None  # the task's public label set; None: none declared (DP mechanisms refuse)
    id_column: str | None = None  # record ids (hashed into uids); None: rows are numbered
    spans_column: str | None = None  # ground-truth PII spans per row: JSON list of {start, end, entity} (a list in JSONL)
    header: str = "first_row"  # CSV/TSV: "first_row" names the columns; "none": no header, columns "0", "1", ...
    encoding: str = "utf-8"  # text encoding of CSV/TSV/JSON files, e.g. latin-1 or cp1252 for Excel exports
    on_bad_rows: str = "error"  # empty text or empty/NaN label: "error" stops at the row, "skip" drops and counts
    max_classes: int | None = None  # most label classes allowed; None: max(50, rows/5)
    inject_pii: float = 0.0  # share of records given synthetic PII (spans, personas) for the PII/linkage attacks
    seed: int = 0  # seed of the PII injection

    def __post_init__(self) -> None:
        check_loader_params(self.inject_pii, self.seed)
        if not isinstance(self.path, str) or not self.path.strip():
            raise ValueError(f"path must be a non-empty string, got {self.path!r}")
        for key in ("text_column", "label_column", "name"):
            if not isinstance(getattr(self, key), str) or not getattr(self, key):
                raise ValueError(f"{key} must be a non-empty string, got {getattr(self, key)!r}")
        if not SLUG.fullmatch(self.name):
            raise ValueError(f"name {clip(self.name)} is not a safe name (1-64 letters, digits, '.', '_' or '-', "
                             "starting with a letter or digit): it names the dataset in results")
        for key in ("author_column", "id_column", "spans_column", "split"):
            if getattr(self, key) is not None and not isinstance(getattr(self, key), str):
                raise ValueError(f"{key} must be a string or None, got {getattr(self, key)!r}")
        if not isinstance(self.group_columns, list | tuple) or not all(isinstance(c, str) for c in self.group_columns):
            raise ValueError(f"group_columns must be a list of column names, got {self.group_columns!r}")
        self._coerce_labels()
        _check_choices(self.header, self.on_bad_rows, self.encoding, self.max_classes)

    def _coerce_labels(self) -> None:
        """``labels`` and ``crisis_label`` as the strings the file's labels become (numbers allowed)."""
        if self.crisis_label is not None:
            try:
                self.crisis_label = label_str(self.crisis_label)
            except ValueError:
                raise ValueError(f"crisis_label must be a string or a number, got {clip(self.crisis_label)}") from None
        if self.labels is not None:
            self.labels = _declared(self.labels, self.crisis_label)

    def load(self) -> Corpus:
        frame, source, metadata = self._read()
        columns = [self.text_column, self.label_column, *self.group_columns]
        optional = [c for c in (self.author_column, self.id_column, self.spans_column) if c]
        require_columns(frame, columns + optional, source)
        frame, skipped = self._drop_bad_rows(frame, source)
        rows = frame.index.tolist()  # 0-based rows of the file (skipped rows keep their numbers out of the uids)
        uids = self._uids(frame, rows, source)
        texts = text_values(frame, self.text_column, source)
        labels = label_values(frame, self.label_column, source)
        authors = optional_values(frame, self.author_column) if self.author_column else [None] * len(frame)
        groups = {column: optional_values(frame, column) for column in self.group_columns}
        spans = (parse_spans(frame[self.spans_column].tolist(), texts, rows, source, self.spans_column)
                 if self.spans_column else [()] * len(frame))
        records = tuple(
            Record(uid=uids[i], text=texts[i], label=labels[i],
                   author=None if authors[i] is None else hash_id(authors[i]),
                   group={column: values[i] or "unknown" for column, values in groups.items()}, spans=spans[i])
            for i in range(len(frame))
        )
        self._check_labels(labels, source)
        if skipped:
            metadata = {**metadata, "skipped_rows": len(skipped), "skipped_row_numbers": skipped[:MAX_ROWS_LISTED]}
        declared = tuple(self.labels) if self.labels is not None else None
        corpus = Corpus(name=self.name, records=records, metadata=metadata, crisis_label=self.crisis_label,
                        declared_labels=declared)
        return finish(corpus, inject_pii=self.inject_pii, seed=self.seed)

    def _check_labels(self, labels: list[str], source: str) -> None:
        if self.labels is not None:
            _require_declared(labels, self.labels, source, self.label_column)
        elif self.crisis_label is not None and self.crisis_label not in set(labels):
            raise DataError(f"{source}: crisis_label {self.crisis_label!r} is not a value of column "
                            f"{self.label_column!r} ({len(set(labels))} classes present)")
        check_class_count(labels, self.label_column, source, self.max_classes)

    def _drop_bad_rows(self, frame: pd.DataFrame, source: str) -> tuple[pd.DataFrame, list[int]]:
        """The frame without bad rows (``on_bad_rows: skip``) and their 1-based numbers; DataError on the first
        one with ``on_bad_rows: error``."""
        frame = frame.reset_index(drop=True)  # the index is the 0-based row of the file from here on
        found = bad_rows(frame, self.text_column, self.label_column)
        if not found:
            return frame, []
        if self.on_bad_rows == "error":
            row, what, column = found[0]
            raise DataError(f"{source}: {what} in row {row} (column {column!r}); {len(found)} bad row"
                            f"{'s' if len(found) > 1 else ''} in all: fix them or pass `on_bad_rows: skip` to drop "
                            "them")
        numbers = [row for row, _, _ in found]
        if len(numbers) == len(frame):
            raise DataError(f"{source}: all {len(frame)} rows have an empty text or an empty/NaN label (columns "
                            f"{self.text_column!r}, {self.label_column!r})")
        listed = ", ".join(str(n) for n in numbers[:10]) + (", ..." if len(numbers) > 10 else "")
        log.warning("warning: dataset %r: skipped %d of %d rows of %s with an empty text or an empty/NaN label "
                    "(on_bad_rows: skip): rows %s", self.name, len(numbers), len(frame), source, listed)
        return frame.drop(index=[n - 1 for n in numbers]), numbers

    def _uids(self, frame: pd.DataFrame, rows: list[int], source: str) -> list[str]:
        """``<name>-<row>``, or ``<name>-<hash of the id>`` with ``id_column`` (ids must be unique and non-empty;
        errors name rows, never the ids)."""
        if not self.id_column:
            return [f"{self.name}-{row}" for row in rows]
        ids: list[str] = []
        first: dict[str, int] = {}
        for row, value in zip(rows, frame[self.id_column].tolist(), strict=True):
            if is_blank(value):
                raise DataError(f"{source}: empty id in row {row + 1} (column {self.id_column!r})")
            value = str(value)
            if value in first:
                raise DataError(f"{source}: column {self.id_column!r}: rows {first[value]} and {row + 1} have the "
                                "same id (ids must be unique)")
            first[value] = row + 1
            ids.append(value)
        return [f"{self.name}-{hash_id(value)}" for value in ids]

    def _read(self) -> tuple[pd.DataFrame, str, dict[str, Any]]:
        if self.path.startswith(HF_PREFIX):
            return read_hub(self.path[len(HF_PREFIX):], self.split)
        path = require_file(self.path, dataset=self.name)
        if path.is_dir():
            frame, files = read_saved_dataset(path, self.split)
        else:
            frame = read_table(path, header=self.header == "first_row", encoding=self.encoding)
            files = [path]
        return frame, str(path), provenance(files, revision="local file", source=str(path), license=None)


def _check_choices(header: Any, on_bad_rows: Any, encoding: Any, max_classes: Any) -> None:
    """ValueError (the registry makes it a ConfigError) on a bad ``header``, ``on_bad_rows``, ``encoding`` or
    ``max_classes``."""
    if header not in ("first_row", "none"):
        raise ValueError(f"header must be 'first_row' or 'none', got {clip(repr(header), 40)}")
    if on_bad_rows not in BAD_ROWS:
        raise ValueError(f"on_bad_rows must be one of {', '.join(BAD_ROWS)}, got {clip(repr(on_bad_rows), 40)}")
    try:
        codecs.lookup(encoding) if isinstance(encoding, str) else None
    except LookupError:
        encoding = None
    if not isinstance(encoding, str):
        raise ValueError(f"encoding must be a codec name Python knows (utf-8, latin-1, cp1252, ...), got "
                         f"{clip(encoding, 40)}")
    if max_classes is not None and (isinstance(max_classes, bool) or not isinstance(max_classes, int)
                                    or max_classes < 2):
        raise ValueError(f"max_classes must be an integer >= 2 or null, got {clip(max_classes, 40)}")


def _declared(labels: Any, crisis_label: str | None) -> list[str]:
    """``labels`` as strings (``label_str``); ValueError unless it lists >= 2 distinct non-empty labels that
    include ``crisis_label``."""
    if not isinstance(labels, list | tuple):
        raise ValueError("labels must be a list of labels (strings or numbers, e.g. ['0', '1'] or [0, 1]), "
                         f"got {type(labels).__name__}")
    try:
        coerced = [label_str(value) for value in labels]
    except ValueError as error:
        raise ValueError(f"labels must hold strings or numbers: {error}") from None
    if not all(coerced):
        raise ValueError("labels must be a list of non-empty labels (strings or numbers)")
    if len(set(coerced)) != len(coerced) or len(coerced) < 2:
        raise ValueError(f"labels must list at least 2 distinct labels, got {len(coerced)} entries "
                         f"({len(set(coerced))} distinct)")
    if crisis_label is not None and crisis_label not in coerced:
        raise ValueError(f"crisis_label {crisis_label[:40]!r} is not one of the declared labels")
    return coerced


def _require_declared(values: list[str], declared: list[str], source: str, column: str) -> None:
    """DataError naming the file and how many label values (and rows) the declaration lacks."""
    allowed = set(declared)
    unknown = sorted(set(values) - allowed)
    if unknown:
        rows = sum(1 for v in values if v not in allowed)
        raise DataError(f"{source}: {len(unknown)} values of label column {column!r} ({rows} rows) are not in the "
                        f"declared labels, {_examples(unknown)}")


_LABEL_LIKE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,23}|\d{1,3}")


def _examples(values: list[str]) -> str:
    """Up to 3 values that look like labels (short names or small numbers) and how many do not: a misnamed label
    column holds record text, which never goes into a message."""
    shown = [repr(v) for v in values if _LABEL_LIKE.fullmatch(v)][:3]
    hidden = sum(1 for v in values if not _LABEL_LIKE.fullmatch(v))
    note = f"{hidden} not shown: they do not look like labels (is label_column the right column?)" if hidden else ""
    return "; ".join(part for part in (f"e.g. {', '.join(shown)}" if shown else "", note) if part)
