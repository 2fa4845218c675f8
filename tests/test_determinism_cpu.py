"""Scores must not depend on the CPU (DESIGN section 5; the tie-breaking fact of section 6).

A small scoring (tfidf_logreg with many frequency ties at its ``max_features`` cut, then every utility metric)
runs twice in subprocesses: once as is, once with numpy's SIMD dispatch targets beyond the baseline disabled
(``NPY_DISABLE_CPU_FEATURES``). sklearn's own ``max_features`` selection changes between the two on an AVX-512
machine (its unstable sort breaks ties by SIMD kernel); the scores must be bit-identical.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO_ROOT

SCRIPT = r"""
import hashlib, json, random
from numpy._core._multiarray_umath import __cpu_features__
from sklearn.feature_extraction.text import TfidfVectorizer
from mhprivbench.types import Record
from mhprivbench.utility.classifiers import TfidfLogReg
from mhprivbench.utility.metrics import utility_scores

rng = random.Random(0)  # pure Python: the data itself must not depend on the CPU
words = [f"w{i:04d}" for i in range(1500)]
labels = ["l0", "l1", "l2", "l3"]
signal = {label: words[40 * k:40 * (k + 1)] for k, label in enumerate(labels)}

def record(i):
    label = rng.choices(labels, weights=[3, 3, 3, 1])[0]  # l3: the rarer crisis class
    tokens = rng.sample(signal[label], 2) + rng.sample(words, 6)
    rng.shuffle(tokens)
    return Record(f"r{i}", " ".join(tokens), label, group={"g": rng.choice("pqr")})

train, test = [record(i) for i in range(500)], [record(i) for i in range(500, 800)]
texts, y = [r.text for r in train], [r.label for r in train]
model = TfidfLogReg(ngram_max=2, max_features=600).fit(texts, y, seed=0)
scores = utility_scores(model, test, train_labels=y, crisis_label="l3", seed=0, n_bootstrap=200)
digest = lambda terms: hashlib.sha256(" ".join(sorted(terms)).encode()).hexdigest()[:16]
print(json.dumps({
    "scores": {k: [s.value, s.ci_low, s.ci_high, s.baseline, s.n] for k, s in sorted(scores.items())},
    "vocabulary": digest(model.vocabulary_),
    "sklearn_vocabulary": digest(TfidfVectorizer(ngram_range=(1, 2), max_features=600).fit(texts).vocabulary_),
    "features": {k: bool(v) for k, v in __cpu_features__.items()},
}))
"""


def dispatchable_features() -> list[str]:
    """numpy's SIMD dispatch targets this CPU has beyond the baseline (the only ones numpy lets us disable)."""
    from numpy._core import _multiarray_umath as umath

    baseline = set(umath.__cpu_baseline__)
    return [f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f) and f not in baseline]


def run_scoring(disabled: list[str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    if disabled:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(disabled)
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=REPO_ROOT, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_utility_scores_identical_with_simd_features_disabled() -> None:
    features = dispatchable_features()
    if not features:
        pytest.skip("this CPU has no numpy SIMD dispatch target beyond the baseline to disable")
    native, reduced = run_scoring([]), run_scoring(features)
    assert all(native["features"][f] for f in features)
    assert not any(reduced["features"][f] for f in features), "NPY_DISABLE_CPU_FEATURES was not applied"
    changed = native["sklearn_vocabulary"] != reduced["sklearn_vocabulary"]
    context = f"disabled {features}; sklearn's own max_features vocabulary changed: {changed}"
    assert native["vocabulary"] == reduced["vocabulary"], context
    assert native["scores"] == reduced["scores"], context
    assert {"utility.macro_f1", "utility.auroc", "utility.crisis_f1", "utility.worst_group_f1"} <= set(
        native["scores"])
