"""Synthetic identities: a Persona with canonical attribute values (all str) and unique direct identifiers."""

from __future__ import annotations

import datetime as dt
import random
import re

from mhprivbench.datasets.synthmh import pools
from mhprivbench.identifiers import ATTRIBUTE_KINDS, DIRECT, kinds_of
from mhprivbench.types import Persona

DIRECT_ATTRIBUTES = frozenset(a for a, kind in ATTRIBUTE_KINDS.items() if kind == DIRECT)  # from the one table
DETAILS = frozenset({"family_relation", "event"})  # in the writing context, not in Persona.attributes
REFERENCE_DATE = dt.date(2024, 6, 30)  # ages are exact on this day
AGE_BANDS = ((24, "18-24"), (34, "25-34"), (44, "35-44"), (54, "45-54"), (200, "55+"))
_AGE_RANGES = (((18, 24), 0.28), ((25, 34), 0.32), ((35, 44), 0.2), ((45, 54), 0.12), ((55, 72), 0.08))
_GENDERS = (("female", 0.49), ("male", 0.44), ("nonbinary", 0.07))
GENDERS = tuple(gender for gender, _ in _GENDERS)  # the public value set of ``gender``
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def age_band(age: int) -> str:
    return next(band for limit, band in AGE_BANDS if age <= limit)


def _weighted(rng: random.Random, items):
    """One value of ``((value, weight), ...)``."""
    return rng.choices([value for value, _ in items], [weight for _, weight in items])[0]


def _slug(text: str) -> str:
    return _NON_ALNUM.sub("", text.lower())


