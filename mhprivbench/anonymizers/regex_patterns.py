"""Regular expressions of the ``regex`` anonymizer, one list of patterns per entity.

Each entry is ``(pattern, group)``: the detected span is ``match.span(group)``. Patterns favour precision on
ordinary prose ("I slept 8 hours", "3 weeks", "20mg" are not PII) over catching every exotic format.
"""

from __future__ import annotations

import re

from mhprivbench.identifiers import DIRECT as _DIRECT_KIND
from mhprivbench.identifiers import entity_kind

# Detected entities in overlap priority order; their direct / quasi kind comes from mhprivbench.identifiers.
ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "USERNAME", "PERSON", "ADDRESS", "DATE_TIME", "AGE")
DIRECT = tuple(e for e in ENTITIES if entity_kind(e) == _DIRECT_KIND)
QUASI = tuple(e for e in ENTITIES if e not in DIRECT)

_I = re.IGNORECASE
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May)|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
_YEAR = r"(?:1[89]|20)\d\d\b"
_TLD = r"(?:com|org|net|io|co|edu|gov|me|info|ly|uk|us|ca|au|de|fr|app|dev)"
_UNITS = (
    r"%|percent|min(?:ute)?s?\b|h(?:ou)?rs?\b|days?\b|weeks?\b|months?\b|times?\b|pounds?\b|lbs?\b|kgs?\b|kilos?\b|"
    r"miles?\b|km\b|feet\b|ft\b|inch(?:es)?\b|cm\b|mg\b|dollars?\b|k\b|[ap]\.?m\b|:|[.,]\d|"
    r"years?\s+(?:in|into|sober|clean|since|ago|of|later)\b"
)

_STREET_WORD = r"[A-Z][a-z]+"
_STREET_ANY = r"(?:St|Street|Ave|Avenue|Rd|Road|Ln|Lane|Dr|Drive|Ct|Court|Blvd|Boulevard|Way|Pl|Place|Terrace)\b"
_STREET_SAFE = r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard)\b"  # without a number: not Lane, Drive, Way

_NAME_WORD = r"[A-Z][a-z'’-]+"
_NAME = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}"
_SIGN_OFF = r"(?:[-~—–]+[ \t]*|(?i:xo|xoxo|cheers|thanks|love|best)[,!]?[ \t]+)"

PATTERNS: dict[str, list[tuple[re.Pattern[str], int]]] = {
    # Names only in the contexts where people name themselves: form fields, self-introductions, sign-offs.
    "PERSON": [
        (re.compile(r"(?im)^[ \t]*(?:full[ \t]+)?name[ \t]*[:=][ \t]*([a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+){0,2})"), 1),
        (re.compile(r"(?i)\b(?:my name is|my name's|name's|call me)[ \t]+([a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+)?)"), 1),
        (re.compile(rf"\b(?i:i'm|i’m|i am|this is)[ \t]+({_NAME})"), 1),
        (re.compile(rf"\n[ \t]*{_SIGN_OFF}([A-Za-z][\w.'’-]{{1,30}})[ \t]*$"), 1),
        # a closing signature line: one to three name-like words, nothing else, at the very end of the text
        (re.compile(r"\n[ \t]*([A-Za-z][\w.'’-]{1,30}(?:[ \t]+[A-Za-z][\w'’-]{1,30}){0,2})[ \t]*$"), 1),
    ],
    "EMAIL_ADDRESS": [
        (re.compile(r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
         0),
    ],
    "PHONE_NUMBER": [
        # North American: 555-201-3344, (555) 201 3344, +1 555 201 3344, 555.201.3344, 5552013344
        (re.compile(r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w])"), 0),
        # International with a leading +: +44 20 7946 0958, +33 6 12 34 56 78
        (re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\d){6,13}(?![\w])"), 0),
    ],
    "URL": [
        (re.compile(r"\b(?:https?://|www\.)[^\s<>\"'\[\]{}]+", _I), 0),
        (re.compile(rf"(?<![@\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.{_TLD}\b(?:/[^\s<>\"'\[\]{{}}]*)?", _I), 0),
    ],
    "USERNAME": [
        (re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])"), 0),
        (re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}(?:\.[A-Za-z0-9_-]+)*\b"), 0),
        # handle-shaped words: letters joined by _ or ., or letters followed by two or more digits
        (re.compile(r"(?<![\w@./-])(?=[a-z0-9_.]*[a-z]{3})[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+(?![\w@/-]|\.[a-z])"), 0),
        (re.compile(r"(?<![\w@./-])[a-z]{3,}\d{2,}(?![\w@/-])"), 0),
    ],
    # Street addresses (direct: a house number and a street identify a household). "42 Maple Ave" with any
    # street suffix; "Maple Ave" / "Main Street" without a number only with suffixes that are rarely other words.
    "ADDRESS": [
        (re.compile(rf"\b\d{{1,5}}[ \t]+{_STREET_WORD}(?:[ \t]+{_STREET_WORD})?[ \t]+{_STREET_ANY}"), 0),
        (re.compile(rf"\b{_STREET_WORD}(?:[ \t]+{_STREET_WORD})?[ \t]+{_STREET_SAFE}"), 0),
    ],
    "DATE_TIME": [
        (re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])([/.-])(?:0?[1-9]|[12]\d|3[01])\1(?:\d{4}|\d{2})\b"), 0),
        (re.compile(r"\b(?:1[89]|20)\d\d([/.-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])\b"), 0),
        (re.compile(rf"\b{_MONTH}\s+(?:{_DAY}(?:,?\s+{_YEAR})?|{_YEAR})", _I), 0),
        (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?", _I), 0),
    ],
    "AGE": [
        # 34M, 28F, 28/F, F/28 (the sex letter is part of the span)
        (re.compile(r"(?<![\w/$£€.#])(?:[1-9]\d\s?[MF]|[1-9]\d\s?/\s?[MFmf]|[MF]\s?/\s?[1-9]\d)(?![\w/])"), 0),
        # [28f], (M34), (28 / m): brackets make lower case and letter-first forms safe; brackets not in the span
        (re.compile(r"(?<=[\[(])\s*([1-9]\d\s?/?\s?[MFmf]|[MFmf]\s?/?\s?[1-9]\d)\s*(?=[\])])"), 1),
        # 34 yo, 34yo, 34 y/o, 34 y.o., 34 years old, 34-year-old, 34 yrs old
        (re.compile(r"\b[1-9]?\d(?:\s?(?:yo|y/o|y\.o)\b\.?|[\s-](?:years?|yrs?)[\s-]old\b)", _I), 0),
        # I'm 34, I am 34, turned 34 (two digits), age 9, aged 34: only the number is the span
        (re.compile(rf"\b(?:i'?m|i’m|i am|turn(?:ed|ing))\s+([1-9]\d)\b(?!\s*(?:{_UNITS}))", _I), 1),
        (re.compile(rf"\b(?:aged?|age of)\s+([1-9]?\d)\b(?!\s*(?:{_UNITS}))", _I), 1),
    ],
}

_TRAILING = ".,;:!?)'\""


def trim_url(text: str, start: int, end: int) -> int:
    """End of a URL match without trailing sentence punctuation (keeps a ')' that closes one in the URL)."""
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end
