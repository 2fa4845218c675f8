"""PNG plots for ``REPORT.md``: privacy-utility frontiers per attack metric, epsilon curves per DP mechanism and
per-group utility, one figure of each kind per dataset.

matplotlib (Agg backend) is imported only when a figure is drawn: ``import mhprivbench`` never loads it. Files are
written atomically (temp file + rename) without a timestamp in their metadata, so the same leaderboard gives the
same bytes. Only aggregates are drawn.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path

from mhprivbench.leaderboard import UTILITY_KEY, Entry
from mhprivbench.report_text import reference_entry, reference_level
from mhprivbench.results import file_mode

COLORS = {"anonymizer": "#1f77b4", "generator": "#e67e22", "trainer": "#2ca02c"}
EPSILON_METRICS = (UTILITY_KEY, "mia.loss.auc", "mia.loss.tpr_at_1pct_fpr")
GROUP_METRICS = (UTILITY_KEY, "utility.worst_group_f1")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def save(fig, path: Path) -> None:
    """Write ``fig`` as PNG via a temp file in the same folder, then close it."""
    plt = _pyplot()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        fig.savefig(tmp, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
        os.chmod(tmp, file_mode())  # mkstemp creates 0600; follow the umask like every other result file
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        Path(tmp).unlink(missing_ok=True)


def front_2d(entries: list[Entry], risk: str, utility: str = UTILITY_KEY) -> list[Entry]:
    """The Pareto front on two axes (the page's rule): lower risk, clipped at its baseline/control (below chance
    is not safer), and higher utility, among entries whose utility interval clears its baseline; by risk."""
    cand = [e for e in entries if risk in e.scores and utility in e.scores
            and (e.scores[utility].baseline is None or e.scores[utility].ci_low > e.scores[utility].baseline)]
    cand.sort(key=lambda e: (max(e.scores[risk].mean, reference_level(e.scores[risk])), -e.scores[utility].mean))
    front, best = [], -math.inf
    for entry in cand:
        if entry.scores[utility].mean > best:
            front.append(entry)
            best = entry.scores[utility].mean
    return front


def _grid(plt, n: int, width: float = 4.4, height: float = 3.4):
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _frontier_panel(ax, entries: list[Entry], risk: str) -> None:
    points = [e for e in entries if risk in e.scores and UTILITY_KEY in e.scores]
    for e in points:
        x, y = e.scores[risk], e.scores[UTILITY_KEY]
        ax.errorbar(x.mean, y.mean, xerr=[[x.mean - x.ci_low], [x.ci_high - x.mean]],
                    yerr=[[y.mean - y.ci_low], [y.ci_high - y.mean]], fmt="*" if e.pareto else "o",
                    color=COLORS.get(e.family, "#777"), markeredgecolor="black" if e.pareto else "none",
                    markersize=10 if e.pareto else 6, elinewidth=0.8, alpha=0.85)
    front = front_2d(points, risk)
    xs, ys = [], []
    for k, e in enumerate(front):
        if k:
            xs.append(e.scores[risk].mean)
            ys.append(front[k - 1].scores[UTILITY_KEY].mean)
        xs.append(e.scores[risk].mean)
        ys.append(e.scores[UTILITY_KEY].mean)
    ax.plot(xs, ys, "--", color="#c0392b", linewidth=1.2)
    _annotate(ax, front, risk)
    refs = sorted(reference_level(e.scores[risk]) for e in points)
    if refs:
        ax.axvline(refs[len(refs) // 2], color="#999", linestyle=":", linewidth=1)
    ax.set_xlabel(f"{risk} (lower is better)", fontsize=8)
    ax.set_ylabel(f"{UTILITY_KEY} (higher is better)", fontsize=8)
    ax.set_title(f"{risk}: {len(points)} entries, {len(front)} on the front", fontsize=9)
    ax.tick_params(labelsize=7)


def short_label(entry: Entry) -> str:
    """Mechanism name and epsilon, e.g. ``dp_nb ε8`` (full labels are in the report's table)."""
    return entry.mechanism.name + ("" if entry.epsilon is None else f" ε{entry.epsilon:g}")


def _annotate(ax, front: list[Entry], risk: str) -> None:
    """Label the front's points, skipping one that would sit on a label already drawn."""
    ax.figure.canvas.draw()  # limits are final
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    placed: list[tuple[float, float]] = []
    for e in front:
        x, y = e.scores[risk].mean, e.scores[UTILITY_KEY].mean
        u, v = (x - x0) / (x1 - x0), (y - y0) / (y1 - y0)
        if any(abs(u - a) < 0.12 and abs(v - b) < 0.05 for a, b in placed):
            continue
        placed.append((u, v))
        ax.annotate(short_label(e), (x, y), fontsize=6.5, xytext=(5, -9 if u > 0.7 else 3), textcoords="offset points",
                    ha="right" if u > 0.7 else "left", annotation_clip=True)


def _legend(fig, entries: list[Entry]) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", linestyle="", color=COLORS.get(f, "#777"), label=f)
               for f in sorted({e.family for e in entries})]
    handles += [Line2D([], [], marker="*", linestyle="", color="#aaa", markeredgecolor="black", markersize=10,
                       label="Pareto-optimal (all headline risks)"),
                Line2D([], [], linestyle="--", color="#c0392b", label="front on these two axes"),
                Line2D([], [], linestyle=":", color="#999", label="baseline/control")]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, -0.02))