class PersonaFactory:
    """Draws personas one after another; names, phones, emails and handles never repeat."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._used: set[str] = set()

    def _unique(self, make, fallback) -> str:
        for _ in range(30):
            value = make()
            if value not in self._used:
                self._used.add(value)
                return value
        while True:
            value = fallback()
            if value not in self._used:
                self._used.add(value)
                return value

    def make(self, pid: str) -> Persona:
        return self.make_identity(pid)[0]

    def make_identity(self, pid: str) -> tuple[Persona, dict[str, str]]:
        """The Persona, and the context an author writes from: its attributes plus details that are not
        identifiers and never spans (``family_relation``, ``event``: what happened on ``event_date``)."""
        rng = self.rng
        gender = _weighted(rng, _GENDERS)
        attrs: dict[str, str] = {"gender": gender}
        attrs.update(self._name(gender))
        attrs.update(self._age(rng))
        attrs.update(self._place(rng))
        attrs.update(self._work(rng, int(attrs["age"]), attrs["city"]))
        attrs.update(self._contacts(attrs["first_name"], attrs["name"].split()[-1], attrs["nickname"]))
        attrs.update(self._circle(rng))
        attrs.update(self._event(rng))
        public = {key: value for key, value in attrs.items() if key not in DETAILS}
        return Persona(pid=pid, attributes=public, kinds=kinds_of(public)), attrs

    def _first_names(self, gender: str) -> tuple[tuple[str, str], ...]:
        """The pool a first name comes from: mostly gendered, sometimes gender-neutral."""
        own = {"female": pools.FEMALE_NAMES, "male": pools.MALE_NAMES}.get(gender)
        if own is not None:
            return own if self.rng.random() < 0.88 else pools.NEUTRAL_NAMES
        return pools.NEUTRAL_NAMES if self.rng.random() < 0.6 else self.rng.choice((pools.FEMALE_NAMES,
                                                                                     pools.MALE_NAMES))

    def _name(self, gender: str) -> dict[str, str]:
        rng = self.rng
        chosen: list[tuple[str, str]] = []  # (first name, nickname) of the last draw

        def draw() -> str:
            chosen.append(rng.choice(self._first_names(gender)))
            return f"{chosen[-1][0]} {rng.choice(pools.SURNAMES)}"

        def with_initial() -> str:
            first, last = draw().split(" ", 1)
            return f"{first} {chr(rng.randrange(65, 91))}. {last}"

        name = self._unique(draw, with_initial)
        first, nick = chosen[-1]
        return {"name": name, "first_name": first, "nickname": nick}

    @staticmethod
    def _age(rng: random.Random) -> dict[str, str]:
        low, high = _weighted(rng, _AGE_RANGES)
        age = rng.randint(low, high)
        birthday_this_year = REFERENCE_DATE - dt.timedelta(days=rng.randrange(365))
        day = min(birthday_this_year.day, 28) if birthday_this_year.month == 2 else birthday_this_year.day
        born = birthday_this_year.replace(year=birthday_this_year.year - age, day=day)
        return {"age": str(age), "dob": born.isoformat()}

    def _place(self, rng: random.Random) -> dict[str, str]:
        """City, region and a street address that no other persona has (an address is a direct identifier)."""
        city, region = rng.choice(pools.CITIES)

        def address() -> str:
            street = f"{rng.choice(pools.STREET_NAMES)} {rng.choice(pools.STREET_SUFFIXES)}"
            return f"{rng.randint(2, 9899)} {street}"

        return {"city": city, "region": region, "address": self._unique(address, address)}

    @staticmethod
    def _work(rng: random.Random, age: int, city: str) -> dict[str, str]:
        if age <= 24 and rng.random() < 0.55:
            kind = rng.choice(pools.SCHOOL_KINDS)
            place = city if rng.random() < 0.4 else rng.choice(pools.PLACE_WORDS)
            return {"school": f"{place} {kind}", "occupation": rng.choice(pools.STUDENT_OCCUPATIONS)}
        business = rng.choice(tuple(pools.BUSINESSES))
        return {"employer": f"{rng.choice(pools.PLACE_WORDS)} {business}",
                "occupation": rng.choice(pools.BUSINESSES[business])}

    def _contacts(self, first: str, last: str, nick: str) -> dict[str, str]:
        rng = self.rng
        f, la, n = _slug(first), _slug(last), _slug(nick)
        digits = lambda: str(rng.randint(1, 99))  # noqa: E731

        def phone() -> str:
            return f"{rng.randint(201, 989)}555{rng.randint(0, 9999):04d}"

        def email_local() -> str:
            return rng.choice((f"{f}.{la}", f"{f}{la[:1]}{digits()}", f"{f[:1]}{la}{digits()}", f"{f}_{la}",
                               f"{n}{digits()}", f"{la}.{f}{digits()}"))

        def handle() -> str:
            word = rng.choice(pools.HANDLE_WORDS)
            return rng.choice((f"{f}_{la[:1]}{digits()}", f"{word}{rng.choice(pools.HANDLE_WORDS)}{digits()}",
                               f"{n}.{word}", f"{f}{la}", f"the_{word}_{f}", f"{word}_{n}{digits()}"))

        domain = rng.choice(pools.EMAIL_DOMAINS)
        email = self._unique(lambda: f"{email_local()}@{domain}", lambda: f"{f}{rng.randint(100, 99999)}@{domain}")
        user = self._unique(handle, lambda: f"{f}{rng.randint(100, 99999)}")
        site = rng.choice(pools.URL_SITES)
        url = f"{site}{'' if site.endswith('@') else '/'}{user}"
        return {"phone": self._unique(phone, phone), "email": email, "handle": user, "url": url}

    @staticmethod
    def _circle(rng: random.Random) -> dict[str, str]:
        pool = rng.choice((pools.FEMALE_NAMES, pools.MALE_NAMES, pools.NEUTRAL_NAMES))
        clinician = f"{rng.choice(pool)[0]} {rng.choice(pools.SURNAMES)}"
        gendered = rng.random()
        if gendered < 0.45:
            relation, names = rng.choice(pools.RELATIONS_FEMALE), pools.FEMALE_NAMES
        elif gendered < 0.9:
            relation, names = rng.choice(pools.RELATIONS_MALE), pools.MALE_NAMES
        else:
            relation, names = rng.choice(pools.RELATIONS_NEUTRAL), pools.NEUTRAL_NAMES
        return {"clinician": clinician, "family_member": rng.choice(names)[0], "family_relation": relation}

    @staticmethod
    def _event(rng: random.Random) -> dict[str, str]:
        when = REFERENCE_DATE - dt.timedelta(days=rng.randint(60, 3650))
        return {"event": rng.choice(pools.LIFE_EVENTS), "event_date": when.isoformat()}
