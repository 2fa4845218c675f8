"""Public value domains of table columns for ``dp_marginals``: categorical domains and numeric bounds, declared
as parameters (never read from the data), with synthmh's defaults (its schema is public generator code).

A column is cut into cells: one per categorical value, one per ``bin_width``-wide bin of a numeric range. A
value outside its domain maps to no cell (categorical: dropped; numeric: clipped into the bounds first, so only
a missing or non-numeric value is dropped).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from mhprivbench.errors import ConfigError


def synthmh_domains() -> dict[str, list[str]]:
    """synthmh's public categorical schema, read from its generator code (persona.py, posts.py) when first
    needed: importing the dataset package at plugin registration would load every loader (and pandas)."""
    from mhprivbench.datasets.synthmh.persona import AGE_BANDS, GENDERS
    from mhprivbench.datasets.synthmh.posts import POST_KINDS

    return {"age_band": sorted(band for _, band in AGE_BANDS), "gender": sorted(GENDERS),
            "post_kind": sorted(POST_KINDS)}


# PHQ-9 and GAD-7 score ranges
SYNTHMH_BOUNDS: dict[str, list[int]] = {"gad7": [0, 21], "phq9": [0, 27]}
_SCALARS = (str, int, float)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_domains(domains: Any, bounds: Any, label: str) -> None:
    """ConfigError (one line, naming the parameter and field) unless the declared schema is usable."""
    if not isinstance(domains, Mapping) or not isinstance(bounds, Mapping):
        raise ConfigError("domains and bounds must be mappings {field: [values]} / {field: [low, high]}")
    if not domains and not bounds:
        raise ConfigError("domains and bounds declare no field: give at least one")
    for name, values in domains.items():
        if not isinstance(values, list | tuple) or not values:
            raise ConfigError(f"domains[{name!r}] must be a non-empty list of values")
        if not all(isinstance(v, _SCALARS) and not isinstance(v, bool) for v in values):
            raise ConfigError(f"domains[{name!r}] must hold strings or numbers only")
        if len(set(values)) != len(values):
            raise ConfigError(f"domains[{name!r}] lists a value twice")
    for name, pair in bounds.items():
        if not isinstance(pair, list | tuple) or len(pair) != 2 or not all(_number(v) for v in pair):
            raise ConfigError(f"bounds[{name!r}] must be [low, high] (two finite numbers)")
        if not pair[0] < pair[1]:
            raise ConfigError(f"bounds[{name!r}] must have low < high, got {list(pair)}")
    shared = sorted(set(domains) & set(bounds))
    if shared:
        raise ConfigError(f"field {shared[0]!r} is in both domains and bounds: declare it once")
    if label in domains or label in bounds:
        raise ConfigError(f"{label!r} is the label column: the label set is the task's public labels, not a field")


@dataclass(frozen=True)
class Column:
    """A declared column: categorical ``values``, or numeric ``low``/``high`` cut into ``bin_width`` bins."""

    name: str
    values: tuple[Any, ...] = ()
    low: float = 0.0
    high: float = 0.0
    bin_width: float = 1.0

    @property
    def numeric(self) -> bool:
        return not self.values

    @property
    def integer(self) -> bool:
        return all(float(x).is_integer() for x in (self.low, self.high, self.bin_width))

    @property
    def n_cells(self) -> int:
        if not self.numeric:
            return len(self.values)
        span = self.high - self.low + (1 if self.integer else 0)  # integer bounds are inclusive
        return max(1, math.ceil(span / self.bin_width))

    def cell(self, value: Any) -> int | None:
        """The cell of a value, or None when it has none (out of the categorical domain, missing, non-numeric)."""
        if not self.numeric:
            return self.values.index(value) if value in self.values else None
        if not _number(value):
            return None
        clipped = min(max(float(value), self.low), self.high)
        return min(int((clipped - self.low) // self.bin_width), self.n_cells - 1)

    def draw(self, cells: np.ndarray, rng: np.random.Generator) -> list[Any]:
        """A value for each cell: the categorical value, or uniform inside the numeric bin (inside the bounds)."""
        if not self.numeric:
            return [self.values[c] for c in cells]
        starts = self.low + cells * self.bin_width
        if self.integer:
            ends = np.minimum(starts + self.bin_width - 1, self.high)
            return [int(v) for v in rng.integers(starts.astype(int), ends.astype(int) + 1)]
        ends = np.minimum(starts + self.bin_width, self.high)
        return [float(v) for v in rng.uniform(starts, ends)]


def columns_of(domains: Mapping[str, Any], bounds: Mapping[str, Any], bin_width: float) -> list[Column]:
    """The declared columns, sorted by name (the ``records_to_frame`` order)."""
    found = [Column(str(n), values=tuple(v)) for n, v in domains.items()]
    found += [Column(str(n), low=float(lo), high=float(hi), bin_width=float(bin_width)) for n, (lo, hi) in bounds.items()]
    return sorted(found, key=lambda column: column.name)
