"""Reading, shifting and coarsening the dates that detectors find, for the ``surrogate`` and ``generalize``
anonymizers.

``parse_date`` finds the first date core in a detected span ("March 3rd, 2021", "3 March", "12/03/2021",
"2021-03-12", "March 2021", "March", "2021", "Tuesday") and keeps the words around it ("last March", "the week of
March 3"); anything else (holidays, "two weeks ago") is not read. Numeric dates whose day and month cannot be
told apart (both <= 12) are read month-first and flagged ``ambiguous``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_INDEX = {m.lower(): i for i, m in enumerate(MONTHS, 1)} | {m[:3].lower(): i for i, m in enumerate(MONTHS, 1)}
_MONTH_INDEX["sept"] = 9
_MONTH = r"(?P<month>(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|" \
         r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|May)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?P<ord>st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_FORMS = (
    ("iso", re.compile(rf"\b{_YEAR}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b")),
    ("numeric", re.compile(r"\b(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{4}|\d\d)\b")),
    ("month_day", re.compile(rf"\b{_MONTH}[ \t]+{_DAY}\b(?:(?P<comma>,?)[ \t]+{_YEAR}\b)?")),
    ("day_month", re.compile(rf"\b{_DAY}(?P<of>[ \t]+of)?[ \t]+{_MONTH}(?:(?P<comma>,?)[ \t]+{_YEAR}\b)?")),
    ("month_year", re.compile(rf"\b{_MONTH}(?P<comma>,?)[ \t]+{_YEAR}\b")),
    ("month", re.compile(rf"\b{_MONTH}(?!\w)")),
    ("year", re.compile(rf"\b{_YEAR}\b")),
    ("weekday", re.compile(r"\b(?P<weekday>(?i:mon|tues|wednes|thurs|fri|satur|sun)day)\b")),
)


@dataclass(frozen=True)
class DateMention:
    """A date core found in a span: its parts (None when absent), its written form, and the text around it."""

    form: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    before: str = ""
    after: str = ""
    ordinal: bool = False
    comma: str = ""
    separator: str = "/"
    day_first: bool = False
    two_digit_year: bool = False
    padded: bool = False
    of: str = ""
    ambiguous: bool = False


def parse_date(surface: str) -> DateMention | None:
    """The first date core of ``surface`` (module docstring), or None."""
    for form, pattern in _FORMS:
        match = pattern.search(surface)
        if match is not None:
            mention = _read(form, match)
            if mention is not None:
                return dataclasses.replace(mention, before=surface[:match.start()], after=surface[match.end():])
    return None


def _read(form: str, m: re.Match) -> DateMention | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    if form == "iso":
        return _valid(DateMention(form, year, int(g["m"]), int(g["d"])))
    if form == "numeric":
        a, b, y = int(g["a"]), int(g["b"]), g["y"]
        full_year = int(y) if len(y) == 4 else 2000 + int(y) if int(y) < 50 else 1900 + int(y)
        day_first = a > 12
        month, day = (b, a) if day_first else (a, b)
        return _valid(DateMention(form, full_year, month, day, separator=g["sep"], day_first=day_first,
                                  two_digit_year=len(y) == 2, padded=g["a"].startswith("0") or g["b"].startswith("0"),
                                  ambiguous=a <= 12 and b <= 12 and a != b))
    if form == "weekday":
        return DateMention(form, weekday=WEEKDAYS.index(g["weekday"].capitalize()))
    month = _MONTH_INDEX.get(g["month"].lower().rstrip(".")) if g.get("month") else None
    day = int(g["day"]) if g.get("day") else None
    return _valid(DateMention(form, year, month, day, ordinal=bool(g.get("ord")), comma=g.get("comma") or "",
                              of=" of" if g.get("of") else ""))


def _valid(mention: DateMention) -> DateMention | None:
    if mention.month is not None and not 1 <= mention.month <= 12:
        return None
    if mention.day is not None and not 1 <= mention.day <= 31:
        return None
    return mention


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def format_core(m: DateMention) -> str:
    """The date core written back in its own form (no surrounding words)."""
    day = (_ordinal(m.day) if m.ordinal else str(m.day)) if m.day is not None else ""
    month = MONTHS[m.month - 1] if m.month else ""
    year = f"{m.comma} {m.year}" if m.year is not None else ""
    if m.form == "iso":
        return f"{m.year:04d}-{m.month:02d}-{m.day:02d}"
    if m.form == "numeric":
        first, second = (m.day, m.month) if m.day_first else (m.month, m.day)
        width = 2 if m.padded else 1
        y = f"{m.year % 100:02d}" if m.two_digit_year else str(m.year)
        return f"{first:0{width}d}{m.separator}{second:0{width}d}{m.separator}{y}"
    if m.form == "month_day":
        return f"{month} {day}{year}"
    if m.form == "day_month":
        return f"{day}{m.of} {month}{year}"
    if m.form == "month_year":
        return f"{month}{year}"
    if m.form == "month":
        return month
    if m.form == "year":
        return str(m.year)
    return WEEKDAYS[m.weekday or 0]


def shift(m: DateMention, days: int) -> DateMention:
    """``m`` moved by ``days`` (never by zero: a shifted mention always differs from the original). Parts that
    are absent move by the nearest whole unit: months for a month without a day, years for a year alone."""
    days = days or 1
    if m.form == "weekday":
        return dataclasses.replace(m, weekday=(m.weekday + (days % 7 or 1)) % 7)
    if m.day is not None and m.month is not None:
        start = dt.date(m.year or 2000, m.month, min(m.day, 28))
        moved = start + dt.timedelta(days=days)
        year = moved.year if m.year is not None else None
        return dataclasses.replace(m, year=year, month=moved.month, day=moved.day)
    if m.month is not None:
        months = round(days / 30.4) or (1 if days > 0 else -1)
        index = (m.year or 2000) * 12 + m.month - 1 + months
        return dataclasses.replace(m, year=index // 12 if m.year is not None else None, month=index % 12 + 1)
    years = round(days / 365.25) or (1 if days > 0 else -1)
    return dataclasses.replace(m, year=(m.year or 2000) + years)


def coarsen(m: DateMention | None, level: int) -> str:
    """A coarser stand-in: level 1 keeps the month (and year), level 2 only the year; "some time" when nothing
    that coarse is known (weekdays, ambiguous numeric dates at level 1 keep their year only)."""
    if m is None or m.form == "weekday":
        return "some time"
    if level >= 2 or m.month is None or m.ambiguous:
        return str(m.year) if m.year is not None else "some time"
    return f"{MONTHS[m.month - 1]} {m.year}" if m.year is not None else MONTHS[m.month - 1]
