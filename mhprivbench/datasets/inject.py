"""Embed synthetic persona mentions into real records, so PII and re-identification attacks have ground truth.

One synthetic persona per author (records without an author: per ``fields["thread_id"]``, else per record).
A share ``rate`` of records gets one short self-disclosure sentence (an age tag, a sign-off with a name or
handle, a workplace, ...) inserted at a sentence boundary; existing spans are shifted, new ones recorded.
All inserted text comes from the synthmh generator's own templates and identity pools, so the direct / quasi kind
of every injected span and persona attribute comes from the one table in ``mhprivbench.identifiers``.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Mapping, Sequence

from mhprivbench.datasets.corpus import Corpus
from mhprivbench.datasets.splits import group_key
from mhprivbench.datasets.synthmh import slots
from mhprivbench.datasets.synthmh.builder import TextBuilder
from mhprivbench.datasets.synthmh.compose import linkable
from mhprivbench.datasets.synthmh.persona import PersonaFactory
from mhprivbench.datasets.synthmh.plugin import GENERATOR_VERSION
from mhprivbench.datasets.synthmh.style import Style, sample_style
from mhprivbench.errors import ConfigError
from mhprivbench.types import Persona, Record, Span, hash_id

DISCLOSURES = (
    "For context I'm {age} and live in {city}.", "I'm {age_tag} from {city}.", "My name is {name}, by the way.",
    "I work at {org} as {a_occupation}.", "You can DM me, {handle}.", "Email me at {email} if you want to talk.",
    "Text me at {phone} if you need to.", "My therapist {clinician} told me to post this.",
    "Only my {relation} {family_member} knows about this.", "I'm {first_name}, {age}, from {city}.",
    "Sorry, {nickname} from {city} here.", "Ever since {event_date} I haven't been the same.",
)
HEADERS = ("({age_tag})", "{age_tag} here.", "[{age_tag}, {city}]")  # go first
SIGNOFFS = ("- {first_name} ({age_tag})", "- {name}", "-- {first_name}, {city}", "{handle}")  # go last, on their own line
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*\s+|\n+")


def _check(rate: float, n_decoys: int | None, corpus: Corpus) -> None:
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 1:
        raise ConfigError(f"inject_pii: rate must be a number in (0, 1], got {rate!r}")
    if n_decoys is not None and (isinstance(n_decoys, bool) or not isinstance(n_decoys, int) or n_decoys < 0):
        raise ConfigError(f"inject_pii: n_decoys must be an integer >= 0 or None, got {n_decoys!r}")
    if corpus.personas or corpus.persona_of:
        raise ConfigError(f"inject_pii: dataset {corpus.name!r} already has personas; inject into raw records only")


def boundaries(text: str, spans: Sequence[Span]) -> list[int]:
    """Offsets where a sentence may be inserted: start, after sentence ends / line breaks, end; none in a span."""
    points = [0, *(m.end() for m in _BOUNDARY.finditer(text)), len(text)]
    inside = [(s.start, s.end) for s in spans]
    return sorted({p for p in points if not any(a < p < b for a, b in inside)})


def disclosure(context: Mapping[str, str], style: Style, rng: random.Random) -> tuple[str, list[Span], str]:
    """Self-disclosure text that identifies the persona (a direct or two quasi identifiers), its spans, and
    where it goes: "start" (an age tag), "end" (a sign-off on its own line) or "any" sentence boundary."""
    where = rng.choices(("any", "start", "end"), (0.6, 0.2, 0.2))[0]
    b = TextBuilder()
    if where == "end":
        b.raw("\n")
    bank = {"any": DISCLOSURES, "start": HEADERS, "end": SIGNOFFS}[where]
    for attempt in range(3):
        if attempt:
            b.raw(" ")
        b.add(slots.render(b.pick(bank, rng), context, style, rng))
        if linkable(b.spans):
            break
        bank = DISCLOSURES
    return b.text(), b.spans, where


def insert(record: Record, text: str, spans: Sequence[Span], at: int) -> Record:
    """``record`` with ``text`` (and its ``spans``, relative to it) inserted at offset ``at``."""
    old = record.text
    before = "" if at == 0 or old[at - 1].isspace() or text[:1].isspace() else " "
    after = " " if at < len(old) and not old[at].isspace() else ""
    shift = at + len(before)
    added = len(before) + len(text) + len(after)
    moved = [s if s.start < at else dataclasses.replace(s, start=s.start + added, end=s.end + added)
             for s in record.spans]
    new = [dataclasses.replace(s, start=s.start + shift, end=s.end + shift) for s in spans]
    return dataclasses.replace(record, text=old[:at] + before + text + after + old[at:],
                               spans=tuple(sorted(moved + new, key=lambda s: (s.start, s.end))))


def _personas(n_people: int, n_decoys: int, seed: int) -> tuple[list[tuple[Persona, dict]], list[Persona]]:
    total = n_people + n_decoys
    order = random.Random(f"inject:{seed}:pids").sample(range(total), total)
    pids = [f"pi{k:0{max(5, len(str(total)))}d}" for k in order]
    factory = PersonaFactory(random.Random(f"inject:{seed}:personas"))
    people = [factory.make_identity(pid) for pid in pids[:n_people]]
    return people, [factory.make(pid) for pid in pids[n_people:]]


def inject_pii(corpus: Corpus, *, seed: int = 0, rate: float = 0.5, n_decoys: int | None = None) -> Corpus:
    """A new Corpus with persona mentions in about ``rate`` of the records, plus personas and decoys."""
    _check(rate, n_decoys, corpus)
    records = corpus.records
    rng = random.Random(f"inject:{seed}:records")
    chosen = set(rng.sample(range(len(records)), max(1, round(rate * len(records))) if records else 0))
    keys = list(dict.fromkeys(group_key(records[i]) for i in sorted(chosen)))
    people, decoys = _personas(len(keys), len(keys) if n_decoys is None else n_decoys, seed)
    persona_by_key = dict(zip(keys, people, strict=True))
    styles = {key: sample_style(random.Random(f"inject:{seed}:style:{key}")) for key in keys}
    persona_of: dict[str, str] = {}
    out: list[Record] = []
    for index, record in enumerate(records):
        key = group_key(record)
        if key not in persona_by_key:
            out.append(record)
            continue
        author = record.author if record.author is not None else "x" + hash_id(key, salt=f"inject:{seed}")[:12]
        persona, context = persona_by_key[key]
        persona_of[author] = persona.pid
        record = dataclasses.replace(record, author=author)
        if index in chosen:
            local = random.Random(f"inject:{seed}:record:{index}")
            text, spans, where = disclosure(context, styles[key], local)
            points = boundaries(record.text, record.spans)
            at = {"start": points[0], "end": points[-1]}.get(where, local.choice(points))
            record = insert(record, text, spans, at)
        out.append(record)
    metadata = {**corpus.metadata, "pii_injected": {
        "rate": rate, "seed": seed, "n_personas": len(people), "n_decoys": len(decoys),
        "n_records": len(chosen), "generator_version": GENERATOR_VERSION}}
    return dataclasses.replace(corpus, records=tuple(out), persona_of=persona_of, metadata=metadata,
                               personas=tuple(sorted([p for p, _ in people] + decoys, key=lambda p: p.pid)))
