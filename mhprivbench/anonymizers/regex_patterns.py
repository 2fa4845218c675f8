"""Rules of the ``regex`` anonymizer, a list per entity (``regex_checks.Rule``: pattern, group, check, gates).

The detected span is ``match.span(rule.group)``, kept when ``rule.check`` (if any) accepts its string. Patterns
favour precision on ordinary prose ("I slept 8 hours", "3 weeks", "20mg" are not PII) over catching every exotic
format; names, places and organisations in free prose are left to NER-based anonymizers. Structured identifiers
with checksums (cards, IBANs, NHS and SSN numbers, IP addresses, cued ID numbers) live in ``regex_ids``.

Speed: most patterns begin with one character class and then check the character before it with a lookbehind
(``\\d(?<!\\w\\d)`` instead of ``\\b\\d``): Python's ``re`` then skips ahead to that character instead of trying the
whole pattern at every position. Gates skip a rule on texts with too few digits or without a required substring.
"""

from __future__ import annotations

import re

from mhprivbench.anonymizers.regex_checks import Rule, digit_count
from mhprivbench.anonymizers.regex_ids import ID_RULES
from mhprivbench.identifiers import DIRECT as _DIRECT_KIND
from mhprivbench.identifiers import entity_kind

# Detected entities in overlap priority order (longest span first; ties go to the earlier entity here).
ENTITIES = ("EMAIL_ADDRESS", "IBAN_CODE", "CREDIT_CARD", "US_SSN", "UK_NHS", "ID", "IP_ADDRESS", "PHONE_NUMBER",
            "URL", "USERNAME", "PERSON", "ADDRESS", "DATE_TIME", "AGE")
DIRECT = tuple(e for e in ENTITIES if entity_kind(e) == _DIRECT_KIND)
QUASI = tuple(e for e in ENTITIES if e not in DIRECT)

_I = re.IGNORECASE
# Month names: first letter as a class (fast scan), the rest case-insensitive; "May" only capitalised.
_MONTH = (
    r"[JFMASONDjfmasond](?<!\w.)(?:(?<=[Jj])(?i:an(?:uary)?|une?|uly?)|(?<=[Ff])(?i:eb(?:ruary)?)|"
    r"(?<=[Mm])(?i:ar(?:ch)?)|(?<=M)ay|(?<=[Aa])(?i:pr(?:il)?|ug(?:ust)?)|(?<=[Ss])(?i:ep(?:t(?:ember)?)?)|"
    r"(?<=[Oo])(?i:ct(?:ober)?)|(?<=[Nn])(?i:ov(?:ember)?)|(?<=[Dd])(?i:ec(?:ember)?))\b\.?"
)
_YEAR = r"(?:1[89]|20)\d\d\b"
_TLD = r"(?:com|org|net|io|co|edu|gov|me|info|ly|uk|us|ca|au|nz|ie|eu|de|fr|app|dev|tv|gg|fm|xyz|blog|site)"
_UNITS = (
    r"%|percent|min(?:ute)?s?\b|h(?:ou)?rs?\b|days?\b|weeks?\b|months?\b|times?\b|pounds?\b|lbs?\b|kgs?\b|kilos?\b|"
    r"miles?\b|km\b|feet\b|ft\b|inch(?:es)?\b|cm\b|mg\b|dollars?\b|k\b|[ap]\.?m\b|:|[.,]\d|"
    r"years?\s+(?:in|into|sober|clean|since|ago|of|later)\b"
)
# A capitalised name after "I'm" / "I am" / "this is": one rule per cue, each starting with its literal text
_SELF_NAMED_CUES = (r"'m (?<=\b[Ii]'m )", r"’m (?<=\b[Ii]’m )", r" am (?<=\b[Ii] am )", r"his is (?<=\b[Tt]his is )")
# Two digits after "I'm" / "im" / "I am" / "turned" / "turning" (case-insensitive), anchored on the first digit
_AGE_CUED = (r"[1-9](?:(?<=\bi['’]m [1-9])|(?<=\bim [1-9])|(?<=\bi am [1-9])|(?<=\bturned [1-9])|"
             r"(?<=\bturning [1-9]))\d\b")

