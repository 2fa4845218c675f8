"""Permanent bad-input suite (issue 11): every hostile input ends in exit code 2, exactly one ``error:`` line on
stderr, no traceback, no PII or record text in any message, and nothing changed on disk (the results folder and
everything else under the test's folder). The CLI runs in-process (``mhprivbench.cli.main``) to stay fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from mhprivbench.cli import main

# PII-looking strings planted in hostile inputs: none may appear in any message
NAME, PHONE, EMAIL = "Marguerite Okonkwo", "+1 415 555 0199", "m.okonkwo@example.org"
SENTENCE = "nobody knows I stopped eating again"  # a 6-word record sentence
PII = (NAME, "Okonkwo", PHONE, "555 0199", EMAIL, SENTENCE, "stopped eating")

GOOD = {"name": "t", "seeds": [0], "datasets": [{"name": "synthmh", "params": {"n_personas": 20}}],
        "mechanisms": [{"kind": "baseline", "name": "identity"}],
        "evaluator": {"attacks": ["pii_leak"], "n_bootstrap": 50}}


def _suite(**changes) -> str:
    return yaml.safe_dump({**GOOD, **changes})


def _generic(data: str, **params) -> str:
    return _suite(datasets=[{"name": "generic", "params": {"path": data, **params}}])


def _mech(kind: str, name: str, **params) -> str:
    return _suite(mechanisms=[{"kind": kind, "name": name, "params": params}])


def _bomb() -> str:
    text, previous = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n', "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


PII_ROW = f'{NAME},{PHONE},{EMAIL},"{SENTENCE}",a\n'
CSV_OK = "text,label\nfirst post,a\nsecond post,b\nthird post,a\n"

# (case id, suite YAML text or bytes, data file name -> bytes, needle expected in the error line)
SUITE_CASES = [
    ("name-abs-path", _suite(name="/abs/path"), {}, "name: '/abs/path' is not a safe name"),
    ("name-dotdot-x", _suite(name="../../x"), {}, "is not a safe name"),
    ("name-dotdot", _suite(name=".."), {}, "'..' is not a safe name"),
    ("name-dot", _suite(name="."), {}, "is not a safe name"),
    ("name-slash", _suite(name="a/b"), {}, "is not a safe name"),
    ("name-empty", _suite(name=""), {}, "is not a safe name"),
    ("name-long", _suite(name="a/" * 300), {}, "/a...' is not a safe name"),  # echo cut to 80 characters
    ("name-int", _suite(name=12), {}, "name: Input should be a valid string"),
    ("dataset-name-escape", _suite(datasets=[{"name": "generic", "params": {"path": "d.csv", "name": "../x"}}]),
     {}, "is not a safe name"),
    ("yaml-alias-bomb", _bomb(), {}, "alias bomb"),
    ("yaml-duplicate-key", "name: t\nname: u\n", {}, "duplicate key 'name'"),
    ("yaml-deep", "name: " + "[" * 200 + "]" * 200 + "\n", {}, "nested deeper than"),
    ("yaml-recursive-alias", "name: t\nx: &a [*a]\n", {}, "recursive alias"),
    ("yaml-binary", b"\x00\x01\x02\x03", {}, "NUL bytes"),
    ("yaml-latin1", f"name: caf\xe9 {NAME}\n".encode("latin-1"), {}, "not UTF-8"),
    ("yaml-python-tag", "name: !!python/object/apply:os.system ['true']\n", {}, "invalid YAML"),
    ("yaml-huge", "name: t\nx: '" + "y" * (1 << 20) + "'\n", {}, "larger than"),
    ("yaml-empty", "", {}, "a suite must be a YAML mapping, got NoneType"),
    ("yaml-list", "- a\n- b\n", {}, "a suite must be a YAML mapping, got list"),
    ("yaml-syntax", "name: t\nseeds: [0\n", {}, "invalid YAML"),
    ("yaml-long-value-echo", f"name: t\nseeds: [0\n  {SENTENCE * 20}", {}, "invalid YAML"),
    ("seed-negative", _suite(seeds=[-1]), {}, "seeds.0: Input should be greater than or equal to 0"),
    ("seed-string", _suite(seeds=["a"]), {}, "seeds.0: Input should be a valid integer"),
    ("seed-bool", _suite(seeds=[True]), {}, "seeds.0: Input should be a valid integer"),
    ("seed-duplicate", _suite(seeds=[0, 0]), {}, "each seed may appear once"),
    ("seeds-empty", _suite(seeds=[]), {}, "seeds: List should have at least 1 item"),
    ("unknown-key", _suite(colour="blue"), {}, "colour: unknown key"),
    ("unknown-mechanism", _mech("anonymizer", "presidioo"), {}, "unknown anonymizer 'presidioo'"),
    ("unknown-kind", _suite(mechanisms=[{"kind": "widget", "name": "x"}]), {}, "unknown mechanism kind"),
    ("epsilon-zero", _mech("trainer", "dp_logreg", epsilon=0), {}, "epsilon must be"),
    ("epsilon-negative", _mech("trainer", "dp_logreg", epsilon=-1), {}, "epsilon must be"),
    ("epsilon-string", _mech("trainer", "dp_logreg", epsilon="high"), {}, "epsilon must be"),
    ("epsilon-in-sweep", _mech("generator", "dp_ngram", epsilon=[1, 0]), {}, "epsilon must be"),
    ("delta-one", _mech("generator", "dp_ngram", epsilon=1, delta=1), {}, "delta must be a number in (0, 1)"),
    ("delta-zero", _mech("trainer", "dp_nb", epsilon=1, delta=0), {}, "delta must be a number in (0, 1)"),
    ("param-wrong-type", _suite(datasets=[{"name": "synthmh", "params": {"n_personas": "many"}}]), {},
     "n_personas"),
    ("param-unknown", _suite(datasets=[{"name": "synthmh", "params": {"n_persona": 3}}]), {}, "unknown parameter"),
    ("n-bootstrap-small", _suite(evaluator={"attacks": ["pii_leak"], "n_bootstrap": 10}), {}, "n_bootstrap"),
    ("split-sum", _suite(split={"train": 0.6}), {}, "train + test + control must be 1"),
    ("datasets-empty", _suite(datasets=[]), {}, "datasets: List should have at least 1 item"),
    ("unknown-attack", _suite(evaluator={"attacks": ["mia_los"]}), {}, "unknown attack 'mia_los'"),
    # data files (generic loader)
    ("csv-headerless-pii", _generic("d.csv"), {"d.csv": PII_ROW * 4}, "does not look like a header"),
    ("csv-malformed", _generic("d.csv"), {"d.csv": f'text,label\n"{SENTENCE},a\nfine,b\n'}, "malformed CSV"),
    ("csv-too-many-fields", _generic("d.csv"), {"d.csv": f"text,label\n{SENTENCE},a,{PHONE}\nx,b\n"},
     "malformed CSV"),
    ("csv-truncated-row", _generic("d.csv"), {"d.csv": f"text,label\n{SENTENCE},a\n{NAME}"}, "empty label in row 2"),
    ("csv-missing-label-column", _generic("d.csv"), {"d.csv": f"text,topic\n{SENTENCE},a\nx,b\n"},
     "missing column 'label' (columns present: text, topic)"),
    ("csv-misnamed-text-column", _generic("d.csv", text_column="body"), {"d.csv": CSV_OK}, "missing column 'body'"),
    ("csv-missing-group-column", _generic("d.csv", group_columns=["age"]), {"d.csv": CSV_OK}, "missing column 'age'"),
    ("csv-empty-text", _generic("d.csv"), {"d.csv": "text,label\nx,a\n,b\ny,a\n"}, "empty text in row 2"),
    ("csv-empty-label", _generic("d.csv"), {"d.csv": f"text,label\n{SENTENCE},\nx,b\n"}, "empty label in row 1"),
    ("csv-single-class", _generic("d.csv"), {"d.csv": f"text,label\n{SENTENCE},a\n{NAME},a\n"}, "a single class"),
    ("csv-not-utf8", _generic("d.csv"), {"d.csv": f"text,label\ncaf\xe9 {NAME},a\nx,b\n".encode("latin-1")},
     "not UTF-8"),
    ("csv-binary", _generic("d.csv"), {"d.csv": b"text,label\n\x00\x01\x02,a\n"}, "NUL bytes"),
    ("csv-empty-file", _generic("d.csv"), {"d.csv": b""}, "empty file"),
    ("csv-header-only", _generic("d.csv"), {"d.csv": "text,label\n"}, "no data rows"),
    ("csv-labels-pii", _generic("d.csv", label_column="text", labels=["a", "b"]),
     {"d.csv": f"text,label\n{SENTENCE},a\n{EMAIL},b\n"}, "not shown: they do not look like labels"),
    ("jsonl-malformed", _generic("d.jsonl"), {"d.jsonl": f'{{"text": "{SENTENCE}", "label": }}\n'},
     "malformed JSON on line 1"),
    ("jsonl-truncated", _generic("d.jsonl"),
     {"d.jsonl": f'{{"text": "x", "label": "a"}}\n{{"text": "{SENTENCE}", "lab'}, "malformed JSON on line 2"),
    ("jsonl-not-object", _generic("d.jsonl"), {"d.jsonl": f'["{SENTENCE}", "a"]\n'}, "line 1 is not a JSON object"),
    ("jsonl-nan-label", _generic("d.jsonl"),
     {"d.jsonl": f'{{"text": "{SENTENCE}", "label": NaN}}\n{{"text": "x", "label": "b"}}\n'}, "empty label in row 1"),
    ("jsonl-null-label", _generic("d.jsonl"),
     {"d.jsonl": f'{{"text": "{SENTENCE}", "label": null}}\n{{"text": "x", "label": "b"}}\n'},
     "empty label in row 1"),
    ("jsonl-pii-keys", _generic("d.jsonl"), {"d.jsonl": json.dumps({SENTENCE: "a", EMAIL: "b"}) + "\n"},
     "does not look like a header"),
    ("json-not-list", _generic("d.json"), {"d.json": json.dumps({"text": SENTENCE})}, "expected a JSON list"),
    ("json-deep", _generic("d.json"), {"d.json": "[" * 100_000 + "]" * 100_000}, "nested too deeply"),
    ("parquet-garbage", _generic("d.parquet"), {"d.parquet": f"{SENTENCE}\n"}, "not a readable Parquet file"),
    ("unsupported-suffix", _generic("d.txt"), {"d.txt": CSV_OK}, "unsupported file type '.txt'"),
    ("data-missing", _generic("missing.csv"), {}, "does not exist"),
    ("data-folder", _generic("folder"), {"folder/x.txt": "x"}, "not a saved Hugging Face dataset"),
    ("labels-not-labels", _generic("d.csv", labels=["a", None]), {"d.csv": CSV_OK},  # numbers are coerced
     "labels must hold strings or numbers"),
    ("duplicated-ids", _generic("d.csv", id_column="id"),
     {"d.csv": f"id,text,label\n{EMAIL},first post,a\nx2,second post,b\n{EMAIL},third post,a\n"},
     "rows 1 and 3 have the same id"),
    ("empty-id", _generic("d.csv", id_column="id"), {"d.csv": "id,text,label\n,first post,a\nx2,second,b\n"},
     "empty id in row 1"),
    ("header-none-bad-value", _generic("d.csv", header="nope"), {"d.csv": CSV_OK},
     "header must be 'first_row' or 'none'"),
    ("header-none-named-columns", _generic("d.csv", header="none"), {"d.csv": PII_ROW * 3},
     "missing column 'text'"),
]


def _tree(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with a digest of its content (folders and symlinks marked)."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_dir():
            found[key] = "dir"
        else:
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


MESSAGES: list[str] = []  # every output of the bad-input runs: scanned for dataset text by the last test


def assert_clean_error(code: int, out: str, err: str, needle: str) -> None:
    MESSAGES.append(out + "\n" + err)
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err + out
    assert needle in lines[0], lines[0]
    for secret in PII:
        assert secret not in err and secret not in out, f"{secret!r} leaked: {err}"
    assert len(lines[0]) < 1100


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A results folder holding one finished run of GOOD (so 'unchanged' is checked against real files)."""
    root = tmp_path_factory.mktemp("finished")
    (root / "suite.yaml").write_text(_suite())
    with pytest.raises(SystemExit) as exited:
        main(["run", str(root / "suite.yaml"), "--out", str(root / "results"), "--quiet", "--jobs", "1"])
    assert exited.value.code == 0
    return root / "results"


