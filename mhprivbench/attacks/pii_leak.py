"""pii_leak: share of ground-truth identifiers still readable in a release (and TAB-style entity-level recall).

An identifier is (owner = author or uid, entity, casefolded surface) of a span in ``splits.train``. It is readable
when its normalized surface appears as a token sequence (phone numbers: as a digit string) in the text the
attacker can tie to that owner: the owner's released records (aligned release), the whole synthetic corpus
(unaligned release), or the strings a released model stores (``exposed_strings()``: every token must be there).

The control runs the same check where the identifier was never present: for an aligned release each owner's
identifiers are checked against another owner's released records (a seeded cyclic derangement; pairs where that
owner carried the same string are skipped); otherwise the identifiers of ``splits.control`` (never seen by the
mechanism) are checked against the release. It separates coincidental matches (common first names) from leakage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks import _text
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Record, Release, Score, Splits

CLASSES = ("direct", "quasi")


@dataclass(frozen=True)
class Identifier:
    owner: str = field(repr=False)
    kind: str
    surface: str = field(repr=False)  # normalized (casefolded, whitespace collapsed)
    tokens: tuple[str, ...] = field(repr=False)
    digits: str | None = field(repr=False)


def owner_of(record: Record) -> str:
    return record.author if record.author is not None else f"uid:{record.uid}"


def collect_identifiers(records: Sequence[Record]) -> list[Identifier]:
    """Distinct (owner, entity, surface) identifiers; 'direct' when any mention is direct."""
    found: dict[tuple[str, str, str], Identifier] = {}
    for record in records:
        for span in record.spans:
            surface = _text.normalize(record.text[span.start:span.end])
            toks = _text.tokens(surface)
            if len(surface) < _text.MIN_SURFACE_CHARS or not toks:
                continue
            phone = _text.is_phone(span.entity, span.attribute)
            digits = _text.digits(surface) if phone and len(_text.digits(surface)) >= 2 else None
            key = (owner_of(record), span.entity, surface)
            kind = "direct" if span.kind == "direct" or (key in found and found[key].kind == "direct") else "quasi"
            found[key] = Identifier(key[0], kind, surface, toks, digits)
    return [found[key] for key in sorted(found)]


def readable_in(view: _text.TextView, ident: Identifier) -> bool:
    return view.has_tokens(ident.tokens) or (ident.digits is not None and view.has_digits(ident.digits))


def _model_checker(vocabulary: frozenset[str]) -> Callable[[Identifier], bool | None]:
    vocabulary = frozenset(t for v in vocabulary for t in _text.tokens(str(v)))

    def check(ident: Identifier) -> bool | None:
        usable = [t for t in ident.tokens if len(t) >= 2]  # word featurizers drop 1-char tokens
        return all(t in vocabulary for t in usable) if usable else None

    return check


def _tally(idents: Sequence[Identifier], check: Callable[[Identifier], bool | None]) -> dict[str, list[int]]:
    """{class: [leaked, total]} for 'all', 'direct', 'quasi'; a check returning None skips the identifier."""
    counts = {c: [0, 0] for c in ("all", *CLASSES)}
    for ident in idents:
        verdict = check(ident)
        if verdict is None:
            continue
        for c in ("all", ident.kind):
            counts[c][0] += int(verdict)
            counts[c][1] += 1
    return counts


def _aligned_checks(release: Release, splits: Splits, idents, seed: int):
    owner_by_uid = {r.uid: owner_of(r) for r in splits.train}
    texts: dict[str, list[str]] = defaultdict(list)
    for record in release.records or ():
        if record.uid in owner_by_uid:
            texts[owner_by_uid[record.uid]].append(record.text)
    views = {owner: _text.TextView(t) for owner, t in texts.items()}
    empty = _text.TextView([])

    def attack(ident: Identifier) -> bool:
        return readable_in(views.get(ident.owner, empty), ident)

    owners = sorted(views)
    carried: dict[str, set[str]] = defaultdict(set)
    for ident in idents:
        carried[ident.owner].add(ident.surface)
    order = [owners[i] for i in np.random.default_rng(seed).permutation(len(owners))]
    partner = {order[i]: order[(i + 1) % len(order)] for i in range(len(order))} if len(order) >= 2 else {}

    def control(ident: Identifier) -> bool | None:
        other = partner.get(ident.owner)
        if other is None or ident.surface in carried[other]:
            return None
        return readable_in(views[other], ident)

    return attack, control, idents


def _pooled_checks(release: Release, splits: Splits, target: Classifier | None):
    if release.kind == "model":
        model = target if hasattr(target, "exposed_strings") else release.model
        check = _model_checker(frozenset(model.exposed_strings()))
    else:
        view = _text.TextView(r.text for r in release.records or ())

        def check(ident: Identifier) -> bool:
            return readable_in(view, ident)

    return check, check, collect_identifiers(splits.control)


def _leak_scores(counts, control_counts) -> dict[str, Score]:
    out: dict[str, Score] = {}
    for c in ("all", *CLASSES):
        leaked, total = counts[c]
        if total == 0:
            continue
        c_leaked, c_total = control_counts[c]
        control = c_leaked / c_total if c_total else 0.0
        suffix = "" if c == "all" else f"_{c}"
        leak = stats.proportion_score(leaked, total, higher_is_better=False, baseline=control,
                                      control=control if c_total else None)
        out[f"pii.leak_rate{suffix}"] = leak
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


@register("attack", "pii_leak")
@dataclass
class PiiLeak(Attack):
    """Ground-truth PII still readable in the release; TAB-style entity-level recall; precision of detection."""

    applies_to: ClassVar[frozenset[str]] = frozenset({"records", "model"})

    def applies(self, release: Release, splits: Splits) -> bool:
        if release.kind not in self.applies_to or not any(r.spans for r in splits.train):
            return False
        if release.kind == "model":
            return release.model is not None and hasattr(release.model, "exposed_strings")
        return release.records is not None

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        if not self.applies(release, splits):
            return {}
        idents = collect_identifiers(splits.train)
        train_uids = {r.uid for r in splits.train}
        aligned = release.aligned and any(r.uid in train_uids for r in release.records or ())
        if release.kind == "records" and aligned:  # an "aligned" release sharing no uid is read as one corpus
            attack, control, control_idents = _aligned_checks(release, splits, idents, seed)
        else:
            attack, control, control_idents = _pooled_checks(release, splits, target)
        scores = _leak_scores(_tally(idents, attack), _tally(control_idents, control))
        if release.detected and scores:
            scores.update(_precision_scores(release, splits, scores.get("pii.recall")))
        return scores
