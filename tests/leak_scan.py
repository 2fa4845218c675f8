"""Find dataset text in files and outputs: 6-word sequences of record texts, and PII span surface strings.

Texts are compared as sequences of word tokens (``\\w+``), so punctuation, JSON escaping and line breaks do not
hide a copy: a 6-token window of a file that is also a 6-token window of some record's text (case-folded) is a
hit. A span's surface string is a hit when its exact (case-sensitive) token sequence appears in a file, for
surfaces distinctive enough to mean something (at least 4 letters, or at least 7 digits: a phone number or a
date, never a bare age), leaving out occupations and genders: ordinary words ("accountant" is also the name of a
DP accounting parameter). Hits are reported by place and kind, never by their text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD = re.compile(r"\w+")
SHINGLE = 6
ORDINARY_ENTITIES = frozenset({"OCCUPATION", "GENDER"})


def tokens(text: str) -> list[str]:
    return WORD.findall(text)


def shingles(text: str, n: int = SHINGLE) -> set[int]:
    """Hashes of the case-folded n-token windows of ``text`` (hashes keep a million windows small)."""
    words = [w.casefold() for w in tokens(text)]
    return {hash(" ".join(words[i:i + n])) for i in range(len(words) - n + 1)}


def distinctive(surface: str) -> bool:
    letters = sum(ch.isalpha() for ch in surface)
    digits = sum(ch.isdigit() for ch in surface)
    return letters >= 4 or digits >= 7


@dataclass(repr=False)
class TextIndex:
    """Every 6-token window of the indexed texts, and their distinctive span surfaces by token count."""

    windows: set[int] = field(default_factory=set)
    surfaces: dict[int, set[str]] = field(default_factory=dict)
    n_texts: int = 0

    def __repr__(self) -> str:  # counts only: a failing test must not print the indexed text
        return f"TextIndex({self.n_texts} texts, {len(self.windows)} windows, " \
               f"{sum(map(len, self.surfaces.values()))} surfaces)"

    def add_records(self, records: Iterable) -> None:
        for record in records:
            self.windows |= shingles(record.text)
            self.n_texts += 1
            for span in record.spans:
                if span.entity not in ORDINARY_ENTITIES:
                    self.add_surface(record.text[span.start:span.end])

    def add_surface(self, surface: str) -> None:
        words = tokens(surface)
        if words and distinctive(surface):
            self.surfaces.setdefault(len(words), set()).add(" ".join(words))

    def hits(self, text: str) -> list[str]:
        """Where ``text`` holds indexed text: ``"window at token i"`` / ``"span surface (k tokens) at token i"``."""
        words = tokens(text)
        folded = [w.casefold() for w in words]
        found = [f"6-word window at token {i}" for i in range(len(folded) - SHINGLE + 1)
                 if hash(" ".join(folded[i:i + SHINGLE])) in self.windows]
        for k, wanted in self.surfaces.items():
            found += [f"span surface ({k} tokens) at token {i}" for i in range(len(words) - k + 1)
                      if " ".join(words[i:i + k]) in wanted]
        return found


def default_suite_index(repo) -> TextIndex:
    """Every text the default suite reads (its datasets at its parameters, dreaddit and counsel_chat where
    ../shared/data has them) and its planted canaries for every seed."""
    from mhprivbench.datasets.planted import planted_canaries
    from mhprivbench.errors import MhPrivBenchError
    from mhprivbench.specs import ComponentSpec, load_suite

    suite = load_suite(repo / "benchmarks" / "default.yaml")
    specs = [spec for spec, _ in suite.dataset_specs()]
    if not any(spec.name == "counsel_chat" for spec in specs):
        specs.append(ComponentSpec(kind="dataset", name="counsel_chat", params={}))
    found = TextIndex()
    for spec in specs:
        try:
            corpus = spec.build().load()
        except MhPrivBenchError:  # a real dataset that is not on this machine
            continue
        found.add_records(corpus.records)
        if spec.name == "synthmh" and suite.split.canaries:
            labels = sorted(corpus.declared_labels or {r.label for r in corpus.records})
            for seed in suite.seeds:
                members, non_members = planted_canaries(suite.split.canaries, labels, seed)
                found.add_records([*members, *non_members])
    return found
