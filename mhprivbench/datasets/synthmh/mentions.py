"""Surface forms of persona attributes as people actually type them (phone and date formats, age tags,
lowercase or misspelled names, nicknames, partial addresses). Each renderer returns pieces for TextBuilder:
literal strings and ``(surface, entity, kind, attribute)`` mentions."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from mhprivbench.datasets.synthmh.builder import Mention, Piece
from mhprivbench.datasets.synthmh.style import Style
from mhprivbench.identifiers import attribute_kind

ENTITY = {
    "name": "PERSON", "first_name": "PERSON", "nickname": "PERSON", "clinician": "PERSON",
    "family_member": "PERSON", "age": "AGE", "gender": "GENDER", "city": "LOCATION", "region": "LOCATION",
    "address": "LOCATION", "employer": "ORGANIZATION", "school": "ORGANIZATION", "occupation": "OCCUPATION",
    "phone": "PHONE_NUMBER", "email": "EMAIL_ADDRESS", "handle": "USERNAME", "url": "URL",
    "dob": "DATE_TIME", "event_date": "DATE_TIME",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
GENDER_LETTER = {"female": "F", "male": "M", "nonbinary": "NB"}
GENDER_WORDS = {"female": ("woman", "woman", "female", "girl"), "male": ("guy", "man", "male", "dude"),
                "nonbinary": ("nonbinary", "enby", "non-binary")}
GENDER_FORM = {"female": ("Female", "F", "female", "woman"), "male": ("Male", "M", "male", "man"),
               "nonbinary": ("Non-binary", "NB", "nonbinary", "enby")}


def mention(attribute: str, surface: str) -> Mention:
    """A ground-truth mention: its kind is the kind of the attribute it reveals (mhprivbench.identifiers)."""
    return (surface, ENTITY[attribute], attribute_kind(attribute), attribute)


def _misspell(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i + 1:]


def name_surface(value: str, style: Style, rng: random.Random) -> str:
    """A person's name as this author types it: as is, lowercase, or with a slip."""
    if style.misspell_rate and rng.random() < style.misspell_rate:
        parts = value.split(" ")
        k = rng.randrange(len(parts))
        parts[k] = _misspell(parts[k], rng)
        value = " ".join(parts)
    if style.name_lower or rng.random() < 0.06:
        return value.lower()
    return value


def casual(value: str, style: Style, rng: random.Random) -> str:
    return value.lower() if style.lower and rng.random() < 0.6 else value


def _pick(preferred: int, n: int, rng: random.Random) -> int:
    """The author's habitual format most of the time, another one sometimes."""
    return preferred % n if rng.random() < 0.8 else rng.randrange(n)


def phone_surface(digits: str, style: Style, rng: random.Random) -> str:
    a, b, c = digits[:3], digits[3:6], digits[6:]
    formats = (f"{a}-{b}-{c}", f"({a}) {b} {c}", f"+1 {a} {b} {c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}",
               digits, f"+1-{a}-{b}-{c}")
    return formats[_pick(style.phone_format, len(formats), rng)]


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def date_surface(iso: str, style: Style, rng: random.Random, *, need_year: bool = False) -> str:
    d = dt.date.fromisoformat(iso)
    month = MONTHS[d.month - 1]
    with_year = (d.isoformat(), f"{d.month}/{d.day}/{d.year}", f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
                 f"{month[:3]} {d.day}, {d.year}", f"{d.day} {month} {d.year}", f"{month} {_ordinal(d.day)} {d.year}")
    no_year = (f"{month} {_ordinal(d.day)}", f"the {_ordinal(d.day)} of {month}", f"{month} {d.year}")
    options = with_year if need_year else with_year + no_year
    return options[_pick(style.date_format, len(options), rng)]


def age_tag(attrs: Mapping[str, str], style: Style, rng: random.Random) -> list[Piece]:
    """'34F', '[28F]', '(34m)', '34 yo', '34/F', 'F34', '(34 M)'."""
    age = mention("age", attrs["age"])
    letter = GENDER_LETTER[attrs["gender"]]
    g = mention("gender", letter.lower() if style.lower or rng.random() < 0.15 else letter)
    shape = _pick(style.age_format, 7, rng)
    return ([age, g], ["[", age, g, "]"], ["(", age, g, ")"], [age, " yo"], [age, "/", g], [g, age],
            ["(", age, " ", g, ")"])[shape]


def gender_word(attrs: Mapping[str, str], rng: random.Random) -> Mention:
    return mention("gender", rng.choice(GENDER_WORDS[attrs["gender"]]))


def clinician(attrs: Mapping[str, str], style: Style, rng: random.Random) -> list[Piece]:
    full = attrs["clinician"]
    first, last = full.split(" ", 1)
    shape = rng.random()
    if shape < 0.5:
        return ["Dr. ", mention("clinician", last)]
    if shape < 0.65:
        return ["Dr. ", mention("clinician", full)]
    return [mention("clinician", name_surface(first if shape < 0.9 else full, style, rng))]


def handle(value: str, rng: random.Random) -> list[Piece]:
    """'@handle' (the @ is part of the mention), 'u/handle' (it is not) or the bare handle."""
    shape = rng.random()
    if shape < 0.6:
        return [mention("handle", f"@{value}")]
    return ["u/", mention("handle", value)] if shape < 0.75 else [mention("handle", value)]


def url_surface(url: str, rng: random.Random) -> str:
    shape = rng.random()
    return f"https://{url}" if shape < 0.3 else (f"www.{url}" if shape < 0.45 else url)


def street(address: str) -> str:
    """The partial address: '42 Maple Ave' -> 'Maple Ave'."""
    return address.split(" ", 1)[1]
