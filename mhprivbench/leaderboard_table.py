"""The leaderboard page's table, rendered on the server: one row per entry, every metric as a column.

The page works without scripts (a plain table); ``html/board.js`` then sorts it (click a header), filters its rows
(``data-dataset``, ``data-family``, ``data-mechanism``, ``data-pareto``) and shows a chosen group of metric
columns (``data-m``). Sort keys are in ``data-v`` (numbers; ``NaN`` sorts last) or the cell's text.
Only aggregates reach the page: names, parameters and numbers, never record text.
"""

from __future__ import annotations

import json
from html import escape

from mhprivbench.leaderboard import UTILITY_KEY, AggregateScore, Entry, Leaderboard

# the headline columns, shown by default (the "headline" metric group), in this order
COLUMNS = (UTILITY_KEY, "utility.crisis_recall", "pii.leak_rate", "pii.leak_rate_direct", "reid.linkage_top1",
           "reid.linkage_personas",
           "reid.authorship_top1", "mia.loss.auc", "mia.loss.tpr_at_1pct_fpr", "mia.loss.eps_lower_bound")

RELATIONS = {"add_remove": "add/remove", "replace_one": "replace-one"}


def metric_columns(board: Leaderboard) -> list[str]:
    """Every metric some entry has: the headline columns first (in ``COLUMNS`` order), then the rest sorted."""
    present = {name for entry in board.entries for name in entry.scores}
    return [n for n in COLUMNS if n in present] + sorted(present.difference(COLUMNS))


def _cell(name: str, score: AggregateScore | None, residual: float | None = None) -> str:
    if score is None:
        return f'<td data-m="{escape(name)}" data-v="NaN" title="not applicable">&ndash;</td>'
    notes = [f"{what} {value:.3f}" for what, value in (("baseline", score.baseline), ("control", score.control),
                                                        ("residual", residual)) if value is not None]
    base = f"<br><small>{' &middot; '.join(notes)}</small>" if notes else ""
    head = f'<td data-m="{escape(name)}" data-v="{score.mean:.6g}"'
    if score.aggregation == "min":
        return f'{head} title="one-sided bound: minimum over seeds">{score.mean:.3f} <small>(min)</small>{base}</td>'
    return (f'{head} title="95% interval over seeds and samples">{score.mean:.3f} '
            f"<small>[{score.ci_low:.3f}, {score.ci_high:.3f}]</small>{base}</td>")


def _number(value: float | None, digits: str = "g") -> str:
    """A sortable cell for an optional number (blank when None)."""
    if value is None:
        return '<td data-v="NaN"></td>'
    return f'<td data-v="{value:.6g}">{value:{digits}}</td>'


def _unit(entry: Entry) -> str:
    """Privacy unit and neighbouring relation of a DP release, e.g. "record, replace-one"."""
    if entry.epsilon is None:
        return '<td class="l"></td>'
    unit = entry.privacy_unit or "undeclared unit"
    relation = RELATIONS.get(entry.neighbouring or "", "undeclared relation")
    return f'<td class="l">{escape(unit)}, {escape(relation)}</td>'


def _author_level(entry: Entry) -> str:
    """Author-level (epsilon, delta) implied by the declared guarantee, with k in the tooltip."""
    if entry.epsilon_author is None:
        return '<td data-v="NaN"></td>'
    delta = "" if entry.delta_author is None else f", &delta; {entry.delta_author:.3g}"
    if entry.delta_author is not None and entry.delta_author >= 1:
        delta = ", &delta; 1 (no guarantee)"
    title = ("declared at the author level" if entry.privacy_unit == "author" else
             f"group privacy over k = {entry.max_contribution} records of one author: k&epsilon;, "
             f"k e^((k-1)&epsilon;) &delta;")
    return f'<td data-v="{entry.epsilon_author:.6g}" title="{title}">{entry.epsilon_author:.3g}{delta}</td>'


def _guarantee_cells(entry: Entry) -> str:
    return _number(entry.epsilon) + _number(entry.delta, ".3g") + _unit(entry) + _author_level(entry)


def params_text(entry: Entry) -> str:
    """``name(k=v, ...)`` with every parameter of the mechanism (the label shows only those that vary)."""
    args = ", ".join(f"{k}={json.dumps(v)}" for k, v in sorted(entry.mechanism.params.items()))
    return f"{entry.mechanism.name}({args})"


def _row(index: int, entry: Entry, columns: list[str]) -> str:
    relative = "" if entry.utility_relative is None else f"{entry.utility_relative:.2f}"
    cells = "".join(_cell(name, entry.scores.get(name), entry.headline.get(name)) for name in columns)
    warn = f' <span title="{escape("; ".join(entry.warnings))}">&#9888;</span>' if entry.warnings else ""
    attrs = (f'data-i="{index}" data-dataset="{escape(entry.dataset)}" data-family="{escape(entry.family)}" '
             f'data-mechanism="{escape(entry.mechanism.name)}" data-pareto="{int(entry.pareto)}" '
             f'title="{escape(params_text(entry))}"')
    return (f'<tr class="{"p" if entry.pareto else ""}" {attrs}><td class="l">{escape(entry.dataset)}</td>'
            f'<td class="l">{"&#9733; " if entry.pareto else ""}{escape(entry.label)}{warn}</td>'
            f'<td class="l">{escape(entry.family)}</td>{_guarantee_cells(entry)}'
            f'<td data-v="{relative or "NaN"}">{relative}</td>{cells}</tr>')


def _higher_is_better(name: str, entries: list[Entry]) -> bool | None:
    return next((e.scores[name].higher_is_better for e in entries if name in e.scores), None)


def _metric_header(name: str, entries: list[Entry]) -> str:
    better = _higher_is_better(name, entries)
    arrow = {True: " &uarr;", False: " &darr;", None: ""}[better]
    how = {True: "higher is better", False: "lower is better", None: ""}[better]
    first = "desc" if better else "asc"  # the first click puts the best entries on top
    group = "headline" if name in COLUMNS else name.split(".", 1)[0]
    return (f'<th data-m="{escape(name)}" data-g="{escape(group)}" data-dir="{first}" title="{how}; click to sort">'
            f"{escape(name)}{arrow}</th>")


TEXT_CLASS = ' class="l"'
FIXED_HEADERS = (("dataset", "asc", "text"), ("mechanism", "asc", "text"), ("family", "asc", "text"),
                 ("&epsilon;", "asc", "declared epsilon"), ("&delta;", "asc", "declared delta"),
                 ("privacy unit", "asc", "unit and neighbouring relation"),
                 ("author-level (&epsilon;, &delta;)", "asc", "implied for the author with the most records"),
                 ("utility vs non-private", "desc", "macro-F1 / macro-F1 of the non-private reference"))


def render_table(board: Leaderboard) -> str:
    """The whole table (``<table id="board">``), rows in the leaderboard's order."""
    columns = metric_columns(board)
    fixed = "".join(f'<th{TEXT_CLASS if title == "text" else ""} data-dir="{first}" '
                    f'title="{escape(title)}; click to sort">{label}</th>' for label, first, title in FIXED_HEADERS)
    head = "".join(_metric_header(name, board.entries) for name in columns)
    rows = "\n".join(_row(i, e, columns) for i, e in enumerate(board.entries))
    return (f'<table id="board"><thead><tr>{fixed}{head}</tr></thead>'
            f"<tbody>\n{rows}\n</tbody></table>")
