"""The results folder heals (bad files quarantined by name and recomputed), writes follow the umask, the
leaderboard pair is written both or neither, and a killed run resumes to identical scores without orphans."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from mhprivbench.cli import main
from mhprivbench.errors import ResultError
from mhprivbench.results import atomic_write_text, atomic_write_texts, file_mode

SUITE = {"name": "t", "seeds": [0], "datasets": [{"name": "synthmh", "params": {"n_personas": 20}}],
         "mechanisms": [{"kind": "baseline", "name": "identity"}],
         "evaluator": {"attacks": ["pii_leak"], "n_bootstrap": 50}}


def run_cli(capsys, *args) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main([str(a) for a in args])
    return exited.value.code, capsys.readouterr().err


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("heal")
    (root / "suite.yaml").write_text(yaml.safe_dump(SUITE))
    with pytest.raises(SystemExit) as exited:
        main(["run", str(root / "suite.yaml"), "--out", str(root / "results"), "--quiet", "--jobs", "1"])
    assert exited.value.code == 0
    return root


def _edit(field: str, value):
    def change(text: str) -> str:
        data = json.loads(text)
        data[field] = value
        return json.dumps(data)
    return change


def _nan(text: str) -> str:
    data = json.loads(text)
    next(iter(data["scores"].values()))["value"] = float("nan")
    return json.dumps(data)


@pytest.mark.parametrize("spoil, cause", [
    (lambda text: "{not json", "malformed JSON"),
    (lambda text: "", "empty file"),
    (lambda text: text[: len(text) // 2], "malformed JSON"),
    (_nan, "is not a finite number"),
    (_edit("suite", "other"), "suite: 'other' is another suite's result"),
    (_edit("schema_version", 2), "schema_version: unsupported"),
    (_edit("run_id", "0123456789abcdef0123"), "run_id: '0123456789abcdef0123' does not match the file name"),
    (lambda text: b"\xff" + text.encode(), "not UTF-8"),
], ids=["corrupt", "empty", "truncated", "nan", "foreign-suite", "foreign-schema", "misnamed", "not-utf8"])
def test_bad_result_file_is_quarantined_and_recomputed(tmp_path, capsys, finished, spoil, cause):
    root = tmp_path / "r"
    shutil.copytree(finished, root)
    runs = root / "results" / "runs" / "t"
    (cell,) = sorted(runs.glob("*.json"))
    original = json.loads(cell.read_text())
    spoiled = spoil(cell.read_text())
    cell.write_bytes(spoiled if isinstance(spoiled, bytes) else spoiled.encode())
    code, err = run_cli(capsys, "run", root / "suite.yaml", "--out", root / "results", "--quiet", "--jobs", "1")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and str(cell) in warnings[0] and cause in warnings[0], err
    assert (runs / ".quarantine" / cell.name).exists()
    recomputed = json.loads(cell.read_text())
    assert recomputed["scores"] == original["scores"] and "1 cells run, 0 reused" in err


def test_foreign_file_is_never_merged(tmp_path, capsys, finished):
    root = tmp_path / "r"
    shutil.copytree(finished, root)
    runs = root / "results" / "runs" / "t"
    (cell,) = sorted(runs.glob("*.json"))
    data = json.loads(cell.read_text())
    data.update(suite="other", run_id="ffffffffffffffffffff")
    stray = runs / "ffffffffffffffffffff.json"
    stray.write_text(json.dumps(data))
    code, err = run_cli(capsys, "leaderboard", "--out", root / "results", "--suite", "t")
    assert code == 2 and err.count("\n") == 1 and str(stray) in err and "suite: 'other'" in err, err
    code, err = run_cli(capsys, "run", root / "suite.yaml", "--out", root / "results", "--quiet", "--jobs", "1")
    assert code == 0 and f"warning: {stray}: suite:" in err and "0 cells run, 1 reused" in err, err
    assert not stray.exists() and (runs / ".quarantine" / stray.name).exists()


def test_validate_names_file_and_field_of_a_nan_result(tmp_path, capsys, finished):
    (cell,) = sorted((finished / "results" / "runs" / "t").glob("*.json"))
    bad = tmp_path / cell.name
    bad.write_text(_nan(cell.read_text()))
    code, err = run_cli(capsys, "validate", bad)
    assert code == 2 and err.startswith(f"error: {bad}: ") and err.count("\n") == 1, err


def test_files_follow_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        assert file_mode() == 0o640
        atomic_write_text(tmp_path / "a.json", "{}")
        assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
    os.umask(0o002)
    try:
        atomic_write_text(tmp_path / "b.json", "{}")
        assert (tmp_path / "b.json").stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(old)


def test_leaderboard_pair_is_written_both_or_neither(tmp_path, monkeypatch):
    import mhprivbench.results as results

    real, calls = results._temp_copy, []

    def full_disk_on_second(path, text):
        calls.append(path)
        if len(calls) == 2:
            raise ResultError(f"{path}: cannot write (No space left on device)")
        return real(path, text)

    monkeypatch.setattr(results, "_temp_copy", full_disk_on_second)
    with pytest.raises(ResultError, match="No space left"):
        atomic_write_texts([(tmp_path / "lb.html", "<html>"), (tmp_path / "lb.json", "{}")])
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # neither file, no temp file left


# --- SIGKILL: resume to identical scores, and no orphaned workers -----------------------------------------------

KILL_SUITE = {**SUITE, "seeds": [0, 1], "mechanisms": [{"kind": "baseline", "name": "identity"},
                                                        {"kind": "anonymizer", "name": "regex"},
                                                        {"kind": "generator", "name": "ngram"}]}


def _start(suite: Path, out: Path, jobs: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mhprivbench.cli", "run", str(suite), "--out", str(out),
                             "--quiet", "--jobs", str(jobs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _scores(out: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text())["scores"] for p in sorted((out / "runs" / "t").glob("*.json"))}


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_sigkill_then_resume_gives_identical_scores(tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(yaml.safe_dump(KILL_SUITE))
    whole = _start(suite, tmp_path / "whole", 1)
    assert whole.wait(timeout=300) == 0, whole.stderr.read().decode()
    killed = _start(suite, tmp_path / "killed", 1)
    runs = tmp_path / "killed" / "runs" / "t"
    assert _wait_for(lambda: runs.is_dir() and any(runs.glob("*.json")), 300)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert len(list(runs.glob("*.json"))) < 6, "killed too late to test resuming"
    resumed = _start(suite, tmp_path / "killed", 1)
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read().decode()
    assert _scores(tmp_path / "killed") == _scores(tmp_path / "whole") and len(_scores(tmp_path / "whole")) == 6


@pytest.mark.slow
def test_workers_end_when_the_main_process_is_killed(tmp_path):
    suite = tmp_path / "suite.yaml"  # cells of several seconds: a worker must stop mid-cell, not after it
    big = {**KILL_SUITE, "datasets": [{"name": "synthmh", "params": {"n_personas": 400}}]}
    suite.write_text(yaml.safe_dump({**big, "evaluator": {"attacks": ["pii_leak", "reid_linkage"]}}))
    parent = _start(suite, tmp_path / "out", 2)
    runs = tmp_path / "out" / "runs" / "t"
    assert _wait_for(lambda: runs.is_dir() and any(runs.glob("*.json")), 300), "no cell finished"
    workers = _children(parent.pid)  # the pool's workers (one mid-cell) and the resource tracker
    assert len(workers) >= 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 4), "orphaned workers still running"
