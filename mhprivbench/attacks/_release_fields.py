"""Released structured fields (``Record.group``, ``Record.fields``) as quasi-identifier evidence for personas.

A released ``(key, value)`` says something about a persona when the key names one of its attributes:
- the same key (``gender``, ``city``, ``age``): the value matches when its tokens equal the attribute's tokens, or,
  for an age-like attribute, when the value is a band that contains the age ("25-34", "55+");
- ``<attribute>_band`` / ``<attribute>_range`` (``age_band``): the band contains the attribute's number.
Keys that name no attribute (``phq9``, ``post_kind``) say nothing about identity and are ignored. A value is
evidence *for* the personas it is consistent with, never against the others (the release may be wrong or coarse).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

import numpy as np

from mhprivbench.attacks import _text
from mhprivbench.types import Persona, Record

_BAND = re.compile(r"\s*(\d+)\s*(?:-|–|to)\s*(\d+)\s*")
_OPEN_BAND = re.compile(r"\s*(\d+)\s*\+\s*")
_SUFFIXES = ("_band", "_range")
_SCALARS = (str, int, float)
MAX_CACHED_POOLS = 64  # distinct field combinations whose dense vectors are kept
_NONE = (np.zeros(0, dtype=np.intp), np.zeros(0))


def released_fields(records: Iterable[Record]) -> tuple[tuple[str, str], ...]:
    """Distinct (key, value) pairs in the ``group`` and ``fields`` of ``records``, sorted (scalars only)."""
    pairs = {(str(key), str(value)) for record in records for mapping in (record.group, record.fields)
             for key, value in mapping.items() if isinstance(value, _SCALARS) and not isinstance(value, bool)}
    return tuple(sorted(pairs))


def band(value: str) -> tuple[int, float] | None:
    """(low, high) of "25-34" / "25 to 34" (inclusive) or "55+" (no upper end); None for anything else."""
    match = _BAND.fullmatch(value)
    if match:
        return int(match.group(1)), int(match.group(2))
    match = _OPEN_BAND.fullmatch(value)
    return (int(match.group(1)), float("inf")) if match else None


def target_attribute(key: str, attributes: Container[str]) -> str | None:
    """The persona attribute (among ``attributes``' names) a released key speaks about, if any."""
    if key in attributes:
        return key
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in attributes:
            return key[: -len(suffix)]
    return None


def consistent(attribute: str, persona_value: str, key: str, value: str) -> bool:
    """Whether the released ``key = value`` fits the persona's ``attribute`` value."""
    limits = band(value)
    if limits is not None and (key != attribute or _text.is_age_attribute(attribute)):
        number = _text.first_int(persona_value)
        return number is not None and limits[0] <= int(number) <= limits[1]
    if key != attribute:
        return False
    released = _text.tokens(value)
    return bool(released) and released == _text.tokens(persona_value)


class FieldEvidence:
    """Released fields scored against a persona index's slots (one slot per persona attribute).

    ``rows(key, value)``: the slots of the personas the pair is consistent with, each at its slot weight (the
    attribute's kind weight) times ``specific(number of such personas)``; cached per pair. ``vectors(fields)``:
    for a pool's pairs, the best field evidence per slot (dense) and its sum per persona, or None when no pair
    speaks about any persona.
    """

    def __init__(self, registry: Sequence[Persona], slot_of: Sequence[Mapping[str, int]], slot_weight: np.ndarray,
                 slot_persona: np.ndarray, specific: Callable[[int], float]) -> None:
        self._registry = tuple(registry)
        self._names = frozenset(name for persona in registry for name in persona.attributes)
        self._slot_of = slot_of
        self._slot_weight = slot_weight
        self._slot_persona = slot_persona
        self._specific = specific
        self._rows: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._vectors: dict[tuple[tuple[str, str], ...], tuple[np.ndarray, np.ndarray]] = {}

    def rows(self, key: str, value: str) -> tuple[np.ndarray, np.ndarray]:
        if target_attribute(key, self._names) is None:  # thread ids, scores: no registry scan, nothing cached
            return _NONE
        cached = self._rows.get((key, value))
        if cached is None:
            slots = []
            for index, persona in enumerate(self._registry):
                attribute = target_attribute(key, persona.attributes)
                if attribute is not None and consistent(attribute, str(persona.attributes[attribute]), key, value):
                    slots.append(self._slot_of[index][attribute])
            found = np.asarray(slots, dtype=np.intp)
            factor = self._specific(len(found)) if len(found) else 0.0
            cached = self._rows[(key, value)] = (found, self._slot_weight[found] * factor)
        return cached

    def vectors(self, fields: Iterable[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray] | None:
        relevant = tuple(pair for pair in fields if len(self.rows(*pair)[0]))
        if not relevant:
            return None
        cached = self._vectors.get(relevant)
        if cached is None:
            per_slot = np.zeros(len(self._slot_weight))
            for pair in relevant:
                slots, weights = self.rows(*pair)
                np.maximum.at(per_slot, slots, weights)  # two keys about one attribute count once
            per_persona = np.bincount(self._slot_persona, weights=per_slot, minlength=len(self._registry))
            if len(self._vectors) >= MAX_CACHED_POOLS:
                self._vectors.clear()
            cached = self._vectors[relevant] = (per_slot, per_persona)
        return cached
