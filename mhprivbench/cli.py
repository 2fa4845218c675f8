"""Command line: ``mhprivbench run|list|leaderboard|show|report|validate|datasets|cache``.

Bad input (suite, data, plugin name, parameter) ends with a one-line ``error: ...`` on stderr and exit code 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mhprivbench.errors import MhPrivBenchError, one_line

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
    from mhprivbench.cli_cache import cache_app
    app.add_typer(cache_app, name="cache")
    from mhprivbench.cli_show import add_commands
    add_commands(app)
    from mhprivbench.report import add_commands as add_report_commands  # report: REPORT.md + PNG plots
    add_report_commands(app)
    from mhprivbench.cli_pii import add_pii_commands  # evaluate-pii, anonymize
    add_pii_commands(app)


@app.command()
def run(
    suite: Annotated[Path, typer.Argument(help="suite YAML, e.g. benchmarks/default.yaml")],
    out: Annotated[Path, typer.Option(help="results folder (runs/<suite>/ and the suite's leaderboard)")] = Path("results"),
    jobs: Annotated[int, typer.Option(min=1, help="worker processes (>= 1)")] = min(2, os.cpu_count() or 1),
    force: Annotated[bool, typer.Option(help="re-run cells whose result file already exists")] = False,
    quiet: Annotated[bool, typer.Option(help="no progress bar")] = False,
) -> None:
    """Run every cell of a suite not yet in OUT, then rebuild its leaderboard: OUT/leaderboard.json for the
    suite named "default", OUT/leaderboard-<suite>.json for any other."""
    from mhprivbench.leaderboard import leaderboard_path, runs_folder, write_leaderboard
    from mhprivbench.results import check_out_folder
    from mhprivbench.runner import plan_suite, run_plan
    from mhprivbench.specs import load_suite

    spec = load_suite(suite)
    board_file = leaderboard_path(out, spec.name)  # checks the name before anything is written
    check_out_folder(out, runs_folder(out, spec.name), (board_file, board_file.with_suffix(".html")))
    plan = plan_suite(spec)
    for message in plan.skipped_datasets:
        console.print(f"[yellow]{message}[/yellow]", markup=True, highlight=False)
    from mhprivbench.cli_show import RunProgress  # a bar on a terminal, else one line per finished cell

    with RunProgress(console, f"suite {spec.name}", quiet=quiet) as progress:
        summary = run_plan(plan, out, jobs=jobs, force=force, on_progress=progress.update, on_cell=progress.cell_done)
    for line in summary.quarantined:
        console.print(f"warning: {line}", highlight=False, markup=False, soft_wrap=True)
    for line in summary.failed:
        console.print(f"error: {line}", highlight=False, markup=False, soft_wrap=True)
    board = write_leaderboard(runs_folder(out, spec.name), board_file, run_ids={c.cell_id for c in plan.cells},
                              suite=spec.name)
    console.print(f"{summary.done} cells run, {summary.skipped} reused, {len(summary.failed)} failed; "
                  f"leaderboard: {board_file} ({len(board.entries)} entries)", highlight=False, soft_wrap=True)
    if summary.failed:
        raise typer.Exit(1)


@app.command("list")
def list_plugins(
    kind: Annotated[str | None, typer.Argument(help="dataset, anonymizer, generator, trainer, attack, classifier")] = None,
    name: Annotated[str | None, typer.Argument(help="with --params: the plugin's name")] = None,
    params: Annotated[bool, typer.Option("--params", help="KIND NAME: every parameter with type, default, help")] = False,
) -> None:
    """List registered plugins (built-in and from the mhprivbench.plugins entry points), or with
    `--params KIND NAME` the parameters of one."""
    from mhprivbench import registry

    if params or name:
        from mhprivbench.cli_show import print_parameters
        return print_parameters(kind, name)

    for plugin_kind in [kind] if kind else registry.KINDS:
        for name, cls in registry.get_all(plugin_kind).items():
            doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
            tag = " (baseline)" if getattr(cls, "baseline", False) else ""
            print(f"{plugin_kind:<11} {name:<16}{tag} {doc}")


@app.command()
def leaderboard(
    out: Annotated[Path, typer.Option(help="results folder")] = Path("results"),
    suite: Annotated[str | None, typer.Option(help="suite whose runs to aggregate; none: list the suites")] = None,
) -> None:
    """Rebuild the leaderboard of SUITE from OUT/runs/SUITE: OUT/leaderboard.json for "default",
    OUT/leaderboard-<suite>.json for any other suite. Without --suite, list the suites under OUT/runs."""
    from mhprivbench.leaderboard import leaderboard_path, runs_folder, write_leaderboard
    from mhprivbench.results import check_out_folder

    if suite is None:
        from mhprivbench.cli_show import list_suites
        return list_suites(out)

    board_file = leaderboard_path(out, suite)
    runs = runs_folder(out, suite)  # a safe name, inside OUT
    if not runs.is_dir():
        raise MhPrivBenchError(f"{runs}: no such results folder (run the suite first)")
    check_out_folder(out, runs, (board_file, board_file.with_suffix(".html")))
    board = write_leaderboard(runs, board_file, suite=suite)
    console.print(f"leaderboard: {board_file} ({len(board.entries)} entries)", highlight=False, soft_wrap=True)


@app.command()
def validate(path: Annotated[Path, typer.Argument(help="a leaderboard.json, a result JSON, or a suite YAML")]) -> None:
    """Check a file against its schema (and that every score sits inside its interval)."""
    if path.suffix in (".yaml", ".yml"):
        from mhprivbench.specs import load_suite

        suite = load_suite(path)
        what = f"suite {suite.name!r}"
    else:
        from mhprivbench.validate import validate_file

        what = validate_file(path)
    Console().print(f"ok: {path}: {what}", highlight=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: exit code 0 fine, 1 failed cells or an internal error, 2 bad input or usage; every error is
    one ``error: ...`` line on stderr, never a traceback (``MHPRIVBENCH_DEBUG=1`` re-raises internal errors)."""
    _add_datasets_app()
    sys.exit(_invoke(argv))


