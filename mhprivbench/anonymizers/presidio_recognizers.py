"""Presidio recognizers for mental-health text, added to Presidio's own by the ``presidio`` anonymizer with
``recognizers: custom`` (the default). General rules, not tuned to any evaluation set:

- ``AgeTagRecognizer`` (a Presidio ``PatternRecognizer``, AGE): the tags of forum posts, "34M", "28/F", "[28F]" /
  "(22f)" (brackets not in the span), "23m" / "f44" opening a line or before "here", and ages spelled out after an
  age cue ("I'm nineteen", "turning forty").
- ``HandleRecognizer`` (``PatternRecognizer``, USERNAME): "u/name" and "@name" (not the "@" of an e-mail address).
- ``CueRecognizer``: names, organisations and places after cue words, and intake-form values
  (``presidio_cues``: "Dr. Okafor" -> "Okafor", "my sister, kate", "Leeds General Infirmary", "moved to Leeds",
  "City: Leeds"). spaCy's small model misses many of these in informal text.
- ``RegexRulesRecognizer``: the hardened rules of our ``regex`` anonymizer as a Presidio recognizer (IDs with
  checksums, street addresses, international phones, handles, cued ages, self-introductions, ...): the entities
  Presidio lacks (AGE, USERNAME, ADDRESS, ID) and a second opinion on those it has.

``identifying`` drops DATE_TIME detections that identify no one: bare deictic words ("today", "tonight"), times of
day ("last night", "10pm"), durations without an anchor ("three months", "for two years") and recurring days
("Wednesdays"). spaCy's DATE label covers all of them; a release gains nothing by removing them.
"""

from __future__ import annotations

import functools
import re

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from mhprivbench.anonymizers.presidio_cues import Lexicon, find_cues
from mhprivbench.anonymizers.regex import RegexAnonymizer
from mhprivbench.anonymizers.regex_patterns import ENTITIES as REGEX_ENTITIES

_CASE = re.MULTILINE | re.DOTALL  # case matters: "34M" is an age tag, "34m" a distance
_NUMBER_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|"
                r"seven|eight|nine))?|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)")
_AGE_CUE = r"\b(?i:i'm|i’m|im|i am|turned|turning|aged?|age of)"

AGE_PATTERNS = [
    Pattern("age_sex_tag", r"(?<![\w/$£€.#])[1-9]\d ?/? ?[MF](?![\w/])", 0.6),
    Pattern("sex_age_tag", r"(?<![\w/$£€.#])[MF] ?/ ?[1-9]\d(?![\w/])", 0.6),
    Pattern("bracketed_age_tag", r"(?<=[\[(] ?)(?:[1-9]\d ?/? ?[MFmf]|[MFmf] ?/? ?[1-9]\d)(?= ?[\])])", 0.7),
    Pattern("spelled_age", rf"(?<={_AGE_CUE}[ \t]+)(?i:{_NUMBER_WORD})\b(?![ \t-]+(?i:times|days|weeks|months|hours|"
                           r"minutes|percent|pounds|dollars))", 0.6),
    Pattern("nonbinary_age_tag", r"(?<![\w/])(?:[1-9]\d ?/? ?(?:nb|NB|enby)|(?:nb|NB) ?/? ?[1-9]\d)(?![\w/])", 0.6),
    # a sex-and-age tag opening a post or a line ("23m here", "f44 Update ..."), or before "here", in any case
    Pattern("line_start_age_tag", r"(?<![^\n])[ \t]*(?:[1-9]\d ?[MFmf]|[MFmf] ?[1-9]\d)(?![\w/])", 0.6),
    Pattern("here_age_tag", r"(?<![\w/$£€.#])(?:[1-9]\d ?[mf]|[mf] ?[1-9]\d)(?=[ \t]+here\b)", 0.6),
    Pattern("spelled_years_old", rf"\b(?i:{_NUMBER_WORD})[ -](?i:years?)[ -](?i:old)\b", 0.6),
]
HANDLE_PATTERNS = [
    Pattern("reddit_user", r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}\b", 0.7),
    Pattern("at_handle", r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])", 0.6),
]


class CueRecognizer(EntityRecognizer):
    """Names, organisations, places and intake-form values introduced by cue words (``presidio_cues``); the
    span is the cued part."""

    ENTITIES = ["PERSON", "ORGANIZATION", "LOCATION", "ADDRESS", "AGE", "DATE_TIME", "GENDER", "OCCUPATION"]

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        super().__init__(supported_entities=self.ENTITIES, name="MentalHealthCueRecognizer")
        self.lexicon = lexicon or Lexicon()

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        return [RecognizerResult(entity, start, end, score)
                for start, end, entity, score in find_cues(text, entities, self.lexicon)]


