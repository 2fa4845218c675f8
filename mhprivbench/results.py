"""Result records: pydantic models, JSON read/write/validate, schema version and upgrades.

Results hold only aggregates, parameters and hashed ids: never raw text or PII surface strings.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mhprivbench.errors import ResultError, clip
from mhprivbench.types import Neighbouring, PrivacyUnit

SCHEMA_VERSION = 1
ModelT = TypeVar("ModelT", bound=BaseModel)


class ScoreModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    higher_is_better: bool
    baseline: float | None = None
    control: float | None = None
    n: int | None = None


class ComponentRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class DatasetRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    params: dict[str, Any] = Field(default_factory=dict)
    revision: str | None = None
    sha256: str
    sizes: dict[str, int] = Field(default_factory=dict)


class ReleaseRef(BaseModel):
    """What was released and the privacy guarantee it declares.

    ``epsilon``/``delta`` hold for the declared ``neighbouring`` relation and ``privacy_unit``;
    ``max_contribution`` is k, the largest number of train records of one author, and ``epsilon_author`` /
    ``delta_author`` the author-level guarantee it implies (group privacy; the declared values when the unit is
    already the author). See mhprivbench.group_privacy.
    """

    model_config = ConfigDict(extra="forbid")
    kind: Literal["records", "table", "model"]
    epsilon: float | None = None
    delta: float | None = None
    n_records: int | None = None
    neighbouring: Neighbouring | None = None
    privacy_unit: PrivacyUnit | None = None
    max_contribution: int | None = None
    epsilon_author: float | None = None
    delta_author: float | None = None


class Result(BaseModel):
    """One cell: (dataset, mechanism, evaluator, seed) -> scores."""

    model_config = ConfigDict(extra="forbid")
    schema_version: Literal[1] = SCHEMA_VERSION
    run_id: str
    suite: str
    dataset: DatasetRef
    mechanism: ComponentRef
    evaluator: dict[str, Any]
    seed: int
    release: ReleaseRef
    scores: dict[str, ScoreModel]
    not_applicable: dict[str, str] = Field(default_factory=dict)  # attack -> reason
    warnings: list[str] = Field(default_factory=list)  # aggregate facts about the release (never text)
    timings: dict[str, float] = Field(default_factory=dict)  # seconds
    versions: dict[str, str] = Field(default_factory=dict)


def file_mode() -> int:
    """Mode of a new file under the current umask (0o666 & ~umask), read without changing the umask where the
    OS allows (/proc/self/status), so threads never see a temporary umask."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _temp_copy(path: Path, text: str) -> Path:
    """``text`` in a temp file next to ``path`` with the umask's mode; ResultError naming ``path`` on failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise ResultError(f"{path}: cannot write ({error.strerror or type(error).__name__})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, file_mode())  # mkstemp creates 0600; follow the umask like any other new file
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ResultError(f"{path}: cannot write ({error.strerror or type(error).__name__})") from None
        raise
    return Path(tmp)


def atomic_write_texts(files: list[tuple[Path, str]]) -> None:
    """Write several files all or none: every temp file first (a full disk fails here, leaving nothing), then
    rename each into place. Readers never see a half-written file."""
    temps: list[Path] = []
    try:
        for path, text in files:
            temps.append(_temp_copy(Path(path), text))
        for (path, _), tmp in zip(files, temps, strict=True):
            os.replace(tmp, path)
    except OSError as error:
        raise ResultError(f"{files[0][0]}: cannot write ({error.strerror or type(error).__name__})") from None
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder + rename: readers never see a half-written file."""
    atomic_write_texts([(Path(path), text)])


def ensure_under(root: str | Path, path: str | Path) -> Path:
    """``path`` if it stays inside ``root`` once symlinks and '..' are resolved, else ResultError."""
    base = Path(root).resolve()
    target = Path(path).resolve()
    if not target.is_relative_to(base):
        raise ResultError(f"{path}: resolves to {target}, outside the results folder {base}; refusing to use it")
    return Path(path)


def write_result(result: Result, path: Path) -> None:
    atomic_write_text(path, result.model_dump_json(indent=2) + "\n")


def upgrade(data: Any, path: Path | None = None) -> dict[str, Any]:
    """Bring an older result dict to SCHEMA_VERSION (version 1 is the first: nothing to migrate yet)."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != SCHEMA_VERSION:
        where = f"{path}: schema_version: " if path is not None else ""
        raise ResultError(f"{where}unsupported result schema_version {clip(version)} (this version reads "
                          f"{SCHEMA_VERSION})")
    return data


def read_json(path: Path, problem: str) -> Any:
    """Parsed JSON of ``path``; ResultError ``"<path>: <problem> (<error type>)"`` when unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        cause = "empty file" if isinstance(error, json.JSONDecodeError) and not error.doc.strip() else None
        raise ResultError(f"{path}: {problem} ({cause or _cause(error)})") from None
    except RecursionError:
        raise ResultError(f"{path}: {problem} (nested too deeply)") from None


