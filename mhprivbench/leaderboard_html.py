"""Static ``leaderboard.html``: one self-contained file that works from ``file://`` with no network and no CDN.

The page holds the table (``leaderboard_table``, rendered here so it reads without scripts), the filter and metric
controls, a compact JSON copy of the leaderboard's aggregates for the plots, and the package's ``html/board.css``
and ``html/board.js`` inlined at write time. The script sorts and filters the table and draws one
privacy-vs-utility scatter plot per dataset as inline SVG, with interval bars, the two-axis Pareto front and a
tooltip per point (parameters, guarantee, intervals, baseline and control). Nothing is fetched: no ``src=``, no
link, no external URL. Only aggregates reach the page (the leaderboard has no record text).
"""

from __future__ import annotations

import json
import math
from functools import cache
from html import escape
from importlib import resources

from mhprivbench.leaderboard import UTILITY_KEY, Entry, Leaderboard
from mhprivbench.leaderboard_table import COLUMNS, RELATIONS, metric_columns, render_table

ASSETS = ("board.css", "board.js")
DEFAULT_RISK = "pii.leak_rate"
METRIC_GROUPS = (("headline", "headline metrics"), ("utility", "utility.*"), ("fidelity", "fidelity.*"),
                 ("pii", "pii.*"), ("reid", "reid.*"), ("mia", "mia.*"), ("canary", "canary.*"), ("dp", "dp.*"),
                 ("all", "all metrics"))

INTRO = ("&#9733; = Pareto-optimal on utility and the residual headline risks (risk above the control and the "
         "random-guess baseline; AUC below 0.5 counts as chance), among entries whose macro-F1 interval clears the "
         "majority-class baseline. Intervals: 95%, the wider of the t-interval over seeds and the mean per-seed "
         "interval; one-sided bounds show the minimum over seeds. Author-level &epsilon;: the guarantee a "
         "record-level one gives an author with k records (group privacy). Click a column header to sort.")


@cache
def asset(name: str) -> str:
    """A static file shipped in ``mhprivbench/html/`` (package data)."""
    return (resources.files("mhprivbench") / "html" / name).read_text(encoding="utf-8")


def _score_row(score) -> list:
    return [score.mean, score.ci_low, score.ci_high, score.baseline, score.control]


def _entry_data(entry: Entry) -> dict:
    """What a plot point and its tooltip need: names, parameters, guarantee and aggregates (no text)."""
    return {
        "dataset": entry.dataset, "family": entry.family, "mechanism": entry.mechanism.name, "label": entry.label,
        "params": entry.mechanism.params, "seeds": len(entry.seeds), "epsilon": entry.epsilon,
        "delta": entry.delta, "unit": entry.privacy_unit, "relation": RELATIONS.get(entry.neighbouring or ""),
        "eps_author": entry.epsilon_author, "pareto": entry.pareto, "relative": entry.utility_relative,
        "scores": {name: _score_row(score) for name, score in entry.scores.items()},
    }


def _metric_info(board: Leaderboard) -> dict[str, dict]:
    info: dict[str, dict] = {}
    for entry in board.entries:
        for name, score in entry.scores.items():
            info.setdefault(name, {"hib": score.higher_is_better, "bound": score.aggregation == "min"})
    return info


def board_data(board: Leaderboard) -> dict:
    """The JSON the script reads: entries in table order, metric directions, the headline columns."""
    return {"entries": [_entry_data(e) for e in board.entries], "metrics": _metric_info(board),
            "columns": [n for n in COLUMNS if n in _metric_info(board)], "headline_risks": board.headline_risks,
            "utility": UTILITY_KEY, "default_risk": DEFAULT_RISK}


def _finite(value: object) -> object:
    """``value`` with every non-finite float (which JSON cannot carry) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def script_json(value: object) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` that could end it."""
    text = json.dumps(_finite(value), allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _options(values: list[tuple[str, str]], selected: str = "") -> str:
    return "".join(f'<option value="{escape(v)}"{" selected" if v == selected else ""}>{escape(label)}</option>'
                   for v, label in values)


def _select(ident: str, label: str, values: list[tuple[str, str]], selected: str = "") -> str:
    return (f'<label>{escape(label)} <select id="{ident}">{_options(values, selected)}</select></label>')


def _choices(board: Leaderboard, attribute: str) -> list[tuple[str, str]]:
    values = sorted({getattr(e, attribute) if attribute != "mechanism" else e.mechanism.name for e in board.entries})
    return [("", "all")] + [(v, v) for v in values]


def _axis_choices(board: Leaderboard, utility: bool) -> list[tuple[str, str]]:
    info = _metric_info(board)
    names = [n for n in metric_columns(board) if info[n]["hib"] == utility and not info[n]["bound"]
             and (n.startswith("utility.") or n.startswith("fidelity.")) == utility]
    return [(n, n) for n in names]


def render_controls(board: Leaderboard) -> tuple[str, str]:
    """Filters (dataset, family, mechanism, text, Pareto only), the metric-column group and the plot axes."""
    filters = (_select("f-dataset", "dataset", _choices(board, "dataset"))
               + _select("f-family", "family", _choices(board, "family"))
               + _select("f-mechanism", "mechanism", _choices(board, "mechanism"))
               + '<label>search <input id="f-text" type="search" placeholder="label or parameter"></label>'
               + '<label><input id="f-pareto" type="checkbox"> Pareto-optimal only</label>')
    columns = _select("f-metrics", "metric columns", list(METRIC_GROUPS), "headline")
    risks = _axis_choices(board, utility=False)
    default_risk = DEFAULT_RISK if (DEFAULT_RISK, DEFAULT_RISK) in risks else (risks[0][0] if risks else "")
    axes = (_select("x-metric", "risk (x)", risks, default_risk)
            + _select("y-metric", "utility (y)", _axis_choices(board, utility=True), UTILITY_KEY))
    return (f'<div class="controls" id="filters">{filters}</div>'
            f'<div class="controls">{columns} <span id="count"></span></div>'), f'<div class="controls">{axes}</div>'


def render_html(board: Leaderboard) -> str:
    """The whole page as one string (no external resource)."""
    filters, axes = render_controls(board)
    data = script_json(board_data(board))
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>mhprivbench leaderboard</title><style>{asset('board.css')}</style></head><body>"
            f"<h1>mhprivbench leaderboard</h1><p class=\"meta\">Suites: {escape(', '.join(board.suites))}; "
            f"{board.n_runs} runs; {len(board.entries)} entries.</p><p>{INTRO}</p>{filters}"
            f"<div class=\"scroll\">{render_table(board)}</div>"
            f"<h2>Privacy vs utility</h2>{axes}<p class=\"note\" id=\"plot-note\"></p><div id=\"plots\"></div>"
            f"<div id=\"tip\" role=\"tooltip\" hidden></div>"
            f"<script type=\"application/json\" id=\"board-data\">{data}</script>"
            f"<script>{asset('board.js')}</script></body></html>\n")
