"""Results -> leaderboard: one entry per (dataset, mechanism with params), scores aggregated over seeds.

Interval of a mean over seeds: the wider of (a) the Student-t interval of the per-seed values and (b) the mean
of the per-seed intervals, so neither seed-to-seed variation nor within-run sampling error is hidden.
Pareto flag: on each dataset, an entry is on the front when no other entry has utility.macro_f1 at least as
high and every shared headline risk at least as low, with one strictly better.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy import stats as scipy_stats

from mhprivbench.errors import ResultError
from mhprivbench.results import (
    ComponentRef,
    Result,
    atomic_write_text,
    load_results,
    read_json,
    upgrade,
    validated,
)

UTILITY_KEY = "utility.macro_f1"
HEADLINE_RISKS = ("pii.leak_rate", "reid.linkage_top1", "reid.linkage_personas", "reid.authorship_top1",
                  "mia.loss.tpr_at_1pct_fpr", "mia.loss.auc")
NONPRIVATE_REFERENCES = ("nonprivate", "identity")


class AggregateScore(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mean: float
    ci_low: float
    ci_high: float
    std: float
    n_seeds: int
    higher_is_better: bool
    baseline: float | None = None
    control: float | None = None


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dataset: str
    dataset_sha256: str
    mechanism: ComponentRef
    label: str
    family: str
    seeds: list[int]
    epsilon: float | None = None
    scores: dict[str, AggregateScore]
    utility_relative: float | None = None  # macro-F1 / macro-F1 of the non-private reference
    utility_reference: str | None = None
    pareto: bool = False
    not_applicable: dict[str, str] = {}
    warnings: list[str] = []  # per-seed release warnings, prefixed with the seed


class Leaderboard(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_version: Literal[1] = 1
    suites: list[str]
    n_runs: int
    headline_risks: list[str]
    entries: list[Entry]


def _aggregate(values: list[float], lows: list[float], highs: list[float]) -> tuple[float, float, float, float]:
    mean = float(np.mean(values))
    std = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    low, high = float(np.mean(lows)), float(np.mean(highs))
    if len(values) > 1 and std > 0:
        half = float(scipy_stats.t.ppf(0.975, len(values) - 1)) * std / np.sqrt(len(values))
        low, high = min(low, mean - half), max(high, mean + half)
    # keep the metric's range: rates whose per-seed intervals all lie in [0, 1] stay there
    if min(lows) >= 0:
        low = max(low, 0.0)
    if max(highs) <= 1:
        high = min(high, 1.0)
    return mean, min(low, mean), max(high, mean), std


def _aggregate_scores(runs: list[Result]) -> dict[str, AggregateScore]:
    by_name: dict[str, list] = defaultdict(list)
    for run in runs:
        for name, score in run.scores.items():
            by_name[name].append(score)
    out = {}
    for name, scores in sorted(by_name.items()):
        values = [s.value for s in scores]
        mean, low, high, std = _aggregate(values, [s.ci_low if s.ci_low is not None else s.value for s in scores],
                                          [s.ci_high if s.ci_high is not None else s.value for s in scores])
        baselines = [s.baseline for s in scores if s.baseline is not None]
        controls = [s.control for s in scores if s.control is not None]
        out[name] = AggregateScore(
            mean=mean, ci_low=low, ci_high=high, std=std, n_seeds=len(scores),
            higher_is_better=scores[0].higher_is_better,
            baseline=float(np.mean(baselines)) if baselines else None,
            control=float(np.mean(controls)) if controls else None)
    return out


def _label(mechanism: ComponentRef, varying: set[str]) -> str:
    shown = {k: v for k, v in sorted(mechanism.params.items()) if k in varying}
    args = ", ".join(f"{k}={v}" for k, v in shown.items())
    return f"{mechanism.name}({args})" if args else mechanism.name


def _entries(results: list[Result]) -> list[Entry]:
    groups: dict[tuple[str, str, str], list[Result]] = defaultdict(list)
    for result in results:
        key = json.dumps(result.mechanism.model_dump(), sort_keys=True)
        groups[(result.dataset.name, result.dataset.sha256, key)].append(result)
    params_seen: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for result in results:
        for k, v in result.mechanism.params.items():
            params_seen[result.mechanism.name][k].add(json.dumps(v, sort_keys=True))
    entries = []
    for (dataset, sha, _), runs in sorted(groups.items()):
        mechanism = runs[0].mechanism
        varying = {k for k, seen in params_seen[mechanism.name].items() if len(seen) > 1}
        not_applicable = {k: v for run in runs for k, v in run.not_applicable.items()}
        entries.append(Entry(
            dataset=dataset, dataset_sha256=sha, mechanism=mechanism, label=_label(mechanism, varying),
            family=mechanism.kind, seeds=sorted(r.seed for r in runs), epsilon=runs[0].release.epsilon,
            scores=_aggregate_scores(runs), not_applicable=dict(sorted(not_applicable.items())),
            warnings=[f"seed {r.seed}: {w}" for r in sorted(runs, key=lambda r: r.seed) for w in r.warnings]))
    return entries


def _same_data(a: Entry, b: Entry) -> bool:
    return (a.dataset, a.dataset_sha256) == (b.dataset, b.dataset_sha256)


def _add_relative_utility(entries: list[Entry]) -> None:
    for first in {(e.dataset, e.dataset_sha256): e for e in entries}.values():
        on_dataset = [e for e in entries if _same_data(e, first)]
        reference = next((e for name in NONPRIVATE_REFERENCES for e in on_dataset
                          if e.mechanism.name == name and UTILITY_KEY in e.scores), None)
        if reference is None:
            continue
        for entry in on_dataset:
            if UTILITY_KEY in entry.scores and reference.scores[UTILITY_KEY].mean > 0:
                entry.utility_relative = entry.scores[UTILITY_KEY].mean / reference.scores[UTILITY_KEY].mean
                entry.utility_reference = reference.label


def _dominates(a: Entry, b: Entry) -> bool:
    if UTILITY_KEY not in a.scores or UTILITY_KEY not in b.scores:
        return False
    pairs = [(a.scores[UTILITY_KEY].mean, b.scores[UTILITY_KEY].mean)]
    pairs += [(-a.scores[r].mean, -b.scores[r].mean) for r in HEADLINE_RISKS if r in a.scores and r in b.scores]
    return all(x >= y for x, y in pairs) and any(x > y for x, y in pairs)


def _mark_pareto(entries: list[Entry]) -> None:
    for entry in entries:
        rivals = [e for e in entries if _same_data(e, entry) and e is not entry]
        entry.pareto = UTILITY_KEY in entry.scores and not any(_dominates(r, entry) for r in rivals)


def build_leaderboard(results: list[Result]) -> Leaderboard:
    entries = _entries(results)
    _add_relative_utility(entries)
    _mark_pareto(entries)
    return Leaderboard(suites=sorted({r.suite for r in results}), n_runs=len(results),
                       headline_risks=list(HEADLINE_RISKS), entries=entries)


def write_leaderboard(runs_folder: Path, out_file: Path) -> Leaderboard:
    results = load_results(runs_folder)
    if not results:
        raise ResultError(f"no result files under {runs_folder}")
    board = build_leaderboard(results)
    from mhprivbench.leaderboard_html import render_html

    atomic_write_text(out_file, board.model_dump_json(indent=2) + "\n")
    atomic_write_text(out_file.with_suffix(".html"), render_html(board))
    return board


def read_leaderboard(path: str | Path) -> Leaderboard:
    path = Path(path)
    return validated(Leaderboard, read_json(path, "cannot read leaderboard"), path)


def validate_file(path: str | Path) -> str:
    """Validate a leaderboard or a result file; returns what it was. Raises ResultError."""
    path = Path(path)
    data = read_json(path, "not readable JSON")
    if isinstance(data, dict) and "entries" in data:
        board = validated(Leaderboard, data, path)
        _check_intervals(path, [(f"{e.dataset}/{e.label}: {k}", s.mean, s.ci_low, s.ci_high, s.baseline)
                                for e in board.entries for k, s in e.scores.items()])
        return f"leaderboard with {len(board.entries)} entries from {board.n_runs} runs"
    result = validated(Result, upgrade(data), path)
    _check_intervals(path, [(k, s.value, s.ci_low, s.ci_high, s.baseline) for k, s in result.scores.items()])
    return f"result {result.run_id} with {len(result.scores)} scores"


def _check_intervals(path: Path, rows: list[tuple[str, float, float | None, float | None, float | None]]) -> None:
    """Every score has an interval that contains it; every privacy score (not utility/fidelity) has a baseline."""
    for name, value, low, high, baseline in rows:
        if low is None or high is None:
            raise ResultError(f"{path}: {name}: no confidence interval")
        metric = name.rsplit(": ", 1)[-1]
        if baseline is None and not metric.startswith(("utility.", "fidelity.")):
            raise ResultError(f"{path}: {name}: a privacy score needs its baseline")
        if not low - 1e-9 <= value <= high + 1e-9:
            raise ResultError(f"{path}: {name}: value {value:.4g} outside its interval [{low:.4g}, {high:.4g}]")
