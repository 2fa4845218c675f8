"""Flat YAML suites -> validated component specs -> plugin objects (lm-evaluation-harness style).

A list value in a mechanism's or dataset's params expands into a grid, except for a parameter whose
declared type is itself a list (write a list of lists to sweep such a parameter).

A suite read from a file knows its folder (``Suite.folder``): the runner loads the suite's datasets inside
``datasets.io.paths_relative_to(suite.folder)``, so a relative dataset ``path`` means "next to the suite file",
wherever the command runs. The spec keeps the path as written (cell ids do not depend on where the checkout is).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import typing
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from mhprivbench import registry
from mhprivbench.errors import ConfigError, clip
from mhprivbench.safe_yaml import load_yaml

SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
Seed = Annotated[int, Field(strict=True, ge=0)]


def check_slug(value: Any, key: str) -> str:
    """``value`` if it is a safe file or folder name (letters, digits, '.', '_', '-'; at most 64; not '.' or
    '..'), else ConfigError naming ``key``: names that become paths can never leave the results folder."""
    if not isinstance(value, str) or not SLUG.fullmatch(value) or value.strip(".") == "":
        raise ConfigError(f"{key}: {clip(value)} is not a safe name (1-64 letters, digits, '.', '_' or '-', "
                          "starting with a letter or digit): it names files and folders")
    return value


def _slug_field(value: Any) -> Any:
    """Pydantic field validator form of ``check_slug`` (the ValueError becomes a ConfigError with the key)."""
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise ValueError(f"{clip(value)} is not a safe name (1-64 letters, digits, '.', '_' or '-', starting "
                         "with a letter or digit): it names files and folders")
    return value


class ComponentSpec(BaseModel):
    """One plugin: its kind, registered name and constructor parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: str
    name: str
    params: dict[str, Any] = Field(default_factory=dict)

    def build(self) -> Any:
        return registry.create(self.kind, self.name, **self.params)

    def resolved(self) -> ComponentSpec:
        """The spec with every default filled in and ``baseline`` resolved to its family."""
        obj = self.build()
        return ComponentSpec(kind=obj.plugin_kind, name=self.name, params=_jsonable(registry.params(obj)))

    def key(self) -> str:
        return json.dumps(self.model_dump(), sort_keys=True, default=str)

    def label(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.name}({args})" if args else self.name


class DatasetEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    params: dict[str, Any] = Field(default_factory=dict)
    skip_if_missing: bool = False  # real datasets: skip with a message instead of failing

    _safe_name = field_validator("name")(_slug_field)

    @field_validator("params")
    @classmethod
    def _safe_dataset_name(cls, params: dict[str, Any]) -> dict[str, Any]:
        """A dataset's own ``name`` parameter (the generic loader's) names records and cache entries too."""
        names = params.get("name")
        for name in names if isinstance(names, list) else [] if names is None else [names]:
            if not isinstance(name, str) or not SLUG.fullmatch(name):
                raise ValueError(f"name: {clip(name)} is not a safe name (1-64 letters, digits, '.', '_' or "
                                 "'-', starting with a letter or digit)")
        return params


class MechanismEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    name: str
    params: dict[str, Any] = Field(default_factory=dict)
    # leaderboard names of the suite's datasets this mechanism runs on (None: every dataset)
    datasets: list[str] | None = Field(default=None, min_length=1)

    _safe_name = field_validator("name")(_slug_field)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        allowed = (*registry.MECHANISM_KINDS, "baseline")
        if kind not in allowed:
            raise ValueError(f"unknown mechanism kind {kind!r} (expected one of {', '.join(allowed)})")
        return kind


class EvaluatorEntry(BaseModel):
    """``classifier`` + ``attacks``; any other key must be an attack name and holds that attack's params."""

    model_config = ConfigDict(extra="allow")
    classifier: str = "tfidf_logreg"
    classifier_params: dict[str, Any] = Field(default_factory=dict)
    table_classifier: str = "fields_logreg"  # trained on table releases (structured fields -> label)
    table_classifier_params: dict[str, Any] = Field(default_factory=dict)
    attacks: list[str] = Field(default_factory=lambda: ["pii_leak", "reid_linkage", "mia_loss"])
    n_bootstrap: int = Field(default=500, ge=50)

    def attack_params(self) -> dict[str, dict[str, Any]]:
        return dict(self.model_extra or {})


class SplitEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    train: float = Field(default=0.5, gt=0, lt=1)
    test: float = Field(default=0.25, gt=0, lt=1)
    control: float = Field(default=0.25, gt=0, lt=1)
    aux_per_author: int = Field(default=1, ge=0)
    canaries: int = Field(default=0, ge=0, le=10_000)  # planted canaries in train, as many in control (planted.py)

    @model_validator(mode="after")
    def _sum_to_one(self) -> SplitEntry:
        total = self.train + self.test + self.control
        if abs(total - 1) > 1e-9:
            raise ValueError(f"train + test + control must be 1, got {total:g}")
        return self


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    seeds: list[Seed] = Field(default_factory=lambda: [0], min_length=1)
    datasets: list[DatasetEntry] = Field(min_length=1)
    mechanisms: list[MechanismEntry] = Field(min_length=1)
    evaluator: EvaluatorEntry = Field(default_factory=EvaluatorEntry)
    split: SplitEntry = Field(default_factory=SplitEntry)
    _folder: Path | None = PrivateAttr(default=None)

    _safe_name = field_validator("name")(_slug_field)

    @property
    def folder(self) -> Path | None:
        """The folder of the suite file (relative dataset paths resolve from it); None for a suite from Python."""
        return self._folder

    @field_validator("seeds")
    @classmethod
    def _distinct_seeds(cls, seeds: list[int]) -> list[int]:
        if len(set(seeds)) != len(seeds):
            raise ValueError("each seed may appear once")
        return seeds

    def dataset_specs(self) -> list[tuple[ComponentSpec, bool]]:
        return [(spec, entry.skip_if_missing) for entry in self.datasets
                for spec in expand_grid("dataset", entry.name, entry.params)]

    def mechanism_specs(self) -> list[ComponentSpec]:
        return [spec for spec, _ in self.mechanism_plan()]

    def mechanism_plan(self) -> list[tuple[ComponentSpec, frozenset[str] | None]]:
        """Each expanded mechanism with the dataset names it is restricted to (None: all of them)."""
        return [(spec, None if entry.datasets is None else frozenset(entry.datasets))
                for entry in self.mechanisms for spec in expand_grid(entry.kind, entry.name, entry.params)]


