"""Bring your own data: the generic loader on a newcomer's files (encoding, bad rows, numeric labels, too many
classes, names on the leaderboard, paths relative to the suite file), end to end through `mhprivbench run`.

Every file here is invented in tmp_path; SENTINEL is planted in the texts and must never reach a message or a
result file."""

from __future__ import annotations

import json
import logging
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, SENTINEL, write_csv

from mhprivbench.applicability import NO_AUX, NO_SPANS, why_not_applicable
from mhprivbench.datasets.io import paths_relative_to
from mhprivbench.datasets.values import class_limit, label_str
from mhprivbench.errors import ConfigError, DataError, DatasetNotFoundError
from mhprivbench.registry import create
from mhprivbench.specs import load_suite, parse_suite
from mhprivbench.types import Release

CALM = ["walked", "garden", "coffee", "sunny", "music", "friends", "cooking", "reading"]
LOW = ["tired", "alone", "heavy", "crying", "empty", "sleepless", "hopeless", "numb"]


def newcomer_csv(path: Path, n: int = 40, seed: int = 0) -> Path:
    """`post,label,user` in Windows-1252: n invented posts, labels 0/1 written as "1" or "1.0", one post with a
    byte that is not UTF-8 (0xE9), and two bad rows (an empty post at data row 8, an empty label at row 15)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        label = i % 2
        text = f"today I felt {' '.join(rng.sample(LOW if label else CALM, 4))} {SENTINEL}"
        rows.append(f"{text}{' caf' + chr(0xE9) if i == 5 else ''},{label}{'.0' if i % 4 == 1 else ''},u{i % 10}")
    rows.insert(7, ",1,u3")  # data row 8
    rows.insert(14, f"an unlabelled post {SENTINEL},,u4")  # data row 15
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("post,label,user\n" + "\n".join(rows) + "\n").encode("cp1252"))
    return path


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "COLUMNS": "250", "PYTHONPATH": str(REPO_ROOT),
           "MHPRIVBENCH_CACHE": str(cwd / ".cache")}
    return subprocess.run([sys.executable, "-m", "mhprivbench.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)


def _suite(name: str, datasets: list[dict]) -> dict:
    return {"name": name, "seeds": [0], "datasets": datasets,
            "mechanisms": [{"kind": "baseline", "name": "identity"}, {"kind": "anonymizer", "name": "regex"}],
            "evaluator": {"classifier": "tfidf_logreg", "attacks": ["pii_leak", "mia_loss"], "n_bootstrap": 50}}


def _outputs(out: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())


# --- end to end -----------------------------------------------------------------------------------------------

def test_newcomer_csv_runs_end_to_end(tmp_path):
    """A new user's CSV with a non-UTF-8 byte, two empty rows and a numeric label column runs with `encoding` and
    `on_bad_rows: skip`; the relative path resolves from the suite's folder, not the working directory."""
    newcomer_csv(tmp_path / "project" / "posts.csv")
    params = {"path": "posts.csv", "name": "my-posts", "text_column": "post", "author_column": "user",
              "labels": [0, 1], "crisis_label": 1, "encoding": "cp1252", "on_bad_rows": "skip"}
    suite = tmp_path / "project" / "suite.yaml"
    suite.write_text(yaml.safe_dump(_suite("byod", [{"name": "generic", "params": params}])))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = _cli("run", str(suite), "--out", str(tmp_path / "out"), "--jobs", "1", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert "skipped 2 of 42 rows" in proc.stderr and "rows 8, 15" in proc.stderr
    assert "[1/2] cell " in proc.stderr and "[2/2] cell " in proc.stderr  # not a terminal: one line per cell
    board = json.loads((tmp_path / "out" / "leaderboard-byod.json").read_text())
    assert {e["dataset"] for e in board["entries"]} == {"my-posts"} and len(board["entries"]) == 2
    result = json.loads(next((tmp_path / "out" / "runs" / "byod").glob("*.json")).read_text())
    assert result["dataset"]["name"] == "my-posts"
    assert result["dataset"]["params"]["labels"] == ["0", "1"] and result["dataset"]["params"]["crisis_label"] == "1"
    sizes = result["dataset"]["sizes"]
    assert sizes["train"] + sizes["test"] + sizes["control"] + sizes["aux"] == 40  # 42 data rows - 2 skipped
    assert "inject_pii" in result["not_applicable"]["pii_leak"]
    assert SENTINEL not in proc.stderr + proc.stdout + _outputs(tmp_path / "out")


def _main(capsys, *args: str) -> tuple[int, str]:
    from mhprivbench.cli import main

    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return exited.value.code, capsys.readouterr().out


def test_two_custom_datasets_appear_under_their_own_names(tmp_path, capsys):
    newcomer_csv(tmp_path / "a.csv", seed=1)
    newcomer_csv(tmp_path / "sub" / "b.csv", n=48, seed=2)
    common = {"text_column": "post", "encoding": "cp1252", "on_bad_rows": "skip"}
    datasets = [{"name": "generic", "params": {"path": "a.csv", "name": "clinic-a", **common}},
                {"name": "generic", "params": {"path": "sub/b.csv", "name": "clinic-b", **common}}]
    (tmp_path / "two.yaml").write_text(yaml.safe_dump(_suite("two", datasets)))
    out = tmp_path / "out"
    proc = _cli("run", "two.yaml", "--out", str(out), "--jobs", "1", "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "] cell " not in proc.stderr  # --quiet: no per-cell lines
    board = json.loads((out / "leaderboard-two.json").read_text())
    by_dataset = sorted((e["dataset"], e["mechanism"]["name"]) for e in board["entries"])
    assert by_dataset == [("clinic-a", "identity"), ("clinic-a", "regex"), ("clinic-b", "identity"),
                          ("clinic-b", "regex")]
    code, shown = _main(capsys, "show", str(out / "leaderboard-two.json"))
    assert code == 0 and "clinic-a" in shown and "clinic-b" in shown
    code, listed = _main(capsys, "leaderboard", "--out", str(out))
    assert code == 0 and "  two      4 result files  leaderboard: " in listed


def test_two_generic_datasets_with_one_name_are_refused():
    datasets = [{"name": "generic", "params": {"path": "a.csv"}}, {"name": "generic", "params": {"path": "b.csv"}}]
    with pytest.raises(ConfigError, match=r"datasets\[1\]: datasets\[0\] is also named 'generic'.*own `name`"):
        parse_suite(_suite("dup", datasets))
    datasets[1]["params"]["name"] = "synthmh"
    with pytest.raises(ConfigError, match="also named 'synthmh'"):
        parse_suite(_suite("dup", [{"name": "synthmh"}, datasets[1]]))


# --- encoding -------------------------------------------------------------------------------------------------

def test_not_utf8_names_offset_and_hints_encoding(tmp_path):
    file = tmp_path / "d.csv"
    file.write_bytes(b"text,label\nok,a\ncaf\xe9,b\n")  # offset of 0xE9: len(b"text,label\nok,a\ncaf") == 19
    with pytest.raises(DataError) as caught:
        create("dataset", "generic", path=str(file)).load()
    message = str(caught.value)
    assert message.startswith(f"{file}: not UTF-8 text (invalid byte at offset 19)")
    assert "`encoding: latin-1` (or `cp1252`)" in message and "caf" not in message
    corpus = create("dataset", "generic", path=str(file), encoding="latin-1").load()
    assert [r.text for r in corpus.records] == ["ok", "caf\u00e9"]


def test_bytes_undefined_in_the_given_encoding(tmp_path):
    file = tmp_path / "d.csv"
    file.write_bytes(b"text,label\nok,a\nx\x81y,b\n")  # 0x81 is undefined in cp1252, at offset 17
    with pytest.raises(DataError, match=r"not valid cp1252 text \(invalid byte at offset 17\); check the `encoding`"):
        create("dataset", "generic", path=str(file), encoding="cp1252").load()
    with pytest.raises(ConfigError, match="encoding must be a codec name"):
        create("dataset", "generic", path=str(file), encoding="klingon-8")


# --- bad rows -------------------------------------------------------------------------------------------------

BAD = [[f"one {SENTINEL}", "a"], ["", "b"], ["three", "b"], ["four", "a"], ["five", "NaN"], ["six", "b"]]


def test_bad_rows_error_names_the_first_row(tmp_path):
    file = write_csv(tmp_path / "d.csv", ["text", "label"], BAD)
    with pytest.raises(DataError) as caught:
        create("dataset", "generic", path=str(file)).load()
    assert str(caught.value) == (f"{file}: empty text in row 2 (column 'text'); 2 bad rows in all: fix them or pass "
                                 "`on_bad_rows: skip` to drop them")
    file = write_csv(tmp_path / "nan.csv", ["text", "label"], [row for row in BAD if row[0]])
    with pytest.raises(DataError, match=r"NaN label in row 4 \(column 'label'\); 1 bad row in all"):
        create("dataset", "generic", path=str(file)).load()


def test_bad_rows_skip_counts_and_keeps_row_numbers(tmp_path, caplog):
    file = write_csv(tmp_path / "d.csv", ["text", "label"], BAD)
    with caplog.at_level(logging.WARNING, logger="mhprivbench.datasets"):
        corpus = create("dataset", "generic", path=str(file), name="mine", on_bad_rows="skip").load()
    assert [r.uid for r in corpus.records] == ["mine-0", "mine-2", "mine-3", "mine-5"]  # rows 2 and 5 dropped
    assert [r.label for r in corpus.records] == ["a", "b", "a", "b"]
    assert corpus.metadata["skipped_rows"] == 2 and corpus.metadata["skipped_row_numbers"] == [2, 5]
    assert len(caplog.records) == 1
    assert "skipped 2 of 6 rows" in caplog.text and "rows 2, 5" in caplog.text and SENTINEL not in caplog.text


def test_nan_labels_from_json_and_all_bad(tmp_path):
    lines = tmp_path / "d.jsonl"
    lines.write_text("\n".join(json.dumps(r) for r in [{"text": "a", "label": 1}, {"text": "b", "label": None},
                                                       {"text": "c", "label": 0}]) + "\n")
    with pytest.raises(DataError, match=r"empty label in row 2"):
        create("dataset", "generic", path=str(lines)).load()
    empty = write_csv(tmp_path / "e.csv", ["text", "label"], [["", "a"], ["x", ""]])
    with pytest.raises(DataError, match="all 2 rows have an empty text or an empty/NaN label"):
        create("dataset", "generic", path=str(empty), on_bad_rows="skip").load()
    with pytest.raises(ConfigError, match="on_bad_rows must be one of error, skip"):
        create("dataset", "generic", path=str(empty), on_bad_rows="drop")


# --- numeric labels -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [(1, "1"), (1.0, "1"), ("1.0", "1"), (" 1 ", "1"), (-0.0, "0"),
                                             (1.5, "1.5"), ("1.50", "1.50"), ("01", "01"), ("anxiety", "anxiety")])