def _click_exceptions():
    """The click exception classes typer raises (typer >= 0.2x vendors its own click as ``typer._click``)."""
    try:
        from typer._click import exceptions
    except ImportError:  # pragma: no cover - older typer on the real click
        from click import exceptions
    return exceptions


def _abort_class(click) -> type[BaseException]:
    """typer's vendored click has no ``Abort`` in its exceptions module: typer raises ``typer.exceptions.Abort``."""
    abort = getattr(click, "Abort", None)
    if abort is None:
        from typer.exceptions import Abort as abort
    return abort


def _invoke(argv: list[str] | None) -> int:
    click = _click_exceptions()
    try:
        code = app(args=argv, prog_name="mhprivbench", standalone_mode=False)
    except MhPrivBenchError as error:
        return _fail(str(error), 2)
    except click.NoArgsIsHelpError as error:
        print(error.format_message(), file=sys.stderr)
        return 2
    except click.UsageError as error:
        hint = f" (see `{error.ctx.command_path} --help`)" if error.ctx is not None else ""
        return _fail(f"{one_line(error.format_message())}{hint}", 2)
    except click.ClickException as error:
        return _fail(one_line(error.format_message()), error.exit_code)
    except (_abort_class(click), KeyboardInterrupt):
        return _fail("interrupted", 130)
    except BrokenPipeError:  # e.g. `mhprivbench evaluate-pii --json | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    except OSError as error:  # an OS error not already turned into a one-line MhPrivBenchError
        return _fail(f"{error.filename or 'a file'}: {error.strerror or type(error).__name__}", 2)
    except Exception as error:
        if os.environ.get("MHPRIVBENCH_DEBUG") == "1":
            raise
        from mhprivbench.runner import describe_failure

        return _fail(f"internal error: {describe_failure(error)}", 1)
    return code if isinstance(code, int) else 0


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    main()