def _list_typed_params(kind: str, name: str) -> set[str]:
    cls = registry.get(kind, name)
    if not dataclasses.is_dataclass(cls):
        return set()
    hints = typing.get_type_hints(cls)
    listy = set()
    for field in dataclasses.fields(cls):
        args = (hints.get(field.name),) + typing.get_args(hints.get(field.name))
        if any(typing.get_origin(a) in (list, tuple) or a in (list, tuple) for a in args):
            listy.add(field.name)
    return listy


def expand_grid(kind: str, name: str, params: dict[str, Any]) -> list[ComponentSpec]:
    listy = _list_typed_params(kind, name)
    axes = []
    for key, value in sorted(params.items()):
        sweep = isinstance(value, list) and (key not in listy or (value and isinstance(value[0], list)))
        if sweep and not value:
            raise ConfigError(f"parameter {key!r} of {kind} {name!r}: an empty list sweeps over nothing")
        axes.append([(key, v) for v in value] if sweep else [(key, value)])
    return [ComponentSpec(kind=kind, name=name, params=dict(combo)) for combo in itertools.product(*axes)]


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(params, default=lambda v: list(v) if isinstance(v, tuple | set) else str(v)))


def _where(error: dict[str, Any]) -> str:
    return ".".join(str(part) for part in error["loc"]) or "suite"


def parse_suite(data: Any, source: str = "<suite>", folder: str | Path | None = None) -> Suite:
    """Validate a suite mapping and build every component once, so bad input fails before any work. ``folder``:
    where relative dataset paths resolve from (``Suite.folder``; None: the working directory)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: a suite must be a YAML mapping, got {type(data).__name__}")
    try:
        suite = Suite.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{source}: {_where(first)}: {message}") from None
    _check_components(suite, source)
    _check_dataset_names(suite, source)
    _check_mechanism_datasets(suite, source)
    suite._folder = None if folder is None else Path(folder)
    return suite


def _dataset_names(entry: DatasetEntry) -> list[str]:
    """The names an entry's datasets get on the leaderboard: the generic loader's ``name`` parameter (default
    "generic"), else the plugin's name."""
    if entry.name != "generic":
        return [entry.name]
    names = entry.params.get("name", "generic")
    return [str(n) for n in names] if isinstance(names, list) else [str(names)]


def _check_dataset_names(suite: Suite, source: str) -> None:
    """ConfigError when a generic dataset would share its leaderboard name with another entry's dataset (two
    tables of different data under one name)."""
    seen: dict[str, int] = {}
    for index, entry in enumerate(suite.datasets):
        for name in dict.fromkeys(_dataset_names(entry)):
            other = seen.setdefault(name, index)
            if other != index and "generic" in (entry.name, suite.datasets[other].name):
                raise ConfigError(f"{source}: datasets[{index}]: datasets[{other}] is also named {name!r} on the "
                                  "leaderboard: give each generic dataset its own `name` parameter")


def _check_mechanism_datasets(suite: Suite, source: str) -> None:
    """ConfigError when a mechanism's ``datasets`` names a dataset the suite does not have."""
    known = [name for entry in suite.datasets for name in _dataset_names(entry)]
    for index, entry in enumerate(suite.mechanisms):
        unknown = [name for name in entry.datasets or () if name not in known]
        if unknown:
            raise ConfigError(f"{source}: mechanisms[{index}].datasets: {clip(unknown[0])} is not a dataset of this "
                              f"suite (it has: {', '.join(dict.fromkeys(known))})")


def _check_components(suite: Suite, source: str) -> None:
    evaluator = suite.evaluator
    entries: list[tuple[str, str, str, dict[str, Any]]] = [
        (f"datasets[{i}]", "dataset", e.name, e.params) for i, e in enumerate(suite.datasets)]
    entries += [(f"mechanisms[{i}]", e.kind, e.name, e.params) for i, e in enumerate(suite.mechanisms)]
    entries.append(("evaluator.classifier", "classifier", evaluator.classifier, evaluator.classifier_params))
    entries.append(("evaluator.table_classifier", "classifier", evaluator.table_classifier,
                    evaluator.table_classifier_params))
    entries += [(f"evaluator.attacks[{name}]", "attack", name, evaluator.attack_params().get(name, {}))
                for name in evaluator.attacks]
    for name in evaluator.attack_params():
        if name not in evaluator.attacks:
            raise ConfigError(f"{source}: evaluator.{name}: unknown key (not an attack listed in evaluator.attacks)")
    for where, kind, name, params in entries:
        try:
            for spec in expand_grid(kind, name, params):
                spec.build()
        except ConfigError as error:
            raise ConfigError(f"{source}: {where}: {error}") from None


def load_suite(path: str | Path) -> Suite:
    """Read a suite YAML with the limits of ``mhprivbench.safe_yaml`` and validate it."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"suite file not found: {path}" if not path.exists() else f"{path}: not a file")
    return parse_suite(load_yaml(path), source=str(path), folder=path.absolute().parent)
