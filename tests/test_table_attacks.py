"""Attacks on released tables: anonymeter's three risks and DCR on Gower-encoded rows (hand-computed cases, a
copy-of-train table as positive control, independently sampled columns of held-out rows as negative control)."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from mhprivbench import registry
from mhprivbench.attacks import _rows, anonymeter_risks, mia_dcr
from mhprivbench.tables import records_to_frame
from mhprivbench.testing import check_scores, tiny_splits
from mhprivbench.types import Record, Release, Splits


def independent_columns(frame: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """Each column drawn on its own from ``frame``'s rows: the marginals of real data, no real row."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({c: frame[c].to_numpy()[rng.integers(0, len(frame), n)] for c in frame.columns})


@pytest.fixture(scope="module")
def splits():
    return tiny_splits(seed=3)


@pytest.fixture(scope="module")
def releases(splits):
    copy = Release(kind="table", table=records_to_frame(splits.train))
    clean = Release(kind="table", table=independent_columns(records_to_frame(splits.test), len(splits.train)))
    return copy, clean


# --- rows and Gower encoding -----------------------------------------------------------------------------------

def test_gower_encoding_by_hand():
    """Numbers scaled by their range over all frames (0..10), categories 0/1; Gower = mean over columns."""
    a = pd.DataFrame({"x": [0, 10], "c": ["u", "v"]})
    b = pd.DataFrame({"x": [5.0, None], "c": ["u", "w"]})
    a, b = _rows.frames_on(["x", "c"], a, b)
    encoder = _rows.RowEncoder.fit([a, b])
    assert encoder.numeric == {"x": (0.0, 10.0)} and encoder.categories == {"c": ["u", "v", "w"]}
    ea, eb = encoder.transform(a), encoder.transform(b)
    np.testing.assert_allclose(ea, [[0, .5, 0, 0], [1, 0, .5, 0]])
    np.testing.assert_allclose(eb, [[.5, .5, 0, 0], [-1, 0, 0, .5]])  # a missing number sits at -1
    # b0 = (5, u): to a0 (0, u) (0.5 + 0) / 2 = 0.25, to a1 (10, v) (0.5 + 1) / 2 = 0.75
    np.testing.assert_allclose(_rows.gower_closest(eb[:1], ea, 2), [0.25])
    np.testing.assert_allclose(_rows.gower_closest(eb[1:], ea, 2), [(1 + 1) / 2])


def test_release_frame_scope(splits):
    table = records_to_frame(splits.train)
    assert _rows.release_frame(Release(kind="table", table=table)) is table
    synthetic = _rows.release_frame(Release(kind="records", records=splits.train))  # synthetic records with fields
    assert list(synthetic.columns) == list(table.columns)
    assert _rows.release_frame(Release(kind="records", records=splits.train, aligned=True)) is None
    bare = [dataclasses.replace(r, group={}, fields={}) for r in splits.train]
    assert _rows.release_frame(Release(kind="records", records=bare)) is None
    assert _rows.release_frame(Release(kind="table", table=table.iloc[:0])) is None


def test_frames_on_aligns_numeric_and_text_columns():
    a, b = _rows.frames_on(["k"], pd.DataFrame({"k": [1, 2]}), pd.DataFrame({"k": ["1", "x"]}))
    assert list(a["k"]) == ["1", "2"] and list(b["k"]) == ["1", "x"]  # not numeric everywhere: compared as text


# --- DCR on rows -------------------------------------------------------------------------------------------------

def test_dcr_on_rows_flags_a_copy_table_and_spares_independent_columns(splits, releases):
    copy, clean = releases
    attack = registry.create("attack", "mia_dcr", n_bootstrap=100)
    flagged, spared = attack.run(copy, splits, seed=0), attack.run(clean, splits, seed=0)
    assert flagged["mia.dcr.auc"].value > 0.9 and flagged["mia.dcr.auc"].ci_low > 0.5
    assert abs(spared["mia.dcr.auc"].value - 0.5) < 0.15
    check_scores(flagged, attack=attack)
    assert attack.run(copy, splits, seed=0)["mia.dcr.auc"].value == flagged["mia.dcr.auc"].value


def test_dcr_space_rows_on_records_and_text_untouched(splits, releases, monkeypatch):
    """``space: rows`` scores synthetic records by their fields (same as the table); ``auto`` keeps text."""
    def no_text(texts):
        raise AssertionError("rows must not embed text")

    monkeypatch.setattr(mia_dcr, "embed_texts", no_text)
    records = Release(kind="records", records=splits.train)
    on_rows = registry.create("attack", "mia_dcr", space="rows", n_bootstrap=50).run(records, splits, seed=0)
    on_table = registry.create("attack", "mia_dcr", n_bootstrap=50).run(releases[0], splits, seed=0)
    assert on_rows["mia.dcr.auc"].value == pytest.approx(on_table["mia.dcr.auc"].value)
    assert not registry.create("attack", "mia_dcr", space="text").applies(releases[0], splits)
    with pytest.raises(AssertionError, match="must not embed"):
        registry.create("attack", "mia_dcr").run(records, splits, seed=0)  # auto on records: text
    with pytest.raises(ValueError, match="space"):
        registry.create("attack", "mia_dcr", space="pixels")


