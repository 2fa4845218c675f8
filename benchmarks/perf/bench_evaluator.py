"""Cost of one benchmark cell on the default synthmh corpus, per evaluator part, as ratios against a reference.

    .venv/bin/python benchmarks/perf/bench_evaluator.py [--n-personas 400] [--repeat 3]

Reference (timed in the same run): fitting the ``tfidf_logreg`` reference classifier once on the same train
records, the unit every records-release cell pays at least once. Reports, for the identity release and the
nonprivate model, seconds and the ratio to that reference for utility and each attack (best of --repeat).
Prints one JSON object; no text from the corpus.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import mhprivbench as mh

ATTACKS = ["pii_leak", "reid_linkage", "reid_authorship", "mia_loss"]


def best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-personas", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    splits = mh.load_dataset("synthmh", n_personas=args.n_personas).split(seed=0)
    texts, labels = [r.text for r in splits.train], [r.label for r in splits.train]
    reference = best_of(args.repeat, lambda: mh.create("classifier", "tfidf_logreg").fit(texts, labels))
    report = {"python": platform.python_version(), "train_records": len(texts),
              "reference": {"name": "tfidf_logreg fit on train", "seconds": round(reference, 4)}, "cells": {}}
    for kind, name in (("anonymizer", "identity"), ("trainer", "nonprivate")):
        released = mh.release(mh.create(kind, name), splits.train, seed=0)
        timings: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            evaluation = mh.Evaluator(attacks=ATTACKS).evaluate(released, splits, seed=0)
            for part, seconds in evaluation.timings.items():
                timings.setdefault(part, []).append(seconds)
        report["cells"][name] = {part: {"seconds": round(min(v), 4), "ratio_to_reference": round(min(v) / reference, 2)}
                                 for part, v in timings.items()}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
