"""Hugging Face datasets for the generic loader: ``save_to_disk`` folders (read with pyarrow alone, so they work
without the ``datasets`` package too) and ``hf:<hub name>`` through ``datasets.load_dataset`` (network access, or
its local cache with ``HF_HUB_OFFLINE=1``; offline and not cached: a one-line error saying so). Errors are one-line ``DataError``s naming the folder or name, never a record.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from mhprivbench.errors import DataError


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


def read_hub(name: str, split: str | None) -> tuple[pd.DataFrame, str, dict[str, Any]]:
    try:
        import datasets
    except ImportError:
        raise DataError(
            f"reading 'hf:{name}' needs the optional package 'datasets' (pip install datasets) and network "
            "access; or save the dataset with save_to_disk elsewhere and pass that folder as path"
        ) from None
    try:
        loaded = datasets.load_dataset(name, split=split)
    except ConnectionError:  # offline (HF_HUB_OFFLINE=1, as make sets it) or no network, and not in the cache
        raise DataError(f"hf:{name}: not in the local Hugging Face cache and the hub cannot be reached (offline: "
                        "HF_HUB_OFFLINE=1 or no network); download it once online, or save_to_disk it elsewhere and "
                        "pass that folder as path") from None
    except Exception as error:  # unknown name, unknown split, a broken cache: all one-line DataErrors
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
