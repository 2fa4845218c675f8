"""Utility and fairness metrics of a classifier on real held-out records, each with an interval and a baseline.

Baselines: the majority-class predictor (the release's most common label) for macro-F1 and accuracy; a
label-prior random guess for crisis recall. Intervals: percentile bootstrap over test records (Wilson for
crisis recall, a proportion).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

from mhprivbench import stats
from mhprivbench.types import Classifier, Record, Score


def _f1(y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence[str]) -> float:
    return float(f1_score(y_true, y_pred, labels=list(labels), average="macro", zero_division=0))


def _predict(model: Classifier, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    proba = np.asarray(model.predict_proba(list(texts)), dtype=float)
    classes = [str(c) for c in model.classes_]
    return proba, np.array(classes, dtype=object)[proba.argmax(axis=1)], classes


def _macro_auroc(y_true: np.ndarray, proba: np.ndarray, classes: list[str]) -> float:
    aucs = [roc_auc_score(y_true == c, proba[:, i]) for i, c in enumerate(classes) if 0 < (y_true == c).sum() < len(y_true)]
    return float(np.mean(aucs)) if aucs else float("nan")


def utility_scores(
    model: Classifier, test: Sequence[Record], *, train_labels: Sequence[str], crisis_label: str | None,
    seed: int, n_bootstrap: int = 500,
) -> dict[str, Score]:
    labels = sorted({r.label for r in test})
    y_true = np.array([r.label for r in test], dtype=object)
    proba, y_pred, classes = _predict(model, [r.text for r in test])
    majority = Counter(train_labels).most_common(1)[0][0] if train_labels else labels[0]
    y_major = np.full(len(test), majority, dtype=object)
    idx = np.arange(len(test))

    def boot(fn):
        return stats.bootstrap_ci(lambda i: fn(y_true[i], y_pred[i]), idx, n_resamples=n_bootstrap, seed=seed)

    def f1_of(t, p):
        return _f1(t, p, labels)

    def acc_of(t, p):
        return float(accuracy_score(t, p))

    scores = {
        "utility.macro_f1": _score(f1_of(y_true, y_pred), boot(f1_of), f1_of(y_true, y_major), len(test)),
        "utility.accuracy": _score(acc_of(y_true, y_pred), boot(acc_of), acc_of(y_true, y_major), len(test)),
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
    scores.update(group_scores(test, y_true, y_pred, labels, seed=seed, n_bootstrap=n_bootstrap))
    return scores


def group_scores(test, y_true, y_pred, labels, *, seed: int, n_bootstrap: int, min_size: int = 20) -> dict[str, Score]:
    """Worst-group macro-F1 and the gap between groups, over every demographic attribute with >= 2 groups."""
    attributes = sorted({k for r in test for k in r.group})
    if not attributes:
        return {}
    members = [(a, v, np.array([r.group.get(a) == v for r in test])) for a in attributes
               for v in sorted({r.group[a] for r in test if a in r.group})]
    members = [(a, v, m) for a, v, m in members if m.sum() >= min_size]
    if len({a for a, _, _ in members}) == 0 or len(members) < 2:
        return {}

    def per_group(i: np.ndarray) -> list[float]:
        mask = np.zeros(len(test), dtype=bool)
        mask[i] = True
        return [_f1(y_true[m & mask], y_pred[m & mask], labels) for _, _, m in members if (m & mask).any()]

    every = np.arange(len(test))
    f1s = per_group(every)
    worst_ci = stats.bootstrap_ci(lambda i: min(per_group(i)), every, n_resamples=max(50, n_bootstrap // 5), seed=seed)
    gap_ci = stats.bootstrap_ci(lambda i: max(per_group(i)) - min(per_group(i)), every,
                                n_resamples=max(50, n_bootstrap // 5), seed=seed)
    return {
        "utility.worst_group_f1": _score(min(f1s), worst_ci, None, len(test)),
        "utility.group_gap": Score(value=max(f1s) - min(f1s), ci_low=gap_ci[0], ci_high=gap_ci[1],
                                   higher_is_better=False, baseline=0.0, n=len(test)),
    }


def _score(value: float, ci: tuple[float, float], baseline: float | None, n: int) -> Score:
    low, high = min(ci[0], value), max(ci[1], value)
    return Score(value=value, ci_low=low, ci_high=high, higher_is_better=True, baseline=baseline, n=n)
