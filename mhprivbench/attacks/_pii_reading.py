"""What an attacker can read of a ground-truth identifier: identifiers collected from the spans of train records,
the *exact* rule (its token sequence, or a phone's digit string) and the *near-copy* rule (a surviving distinctive
token, exactly or one edit away, or its digits reformatted); ``pii_leak`` documents and scores them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from mhprivbench.attacks import _text
from mhprivbench.types import Record

COMMON_OWNER_SHARE = 0.05  # a token in the identifiers of at least this share of owners (and of >= 3) is common
MIN_COMMON_OWNERS = 3
MIN_TEXT_OWNERS = 2  # a token in the non-PII text of this many owners is an ordinary word


@dataclass(frozen=True)
class Identifier:
    owner: str = field(repr=False)
    kind: str
    surface: str = field(repr=False)  # normalized (casefolded, whitespace collapsed)
    tokens: tuple[str, ...] = field(repr=False)
    digits: str | None = field(repr=False)  # phone numbers: the digit string the exact rule looks for
    entity: str = ""
    distinctive: tuple[str, ...] = field(default=(), repr=False)  # tokens that identify on their own
    number: str | None = field(default=None, repr=False)  # its digits, when >= 4 and not a common token


@dataclass(frozen=True)
class Reading:
    """One identifier in one view: readable under the exact rule, under the near-copy rule, and how many of its
    distinctive tokens are readable."""

    exact: bool
    near: bool
    tokens_read: int = 0
    tokens: int = 0


def owner_of(record: Record) -> str:
    return record.author if record.author is not None else f"uid:{record.uid}"


def _raw_identifiers(records: Sequence[Record]) -> dict[tuple[str, str, str], tuple[str, tuple[str, ...], bool]]:
    """{(owner, entity, surface): (kind, tokens, is phone)}; 'direct' when any mention is direct."""
    found: dict[tuple[str, str, str], tuple[str, tuple[str, ...], bool]] = {}
    for record in records:
        for span in record.spans:
            surface = _text.normalize(record.text[span.start:span.end])
            toks = _text.tokens(surface)
            if len(surface) < _text.MIN_SURFACE_CHARS or not toks:
                continue
            key = (owner_of(record), span.entity, surface)
            kind = "direct" if span.kind == "direct" or found.get(key, ("",))[0] == "direct" else "quasi"
            found[key] = (kind, toks, _text.is_phone(span.entity, span.attribute))
    return found


def _outside_spans(record: Record) -> str:
    """The record's text with every ground-truth span cut out (line breaks keep tokens apart)."""
    parts, last = [], 0
    for span in sorted(record.spans, key=lambda s: s.start):
        parts.append(record.text[last:max(last, span.start)])
        last = max(last, span.end)
    return "\n".join([*parts, record.text[last:]])


def common_tokens(records: Sequence[Record], raw=None) -> frozenset[str]:
    """Tokens that single nobody out: in the non-PII text of >= 2 owners, or in the identifiers of >= 5% (and
    >= 3) of the owners."""
    raw = _raw_identifiers(records) if raw is None else raw
    in_text: dict[str, set[str]] = defaultdict(set)
    for record in records:
        owner = owner_of(record)
        for token in set(_text.tokens(_outside_spans(record))):
            in_text[token].add(owner)
    carried: dict[str, set[str]] = defaultdict(set)
    for (owner, _, _), (_, toks, _) in raw.items():
        for token in toks:
            carried[token].add(owner)
    limit = max(MIN_COMMON_OWNERS, COMMON_OWNER_SHARE * len({owner_of(r) for r in records}))
    return frozenset({t for t, owners in in_text.items() if len(owners) >= MIN_TEXT_OWNERS}
                     | {t for t, owners in carried.items() if len(owners) >= limit})


