"""Leaderboard drift: does a regenerated leaderboard still say what the committed one says?

CI regenerates the default leaderboard on a fresh machine and compares it with the committed
``results/leaderboard.json`` (``mhprivbench drift COMMITTED REGENERATED``). Same suite and seeds give the same
numbers on one machine (tests/test_seeds.py); across machines, floating-point results of the MiniLM embeddings and
of BLAS may differ in their last bits and move a near-tie. So a metric **drifts** when its mean over seeds moves
by more than ``ABS_TOLERANCE + REL_TO_INTERVAL * (committed interval width)``: 0.02 plus a quarter of its own 95%
interval, i.e. small against what the leaderboard already says is uncertain. Also drift: an entry or a metric
present on one side only, or a changed dataset hash. A dataset the regeneration could not load at all (real data
absent from the machine) is not compared, and said so. Reports names and numbers only (never text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mhprivbench.errors import MhPrivBenchError

ABS_TOLERANCE = 0.02
REL_TO_INTERVAL = 0.25


@dataclass(frozen=True)
class Drift:
    entry: str
    metric: str
    what: str


def _entries(board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    def key(entry):
        return json.dumps([entry["dataset"], entry["mechanism"]], sort_keys=True)
    return {key(entry): entry for entry in board.get("entries", [])}


def _label(entry: dict[str, Any]) -> str:
    return f"{entry['dataset']} / {entry.get('label') or entry['mechanism'].get('name')}"


def allowed(committed: dict[str, Any]) -> float:
    """The largest move of a mean that is not drift (module docstring)."""
    width = (committed.get("ci_high") or 0.0) - (committed.get("ci_low") or 0.0)
    return ABS_TOLERANCE + REL_TO_INTERVAL * max(0.0, width)


def compare_entry(old: dict[str, Any], new: dict[str, Any]) -> list[Drift]:
    name = _label(old)
    found = []
    if old.get("dataset_sha256") != new.get("dataset_sha256"):
        found.append(Drift(name, "-", "dataset content hash changed"))
    for metric in sorted(set(old["scores"]) | set(new["scores"])):
        if metric not in new["scores"] or metric not in old["scores"]:
            side = "regenerated" if metric not in new["scores"] else "committed"
            found.append(Drift(name, metric, f"missing from the {side} leaderboard"))
            continue
        before, after = old["scores"][metric]["mean"], new["scores"][metric]["mean"]
        if abs(after - before) > allowed(old["scores"][metric]):
            found.append(Drift(name, metric, f"{before:.4f} -> {after:.4f} (allowed +-{allowed(old['scores'][metric]):.4f})"))
    return found


def absent_datasets(committed: dict[str, Any], regenerated: dict[str, Any]) -> list[str]:
    """Datasets of the committed leaderboard with no entry at all in the regenerated one: a real dataset whose
    files are not on this machine (``skip_if_missing``). They are not compared, and the CLI says so."""
    present = {entry["dataset"] for entry in regenerated.get("entries", [])}
    if not present:  # nothing regenerated at all: every entry is missing, that is drift
        return []
    return sorted({entry["dataset"] for entry in committed.get("entries", [])} - present)


def compare(committed: dict[str, Any], regenerated: dict[str, Any]) -> list[Drift]:
    """Every drift between two leaderboards (module docstring), on the datasets the regeneration could load."""
    absent = set(absent_datasets(committed, regenerated))
    old = {k: e for k, e in _entries(committed).items() if e["dataset"] not in absent}
    new = _entries(regenerated)
    found = [Drift(_label(old[k]), "-", "missing from the regenerated leaderboard") for k in sorted(set(old) - set(new))]
    found += [Drift(_label(new[k]), "-", "missing from the committed leaderboard") for k in sorted(set(new) - set(old))]
    for key in sorted(set(old) & set(new)):
        found += compare_entry(old[key], new[key])
    return found


def load(path: Path) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise MhPrivBenchError(f"{path}: cannot read a leaderboard ({type(error).__name__})") from error
