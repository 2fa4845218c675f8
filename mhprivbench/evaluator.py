"""The shared evaluator: utility on real held-out records + every attack that applies to the release."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mhprivbench import registry
from mhprivbench.applicability import why_not_applicable
from mhprivbench.tables import LABEL, field_columns
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
    table_classifier: registered classifier trained on a released table (table releases: train on synthetic rows,
    test on the real test records' structured fields);
    attacks: registered attack names; attack_params: {attack name: params}.
    """

    classifier: str = "tfidf_logreg"
    classifier_params: Mapping[str, Any] = field(default_factory=dict)
    table_classifier: str = "fields_logreg"
    table_classifier_params: Mapping[str, Any] = field(default_factory=dict)
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
        """The model an attacker queries: the released model, or the reference classifier on released records
        (a fields classifier, ``input_kind = "fields"``, trains on their structured fields). None for a table."""
        if release.kind == "model":
            return release.model
        if release.kind == "records" and release.records:
            model = registry.create("classifier", self.classifier, **self.classifier_params)
            records = list(release.records)
            inputs = records if _reads_fields(model) else [r.text for r in records]
            return model.fit(inputs, [r.label for r in records], seed=seed)
        return None

    def table_model(self, release: Release, *, seed: int) -> Classifier | None:
        """The table classifier trained on a table release's rows (None: no rows or no table)."""
        if release.kind != "table" or release.table is None or not len(release.table):
            return None
        model = registry.create("classifier", self.table_classifier, **self.table_classifier_params)
        table = release.table
        return model.fit(table.drop(columns=[LABEL]), table[LABEL].astype(str).tolist(), seed=seed)

    def _utility(self, release: Release, splits: Splits, target: Classifier | None, *, seed: int) -> dict[str, Score]:
        """``utility.*`` of the released model, the reference classifier on released records, or the table
        classifier on a released table (tested on the test records' fields); {} when there is none."""
        model, inputs, train_labels = target, None, [r.label for r in release.records or splits.train]
        if release.kind == "table":
            model = self.table_model(release, seed=seed)
            train_labels = release.table[LABEL].astype(str).tolist() if model is not None else []
        if model is None:
            return {}
        if _reads_fields(model):
            inputs = list(splits.test)
        return utility_scores(model, splits.test, train_labels=train_labels, crisis_label=splits.crisis_label,
                              seed=seed, n_bootstrap=self.n_bootstrap, inputs=inputs)

    @single_threaded_blas
    def evaluate(
        self, release: Release, splits: Splits, *, seed: int,
        retrain: Callable[[Sequence[Record]], Release] | None = None,
    ) -> Evaluation:
        timings: dict[str, float] = {}
        warnings = release_warnings(release) + table_warnings(release, splits)
        started = time.perf_counter()
        target = self.target_model(release, seed=seed)
        scores: dict[str, Score] = {}
        not_applicable: dict[str, str] = {}
        scores.update(self._utility(release, splits, target, seed=seed))
        if not scores:
            not_applicable["utility"] = f"no classifier can be trained on this {release.kind} release (it is empty)"
        timings["utility"] = time.perf_counter() - started
        queried = None if _reads_fields(target) else target  # membership attacks query a model of texts
        for name in self.attacks:
            started = time.perf_counter()
            attack = registry.create("attack", name, **self._attack_params(name))
            if not attack.applies(release, splits):
                not_applicable[name] = why_not_applicable(name, attack, release, splits)  # names the setting
                continue
            found = attack.run(release, splits, seed=seed, target=queried, retrain=retrain)
            if not found:
                not_applicable[name] = ("no scores: the attack found nothing it can measure on this release (its "
                                        f"parameters: mhprivbench list --params attack {name})")
            not_applicable.update(getattr(attack, "not_applicable_", None) or {})  # metric key -> why it is absent
            scores.update(found)
            timings[name] = time.perf_counter() - started
        return Evaluation(scores=scores, not_applicable=not_applicable, timings=timings, warnings=warnings)


def _reads_fields(model: Any) -> bool:
    """Whether a classifier predicts from records' structured fields rather than from texts."""
    return getattr(model, "input_kind", "texts") == "fields"


def table_warnings(release: Release, splits: Splits) -> list[str]:
    """A table release whose columns the test records lack (e.g. synthmh's schema declared for another
    dataset) can only score the majority class: say so, with the column count (names are schema, not data)."""
    if release.kind != "table" or release.table is None or not splits.test:
        return []
    columns = [str(c) for c in release.table.columns if c != LABEL]
    if not columns:
        return ["the table release holds no structured field, only labels"]
    missing = sorted(set(columns) - set(field_columns(splits.test)))
    if missing:
        return [f"{len(missing)} of {len(columns)} table columns are not fields of the test records "
                f"({', '.join(missing)}): the table classifier cannot use them"]
    return []


def release_warnings(release: Release) -> list[str]:
    """Facts a reader of the scores must know: e.g. a DP generator that released (mostly) empty texts scores
    majority-class utility and zero risk, which is a property of that release, not a privacy win."""
    if release.kind == "table":
        return [] if release.table is not None and len(release.table) else ["the release holds no rows"]
    if release.kind != "records" or release.records is None:
        return []
    empty = sum(1 for record in release.records if not record.text.strip())
    if not release.records:
        return ["the release holds no records"]
    return [f"{empty} of {len(release.records)} released records are empty"] if empty else []
