"""pii_leak: share of ground-truth identifiers still readable in a release (and TAB-style entity-level recall).

What counts as readable (identifiers, the exact and near-copy rules) lives in ``_pii_reading``; this module
scores releases with it.

An identifier is (owner = author or uid, entity, casefolded surface) of a span in ``splits.train``. It is looked
for in the text the attacker can tie to that owner: the owner's released records (aligned release), the whole
synthetic corpus (unaligned release), or the strings a released model stores (``exposed_strings()``).

Two rules decide whether it is readable there:

- *exact* (``pii.leak_rate_exact*``): its normalized surface appears as a token sequence (phone numbers: as a digit
  string; for a model: every token of it is stored);
- *near copy* (the headline ``pii.leak_rate*``; ``pii.recall*`` = 1 - it, TAB-style: an identifier is protected
  only when every mention is fully removed): the exact rule, or any *distinctive* token of it survives exactly or
  at edit distance 1 (substitution, insertion, deletion, adjacent transposition; letter tokens of >= 4
  characters), or its digits (>= 4 of them) survive reformatted as one digit string (separators ignored), or at
  edit distance 1 for >= 7 digits. Distinctive = >= 3 letters or >= 4 digits, and not a common token: a stop word
  (``_text.STOP_WORDS``), a token of the non-PII text of >= 2 owners, or a token carried by the identifiers of
  >= 5% (and >= 3) of the owners (mail domains, street suffixes, gender words). A near match at edit distance 1
  must itself not be a common token ("leads" does not copy "Leeds").

``pii.token_leak_rate*`` is the share of distinctive identifier tokens (over all identifiers) still readable
exactly or at edit distance 1. ``entities`` restricts every rate to identifiers of those entity types.

The control runs the same checks where the identifier was never present: for an aligned release each owner's
identifiers are checked against another owner's released records (a seeded cyclic derangement; pairs where that
owner carried the same string are skipped); otherwise the identifiers of ``splits.control`` (never seen by the
mechanism) are checked against the release. It separates coincidental matches (common first names, a shared
surname, a token one edit away from another person's) from leakage, and is each rate's baseline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks._background import background
from mhprivbench.attacks._pii_reading import (  # noqa: F401  (re-exported)
    Evidence,
    Identifier,
    NearCopies,
    Reading,
    collect_identifiers,
    common_tokens,
    model_checker,
    near_reading,
    owner_of,
    readable_in,
)
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Release, Score, Splits

CLASSES = ("direct", "quasi")
RULES = ("near", "exact", "token")
SCORE_PREFIX = {"near": "pii.leak_rate", "exact": "pii.leak_rate_exact", "token": "pii.token_leak_rate"}


def _tally(idents: Sequence[Identifier], check: Callable[[Identifier], Reading | None]):
    """{rule: {class: [leaked, total]}} for 'all', 'direct', 'quasi'; a check returning None skips the identifier.
    Rules 'near' and 'exact' count identifiers, 'token' counts distinctive tokens."""
    counts = {rule: {c: [0, 0] for c in ("all", *CLASSES)} for rule in RULES}
    for ident in idents:
        reading = check(ident)
        if reading is None:
            continue
        for c in ("all", ident.kind):
            for rule, verdict in (("near", reading.near), ("exact", reading.exact)):
                counts[rule][c][0] += int(verdict)
                counts[rule][c][1] += 1
            counts["token"][c][0] += reading.tokens_read
            counts["token"][c][1] += reading.tokens
    return counts


def _aligned_checks(release: Release, splits: Splits, idents, near: NearCopies, seed: int):
    """(attack, control, control identifiers): each owner's identifiers read in the owner's released records;
    the control reads them in another owner's (seeded cyclic derangement)."""
    owner_by_uid = {r.uid: owner_of(r) for r in splits.train}
    texts: dict[str, list[str]] = defaultdict(list)
    for record in release.records or ():
        if record.uid in owner_by_uid:
            texts[owner_by_uid[record.uid]].append(record.text)
    views = {owner: Evidence(t, near) for owner, t in texts.items()}
    empty = Evidence([], near)

    def attack(ident: Identifier) -> Reading:
        return views.get(ident.owner, empty).read(ident)

    owners = sorted(views)
    carried: dict[str, set[str]] = defaultdict(set)
    for ident in idents:
        carried[ident.owner].add(ident.surface)
    order = [owners[i] for i in np.random.default_rng(seed).permutation(len(owners))]
    partner = {order[i]: order[(i + 1) % len(order)] for i in range(len(order))} if len(order) >= 2 else {}

    def control(ident: Identifier) -> Reading | None:
        other = partner.get(ident.owner)
        if other is None or ident.surface in carried[other]:
            return None
        return views[other].read(ident)

    return attack, control, idents