@pytest.mark.parametrize("case, suite, files, needle", SUITE_CASES, ids=[c[0] for c in SUITE_CASES])
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, capsys, monkeypatch, finished, case, suite, files,
                                                   needle):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    shutil.copytree(finished, work / "results")
    (work / "suite.yaml").write_bytes(suite if isinstance(suite, bytes) else suite.encode())
    for name, content in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    before = _tree(tmp_path)
    code, out, err = run_cli(capsys, "run", "suite.yaml", "--out", "results", "--quiet", "--jobs", "1")
    assert_clean_error(code, out, err, needle)
    assert _tree(tmp_path) == before, "something was written"
    assert not Path("/abs/path").exists()


# --- --out problems: reported before any cell is computed -----------------------------------------------------

def _out_is_file(root: Path) -> Path:
    (root / "out").write_text("x")
    return root / "out"


def _out_dangling(root: Path) -> Path:
    (root / "out").symlink_to(root / "nowhere")
    return root / "out"


def _out_under_file(root: Path) -> Path:
    (root / "f").write_text("x")
    return root / "f" / "sub"


def _runs_is_file(root: Path) -> Path:
    (root / "out" / "runs").mkdir(parents=True)
    (root / "out" / "runs" / "t").write_text("x")
    return root / "out"


def _runs_symlink_outside(root: Path) -> Path:
    (root / "elsewhere").mkdir()
    (root / "out" / "runs").mkdir(parents=True)
    (root / "out" / "runs" / "t").symlink_to(root / "elsewhere")
    return root / "out"


