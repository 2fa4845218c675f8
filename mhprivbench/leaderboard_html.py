"""Static leaderboard.html: one table per dataset, no scripts or styles from outside (works from file://)."""

from __future__ import annotations

from html import escape

from mhprivbench.leaderboard import UTILITY_KEY, AggregateScore, Entry, Leaderboard

COLUMNS = (UTILITY_KEY, "utility.crisis_recall", "pii.leak_rate", "pii.leak_rate_direct", "reid.linkage_top1",
           "reid.linkage_personas",
           "reid.authorship_top1", "mia.loss.auc", "mia.loss.tpr_at_1pct_fpr", "mia.loss.eps_lower_bound")

RELATIONS = {"add_remove": "add/remove", "replace_one": "replace-one"}

STYLE = """body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:2em}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3;cursor:pointer}
td.l{text-align:left}tr.p td.l{font-weight:bold}small{color:#666}"""

SORT_SCRIPT = """document.querySelectorAll('th').forEach((th,i)=>th.onclick=()=>{const b=th.closest('table').tBodies[0];
const k=r=>parseFloat(r.cells[i].dataset.v??'NaN');const rows=[...b.rows];const d=th.dataset.d=th.dataset.d==='1'?'-1':'1';
rows.sort((x,y)=>{const a=k(x),c=k(y);return isNaN(a)?1:isNaN(c)?-1:(a-c)*d;});rows.forEach(r=>b.appendChild(r));});"""


def _cell(score: AggregateScore | None, residual: float | None = None) -> str:
    if score is None:
        return '<td title="not applicable">&ndash;</td>'
    base = "" if score.baseline is None else f"<br><small>baseline {score.baseline:.3f}</small>"
    if score.control is not None:
        base += f"<br><small>control {score.control:.3f}</small>"
    if residual is not None:
        base += f"<br><small>residual {residual:.3f}</small>"
    if score.aggregation == "min":
        return (f'<td data-v="{score.mean:.6g}" title="one-sided bound: minimum over seeds">{score.mean:.3f} '
                f"<small>(min)</small>{base}</td>")
    return (f'<td data-v="{score.mean:.6g}" title="95% interval over seeds and samples">{score.mean:.3f} '
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


def _row(entry: Entry) -> str:
    relative = "" if entry.utility_relative is None else f"{entry.utility_relative:.2f}"
    cells = "".join(_cell(entry.scores.get(name), entry.headline.get(name)) for name in COLUMNS)
    warn = f' <span title="{escape("; ".join(entry.warnings))}">&#9888;</span>' if entry.warnings else ""
    return (f'<tr class="{"p" if entry.pareto else ""}"><td class="l">{"&#9733; " if entry.pareto else ""}'
            f'{escape(entry.label)}{warn}</td><td class="l">{escape(entry.family)}</td>{_guarantee_cells(entry)}'
            f'<td data-v="{relative or "NaN"}">{relative}</td>{cells}</tr>')


def _arrow(name: str, entries: list[Entry]) -> str:
    for entry in entries:
        if name in entry.scores:
            return "&uarr;" if entry.scores[name].higher_is_better else "&darr;"
    return ""


def render_html(board: Leaderboard) -> str:
    sections = []
    for dataset in sorted({e.dataset for e in board.entries}):
        entries = [e for e in board.entries if e.dataset == dataset]
        head = "".join(f"<th>{escape(name)} {_arrow(name, entries)}</th>" for name in COLUMNS)
        rows = "\n".join(_row(e) for e in entries)
        sections.append(f"<h2>{escape(dataset)}</h2><table><thead><tr><th>mechanism</th><th>family</th>"
                        f"<th>&epsilon;</th><th>&delta;</th><th>privacy unit</th><th>author-level (&epsilon;, &delta;)</th>"
                        f"<th>utility vs non-private</th>{head}</tr></thead>"
                        f"<tbody>\n{rows}\n</tbody></table>")
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>mhprivbench leaderboard</title>"
            f"<style>{STYLE}</style></head><body><h1>mhprivbench leaderboard</h1>"
            f"<p>Suites: {escape(', '.join(board.suites))}; {board.n_runs} runs. &#9733; = Pareto-optimal on "
            f"utility and the residual headline risks (risk above the control and the random-guess baseline; AUC "
            f"below 0.5 counts as chance), among entries whose macro-F1 beats the majority-class baseline. "
            f"Author-level &epsilon;: the guarantee a record-level one gives an author with k records (group "
            f"privacy). Click a column to sort.</p>{''.join(sections)}"
            f"<script>{SORT_SCRIPT}</script></body></html>\n")
