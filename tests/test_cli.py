"""The CLI fails cleanly on bad input: one line on stderr, exit code 2, nothing under the results folder."""

import subprocess
import sys

import pytest
import yaml

GOOD = {"name": "t", "seeds": [0], "datasets": [{"name": "synthmh", "params": {"n_personas": 20}}],
        "mechanisms": [{"kind": "baseline", "name": "identity"}]}


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "mhprivbench.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("change, needle", [
    ({"mechanisms": [{"kind": "anonymizer", "name": "presidioo"}]}, "unknown anonymizer 'presidioo'"),
    ({"typo_key": 1}, "typo_key: unknown key"),
    ({"mechanisms": [{"kind": "trainer", "name": "dp_logreg", "params": {"epsilon": -1}}]}, "epsilon must be"),
    ({"datasets": [{"name": "dreaddit", "params": {"path": "/nonexistent/dreaddit"}}]}, "/nonexistent/dreaddit"),
])
def test_bad_suite_exit_2_one_line_nothing_written(tmp_path, change, needle):
    suite = tmp_path / "suite.yaml"
    suite.write_text(yaml.safe_dump({**GOOD, **change}))
    out = tmp_path / "results"
    proc = _cli("run", str(suite), "--out", str(out), "--quiet")
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], proc.stderr
    assert not out.exists()


def test_missing_suite_file(tmp_path):
    proc = _cli("run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "r"))
    assert proc.returncode == 2 and "suite file not found" in proc.stderr


def test_list_shows_every_family():
    proc = _cli("list")
    assert proc.returncode == 0
    for name in ("synthmh", "identity", "regex", "ngram", "dp_logreg", "pii_leak", "mia_loss", "tfidf_logreg"):
        assert name in proc.stdout


def test_validate_rejects_garbage(tmp_path):
    bad = tmp_path / "leaderboard.json"
    bad.write_text('{"entries": [{"x": 1}]}')
    proc = _cli("validate", str(bad))
    assert proc.returncode == 2 and proc.stderr.startswith("error: ")


@pytest.mark.parametrize("content, needle", [
    (b'text,label\n"unclosed,a\nfine,b\n', "malformed CSV"),
    (b"text,label\nhello,a\n,b\nbye,a\n", "empty text in row 2"),
    (b"words,label\nhello,a\nbye,b\n", "missing column 'text'"),
    (b"text,label\n\xff\xfe bad bytes,a\nbye,b\n", "UTF-8"),
])
def test_bad_data_file_exit_2_one_line_nothing_written(tmp_path, content, needle):
    data = tmp_path / "data.csv"
    data.write_bytes(content)
    suite = tmp_path / "suite.yaml"
    suite.write_text(yaml.safe_dump({**GOOD, "datasets": [{"name": "generic", "params": {"path": str(data)}}]}))
    out = tmp_path / "results"
    proc = _cli("run", str(suite), "--out", str(out), "--quiet")
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and needle in lines[0] and str(data) in lines[0], proc.stderr
    assert "bad bytes" not in proc.stderr and "hello" not in proc.stderr
    assert not out.exists()


def test_each_suite_gets_its_own_leaderboard_file(tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(yaml.safe_dump({**GOOD, "evaluator": {"attacks": ["pii_leak"], "n_bootstrap": 50}}))
    out = tmp_path / "results"
    proc = _cli("run", str(suite), "--out", str(out), "--quiet", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert (out / "leaderboard-t.json").exists() and (out / "leaderboard-t.html").exists()
    assert not (out / "leaderboard.json").exists()  # suite "t" never overwrites the default leaderboard
    (out / "leaderboard-t.json").unlink()
    proc = _cli("leaderboard", "--out", str(out), "--suite", "t")
    assert proc.returncode == 0 and "leaderboard-t.json (1 entries)" in proc.stderr, proc.stderr
    assert not (out / "leaderboard.json").exists()
