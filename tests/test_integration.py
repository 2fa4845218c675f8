"""End to end on tiny data: run, resume, determinism, leaderboard validity, no raw text in outputs."""

import json
import subprocess
import sys

import pytest
import yaml

from mhprivbench.leaderboard import read_leaderboard
from mhprivbench.runner import plan_suite, run_plan
from mhprivbench.specs import parse_suite
from mhprivbench.validate import validate_file

SUITE = {
    "name": "tiny", "seeds": [0, 1],
    "datasets": [{"name": "synthmh", "params": {"n_personas": 40, "posts_per_persona": 5, "n_decoys": 40}}],
    "mechanisms": [{"kind": "baseline", "name": "identity"}, {"kind": "anonymizer", "name": "regex"},
                   {"kind": "generator", "name": "ngram"}, {"kind": "baseline", "name": "nonprivate"},
                   {"kind": "trainer", "name": "dp_logreg", "params": {"epsilon": [1, 4]}}],
    "evaluator": {"attacks": ["pii_leak", "reid_linkage", "reid_authorship", "mia_loss"], "n_bootstrap": 50},
}


@pytest.fixture(scope="module")
def run_once(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    suite_file = out.parent / "tiny.yaml"
    suite_file.write_text(yaml.safe_dump(SUITE))
    proc = subprocess.run([sys.executable, "-m", "mhprivbench.cli", "run", str(suite_file), "--out", str(out),
                           "--quiet", "--jobs", "2"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return suite_file, out


def test_every_cell_written_and_leaderboard_valid(run_once):
    _, out = run_once
    assert len(list((out / "runs" / "tiny").glob("*.json"))) == 6 * 2
    assert "6 entries" in validate_file(out / "leaderboard-tiny.json")  # a suite's own file
    assert not (out / "leaderboard.json").exists()  # the default suite's leaderboard is left alone


def test_dp_entries_state_unit_and_author_level_epsilon(run_once):
    _, out = run_once
    board = read_leaderboard(out / "leaderboard-tiny.json")
    dp = [e for e in board.entries if e.mechanism.name == "dp_logreg"]
    assert sorted(e.epsilon for e in dp) == [1.0, 4.0]
    for entry in dp:
        assert (entry.neighbouring, entry.privacy_unit) == ("replace_one", "record")
        assert entry.max_contribution > 1  # synthmh authors write several posts
        assert entry.epsilon_author == pytest.approx(entry.max_contribution * entry.epsilon)
    identity = next(e for e in board.entries if e.mechanism.name == "identity")
    assert identity.epsilon_author is None and identity.neighbouring is None


def test_second_run_reuses_every_cell(run_once):
    suite_file, out = run_once
    proc = subprocess.run([sys.executable, "-m", "mhprivbench.cli", "run", str(suite_file), "--out", str(out),
                           "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0 and "0 cells run, 12 reused" in proc.stderr


def test_same_seeds_same_numbers_and_resume(run_once, tmp_path):
    _, out = run_once
    plan = plan_suite(parse_suite(SUITE))
    victim = sorted((out / "runs" / "tiny").glob("*.json"))[0]
    summary = run_plan(plan, tmp_path, jobs=1)  # fresh folder, in process: must equal the 2-worker run
    assert summary.done == 12 and not summary.failed
    for path in (out / "runs" / "tiny").glob("*.json"):
        a, b = json.loads(path.read_text()), json.loads((tmp_path / "runs" / "tiny" / path.name).read_text())
        assert a["scores"] == b["scores"], path.name
    (tmp_path / "runs" / "tiny" / victim.name).unlink()  # an interrupted run lost one cell
    assert run_plan(plan, tmp_path, jobs=1).done == 1


def test_outputs_carry_no_raw_text_or_pii(run_once):
    _, out = run_once
    corpus = plan_suite(parse_suite(SUITE)).corpora
    (records,) = [c.records for c in corpus.values()]
    secrets = {r.text[s.start:s.end] for r in records for s in r.spans if s.end - s.start >= 5}
    snippets = {r.text[:40] for r in records}
    blob = "\n".join(p.read_text() for p in out.rglob("*.json"))
    assert not [s for s in secrets | snippets if s in blob]


def test_failed_cell_reports_no_text_from_the_exception(tmp_path, monkeypatch):
    import dataclasses

    from mhprivbench import registry
    from mhprivbench.base import Anonymizer

    @registry.register("anonymizer", "leaky_failure_dummy")
    @dataclasses.dataclass
    class LeakyFailure(Anonymizer):
        def detect(self, texts):
            raise ValueError(f"cannot parse {texts[0]!r}")  # a careless plugin quoting a record

    suite = {**SUITE, "seeds": [0], "mechanisms": [{"kind": "anonymizer", "name": "leaky_failure_dummy"}]}
    plan = plan_suite(parse_suite(suite))
    summary = run_plan(plan, tmp_path, jobs=1)
    (line,) = summary.failed
    first_text = next(iter(plan.corpora.values())).records[0].text
    assert "ValueError at test_integration.py:" in line and "withheld" in line
    assert first_text[:20] not in line and "cannot parse" not in line
    monkeypatch.setenv("MHPRIVBENCH_DEBUG", "1")
    assert "cannot parse" in run_plan(plan, tmp_path, jobs=1).failed[0]
