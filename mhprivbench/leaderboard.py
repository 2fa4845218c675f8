"""Results -> leaderboard: one entry per (dataset, mechanism with params), scores aggregated over seeds.

Aggregation over seeds (``AggregateScore.aggregation``):
- ``mean``: the mean, with the wider of (a) the Student-t interval of the per-seed values and (b) the mean of the
  per-seed intervals, so neither seed-to-seed variation nor within-run sampling error is hidden;
- ``min`` for one-sided bounds (keys ending in ``eps_lower_bound``, its ``_ceiling``, or ``eps_ceiling``): each
  seed's value is already a valid lower bound, and the minimum over seeds is one too (a mean or a t-interval of
  bounds is not a bound). ``mean``, ``ci_low`` and ``ci_high`` all hold that minimum.

Headline risk (``Entry.headline``): for each headline risk, the risk caused by the release, anonymeter's residual
risk of the seed-averaged rates, ``max(0, (attack - ref) / (1 - ref))`` with ``ref = max(control, baseline)``
(a missing control or baseline counts as 0; see ``stats.residual_risk``). Success at or below what an attacker
gets without the release (random guess, or the same attack on non-members) is no risk. For an AUC (baseline 0.5,
no control) this is ``(max(auc, 0.5) - 0.5) / 0.5``: AUC below 0.5 is chance, not safety.

Pareto flag: on each dataset (name and content hash), among entries whose ``utility.macro_f1`` beats the
majority-class baseline (its interval lies above the score's ``baseline``), an entry is on the front when no other
such entry has macro-F1 at least as high and every shared headline risk at least as low, with one strictly
better. An entry that does not beat the baseline (e.g. a constant predictor) is never on the front and blocks no
other.

Files: the default suite's leaderboard is ``results/leaderboard.json``; any other suite writes
``results/leaderboard-<suite>.json`` (``leaderboard_path``), so running the smoke suite never overwrites it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy import stats as scipy_stats

from mhprivbench.errors import ConfigError, ResultError, clip
from mhprivbench.results import (
    ComponentRef,
    Result,
    atomic_write_texts,
    ensure_under,
    load_results,
    read_json,
    validated,
)
from mhprivbench.stats import residual_risk
from mhprivbench.types import Neighbouring, PrivacyUnit

UTILITY_KEY = "utility.macro_f1"
HEADLINE_RISKS = ("pii.leak_rate", "reid.linkage_top1", "reid.linkage_personas", "reid.authorship_top1",
                  "mia.loss.tpr_at_1pct_fpr", "mia.loss.auc")
NONPRIVATE_REFERENCES = ("nonprivate", "identity")
BOUND_SUFFIXES = ("eps_lower_bound", "eps_lower_bound_ceiling", "eps_ceiling")  # one-sided bounds: min over seeds
DEFAULT_SUITE = "default"
_SUITE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # the same rule as specs.SLUG


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
    aggregation: Literal["mean", "min"] = "mean"  # "min": a one-sided bound; mean = ci_low = ci_high = the min


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dataset: str
    dataset_sha256: str
    mechanism: ComponentRef
    label: str
    family: str
    seeds: list[int]
    epsilon: float | None = None  # declared, for the declared neighbouring relation and privacy unit
    delta: float | None = None
    neighbouring: Neighbouring | None = None
    privacy_unit: PrivacyUnit | None = None
    max_contribution: int | None = None  # k: largest number of train records of one author (max over seeds)
    epsilon_author: float | None = None  # author-level guarantee implied by group privacy (max over seeds)
    delta_author: float | None = None
    scores: dict[str, AggregateScore]
    headline: dict[str, float] = {}  # residual (chance-clipped) risk per headline risk: what Pareto uses
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
    versions: dict[str, str] = {}  # provenance: package -> version(s) of the runs ("a, b" when runs differ)
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


def is_bound(name: str) -> bool:
    """True for a one-sided bound (an empirical epsilon lower bound or its ceiling): aggregated as the minimum."""
    return name.endswith(BOUND_SUFFIXES)


def _aggregate_bound(values: list[float]) -> tuple[float, float, float, float]:
    """Minimum over seeds, as (value, low, high, std): each seed's bound is valid, so their minimum is."""
    lowest = float(min(values))
    return lowest, lowest, lowest, float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def _aggregate_one(name: str, scores: list) -> AggregateScore:
    values = [s.value for s in scores]
    if is_bound(name):
        mean, low, high, std = _aggregate_bound(values)
    else:
        mean, low, high, std = _aggregate(values, [s.ci_low if s.ci_low is not None else s.value for s in scores],
                                          [s.ci_high if s.ci_high is not None else s.value for s in scores])
    baselines = [s.baseline for s in scores if s.baseline is not None]
    controls = [s.control for s in scores if s.control is not None]
    return AggregateScore(
        mean=mean, ci_low=low, ci_high=high, std=std, n_seeds=len(scores), higher_is_better=scores[0].higher_is_better,
        baseline=float(np.mean(baselines)) if baselines else None,
        control=float(np.mean(controls)) if controls else None, aggregation="min" if is_bound(name) else "mean")


def _aggregate_scores(runs: list[Result]) -> dict[str, AggregateScore]:
    by_name: dict[str, list] = defaultdict(list)
    for run in runs:
        for name, score in run.scores.items():
            by_name[name].append(score)
    return {name: _aggregate_one(name, scores) for name, scores in sorted(by_name.items())}


