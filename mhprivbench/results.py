"""Result records: pydantic models, JSON read/write/validate, schema version and upgrades.

Results hold only aggregates, parameters and hashed ids: never raw text or PII surface strings.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mhprivbench.errors import ResultError
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


def upgrade(data: Any) -> dict[str, Any]:
    """Bring an older result dict to SCHEMA_VERSION (version 1 is the first: nothing to migrate yet)."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != SCHEMA_VERSION:
        raise ResultError(f"unsupported result schema_version {version!r} (this version reads {SCHEMA_VERSION})")
    return data


def read_json(path: Path, problem: str) -> Any:
    """Parsed JSON of ``path``; ResultError ``"<path>: <problem> (<error type>)"`` when unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ResultError(f"{path}: {problem} ({type(error).__name__})") from None


def validated(model: type[ModelT], data: Any, path: Path) -> ModelT:
    """``model`` built from ``data``; ResultError naming the file and the first invalid field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise ResultError(f"{path}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None


def read_result(path: str | Path) -> Result:
    path = Path(path)
    return validated(Result, upgrade(read_json(path, "cannot read result JSON")), path)


def load_results(folder: str | Path) -> list[Result]:
    """Every result under ``folder`` (searched recursively), sorted by run id."""
    return sorted((read_result(p) for p in Path(folder).rglob("*.json")), key=lambda r: r.run_id)


def json_schema() -> dict[str, Any]:
    return Result.model_json_schema()
