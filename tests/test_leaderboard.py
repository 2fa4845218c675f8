import json

import numpy as np
import pytest
from scipy import stats as st

from mhprivbench.errors import ResultError
from mhprivbench.leaderboard import build_leaderboard, validate_file
from mhprivbench.results import ComponentRef, DatasetRef, ReleaseRef, Result


def _result(name, seed, f1, leak, params=None, kind="anonymizer", lows=None):
    lows = lows or (f1 - 0.05, f1 + 0.05)
    return Result(
        run_id=f"{name}-{seed}-{json.dumps(params)}", suite="t", seed=seed, evaluator={},
        dataset=DatasetRef(name="d", sha256="abc"), mechanism=ComponentRef(kind=kind, name=name, params=params or {}),
        release=ReleaseRef(kind="records"),
        scores={"utility.macro_f1": {"value": f1, "ci_low": lows[0], "ci_high": lows[1], "higher_is_better": True},
                "pii.leak_rate": {"value": leak, "ci_low": max(0, leak - 0.1), "ci_high": min(1, leak + 0.1),
                                  "higher_is_better": False, "baseline": 0.0}})


def test_seed_aggregation_uses_wider_of_t_and_mean_intervals():
    runs = [_result("identity", s, f1, 1.0) for s, f1 in enumerate([0.6, 0.7, 0.8])]
    board = build_leaderboard(runs)
    score = board.entries[0].scores["utility.macro_f1"]
    assert score.mean == pytest.approx(0.7)
    half = st.t.ppf(0.975, 2) * np.std([0.6, 0.7, 0.8], ddof=1) / np.sqrt(3)  # 0.248 > 0.05
    assert score.ci_low == pytest.approx(0.7 - half) and score.ci_high == pytest.approx(0.7 + half)
    assert score.n_seeds == 3 and score.higher_is_better


def test_pareto_and_relative_utility():
    runs = [_result("identity", 0, 0.80, 1.0, kind="anonymizer"),
            _result("regex", 0, 0.78, 0.2),
            _result("worse", 0, 0.70, 0.5)]  # dominated by regex: lower utility, higher leak
    board = build_leaderboard(runs)
    by_label = {e.label: e for e in board.entries}
    assert by_label["identity"].pareto and by_label["regex"].pareto and not by_label["worse"].pareto
    assert by_label["regex"].utility_relative == pytest.approx(0.78 / 0.80)
    assert by_label["regex"].utility_reference == "identity"


def test_label_shows_only_varying_params():
    runs = [_result("dp", 0, 0.5, 0.0, params={"epsilon": 1, "order": 2}),
            _result("dp", 0, 0.6, 0.0, params={"epsilon": 8, "order": 2})]
    labels = sorted(e.label for e in build_leaderboard(runs).entries)
    assert labels == ["dp(epsilon=1)", "dp(epsilon=8)"]


def test_validate_file_accepts_board_and_rejects_value_outside_interval(tmp_path):
    board = build_leaderboard([_result("identity", 0, 0.8, 1.0)])
    good = tmp_path / "leaderboard.json"
    good.write_text(board.model_dump_json())
    assert "1 entries" in validate_file(good)
    bad = tmp_path / "result.json"
    broken = _result("x", 0, 0.8, 1.0, lows=(0.9, 0.95))
    bad.write_text(broken.model_dump_json())
    with pytest.raises(ResultError, match="outside its interval"):
        validate_file(bad)
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(ResultError, match="not readable JSON"):
        validate_file(tmp_path / "junk.json")


def test_validate_rejects_privacy_score_without_baseline(tmp_path):
    result = _result("x", 0, 0.8, 0.5)
    result.scores["pii.leak_rate"].baseline = None
    path = tmp_path / "r.json"
    path.write_text(result.model_dump_json())
    with pytest.raises(ResultError, match="pii.leak_rate: a privacy score needs its baseline"):
        validate_file(path)


def test_html_leaderboard_is_self_contained_and_lists_every_entry():
    from html.parser import HTMLParser

    from mhprivbench.leaderboard_html import render_html

    runs = [_result("identity", 0, 0.80, 1.0), _result("regex", 0, 0.78, 0.2), _result("worse", 0, 0.70, 0.5)]
    page = render_html(build_leaderboard(runs))
    HTMLParser().feed(page)
    assert "http" not in page and "src=" not in page  # nothing fetched: works from file://
    for label in ("identity", "regex", "worse"):
        assert f"{label}</td>" in page
    assert page.count("<td class=\"l\">&#9733; ") == 2  # identity and regex are on the Pareto front


def test_pareto_and_reference_stay_within_one_dataset_version():
    small, large = _result("identity", 0, 0.5, 1.0), _result("regex", 0, 0.9, 0.1)
    large.dataset.sha256 = "other"  # same dataset name, different content (e.g. other n_personas)
    board = build_leaderboard([small, large, _result("identity", 0, 0.95, 1.0).model_copy(
        update={"dataset": large.dataset, "run_id": "x"})])
    by = {(e.label, e.dataset_sha256): e for e in board.entries}
    assert by[("identity", "abc")].pareto  # not dominated by regex on the other version
    assert by[("regex", "other")].utility_relative == pytest.approx(0.9 / 0.95)


def test_seed_interval_stays_within_a_rate_range():
    runs = [_result("x", s, 0.5, leak) for s, leak in enumerate([0.0, 0.0, 0.02])]
    for run in runs:
        run.scores["pii.leak_rate"].ci_low = 0.0
    leak = build_leaderboard(runs).entries[0].scores["pii.leak_rate"]
    assert leak.ci_low == 0.0 and leak.ci_high > 0.02
