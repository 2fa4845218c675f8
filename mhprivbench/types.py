"""Core value types shared by every plugin (frozen dataclasses, no behaviour beyond small helpers)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

ReleaseKind = Literal["records", "table", "model"]
IdentifierKind = Literal["direct", "quasi"]
Neighbouring = Literal["add_remove", "replace_one"]  # DP neighbouring relation: add/remove one unit, or replace one
PrivacyUnit = Literal["record", "author"]  # what one neighbouring step adds, removes or replaces
NEIGHBOURING_RELATIONS: tuple[str, ...] = get_args(Neighbouring)
PRIVACY_UNITS: tuple[str, ...] = get_args(PrivacyUnit)


@dataclass(frozen=True)
class Span:
    """A ground-truth or detected PII mention: ``text[start:end]`` is the surface string."""

    start: int
    end: int
    entity: str
    kind: IdentifierKind = "quasi"
    attribute: str | None = None  # persona attribute it reveals, e.g. "name", "phone"


@dataclass(frozen=True)
class Record:
    uid: str
    text: str
    label: str
    author: str | None = None
    group: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, Any] = field(default_factory=dict)
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Persona:
    """An identity in the attacker's registry: attribute name -> value (raw, in-process only)."""

    pid: str
    attributes: Mapping[str, str]
    kinds: Mapping[str, IdentifierKind] = field(default_factory=dict)  # attribute -> direct | quasi


@dataclass(frozen=True)
class Splits:
    """Deterministic partition of a corpus.

    train: members (the only data a mechanism sees); test: real unseen records for utility;
    control: non-members from the same distribution; aux: attacker's other posts by train authors.
    registry: personas of train authors mixed with decoys; persona_of: author -> persona id.
    """

    train: tuple[Record, ...]
    test: tuple[Record, ...]
    control: tuple[Record, ...]
    aux: tuple[Record, ...]
    registry: tuple[Persona, ...] = ()
    persona_of: Mapping[str, str] = field(default_factory=dict)
    crisis_label: str | None = None
    labels: tuple[str, ...] = ()  # the declared public label set (card, loader, `labels` param); () if none
    canaries: tuple[str, ...] = ()  # uids of planted canaries (suite option ``split: {canaries: N}``), in train and control

    def sizes(self) -> dict[str, int]:
        return {
            "train": len(self.train),
            "test": len(self.test),
            "control": len(self.control),
            "aux": len(self.aux),
            "registry": len(self.registry),
        }


class Classifier(Protocol):
    classes_: Sequence[str]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Release:
    """What a mechanism hands out: records (aligned by uid for anonymizers), a table, or a model.

    A DP release declares ``(epsilon, delta)`` together with its ``neighbouring`` relation and ``privacy_unit``:
    the guarantee means nothing without saying what two neighbouring datasets differ in.
    """

    kind: ReleaseKind
    records: Sequence[Record] | None = None
    table: pd.DataFrame | None = None
    model: Classifier | None = None
    epsilon: float | None = None
    delta: float | None = None
    detected: Mapping[str, tuple[Span, ...]] = field(default_factory=dict)
    aligned: bool = False  # True when records[i] is the rewrite of the train record with the same uid
    neighbouring: Neighbouring | None = None  # "add_remove" | "replace_one" (DP releases)
    privacy_unit: PrivacyUnit | None = None  # "record" | "author" (DP releases)
    # generator releases: the fitted generator, for white-box audits of a mechanism an attack retrains itself
    # (canary_exposure reads it from ``retrain``'s release); not released: attacks on the records never read it
    generator: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Score:
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    higher_is_better: bool = True
    baseline: float | None = None
    control: float | None = None
    n: int | None = None  # number of trials the interval is computed over

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def hash_id(value: str, *, salt: str = "mhprivbench") -> str:
    """Short stable hashed id, safe to write to results (never the raw value)."""
    return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()[:16]