def _leaderboard_is_folder(root: Path) -> Path:
    (root / "out" / "leaderboard-t.html").mkdir(parents=True)
    return root / "out"


OUT_CASES = [(_out_is_file, "is a file, not a folder"), (_out_dangling, "a dangling symlink"),
             (_out_under_file, "is a file"), (_runs_is_file, "is a file, not a folder"),
             (_runs_symlink_outside, "outside the results folder"), (_leaderboard_is_folder, "is not a file")]


@pytest.mark.parametrize("make, needle", OUT_CASES, ids=[m.__name__.strip("_") for m, _ in OUT_CASES])
def test_bad_out_fails_before_computing(tmp_path, capsys, monkeypatch, make, needle):
    import mhprivbench.runner

    monkeypatch.setattr(mhprivbench.runner, "run_cell", lambda cell: pytest.fail("a cell was computed"))
    (tmp_path / "suite.yaml").write_text(_suite())
    out = make(tmp_path)
    before = _tree(tmp_path)
    code, stdout, err = run_cli(capsys, "run", tmp_path / "suite.yaml", "--out", out, "--quiet", "--jobs", "1")
    assert_clean_error(code, stdout, err, needle)
    assert str(out) in err or "runs" in err or "leaderboard" in err
    assert _tree(tmp_path) == before


