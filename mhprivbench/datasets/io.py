"""Read dataset files (CSV, JSONL/JSON, Parquet) into DataFrames with one-line ``DataError``s, and find them.

Every error names the file, the row (1-based data row, header excluded) and the column, never a cell's content.
CSV is read with every cell as a string and no NA guessing, so a post that says "NA" stays text.

Search order for a real dataset folder (``resolve_files``): the explicit ``path`` parameter (a folder, or the
file itself when the dataset has one file), else ``$MHPRIVBENCH_DATA/<folder>``, else ``./data/<folder>``, else
``../shared/data/<folder>`` (both relative to the working directory), else ``DatasetNotFoundError`` listing what
was tried.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mhprivbench.errors import DataError, DatasetNotFoundError, clip

DATA_ENV = "MHPRIVBENCH_DATA"
SEARCH_DIRS = (Path("data"), Path("..") / "shared" / "data")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq")
_CHUNK = 1 << 20


# --- locating files -------------------------------------------------------------------------------------------

def resolve_files(folder: str, filenames: Sequence[str], path: str | os.PathLike | None = None, *,
                  dataset: str) -> list[Path]:
    """Absolute paths of ``filenames`` inside the dataset folder found by the search order above."""
    if path is not None:
        return _explicit_files(Path(path).expanduser(), filenames, dataset)
    tried: list[str] = []
    candidates: list[Path] = []
    env = os.environ.get(DATA_ENV)
    if env:
        candidates.append(Path(env).expanduser() / folder)
    else:
        tried.append(f"${DATA_ENV} (unset)")
    candidates += [base / folder for base in SEARCH_DIRS]
    for candidate in candidates:
        missing = [name for name in filenames if not (candidate / name).is_file()]
        if not missing:
            return [(candidate / name).resolve() for name in filenames]
        why = f"lacks {', '.join(missing)}" if candidate.is_dir() else "absent"
        tried.append(f"{candidate.absolute()} ({why})")
    raise DatasetNotFoundError(
        f"dataset {dataset!r} not found; tried: {'; '.join(tried)}; pass path=<folder> "
        f"or set ${DATA_ENV} to the folder that holds {folder}/"
    )


def _explicit_files(path: Path, filenames: Sequence[str], dataset: str) -> list[Path]:
    if not path.exists():
        raise DatasetNotFoundError(f"dataset {dataset!r}: path {path.absolute()} does not exist")
    if path.is_file():
        if len(filenames) == 1:
            return [path.resolve()]
        raise DatasetNotFoundError(
            f"dataset {dataset!r}: path {path.absolute()} is a file; expected the folder that holds "
            f"{', '.join(filenames)}"
        )
    missing = [name for name in filenames if not (path / name).is_file()]
    if missing:
        raise DatasetNotFoundError(f"dataset {dataset!r}: folder {path.absolute()} lacks {', '.join(missing)}")
    return [(path / name).resolve() for name in filenames]


def require_file(path: str | os.PathLike, *, dataset: str) -> Path:
    """An explicit file or folder that must exist (generic loader)."""
    resolved = Path(path).expanduser()
    if not resolved.exists():
        raise DatasetNotFoundError(f"dataset {dataset!r}: path {resolved.absolute()} does not exist")
    return resolved.resolve()


# --- checksums and provenance ---------------------------------------------------------------------------------

def sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def combine_sha256(file_hashes: Mapping[str, str]) -> str:
    """One digest for several files: the file's own sha256 when there is one, else sha256 of "name sha" lines."""
    if len(file_hashes) == 1:
        return next(iter(file_hashes.values()))
    lines = "".join(f"{name} {sha}\n" for name, sha in sorted(file_hashes.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def provenance(files: Iterable[Path], *, revision: str | None, source: str, license: str | None,
               known: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Corpus metadata: sha256 of the files actually read; ``revision`` only if they match ``known`` hashes."""
    files = [Path(f) for f in files]
    clash = len({f.name for f in files}) < len(files)  # e.g. one Arrow file per split of a saved DatasetDict
    hashes = {f"{f.parent.name}/{f.name}" if clash else f.name: sha256_file(f) for f in files}
    if known is not None and any(known.get(name) != sha for name, sha in hashes.items()):
        revision = "unknown (files differ from the published revision)"
    return {"revision": revision, "sha256": combine_sha256(hashes), "files": hashes, "source": source,
            "license": license}


# --- reading --------------------------------------------------------------------------------------------------

def check_utf8(path: Path) -> None:
    """DataError naming the byte offset of the first byte that is not valid UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                raise DataError(
                    f"{path}: not UTF-8 text (invalid byte at offset {offset - pending + error.start}); "
                    "re-save the file as UTF-8"
                ) from None
            if b"\0" in chunk:
                nul = offset + chunk.index(b"\0")
                raise DataError(f"{path}: contains NUL bytes at offset {nul} (a binary file?); expected text")
            if not chunk:
                return
            offset += len(chunk)


def read_table(path: str | os.PathLike, *, header: bool = True) -> pd.DataFrame:
    """CSV/TSV (all cells strings), JSONL/NDJSON/JSON (list of objects) or Parquet, chosen by the suffix.
    ``header=False``: a CSV/TSV without a header row; its columns are named by position, "0", "1", ..."""
    path = Path(path)
    try:
        return _read_table(path, header)
    except OSError as error:  # permission denied, a folder named like a file, an I/O error
        raise DataError(f"{path}: cannot read ({error.strerror or type(error).__name__})") from None
    except RecursionError:
        raise DataError(f"{path}: nested too deeply to be a table of records") from None


def _read_table(path: Path, header: bool = True) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise DataError(f"{path}: unsupported file type {suffix or '(none)'!r}; expected one of "
                        f"{', '.join(TABLE_SUFFIXES)}")
    if not path.is_file():
        raise DatasetNotFoundError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: empty file (0 bytes)")
    if suffix in (".parquet", ".pq"):
        frame = _read_parquet(path)
    else:
        check_utf8(path)
        is_json = suffix.startswith((".json", ".nd"))
        frame = _read_json(path, lines=suffix != ".json") if is_json else _read_csv(path, header)
    if frame.empty:
        raise DataError(f"{path}: no data rows")
    return frame


def _read_csv(path: Path, header: bool = True) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", header=0 if header else None,
                            sep="\t" if path.suffix.lower() == ".tsv" else ",")
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: empty file (no header row)") from None
    except pd.errors.ParserError as error:
        raise DataError(f"{path}: malformed CSV ({_parser_detail(str(error))})") from None
    if not isinstance(frame.index, pd.RangeIndex):  # pandas makes an extra first field the row index, silently
        raise DataError(f"{path}: malformed CSV (row 1 has {len(frame.columns) + 1} fields, the header has "
                        f"{len(frame.columns)}; quote fields that contain commas)")
    if not header:
        frame.columns = [str(i) for i in range(len(frame.columns))]
    return frame


def _parser_detail(message: str) -> str:
    """Structure-only description of a pandas parser error (line and field counts, no cell content)."""
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        expected, line, saw = fields.groups()
        return f"line {line} has {saw} fields, the header has {expected}; quote fields that contain commas"
    eof = re.search(r"EOF inside string starting at row (\d+)", message)
    if eof:
        return f"a quoted field opened in row {eof.group(1)} is never closed"
    return "the tokenizer rejected it; check quoting and delimiters"


def _read_json(path: Path, *, lines: bool) -> pd.DataFrame:
    with open(path, encoding="utf-8-sig") as handle:
        if not lines:
            try:
                rows = json.load(handle)
            except json.JSONDecodeError as error:
                raise DataError(f"{path}: malformed JSON (line {error.lineno}, column {error.colno}: "
                                f"{error.msg})") from None
            if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
                raise DataError(f"{path}: expected a JSON list of objects (one per record)")
            return pd.DataFrame.from_records(rows)
        rows = [_json_line(path, number, line) for number, line in enumerate(handle, 1) if line.strip()]
    if not rows:
        raise DataError(f"{path}: empty file (no JSON lines)")
    return pd.DataFrame.from_records(rows)


def _json_line(path: Path, number: int, line: str) -> dict:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise DataError(f"{path}: malformed JSON on line {number} (column {error.colno}: {error.msg})") from None
    if not isinstance(row, dict):
        raise DataError(f"{path}: line {number} is not a JSON object")
    return row


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as error:  # pyarrow.ArrowInvalid is a ValueError
        raise DataError(f"{path}: not a readable Parquet file ({type(error).__name__})") from None


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


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def text_values(frame: pd.DataFrame, column: str, source: str | os.PathLike, *, what: str = "text") -> list[str]:
    """The column as strings; DataError on the first empty cell, naming its row."""
    values = frame[column].tolist()
    for index, value in enumerate(values):
        if _is_blank(value):
            raise DataError(f"{source}: empty {what} in row {index + 1} (column {column!r})")
    return [str(v) for v in values]


def label_values(frame: pd.DataFrame, column: str, source: str | os.PathLike, *, min_classes: int = 2) -> list[str]:
    """Labels as strings (1.0 -> "1"); DataError on an empty label or fewer than ``min_classes`` classes."""
    labels = [_label_str(v) for v in text_values(frame, column, source, what="label")]
    classes = len(set(labels))
    if classes < min_classes:
        kind = "a single class" if classes == 1 else f"{classes} classes"
        raise DataError(f"{source}: label column {column!r} has {kind} across {len(labels)} rows; "
                        f"classification needs at least {min_classes}")
    return labels


def _label_str(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value.strip()
    return str(int(number)) if number.is_integer() and "." in value else value.strip()


def optional_values(frame: pd.DataFrame, column: str) -> list[str | None]:
    """The column as strings with blank cells as None (authors, groups)."""
    return [None if _is_blank(v) else _label_str(str(v)) for v in frame[column].tolist()]


# --- shared by the loader plugins -----------------------------------------------------------------------------

def check_loader_params(inject_pii: Any, seed: Any, path: Any = None) -> None:
    """ValueError (the registry turns it into ConfigError) on a bad common parameter."""
    if isinstance(inject_pii, bool) or not isinstance(inject_pii, int | float) or not 0 <= inject_pii <= 1:
        raise ValueError(f"inject_pii must be a rate in [0, 1], got {inject_pii!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    if path is not None and not isinstance(path, str | os.PathLike):
        raise ValueError(f"path must be a string or None, got {type(path).__name__}")


def finish(corpus: Any, *, inject_pii: float, seed: int) -> Any:
    """Inject synthetic PII (ground-truth spans + personas) when ``inject_pii > 0``; keep the provenance."""
    if inject_pii <= 0:
        return corpus
    import dataclasses

    from mhprivbench.datasets.inject import inject_pii as inject

    injected = inject(corpus, seed=seed, rate=float(inject_pii))
    metadata = {**corpus.metadata, **injected.metadata}
    return dataclasses.replace(injected, metadata=metadata)
