import json

import numpy as np
import pytest
from scipy import stats as st

from mhprivbench.errors import ResultError
from mhprivbench.leaderboard import build_leaderboard
from mhprivbench.results import ComponentRef, DatasetRef, ReleaseRef, Result, ScoreModel
from mhprivbench.validate import validate_file


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


def _with(result, **scores):
    """``result`` with extra scores: name -> (value, baseline, control) or (value, baseline)."""
    for name, parts in scores.items():
        value, baseline, *control = parts
        result.scores[name] = ScoreModel(value=value, ci_low=value, ci_high=value, higher_is_better=False,
                                         baseline=baseline, control=control[0] if control else None)
    return result


def test_one_sided_bounds_aggregate_as_their_minimum_not_a_t_interval():
    runs = [_with(_result("dp", s, 0.6, 0.1), **{"mia.loss.eps_lower_bound": (eps, 0.0),
                                                  "mia.loss.eps_lower_bound_ceiling": (ceiling, 0.0)})
            for s, eps, ceiling in [(0, 0.30, 2.1), (1, 0.10, 2.0), (2, 0.20, 2.2)]]
    scores = build_leaderboard(runs).entries[0].scores
    bound = scores["mia.loss.eps_lower_bound"]
    assert (bound.mean, bound.ci_low, bound.ci_high, bound.aggregation) == (0.10, 0.10, 0.10, "min")
    assert bound.std == pytest.approx(0.1)  # sd of 0.3, 0.1, 0.2
    ceiling = scores["mia.loss.eps_lower_bound_ceiling"]
    assert (ceiling.mean, ceiling.ci_low, ceiling.ci_high, ceiling.aggregation) == (2.0, 2.0, 2.0, "min")
    assert scores["pii.leak_rate"].aggregation == "mean" and scores["utility.macro_f1"].aggregation == "mean"


def test_headline_is_residual_risk_above_control_and_baseline_and_auc_below_half_is_chance():
    runs = [_with(_result("x", s, 0.6, 0.1), **{
        "reid.linkage_personas": (attack, 0.1, control),  # means 0.5 and 0.2: ref = max(0.2, 0.1)
        "mia.loss.auc": (auc, 0.5),
        "mia.loss.tpr_at_1pct_fpr": (0.109, 0.01),
        "reid.linkage_top1": (0.05, 0.1, 0.0)})  # below its baseline: no risk
        for s, attack, control, auc in [(0, 0.4, 0.1, 0.65), (1, 0.6, 0.3, 0.75)]]
    headline = build_leaderboard(runs).entries[0].headline
    assert headline["reid.linkage_personas"] == pytest.approx((0.5 - 0.2) / (1 - 0.2))  # 0.375
    assert headline["mia.loss.auc"] == pytest.approx((0.7 - 0.5) / 0.5)  # 0.4
    assert headline["mia.loss.tpr_at_1pct_fpr"] == pytest.approx(0.099 / 0.99)  # 0.1
    assert headline["reid.linkage_top1"] == 0.0
    assert headline["pii.leak_rate"] == pytest.approx(0.1)  # baseline 0, no control: the rate itself
    low = build_leaderboard([_with(_result("y", 0, 0.6, 0.1), **{"mia.loss.auc": (0.3, 0.5)})])
    assert low.entries[0].headline["mia.loss.auc"] == 0.0


def test_pareto_uses_residual_risk_not_the_raw_attack_rate():
    # raw linkage 0.50 vs 0.30, but a's control is 0.45: residuals 0.05/0.55 = 0.091 vs 0.3 -> a dominates b
    a = _with(_result("a", 0, 0.80, 0.1), **{"reid.linkage_personas": (0.50, 0.0, 0.45)})
    b = _with(_result("b", 0, 0.75, 0.1), **{"reid.linkage_personas": (0.30, 0.0, 0.0)})
    # AUC 0.30 and 0.45 are both chance (headline 0): d has the higher utility and dominates c
    c = _with(_result("c", 0, 0.70, 0.1), **{"mia.loss.auc": (0.30, 0.5)})
    d = _with(_result("d", 0, 0.72, 0.1), **{"mia.loss.auc": (0.45, 0.5)})
    by_label = {e.label: e for e in build_leaderboard([a, b]).entries}
    assert by_label["a"].headline["reid.linkage_personas"] == pytest.approx(0.05 / 0.55)
    assert by_label["a"].pareto and not by_label["b"].pareto
    by_label = {e.label: e for e in build_leaderboard([c, d]).entries}
    assert by_label["d"].pareto and not by_label["c"].pareto