def test_read_only_out_fails_before_computing(tmp_path, capsys, monkeypatch):
    """Root ignores file modes, so a read-only file system is simulated at the probe (tempfile)."""
    import errno
    import tempfile

    import mhprivbench.runner

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(mhprivbench.runner, "run_cell", lambda cell: pytest.fail("a cell was computed"))
    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    (tmp_path / "suite.yaml").write_text(_suite())
    code, out, err = run_cli(capsys, "run", tmp_path / "suite.yaml", "--out", tmp_path / "out", "--quiet")
    assert_clean_error(code, out, err, "not writable (Read-only file system)")
    assert not (tmp_path / "out").exists()


# --- CLI usage and other commands -----------------------------------------------------------------------------

@pytest.mark.parametrize("args, needle", [
    (["run", "s.yaml", "--jobs", "0"], "'--jobs'"),
    (["run", "s.yaml", "--jobs", "-3"], "'--jobs'"),
    (["run", "s.yaml", "--jobs", "abc"], "'--jobs'"),
    (["run", "s.yaml", "--bogus"], "No such option: --bogus"),
    (["run"], "Missing argument"),
    (["nosuchcommand"], "No such command"),
    (["run", "missing.yaml"], "suite file not found"),
    (["run", "."], "not a file"),
    (["leaderboard", "--suite", "../x"], "suite name '../x'"),
    (["leaderboard", "--suite", "/etc"], "suite name '/etc'"),
    (["leaderboard", "--suite", ".."], "suite name '..'"),
    (["leaderboard", "--suite", "nosuch"], "no such results folder"),
    (["validate", "missing.json"], "missing.json"),
], ids=lambda v: "_".join(v) if isinstance(v, list) else None)
def test_usage_errors_are_one_line(tmp_path, capsys, monkeypatch, args, needle):
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    code, out, err = run_cli(capsys, *args)
    assert_clean_error(code, out, err, needle)
    assert _tree(tmp_path) == before


