"""``mhprivbench report`` on the committed default leaderboard: every family written up from the numbers, every
plot it names drawn, and matplotlib never loaded by ``import mhprivbench``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BOARD = REPO / "results" / "leaderboard.json"
TITLES = {"anonymizer": "Anonymizers", "generator": "Generators", "trainer": "Trainers"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    from mhprivbench.cli import _add_datasets_app, _invoke

    out = tmp_path_factory.mktemp("report")
    _add_datasets_app()
    assert _invoke(["report", str(BOARD), "--out", str(out)]) == 0
    return out, (out / "REPORT.md").read_text(encoding="utf-8"), json.loads(BOARD.read_text())


def _interval(score: dict) -> str:
    return f"{score['mean']:.3f} [{score['ci_low']:.3f}, {score['ci_high']:.3f}]"


def _paragraph(text: str, dataset: str, family: str) -> str:
    section = text.split(f"\n## {dataset}\n", 1)[1].split("\n## ", 1)[0]
    return next(p for p in section.split("\n\n") if p.startswith(f"**{TITLES[family]}.**"))


def test_every_referenced_plot_exists(written):
    out, text, _ = written
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) >= 6  # frontier, epsilon and per-group plots for each dataset
    for image in images:
        path = out / image
        assert path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
    kinds = {Path(i).name.split("-")[0] for i in images}
    assert kinds == {"frontier", "epsilon", "groups"}


def test_every_family_has_a_paragraph_on_every_dataset(written):
    _, text, board = written
    for dataset in {e["dataset"] for e in board["entries"]}:
        for family in TITLES:
            paragraph = _paragraph(text, dataset, family)
            assert "No " + family + " ran" not in paragraph
            members = [e for e in board["entries"] if e["dataset"] == dataset and e["family"] == family]
            assert f"{len(members)} entries" in paragraph


def test_dp_cost_sentences_match_the_json(written):
    _, text, board = written
    checked = 0
    for entry in board["entries"]:
        if entry["epsilon"] is None or entry["utility_relative"] is None:
            continue
        paragraph = _paragraph(text, entry["dataset"], entry["family"])
        relative = entry["utility_relative"]
        expected = (f"ε {entry['epsilon']:g}: {_interval(entry['scores']['utility.macro_f1'])}, "
                    f"keeps {100 * relative:.0f}% of the reference")
        assert expected in paragraph
        if relative < 1:
            assert f"{expected} (a cost of {100 * (1 - relative):.0f}%" in paragraph
        checked += 1
    assert checked >= 10


def test_pareto_and_attack_sentences_match_the_json(written):
    _, text, board = written
    for dataset in {e["dataset"] for e in board["entries"]}:
        for family in TITLES:
            paragraph = _paragraph(text, dataset, family)
            members = [e for e in board["entries"] if e["dataset"] == dataset and e["family"] == family]
            front = [e["label"] for e in members if e["pareto"]]
            if front:
                sentence = paragraph.split("On the Pareto front", 1)[1].split(").", 1)[0]
                assert all(f"`{label}`" in sentence for label in front)
                assert sentence.endswith(f"({len(front)} of {len(members)}")
            else:
                assert f"No {family} is on the Pareto front" in paragraph
            for risk in board["headline_risks"]:
                scored = [e["scores"][risk] for e in members if risk in e["scores"]]
                above = [s for s in scored if s["ci_low"] > max(s["baseline"] or 0, s["control"] or 0)]
                if above:
                    assert f"`{risk}` for {len(above)} of {len(scored)} (highest" in paragraph
                elif scored:
                    assert f"`{risk}`" in paragraph.split("Within their baseline/control", 1)[1]


def test_main_table_lists_every_entry_with_its_numbers(written):
    _, text, board = written
    for entry in board["entries"]:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{entry['label']}` | {entry['family']}")
                   and _interval(entry["scores"]["utility.macro_f1"]) in line)
        assert row.rstrip().endswith("★ |") == entry["pareto"]


def test_bad_leaderboard_path_is_a_one_line_error(tmp_path, capsys):
    from mhprivbench.cli import _add_datasets_app, _invoke

    _add_datasets_app()
    assert _invoke(["report", str(tmp_path / "missing.json")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert not (tmp_path / "REPORT.md").exists()


def test_import_does_not_load_matplotlib():
    code = ("import sys, mhprivbench, mhprivbench.cli, mhprivbench.report; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_committed_report_and_page_match_the_committed_leaderboard(written):
    """results/REPORT.md and results/leaderboard.html are what the code renders from results/leaderboard.json
    (after regenerating the leaderboard, run `make report`)."""
    from mhprivbench.leaderboard import read_leaderboard
    from mhprivbench.leaderboard_html import render_html

    _, text, _ = written
    assert (REPO / "results" / "REPORT.md").read_text(encoding="utf-8") == text, "run `make report`"
    page = (REPO / "results" / "leaderboard.html").read_text(encoding="utf-8")
    assert page == render_html(read_leaderboard(BOARD)), "run `make leaderboard`"
