"""Positive and negative controls for every attack (DESIGN.md section 1: a metric without both is not trusted).

A **positive control** is a release the attack must score high on (identity text, a model that memorizes its
training records); a **negative control** is one it must score near its baseline (text that belongs to somebody
else, a model that never saw the members). ``check_controls(attack, splits)`` runs both and fails when the attack
misses the broken release or flags the harmless one. Every registered attack must have a control registered here
(or, for a third-party attack, by its own package with ``register_control``); the conformance tests enforce it.

The control mechanisms below are test doubles registered as ordinary plugins, so they go through the same
``release`` path and the same evaluator as real mechanisms.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mhprivbench import registry
from mhprivbench.base import Anonymizer, Generator, Trainer
from mhprivbench.generators._table_base import TableGenerator
from mhprivbench.types import Record, Score, Span, Splits


@dataclass(frozen=True)
class Control:
    """How to judge one attack: the metric, the two releases, and what each must score.

    positive: (kind, name, params) of a release the attack must catch: ``metric`` >= ``positive_floor`` and its
    interval entirely above the metric's baseline. negative: a release it must score near its baseline:
    |value - baseline| <= ``negative_tolerance``.
    """

    attack: str
    metric: str
    positive: tuple[str, str, dict[str, Any]]
    negative: tuple[str, str, dict[str, Any]]
    positive_floor: float
    negative_tolerance: float
    attack_params: dict[str, Any] = field(default_factory=dict)
    canaries: int = 0  # canaries to plant (``planted.with_canaries``) when the splits hold none: attacks that need them


CONTROLS: dict[str, Control] = {}


def register_control(control: Control) -> Control:
    """Declare the controls of ``control.attack`` (one per attack; registering again replaces it)."""
    CONTROLS[control.attack] = control
    return control


def _release_and_score(attack: str, mechanism: tuple[str, str, dict[str, Any]], splits: Splits, *, seed: int,
                       metric: str, attack_params: dict[str, Any]) -> Score:
    from mhprivbench.evaluator import Evaluator
    from mhprivbench.mechanisms import release

    kind, name, params = mechanism
    released = release(registry.create(kind, name, **params), splits.train, seed=seed,
                       labels=list(splits.labels) or None)
    target = Evaluator(n_bootstrap=100).target_model(released, seed=seed)
    instance = registry.create("attack", attack, **attack_params)
    assert instance.applies(released, splits), f"{attack} does not apply to its own control {name!r}"

    def retrain(records, seed=seed):  # the same mechanism on other records, as the runner's retrain
        return release(registry.create(kind, name, **params), records, seed=seed, labels=list(splits.labels) or None)

    scores = instance.run(released, splits, seed=seed, target=target, retrain=retrain)
    assert metric in scores, f"{attack} gave no {metric} on control {name!r} (got {sorted(scores)})"
    return scores[metric]


def check_controls(attack: str, splits: Splits, *, seed: int = 0) -> tuple[Score, Score]:
    """Run ``attack`` on its positive and negative control; AssertionError when either verdict is wrong."""
    control = CONTROLS.get(attack)
    assert control is not None, f"attack {attack!r} has no registered controls (mhprivbench.testing.controls)"
    common = {"seed": seed, "metric": control.metric, "attack_params": control.attack_params}
    if control.canaries and not splits.canaries:
        from mhprivbench.datasets.planted import with_canaries

        splits = with_canaries(splits, control.canaries, seed)
    positive = _release_and_score(attack, control.positive, splits, **common)
    negative = _release_and_score(attack, control.negative, splits, **common)
    base = positive.baseline if positive.baseline is not None else 0.0
    assert positive.value >= control.positive_floor, (
        f"{attack}: positive control {control.positive[1]!r} scores {control.metric} = {positive.value:.3f} "
        f"< {control.positive_floor}: the attack misses a release it must catch")
    assert positive.ci_low is not None and positive.ci_low > base, (
        f"{attack}: positive control's interval reaches the baseline {base:.3f}")
    neg_base = negative.baseline if negative.baseline is not None else 0.0
    assert abs(negative.value - neg_base) <= control.negative_tolerance, (
        f"{attack}: negative control {control.negative[1]!r} scores {control.metric} = {negative.value:.3f}, "
        f"baseline {neg_base:.3f}: the attack flags a release that holds nothing of the members")
    return positive, negative


# --- control mechanisms (test doubles) ---------------------------------------------------------------------

@registry.register("anonymizer", "ctrl_swap_authors")
@dataclass
class SwapAuthors(Anonymizer):
    """Negative control: every record's text is replaced by the text of a record by a different author (a seeded
    derangement over authors), with the pseudonym, demographics and intake fields dropped. The release holds
    real-looking text, but none of it is about the record's own author."""

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[] for _ in texts]

    def rewrite(self, records: Sequence[Record], detected, *, seed: int | None = 0) -> list[Record]:
        authors = sorted({_owner(r) for r in records})
        order = [authors[i] for i in np.random.default_rng(seed).permutation(len(authors))]
        donor = {order[i]: order[(i + 1) % len(order)] for i in range(len(order))}
        texts: dict[str, list[str]] = {}
        for record in records:
            texts.setdefault(_owner(record), []).append(record.text)
        out, used = [], {a: 0 for a in authors}
        for record in records:
            source = donor[_owner(record)] if len(authors) > 1 else _owner(record)
            pool = texts[source]
            text = pool[used[source] % len(pool)]
            used[source] += 1
            out.append(dataclasses.replace(record, text=text, author=None, group={}, fields={}, spans=()))
        return out