def headline_risk(score: AggregateScore) -> float:
    """Risk caused by the release: residual risk of the seed-averaged attack rate above ``max(control,
    baseline)`` (missing ones count as 0), in [0, 1]; for an AUC (baseline 0.5) ``(max(auc, 0.5) - 0.5) / 0.5``."""
    control = score.control if score.control is not None else 0.0
    baseline = score.baseline if score.baseline is not None else 0.0
    return residual_risk(score.mean, control, baseline)


def _headline(scores: dict[str, AggregateScore]) -> dict[str, float]:
    return {name: headline_risk(scores[name]) for name in HEADLINE_RISKS if name in scores}


def _worst(values: list) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _guarantee(runs: list[Result]) -> dict:
    """Declared DP guarantee (the same for every seed) and the author-level one it implies (worst seed: k and
    hence the author-level epsilon depend on the seed's split)."""
    first = runs[0].release
    return {
        "epsilon": first.epsilon, "delta": first.delta, "neighbouring": first.neighbouring,
        "privacy_unit": first.privacy_unit,
        "max_contribution": _worst([r.release.max_contribution for r in runs]),
        "epsilon_author": _worst([r.release.epsilon_author for r in runs]),
        "delta_author": _worst([r.release.delta_author for r in runs]),
    }


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
        scores = _aggregate_scores(runs)
        entries.append(Entry(
            dataset=dataset, dataset_sha256=sha, mechanism=mechanism, label=_label(mechanism, varying),
            family=mechanism.kind, seeds=sorted(r.seed for r in runs), **_guarantee(runs),
            scores=scores, headline=_headline(scores), not_applicable=dict(sorted(not_applicable.items())),
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


def beats_majority(entry: Entry) -> bool:
    """True when the entry's macro-F1 interval lies above its majority-class baseline (no baseline: True)."""
    utility = entry.scores.get(UTILITY_KEY)
    return utility is not None and (utility.baseline is None or utility.ci_low > utility.baseline)


def _dominates(a: Entry, b: Entry) -> bool:
    """a is at least as good as b on macro-F1 and every shared headline risk, and better on one."""
    pairs = [(a.scores[UTILITY_KEY].mean, b.scores[UTILITY_KEY].mean)]
    pairs += [(-a.headline[r], -b.headline[r]) for r in HEADLINE_RISKS if r in a.headline and r in b.headline]
    return all(x >= y for x, y in pairs) and any(x > y for x, y in pairs)


def _mark_pareto(entries: list[Entry]) -> None:
    eligible = [e for e in entries if beats_majority(e)]
    for entry in entries:
        rivals = [e for e in eligible if _same_data(e, entry) and e is not entry]
        entry.pareto = beats_majority(entry) and not any(_dominates(r, entry) for r in rivals)


def build_leaderboard(results: list[Result]) -> Leaderboard:
    entries = _entries(results)
    _add_relative_utility(entries)
    _mark_pareto(entries)
    return Leaderboard(suites=sorted({r.suite for r in results}), n_runs=len(results),
                       headline_risks=list(HEADLINE_RISKS), versions=run_versions(results), entries=entries)


def run_versions(results: list[Result]) -> dict[str, str]:
    """Package -> the version every run used, or the distinct versions joined by ", " when runs differ."""
    seen: dict[str, set[str]] = {}
    for result in results:
        for package, number in result.versions.items():
            seen.setdefault(package, set()).add(number)
    return {package: ", ".join(sorted(numbers)) for package, numbers in sorted(seen.items())}


def leaderboard_path(out: Path, suite: str) -> Path:
    """``OUT/leaderboard.json`` for the default suite, ``OUT/leaderboard-<suite>.json`` for any other."""
    if not isinstance(suite, str) or not _SUITE_NAME.fullmatch(suite):
        raise ConfigError(f"suite name {clip(suite)}: expected 1-64 letters, digits, '_', '-' or '.', starting with a "
                          "letter or digit (it names files)")
    return Path(out) / ("leaderboard.json" if suite == DEFAULT_SUITE else f"leaderboard-{suite}.json")


def runs_folder(out: Path, suite: str) -> Path:
    """``OUT/runs/<suite>``, checked to be a safe name that stays inside OUT (no symlink out of it)."""
    leaderboard_path(out, suite)
    return ensure_under(out, Path(out) / "runs" / suite)


def write_leaderboard(runs_folder: Path, out_file: Path, *, run_ids: set[str] | None = None,
                      suite: str | None = None) -> Leaderboard:
    """Aggregate the results under ``runs_folder`` (only those whose run id is in ``run_ids``, when given: a suite
    run passes its own cells, so result files of cells that no longer exist, e.g. from an older version, are
    left out) into ``out_file`` and its ``.html``, both or neither. With ``suite``, a result of another suite in
    the folder is an error naming its file (never merged)."""
    results = [r for r in load_results(runs_folder, suite) if run_ids is None or r.run_id in run_ids]
    if not results:
        raise ResultError(f"no result files under {runs_folder}")
    board = build_leaderboard(results)
    from mhprivbench.leaderboard_html import render_html

    atomic_write_texts([(out_file.with_suffix(".html"), render_html(board)),
                        (out_file, board.model_dump_json(indent=2) + "\n")])
    return board


def read_leaderboard(path: str | Path) -> Leaderboard:
    path = Path(path)
    return validated(Leaderboard, read_json(path, "cannot read leaderboard"), path)