def test_label_str(value, expected):
    assert label_str(value) == expected


@pytest.mark.parametrize("value", [True, None, float("nan"), [1]])
def test_label_str_rejects(value):
    with pytest.raises(ValueError):
        label_str(value)


def test_numeric_labels_are_one_class_per_value(tmp_path):
    file = write_csv(tmp_path / "d.csv", ["text", "label"], [["a", "1"], ["b", "1.0"], ["c", "0"], ["d", "0.0"]])
    corpus = create("dataset", "generic", path=str(file), labels=[0.0, 1], crisis_label=1.0).load()
    assert [r.label for r in corpus.records] == ["1", "1", "0", "0"]
    assert corpus.declared_labels == ("0", "1") and corpus.crisis_label == "1"
    numbers = tmp_path / "d.jsonl"
    numbers.write_text("\n".join(json.dumps({"text": t, "label": v}) for t, v in [("a", 1), ("b", 1.0), ("c", 2)]))
    assert [r.label for r in create("dataset", "generic", path=str(numbers)).load().records] == ["1", "1", "2"]


# --- too many classes -----------------------------------------------------------------------------------------

def test_class_limit_rule():
    assert [class_limit(n) for n in (10, 250, 254, 255, 1000, 2000)] == [50, 50, 50, 51, 200, 400]


