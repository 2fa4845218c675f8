"""LiRA (and RMIA, which reuses its reference models) time against the number of reference models K and the pool n.

    .venv/bin/python benchmarks/perf/mia.py [--ks 8,16,32,64] [--ns 1000,3000] [--mechanism cached_tfidf]

The pool is n synthmh records (train members and control non-members of a 1,200-persona corpus), so each
reference model trains on n / 2 records through ``retrain`` (the mechanism itself). Mechanisms:

- ``cached_tfidf`` (default): logistic regression on precomputed features, tf-idf (word 1-2 grams, fit once on the
  whole corpus as public population data) reduced to 256 dimensions by truncated SVD; each text's row is looked
  up, so one fit is a dense logistic regression only ("features cached").
- ``nonprivate_embed``: logistic regression on MiniLM embeddings (``mhprivbench.embeddings``, cached; the first
  run embeds the corpus, outside the timings).
- ``nonprivate``: the tf-idf baseline trainer, which refits its vocabulary every time (uncached, slow).

Reported per (n, K): seconds to train and score the K reference models, seconds for the attack's statistics (LiRA
online + offline, then RMIA on the cached models), and the ratio of the whole to one target fit (the mechanism
fit once on n / 2 records, timed in the same run). Prints one JSON object; no text from the corpus.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

import mhprivbench as mh
from mhprivbench.attacks._reference_models import reference_set
from mhprivbench.attacks.mia_lira import MiaLira
from mhprivbench.attacks.mia_rmia import MiaRmia
from mhprivbench.mechanisms import release


@dataclass
class CachedFeatureModel:
    classes_: list[str]
    estimator: Any
    rows: dict[str, int]
    features: np.ndarray

    def predict_proba(self, texts):
        return self.estimator.predict_proba(self.features[[self.rows[t] for t in texts]])


@dataclass
class CachedTfidf:
    """A trainer over features computed once for every text of the corpus (a test double for the benchmark)."""

    rows: dict[str, int]
    features: np.ndarray
    plugin_kind = "trainer"

    def fit(self, records, *, seed=0, labels=None) -> CachedFeatureModel:
        from sklearn.linear_model import LogisticRegression

        x = self.features[[self.rows[r.text] for r in records]]
        estimator = LogisticRegression(C=4.0, max_iter=500, random_state=seed).fit(x, [r.label for r in records])
        return CachedFeatureModel([str(c) for c in estimator.classes_], estimator, self.rows, self.features)


def cached_tfidf(corpus) -> CachedTfidf:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = sorted({r.text for r in corpus.records})
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit_transform(texts)
    features = TruncatedSVD(n_components=256, random_state=0).fit_transform(tfidf)
    features /= np.maximum(np.linalg.norm(features, axis=1, keepdims=True), 1e-12)
    return CachedTfidf({t: i for i, t in enumerate(texts)}, features)


def make_mechanism(name: str, corpus):
    if name == "cached_tfidf":
        mechanism = cached_tfidf(corpus)
        return lambda: mechanism
    if name == "nonprivate_embed":
        from mhprivbench.embeddings import embed

        embed([r.text for r in corpus.records])  # warm the cache outside the timings
    return lambda: mh.create("trainer", name)


def time_cell(splits, factory, *, n: int, k: int) -> dict[str, float]:
    """Reference models, then LiRA and RMIA statistics on them (a fresh retrain: nothing cached)."""
    def retrain(records, seed=None):
        return release(factory(), records, seed=seed or 0, labels=splits.labels)

    target = release(factory(), splits.train, seed=0, labels=splits.labels)
    start = time.perf_counter()
    reference_set(target, splits, target=target.model, retrain=retrain, seed=0, n_reference=k, max_pool=n)
    built = time.perf_counter()
    MiaLira(n_reference=k, max_pool=n, n_bootstrap=200).run(target, splits, seed=0, retrain=retrain)
    lira = time.perf_counter()
    MiaRmia(n_reference=k, max_pool=n, n_bootstrap=200).run(target, splits, seed=0, retrain=retrain)
    return {"reference_models_s": built - start, "lira_stats_s": lira - built, "rmia_stats_s": time.perf_counter() - lira}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ks", default="8,16,32,64")
    parser.add_argument("--ns", default="1000,3000")
    parser.add_argument("--mechanism", default="cached_tfidf", choices=["cached_tfidf", "nonprivate_embed", "nonprivate"])
    args = parser.parse_args()
    corpus = mh.load_dataset("synthmh", n_personas=1200)
    splits = corpus.split(seed=0)
    factory = make_mechanism(args.mechanism, corpus)
    report: dict[str, Any] = {"mechanism": args.mechanism, "sizes": splits.sizes(), "cells": []}
    for n in (int(v) for v in args.ns.split(",")):
        half = list(splits.train[: n // 2])
        start = time.perf_counter()
        release(factory(), half, seed=0, labels=splits.labels)
        one_fit = time.perf_counter() - start
        for k in (int(v) for v in args.ks.split(",")):
            timing = time_cell(splits, factory, n=n, k=k)
            lira_total = timing["reference_models_s"] + timing["lira_stats_s"]
            report["cells"].append({"n": n, "K": k, "one_target_fit_s": round(one_fit, 3),
                                    **{key: round(v, 3) for key, v in timing.items()},
                                    "lira_total_s": round(lira_total, 2),
                                    "ratio_to_one_fit": round(lira_total / one_fit, 1)})
            print(json.dumps(report["cells"][-1]), flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