class RegexRulesRecognizer(EntityRecognizer):
    """The ``regex`` anonymizer's rules as a Presidio recognizer (its entity names are Presidio's where one
    exists, plus AGE, USERNAME, ADDRESS and ID)."""

    SCORE = 0.6

    def __init__(self) -> None:
        super().__init__(supported_entities=list(REGEX_ENTITIES), name="MhprivbenchRegexRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        wanted = tuple(e for e in REGEX_ENTITIES if e in entities)
        if not wanted:
            return []
        return [RecognizerResult(s.entity, s.start, s.end, self.SCORE) for s in _regex(wanted).detect_one(text)]


@functools.cache
def _regex(entities: tuple[str, ...]) -> RegexAnonymizer:
    return RegexAnonymizer(entities=list(entities))


def custom_recognizers(nlp=None) -> list[EntityRecognizer]:
    """Our recognizers; ``nlp`` (the spaCy model) lends its lemmatizer word lists to the cue rules."""
    return [
        PatternRecognizer("AGE", name="AgeTagRecognizer", patterns=AGE_PATTERNS, global_regex_flags=_CASE,
                          context=["age", "old", "years", "yo", "born", "birthday"]),
        PatternRecognizer("USERNAME", name="HandleRecognizer", patterns=HANDLE_PATTERNS, global_regex_flags=_CASE,
                          context=["reddit", "instagram", "insta", "twitter", "tiktok", "discord", "handle", "dm"]),
        CueRecognizer(Lexicon.from_nlp(nlp) if nlp is not None else None),
        RegexRulesRecognizer(),
    ]


_WORD = re.compile(r"[^\W_]+")
# DATE_TIME detections made only of these words say how long or how often, not when (all other words, e.g.
# "ago", "last", "next", "this", "since", a weekday or a month, anchor a date and keep the detection).
_DURATION_WORDS = frozenset(_WORD.findall("""
second seconds minute minutes min mins hour hours hr hrs day days night nights week weeks weekend weekends month
months year years decade decades morning mornings afternoon afternoons evening evenings time times while
a an one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty
few couple several many some half all most every each whole entire nearly almost about around over under like
up the of for or so extra more past other straight long full
"""))
_DEICTIC = frozenset(_WORD.findall("today tonight tomorrow yesterday now nowadays currently lately recently"))
_CLOCK = re.compile(r"(?:at[ \t]+)?\d{1,2}(?:[:.]\d\d)?[ \t]*(?:[ap]\.?m\.?)?|midnight|noon", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\d[/.-]\d|\b(?:1[89]|20)\d\d\b")
_DAY_PARTS = frozenset(("morning", "afternoon", "evening", "night"))
_DAY_PARTS_AFTER = frozenset(("this", "that", "last", "tomorrow", "yesterday"))
_QUANTITIES = frozenset(_WORD.findall("few couple several one two three four five six seven eight nine ten twelve")) | \
    frozenset(str(n) for n in range(1, 100))


def identifying(entity: str, surface: str) -> bool:
    """False for a DATE_TIME detection that points at no particular day or period: no letters or digits, a bare
    deictic word ("today"), a time of day ("10pm", "this evening", "last night"), or only duration and frequency
    words ("three months", "all day", "the last 2 weeks"). Anchored mentions stay ("two weeks ago", "next
    Tuesday", "last year", "04/26/21")."""
    if entity != "DATE_TIME":
        return True
    if _NUMERIC_DATE.search(surface):
        return True
    words = [w.lower() for w in _WORD.findall(surface)]
    if not words or _CLOCK.fullmatch(surface.strip(" \t.,!?")):
        return False
    if len(words) == 1 and words[0] in _DEICTIC:
        return False
    if len(words) == 2 and words[0] in _DAY_PARTS_AFTER and words[1] in _DAY_PARTS:
        return False
    words = [w for i, w in enumerate(words)  # "the last 2 weeks": "last" before a quantity is not an anchor
             if not (w in ("last", "next", "past") and i + 1 < len(words) and words[i + 1] in _QUANTITIES)]
    return not all(w in _DURATION_WORDS or w.isdigit() and len(w) < 4 for w in words)