def test_too_many_classes_is_refused_with_the_figures(tmp_path):
    rows = [[f"post {i}", f"c{i % 61}"] for i in range(300)]  # 61 classes, 300 rows: limit 300 // 5 = 60
    file = write_csv(tmp_path / "d.csv", ["text", "label"], rows)
    with pytest.raises(DataError) as caught:
        create("dataset", "generic", path=str(file)).load()
    assert str(caught.value) == (f"{file}: label column 'label' has 61 classes across 300 rows, more than 60 (the "
                                 "limit is max(50, rows/5)): is label_column the right column? For a fine-grained "
                                 "task set `max_classes: 61`")
    assert len(create("dataset", "generic", path=str(file), max_classes=61).load().records) == 300
    text_as_label = write_csv(tmp_path / "t.csv", ["text", "label"], [[f"p{i}", f"free text {i}"] for i in range(60)])
    with pytest.raises(DataError, match="has 60 classes across 60 rows, more than 50"):
        create("dataset", "generic", path=str(text_as_label)).load()


# --- names and paths ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../x", "a/b", "", ".hidden", "x" * 65])
def test_name_must_be_a_safe_name(name):
    with pytest.raises(ConfigError):
        create("dataset", "generic", path="d.csv", name=name)


def test_relative_path_resolves_from_the_suite_folder(tmp_path, monkeypatch):
    write_csv(tmp_path / "suites" / "data" / "d.csv", ["text", "label"], [["a", "x"], ["b", "y"]])
    suite_file = tmp_path / "suites" / "s.yaml"
    suite_file.write_text(yaml.safe_dump(_suite("rel", [{"name": "generic", "params": {"path": "data/d.csv"}}])))
    monkeypatch.chdir(tmp_path)
    suite = load_suite("suites/s.yaml")
    assert suite.folder == tmp_path / "suites" and parse_suite(yaml.safe_load(suite_file.read_text())).folder is None
    spec, _ = suite.dataset_specs()[0]
    with paths_relative_to(suite.folder):
        corpus = spec.build().load()
    assert corpus.metadata["source"] == str(tmp_path / "suites" / "data" / "d.csv")
    assert spec.params["path"] == "data/d.csv"  # the spec keeps the path as written: cell ids do not move
    with pytest.raises(DatasetNotFoundError, match=str(tmp_path / "data" / "d.csv")):  # Python API: the cwd
        spec.build().load()
    absolute = create("dataset", "generic", path=str(tmp_path / "suites" / "data" / "d.csv"))
    with paths_relative_to(tmp_path / "elsewhere"):
        assert len(absolute.load().records) == 2