_STREET_WORD = r"[A-Z][a-z]+"
_SUFFIX_NUMBERED = (  # after a house number any street suffix will do
    r"(?:St|Street|Ave|Avenue|Rd|Road|Ln|Lane|Dr|Drive|Ct|Court|Blvd|Boulevard|Way|Pl|Place|Terrace|Close|"
    r"Crescent|Cres|Grove|Gardens|Square|Sq|Row|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Mews|Walk)\b"
)
# without a number only St, Street, Ave, Avenue, Rd, Road, Blvd, Boulevard (not Lane, Drive, Way)
_SUFFIX_LOWER = r"(?:st|street|ave|avenue|rd|blvd)\b"  # all-lowercase addresses: unambiguous suffixes only
_UNIT = r"(?:,?[ \t]+(?i:apt|apartment|unit|suite|ste|flat)\.?[ \t]*#?[0-9][0-9A-Za-z]{0,4}\b|[ \t]*#[0-9]{1,5}\b)?"
_HOUSE = r"\d(?<!\w\d)\d{0,4}[A-Za-z]?"

_NAME_WORD = r"[A-Z][a-z'’-]+"
_NAME = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}"
_SIGN_OFF = r"(?:[-~—–]+[ \t]*|(?i:xo|xoxo|cheers|thanks|love|best)[,!]?[ \t]+)"
_LAST_LINE = 120  # end-anchored signature rules look at the last characters only
_NUM_DATE = re.compile(r"\d[/.-]\d")
_DAY_OR_YEAR = re.compile(r"\D*(\d+)([a-zA-Z]*)(.*)", re.DOTALL)


def _day_or_year(value: str) -> bool:
    """A month, then a day 1-31 (optionally with st/nd/rd/th and a year) or a year 1800-2099 on its own."""
    number, suffix, rest = _DAY_OR_YEAR.fullmatch(value).groups()  # type: ignore[union-attr]
    if len(number) == 4:
        return not suffix and not rest and 1800 <= int(number) <= 2099
    return len(number) <= 2 and 1 <= int(number) <= 31