def _owner(record: Record) -> str:
    return record.author if record.author is not None else f"uid:{record.uid}"


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


@dataclass
class LookupModel:
    """A model that stores the hash of every training text and its label: it answers its members exactly."""

    classes_: list[str]
    table_: dict[str, int]
    confidence: float

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        k = len(self.classes_)
        out = np.full((len(texts), k), 1.0 / k)
        for row, text in enumerate(texts):
            column = self.table_.get(_digest(text))
            if column is not None:
                out[row] = (1 - self.confidence) / max(1, k - 1)
                out[row, column] = self.confidence
        return out


@registry.register("trainer", "ctrl_memorizer")
@dataclass
class Memorizer(Trainer):
    """Positive control for membership inference: a lookup table of the training texts (confident on members,
    uniform on everything else). Any membership attack must separate members from non-members on it."""

    confidence: float = 0.95

    def __post_init__(self) -> None:
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be in (0, 1), got {self.confidence!r}")

    def fit(self, records: Sequence[Record], *, seed: int | None = 0,
            labels: Sequence[str] | None = None) -> LookupModel:
        classes = sorted(set(labels) if labels else {r.label for r in records})
        column = {label: i for i, label in enumerate(classes)}
        table = {_digest(r.text): column[r.label] for r in records if r.label in column}
        return LookupModel(classes_=classes, table_=table, confidence=self.confidence)


@registry.register("trainer", "ctrl_public_data")
@dataclass
class PublicData(Trainer):
    """Negative control for membership inference: ignores its input and trains the reference classifier on an
    independently generated synthmh corpus (``public_seed``). Members and non-members are alike to it, so any
    membership attack must score near chance. Meant for synthmh splits (it predicts synthmh's conditions)."""

    public_seed: int = 987_654
    n_personas: int = 80

    def fit(self, records: Sequence[Record], *, seed: int | None = 0, labels: Sequence[str] | None = None):
        return _public_model(self.public_seed, self.n_personas, seed or 0)


@functools.lru_cache(maxsize=8)
def _public_model(public_seed: int, n_personas: int, seed: int):
    """The reference classifier on a public synthmh corpus, built once (reference-model attacks call the
    mechanism K times; the model is only read afterwards)."""
    from mhprivbench import load_dataset
    from mhprivbench.utility.classifiers import TfidfLogReg

    public = load_dataset("synthmh", n_personas=n_personas, seed=public_seed).records
    return TfidfLogReg().fit([r.text for r in public], [r.label for r in public], seed=seed)