def frontier_figure(entries: list[Entry], risks: list[str], dataset: str, path: Path) -> bool:
    """One panel per attack metric present: utility against the risk, intervals, the two-axis front."""
    risks = [r for r in risks if any(r in e.scores for e in entries)]
    if not risks:
        return False
    plt = _pyplot()
    fig, axes = _grid(plt, len(risks))
    for ax, risk in zip(axes, risks, strict=True):
        _frontier_panel(ax, entries, risk)
    fig.suptitle(f"{dataset}: privacy-utility frontiers (means with 95% intervals)", fontsize=11)
    _legend(fig, entries)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    save(fig, path)
    return True


def dp_curves(entries: list[Entry]) -> dict[str, list[Entry]]:
    """DP entries grouped by mechanism and every parameter except epsilon, each sorted by epsilon."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.epsilon is not None:
            key = re.sub(r"epsilon=[^,)]*(, )?", "", entry.label).replace("()", "").rstrip(", ")
            groups[key].append(entry)
    return {k: sorted(v, key=lambda e: e.epsilon) for k, v in sorted(groups.items())}


def _epsilon_panel(ax, curves: dict[str, list[Entry]], metric: str, reference: Entry | None) -> None:
    for name, points in curves.items():
        points = [e for e in points if metric in e.scores]
        if not points:
            continue
        s = [e.scores[metric] for e in points]
        ax.errorbar([e.epsilon for e in points], [v.mean for v in s], capsize=3, marker="o", label=name,
                    yerr=[[v.mean - v.ci_low for v in s], [v.ci_high - v.mean for v in s]], linewidth=1.2)
    if reference is not None and metric in reference.scores:
        ax.axhline(reference.scores[metric].mean, color="black", linestyle="--", linewidth=1,
                   label=f"non-private reference ({reference.label})")
    baselines = [e.scores[metric].baseline for c in curves.values() for e in c
                 if metric in e.scores and e.scores[metric].baseline is not None]
    if baselines:
        ax.axhline(sorted(baselines)[len(baselines) // 2], color="#999", linestyle=":", linewidth=1, label="baseline")
    ax.set_xscale("log")
    ticks = sorted({e.epsilon for c in curves.values() for e in c})
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("declared ε (log scale)", fontsize=8)
    ax.set_title(metric, fontsize=9)
    ax.tick_params(labelsize=7)


def epsilon_figure(entries: list[Entry], dataset: str, path: Path) -> bool:
    """Utility and membership-inference risk against epsilon, one line per DP mechanism."""
    curves = dp_curves(entries)
    metrics = [m for m in EPSILON_METRICS if any(m in e.scores for c in curves.values() for e in c)]
    if not curves or not metrics:
        return False
    plt = _pyplot()
    fig, axes = _grid(plt, len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        _epsilon_panel(ax, curves, metric, reference_entry(entries))
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 7), fontsize=8, frameon=False)
    fig.suptitle(f"{dataset}: utility and attack success against ε (means with 95% intervals)", fontsize=11)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    save(fig, path)
    return True


def groups_figure(entries: list[Entry], dataset: str, path: Path) -> bool:
    """Macro-F1 against worst-group macro-F1 per entry (the gap between them is the fairness cost)."""
    rows = [e for e in entries if all(m in e.scores for m in GROUP_METRICS)]
    if not rows:
        return False
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(rows) + 1.2))
    for k, metric in enumerate(GROUP_METRICS):
        s = [e.scores[metric] for e in rows]
        ax.barh([i + 0.4 * k for i in range(len(rows))], [v.mean for v in s], height=0.4, label=metric,
                xerr=[[v.mean - v.ci_low for v in s], [v.ci_high - v.mean for v in s]],
                color=["#4c72b0", "#dd8452"][k], error_kw={"elinewidth": 0.7})
    ax.set_yticks([i + 0.2 for i in range(len(rows))], [f"{e.label} ({e.family})" for e in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("macro-F1 on real held-out records (95% intervals)", fontsize=8)
    ax.set_title(f"{dataset}: overall and worst-group utility", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    save(fig, path)
    return True