def _pooled_checks(release: Release, splits: Splits, target: Classifier | None, near: NearCopies,
                   control_idents: list[Identifier]):
    """(attack, control, control identifiers) for a release read as one corpus or a model's stored strings."""
    if release.kind == "model":
        model = target if hasattr(target, "exposed_strings") else release.model
        check = model_checker(frozenset(model.exposed_strings()), near)
    else:
        check = Evidence((r.text for r in release.records or ()), near).read
    return check, check, control_idents


def _leak_scores(counts, control_counts) -> dict[str, Score]:
    """Leak rates per rule and class with Wilson intervals, the control as baseline; recall from the near rule."""
    out: dict[str, Score] = {}
    for rule in RULES:
        for c in ("all", *CLASSES):
            leaked, total = counts[rule][c]
            if total == 0:
                continue
            c_leaked, c_total = control_counts[rule][c]
            control = c_leaked / c_total if c_total else 0.0
            suffix = "" if c == "all" else f"_{c}"
            leak = stats.proportion_score(leaked, total, higher_is_better=False, baseline=control,
                                          control=control if c_total else None)
            out[f"{SCORE_PREFIX[rule]}{suffix}"] = leak
            if rule == "near":
                out[f"pii.recall{suffix}"] = Score(
                    value=1 - leak.value, ci_low=1 - leak.ci_high, ci_high=1 - leak.ci_low, higher_is_better=True,
                    baseline=0.0, control=1 - control if c_total else None, n=total)
    return out


def _f2(p: float, r: float) -> float:
    return 5 * p * r / (4 * p + r) if 4 * p + r > 0 else 0.0


def _precision_scores(release: Release, splits: Splits, recall: Score | None) -> dict[str, Score]:
    truth = {r.uid: r for r in splits.train}
    hits = total = covered = chars = 0
    for uid, detected in release.detected.items():
        record = truth.get(uid)
        if record is None:
            continue
        chars += len(record.text)
        covered += len({i for s in record.spans for i in range(s.start, s.end)})
        for span in detected:
            total += 1
            hits += any(span.start < g.end and g.start < span.end for g in record.spans)
    if total == 0:
        return {}
    base = covered / chars if chars else 0.0  # a random 1-character span overlaps PII with this probability
    precision = stats.proportion_score(hits, total, higher_is_better=True, baseline=base)
    out = {"pii.precision": precision}
    if recall is not None:
        out["pii.f2"] = Score(
            value=_f2(precision.value, recall.value), ci_low=_f2(precision.ci_low, recall.ci_low),
            ci_high=_f2(precision.ci_high, recall.ci_high), higher_is_better=True, baseline=_f2(base, 1.0),
            n=recall.n)
    return out


@dataclass(frozen=True)
class _Ground:
    """Everything pii_leak derives from the splits alone (built once per Splits object)."""

    train: list[Identifier]
    control: list[Identifier]
    near: NearCopies


def _ground(splits: Splits) -> _Ground:
    """Identifiers, common tokens and the near-copy index of ``splits`` (cached per Splits object)."""
    def build() -> _Ground:
        common = common_tokens(splits.train)
        train = collect_identifiers(splits.train, common)
        control = collect_identifiers(splits.control, common)
        return _Ground(train, control, NearCopies(train + control, common))

    return background(splits, ("pii_leak", "ground"), build)


@register("attack", "pii_leak")
@dataclass
class PiiLeak(Attack):
    """Ground-truth PII still readable in the release (near copies and exact copies); TAB-style entity-level recall;
    precision of detection. ``entities``: score only identifiers of these entity types (None: all)."""

    entities: list[str] | None = None
    applies_to: ClassVar[frozenset[str]] = frozenset({"records", "model"})

    def applies(self, release: Release, splits: Splits) -> bool:
        if release.kind not in self.applies_to or not any(r.spans for r in splits.train):
            return False
        if release.kind == "model":
            return release.model is not None and hasattr(release.model, "exposed_strings")
        return release.records is not None

    def _selected(self, idents: list[Identifier]) -> list[Identifier]:
        """The identifiers of the requested entity types."""
        if self.entities is None:
            return idents
        wanted = {e.upper() for e in self.entities}
        return [i for i in idents if i.entity.upper() in wanted]

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        if not self.applies(release, splits):
            return {}
        ground = _ground(splits)
        idents = self._selected(ground.train)
        train_uids = {r.uid for r in splits.train}
        aligned = release.aligned and any(r.uid in train_uids for r in release.records or ())
        if release.kind == "records" and aligned:  # an "aligned" release sharing no uid is read as one corpus
            attack, control, control_idents = _aligned_checks(release, splits, idents, ground.near, seed)
        else:
            attack, control, control_idents = _pooled_checks(release, splits, target, ground.near,
                                                              self._selected(ground.control))
        scores = _leak_scores(_tally(idents, attack), _tally(control_idents, control))
        if release.detected and scores:
            scores.update(_precision_scores(release, splits, scores.get("pii.recall")))
        return scores
