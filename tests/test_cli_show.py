"""`mhprivbench list --params`, `show`, `leaderboard` without --suite, and run's per-cell progress lines."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from rich.console import Console

from mhprivbench.cli import main
from mhprivbench.cli_show import RunProgress, cell_line, changed_params, interval
from mhprivbench.leaderboard import AggregateScore, Entry, Leaderboard
from mhprivbench.param_help import Param, format_parameters, parameters
from mhprivbench.results import ComponentRef
from mhprivbench.runner import Cell
from mhprivbench.specs import ComponentSpec


def run_cli(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


# --- list --params --------------------------------------------------------------------------------------------

@dataclass
class Mixin:
    shared: str = "keep"  # from the mixin


@dataclass(kw_only=True)
class Toy(Mixin):
    """A toy plugin.

    ``documented``: said in the docstring, continued
    on the next line.
    """

    required: int
    commented: float = 0.5  # a trailing comment
    # a comment line above
    above: list[str] = field(default_factory=list)
    helped: str | None = field(default=None, metadata={"help": "from metadata"})  # not this comment
    documented: bool = False
    bare: tuple = ()


def test_parameters_help_sources():
    assert parameters(Toy) == [
        Param("shared", "str", '"keep"', "from the mixin"),
        Param("required", "int", "(required)", ""),
        Param("commented", "float", "0.5", "a trailing comment"),
        Param("above", "list[str]", "[]", "a comment line above"),
        Param("helped", "str | None", "null", "from metadata"),
        Param("documented", "bool", "false", "said in the docstring, continued on the next line."),
        Param("bare", "tuple", "[]", ""),
    ]
    lines = format_parameters("dataset", "toy", Toy)
    assert lines[0] == "dataset toy: A toy plugin."
    assert lines[1] == "parameter   type        default     help"
    assert lines[3] == "required    int         (required)  -"
    assert lines[4] == "commented   float       0.5         a trailing comment"
    assert parameters(int) == []


def test_list_params_generic(capsys):
    code, out, err = run_cli(capsys, "list", "--params", "dataset", "generic")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("dataset generic: Any labelled text table")
    assert re.match(r"parameter\s+type\s+default\s+help$", lines[1])
    rows = {line.split()[0]: line for line in lines[2:]}
    assert re.match(r"path\s+str\s+\(required\)\s+file, save_to_disk folder or hf:NAME", rows["path"])
    assert re.match(r'encoding\s+str\s+"utf-8"\s+text encoding of CSV/TSV/JSON files', rows["encoding"])
    assert re.match(r'on_bad_rows\s+str\s+"error"\s+empty text or empty/NaN label: "error" stops', rows["on_bad_rows"])
    assert re.match(r"max_classes\s+int \| None\s+null\s+most label classes allowed", rows["max_classes"])
    assert re.match(r"labels\s+list\[str\] \| None\s+null\s+the task's public label set", rows["labels"])
    assert len(rows) == 17


def test_list_params_every_plugin_lists(capsys):
    from mhprivbench import registry

    for kind in registry.KINDS:
        for name in registry.get_all(kind):
            code, out, err = run_cli(capsys, "list", "--params", kind, name)
            assert code == 0 and out.startswith(f"{registry.get(kind, name).plugin_kind} {name}"), (kind, name, err)


@pytest.mark.parametrize("args, needle", [(["list", "--params", "dataset"], "list --params needs KIND and NAME"),
                                          (["list", "--params", "dataset", "nope"], "unknown dataset 'nope'")])
def test_list_params_errors(capsys, args, needle):
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and len(err.strip().splitlines()) == 1 and needle in err, err


# --- show -----------------------------------------------------------------------------------------------------

def _score(mean, low, high, higher=True):
    return AggregateScore(mean=mean, ci_low=low, ci_high=high, std=0.0, n_seeds=2, higher_is_better=higher)


def _board() -> Leaderboard:
    regex = ComponentRef(kind="anonymizer", name="regex",
                         params={"operator": "mask", "entities": None, "pseudonym": "keep", "keep_fields": None})
    dp = ComponentRef(kind="trainer", name="dp_logreg", params={"epsilon": 2.0, "n_features": 1024, "C": 1.0,
                                                                "max_iter": 100, "features": "hashed"})
    entries = [
        Entry(dataset="clinic-a", dataset_sha256="a" * 64, mechanism=regex, label="regex", family="anonymizer",
              seeds=[0, 1], scores={"utility.macro_f1": _score(0.8125, 0.79, 0.83),
                                    "pii.leak_rate": _score(0.25, 0.2, 0.3, higher=False)}, pareto=True),
        Entry(dataset="clinic-b", dataset_sha256="b" * 64, mechanism=dp, label="dp_logreg", family="trainer",
              seeds=[0, 1], epsilon=2.0, scores={"utility.macro_f1": _score(0.5, 0.4, 0.6)}),
    ]
    return Leaderboard(suites=["t"], n_runs=4, headline_risks=["pii.leak_rate", "mia.loss.auc"], entries=entries)


def test_interval_and_changed_params():
    assert interval(_score(0.8125, 0.79, 0.83)) == "0.812 [0.790, 0.830]" and interval(None) == "-"
    board = _board()
    assert changed_params(board.entries[0]) == 'operator="mask"'
    assert changed_params(board.entries[1]) == "epsilon=2.0"


def _cells(line: str, sep: str = "│") -> list[str]:
    return [cell.strip() for cell in line.split(sep)[1:-1]]


def test_show_prints_the_table(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    path = tmp_path / "leaderboard-t.json"
    path.write_text(_board().model_dump_json())
    code, out, err = run_cli(capsys, "show", path)
    assert code == 0, err
    header = next(line for line in out.splitlines() if "dataset" in line)
    assert _cells(header, "┃") == [
        "dataset", "mechanism", "params", "epsilon", "utility.macro_f1", "pii.leak_rate", "pareto"]
    row_a = next(line for line in out.splitlines() if "clinic-a" in line)
    assert _cells(row_a) == [
        "clinic-a", "regex", 'operator="mask"', "-", "0.812 [0.790, 0.830]", "0.250 [0.200, 0.300]", "*"]
    row_b = next(line for line in out.splitlines() if "clinic-b" in line)
    assert _cells(row_b) == [
        "clinic-b", "dp_logreg", "epsilon=2.0", "2", "0.500 [0.400, 0.600]", "-", ""]
    code, out, _ = run_cli(capsys, "show", path, "--dataset", "clinic-b", "--metric", "utility.macro_f1")
    assert code == 0 and "clinic-a" not in out and "pii.leak_rate" not in out and "clinic-b" in out


def test_show_folder_and_errors(tmp_path, capsys):
    (tmp_path / "leaderboard.json").write_text(_board().model_dump_json())
    code, out, _ = run_cli(capsys, "show", tmp_path)
    assert code == 0 and "clinic-a" in out
    code, _, err = run_cli(capsys, "show", tmp_path / "missing.json")
    assert code == 2 and err.startswith("error: ") and "missing.json" in err
    code, _, err = run_cli(capsys, "show", tmp_path, "--dataset", "nope")
    assert code == 2 and "no entries for dataset 'nope'" in err


# --- leaderboard without --suite ------------------------------------------------------------------------------

def test_leaderboard_lists_suites(tmp_path, capsys):
    out = tmp_path / "out"
    for suite, files in (("default", 3), ("smoke", 1), ("empty", 0)):
        (out / "runs" / suite).mkdir(parents=True)
        for i in range(files):
            (out / "runs" / suite / f"{i}.json").write_text("{}")
    (out / "runs" / ".quarantine").mkdir()
    (out / "leaderboard.json").write_text("{}")
    code, text, err = run_cli(capsys, "leaderboard", "--out", out)
    assert code == 0, err
    assert text.splitlines() == [
        f"suites under {out / 'runs'} (rebuild one with: mhprivbench leaderboard --out {out} --suite NAME)",
        f"  default      3 result files  leaderboard: {out / 'leaderboard.json'}",
        f"  empty        0 result files  leaderboard: {out / 'leaderboard-empty.json'} (not built)",
        f"  smoke        1 result files  leaderboard: {out / 'leaderboard-smoke.json'} (not built)",
    ]
    code, _, err = run_cli(capsys, "leaderboard", "--out", tmp_path / "nothing")
    assert code == 2 and "no such results folder" in err


# --- run progress ---------------------------------------------------------------------------------------------

def _cell() -> Cell:
    return Cell(suite="t", dataset=ComponentSpec(kind="dataset", name="generic", params={"name": "mine"}),
                dataset_hash="0" * 64, mechanism=ComponentSpec(kind="anonymizer", name="regex"), evaluator={},
                split={}, seed=3)


def test_cell_line():
    cell = _cell()
    result = SimpleNamespace(dataset=SimpleNamespace(name="mine"),
                             timings={"release": 0.5, "utility": 0.25, "mia_loss": 1.5, "total": 2.5})
    assert cell_line(cell, result, 3, 7) == (f"[3/7] cell {cell.cell_id} mine / regex / seed 3: 2.5 s (release 0.5 s, "
                                             "slowest mia_loss 1.5 s)")
    assert cell_line(cell, ValueError("x"), 4, 7) == (f"[4/7] cell {cell.cell_id} mine / regex / seed 3: failed "
                                                      "(reported below)")


@pytest.mark.parametrize("terminal, quiet, expect_lines", [(False, False, True), (False, True, False),
                                                           (True, False, False)])
def test_progress_lines_only_off_a_terminal(terminal, quiet, expect_lines):
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=terminal, width=200)
    result = SimpleNamespace(dataset=SimpleNamespace(name="mine"), timings={"release": 0.1, "total": 0.2})
    with RunProgress(console, "suite t", quiet=quiet) as progress:
        for done in (1, 2):
            progress.update(done, 2)
            progress.cell_done(_cell(), result)
    lines = [line for line in buffer.getvalue().splitlines() if "] cell " in line]
    assert (len(lines) == 2 and lines[1].startswith("[2/2] cell ")) if expect_lines else not lines
