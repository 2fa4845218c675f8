"""Leaderboard drift (``mhprivbench drift``): tolerance by hand, missing entries and metrics, CLI exit codes."""

import copy
import json

import pytest

from mhprivbench import drift
from mhprivbench.cli import main


def _board():
    score = {"mean": 0.50, "ci_low": 0.40, "ci_high": 0.60}
    return {"entries": [{"dataset": "synthmh", "dataset_sha256": "abc", "label": "regex",
                         "mechanism": {"kind": "anonymizer", "name": "regex", "params": {}},
                         "scores": {"utility.macro_f1": dict(score), "pii.leak_rate": dict(score)}}]}


def test_allowed_move_is_two_hundredths_plus_a_quarter_of_the_interval():
    assert drift.allowed({"mean": 0.5, "ci_low": 0.4, "ci_high": 0.6}) == pytest.approx(0.02 + 0.25 * 0.2)
    assert drift.allowed({"mean": 0.5, "ci_low": 0.5, "ci_high": 0.5}) == pytest.approx(0.02)


def test_moves_within_tolerance_pass_and_beyond_fail():
    old, new = _board(), _board()
    new["entries"][0]["scores"]["utility.macro_f1"]["mean"] = 0.5 + 0.069  # allowed 0.07
    assert drift.compare(old, new) == []
    new["entries"][0]["scores"]["utility.macro_f1"]["mean"] = 0.5 + 0.071
    (found,) = drift.compare(old, new)
    assert found.metric == "utility.macro_f1" and "0.5000 -> 0.5710" in found.what


def test_missing_entries_metrics_and_changed_data_are_drift():
    old = _board()
    new = copy.deepcopy(old)
    del new["entries"][0]["scores"]["pii.leak_rate"]
    new["entries"][0]["dataset_sha256"] = "def"
    whats = {(d.metric, d.what) for d in drift.compare(old, new)}
    assert ("pii.leak_rate", "missing from the regenerated leaderboard") in whats
    assert ("-", "dataset content hash changed") in whats
    assert [d.what for d in drift.compare(old, {"entries": []})] == ["missing from the regenerated leaderboard"]


def test_a_dataset_absent_from_the_regeneration_is_not_compared():
    old = _board()
    real = copy.deepcopy(old["entries"][0])
    real["dataset"] = "dreaddit"
    old["entries"].append(real)
    assert drift.absent_datasets(old, _board()) == ["dreaddit"]
    assert drift.compare(old, _board()) == []  # dreaddit's files are not on this machine: skipped, not drift
    partial = _board()
    partial["entries"][0]["dataset"] = "dreaddit"  # present, but synthmh's entry is gone: that is drift
    assert drift.absent_datasets(old, partial) == ["synthmh"]


def test_cli_exit_codes(tmp_path, capsys):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_board()))
    moved = _board()
    moved["entries"][0]["scores"]["pii.leak_rate"]["mean"] = 0.9
    new.write_text(json.dumps(_board()))
    with pytest.raises(SystemExit) as same:
        main(["drift", str(old), str(new)])
    assert same.value.code == 0 and "0 drifts" in capsys.readouterr().out
    new.write_text(json.dumps(moved))
    with pytest.raises(SystemExit) as moved_exit:
        main(["drift", str(old), str(new)])
    assert moved_exit.value.code == 1 and "pii.leak_rate" in capsys.readouterr().out
    with pytest.raises(SystemExit) as bad:
        main(["drift", str(old), str(tmp_path / "absent.json")])
    assert bad.value.code == 2