def collect_identifiers(records: Sequence[Record], common: frozenset[str] | None = None) -> list[Identifier]:
    """Distinct (owner, entity, surface) identifiers; ``common`` (default: ``common_tokens(records)``) decides
    which of their tokens are distinctive."""
    raw = _raw_identifiers(records)
    common = common_tokens(records, raw) if common is None else common
    out = []
    for key in sorted(raw):
        kind, toks, phone = raw[key]
        digits = _text.digits(key[2])
        number = digits if len(digits) >= _text.MIN_DISTINCTIVE_DIGITS and digits not in common else None
        distinctive = tuple(dict.fromkeys(t for t in toks if _text.is_distinctive(t, common)))
        out.append(Identifier(key[0], kind, key[2], toks, digits if phone and len(digits) >= 2 else None,
                              entity=key[1], distinctive=distinctive, number=number))
    return out


def readable_in(view: _text.TextView, ident: Identifier) -> bool:
    """The exact rule: the token sequence, or a phone number's digit string."""
    return view.has_tokens(ident.tokens) or (ident.digits is not None and view.has_digits(ident.digits))


class NearCopies:
    """Near-copy look-ups shared by every view of one run, over the distinctive tokens and numbers of the
    identifiers: ``hits(words, runs)`` = the ones a text with these tokens and digit runs reads."""

    def __init__(self, idents: Iterable[Identifier], common: frozenset[str]) -> None:
        idents = list(idents)
        self.common = common
        self.letters = _text.NearIndex((t for i in idents for t in i.distinctive if not t.isdigit()),
                                       _text.MIN_NEAR_CHARS)
        numbers = {t for i in idents for t in i.distinctive if t.isdigit()} | {i.number for i in idents if i.number}
        self.numbers = _text.NearIndex(numbers, _text.MIN_NEAR_DIGITS)
        self.lengths = sorted({len(n) for n in numbers if len(n) >= _text.MIN_NEAR_DIGITS})

    def hits(self, words: Iterable[str], runs: Iterable[str] = ()) -> frozenset[str]:
        """Distinctive tokens and numbers read by these text tokens (common words never match) and digit runs."""
        found: set[str] = set()
        for word in words:
            if word.isdigit():
                if len(word) >= _text.MIN_DISTINCTIVE_DIGITS:
                    found |= self.numbers.matches(word)
            elif len(word) >= _text.MIN_DISTINCTIVE_CHARS and word not in self.common:
                found |= self.letters.matches(word)
        for run in runs:  # a number inside a longer run: a country code before it, an extension after it
            if len(run) >= _text.MIN_DISTINCTIVE_DIGITS:
                found |= self.numbers.matches(run)
                for n in self.lengths:
                    if n < len(run):
                        found |= self.numbers.matches(run[:n]) | self.numbers.matches(run[-n:])
        return frozenset(found)


def near_reading(exact: bool, hits: frozenset[str], ident: Identifier) -> Reading:
    """The near-copy rule on top of the exact verdict, given the distinctive strings a view reads."""
    found = [t in hits for t in ident.distinctive]
    near = exact or any(found) or (ident.number is not None and ident.number in hits)
    return Reading(exact=exact, near=near, tokens_read=sum(found), tokens=len(found))


class Evidence:
    """What the attacker reads in one view: the exact token sequences and, computed on first use, near copies."""

    def __init__(self, texts: Iterable[str], near: NearCopies) -> None:
        self.view = _text.TokenView(texts)
        self._near = near
        self._hits: frozenset[str] | None = None

    def read(self, ident: Identifier) -> Reading:
        """``ident`` under both rules in this view."""
        if self._hits is None:
            self._hits = self._near.hits(self.view.token_set, self.view.runs)
        return near_reading(readable_in(self.view, ident), self._hits, ident)


def model_checker(vocabulary: frozenset[str], near: NearCopies) -> Callable[[Identifier], Reading | None]:
    vocabulary = frozenset(t for v in vocabulary for t in _text.tokens(str(v)))
    hits = near.hits(vocabulary)

    def check(ident: Identifier) -> Reading | None:
        usable = [t for t in ident.tokens if len(t) >= 2]  # word featurizers drop 1-char tokens
        if not usable:
            return None
        return near_reading(all(t in vocabulary for t in usable), hits, ident)

    return check