IDENTITY = ("anonymizer", "identity", {})
SWAP = ("anonymizer", "ctrl_swap_authors", {})
COPY = ("generator", "copy_generator", {})  # mhprivbench.testing.copy_generator: the train records verbatim
PUBLIC_TEXT = ("generator", "ctrl_public_generator", {})  # ngram on an independent public synthmh corpus
TABLE_COPY = ("generator", "copy_table", {})  # mhprivbench.testing.copy_table: the train table verbatim
PUBLIC_TABLE = ("generator", "ctrl_public_table", {})  # rows of an independent public synthmh corpus
ONE_LABEL = ("generator", "ctrl_one_label_text", {})  # a collapsed text generator: one label's train texts
for _control in (
    Control("pii_leak", "pii.leak_rate_direct", IDENTITY, ("anonymizer", "mask_all_dummy", {}),
            positive_floor=0.9, negative_tolerance=0.05),
    Control("reid_linkage", "reid.linkage_top1", IDENTITY, SWAP, positive_floor=0.5, negative_tolerance=0.05),
    Control("reid_authorship", "reid.authorship_top1", IDENTITY, SWAP, positive_floor=0.2,
            negative_tolerance=0.05),
    Control("mia_loss", "mia.loss.auc", ("trainer", "ctrl_memorizer", {}), ("trainer", "ctrl_public_data", {}),
            positive_floor=0.9, negative_tolerance=0.1),
    # reference-model attacks: 8 reference models keep the check fast; retrain goes through the control mechanism
    Control("mia_lira", "mia.lira.auc", ("trainer", "ctrl_memorizer", {}), ("trainer", "ctrl_public_data", {}),
            positive_floor=0.9, negative_tolerance=0.1, attack_params={"n_reference": 8, "n_bootstrap": 100}),
    Control("mia_rmia", "mia.rmia.auc", ("trainer", "ctrl_memorizer", {}), ("trainer", "ctrl_public_data", {}),
            positive_floor=0.9, negative_tolerance=0.1, attack_params={"n_reference": 8, "n_bootstrap": 100}),
    # canary_leak: identity shows every planted secret; masking every token shows none (the non-member rate, 0)
    Control("canary_leak", "canary.secret_leak_rate", IDENTITY, ("anonymizer", "mask_all_dummy", {}),
            positive_floor=0.9, negative_tolerance=0.05, canaries=30),
    # dp_audit: a no-noise trainer claiming epsilon 0.1 must get a bound well above 0 (the multi-run ceiling at 10
    # runs a side is 0.49); a correct one at epsilon 0.25 can only exceed 0.25 with probability <= alpha.
    Control("dp_audit", "dp.audit_eps_lower_bound", ("trainer", "fake_dp_nonoise", {}),
            ("trainer", "dp_logreg", {"epsilon": 0.25}), positive_floor=0.3, negative_tolerance=0.25,
            attack_params={"n_runs": 10, "m_canaries": 100, "n_guesses": 50}),
    # synthetic text: a copy "generator" must be flagged, a generator that never saw the members must not
    Control("memorization", "synth.memorization", COPY, PUBLIC_TEXT, positive_floor=0.9, negative_tolerance=0.15,
            attack_params={"n_bootstrap": 100}),
    Control("mia_dcr", "mia.dcr.auc", COPY, PUBLIC_TEXT, positive_floor=0.9, negative_tolerance=0.15,
            attack_params={"n_bootstrap": 100}),
    # exposure in bits: log2(10^6) = 19.9 at most, chance 1.44; the chance mean of 64 canaries has sd 0.18 bits
    Control("canary_exposure", "synth.canary_exposure", COPY, PUBLIC_TEXT, positive_floor=10.0,
            negative_tolerance=1.0, attack_params={"n_canaries": 64, "repeats": 2, "n_bootstrap": 100}),
    # text re-identification risk: the identity release is attributed to its authors, other authors' texts are not
    Control("reid_trir", "reid.trir", IDENTITY, SWAP, positive_floor=0.3, negative_tolerance=0.05),
    Control("text_fidelity", "fidelity.token_retention", IDENTITY, SWAP, positive_floor=0.9,
            negative_tolerance=0.08),
    Control("mia_domias", "mia.domias.auc", COPY, PUBLIC_TEXT, positive_floor=0.9, negative_tolerance=0.15,
            attack_params={"n_bootstrap": 100}),
    # tables: a copy of the train table is singled out; rows of an independent corpus are not (residual risk)
    Control("anonymeter", "anon.singling_out", TABLE_COPY, PUBLIC_TABLE, positive_floor=0.5,
            negative_tolerance=0.15, attack_params={"n_attacks": 100}),
    # fidelity (lower is better): a collapsed generator is far from real text; a copy of real text scores like
    # real text (the baseline is the real-vs-real distance)
    Control("synth_fidelity", "fidelity.embedding_fd", ONE_LABEL, COPY, positive_floor=0.0,
            negative_tolerance=0.1, attack_params={"n_bootstrap": 50}),
):
    register_control(_control)


@registry.register("generator", "ctrl_public_table")
@dataclass
class PublicTable(TableGenerator):
    """Negative control for the table attacks: ignores its input and releases rows (drawn with the seed) of an
    independently generated synthmh corpus (``public_seed``): real-looking rows, none of a member."""

    public_seed: int = 12345

    def fit(self, records: Sequence[Record], *, seed: int | None = 0, labels=None) -> PublicTable:
        from mhprivbench import load_dataset
        from mhprivbench.tables import records_to_frame

        public = load_dataset("synthmh", n_personas=48, posts_per_persona=5, n_decoys=24, seed=self.public_seed)
        self.table_ = records_to_frame(public.records)
        return self

    def sample_table(self, n: int, *, seed: int | None):
        rows = np.random.default_rng(seed).integers(0, len(self.table_), n)
        return self.table_.iloc[rows].reset_index(drop=True)


@registry.register("generator", "ctrl_one_label_text")
@dataclass
class OneLabelText(Generator):
    """Positive control for text fidelity: a collapsed generator that cycles through the train texts of one label
    (the first in sorted order), without author or fields."""

    def fit(self, records: Sequence[Record], *, seed: int | None = 0, labels=None) -> OneLabelText:
        first = sorted({r.label for r in records})[0]
        self.pool_ = [dataclasses.replace(r, author=None, group={}, fields={}) for r in records if r.label == first]
        return self

    def sample(self, n: int, *, seed: int | None) -> list[Record]:
        return [dataclasses.replace(self.pool_[i % len(self.pool_)], uid=f"synth-{i}") for i in range(n)]
