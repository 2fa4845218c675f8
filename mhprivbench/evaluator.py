"""The shared evaluator: utility on real held-out records + every attack that applies to the release."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mhprivbench import registry
from mhprivbench.applicability import why_not_applicable
from mhprivbench.threads import single_threaded_blas
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.utility.metrics import utility_scores

DEFAULT_ATTACKS = ("pii_leak", "reid_linkage", "mia_loss")


@dataclass
class Evaluation:
    """Scores by metric key; ``not_applicable``: attack name (or an attack's metric key) -> why it is absent."""

    scores: dict[str, Score]
    not_applicable: dict[str, str]
    timings: dict[str, float]
    warnings: list[str] = field(default_factory=list)


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

    def _attack_params(self, name: str) -> dict[str, Any]:
        """The attack's own params; ``n_bootstrap`` defaults to the evaluator's when the attack has one."""
        params = dict(self.attack_params.get(name, {}))
        fields = {f.name for f in dataclasses.fields(registry.get("attack", name))}
        if "n_bootstrap" in fields:
            params.setdefault("n_bootstrap", self.n_bootstrap)
        return params

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
        warnings = release_warnings(release)
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
            attack = registry.create("attack", name, **self._attack_params(name))
            if not attack.applies(release, splits):
                not_applicable[name] = why_not_applicable(name, attack, release, splits)  # names the setting
                continue
            found = attack.run(release, splits, seed=seed, target=target, retrain=retrain)
            if not found:
                not_applicable[name] = ("no scores: the attack found nothing it can measure on this release (its "
                                        f"parameters: mhprivbench list --params attack {name})")
            not_applicable.update(getattr(attack, "not_applicable_", None) or {})  # metric key -> why it is absent
            scores.update(found)
            timings[name] = time.perf_counter() - started
        return Evaluation(scores=scores, not_applicable=not_applicable, timings=timings, warnings=warnings)


def release_warnings(release: Release) -> list[str]:
    """Facts a reader of the scores must know: e.g. a DP generator that released (mostly) empty texts scores
    majority-class utility and zero risk, which is a property of that release, not a privacy win."""
    if release.kind != "records" or release.records is None:
        return []
    empty = sum(1 for record in release.records if not record.text.strip())
    if not release.records:
        return ["the release holds no records"]
    return [f"{empty} of {len(release.records)} released records are empty"] if empty else []
