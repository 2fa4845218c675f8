"""``mhprivbench validate``: a leaderboard or a result file against its schema, and every score inside its interval
with a baseline for every privacy score. Errors name the file and the field."""

from __future__ import annotations

from pathlib import Path

from mhprivbench.errors import ResultError
from mhprivbench.leaderboard import Leaderboard
from mhprivbench.results import Result, read_json, upgrade, validated


def validate_file(path: str | Path) -> str:
    """Validate a leaderboard or a result file; returns what it was. Raises ResultError."""
    path = Path(path)
    data = read_json(path, "not readable JSON")
    if isinstance(data, dict) and "entries" in data:
        board = validated(Leaderboard, data, path)
        _check_intervals(path, [(f"{e.dataset}/{e.label}: {k}", s.mean, s.ci_low, s.ci_high, s.baseline)
                                for e in board.entries for k, s in e.scores.items()])
        return f"leaderboard with {len(board.entries)} entries from {board.n_runs} runs"
    result = validated(Result, upgrade(data, path), path)
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
