"""Read dataset files (CSV, JSONL/JSON, Parquet) into DataFrames with one-line ``DataError``s, and find them.

Every error names the file, the row (1-based data row, header excluded) and the column, never a cell's content.
CSV is read with every cell as a string and no NA guessing, so a post that says "NA" stays text.

Search order for a real dataset folder (``resolve_files``): the explicit ``path`` parameter (a folder, or the
file itself when the dataset has one file), else ``$MHPRIVBENCH_DATA/<folder>``, else ``./data/<folder>``, else
``../shared/data/<folder>`` (both relative to the working directory), else ``DatasetNotFoundError`` listing what
was tried. A relative explicit ``path`` resolves from the working directory, or, while a suite's datasets are
loaded (``paths_relative_to(suite folder)``, as the runner does), from the suite file's folder.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import pandas as pd

from mhprivbench.datasets.values import (  # noqa: F401 - re-exported: the loaders import them from here
    is_blank,
    label_values,
    looks_like_header,
    optional_values,
    require_columns,
    text_values,
)
from mhprivbench.errors import DataError, DatasetNotFoundError

DATA_ENV = "MHPRIVBENCH_DATA"
SEARCH_DIRS = (Path("data"), Path("..") / "shared" / "data")
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq")
_CHUNK = 1 << 20
_BASE: ContextVar[Path | None] = ContextVar("mhprivbench_path_base", default=None)


# --- locating files -------------------------------------------------------------------------------------------

@contextmanager
def paths_relative_to(folder: str | os.PathLike | None) -> Iterator[None]:
    """Within the block, a relative explicit ``path`` of a dataset resolves from ``folder`` (None: the working
    directory). The runner loads a suite's datasets inside ``paths_relative_to(suite.folder)``."""
    token = _BASE.set(None if folder is None else Path(folder))
    try:
        yield
    finally:
        _BASE.reset(token)


def anchored(path: str | os.PathLike) -> Path:
    """``path`` with ``~`` expanded, joined to the folder of ``paths_relative_to`` when relative."""
    path, base = Path(path).expanduser(), _BASE.get()
    return path if path.is_absolute() or base is None else base / path


def resolve_files(folder: str, filenames: Sequence[str], path: str | os.PathLike | None = None, *,
                  dataset: str) -> list[Path]:
    """Absolute paths of ``filenames`` inside the dataset folder found by the search order above."""
    if path is not None:
        return _explicit_files(anchored(path), filenames, dataset)
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
    resolved = anchored(path)
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

def check_utf8(path: Path, encoding: str = "utf-8") -> None:
    """DataError naming the byte offset of the first byte that is not valid text in ``encoding`` (for UTF-8, with
    the hint to pass ``encoding``); NUL bytes are refused too, except in UTF-16/32 files."""
    name = codecs.lookup(encoding).name
    decoder = codecs.getincrementaldecoder(name)()
    offset = 0
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                raise DataError(f"{path}: {_not_text(name, offset - pending + error.start)}") from None
            if b"\0" in chunk and not name.startswith(("utf-16", "utf-32")):
                nul = offset + chunk.index(b"\0")
                raise DataError(f"{path}: contains NUL bytes at offset {nul} (a binary file?); expected text")
            if not chunk:
                return
            offset += len(chunk)


def _not_text(encoding: str, offset: int) -> str:
    if encoding == "utf-8":
        return (f"not UTF-8 text (invalid byte at offset {offset}); if the file was saved by Excel or an older "
                "tool, pass `encoding: latin-1` (or `cp1252`), or re-save the file as UTF-8")
    return f"not valid {encoding} text (invalid byte at offset {offset}); check the `encoding` parameter"


def text_encoding(encoding: str) -> str:
    """The codec to read with: UTF-8 also strips a byte-order mark; LookupError on an unknown encoding."""
    name = codecs.lookup(encoding).name
    return "utf-8-sig" if name == "utf-8" else name


def read_table(path: str | os.PathLike, *, header: bool = True, encoding: str = "utf-8") -> pd.DataFrame:
    """CSV/TSV (all cells strings), JSONL/NDJSON/JSON (list of objects) or Parquet, chosen by the suffix.
    ``header=False``: a CSV/TSV without a header row; its columns are named by position, "0", "1", ...
    ``encoding`` applies to the text formats (CSV, TSV, JSON); Parquet stores its own."""
    path = Path(path)
    try:
        return _read_table(path, header, encoding)
    except OSError as error:  # permission denied, a folder named like a file, an I/O error
        raise DataError(f"{path}: cannot read ({error.strerror or type(error).__name__})") from None
    except RecursionError:
        raise DataError(f"{path}: nested too deeply to be a table of records") from None


def _read_table(path: Path, header: bool = True, encoding: str = "utf-8") -> pd.DataFrame:
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
        check_utf8(path, encoding)
        is_json = suffix.startswith((".json", ".nd"))
        codec = text_encoding(encoding)
        frame = _read_json(path, codec, lines=suffix != ".json") if is_json else _read_csv(path, header, codec)
    if frame.empty:
        raise DataError(f"{path}: no data rows")
    return frame


def _read_csv(path: Path, header: bool = True, encoding: str = "utf-8-sig") -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, header=0 if header else None,
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


def _read_json(path: Path, encoding: str = "utf-8-sig", *, lines: bool) -> pd.DataFrame:
    with open(path, encoding=encoding) as handle:
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