def test_rows_dcr_by_hand():
    """One released row (5, u). Members (5, u) and (0, v): Gower 0 and (0.5 + 1) / 2; non-members (10, u) and
    (5, v): 0.25 and 0.5. Scores -DCR: member 0 beats both non-members, member 0.75 beats neither: AUC 2/4."""
    def rec(uid, x, c):
        return Record(uid=uid, text="t", label="a", fields={"x": x, "c": c})

    released = pd.DataFrame({"x": [5], "c": ["u"], "label": ["a"]})
    scores, _ = mia_dcr.rows_dcr_membership(released, [rec("m1", 5, "u"), rec("m2", 0, "v")],
                                            [rec("n1", 10, "u"), rec("n2", 5, "v")], seed=0, n_resamples=20)
    assert scores["mia.dcr.auc"].value == pytest.approx(0.5)
    assert scores["mia.dcr.advantage"].value == pytest.approx(0.5)  # threshold at 0: TPR 1/2, FPR 0


# --- anonymeter --------------------------------------------------------------------------------------------------

def test_risk_scores_by_hand():
    """Anonymeter's rates are Wilson centres (k + z^2/2) / (n + z^2); the risk is (attack - control) / (1 -
    control)."""
    from anonymeter.stats.confidence import EvaluationResults

    z2 = norm.ppf(0.975) ** 2
    scores = anonymeter_risks.risk_scores("x", EvaluationResults(n_attacks=100, n_success=60, n_baseline=10,
                                                                  n_control=20), 100)
    attack, base, control = ((k + z2 / 2) / (100 + z2) for k in (60, 10, 20))
    rate, risk = scores["anon.x_rate"], scores["anon.x"]
    assert rate.value == pytest.approx(attack) and rate.baseline == pytest.approx(base)
    assert rate.control == pytest.approx(control) and rate.n == 100 and not rate.higher_is_better
    assert risk.value == pytest.approx((attack - control) / (1 - control)) and risk.baseline == 0.0
    assert risk.ci_low < risk.value < risk.ci_high


def test_random_links_by_hand():
    rng = np.random.default_rng(0)
    assert anonymeter_risks.random_links(1, 7, 1, rng) == 7  # one synthetic row: every guess links
    assert anonymeter_risks.random_links(5, 9, 5, rng) == 9  # every row guessed on both sides
    hits = anonymeter_risks.random_links(10, 4000, 1, rng)
    assert abs(hits / 4000 - 0.1) < 0.02


@pytest.mark.slow
def test_anonymeter_flags_a_copy_table_and_spares_independent_columns(splits, releases):
    copy, clean = releases
    attack = registry.create("attack", "anonymeter", n_attacks=100)
    flagged = attack.run(copy, splits, seed=0)
    check_scores(flagged, attack=attack)
    spared = registry.create("attack", "anonymeter", n_attacks=100).run(clean, splits, seed=0)
    n = min(len(splits.train), len(splits.control))
    assert {s.n for s in flagged.values()} == {n}  # sized down to the 65 control rows
    for risk in ("singling_out", "inference"):
        assert flagged[f"anon.{risk}"].value > 0.5 and flagged[f"anon.{risk}"].ci_low > 0.2, risk
        assert spared[f"anon.{risk}"].value < 0.15, risk
        rate = flagged[f"anon.{risk}_rate"]
        assert rate.ci_low > max(rate.baseline, rate.control), risk
    assert flagged["anon.linkability"].ci_low > spared["anon.linkability"].ci_high
    again = registry.create("attack", "anonymeter", n_attacks=100).run(copy, splits, seed=0)
    assert {k: v.value for k, v in again.items()} == {k: v.value for k, v in flagged.items()}, "seeded"


def test_anonymeter_scope_and_small_tables(splits, releases):
    attack = registry.create("attack", "anonymeter")
    assert attack.applies(releases[0], splits)
    assert not attack.applies(Release(kind="records", records=splits.train, aligned=True), splits)
    assert not attack.applies(Release(kind="model"), splits)
    small = Splits(train=splits.train[:10], test=(), control=splits.control[:10], aux=())
    assert attack.run(releases[0], small, seed=0) == {}
    assert set(attack.not_applicable_) == {f"anon.{r}{s}" for r in anonymeter_risks.RISKS for s in ("", "_rate")}
    assert "needs >= 20" in attack.not_applicable_["anon.linkability"]
    for bad in ({"n_attacks": 0}, {"link_columns": []}, {"link_columns": "age"}, {"secret": ""}):
        with pytest.raises(ValueError):
            registry.create("attack", "anonymeter", **bad)
