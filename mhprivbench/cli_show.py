"""``mhprivbench show``, ``list --params``, the suite listing of ``leaderboard`` and the progress of ``run``.

Wire ``show`` into the main app with ``add_commands(app)``; ``cli.py`` calls ``print_parameters``,
``list_suites`` and ``RunProgress`` from its ``list``, ``leaderboard`` and ``run`` commands.

Progress of ``run`` goes to stderr: a rich bar when stderr is a terminal; otherwise (a CI log, a pipe, a file)
one line per finished cell: ``[done/total] cell <id> <dataset> / <mechanism> / seed <s>: <seconds> s`` with the
release time and the slowest step. ``--quiet`` prints neither.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mhprivbench.errors import MhPrivBenchError

if TYPE_CHECKING:
    from mhprivbench.leaderboard import AggregateScore, Entry, Leaderboard
    from mhprivbench.results import Result
    from mhprivbench.runner import Cell

UTILITY = "utility.macro_f1"


def add_commands(app: typer.Typer) -> None:
    """Register ``show`` on the main app (once)."""
    if not any(command.name == "show" for command in app.registered_commands):
        app.command("show")(show)
        app.command("drift")(drift)


def drift(
    committed: Annotated[Path, typer.Argument(help="the committed leaderboard JSON")],
    regenerated: Annotated[Path, typer.Argument(help="the leaderboard just regenerated from the same suite")],
) -> None:
    """Compare two leaderboards of one suite; exit 1 when a metric moved beyond the tolerance (mhprivbench.drift)."""
    from mhprivbench import drift as board_drift

    old, new = board_drift.load(committed), board_drift.load(regenerated)
    for name in board_drift.absent_datasets(old, new):
        print(f"not compared: dataset {name} has no entry in the regenerated leaderboard (its data is absent here)")
    found = board_drift.compare(old, new)
    for item in found:
        print(f"drift: {item.entry}: {item.metric}: {item.what}")
    print(f"{len(found)} drifts beyond +-({board_drift.ABS_TOLERANCE} + {board_drift.REL_TO_INTERVAL} x interval width)")
    if found:
        raise typer.Exit(1)


# --- list --params ------------------------------------------------------------------------------------------

def print_parameters(kind: str | None, name: str | None) -> None:
    """Every parameter of plugin NAME of KIND: type, default and help (``param_help``)."""
    from mhprivbench import registry
    from mhprivbench.param_help import format_parameters

    if not kind or not name:
        raise MhPrivBenchError("list --params needs KIND and NAME, e.g. `mhprivbench list --params dataset generic`")
    cls = registry.get(kind, name)
    for line in format_parameters(getattr(cls, "plugin_kind", kind), name, cls):
        print(line)


# --- leaderboard without --suite ----------------------------------------------------------------------------

def list_suites(out: Path) -> None:
    """Print the suites found under OUT/runs: result files and whether their leaderboard is built."""
    from mhprivbench.leaderboard import leaderboard_path
    from mhprivbench.specs import SLUG

    runs = Path(out) / "runs"
    if not runs.is_dir():
        raise MhPrivBenchError(f"{runs}: no such results folder (run a suite first: mhprivbench run SUITE.yaml)")
    suites = sorted(p for p in runs.iterdir() if p.is_dir() and SLUG.fullmatch(p.name) and p.name.strip("."))
    if not suites:
        print(f"no suites under {runs}")
        return
    print(f"suites under {runs} (rebuild one with: mhprivbench leaderboard --out {out} --suite NAME)")
    width = max(len(p.name) for p in suites)
    for folder in suites:
        board = leaderboard_path(out, folder.name)
        state = "" if board.is_file() else " (not built)"
        print(f"  {folder.name:<{width}}  {len(list(folder.glob('*.json'))):>5} result files  "
              f"leaderboard: {board}{state}")


# --- show ---------------------------------------------------------------------------------------------------

def show(
    path: Annotated[Path, typer.Argument(help="a leaderboard JSON, or a results folder (its leaderboard.json)")]
    = Path("results/leaderboard.json"),
    metric: Annotated[list[str] | None, typer.Option(help="metric column (repeat); default: macro-F1 and the "
                                                          "headline risks present")] = None,
    dataset: Annotated[str | None, typer.Option(help="only this dataset")] = None,
) -> None:
    """Print a leaderboard as a table: dataset, mechanism, non-default parameters, epsilon, and each metric's
    mean over seeds with its interval [low, high]; * marks the Pareto-optimal entries."""
    from mhprivbench.leaderboard import read_leaderboard

    board = read_leaderboard(path / "leaderboard.json" if path.is_dir() else path)
    entries = [e for e in board.entries if dataset is None or e.dataset == dataset]
    if not entries:
        raise MhPrivBenchError(f"{path}: no entries" + (f" for dataset {dataset!r}" if dataset else ""))
    metrics = metric or default_metrics(board)
    width = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 220
    Console(width=width).print(board_table(entries, metrics, title=f"{path} (suites: {', '.join(board.suites)})"))


def default_metrics(board: Leaderboard) -> list[str]:
    present = {name for entry in board.entries for name in entry.scores}
    return [name for name in (UTILITY, *board.headline_risks) if name in present]


def board_table(entries: list[Entry], metrics: list[str], *, title: str = "") -> Table:
    table = Table(title=title or None)
    for column in ("dataset", "mechanism", "params", "epsilon", *metrics, "pareto"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        epsilon = "-" if entry.epsilon is None else f"{entry.epsilon:g}"
        cells = [interval(entry.scores.get(name)) for name in metrics]
        table.add_row(entry.dataset, entry.mechanism.name, changed_params(entry), epsilon, *cells,
                      "*" if entry.pareto else "")
    return table


def interval(score: AggregateScore | None) -> str:
    """``mean [low, high]`` with 3 decimals, or ``-`` for a metric the entry does not have."""
    if score is None:
        return "-"
    return f"{score.mean:.3f} [{score.ci_low:.3f}, {score.ci_high:.3f}]"


def changed_params(entry: Entry) -> str:
    """The mechanism's parameters that differ from the plugin's defaults (all of them if it is not installed)."""
    import dataclasses

    from mhprivbench import registry

    params = entry.mechanism.params
    try:
        cls = registry.get(entry.mechanism.kind, entry.mechanism.name)
        fields = {f.name: f for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else {}
    except MhPrivBenchError:
        fields = {}
    shown = {k: v for k, v in sorted(params.items()) if k not in fields or _jsonable_default(fields[k]) != v}
    return ", ".join(f"{k}={json.dumps(v)}" for k, v in shown.items()) or "-"


def _jsonable_default(field: Any) -> Any:
    import dataclasses

    if field.default is not dataclasses.MISSING:
        value = field.default
    elif field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
    else:
        return dataclasses.MISSING
    return json.loads(json.dumps(value, default=lambda v: list(v) if isinstance(v, tuple | set) else str(v)))


# --- run progress -------------------------------------------------------------------------------------------

class RunProgress:
    """``run``'s progress (module docstring); pass ``update`` as ``on_progress`` and ``cell_done`` as ``on_cell``."""

    def __init__(self, console: Console, description: str, *, quiet: bool = False) -> None:
        self.console = console
        self.lines = not quiet and not console.is_terminal
        self.done, self.total = 0, 0
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            console=console, disable=quiet or self.lines, transient=True)
        self.description = description

    def __enter__(self) -> RunProgress:
        self.bar.__enter__()
        self.task = self.bar.add_task(self.description, total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(*exc)

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.bar.update(self.task, completed=done, total=total)

    def cell_done(self, cell: Cell, outcome: Result | Exception) -> None:
        if self.lines:
            self.console.print(cell_line(cell, outcome, self.done, self.total), markup=False, highlight=False,
                               soft_wrap=True)


def cell_line(cell: Cell, outcome: Result | Exception, done: int, total: int) -> str:
    """One line about a finished cell: no record text, only names, ids and seconds."""
    head = f"[{done}/{total}] cell {cell.cell_id}"
    if isinstance(outcome, Exception):
        name = cell.dataset.params.get("name", cell.dataset.name)  # the generic loader's `name`, as on the board
        return f"{head} {name} / {cell.mechanism.label()} / seed {cell.seed}: failed (reported below)"
    timings = dict(outcome.timings)
    total_s = timings.pop("total", sum(timings.values()))
    steps = {k: v for k, v in timings.items() if k != "release"}
    slowest = max(steps.items(), key=lambda item: (item[1], item[0]), default=None)
    detail = f"release {timings.get('release', 0.0):.1f} s" + (
        f", slowest {slowest[0]} {slowest[1]:.1f} s" if slowest else "")
    return (f"{head} {outcome.dataset.name} / {cell.mechanism.label()} / seed {cell.seed}: {total_s:.1f} s "
            f"({detail})")