def _cause(error: Exception) -> str:
    """What went wrong, without quoting the file's content."""
    if isinstance(error, json.JSONDecodeError):
        return f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 (invalid byte at offset {error.start})"
    return getattr(error, "strerror", None) or type(error).__name__


def validated(model: type[ModelT], data: Any, path: Path) -> ModelT:
    """``model`` built from ``data``; ResultError naming the file and the first invalid field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise ResultError(f"{path}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None


def read_result(path: str | Path) -> Result:
    path = Path(path)
    return validated(Result, upgrade(read_json(path, "cannot read result JSON"), path), path)


def result_files(folder: str | Path) -> list[Path]:
    """The ``*.json`` files under ``folder``, recursively, skipping hidden files and folders (``.quarantine/``)."""
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*.json")
                  if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def check_result(result: Result, path: Path, suite: str | None = None) -> Result:
    """ResultError naming the file and field when a result is foreign (another suite, or a run id that is not its
    file name) or holds a NaN or infinite number."""
    if suite is not None and result.suite != suite:
        raise ResultError(f"{path}: suite: {clip(result.suite)} is another suite's result (expected {suite!r})")
    if path.suffix == ".json" and path.stem != result.run_id:
        raise ResultError(f"{path}: run_id: {clip(result.run_id)} does not match the file name")
    for name, score in result.scores.items():
        for key in ("value", "ci_low", "ci_high", "baseline", "control"):
            number = getattr(score, key)
            if number is not None and not math.isfinite(number):
                raise ResultError(f"{path}: scores.{clip(name, 60)}.{key}: {number} is not a finite number")
    return result


def load_results(folder: str | Path, suite: str | None = None) -> list[Result]:
    """Every result under ``folder`` (searched recursively, hidden folders skipped), sorted by run id; with
    ``suite``, a result of another suite is an error naming its file, never merged."""
    return sorted((check_result(read_result(p), p, suite) for p in result_files(folder)), key=lambda r: r.run_id)


def json_schema() -> dict[str, Any]:
    return Result.model_json_schema()


# --- the results folder: checked before any work, healed on every run -------------------------------------------

def check_writable(folder: Path, what: str = "--out") -> None:
    """ResultError (one line naming ``folder`` and the cause) unless ``folder`` is, or can be created as, a
    writable folder: checked by creating and removing a temp file in it or its nearest existing parent."""
    if folder.is_symlink() and not folder.exists():
        raise ResultError(f"{what} {folder}: a dangling symlink (to {clip(os.readlink(folder))})")
    if folder.exists() and not folder.is_dir():
        raise ResultError(f"{what} {folder}: is a file, not a folder")
    existing = folder
    while not existing.exists():
        if existing.is_symlink():
            raise ResultError(f"{what} {folder}: {existing} is a dangling symlink")
        existing = existing.parent
    if not existing.is_dir():
        raise ResultError(f"{what} {folder}: cannot create it, {existing} is a file")
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".mhprivbench-probe-"):
            pass
    except OSError as error:
        where = "" if existing == folder else f"cannot create it in {existing}: "
        raise ResultError(f"{what} {folder}: {where}not writable ({error.strerror or type(error).__name__})") from None


def check_out_folder(out: Path, runs: Path, files: tuple[Path, ...] = ()) -> None:
    """Before any cell runs: OUT and OUT/runs/<suite> writable folders inside OUT, and ``files`` (the
    leaderboard pair) not folders, so a write that would fail is reported before the work, not after it."""
    check_writable(Path(out))
    ensure_under(out, runs)
    check_writable(runs, "results folder")
    for file in files:
        ensure_under(out, file)
        if file.exists() and not file.is_file():
            raise ResultError(f"{file}: exists and is not a file; the leaderboard cannot be written there")


def quarantine(path: Path) -> Path:
    """Move a bad result file into ``.quarantine/`` next to it (a numbered name if taken); the new path."""
    folder = path.parent / ".quarantine"
    folder.mkdir(exist_ok=True)
    target, number = folder / path.name, 1
    while target.exists():
        target, number = folder / f"{path.name}.{number}", number + 1
    os.replace(path, target)
    return target


def heal_runs(folder: Path, suite: str) -> list[str]:
    """Quarantine every result file in ``folder`` that is corrupt, empty, of another schema or suite, misnamed or
    holds NaN; one warning line per file (its name and the field or cause). The runner then recomputes it."""
    warnings = []
    for path in result_files(folder) if folder.is_dir() else []:
        try:
            check_result(read_result(path), path, suite)
        except ResultError as error:
            moved = quarantine(path)
            warnings.append(f"{error}; moved to {moved.parent}/ (recomputed when it is a cell of this suite)")
    return warnings
