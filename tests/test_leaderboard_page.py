"""The leaderboard page without a browser: self-contained, escaped, every metric as a column, data for the plots
(the browser test, tests/test_browser.py, checks what the script does with them)."""

from __future__ import annotations

import json
import re

from test_leaderboard import _result

from mhprivbench.leaderboard import build_leaderboard
from mhprivbench.leaderboard_html import asset, board_data, render_html, script_json
from mhprivbench.leaderboard_table import COLUMNS, metric_columns


def _board():
    runs = [_result("identity", 0, 0.80, 1.0), _result("regex", 0, 0.78, 0.2),
            _result("worse", 0, 0.70, 0.5, params={"note": "</script><b>x</b>"})]
    return build_leaderboard(runs)


def test_page_inlines_its_assets_and_fetches_nothing():
    page = render_html(_board())
    assert asset("board.js") in page and asset("board.css") in page
    assert not re.search(r"https?:|src=|<link|@import|url\(", page, re.I)
    assert page.count("<script") == 2  # the data and the inlined script, nothing else


def test_parameters_are_escaped_in_the_table_and_the_data():
    page = render_html(_board())
    assert "</script><b>" not in page
    data = page.split('<script type="application/json" id="board-data">', 1)[1].split("</script>", 1)[0]
    entries = json.loads(data)["entries"]
    assert entries[-1]["params"] == {"note": "</script><b>x</b>"}  # the JSON still reads back unchanged
    assert "&lt;/script&gt;" in page  # the row's parameter tooltip


def test_data_carries_aggregates_and_directions_only():
    board = _board()
    data = board_data(board)
    assert [e["label"] for e in data["entries"]] == [e.label for e in board.entries]
    assert data["metrics"]["pii.leak_rate"] == {"hib": False, "bound": False}
    first = board.entries[0].scores["utility.macro_f1"]
    assert data["entries"][0]["scores"]["utility.macro_f1"] == [first.mean, first.ci_low, first.ci_high,
                                                                 first.baseline, first.control]
    assert json.loads(script_json({"x": float("nan"), "y": [float("inf"), 1.0]})) == {"x": None, "y": [None, 1.0]}


def test_every_metric_is_a_column_headline_first():
    board = _board()
    runs = [_result("identity", 0, 0.8, 1.0)]
    runs[0].scores["zzz.other"] = runs[0].scores["pii.leak_rate"].model_copy()
    columns = metric_columns(build_leaderboard(runs))
    assert columns == [c for c in COLUMNS if c in ("utility.macro_f1", "pii.leak_rate")] + ["zzz.other"]
    page = render_html(board)
    assert 'data-m="pii.leak_rate" data-g="headline" data-dir="asc"' in page  # lower is better: lowest first
    assert 'data-m="utility.macro_f1" data-g="headline" data-dir="desc"' in page
    assert page.count('<tr class="') == len(board.entries)