def _utility(result, value, low, high, baseline):
    result.scores["utility.macro_f1"] = ScoreModel(value=value, ci_low=low, ci_high=high, higher_is_better=True,
                                                   baseline=baseline)
    return result


def test_constant_predictor_is_never_pareto_and_blocks_nobody():
    # 3 labels, majority share 0.5 in test: predicting the majority label always gives F1 2*0.5/1.5 = 2/3 on it
    # and 0 on the others, macro-F1 (2/3)/3 = 0.2222, exactly the majority-class baseline; it leaks nothing
    majority_f1 = (2 * 0.5 / (1 + 0.5)) / 3
    constant = _utility(_result("constant", 0, 0.0, 0.0), majority_f1, 0.20, 0.25, majority_f1)
    identity = _utility(_result("identity", 0, 0.80, 1.0), 0.80, 0.75, 0.85, majority_f1)
    regex = _utility(_result("regex", 0, 0.78, 0.2), 0.78, 0.73, 0.83, majority_f1)
    by_label = {e.label: e for e in build_leaderboard([constant, identity, regex]).entries}
    assert not by_label["constant"].pareto  # lowest leak of all, but no better than guessing the majority
    assert by_label["identity"].pareto and by_label["regex"].pareto
    # a noisy entry whose interval reaches the baseline (0.20 <= 0.2222) does not block one that beats it
    wide = _utility(_result("wide", 0, 0.50, 0.0), 0.50, 0.20, 0.80, majority_f1)
    narrow = _utility(_result("narrow", 0, 0.45, 0.1), 0.45, 0.40, 0.50, majority_f1)
    by_label = {e.label: e for e in build_leaderboard([wide, narrow]).entries}
    assert not by_label["wide"].pareto and by_label["narrow"].pareto


def test_entry_states_the_guarantee_and_its_author_level_epsilon():
    runs = []
    for seed, k in [(0, 3), (1, 4)]:
        run = _result("dp", seed, 0.6, 0.1, kind="generator")
        run.release = ReleaseRef(kind="records", epsilon=1.0, delta=1e-5, neighbouring="add_remove",
                                 privacy_unit="record", max_contribution=k, epsilon_author=k * 1.0,
                                 delta_author=k * np.exp((k - 1) * 1.0) * 1e-5)
        runs.append(run)
    entry = build_leaderboard(runs).entries[0]
    assert (entry.epsilon, entry.delta, entry.neighbouring, entry.privacy_unit) == (1.0, 1e-5, "add_remove", "record")
    assert entry.max_contribution == 4 and entry.epsilon_author == 4.0  # the worse seed
    assert entry.delta_author == pytest.approx(4 * np.exp(3) * 1e-5)
    from mhprivbench.leaderboard_html import render_html

    page = render_html(build_leaderboard(runs))
    assert "record, add/remove" in page and ">4, &delta; 0.000803<" in page and "k = 4 records" in page


def test_leaderboard_path_per_suite(tmp_path):
    from mhprivbench.errors import ConfigError
    from mhprivbench.leaderboard import leaderboard_path

    assert leaderboard_path(tmp_path, "default") == tmp_path / "leaderboard.json"
    assert leaderboard_path(tmp_path, "smoke") == tmp_path / "leaderboard-smoke.json"
    with pytest.raises(ConfigError, match="suite name"):
        leaderboard_path(tmp_path, "../x")


def test_write_leaderboard_keeps_only_the_suite_runs_cells(tmp_path):
    from mhprivbench.leaderboard import write_leaderboard
    from mhprivbench.results import write_result

    current, stale = _result("identity", 0, 0.8, 1.0), _result("identity", 0, 0.5, 1.0)
    stale.run_id = "stale-cell-of-an-older-version"
    for run in (current, stale):
        write_result(run, tmp_path / "runs" / f"{run.run_id}.json")
    board = write_leaderboard(tmp_path / "runs", tmp_path / "lb.json", run_ids={current.run_id})
    assert board.n_runs == 1 and board.entries[0].seeds == [0]
    assert board.entries[0].scores["utility.macro_f1"].mean == 0.8
    assert write_leaderboard(tmp_path / "runs", tmp_path / "lb.json").n_runs == 2
