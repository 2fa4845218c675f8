"""Inverted index from normalized persona attribute values to personas, for fast record -> persona scoring.

Per (persona, attribute) "slot" the attacker scores the best evidence in a text:
- exact normalized value as a token sequence (phone numbers: digit string; ages: the number; ISO dates: any of
  the usual written forms, half weight without the day or the year) -> the attribute weight (direct or quasi);
- names of two or more tokens: each name token found alone (first-name weight, surname weight for the last
  token), summed and capped at the attribute weight;
- fuzzy names: a name token of >= 5 characters found at edit distance 1 (a dropped, inserted or substituted
  character, or two adjacent ones swapped) earns half its weight (single-token names too);
- a single name token written only in lowercase in the text ("park", "hope", "will") counts ``lowercase_factor``
  of its weight: names are usually capitalized, common words that happen to be names usually are not.
Each distinct string counts once per persona (its best role), and with ``specificity`` its weight is scaled by
log((N + 1) / df) / log(N + 1), df = registry personas that have the string: a unique phone number keeps its full
weight, "female" shared by half the registry almost vanishes (the attacker knows the public registry).
A persona's score is the sum over its slots. Lookups go from the text's n-grams into the index, so scoring costs
O(text length), not O(registry size).

The attacker scores what a release holds about one person together: ``score_arrays(texts, fields)`` takes every
text of a pool (records sharing a pseudonym; each slot keeps its best evidence across the pool) and the released
structured fields (``_release_fields``: a released ``gender`` or ``age_band`` consistent with a persona's attribute
is evidence for that slot, at the attribute's weight scaled by the share of the registry it fits, like a string).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mhprivbench import identifiers
from mhprivbench.attacks import _release_fields, _text
from mhprivbench.types import Persona

DIRECT_ATTRIBUTES = frozenset(a for a, kind in identifiers.ATTRIBUTE_KINDS.items() if kind == identifiers.DIRECT)
MIN_FUZZY_CHARS = 5
MIN_PHONE_DIGITS = 6
MAX_NAME_TOKENS = 64


@dataclass(frozen=True)
class Weights:
    direct: float = 4.0
    quasi: float = 1.0
    first_name: float = 1.0
    surname: float = 1.5
    fuzzy_factor: float = 0.5
    lowercase_factor: float = 0.5  # a single name token written only in lowercase ("park", "hope") counts less


def attribute_kind(persona: Persona, attribute: str) -> str:
    """The kind the registry declares for this attribute, else the one table (``mhprivbench.identifiers``)."""
    kind = persona.kinds.get(attribute)
    if kind in ("direct", "quasi"):
        return kind
    return identifiers.attribute_kind(attribute)


class _Evidence:
    """Candidate index entries of one persona, keeping the best weight per distinct string."""

    def __init__(self) -> None:
        self.exacts: dict[tuple[str, object], tuple[int, float]] = {}
        self.parts: dict[str, tuple[int, int, float]] = {}
        self.fuzzies: dict[str, tuple[int, int, float]] = {}
        self.name_keys: set[tuple[str, object]] = set()  # exact keys that are (single-token) names

    def exact(self, table: str, key, slot: int, weight: float) -> None:
        if weight > self.exacts.get((table, key), (0, 0.0))[1]:
            self.exacts[(table, key)] = (slot, weight)

    def part(self, token: str, slot: int, j: int, weight: float) -> None:
        if weight > self.parts.get(token, (0, 0, 0.0))[2]:
            self.parts[token] = (slot, j, weight)

    def fuzzy(self, token: str, slot: int, j: int, weight: float) -> None:
        if weight > self.fuzzies.get(token, (0, 0, 0.0))[2]:
            self.fuzzies[token] = (slot, j, weight)

    def strings(self) -> set[str]:
        """The distinct strings this persona can be matched on (for registry frequencies)."""
        return {_string(t, k) for t, k in self.exacts} | set(self.parts) | set(self.fuzzies)


def _string(table: str, key) -> str:
    return f"#{key}" if table == "digits" else " ".join(key)


class PersonaIndex:
    """Built once per registry; ``score_arrays(text)`` costs a few dict look-ups per token plus small numpy ops."""

    def __init__(self, registry: Sequence[Persona], weights: Weights = Weights(), *, specificity: bool = True) -> None:
        self.size = len(registry)
        self.weights = weights
        self._specificity = specificity
        slot_of: list[dict[str, int]] = []  # per persona: attribute -> slot
        slot_persona: list[int] = []
        caps: list[float] = []
        self._exact_rows: list[tuple[int, float, bool]] = []  # (slot, weight, single name token)
        self._part_rows: list[tuple[int, int, float]] = []  # (slot, name token position, weight)
        self._tables: dict[str, dict] = {name: defaultdict(list) for name in ("seq", "digits", "tok", "fuzzy")}
        evidences = []
        for index, persona in enumerate(registry):
            evidence = _Evidence()
            slot_of.append({})
            for attribute, value in sorted(persona.attributes.items()):
                caps.append(self._kind_weight(attribute_kind(persona, attribute)))
                slot_persona.append(index)
                slot_of[-1][attribute] = len(slot_persona) - 1
                self._collect(evidence, len(slot_persona) - 1, attribute, str(value), caps[-1])
            evidences.append(evidence)
        counts = Counter(string for evidence in evidences for string in evidence.strings())
        for evidence in evidences:
            self._register(evidence, lambda string: self._specific(counts[string]))
        self._seq, self._digits = self._tables["seq"], self._tables["digits"]
        self._tok, self._fuzzy = self._tables["tok"], self._tables["fuzzy"]
        self._slot_persona = np.asarray(slot_persona, dtype=np.intp)
        self._cap = np.asarray(caps, dtype=float)  # also the attribute's kind weight
        self._fields = _release_fields.FieldEvidence(registry, slot_of, self._cap, self._slot_persona,
                                                     self._specific)
        exact = np.asarray(self._exact_rows, dtype=float).reshape(-1, 3)
        self._exact_slot, self._exact_w = exact[:, 0].astype(np.intp), exact[:, 1]
        self._exact_lower_w = np.where(exact[:, 2] > 0, exact[:, 1] * weights.lowercase_factor, exact[:, 1])
        part = np.asarray(self._part_rows, dtype=float).reshape(-1, 3)
        self._part_key = part[:, 0].astype(np.intp) * MAX_NAME_TOKENS + part[:, 1].astype(np.intp)
        self._part_w = part[:, 2]
        starts: dict[str, set[int]] = defaultdict(set)
        for key in self._seq:
            starts[key[0]].add(len(key))
        self._starts = {token: tuple(sorted(lengths)) for token, lengths in starts.items()}
        self._digit_lengths = sorted({len(k) for k in self._digits})

    def _kind_weight(self, kind: str) -> float:
        return self.weights.direct if kind == "direct" else self.weights.quasi

    def _specific(self, df: int) -> float:
        """Weight factor of evidence that ``df`` registry personas share (1.0 without ``specificity``)."""
        if not self._specificity:
            return 1.0
        return math.log((self.size + 1) / df) / math.log(self.size + 1)

    def _collect(self, ev: _Evidence, slot: int, attribute: str, value: str, weight: float) -> None:
        half = weight * self.weights.fuzzy_factor
        if _text.is_phone(attribute=attribute):
            number = _text.digits(value)
            if len(number) >= MIN_PHONE_DIGITS:
                ev.exact("digits", number, slot, weight)
            return
        if _text.is_age_attribute(attribute):
            age = _text.first_int(value)
            if age is not None:
                ev.exact("seq", (age,), slot, weight)
            return
        if _text.is_date(value):
            full, partial = _text.date_variants(value)
            for variant in full:
                ev.exact("seq", variant, slot, weight)
            for variant in partial - full:
                ev.exact("seq", variant, slot, half)  # no day or no year: consistent, weaker
            return
        toks = _text.tokens(value)
        if not toks or len(" ".join(toks)) < _text.MIN_SURFACE_CHARS:
            return
        ev.exact("seq", toks, slot, weight)
        if _text.is_address_attribute(attribute) and len(toks) > 2 and toks[0].isdigit():
            ev.exact("seq", toks[1:], slot, half)  # the street without the house number
        if _text.is_name_attribute(attribute):
            self._collect_name(ev, slot, toks, weight)

    def _collect_name(self, ev: _Evidence, slot: int, toks: tuple[str, ...], weight: float) -> None:
        ev.name_keys.add(("seq", toks))
        scale = weight / self.weights.direct  # a quasi name's tokens weigh proportionally less
        for j, token in enumerate(toks):
            token_weight = weight
            if len(toks) > 1:
                last = j == len(toks) - 1
                token_weight = scale * (self.weights.surname if last else self.weights.first_name)
                ev.part(token, slot, j, token_weight)
            if len(token) >= MIN_FUZZY_CHARS:
                ev.fuzzy(token, slot, j, token_weight * self.weights.fuzzy_factor)

    def _register(self, ev: _Evidence, factor: Callable[[str], float]) -> None:
        """One persona's evidence, each distinct string once at its best weight (a first name that is also the
        nickname and the first token of the full name is one piece of evidence, not three), scaled by how
        specific the string is in the registry (``factor``)."""
        for (table, key), (slot, weight) in ev.exacts.items():
            self._tables[table][key].append(len(self._exact_rows))
            name_token = table == "seq" and len(key) == 1 and (table, key) in ev.name_keys
            self._exact_rows.append((slot, weight * factor(_string(table, key)), name_token))
        for token, (slot, j, weight) in ev.parts.items():
            held = ev.exacts.get(("seq", (token,)))
            if held is None or held[1] < weight:
                self._tables["tok"][token].append(len(self._part_rows))
                self._part_rows.append((slot, min(j, MAX_NAME_TOKENS - 1), weight * factor(token)))
        for token, (slot, j, weight) in ev.fuzzies.items():
            keys = [("o", token)] + [("t", t) for t in _text.transpositions(token)]
            for i in range(len(token)):
                variant = token[:i] + token[i + 1:]
                keys += [("s", variant, i), ("d", variant)]
            for key in keys:
                self._tables["fuzzy"][key].append(len(self._part_rows))
            self._part_rows.append((slot, min(j, MAX_NAME_TOKENS - 1), weight * factor(token)))

    def _lookup(self, texts: Sequence[str]) -> tuple[list[int], list[int], list[int], list[int]]:
        """Index rows hit by ``texts``: exact, exact via a lowercase single token, name parts, lowercase parts."""
        exact: list[int] = []
        exact_lower: list[int] = []
        vocabulary: set[str] = set()
        capitalized: set[str] = set()
        for text in texts:
            toks = _text.tokens(text)
            caps = _text.capitalized_tokens(text)
            self._sequence_hits(text, toks, caps, exact, exact_lower)
            vocabulary.update(toks)
            capitalized |= caps
        part: list[int] = []
        part_lower: list[int] = []
        for token in vocabulary:  # a token capitalized in any text of the pool counts as capitalized
            out = part if token in capitalized else part_lower
            out.extend(self._tok.get(token, ()))
            if len(token) >= MIN_FUZZY_CHARS - 1:  # keys make the match exact: edit distance 1
                out.extend(self._fuzzy.get(("d", token), ()))  # the text dropped a character
                out.extend(self._fuzzy.get(("t", token), ()))  # swapped two adjacent ones
                for i in range(len(token)):
                    variant = token[:i] + token[i + 1:]
                    out.extend(self._fuzzy.get(("s", variant, i), ()))  # substituted one at position i
                    out.extend(self._fuzzy.get(("o", variant), ()))  # inserted one
        return exact, exact_lower, part, part_lower

    def _sequence_hits(self, text: str, toks: tuple[str, ...], capitalized: set[str], exact: list[int],
                       exact_lower: list[int]) -> None:
        """Exact token sequences and digit strings of one text (never across two texts of a pool)."""
        for start, token in enumerate(toks):
            for n in self._starts.get(token, ()):  # only the lengths of keys that begin with this token
                hits = self._seq.get(toks[start:start + n], ())
                (exact_lower if n == 1 and token not in capitalized else exact).extend(hits)
        if self._digit_lengths:
            for run in _text.digit_runs(text):
                for n in self._digit_lengths:
                    for start in range(len(run) - n + 1):
                        exact.extend(self._digits.get(run[start:start + n], ()))

    def score_arrays(self, texts: str | Sequence[str], fields: Sequence[tuple[str, str]] = ()
                     ) -> tuple[np.ndarray, np.ndarray]:
        """(persona indices, scores > 0) for one text, or the texts of one pool plus its released fields;
        personas sorted ascending. Each slot counts its best evidence (text or field)."""
        slots, value = self._text_slots((texts,) if isinstance(texts, str) else texts)
        vectors = self._fields.vectors(fields)
        if vectors is None:
            personas, inverse = np.unique(self._slot_persona[slots], return_inverse=True)
            totals = np.round(np.bincount(inverse, weights=value, minlength=len(personas)), 6)
            keep = totals > 0
            return personas[keep], totals[keep]
        slot_field, persona_field = vectors  # text evidence adds only what it has above the field's
        gain = np.maximum(value - slot_field[slots], 0.0)
        totals = np.round(persona_field + np.bincount(self._slot_persona[slots], weights=gain,
                                                      minlength=self.size), 6)
        personas = np.flatnonzero(totals > 0)
        return personas, totals[personas]

    def _text_slots(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(slots, best text evidence per slot) of ``texts``."""
        exact, exact_lower, part, part_lower = (np.asarray(ids, dtype=np.intp) for ids in self._lookup(texts))
        exact_w = np.concatenate([self._exact_w[exact], self._exact_lower_w[exact_lower]])
        exact = np.concatenate([exact, exact_lower])
        part_w = np.concatenate([self._part_w[part], self._part_w[part_lower] * self.weights.lowercase_factor])
        part = np.concatenate([part, part_lower])
        keys, inverse = np.unique(self._part_key[part], return_inverse=True)
        best = _group_max(inverse, part_w, len(keys))  # best evidence per name token
        part_slots, inverse = np.unique(keys // MAX_NAME_TOKENS, return_inverse=True)
        partial = np.minimum(np.bincount(inverse, weights=best, minlength=len(part_slots)), self._cap[part_slots])
        slots, inverse = np.unique(np.concatenate([self._exact_slot[exact], part_slots]), return_inverse=True)
        return slots, _group_max(inverse, np.concatenate([exact_w, partial]), len(slots))

    def score(self, texts: str | Sequence[str], fields: Sequence[tuple[str, str]] = ()) -> dict[int, float]:
        """{persona index: score > 0} for one text (or a pool of texts, with released fields)."""
        personas, totals = self.score_arrays(texts, fields)
        return dict(zip(personas.tolist(), totals.tolist(), strict=True))


def _group_max(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size)
    np.maximum.at(out, groups, values)
    return out
