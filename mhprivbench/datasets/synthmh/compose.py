"""Sentence-level composition: one author's sentence with their habits, symptom sentences, body plans,
and the linkability rule that decides when a post needs a sign-off."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mhprivbench.datasets.synthmh import bank_life, bank_mood, bank_worry, slots
from mhprivbench.datasets.synthmh.builder import TextBuilder
from mhprivbench.datasets.synthmh.labels import CRISIS, Profile
from mhprivbench.datasets.synthmh.style import Style
from mhprivbench.types import Persona, Span

BANKS: dict[str, tuple[str, ...]] = {
    "depression": bank_mood.DEPRESSION, CRISIS: bank_mood.SUICIDAL, "none": bank_mood.WELLBEING,
    "anxiety": bank_worry.ANXIETY, "ptsd": bank_worry.PTSD, "stress": bank_worry.STRESS,
}
PAIR_BANKS: dict[str, tuple[str, ...]] = {
    c: tuple(p for members, phrases in bank_worry.PAIRS if c in members for p in phrases) for c in BANKS
}
# quasi identifiers (mhprivbench.identifiers) that narrow a registry down a lot (age, gender, occupation, region
# alone do not)
STRONG_QUASI = frozenset({"city", "employer", "school", "clinician", "event_date", "dob", "first_name", "nickname",
                          "family_member"})


@dataclass(frozen=True, slots=True)
class Author:
    author_id: str
    persona: Persona
    attrs: Mapping[str, str]  # what slots render from: persona attributes plus non-identifying details
    style: Style
    profile: Profile


def linkable(spans: Sequence[Span]) -> bool:
    """A direct identifier, or two quasi identifiers of which one is strong."""
    quasi: set[str] = set()
    for span in spans:
        if span.kind == "direct":
            return True
        quasi.add(span.attribute or "")
    return len(quasi) >= 2 and not quasi.isdisjoint(STRONG_QUASI)


def lower_first(text: str) -> str:
    if text.startswith(("I ", "I'", "{")):
        return text
    return text[:1].lower() + text[1:]


def sentence(b: TextBuilder, a: Author, template: str, rng: random.Random, *, pets: bool = True,
             lead: str | None = None, tail: str | None = None) -> None:
    """Write one sentence in the author's voice: pet phrases, end mark, emoji, separator."""
    s = a.style
    if lead is not None:
        b.add(slots.render(lead + ", ", a.attrs, s, rng))
        template = lower_first(template)
    elif pets and s.prefixes and rng.random() < s.pet_rate:
        b.lit(rng.choice(s.prefixes) + " ")
        template = lower_first(template)
    b.add(slots.render(template, a.attrs, s, rng))
    if tail is not None:
        b.add(slots.render(" " + tail, a.attrs, s, rng))
    question = template.endswith("?")
    if pets and s.suffixes and rng.random() < s.pet_rate:
        suffix = rng.choice(s.suffixes)
        b.lit(" " + suffix)
        question = question or suffix.endswith("?")
    if not question:
        b.lit(rng.choice(s.ends))
    if s.emoji and rng.random() < s.emoji_rate:
        b.raw(" " + rng.choice(s.emoji))
    b.raw("\n\n" if s.para_rate and rng.random() < s.para_rate else s.sep)


def symptom(b: TextBuilder, a: Author, condition: str, rng: random.Random) -> None:
    r = rng.random()
    lead = rng.choice(bank_mood.LEADS) if r < 0.25 else None
    tail = rng.choice(bank_mood.TAILS) if r > 0.85 else None
    sentence(b, a, b.pick(BANKS[condition], rng), rng, lead=lead, tail=tail)


def filler(b: TextBuilder, a: Author, rng: random.Random) -> None:
    topic = rng.choice(a.style.topics) if rng.random() < 0.7 else rng.choice(tuple(bank_life.FILLER))
    if topic in ("work", "school"):
        topic = "school" if "school" in a.attrs else "work"
    sentence(b, a, b.pick(bank_life.FILLER[topic], rng), rng)


def context_templates(a: Author) -> tuple[str, ...]:
    own = bank_life.CONTEXT_SCHOOL if "school" in a.attrs else bank_life.CONTEXT_WORK
    return own + bank_life.CONTEXT_ANY


def body_plan(a: Author, condition: str, rng: random.Random) -> list[tuple[str, str]]:
    """What the post talks about: (role, condition) items, shuffled. Roles: main, pair, shared, filler."""
    n = max(2, a.style.n_sent + rng.randint(-2, 2))
    plan: list[tuple[str, str]] = []
    ambiguous = condition != "none" and rng.random() < 0.1
    plan += [("main", condition)] * (0 if ambiguous else rng.choice((1, 2, 2, 3, 3)))
    if condition == CRISIS:
        plan.append(("main", condition))
    if condition == CRISIS and rng.random() < 0.4:
        plan.append(("main", "depression"))
    other = a.profile.secondary if a.profile.secondary != condition else a.profile.primary
    if other and other != condition and rng.random() < 0.4:
        plan.append(("main", other))
    if PAIR_BANKS[condition] and rng.random() < 0.35:
        plan.append(("pair", condition))
    if condition != "none":
        plan += [("shared", condition)] * rng.choice((0, 1, 1, 2))
    elif rng.random() < 0.2:
        plan.append(("shared", condition))
    plan += [("filler", "")] * max(1, n - len(plan))
    rng.shuffle(plan)
    return plan


def write_body(b: TextBuilder, a: Author, plan: list[tuple[str, str]], rng: random.Random) -> None:
    for role, condition in plan:
        if role == "main":
            symptom(b, a, condition, rng)
        elif role == "pair":
            sentence(b, a, b.pick(PAIR_BANKS[condition], rng), rng)
        elif role == "shared":
            sentence(b, a, b.pick(bank_mood.SHARED, rng), rng)
        else:
            filler(b, a, rng)
