"""Generic loader: bring your own labelled text as CSV/TSV, JSONL/JSON, Parquet or a Hugging Face dataset.

``path`` is a file, a folder written by ``datasets.Dataset.save_to_disk`` / ``DatasetDict.save_to_disk`` (read
with pyarrow alone: the optional ``datasets`` package is not needed), or ``hf:<hub name>`` (needs ``datasets``
and network access; ``HF_HUB_OFFLINE=1`` makes it use the local hub cache only). ``split`` picks one split of a
DatasetDict or hub dataset; by default every split is concatenated, since mhprivbench makes its own splits.
Authors are stored as ``hash_id(value)``; blank authors become None. ``uid`` is ``<name>-<0-based row>``.

``labels`` declares the task's public label set (``Corpus.declared_labels``): the classes of the task, whether or
not each occurs in this file. DP mechanisms need it (they never learn the label set from the private records) and
refuse to run without it. When given, every label in the file must be one of them (``DataError`` otherwise) and
``crisis_label`` must be one of them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mhprivbench.datasets.corpus import Corpus
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
from mhprivbench.errors import DataError, clip
from mhprivbench.registry import register
from mhprivbench.types import Record, hash_id

HF_PREFIX = "hf:"


@register("dataset", "generic")
@dataclass
class GenericDataset:
    """Any labelled text table; see the module docstring for the accepted ``path`` forms."""

    path: str
    text_column: str = "text"
    label_column: str = "label"
    author_column: str | None = None
    group_columns: list[str] = field(default_factory=list)
    name: str = "generic"
    split: str | None = None
    crisis_label: str | None = None
    labels: list[str] | None = None  # the task's public label set; None: none declared (DP mechanisms refuse)
    id_column: str | None = None  # record ids (hashed into uids); None: rows are numbered
    header: str = "first_row"  # CSV/TSV: "first_row" names the columns; "none": no header, columns "0", "1", ...
    inject_pii: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        check_loader_params(self.inject_pii, self.seed)
        if not isinstance(self.path, str) or not self.path.strip():
            raise ValueError(f"path must be a non-empty string, got {self.path!r}")
        for key in ("text_column", "label_column", "name"):
            if not isinstance(getattr(self, key), str) or not getattr(self, key):
                raise ValueError(f"{key} must be a non-empty string, got {getattr(self, key)!r}")
        for key in ("author_column", "id_column", "split", "crisis_label"):
            if getattr(self, key) is not None and not isinstance(getattr(self, key), str):
                raise ValueError(f"{key} must be a string or None, got {getattr(self, key)!r}")
        if not isinstance(self.group_columns, list | tuple) or not all(isinstance(c, str) for c in self.group_columns):
            raise ValueError(f"group_columns must be a list of column names, got {self.group_columns!r}")
        if self.labels is not None:
            _check_declared(self.labels, self.crisis_label)
        if self.header not in ("first_row", "none"):
            raise ValueError(f"header must be 'first_row' or 'none', got {clip(repr(self.header), 40)}")

    def load(self) -> Corpus:
        frame, source, metadata = self._read()
        columns = [self.text_column, self.label_column, *self.group_columns]
        optional = [c for c in (self.author_column, self.id_column) if c]
        require_columns(frame, columns + optional, source)
        uids = self._uids(frame, source)
        texts = text_values(frame, self.text_column, source)
        labels = label_values(frame, self.label_column, source)
        authors = optional_values(frame, self.author_column) if self.author_column else [None] * len(frame)
        groups = {column: optional_values(frame, column) for column in self.group_columns}
        records = tuple(
            Record(uid=uids[row], text=texts[row], label=labels[row],
                   author=None if authors[row] is None else hash_id(authors[row]),
                   group={column: values[row] or "unknown" for column, values in groups.items()})
            for row in range(len(frame))
        )
        if self.labels is not None:
            _require_declared(labels, self.labels, source, self.label_column)
        elif self.crisis_label is not None and self.crisis_label not in set(labels):
            raise DataError(f"{source}: crisis_label {self.crisis_label!r} is not a value of column "
                            f"{self.label_column!r} ({len(set(labels))} classes present)")
        declared = tuple(self.labels) if self.labels is not None else None
        corpus = Corpus(name=self.name, records=records, metadata=metadata, crisis_label=self.crisis_label,
                        declared_labels=declared)
        return finish(corpus, inject_pii=self.inject_pii, seed=self.seed)

    def _uids(self, frame: pd.DataFrame, source: str) -> list[str]:
        """``<name>-<row>``, or ``<name>-<hash of the id>`` with ``id_column`` (ids must be unique and non-empty;
        errors name rows, never the ids)."""
        if not self.id_column:
            return [f"{self.name}-{row}" for row in range(len(frame))]
        ids = text_values(frame, self.id_column, source, what="id")
        first: dict[str, int] = {}
        for row, value in enumerate(ids, start=1):
            if value in first:
                raise DataError(f"{source}: column {self.id_column!r}: rows {first[value]} and {row} have the same "
                                "id (ids must be unique)")
            first[value] = row
        return [f"{self.name}-{hash_id(value)}" for value in ids]

    def _read(self) -> tuple[pd.DataFrame, str, dict[str, Any]]:
        if self.path.startswith(HF_PREFIX):
            return _read_hub(self.path[len(HF_PREFIX):], self.split)
        path = require_file(self.path, dataset=self.name)
        if path.is_dir():
            frame, files = read_saved_dataset(path, self.split)
        else:
            frame, files = read_table(path, header=self.header == "first_row"), [path]
        return frame, str(path), provenance(files, revision="local file", source=str(path), license=None)


def _check_declared(labels: Any, crisis_label: str | None) -> None:
    """ValueError (the registry makes it a ConfigError) unless ``labels`` is a list of >= 2 distinct strings."""
    if not isinstance(labels, list | tuple) or not all(isinstance(v, str) and v.strip() for v in labels):
        raise ValueError("labels must be a list of non-empty strings (quote numeric labels: ['0', '1']), "
                         f"got {type(labels).__name__}")
    if len(set(labels)) != len(labels) or len(labels) < 2:
        raise ValueError(f"labels must list at least 2 distinct labels, got {len(labels)} entries "
                         f"({len(set(labels))} distinct)")
    if crisis_label is not None and crisis_label not in labels:
        raise ValueError(f"crisis_label {crisis_label[:40]!r} is not one of the declared labels")


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


def read_saved_dataset(folder: Path, split: str | None = None) -> tuple[pd.DataFrame, list[Path]]:
    """A folder written by ``Dataset.save_to_disk`` or ``DatasetDict.save_to_disk``, read with pyarrow."""
    listing = folder / "dataset_dict.json"
    if listing.is_file():
        splits = _json(listing).get("splits", [])
        if split is not None and split not in splits:
            raise DataError(f"{folder}: no split {split!r} (splits: {', '.join(splits)})")
        parts = [_read_arrow_folder(folder / name) for name in ([split] if split else splits)]
        if not parts:
            raise DataError(f"{listing}: lists no splits")
        return pd.concat([p[0] for p in parts], ignore_index=True), [f for p in parts for f in p[1]]
    if split is not None:
        raise DataError(f"{folder}: split={split!r} given, but this folder holds a single Dataset "
                        "(no dataset_dict.json)")
    return _read_arrow_folder(folder)


def _read_arrow_folder(folder: Path) -> tuple[pd.DataFrame, list[Path]]:
    import pyarrow as pa

    state = folder / "state.json"
    if not state.is_file():
        raise DataError(f"{folder}: not a saved Hugging Face dataset (no state.json or dataset_dict.json); "
                        "pass a CSV, JSONL or Parquet file instead")
    files = [folder / entry["filename"] for entry in _json(state).get("_data_files", [])]
    if not files:
        raise DataError(f"{state}: lists no data files")
    tables = []
    for file in files:
        if not file.is_file():
            raise DataError(f"{state}: lists {file.name}, which is missing")
        try:
            with pa.memory_map(str(file)) as source:
                tables.append(pa.ipc.open_stream(source).read_all())
        except (OSError, pa.ArrowInvalid) as error:
            raise DataError(f"{file}: not a readable Arrow stream ({type(error).__name__})") from None
    frame = pa.concat_tables(tables).to_pandas()
    if frame.empty:
        raise DataError(f"{folder}: no data rows")
    return frame, files


def _json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataError(f"{path}: malformed JSON ({type(error).__name__})") from None
    if not isinstance(value, dict):
        raise DataError(f"{path}: expected a JSON object")
    return value


def _read_hub(name: str, split: str | None) -> tuple[pd.DataFrame, str, dict[str, Any]]:
    try:
        import datasets
    except ImportError:
        raise DataError(
            f"reading 'hf:{name}' needs the optional package 'datasets' (pip install datasets) and network "
            "access; or save the dataset with save_to_disk elsewhere and pass that folder as path"
        ) from None
    try:
        loaded = datasets.load_dataset(name, split=split)
    except Exception as error:  # network, unknown name, unknown split: all one-line DataErrors
        raise DataError(f"hf:{name}: could not be loaded ({type(error).__name__})") from None
    parts = [loaded] if split is not None else [loaded[key] for key in loaded]
    frame = pd.concat([part.to_pandas() for part in parts], ignore_index=True)
    if frame.empty:
        raise DataError(f"hf:{name}: no data rows")
    fingerprints = "".join(part._fingerprint for part in parts)
    metadata = {"revision": f"hub fingerprint {fingerprints[:64]}",
                "sha256": hashlib.sha256(fingerprints.encode()).hexdigest(), "files": {},
                "source": f"https://huggingface.co/datasets/{name}", "license": None}
    return frame, f"hf:{name}", metadata
