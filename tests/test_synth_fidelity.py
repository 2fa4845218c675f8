"""synth_fidelity: Frechet distance of embeddings (hand-computed and against scipy's sqrtm) and SDMetrics scores of
released rows, with real-data baselines; a copy of real data scores like real data, garbage does not."""

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.linalg import sqrtm

from mhprivbench import registry
from mhprivbench.attacks import _frechet, mia_dcr
from mhprivbench.mechanisms import release
from mhprivbench.tables import records_to_frame
from mhprivbench.testing import check_scores, tiny_splits
from mhprivbench.testing.copy_generator import CopyGenerator
from mhprivbench.types import Release

sys.path.insert(0, str(Path(__file__).parent))
from test_mia_domias import bow_embed  # noqa: E402  (the shared stand-in embedding)


@pytest.fixture(scope="module")
def splits():
    return tiny_splits(seed=3)


def _scipy_fd(x, y):
    sx, sy = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    return float(((x.mean(0) - y.mean(0)) ** 2).sum() + np.trace(sx) + np.trace(sy)
                 - 2 * np.trace(sqrtm(sx @ sy)).real)


def test_frechet_distance_by_hand_and_against_sqrtm():
    """1-D: x = (0, 2), y = (1, 3): means 1 and 2, variances 2 and 2: FD = 1 + 2 + 2 - 2 * 2 = 1."""
    assert _frechet.frechet_distance(np.array([[0.0], [2.0]]), np.array([[1.0], [3.0]])) == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    for nx, ny, d in ((60, 80, 6), (5, 9, 12)):  # covariance branch, then the n < d (singular value) branch
        x, y = rng.normal(size=(nx, d)), 1.5 * rng.normal(size=(ny, d)) + 0.3
        assert _frechet.frechet_distance(x, y) == pytest.approx(_scipy_fd(x, y), rel=1e-6)
    x = rng.normal(size=(30, 4))
    assert _frechet.frechet_distance(x, x) == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError):
        _frechet.frechet_distance(x[:1], x)


def test_shifted_interval_by_hand():
    """Resamples 2..4 around an estimate of 1: bias = 3 - 1 = 2, percentiles shifted down by 2, then clipped."""
    low, high = _frechet.shifted_interval(1.0, np.linspace(2.0, 4.0, 101), alpha=0.1)
    assert (low, high) == pytest.approx((0.1, 1.9))
    assert _frechet.shifted_interval(1.0, np.linspace(2.0, 4.0, 101), alpha=0.1, low=0.5)[0] == 0.5
    assert _frechet.shifted_interval(0.3, [np.nan]) == (0.3, 0.3)


def test_embedding_fd_copy_near_real_and_garbage_far(splits, monkeypatch):
    monkeypatch.setattr(mia_dcr, "embed_texts", bow_embed)
    attack = registry.create("attack", "synth_fidelity", n_bootstrap=50)
    copy = attack.run(release(CopyGenerator(), splits.train, seed=0), splits, seed=0)
    check_scores(copy, texts=[r.text for r in splits.train], attack=attack)
    fd = copy["fidelity.embedding_fd"]
    assert set(copy) == {"fidelity.embedding_fd"}  # copied records carry no fields: no table scores
    assert fd.ci_low <= fd.baseline <= fd.ci_high and abs(fd.value - fd.baseline) < 0.15 * fd.baseline
    one = [dataclasses.replace(r, fields={}, group={}) for r in splits.train if r.label == splits.train[0].label]
    garbage = attack.run(Release(kind="records", records=(one * 10)[:len(splits.train)]), splits, seed=0)
    bad = garbage["fidelity.embedding_fd"]
    assert bad.value > 1.4 * bad.baseline and bad.ci_low > bad.baseline and not bad.higher_is_better
    again = registry.create("attack", "synth_fidelity", n_bootstrap=50).run(
        release(CopyGenerator(), splits.train, seed=0), splits, seed=0)["fidelity.embedding_fd"]
    assert (again.value, again.ci_low, again.ci_high) == (fd.value, fd.ci_low, fd.ci_high), "seeded"


@pytest.mark.slow
def test_table_scores_copy_vs_independent_columns(splits):
    train = records_to_frame(splits.train)
    rng = np.random.default_rng(0)
    clean = pd.DataFrame({c: train[c].to_numpy()[rng.integers(0, len(train), len(train))] for c in train.columns})
    attack = registry.create("attack", "synth_fidelity", n_quality_bootstrap=5, sdm_dcr=True, sdm_iterations=2)
    copy = attack.run(Release(kind="table", table=train), splits, seed=0)
    check_scores(copy, attack=attack)
    independent = attack.run(Release(kind="table", table=clean), splits, seed=0)
    quality, loose = copy["fidelity.sdmetrics_quality"], independent["fidelity.sdmetrics_quality"]
    assert quality.value > 0.99 and quality.higher_is_better and loose.value < quality.value - 0.1
    assert 0.3 < quality.baseline < 1.0  # the control rows: a real sample is good, not perfect
    protection, spread = copy["synth.sdm_dcr_baseline_protection"], independent["synth.sdm_dcr_baseline_protection"]
    assert protection.value == 0.0 and protection.ci_high < protection.baseline  # every row is a train row
    assert spread.value > protection.baseline - 0.1
    assert "fidelity.embedding_fd" not in copy  # a table has no text
    again = registry.create("attack", "synth_fidelity", n_quality_bootstrap=5, sdm_dcr=True, sdm_iterations=2).run(
        Release(kind="table", table=clean), splits, seed=0)
    assert {k: v.value for k, v in again.items()} == {k: v.value for k, v in independent.items()}, "seeded"


def test_scope_and_parameters(splits):
    attack = registry.create("attack", "synth_fidelity")
    assert not attack.applies(Release(kind="records", records=splits.train, aligned=True), splits)
    assert not attack.applies(Release(kind="model"), splits)
    table = Release(kind="table", table=records_to_frame(splits.train))
    assert attack.applies(table, splits)
    scores = registry.create("attack", "synth_fidelity", n_quality_bootstrap=2).run(table, splits, seed=0)
    assert set(scores) == {"fidelity.sdmetrics_quality"}  # sdm_dcr is off by default (slow)
    for bad in ({"max_texts": 1}, {"n_bootstrap": 0}, {"sdm_dcr": "yes"}, {"sdm_rows": 5}):
        with pytest.raises(ValueError):
            registry.create("attack", "synth_fidelity", **bad)
