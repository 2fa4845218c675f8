"""Static leaderboard.html: one table per dataset, no scripts or styles from outside (works from file://)."""

from __future__ import annotations

from html import escape

from mhprivbench.leaderboard import UTILITY_KEY, AggregateScore, Entry, Leaderboard

COLUMNS = (UTILITY_KEY, "utility.crisis_recall", "pii.leak_rate", "pii.leak_rate_direct", "reid.linkage_top1",
           "reid.linkage_personas",
           "reid.authorship_top1", "mia.loss.auc", "mia.loss.tpr_at_1pct_fpr", "mia.loss.eps_lower_bound")

STYLE = """body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:2em}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3;cursor:pointer}
td.l{text-align:left}tr.p td.l{font-weight:bold}small{color:#666}"""

SORT_SCRIPT = """document.querySelectorAll('th').forEach((th,i)=>th.onclick=()=>{const b=th.closest('table').tBodies[0];
const k=r=>parseFloat(r.cells[i].dataset.v??'NaN');const rows=[...b.rows];const d=th.dataset.d=th.dataset.d==='1'?'-1':'1';
rows.sort((x,y)=>{const a=k(x),c=k(y);return isNaN(a)?1:isNaN(c)?-1:(a-c)*d;});rows.forEach(r=>b.appendChild(r));});"""


def _cell(score: AggregateScore | None) -> str:
    if score is None:
        return '<td title="not applicable">&ndash;</td>'
    base = "" if score.baseline is None else f"<br><small>baseline {score.baseline:.3f}</small>"
    return (f'<td data-v="{score.mean:.6g}" title="95% interval over seeds and samples">{score.mean:.3f} '
            f"<small>[{score.ci_low:.3f}, {score.ci_high:.3f}]</small>{base}</td>")


def _row(entry: Entry) -> str:
    epsilon = "" if entry.epsilon is None else f"{entry.epsilon:g}"
    relative = "" if entry.utility_relative is None else f"{entry.utility_relative:.2f}"
    cells = "".join(_cell(entry.scores.get(name)) for name in COLUMNS)
    warn = f' <span title="{escape("; ".join(entry.warnings))}">&#9888;</span>' if entry.warnings else ""
    return (f'<tr class="{"p" if entry.pareto else ""}"><td class="l">{"&#9733; " if entry.pareto else ""}'
            f'{escape(entry.label)}{warn}</td><td class="l">{escape(entry.family)}</td><td data-v="{epsilon or "NaN"}">'
            f'{epsilon}</td><td data-v="{relative or "NaN"}">{relative}</td>{cells}</tr>')


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
                        f"<th>&epsilon;</th><th>utility vs non-private</th>{head}</tr></thead>"
                        f"<tbody>\n{rows}\n</tbody></table>")
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>mhprivbench leaderboard</title>"
            f"<style>{STYLE}</style></head><body><h1>mhprivbench leaderboard</h1>"
            f"<p>Suites: {escape(', '.join(board.suites))}; {board.n_runs} runs. &#9733; = Pareto-optimal on "
            f"utility and the headline risks. Click a column to sort.</p>{''.join(sections)}"
            f"<script>{SORT_SCRIPT}</script></body></html>\n")