# --- not_applicable says which setting -----------------------------------------------------------------------

def test_not_applicable_names_the_setting(tmp_path):
    file = write_csv(tmp_path / "d.csv", ["text", "label"], [[f"p{i}", "ab"[i % 2]] for i in range(20)])
    splits = create("dataset", "generic", path=str(file)).load().split(seed=0)
    release = Release(kind="records", records=splits.train, aligned=True)
    assert why_not_applicable("pii_leak", create("attack", "pii_leak"), release, splits) == NO_SPANS
    assert why_not_applicable("reid_authorship", create("attack", "reid_authorship"), release, splits) == NO_AUX
    assert "`inject_pii`" in NO_SPANS and "`author_column`" in NO_AUX
    model = Release(kind="model", model=None)
    assert why_not_applicable("reid_linkage", create("attack", "reid_linkage"), model, splits).startswith(
        "does not apply to a model release: it needs a records (an anonymizer or a generator) release")


def test_generic_card_documents_every_parameter():
    from mhprivbench.datasets.cards import is_loader_card, list_cards, load_card
    from mhprivbench.param_help import parameters
    from mhprivbench.registry import get

    card = load_card("generic")
    assert is_loader_card(card) and "generic" not in {c["name"] for c in list_cards()}
    missing = [p.name for p in parameters(get("dataset", "generic")) if f"| `{p.name}` |" not in card["prose"]]
    assert missing == []


def test_readme_byod_suite_is_valid():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Bring your own data", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    suite = parse_suite(yaml.safe_load(block), source="README.md")
    spec, _ = suite.dataset_specs()[0]
    assert spec.build().labels == ["0", "1"] and spec.build().crisis_label == "1"
