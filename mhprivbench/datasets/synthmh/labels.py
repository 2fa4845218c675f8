"""Conditions: per-author profile, per-post condition, screener scores consistent with it, label noise.

``CONDITIONS`` is synthmh's declared label set (``Corpus.declared_labels``): the task's public labels, whatever
subset a small corpus or a train split happens to contain.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CRISIS = "suicidal_ideation"
CONDITIONS = ("depression", "anxiety", "ptsd", "stress", CRISIS, "none")
_PRIMARY = (("depression", 0.24), ("anxiety", 0.22), ("ptsd", 0.15), ("stress", 0.17), ("none", 0.22))
_COMORBID = {"depression": ("anxiety", "stress", "ptsd"), "anxiety": ("depression", "stress"),
             "ptsd": ("depression", "anxiety"), "stress": ("anxiety", "depression"), "none": ("stress", "anxiety")}
_SI_RISK = {"depression": 0.5, "ptsd": 0.35, "anxiety": 0.12, "stress": 0.06, "none": 0.0}
# where a noisy annotator puts a post instead (confusable classes first)
_CONFUSED = {"depression": ("suicidal_ideation", "anxiety", "stress", "none", "ptsd"),
             "anxiety": ("stress", "depression", "ptsd", "none"),
             "ptsd": ("anxiety", "depression", "stress"),
             "stress": ("anxiety", "depression", "none"),
             CRISIS: ("depression", "depression", "ptsd"),
             "none": ("stress", "anxiety", "depression")}
# (phq9 low, high), (gad7 low, high) per condition; ranges overlap like real screeners do
_SCORES = {"depression": ((10, 24), (3, 15)), "anxiety": ((4, 14), (10, 21)), "ptsd": ((8, 21), (8, 19)),
           "stress": ((4, 13), (5, 14)), CRISIS: ((15, 27), (6, 19)), "none": ((0, 7), (0, 6))}


@dataclass(frozen=True, slots=True)
class Profile:
    primary: str
    secondary: str | None
    si_risk: bool


def sample_profile(rng: random.Random) -> Profile:
    primary = rng.choices([c for c, _ in _PRIMARY], [w for _, w in _PRIMARY])[0]
    secondary = rng.choice(_COMORBID[primary]) if rng.random() < 0.5 else None
    return Profile(primary, secondary, rng.random() < _SI_RISK[primary])


def post_condition(profile: Profile, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.62:
        condition = profile.primary
    elif r < 0.8 and profile.secondary:
        condition = profile.secondary
    else:
        condition = rng.choices([c for c, _ in _PRIMARY], [w for _, w in _PRIMARY])[0]
    if profile.si_risk and condition in ("depression", "ptsd", profile.primary) and rng.random() < 0.4:
        return CRISIS
    return condition


def noisy_label(condition: str, rate: float, rng: random.Random) -> str:
    if rate and rng.random() < rate:
        return rng.choice(_CONFUSED[condition])
    return condition


def scores(condition: str, rng: random.Random) -> tuple[int, int]:
    """(PHQ-9 in 0..27, GAD-7 in 0..21), triangular around the middle of the condition's range."""
    (p_lo, p_hi), (g_lo, g_hi) = _SCORES[condition]
    return round(rng.triangular(p_lo, p_hi)), round(rng.triangular(g_lo, g_hi))


def severity_index(score: int, maximum: int, rng: random.Random) -> int:
    """Answer option 0..3 of one screener item, consistent with the total score."""
    mean = 3 * score / maximum
    return max(0, min(3, round(mean + rng.uniform(-0.6, 0.6))))
