"""The ``generalize`` anonymizer: quasi-identifiers to coarser values, so a record still says roughly who and when
but matches many more people (k-anonymity's generalization, applied to text).

``level`` 1 / 2:
- AGE: 10-year band ("34" -> "30-39"; 18-19 -> "18-19", 80 and over -> "80+") / 20-year band ("18-39", "40-59",
  "60-79", "80+"); under 18 -> "under 18" at both levels. A sex letter attached to an age tag ("34M") goes too.
- DATE_TIME: month and year ("March 3rd, 2021" -> "March 2021") / year ("2021"); "some time" when no month or year
  can be read (weekdays, "two weeks ago"), and the year only for a numeric date whose day and month are ambiguous.
- LOCATION: city -> region ("Leeds" -> "Yorkshire") / country ("the UK") from a small public table
  (``generalize_tables``); a region keeps its name / becomes its country; unknown places -> "a city".
- ORGANIZATION: sector where known ("Leeds General Infirmary" -> "a healthcare provider", "Tesco" -> "a shop") /
  "an organisation"; unknown -> "an organisation".

Detection: ``detector`` ("presidio" or "regex") restricted to these entity types, plus the cities of the table
(whole words, capitalised). Direct identifiers are left alone: chain ``generalize`` after an anonymizer that
removes them (``pipeline``).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mhprivbench.anonymizers.dates import coarsen, parse_date
from mhprivbench.anonymizers.generalize_tables import (
    CITY_REGION,
    COUNTRIES,
    EMPLOYERS,
    REGION_COUNTRY,
    SECTOR_KEYWORDS,
)
from mhprivbench.anonymizers.operators import resolve_overlaps, rewrite_spans
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.anonymizers.presidio import check_entities
from mhprivbench.anonymizers.surrogate import build_detector
from mhprivbench.base import Anonymizer
from mhprivbench.identifiers import entity_kind
from mhprivbench.registry import register
from mhprivbench.types import Record, Span

GENERALIZED = ("AGE", "DATE_TIME", "LOCATION", "ORGANIZATION")
LEVELS = (1, 2)
_TEENS = ("thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORDS = {w: 13 + i for i, w in enumerate(_TEENS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_UNITS = {w: i for i, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), 1)}


@register("anonymizer", "generalize")
@dataclass
class GeneralizeAnonymizer(ReleasePolicy, Anonymizer):
    """Coarsen ages, dates, places and organisations to bands, months or years, regions and sectors (see the
    module docstring for the values at each ``level``)."""

    level: int = 1  # 1: 10-year age bands, month, region, sector; 2: 20-year bands, year, country, "an organisation"
    entities: list[str] | None = None  # subset of AGE, DATE_TIME, LOCATION, ORGANIZATION (None: all)
    detector: str = "presidio"  # presidio | regex (plus the city table)
    detector_params: dict[str, Any] | None = None  # the detector's parameters

    def __post_init__(self) -> None:
        self.check_policy()
        if self.level not in LEVELS or isinstance(self.level, bool):
            raise ValueError(f"level must be 1 or 2, got {self.level!r}")
        check_entities(self.entities, GENERALIZED)
        self._detector = self._build_detector()

    def _build_detector(self) -> Any:
        """The detector, asked for all it knows (so a direct identifier that contains a place or a date wins the
        overlap and is left alone); None when it knows none of the generalized types (the city table alone then
        detects places)."""
        detector = build_detector(self.detector, self.detector_params)
        known = getattr(detector, "active_entities", GENERALIZED)
        return detector if any(e in known for e in self.active_entities) else None

    @property
    def active_entities(self) -> tuple[str, ...]:
        return GENERALIZED if self.entities is None else tuple(e for e in GENERALIZED if e in self.entities)

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        wanted = set(self.active_entities)
        detected = self._detector.detect(texts) if self._detector is not None else [[] for _ in texts]
        out = []
        for text, spans in zip(texts, detected, strict=True):
            found = list(spans) + (known_cities(text) if "LOCATION" in wanted else [])
            out.append([s for s in resolve_overlaps(found, GENERALIZED) if s.entity in wanted])
        return out

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        if len(records) != len(detected):
            raise ValueError(f"got {len(records)} records but {len(detected)} span lists")
        rewritten = [dataclasses.replace(r, text=rewrite_spans(r.text, spans, self.coarser), spans=())
                     for r, spans in zip(records, detected, strict=True)]
        return self.apply_policy(rewritten, seed)

    def coarser(self, span: Span, surface: str) -> str:
        """The generalized value of one detected span."""
        if span.entity == "AGE":
            return age_band(surface, self.level)
        if span.entity == "DATE_TIME":
            return coarsen(parse_date(surface), self.level)
        if span.entity == "LOCATION":
            return place(surface, self.level)
        if span.entity == "ORGANIZATION":
            return sector(surface) if self.level == 1 else "an organisation"
        return surface


def age_band(surface: str, level: int) -> str:
    """The band of the age in ``surface`` (digits or words); "an adult" when no number can be read."""
    years = age_number(surface)
    if years is None:
        return "an adult"
    if years < 18:
        return "under 18"
    if years >= 80:
        return "80+"
    if level >= 2:
        low = 18 if years < 40 else years // 20 * 20
        return f"{low}-{years // 20 * 20 + 19 if years >= 40 else 39}"
    return "18-19" if years < 20 else f"{years // 10 * 10}-{years // 10 * 10 + 9}"


def age_number(surface: str) -> int | None:
    match = re.search(r"\d+", surface)
    if match is not None:
        return int(match.group())
    words = re.findall(r"[a-z]+", surface.lower())
    tens = next((_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS), None)
    if tens is None:
        return None
    return tens + next((_UNITS[w] for w in words if w in _UNITS), 0)


def place(surface: str, level: int) -> str:
    """Region (level 1) or country (level 2) of a city or region in the table; a country stays; else "a city"."""
    name = " ".join(surface.split()).lower().removeprefix("the ")
    if name in CITY_REGION:
        region, country = CITY_REGION[name]
        return region if level == 1 else country
    if name in REGION_COUNTRY:
        return surface if level == 1 else REGION_COUNTRY[name]
    if name in COUNTRIES or f"the {name}" in COUNTRIES:
        return surface
    return "a city"


def sector(surface: str) -> str:
    name = " ".join(surface.split()).lower()
    if name in EMPLOYERS:
        return EMPLOYERS[name]
    for keywords, label in SECTOR_KEYWORDS:
        if any(re.search(rf"(?<!\w){re.escape(k)}(?!\w)", name) for k in keywords):
            return label
    return "an organisation"


# table cities that are also first names, surnames or ordinary words: generalized when a detector finds them,
# never detected from the table alone ("Reading" a book, "Charlotte" a person)
AMBIGUOUS = frozenset(re.findall(r"\S+", "reading bath mobile victoria surrey lincoln derby hull bend aurora mesa perth "
                                 "newport hamilton kingston durham madison charlotte montgomery salem athens "
                                 "springfield bloomington henderson arlington lancaster stirling bangor london"))


@functools.cache
def _city_pattern() -> re.Pattern[str]:
    names = sorted((n for n in CITY_REGION if n not in AMBIGUOUS), key=len, reverse=True)
    # not inside a longer capitalised name ("Leeds General Infirmary" is an organisation)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n.title()) for n in names) + r")(?![\w-]|[ \t]+[A-Z])")


def known_cities(text: str) -> list[Span]:
    """Capitalised mentions of the table's cities."""
    return [Span(m.start(), m.end(), "LOCATION", entity_kind("LOCATION")) for m in _city_pattern().finditer(text)]