def test_leaderboard_cannot_read_through_a_symlink_out_of_out(tmp_path, capsys):
    (tmp_path / "secret").mkdir()
    (tmp_path / "out" / "runs").mkdir(parents=True)
    (tmp_path / "out" / "runs" / "x").symlink_to(tmp_path / "secret")
    code, out, err = run_cli(capsys, "leaderboard", "--out", tmp_path / "out", "--suite", "x")
    assert_clean_error(code, out, err, "outside the results folder")


@pytest.mark.parametrize("content, needle", [
    (b"", "empty file"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"\x00\x01binary", "malformed JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (json.dumps({"schema_version": 7, "note": SENTENCE}).encode(), "schema_version: unsupported"),
    (b'{"entries": [{"x": 1}]}', "suites: Field required"),
], ids=["empty", "not-utf8", "binary", "deep", "schema", "bad-field"])
def test_validate_names_file_and_cause(tmp_path, capsys, content, needle):
    path = tmp_path / "r.json"
    path.write_bytes(content)
    code, out, err = run_cli(capsys, "validate", path)
    assert_clean_error(code, out, err, needle)
    assert str(path) in err


# --- last: no message of this module holds dataset text ------------------------------------------------------------

def test_zz_no_message_holds_dataset_or_input_text():
    """Every message collected above, scanned for 6-word sequences and span surfaces of the default suite's
    datasets (``leak_scan``) and for 6-word sequences of the hostile inputs these tests wrote."""
    from leak_scan import default_suite_index, shingles

    if len(MESSAGES) < 50:
        pytest.skip("runs after the whole module (a selection of cases collected too few messages)")
    index = default_suite_index(Path(__file__).resolve().parents[1])
    for _, _, files, _ in SUITE_CASES:
        for content in files.values():
            index.windows |= shingles(content.decode("utf-8", "replace") if isinstance(content, bytes) else content)
    index.windows |= shingles(SENTENCE + " " + NAME)
    assert index.hits(f"error: {SENTENCE}")  # the scan can fail: the planted sentence would be caught
    leaks = {i: index.hits(message)[:3] for i, message in enumerate(MESSAGES) if index.hits(message)}
    assert leaks == {}
