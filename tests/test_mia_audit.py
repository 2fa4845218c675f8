"""mia_loss's per-author epsilon audit and its not-applicable reasons, on hand-built data (fast)."""

import math

import numpy as np
import pytest

from mhprivbench import registry, stats
from mhprivbench.evaluator import Evaluator
from mhprivbench.types import Record, Release, Splits


class Memorizer:
    """Probability 1 on the true label of training texts, 1/2 on anything else."""

    classes_ = ["anxiety", "depression"]

    def __init__(self, records):
        self.seen = {r.text: r.label for r in records}

    def predict_proba(self, texts):
        out = np.full((len(texts), 2), 0.5)
        for i, text in enumerate(texts):
            if text in self.seen:
                out[i] = [float(c == self.seen[text]) for c in self.classes_]
        return out


def _records(prefix, n_authors, per_author):
    return tuple(Record(f"{prefix}{a}-{i}", f"{prefix} text {a} {i}", ("anxiety", "depression")[a % 2],
                        author=f"{prefix}{a}") for a in range(n_authors) for i in range(per_author))


TRAIN, CONTROL = _records("m", 60, 3), _records("c", 60, 1)
SPLITS = Splits(train=TRAIN, test=CONTROL[:10], control=CONTROL, aux=())


def _run(release, splits=SPLITS):
    attack = registry.create("attack", "mia_loss", n_bootstrap=30)
    return attack.run(release, splits, seed=0), attack.not_applicable_


def test_memorizer_reaches_the_ceiling_per_record():
    """60 member authors (3 train records each) against 60 control authors, perfectly separated.
    Thresholds: the two score values and the midpoint (non-member share 1/2): 3, so a = 0.05 / 6;
    TPR >= a^(1/60) = 0.923309, FPR <= 0.076691; log(0.923309 / 0.076691) / 3 = 0.829392."""
    scores, _ = _run(Release(kind="model", model=Memorizer(TRAIN)))
    bound, ceiling = scores["mia.loss.eps_lower_bound"], scores["mia.loss.eps_lower_bound_ceiling"]
    assert bound.value == pytest.approx(0.829392, abs=1e-6)
    assert ceiling.value == pytest.approx(bound.value)
    assert (ceiling.ci_low, ceiling.ci_high, ceiling.higher_is_better, ceiling.baseline) == (
        ceiling.value, ceiling.value, False, 0.0)
    assert ceiling.n == 120


def test_declared_delta_lowers_the_bound_through_group_privacy():
    delta = 1e-3
    scores, _ = _run(Release(kind="model", model=Memorizer(TRAIN), epsilon=0.5, delta=delta))
    a = 0.05 / 6
    tpr = a ** (1 / 60)
    # violated while tpr > e^(3 eps) (1 - tpr) + 3 e^(2 eps) delta: solve for eps by hand with a dense scan
    grid = np.linspace(0, 0.829392, 200001)
    violated = grid[tpr > np.exp(3 * grid) * (1 - tpr) + 3 * np.exp(2 * grid) * delta]
    assert scores["mia.loss.eps_lower_bound"].value == pytest.approx(violated.max(), abs=1e-5)
    assert scores["mia.loss.eps_lower_bound"].value < 0.829392 - 0.005
    assert scores["mia.loss.eps_lower_bound_ceiling"].value == pytest.approx(scores["mia.loss.eps_lower_bound"].value)


def test_input_blind_model_gets_zero_bound_and_a_positive_ceiling():
    class Constant(Memorizer):
        def __init__(self):
            super().__init__(())

    scores, _ = _run(Release(kind="model", model=Constant()))
    assert scores["mia.loss.eps_lower_bound"].value == 0.0
    # one distinct score: one threshold, a = 0.025; log(0.025^(1/60) / (1 - 0.025^(1/60))) / 3
    x = 0.025 ** (1 / 60)
    assert scores["mia.loss.eps_lower_bound_ceiling"].value == pytest.approx(math.log(x / (1 - x)) / 3)


def test_low_fpr_tpr_is_absent_with_the_reason_and_reaches_the_evaluation():
    scores, reasons = _run(Release(kind="model", model=Memorizer(TRAIN)))
    assert "mia.loss.tpr_at_1pct_fpr" not in scores and "mia.loss.tpr_at_0.1pct_fpr" not in scores
    assert reasons == {"mia.loss.tpr_at_1pct_fpr": f"needs >= 500 non-member scores, has 60: {stats.LOW_FPR_HINT}",
                       "mia.loss.tpr_at_0.1pct_fpr": f"needs >= 5000 non-member scores, has 60: {stats.LOW_FPR_HINT}"}
    evaluation = Evaluator(attacks=["mia_loss"], n_bootstrap=30).evaluate(
        Release(kind="model", model=Memorizer(TRAIN)), SPLITS, seed=0)
    assert evaluation.not_applicable["mia.loss.tpr_at_0.1pct_fpr"] == f"needs >= 5000 non-member scores, has 60: {stats.LOW_FPR_HINT}"
    assert "mia.loss.auc" in evaluation.scores and "mia.loss.tpr_at_1pct_fpr" not in evaluation.scores


def test_enough_nonmembers_report_tpr_at_1pct_fpr():
    train, control = _records("m", 600, 1), _records("c", 600, 1)
    splits = Splits(train=train, test=control[:5], control=control, aux=())
    scores, reasons = _run(Release(kind="model", model=Memorizer(train)), splits)
    assert scores["mia.loss.tpr_at_1pct_fpr"].value == 1.0 and scores["mia.loss.tpr_at_1pct_fpr"].n == 1200
    assert reasons == {"mia.loss.tpr_at_0.1pct_fpr": f"needs >= 5000 non-member scores, has 600: {stats.LOW_FPR_HINT}"}


def test_not_applicable_is_reset_by_each_run():
    attack = registry.create("attack", "mia_loss", n_bootstrap=30)
    attack.run(Release(kind="model", model=Memorizer(TRAIN)), SPLITS, seed=0)
    assert attack.not_applicable_
    assert attack.run(Release(kind="records", records=TRAIN), SPLITS, seed=0) == {}  # no target: nothing
    assert attack.not_applicable_ == {}


def test_roc_summary_no_longer_reports_an_epsilon():
    out = stats.roc_summary(np.linspace(1, 2, 600), np.linspace(-2, -1, 600), seed=0, n_resamples=20)
    assert sorted(out) == ["advantage", "auc", "tpr_at_1pct_fpr"]
