"""Utility and fairness metrics of a classifier on real held-out records, each with an interval and a baseline.

Baselines: the majority-class predictor (the release's most common label, ties broken by label) for macro-F1 and
accuracy; a label-prior random guess (train prior) for crisis recall; the crisis share of ``test`` for crisis
precision (what any predictor that ignores the text gets, the always-crisis one included); the F1 of the
always-crisis predictor, 2 p / (1 + p) with p that share, for crisis F1. Crisis recall alone rewards a predictor
that always says crisis (recall 1): read it next to crisis precision and F1.

Intervals: percentile bootstrap over test records (macro-F1, accuracy and crisis F1 over the same resamples);
Wilson for crisis recall and precision (proportions). Per-group scores (worst group, gap) average F1 over the
labels present in the group only (see ``group_scores``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from mhprivbench import stats
from mhprivbench.types import Classifier, Record, Score


def per_label_f1(true: np.ndarray, pred: np.ndarray, n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """(F1, support) of labels 0..n_labels-1 from integer codes; F1 = 0 where a label is neither true nor
    predicted. A prediction outside the range (a label the test set lacks) is a miss for the true label."""
    hits = true == pred
    tp = np.bincount(true[hits], minlength=n_labels)[:n_labels]
    support = np.bincount(true, minlength=n_labels)[:n_labels]
    predicted = np.bincount(pred[(pred >= 0) & (pred < n_labels)], minlength=n_labels)[:n_labels]
    denominator = support + predicted
    f1 = np.divide(2 * tp, denominator, out=np.zeros(n_labels), where=denominator > 0)
    return f1, support


def macro_f1_codes(true: np.ndarray, pred: np.ndarray, n_labels: int, *, present_only: bool = False) -> float:
    """Macro-F1 over labels 0..n_labels-1 from integer codes (predictions outside the range count as wrong).

    Equals sklearn's f1_score(average="macro", zero_division=0) over those labels, ~100x faster, for bootstraps.
    ``present_only`` averages only the labels with support in ``true`` (sklearn with ``labels`` = the labels
    present): a prediction of an absent label is then simply a miss for the true label; nan when ``true`` is empty.
    """
    f1, support = per_label_f1(true, pred, n_labels)
    if present_only:
        return float(f1[support > 0].mean()) if support.any() else float("nan")
    return float(f1.mean())


def binary_f1(true: np.ndarray, pred: np.ndarray, positive: int) -> float:
    """F1 of one class from codes: 2 TP / (true + predicted of that class); nan when it is neither."""
    denominator = int((true == positive).sum() + (pred == positive).sum())
    tp = int(((true == positive) & (pred == positive)).sum())
    return 2 * tp / denominator if denominator else float("nan")


def majority_label(train_labels: Sequence[str], fallback: str) -> str:
    """The most common label, ties broken by the label itself (not by order of appearance)."""
    counts = Counter(train_labels)
    return min(counts, key=lambda label: (-counts[label], label)) if counts else fallback


def _predict(model: Classifier, inputs: Any) -> tuple[np.ndarray, np.ndarray, list[str]]:
    proba = np.asarray(model.predict_proba(inputs if hasattr(inputs, "columns") else list(inputs)), dtype=float)
    classes = [str(c) for c in model.classes_]
    return proba, np.array(classes, dtype=object)[proba.argmax(axis=1)], classes


def _macro_auroc(y_true: np.ndarray, proba: np.ndarray, classes: list[str]) -> float:
    """Mean one-vs-rest AUROC over the classes the model knows that occur (and do not fill) this sample."""
    aucs = [stats.fast_auc((y_true == c).astype(int), proba[:, i]) for i, c in enumerate(classes)
            if 0 < (y_true == c).sum() < len(y_true)]
    return float(np.mean(aucs)) if aucs else float("nan")


def utility_scores(
    model: Classifier, test: Sequence[Record], *, train_labels: Sequence[str], crisis_label: str | None,
    seed: int, n_bootstrap: int = 500, inputs: Any = None,
) -> dict[str, Score]:
    """Every ``utility.*`` score of ``model`` on the real ``test`` records (see the module docstring).

    ``inputs``: what ``model.predict_proba`` reads for the test records, in their order (default: their texts; a
    fields classifier gets their structured fields, e.g. ``tables.feature_frame(test, columns)``)."""
    labels = sorted({r.label for r in test})
    y_true = np.array([r.label for r in test], dtype=object)
    proba, y_pred, classes = _predict(model, [r.text for r in test] if inputs is None else inputs)
    code = {label: i for i, label in enumerate(labels)}
    true_codes = np.array([code[y] for y in y_true])
    pred_codes = np.array([code.get(y, -1) for y in y_pred])
    crisis = code.get(crisis_label) if crisis_label is not None else None
    majority = code.get(majority_label(train_labels, labels[0]), -1)
    scores = _overall_scores(true_codes, pred_codes, majority, len(labels), crisis,
                             seed=seed, n_bootstrap=n_bootstrap)
    auroc = _macro_auroc(y_true, proba, classes)
    if np.isfinite(auroc):
        ci = stats.bootstrap_ci(lambda i: _macro_auroc(y_true[i], proba[i], classes), np.arange(len(test)),
                                n_resamples=max(50, n_bootstrap // 5), seed=seed)
        scores["utility.auroc"] = _score(auroc, ci, 0.5, len(test))
    if crisis is not None:
        prior = Counter(train_labels)[crisis_label] / max(1, len(train_labels))
        scores.update(crisis_proportions(true_codes, pred_codes, crisis, train_prior=prior))
    scores.update(group_scores(test, true_codes, pred_codes, len(labels), seed=seed, n_bootstrap=n_bootstrap))
    return scores


def _overall_scores(true_codes: np.ndarray, pred_codes: np.ndarray, majority: int, n_labels: int,
                    crisis: int | None, *, seed: int, n_bootstrap: int) -> dict[str, Score]:
    """Macro-F1, accuracy and (with a crisis class) crisis F1, bootstrapped together over the same resamples."""
    def statistic(i: np.ndarray) -> tuple[float, float, float]:
        t, p = true_codes[i], pred_codes[i]
        crisis_f1 = binary_f1(t, p, crisis) if crisis is not None else float("nan")
        return macro_f1_codes(t, p, n_labels), float(np.mean(t == p)), crisis_f1

    n = len(true_codes)
    idx = np.arange(n)
    f1_ci, acc_ci, crisis_ci = stats.bootstrap_cis(statistic, idx, n_values=3, n_resamples=n_bootstrap, seed=seed)
    f1, accuracy, crisis_f1 = statistic(idx)
    major = np.full(n, majority)
    scores = {"utility.macro_f1": _score(f1, f1_ci, macro_f1_codes(true_codes, major, n_labels), n),
              "utility.accuracy": _score(accuracy, acc_ci, float(np.mean(true_codes == major)), n)}
    if crisis is not None:
        share = float(np.mean(true_codes == crisis))
        scores["utility.crisis_f1"] = _score(crisis_f1, crisis_ci, 2 * share / (1 + share), n)
    return scores


def crisis_proportions(true_codes: np.ndarray, pred_codes: np.ndarray, crisis: int, *,
                       train_prior: float) -> dict[str, Score]:
    """Crisis recall (baseline: the train prior) and precision (baseline: the crisis share of the test records),
    with Wilson intervals. A model that never predicts crisis gets precision 0 on n = 0 trials, interval [0, 1]."""
    is_true, is_pred = true_codes == crisis, pred_codes == crisis
    hits, predicted = int((is_true & is_pred).sum()), int(is_pred.sum())
    share = float(is_true.mean())
    scores = {"utility.crisis_recall": stats.proportion_score(
        hits, int(is_true.sum()), higher_is_better=True, baseline=train_prior)}
    if predicted:
        scores["utility.crisis_precision"] = stats.proportion_score(
            hits, predicted, higher_is_better=True, baseline=share)
    else:
        scores["utility.crisis_precision"] = stats.interval_score(
            0.0, 0.0, 1.0, higher_is_better=True, baseline=share, n=0)
    return scores


def group_scores(test, true_codes, pred_codes, n_labels, *, seed: int, n_bootstrap: int,
                 min_size: int = 20) -> dict[str, Score]:
    """Worst-group macro-F1 and the gap between groups, over every demographic value with >= min_size records.

    A group's macro-F1 averages only the labels present among its true labels (support > 0 in the group): a
    label the group lacks has no F1 to average (it would count as 0 and pull the group down), and a prediction of
    such a label is a miss for the record's true label.
    """
    values = sorted({(a, v) for r in test for a, v in r.group.items()})
    masks = [np.array([r.group.get(a) == v for r in test]) for a, v in values]
    masks = [m for m in masks if m.sum() >= min_size]
    if len(masks) < 2:
        return {}
    member = np.stack(masks)  # groups x records

    def per_group(i: np.ndarray) -> list[float]:
        return [macro_f1_codes(true_codes[i][m[i]], pred_codes[i][m[i]], n_labels, present_only=True)
                for m in member if m[i].any()]

    every = np.arange(len(test))
    f1s = per_group(every)
    resamples = max(50, n_bootstrap // 5)

    def worst_and_gap(i: np.ndarray) -> tuple[float, float]:
        f1 = per_group(i)
        return min(f1), max(f1) - min(f1)

    worst_ci, gap_ci = stats.bootstrap_cis(worst_and_gap, every, n_values=2, n_resamples=resamples, seed=seed)
    return {
        "utility.worst_group_f1": _score(min(f1s), worst_ci, None, len(test)),
        "utility.group_gap": stats.interval_score(max(f1s) - min(f1s), *gap_ci, higher_is_better=False,
                                                  baseline=0.0, n=len(test)),
    }


def _score(value: float, ci: tuple[float, float], baseline: float | None, n: int) -> Score:
    return stats.interval_score(value, *ci, higher_is_better=True, baseline=baseline, n=n)
