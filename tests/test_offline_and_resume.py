"""A run with networking disabled (``unshare -n``), and repeated SIGKILL-resume trials at different points."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
import yaml
from test_results_folder import KILL_SUITE, _scores, _start, _wait_for

OFFLINE_SUITE = {
    "name": "t", "seeds": [0], "datasets": [{"name": "synthmh", "params": {"n_personas": 20}}],
    "mechanisms": [{"kind": "baseline", "name": "identity"},
                   {"kind": "trainer", "name": "dp_nb", "params": {"epsilon": 1}}],  # loads the MiniLM package
    "evaluator": {"attacks": ["pii_leak", "reid_linkage", "mia_loss"]},
}


def _no_network_prefix() -> list[str]:
    """``unshare -n`` (root) or ``unshare -rn`` (a user namespace); skip where the sandbox forbids both."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed: the offline run cannot be checked here")
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    pytest.skip("this sandbox forbids network namespaces (unshare -n and unshare -rn fail)")


@pytest.mark.slow
def test_suite_runs_with_networking_disabled(tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(yaml.safe_dump(OFFLINE_SUITE))
    out = tmp_path / "out"
    command = [*_no_network_prefix(), sys.executable, "-m", "mhprivbench.cli", "run", str(suite), "--out", str(out),
               "--quiet", "--jobs", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "MHPRIVBENCH_CACHE": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr[-2000:]
    results = [json.loads(p.read_text()) for p in (out / "runs" / "t").glob("*.json")]
    assert len(results) == 2 and all(r["scores"] for r in results)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    root = tmp_path_factory.mktemp("whole")
    (root / "suite.yaml").write_text(yaml.safe_dump(KILL_SUITE))
    whole = _start(root / "suite.yaml", root / "out", 1)
    assert whole.wait(timeout=300) == 0, whole.stderr.read().decode()
    return root / "suite.yaml", _scores(root / "out")


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 3, 5])
def test_killed_after_k_results_resumes_to_identical_scores(tmp_path, uninterrupted, kill_after):
    """SIGKILL once ``kill_after`` result files exist (of 6), then run again: the same 6 files, the same scores."""
    suite, expected = uninterrupted
    runs = tmp_path / "out" / "runs" / "t"
    killed = _start(suite, tmp_path / "out", 1)
    _wait_for(lambda: runs.is_dir() and len(list(runs.glob("*.json"))) >= kill_after, 300)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    resumed = _start(suite, tmp_path / "out", 1)
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read().decode()
    assert _scores(tmp_path / "out") == expected and len(expected) == 6
