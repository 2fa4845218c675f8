"""Command line: ``mhprivbench run|list|leaderboard|validate|datasets``.

Bad input (suite, data, plugin name, parameter) ends with a one-line ``error: ...`` on stderr and exit code 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mhprivbench.errors import MhPrivBenchError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Privacy-utility benchmark for privacy techniques on mental-health text.")
console = Console(stderr=True)


def _add_datasets_app() -> None:
    try:
        from mhprivbench.cli_datasets import datasets_app
    except ImportError:  # pragma: no cover - the datasets commands ship with the package
        return
    app.add_typer(datasets_app, name="datasets")


@app.command()
def run(
    suite: Annotated[Path, typer.Argument(help="suite YAML, e.g. benchmarks/default.yaml")],
    out: Annotated[Path, typer.Option(help="results folder (runs/<suite>/ and the suite's leaderboard)")] = Path("results"),
    jobs: Annotated[int, typer.Option(help="worker processes")] = min(2, os.cpu_count() or 1),
    force: Annotated[bool, typer.Option(help="re-run cells whose result file already exists")] = False,
    quiet: Annotated[bool, typer.Option(help="no progress bar")] = False,
) -> None:
    """Run every cell of a suite not yet in OUT, then rebuild its leaderboard: OUT/leaderboard.json for the
    suite named "default", OUT/leaderboard-<suite>.json for any other."""
    from mhprivbench.leaderboard import leaderboard_path, write_leaderboard
    from mhprivbench.runner import plan_suite, run_plan
    from mhprivbench.specs import load_suite

    spec = load_suite(suite)
    board_file = leaderboard_path(out, spec.name)  # checks the name before anything is written
    plan = plan_suite(spec)
    for message in plan.skipped_datasets:
        console.print(f"[yellow]{message}[/yellow]", markup=True, highlight=False)
    with _progress(quiet) as progress:
        task = progress.add_task(f"suite {spec.name}", total=None)
        summary = run_plan(plan, out, jobs=jobs, force=force,
                           on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    for line in summary.failed:
        console.print(f"error: {line}", highlight=False, markup=False, soft_wrap=True)
    board = write_leaderboard(out / "runs" / spec.name, board_file, run_ids={c.cell_id for c in plan.cells})
    console.print(f"{summary.done} cells run, {summary.skipped} reused, {len(summary.failed)} failed; "
                  f"leaderboard: {board_file} ({len(board.entries)} entries)", highlight=False, soft_wrap=True)
    if summary.failed:
        raise typer.Exit(1)


def _progress(quiet: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, disable=quiet, transient=True)


@app.command("list")
def list_plugins(
    kind: Annotated[str | None, typer.Argument(help="dataset, anonymizer, generator, trainer, attack, classifier")] = None,
) -> None:
    """List registered plugins (built-in and from the mhprivbench.plugins entry points)."""
    from mhprivbench import registry

    for plugin_kind in [kind] if kind else registry.KINDS:
        for name, cls in registry.get_all(plugin_kind).items():
            doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
            tag = " (baseline)" if getattr(cls, "baseline", False) else ""
            print(f"{plugin_kind:<11} {name:<16}{tag} {doc}")


@app.command()
def leaderboard(
    out: Annotated[Path, typer.Option(help="results folder")] = Path("results"),
    suite: Annotated[str, typer.Option(help="suite whose runs to aggregate")] = "default",
) -> None:
    """Rebuild the leaderboard of SUITE from OUT/runs/SUITE: OUT/leaderboard.json for "default",
    OUT/leaderboard-<suite>.json for any other suite."""
    from mhprivbench.leaderboard import leaderboard_path, write_leaderboard

    board_file = leaderboard_path(out, suite)
    board = write_leaderboard(out / "runs" / suite, board_file)
    console.print(f"leaderboard: {board_file} ({len(board.entries)} entries)", highlight=False, soft_wrap=True)


@app.command()
def validate(path: Annotated[Path, typer.Argument(help="a leaderboard.json, a result JSON, or a suite YAML")]) -> None:
    """Check a file against its schema (and that every score sits inside its interval)."""
    if path.suffix in (".yaml", ".yml"):
        from mhprivbench.specs import load_suite

        suite = load_suite(path)
        what = f"suite {suite.name!r}"
    else:
        from mhprivbench.leaderboard import validate_file

        what = validate_file(path)
    Console().print(f"ok: {path}: {what}", highlight=False)


def main() -> None:
    _add_datasets_app()
    try:
        app()
    except MhPrivBenchError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
