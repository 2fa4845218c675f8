"""The leaderboard page in a real browser: headless Chromium (Debian's ``chromium`` package, which ``.ci/run``
installs) driven by playwright through ``executable_path`` (playwright cannot download its own browsers here).

The page is rendered from the committed ``results/leaderboard.json`` into a temporary folder and opened from
``file://``; every expectation (row orders, filtered rows, points, the two-axis Pareto front) is computed here from
the same JSON. The last test saves the screenshot committed as ``results/plots/leaderboard.png``.
Skips with the reason when Chromium or playwright is missing. Set ``MHPRIVBENCH_CHROMIUM`` to use another binary.
"""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import pytest

from mhprivbench.leaderboard import UTILITY_KEY, Leaderboard, read_leaderboard
from mhprivbench.leaderboard_html import DEFAULT_RISK, render_html

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
BOARD = REPO / "results" / "leaderboard.json"
SCREENSHOT = REPO / "results" / "plots" / "leaderboard.png"


def _chromium() -> str | None:
    named = os.environ.get("MHPRIVBENCH_CHROMIUM")
    return named if named and Path(named).is_file() else shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def board() -> Leaderboard:
    return read_leaderboard(BOARD)


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium binary (install Debian's: apt-get install -y chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, board, tmp_path):
    path = tmp_path / "leaderboard.html"
    path.write_text(render_html(board), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    errors, requests = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=10_000)
    yield page
    assert errors == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests  # no network
    page.close()


def _visible_rows(page) -> list[int]:
    return page.eval_on_selector_all("#board tbody tr:not(.hidden)", "rows => rows.map(r => +r.dataset.i)")


def _expected_order(board: Leaderboard, metric: str, descending: bool, current: list[int]) -> list[int]:
    """A stable sort of the current row order on the cell's sort key; rows without the metric go last."""
    present = [i for i in current if metric in board.entries[i].scores]
    sign = -1 if descending else 1
    present.sort(key=lambda i: sign * float(f"{board.entries[i].scores[metric].mean:.6g}"))
    return present + [i for i in current if metric not in board.entries[i].scores]


def test_click_header_sorts_rows(page, board):
    order = list(range(len(board.entries)))
    assert _visible_rows(page) == order
    header = page.locator(f'#board th[data-m="{UTILITY_KEY}"]')
    header.click()
    assert header.get_attribute("aria-sort") == "descending"  # higher is better: best first
    order = _expected_order(board, UTILITY_KEY, True, order)
    assert _visible_rows(page) == order
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    order = _expected_order(board, UTILITY_KEY, False, order)
    assert _visible_rows(page) == order
    risk = page.locator(f'#board th[data-m="{DEFAULT_RISK}"]')
    risk.click()  # lower is better: best (lowest) first, entries without the metric last
    assert risk.get_attribute("aria-sort") == "ascending" and header.get_attribute("aria-sort") is None
    assert _visible_rows(page) == _expected_order(board, DEFAULT_RISK, False, order)


def test_filters_select_rows(page, board):
    family, dataset = "trainer", board.entries[0].dataset
    page.select_option("#f-family", family)
    assert _visible_rows(page) == [i for i, e in enumerate(board.entries) if e.family == family]
    page.select_option("#f-dataset", dataset)
    wanted = [i for i, e in enumerate(board.entries) if e.family == family and e.dataset == dataset]
    assert _visible_rows(page) == wanted
    assert page.inner_text("#count") == f"{len(wanted)} of {len(board.entries)} entries shown"
    page.check("#f-pareto")
    assert _visible_rows(page) == [i for i in wanted if board.entries[i].pareto]
    page.uncheck("#f-pareto")
    page.fill("#f-text", "epsilon=8")
    assert _visible_rows(page) == [i for i in wanted if "epsilon=8" in board.entries[i].label]
    assert page.locator("#plots .plot").count() == 1  # the plots follow the filters


def test_metric_group_shows_its_columns(page):
    page.select_option("#f-metrics", "mia")
    shown = page.eval_on_selector_all("#board th[data-m]:not(.hidden)", "hs => hs.map(h => h.dataset.m)")
    assert shown and all(name.startswith("mia.") for name in shown)


def _front_size(board: Leaderboard, dataset: str, x: str, y: str) -> tuple[int, int]:
    """(points, points on the two-axis front) with the page's rule: risk clipped at max(baseline, control),
    utility interval above its baseline."""
    points = [e for e in board.entries if e.dataset == dataset and x in e.scores and y in e.scores]
    cand = []
    for entry in points:
        risk, util = entry.scores[x], entry.scores[y]
        if util.baseline is None or util.ci_low > util.baseline:
            cand.append((max(risk.mean, risk.baseline or 0.0, risk.control or 0.0), -util.mean))
    best, front = -math.inf, 0
    for _, neg_util in sorted(cand):
        if -neg_util > best:
            front, best = front + 1, -neg_util
    return len(points), front


def test_scatter_has_points_front_and_tooltip(page, board):
    for dataset in sorted({e.dataset for e in board.entries}):
        plot = page.locator(f'#plots .plot[data-dataset="{dataset}"]')
        n_points, n_front = _front_size(board, dataset, DEFAULT_RISK, UTILITY_KEY)
        assert plot.locator("circle.pt").count() == n_points > 0
        line = plot.locator("polyline.front-line")
        assert line.count() == 1 and int(line.get_attribute("data-n")) == n_front >= 1
        assert len(line.get_attribute("points").split()) == 2 * n_front - 1  # a staircase through the front
    point = page.locator("#plots circle.pt").first
    point.focus()  # keyboard focus shows the same tooltip as hovering (points may overlap under the mouse)
    tip = page.locator("#tip")
    assert tip.is_visible()
    entry = board.entries[int(point.get_attribute("data-i"))]
    assert entry.label in tip.inner_text() and "parameters" in tip.inner_text() and "[" in tip.inner_text()
    page.select_option("#x-metric", "mia.loss.auc")
    assert page.locator("#plots circle.pt").count() == sum("mia.loss.auc" in e.scores for e in board.entries)


def test_screenshot(page, board):
    page.select_option("#f-dataset", board.entries[-1].dataset)
    page.select_option("#x-metric", "mia.loss.auc")  # every family has it: the fullest frontier
    page.locator("#plots circle.pt.pareto").nth(2).focus()
    shot = page.screenshot(full_page=True)
    assert len(shot) > 10_000
    if not _same_pixels(shot, SCREENSHOT):  # Chromium's PNG bytes vary run to run; rewrite only a new picture
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        SCREENSHOT.write_bytes(shot)


def _same_pixels(png: bytes, path: Path) -> bool:
    if not path.is_file():
        return False
    import io

    from PIL import Image, ImageChops

    new, old = Image.open(io.BytesIO(png)).convert("RGB"), Image.open(path).convert("RGB")
    return new.size == old.size and ImageChops.difference(new, old).getbbox() is None
