"""Speed of synthmh generation at ~100k posts, reported as ratios against references timed in the same run.

    .venv/bin/python benchmarks/perf/bench_synthmh.py [--n-personas 17000] [--quality]

References: generating a corpus one tenth the size (linear scaling gives ratio ~1), and ``json.dumps`` of the
same records (a plain serialization pass over the same data). ``--quality`` adds the corpus-difficulty numbers
for the default corpus: tf-idf + logistic-regression macro-F1, character n-gram authorship top-1, and the share
of posts with >= 1 direct or >= 2 quasi identifiers. Prints one JSON object; no text from the corpus.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import numpy as np

from mhprivbench.datasets.synthmh import SynthMH

BUDGET_SECONDS = 60.0


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _serialize(corpus) -> str:
    return json.dumps([[r.uid, r.text, r.label, r.author, dict(r.group), dict(r.fields),
                        [(s.start, s.end, s.entity, s.kind, s.attribute) for s in r.spans]] for r in corpus.records])


def speed(n_personas: int) -> dict:
    small, t_small = timed(lambda: SynthMH(n_personas=max(4, n_personas // 10)).load())
    big, t_big = timed(lambda: SynthMH(n_personas=n_personas).load())
    _, t_json = timed(lambda: _serialize(big))
    scale = len(big.records) / len(small.records)
    return {
        "posts": len(big.records), "seconds": round(t_big, 3), "posts_per_second": round(len(big.records) / t_big),
        "budget_seconds": BUDGET_SECONDS, "within_budget": t_big < BUDGET_SECONDS,
        "references": {"synthmh_tenth_size": {"posts": len(small.records), "seconds": round(t_small, 3)},
                       "json_dumps_same_records": {"seconds": round(t_json, 3)}},
        "ratios": {"vs_tenth_size_scaled_linearly": round(t_big / (t_small * scale), 3),
                   "vs_json_dumps": round(t_big / t_json, 2)},
    }


def quality(seed: int = 0) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    corpus = SynthMH(seed=seed).load()
    splits = corpus.split(seed=seed)
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    model = LogisticRegression(max_iter=1000).fit(words.fit_transform([r.text for r in splits.train]),
                                                  [r.label for r in splits.train])
    predicted = model.predict(words.transform([r.text for r in splits.test]))
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))
    aux = chars.fit_transform([r.text for r in splits.aux])
    authors = sorted({r.author for r in splits.aux})
    row = {a: i for i, a in enumerate(authors)}
    owner = np.zeros((len(authors), len(splits.aux)))
    owner[[row[r.author] for r in splits.aux], np.arange(len(splits.aux))] = 1
    profiles = np.asarray((owner / owner.sum(axis=1, keepdims=True)) @ aux)
    profiles /= np.linalg.norm(profiles, axis=1, keepdims=True)
    targets = [r for r in splits.train if r.author in row]
    guesses = np.asarray(chars.transform([r.text for r in targets]) @ profiles.T).argmax(axis=1)

    def identifiable(record) -> bool:
        quasi = {s.attribute for s in record.spans if s.kind == "quasi"}
        return any(s.kind == "direct" for s in record.spans) or len(quasi) >= 2

    return {
        "seed": seed, "posts": len(corpus.records),
        "crisis_share": round(float(np.mean([r.label == corpus.crisis_label for r in corpus.records])), 4),
        "tfidf_logreg_macro_f1": round(float(f1_score([r.label for r in splits.test], predicted, average="macro")), 4),
        "authorship_top1": round(float(np.mean([authors[g] == r.author for g, r in zip(guesses, targets, strict=True)])), 4),
        "authorship_baseline": round(1 / len(authors), 4),
        "share_identifiable": round(float(np.mean([identifiable(r) for r in corpus.records])), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-personas", type=int, default=17000, help="authors in the timed corpus (~6 posts each)")
    parser.add_argument("--quality", action="store_true", help="also report corpus-difficulty numbers")
    args = parser.parse_args()
    report = {"benchmark": "synthmh_generation", "python": platform.python_version(),
              "machine": platform.machine(), **speed(args.n_personas)}
    if args.quality:
        report["quality"] = [quality(seed) for seed in (0, 1, 2)]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
