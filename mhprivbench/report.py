"""``mhprivbench report``: ``REPORT.md`` with the main tables, PNG plots and what the numbers say.

For a leaderboard in OUT (``leaderboard.json`` of the default suite, or ``leaderboard-<suite>.json``), writes
``OUT/REPORT.md`` (``OUT/REPORT-<suite>.md`` for another suite) and, per dataset, ``OUT/plots/``
``[<suite>-]frontier-<dataset>.png`` (utility against each headline attack metric, with the two-axis Pareto front),
``epsilon-<dataset>.png`` (utility and membership inference against epsilon, one line per DP mechanism) and
``groups-<dataset>.png`` (overall and worst-group macro-F1). Plots are written first, the markdown last and
atomically, so a report never names a plot that is missing. Only leaderboard aggregates appear: no record text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from mhprivbench.leaderboard import DEFAULT_SUITE, UTILITY_KEY, Entry, Leaderboard, read_leaderboard
from mhprivbench.report_text import caveats, ci, families, family_paragraph, pct

PLOT_KINDS = (("frontier", "Privacy-utility frontiers, one panel per attack metric"),
              ("epsilon", "Utility and attack success against epsilon, per DP mechanism"),
              ("groups", "Per-group utility: overall and worst-group macro-F1"))


@dataclass
class Report:
    markdown: Path
    plots: list[Path] = field(default_factory=list)


def add_commands(app: typer.Typer) -> None:
    """Register ``report`` on the main app (once)."""
    if not any(command.name == "report" for command in app.registered_commands):
        app.command("report")(report)


def report(
    leaderboard: Annotated[Path, typer.Argument(help="a leaderboard JSON, or a results folder (its leaderboard.json)")]
    = Path("results/leaderboard.json"),
    out: Annotated[Path | None, typer.Option(help="folder for REPORT.md and plots/ (default: the leaderboard's)")]
    = None,
) -> None:
    """Write REPORT.md (main tables, what the numbers say per family, caveats) and PNG plots under plots/."""
    from rich.console import Console

    path = leaderboard / "leaderboard.json" if leaderboard.is_dir() else leaderboard
    done = write_report(read_leaderboard(path), out if out is not None else path.parent)
    Console(stderr=True).print(f"report: {done.markdown} ({len(done.plots)} plots)", highlight=False,
                               soft_wrap=True)


def report_name(board: Leaderboard) -> tuple[str, str]:
    """(markdown file name, plot name prefix): ``REPORT.md`` for the default suite, else suffixed by the suite."""
    suite = "+".join(board.suites)
    if suite == DEFAULT_SUITE:
        return "REPORT.md", ""
    return f"REPORT-{suite}.md", f"{suite}-"


def _cell(entry: Entry, metric: str) -> str:
    score = entry.scores.get(metric)
    return "–" if score is None else ci(score)


def _epsilon(entry: Entry) -> str:
    if entry.epsilon is None:
        return "–"
    return f"{entry.epsilon:g} ({entry.privacy_unit or 'undeclared'})"


def main_table(entries: list[Entry], risks: list[str]) -> str:
    """Markdown table: mechanism, family, epsilon (unit), macro-F1, share of the reference, headline risks."""
    risks = [r for r in risks if any(r in e.scores for e in entries)]
    head = ["mechanism", "family", "ε (unit)", f"{UTILITY_KEY} ↑", "vs non-private", *(f"{r} ↓" for r in risks),
            "Pareto"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for e in entries:
        relative = "–" if e.utility_relative is None else pct(e.utility_relative)
        cells = [f"`{e.label}`", e.family, _epsilon(e), _cell(e, UTILITY_KEY), relative,
                 *(_cell(e, r) for r in risks), "★" if e.pareto else ""]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def _plots(board: Leaderboard, dataset: str, folder: Path, prefix: str) -> list[tuple[str, Path]]:
    from mhprivbench import report_plots as rp

    entries = [e for e in board.entries if e.dataset == dataset]
    drawn = []
    for kind, title in PLOT_KINDS:
        path = folder / f"{prefix}{kind}-{dataset}.png"
        if kind == "frontier":
            made = rp.frontier_figure(entries, list(board.headline_risks), dataset, path)
        elif kind == "epsilon":
            made = rp.epsilon_figure(entries, dataset, path)
        else:
            made = rp.groups_figure(entries, dataset, path)
        if made:
            drawn.append((title, path))
    return drawn


def _dataset_section(board: Leaderboard, dataset: str, plots: list[tuple[str, Path]], root: Path) -> list[str]:
    entries = [e for e in board.entries if e.dataset == dataset]
    lines = [f"## {dataset}", "", f"{len(entries)} entries (dataset sha256 `{entries[0].dataset_sha256[:12]}…`). "
             "Means over seeds with 95% intervals; ↑ higher is better, ↓ lower is better; ★ Pareto-optimal.", "",
             main_table(entries, list(board.headline_risks)), "", "### What the numbers say", ""]
    for family in families(board):
        lines += [family_paragraph(board, dataset, family), ""]
    lines += ["### Plots", ""]
    for title, path in plots:
        lines += [f"**{title}.**", "", f"![{title}: {dataset}]({path.relative_to(root).as_posix()})", ""]
    return lines


def render_report(board: Leaderboard, plots: dict[str, list[tuple[str, Path]]], root: Path) -> str:
    """The markdown text; ``plots`` maps each dataset to its (title, path) figures, paths under ``root``."""
    datasets = sorted({e.dataset for e in board.entries})
    lines = [f"# mhprivbench report: {', '.join(board.suites)}", "",
             f"Generated by `mhprivbench report` from the leaderboard ({board.n_runs} runs, {len(board.entries)} "
             f"entries, datasets: {', '.join(datasets)}). Every sentence below is written from the numbers; "
             "`leaderboard.html` has the full table with every metric.", "", "## Caveats", ""]
    lines += [f"- {c}" for c in caveats(board)] + [""]
    for dataset in datasets:
        lines += _dataset_section(board, dataset, plots.get(dataset, []), root)
    return "\n".join(lines).rstrip() + "\n"


def write_report(board: Leaderboard, out: Path) -> Report:
    """Draw every plot into ``out/plots``, then write the markdown atomically."""
    from mhprivbench.results import atomic_write_text

    out = Path(out)
    name, prefix = report_name(board)
    folder = out / "plots"
    folder.mkdir(parents=True, exist_ok=True)
    plots = {d: _plots(board, d, folder, prefix) for d in sorted({e.dataset for e in board.entries})}
    markdown = out / name
    atomic_write_text(markdown, render_report(board, plots, out))
    return Report(markdown=markdown, plots=[p for drawn in plots.values() for _, p in drawn])
