"""Deterministic, author-aware, label-stratified splits into train / test / control / aux.

Records are grouped by author (else by ``fields["thread_id"]``, else by uid) so that no group spans
train and test/control: utility is measured on unseen people, and control records are true non-members.
Groups are stratified by the rarest label they contain, so a rare crisis class lands in every split.
From each train author with at least two records, ``aux_per_author`` records become the attacker's
background knowledge (aux) instead of training data. ``Splits.labels`` is the corpus's declared label set
(sorted; empty when the dataset declares none), never the labels that happen to occur in the records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import numpy as np

from mhprivbench.datasets.planted import with_canaries
from mhprivbench.errors import ConfigError
from mhprivbench.types import Record, Splits

if TYPE_CHECKING:
    from mhprivbench.datasets.corpus import Corpus


def group_key(record: Record) -> str:
    if record.author is not None:
        return f"author:{record.author}"
    if "thread_id" in record.fields:
        return f"thread:{record.fields['thread_id']}"
    return f"uid:{record.uid}"


def _stratified_groups(records, rng) -> list[tuple[str, list[Record]]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[group_key(record)].append(record)
    label_counts = Counter(r.label for r in records)
    strata: dict[str, list[str]] = defaultdict(list)
    for key in sorted(groups):
        rarest = min((r.label for r in groups[key]), key=lambda lab: (label_counts[lab], lab))
        strata[rarest].append(key)
    ordered: list[tuple[str, list[Record]]] = []
    for label in sorted(strata, key=lambda lab: (label_counts[lab], lab)):
        keys = strata[label]
        for index in rng.permutation(len(keys)):
            ordered.append((keys[index], groups[keys[index]]))
    return ordered


def _deal(ordered, fractions: dict[str, float]) -> dict[str, list[Record]]:
    """Deal groups in stratum order to the split furthest below its target share of records."""
    out: dict[str, list[Record]] = {name: [] for name in fractions}
    for _, members in ordered:
        total = sum(len(v) for v in out.values()) + len(members)
        name = max(fractions, key=lambda n: fractions[n] * total - len(out[n]))
        out[name].extend(members)
    return out


def _take_aux(train: list[Record], per_author: int, rng) -> tuple[list[Record], list[Record]]:
    by_author: dict[str, list[Record]] = defaultdict(list)
    for record in train:
        by_author[record.author or ""].append(record)
    aux_uids: set[str] = set()
    for author, records in sorted(by_author.items()):
        if author and len(records) >= 2:
            take = min(per_author, len(records) - 1)
            for index in rng.choice(len(records), size=take, replace=False):
                aux_uids.add(records[int(index)].uid)
    return [r for r in train if r.uid not in aux_uids], [r for r in train if r.uid in aux_uids]


def split_corpus(
    corpus: Corpus, *, seed: int = 0, train: float = 0.5, test: float = 0.25, control: float = 0.25,
    aux_per_author: int = 1, canaries: int = 0,
) -> Splits:
    """The splits of ``corpus`` for ``seed``; ``canaries`` > 0 plants that many canaries in train and as many in
    control (``planted.with_canaries``)."""
    fractions = {"train": train, "test": test, "control": control}
    if any(v <= 0 for v in fractions.values()) or abs(sum(fractions.values()) - 1) > 1e-9:
        raise ConfigError(f"split fractions must be positive and sum to 1, got {fractions}")
    rng = np.random.default_rng(seed)
    dealt = _deal(_stratified_groups(corpus.records, rng), fractions)
    members, aux = _take_aux(dealt["train"], aux_per_author, rng)
    for name, part in (("train", members), ("test", dealt["test"]), ("control", dealt["control"])):
        if not part:
            raise ConfigError(f"dataset {corpus.name!r} is too small: split {name!r} is empty")
    splits = Splits(
        train=tuple(members), test=tuple(dealt["test"]), control=tuple(dealt["control"]), aux=tuple(aux),
        registry=corpus.personas, persona_of=dict(corpus.persona_of), crisis_label=corpus.crisis_label,
        labels=tuple(sorted(corpus.declared_labels or ())),
    )
    return with_canaries(splits, canaries, seed)