PROSE_RULES: dict[str, list[Rule]] = {
    # Names only in the contexts where people name themselves: form fields, self-introductions, sign-offs.
    "PERSON": [
        Rule(re.compile(r"(?im)^[ \t]*(?:full[ \t]+)?name[ \t]*[:=][ \t]*([a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+){0,2})"),
             1, needs=("ame:", "ame :", "ame=", "AME:", "AME :")),
        Rule(re.compile(r"(?i)\b(?:my name is|my name's|name's|call me)[ \t]+([a-z][a-z'’-]+(?:[ \t]+[a-z][a-z'’-]+)?)"),
             1, needs=("ame is", "ame Is", "ame's", "AME IS", "AME'S", "all me", "ALL ME", "all Me")),
        *(Rule(re.compile(rf"{cue}({_NAME})"), 1) for cue in _SELF_NAMED_CUES),
        Rule(re.compile(rf"\n[ \t]*{_SIGN_OFF}([A-Za-z][\w.'’-]{{1,30}})[ \t]*$"), 1, tail=_LAST_LINE),
        # a closing signature line: one to three name-like words, nothing else, at the very end of the text
        Rule(re.compile(r"\n[ \t]*([A-Za-z][\w.'’-]{1,30}(?:[ \t]+[A-Za-z][\w'’-]{1,30}){0,2})[ \t]*$"), 1,
             tail=_LAST_LINE),
    ],
    "EMAIL_ADDRESS": [
        # anchored on the "@"; the local part is the context before it
        Rule(re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"), needs=("@",),
             before=re.compile(r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*\Z"), window=64, extend=True),
    ],
    "PHONE_NUMBER": [
        # North American: 555-201-3344, (555) 201 3344, +1 555 201 3344, 555.201.3344, 5552013344, +1-555-...
        Rule(re.compile(r"[+(\d](?<![\w+].)(?:(?<=\+)1[\s.-]?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)|"
                        r"(?<=1)[\s.-]?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)|(?<=\()\d{3}\)\s?|(?<=\d)\d\d[\s.-]?)"
                        r"\d{3}[\s.-]?\d{4}(?!\w)"), min_digits=10),
        # International, + or 00 and a country code: +44 20 7946 0958, +44 (0)20 7946 0958, +49 30 1234567,
        # 0044 20 7946 0958, +33 6 12 34 56 78
        Rule(re.compile(r"\+(?<![\w+]\+)[1-9]\d{0,2}(?:[ .-]?\((?:0|\d{1,4})\))?(?:[ .-]?\d){6,12}(?!\w)"),
             check=digit_count(8, 15), min_digits=8, needs=("+",)),
        Rule(re.compile(r"0(?<![\w+]0)0[1-9]\d{0,2}(?:[ .-]?\((?:0|\d{1,4})\))?(?:[ .-]?\d){6,12}(?!\w)"),
             check=digit_count(10, 17), min_digits=10, needs=("00",)),
        # National numbers with a trunk 0: 020 7946 0958, (020) 7946 0958, 07700 900123, 030 1234567
        Rule(re.compile(r"(?:0(?<![\w+(]0)\d{1,4}|\((?<![\w+]\()0\d{1,4}\))[ -]?\d{3,4}[ -]?\d{3,4}(?!\w|[ -]\d)"),
             check=digit_count(10, 11), min_digits=10),
        # French style: 01 23 45 67 89
        Rule(re.compile(r"0(?<![\w+]0)[1-9](?:[ .]\d\d){4}(?!\w|[ .]\d)"), min_digits=10),
    ],
    "URL": [
        Rule(re.compile(r"\b(?:https?://|www\.)[^\s<>\"'\[\]{}]+", _I), needs=("http", "www", "HTTP", "WWW", "Www")),
        # bare domains, anchored on ".com" etc.; the labels before it are the context
        Rule(re.compile(rf"\.(?i:{_TLD})\b(?:/[^\s<>\"'\[\]{{}}]*)?"), needs=(".",),
             before=re.compile(r"(?<![@\w.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\Z"), window=64, extend=True),
    ],
    "USERNAME": [
        Rule(re.compile(r"@(?<![\w@./]@)[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])"), needs=("@",)),
        Rule(re.compile(r"u/(?<![\w]u/)[A-Za-z0-9_-]{3,20}(?:\.[A-Za-z0-9_-]+)*\b"), needs=("u/",),
             before=re.compile(r"(?<![\w/])/?\Z"), window=1, extend=True),
        # handle-shaped words: letters joined by _ or ., or letters followed by two or more digits
        # (anchored on the first separator / the first digit; the letters before it are the context)
        Rule(re.compile(r"[_.](?<=[a-z0-9][_.])[a-z0-9]+(?:[_.][a-z0-9]+)*(?![\w@/-]|\.[a-z])"),
             check=re.compile(r"[a-z]{3}").search, before=re.compile(r"(?<![\w@./-])[a-z][a-z0-9]*\Z"), extend=True),
        Rule(re.compile(r"\d(?<=[a-z]\d)\d+(?![\w@/-])"), min_digits=2,
             before=re.compile(r"(?<![\w@./-])[a-z]{3,}\Z"), extend=True),
    ],
    # Street addresses (direct: a house number and a street identify a household), with or without a cue:
    # "42 Maple Ave", "221B Baker Street, Apt 4"; lower case only with st / street / ave / avenue / rd / blvd;
    # "Maple Ave" / "Main Street" without a number only with suffixes that are rarely other words.
    "ADDRESS": [
        Rule(re.compile(rf"{_HOUSE}[ \t]+{_STREET_WORD}(?:[ \t]+{_STREET_WORD}){{0,2}}[ \t]+{_SUFFIX_NUMBERED}{_UNIT}"),
             min_digits=1),
        Rule(re.compile(rf"{_HOUSE}[ \t]+[a-z]{{3,}}(?:[ \t]+[a-z]{{3,}})?[ \t]+{_SUFFIX_LOWER}{_UNIT}"), min_digits=1),
        # anchored on the suffix; the street name before it is the context
        Rule(re.compile(r"[SARB](?<=[ \t][SARB])(?:t|treet|ve|venue|d|oad|lvd|oulevard)\b"),
             before=re.compile(rf"[A-Z](?<!\w.)[a-z]+(?:[ \t]+{_STREET_WORD})?[ \t]+\Z"), extend=True),
    ],
    "DATE_TIME": [
        Rule(re.compile(r"\d(?<!\w\d)(?:(?<=0)[1-9]|(?<=[12])\d?|(?<=3)[01]?|(?<=[4-9]))([/.-])"
                        r"(?:0?[1-9]|[12]\d|3[01])\1(?:\d{4}|\d{2})\b"),
             min_digits=4, gate=_NUM_DATE),
        Rule(re.compile(r"\b(?:1[89]|20)\d\d([/.-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])\b"),
             min_digits=6, gate=_NUM_DATE),
        # a day or a year after a month name (the span starts at the month): March 3rd, Mar 3, 2021, May 2024
        Rule(re.compile(rf"\d(?<!\w\d)\d{{0,3}}(?i:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?"), check=_day_or_year,
             min_digits=1, gate=re.compile(rf"{_MONTH}\s+\d"), before=re.compile(rf"{_MONTH}\s+\Z"), window=16,
             extend=True),
        Rule(re.compile(rf"\d(?<!\w\d)(?:(?<=[12])\d|(?<=3)[01]|(?<=0)[1-9])?(?i:st|nd|rd|th)?\b\s+(?:(?i:of)\s+)?"
                        rf"{_MONTH}(?:,?\s+{_YEAR})?"), check=lambda s: 1 <= int(re.match(r"\d+", s).group()) <= 31,
             min_digits=1),
    ],
    "AGE": [
        # 34M, 28F, 28/F, F/28 (the sex letter is part of the span)
        Rule(re.compile(r"[1-9](?<![\w/$£€.#][1-9])\d(?:\s?[MF]|\s?/\s?[MFmf])(?![\w/])"), min_digits=2),
        Rule(re.compile(r"[MF](?<![\w/$£€.#][MF])\s?/\s?[1-9]\d(?![\w/])"), min_digits=2, needs=("/",)),
        # [28f], (M34), (28 / m): brackets make lower case and letter-first forms safe; brackets not in the span
        Rule(re.compile(r"[\[(]\s*([1-9]\d\s?/?\s?[MFmf]|[MFmf]\s?/?\s?[1-9]\d)\s*[\])]"), 1, min_digits=2,
             needs=("(", "[")),
        # 34 yo, 34yo, 34 y/o, 34 y.o., 34 years old, 34-year-old, 34 yrs old
        Rule(re.compile(r"\d(?<!\w\d)\d?(?:\s?(?:yo|y/o|y\.o)\b\.?|[\s-](?:years?|yrs?)[\s-]old\b)", _I),
             check=lambda s: not s.startswith("0"), min_digits=1,
             needs=("yo", "y/o", "y.o", "old", "YO", "Yo", "Y/O", "Y.O", "OLD", "Old")),
        # I'm 34, I am 34, turned 34 (two digits), age 9, aged 34: only the number is the span
        Rule(re.compile(rf"{_AGE_CUED}(?!\s*(?:{_UNITS}))", _I), min_digits=2),
        Rule(re.compile(rf"[aA](?<!\w.)(?i:ged?|ge of)\s+([1-9]?\d)\b(?!\s*(?:{_UNITS}))", _I), 1, min_digits=1,
             needs=("age", "Age", "AGE")),
    ],
}

PATTERNS: dict[str, list[Rule]] = {**PROSE_RULES, **ID_RULES}
assert set(PATTERNS) == set(ENTITIES), "every detected entity has rules and a priority"

_TRAILING = ".,;:!?)'\""


def trim_url(text: str, start: int, end: int) -> int:
    """End of a URL match without trailing sentence punctuation (keeps a ')' that closes one in the URL)."""
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end
