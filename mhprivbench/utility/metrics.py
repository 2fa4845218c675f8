"""Utility and fairness metrics of a classifier on real held-out records, each with an interval and a baseline.

Baselines: the majority-class predictor (the release's most common label) for macro-F1 and accuracy; a
label-prior random guess for crisis recall. Intervals: percentile bootstrap over test records (Wilson for
crisis recall, a proportion).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from mhprivbench import stats
from mhprivbench.types import Classifier, Record, Score


def macro_f1_codes(true: np.ndarray, pred: np.ndarray, n_labels: int) -> float:
    """Macro-F1 over labels 0..n_labels-1 from integer codes (predictions outside the range count as wrong).

    Equals sklearn's f1_score(average="macro", zero_division=0) over those labels, ~100x faster, for bootstraps.
    """
    hits = true == pred
    tp = np.bincount(true[hits], minlength=n_labels)[:n_labels]
    support = np.bincount(true, minlength=n_labels)[:n_labels]
    predicted = np.bincount(pred[(pred >= 0) & (pred < n_labels)], minlength=n_labels)[:n_labels]
    denominator = support + predicted
    f1 = np.divide(2 * tp, denominator, out=np.zeros(n_labels), where=denominator > 0)
    return float(f1.mean())


def _predict(model: Classifier, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    proba = np.asarray(model.predict_proba(list(texts)), dtype=float)
    classes = [str(c) for c in model.classes_]
    return proba, np.array(classes, dtype=object)[proba.argmax(axis=1)], classes


def _macro_auroc(y_true: np.ndarray, proba: np.ndarray, classes: list[str]) -> float:
    """Mean one-vs-rest AUROC over the classes the model knows that occur (and do not fill) this sample."""
    aucs = [stats.fast_auc((y_true == c).astype(int), proba[:, i]) for i, c in enumerate(classes)
            if 0 < (y_true == c).sum() < len(y_true)]
    return float(np.mean(aucs)) if aucs else float("nan")


def utility_scores(
    model: Classifier, test: Sequence[Record], *, train_labels: Sequence[str], crisis_label: str | None,
    seed: int, n_bootstrap: int = 500,
) -> dict[str, Score]:
    labels = sorted({r.label for r in test})
    y_true = np.array([r.label for r in test], dtype=object)
    proba, y_pred, classes = _predict(model, [r.text for r in test])
    majority = Counter(train_labels).most_common(1)[0][0] if train_labels else labels[0]
    code = {label: i for i, label in enumerate(labels)}
    true_codes = np.array([code[y] for y in y_true])
    pred_codes = np.array([code.get(y, -1) for y in y_pred])
    major_codes = np.full(len(test), code.get(majority, -1))
    idx = np.arange(len(test))
    n = len(labels)

    def f1_of(i):
        return macro_f1_codes(true_codes[i], pred_codes[i], n)

    def acc_of(i):
        return float(np.mean(true_codes[i] == pred_codes[i]))

    scores = {
        "utility.macro_f1": _score(f1_of(idx), stats.bootstrap_ci(f1_of, idx, n_resamples=n_bootstrap, seed=seed),
                                   macro_f1_codes(true_codes, major_codes, n), len(test)),
        "utility.accuracy": _score(acc_of(idx), stats.bootstrap_ci(acc_of, idx, n_resamples=n_bootstrap, seed=seed),
                                   float(np.mean(true_codes == major_codes)), len(test)),
    }
    auroc = _macro_auroc(y_true, proba, classes)
    if np.isfinite(auroc):
        ci = stats.bootstrap_ci(lambda i: _macro_auroc(y_true[i], proba[i], classes), idx,
                                n_resamples=max(50, n_bootstrap // 5), seed=seed)
        scores["utility.auroc"] = _score(auroc, ci, 0.5, len(test))
    if crisis_label is not None and crisis_label in labels:
        crisis = y_true == crisis_label
        hits = int((y_pred[crisis] == crisis_label).sum())
        prior = Counter(train_labels)[crisis_label] / max(1, len(train_labels))
        scores["utility.crisis_recall"] = stats.proportion_score(
            hits, int(crisis.sum()), higher_is_better=True, baseline=prior)
    scores.update(group_scores(test, true_codes, pred_codes, n, seed=seed, n_bootstrap=n_bootstrap))
    return scores


def group_scores(test, true_codes, pred_codes, n_labels, *, seed: int, n_bootstrap: int,
                 min_size: int = 20) -> dict[str, Score]:
    """Worst-group macro-F1 and the gap between groups, over every demographic value with >= min_size records."""
    values = sorted({(a, v) for r in test for a, v in r.group.items()})
    masks = [np.array([r.group.get(a) == v for r in test]) for a, v in values]
    masks = [m for m in masks if m.sum() >= min_size]
    if len(masks) < 2:
        return {}
    member = np.stack(masks)  # groups x records

    def per_group(i: np.ndarray) -> list[float]:
        return [macro_f1_codes(true_codes[i][m[i]], pred_codes[i][m[i]], n_labels) for m in member if m[i].any()]

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
