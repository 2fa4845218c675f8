"""Templates with ``{slot}`` placeholders, rendered for one author into TextBuilder pieces."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping

from mhprivbench.datasets.synthmh import mentions as m
from mhprivbench.datasets.synthmh.builder import Piece
from mhprivbench.datasets.synthmh.style import Style

_SLOT = re.compile(r"\{(\w+)\}")
_PARSED: dict[str, tuple[str, ...]] = {}

DURATIONS = ("a few weeks", "months", "about two weeks", "most of this year", "a couple of months", "weeks now",
             "what feels like forever", "since the spring", "the past month", "a year or so", "since christmas",
             "three weeks")
WHENS = ("at night", "in the mornings", "at work", "on weekends", "after dinner", "around 3am", "on the bus",
         "in the shower", "before bed", "all day", "on my lunch break", "when I get home")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PLAIN = {"dur": DURATIONS, "when": WHENS, "day": DAYS}


def parse(template: str) -> tuple[str, ...]:
    """Alternating literal, slot, literal, ... (even indexes are literals)."""
    parsed = _PARSED.get(template)
    if parsed is None:
        parsed = _PARSED[template] = tuple(_SLOT.split(template))
    return parsed


def org_key(attrs: Mapping[str, str]) -> str:
    return "employer" if "employer" in attrs else "school"


def _article(word: str) -> str:
    return "an " if word[:1].lower() in "aeiou" else "a "


def _slot(slot: str, attrs: Mapping[str, str], style: Style, rng: random.Random) -> list[Piece]:
    if slot in _PLAIN:
        return [rng.choice(_PLAIN[slot])]
    if slot in ("name", "first_name", "family_member", "nickname"):
        surface = attrs[slot] if slot == "nickname" else m.name_surface(attrs[slot], style, rng)
        return [m.mention(slot, surface.lower() if style.name_lower else surface)]
    if slot in ("city", "region", "org", "school", "employer"):
        key = org_key(attrs) if slot == "org" else slot
        return [m.mention(key, m.casual(attrs[key], style, rng))]
    if slot == "a_occupation":
        return [_article(attrs["occupation"]), m.mention("occupation", attrs["occupation"])]
    if slot in ("relation", "event"):
        return [attrs["family_relation" if slot == "relation" else "event"]]
    return _SPECIAL[slot](attrs, style, rng)


_SPECIAL = {
    "age": lambda a, s, r: [m.mention("age", a["age"])],
    "occupation": lambda a, s, r: [m.mention("occupation", a["occupation"])],
    "age_tag": m.age_tag,
    "gender": lambda a, s, r: [m.gender_word(a, r)],
    "gender_form": lambda a, s, r: [m.mention("gender", r.choice(m.GENDER_FORM[a["gender"]]))],
    "address": lambda a, s, r: [m.mention("address", a["address"])],
    "street": lambda a, s, r: [m.mention("address", m.street(a["address"]))],
    "phone": lambda a, s, r: [m.mention("phone", m.phone_surface(a["phone"], s, r))],
    "email": lambda a, s, r: [m.mention("email", a["email"])],
    "handle": lambda a, s, r: m.handle(a["handle"], r),
    "url": lambda a, s, r: [m.mention("url", m.url_surface(a["url"], r))],
    "clinician": m.clinician,
    "event_date": lambda a, s, r: [m.mention("event_date", m.date_surface(a["event_date"], s, r))],
    "dob": lambda a, s, r: [m.mention("dob", m.date_surface(a["dob"], s, r, need_year=True))],
}


def render(template: str, attrs: Mapping[str, str], style: Style, rng: random.Random) -> list[Piece]:
    parts = parse(template)
    pieces: list[Piece] = [parts[0]] if parts[0] else []
    for i in range(1, len(parts), 2):
        pieces.extend(_slot(parts[i], attrs, style, rng))
        if parts[i + 1]:
            pieces.append(parts[i + 1])
    return pieces


def slots_of(template: str) -> tuple[str, ...]:
    return parse(template)[1::2]
