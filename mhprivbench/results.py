"""Result records: pydantic models, JSON read/write/validate, schema version and upgrades.

Results hold only aggregates, parameters and hashed ids: never raw text or PII surface strings.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mhprivbench.errors import ResultError

SCHEMA_VERSION = 1


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
    model_config = ConfigDict(extra="forbid")
    kind: Literal["records", "table", "model"]
    epsilon: float | None = None
    delta: float | None = None
    n_records: int | None = None


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


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder + rename: readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; results hold aggregates only and are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_result(result: Result, path: Path) -> None:
    atomic_write_text(path, result.model_dump_json(indent=2) + "\n")


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older result dict to SCHEMA_VERSION (version 1 is the first: nothing to migrate yet)."""
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ResultError(f"unsupported result schema_version {version!r} (this version reads {SCHEMA_VERSION})")
    return data


def read_result(path: str | Path) -> Result:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ResultError(f"{path}: cannot read result JSON ({type(error).__name__})") from None
    try:
        return Result.model_validate(upgrade(data))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ResultError(f"{path}: {where}: {first['msg']}") from None


def load_results(folder: str | Path) -> list[Result]:
    """Every result under ``folder`` (searched recursively), sorted by run id."""
    return sorted((read_result(p) for p in Path(folder).rglob("*.json")), key=lambda r: r.run_id)


def json_schema() -> dict[str, Any]:
    return Result.model_json_schema()
