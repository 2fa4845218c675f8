"""The shared evaluator: utility on real held-out records + every attack that applies to the release."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mhprivbench import registry
from mhprivbench.threads import single_threaded_blas
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.utility.metrics import utility_scores

DEFAULT_ATTACKS = ("pii_leak", "reid_linkage", "mia_loss")


@dataclass
class Evaluation:
    scores: dict[str, Score]
    not_applicable: dict[str, str]
    timings: dict[str, float]


@dataclass
class Evaluator:
    """Score a release: reference classifier (or the released model) on ``splits.test``, then attacks.

    classifier: registered classifier trained on released records (records releases);
    attacks: registered attack names; attack_params: {attack name: params}.
    """

    classifier: str = "tfidf_logreg"
    classifier_params: Mapping[str, Any] = field(default_factory=dict)
    attacks: Sequence[str] = DEFAULT_ATTACKS
    attack_params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    n_bootstrap: int = 500

    def target_model(self, release: Release, *, seed: int) -> Classifier | None:
        """The model an attacker queries: the released model, or the reference classifier on released records."""
        if release.kind == "model":
            return release.model
        if release.kind == "records" and release.records:
            model = registry.create("classifier", self.classifier, **self.classifier_params)
            return model.fit([r.text for r in release.records], [r.label for r in release.records], seed=seed)
        return None

    @single_threaded_blas
    def evaluate(
        self, release: Release, splits: Splits, *, seed: int,
        retrain: Callable[[Sequence[Record]], Release] | None = None,
    ) -> Evaluation:
        timings: dict[str, float] = {}
        started = time.perf_counter()
        target = self.target_model(release, seed=seed)
        scores: dict[str, Score] = {}
        not_applicable: dict[str, str] = {}
        if target is not None:
            train_labels = [r.label for r in release.records] if release.records else [r.label for r in splits.train]
            scores.update(utility_scores(target, splits.test, train_labels=train_labels,
                                         crisis_label=splits.crisis_label, seed=seed, n_bootstrap=self.n_bootstrap))
        else:
            not_applicable["utility"] = f"no classifier can be trained on a {release.kind} release"
        timings["utility"] = time.perf_counter() - started
        for name in self.attacks:
            started = time.perf_counter()
            attack = registry.create("attack", name, **self.attack_params.get(name, {}))
            if not attack.applies(release, splits):
                not_applicable[name] = f"does not apply to a {release.kind} release" + (
                    "" if release.kind == "model" else " with these splits")
                continue
            found = attack.run(release, splits, seed=seed, target=target, retrain=retrain)
            if not found:
                not_applicable[name] = "no scores: the attack found nothing it can measure on this release"
            scores.update(found)
            timings[name] = time.perf_counter() - started
        return Evaluation(scores=scores, not_applicable=not_applicable, timings=timings)
