"""inject_pii: synthetic persona mentions inserted into existing records, with exact (and shifted) spans."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from mhprivbench.datasets.corpus import Corpus
from mhprivbench.datasets.inject import boundaries, inject_pii, insert
from mhprivbench.datasets.synthmh import SynthMH, linkable
from mhprivbench.errors import ConfigError
from mhprivbench.types import Record, Span

SENTENCES = ("I have not slept properly in weeks.", "My manager Greta keeps calling me after hours!",
             "Is it normal to feel this flat?", "We moved house in spring and it has been a lot.",
             "some days are fine\nothers are not")


def _record(i: int) -> Record:
    text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + i % 3))
    spans = ()
    if "Greta" in text:  # a pre-existing annotation, not about any persona
        start = text.index("Greta")
        spans = (Span(start, start + 5, "PERSON", "quasi", "coworker"),)
    author = f"user{i % 6}" if i % 3 == 0 else None
    fields = {"thread_id": f"t{i % 9}"} if i % 3 == 1 else {}
    return Record(f"r{i:03d}", text, ("stress", "none", "depression")[i % 3], author=author, fields=fields,
                  spans=spans)


@pytest.fixture(scope="module")
def raw() -> Corpus:
    return Corpus(name="toy", records=tuple(_record(i) for i in range(60)), metadata={"revision": "v1"})


def _changed(raw: Corpus, injected: Corpus) -> list[tuple[Record, Record]]:
    return [(a, b) for a, b in zip(raw.records, injected.records, strict=True) if a.text != b.text]


def test_spans_exact_after_injection(raw):
    injected = inject_pii(raw, seed=3, rate=0.5)
    people = {p.pid: p for p in injected.personas}
    for old, new in zip(raw.records, injected.records, strict=True):
        assert old.uid == new.uid and old.label == new.label
        kept = [s for s in new.spans if s.attribute == "coworker"]
        assert [new.text[s.start:s.end] for s in kept] == [old.text[s.start:s.end] for s in old.spans]
        assert [s.start for s in new.spans] == sorted(s.start for s in new.spans)
        added = [s for s in new.spans if s.attribute != "coworker"]
        if old.text == new.text:
            assert not added
            continue
        persona = people[injected.persona_of[new.author]]
        assert added and linkable(added)
        for span in added:
            surface = new.text[span.start:span.end]
            assert surface and surface == surface.strip() and span.kind == persona.kinds[span.attribute]
            value = persona.attributes[span.attribute]
            if span.attribute == "phone":
                assert re.sub(r"\D", "", surface).endswith(value)
            elif span.attribute in ("email", "city", "age", "nickname", "employer", "school", "occupation"):
                assert surface.lower() == value.lower()
            elif span.attribute == "handle":
                assert surface.removeprefix("@").lower() == value.lower()
        # the original text is intact around one inserted block
        prefix = len(_common_prefix(old.text, new.text))
        suffix = len(_common_prefix(old.text[::-1], new.text[::-1]))
        assert prefix + suffix >= len(old.text)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


@pytest.mark.parametrize("rate", [0.1, 0.5, 1.0])
def test_rate_respected(raw, rate):
    injected = inject_pii(raw, seed=0, rate=rate)
    assert abs(len(_changed(raw, injected)) - rate * len(raw.records)) <= 1
    assert injected.metadata["pii_injected"]["rate"] == rate
    assert injected.metadata["revision"] == "v1"


def test_deterministic_and_seed_dependent(raw):
    assert inject_pii(raw, seed=1).content_hash == inject_pii(raw, seed=1).content_hash
    assert inject_pii(raw, seed=1).content_hash != inject_pii(raw, seed=2).content_hash


def test_one_persona_per_author_thread_or_record(raw):
    injected = inject_pii(raw, seed=4, rate=1.0)
    assert all(r.author is not None for r in injected.records)
    by_group: dict[str, set[str]] = {}
    for old, new in zip(raw.records, injected.records, strict=True):
        group = old.author or old.fields.get("thread_id") or old.uid
        by_group.setdefault(group, set()).add(new.author)
        if old.author is not None:
            assert new.author == old.author
        else:
            assert re.fullmatch(r"x[0-9a-f]{12}", new.author)  # opaque: no uid or thread id in it
    assert all(len(authors) == 1 for authors in by_group.values())
    assert len(set(injected.persona_of.values())) == len(by_group) == len(injected.persona_of)


def test_decoys_present(raw):
    injected = inject_pii(raw, seed=0, rate=0.3)
    used = set(injected.persona_of.values())
    pids = [p.pid for p in injected.personas]
    assert len(pids) == len(set(pids)) == 2 * len(used)  # default: as many decoys as injected personas
    assert inject_pii(raw, seed=0, rate=0.3, n_decoys=7).metadata["pii_injected"]["n_decoys"] == 7
    assert len(inject_pii(raw, seed=0, rate=0.3, n_decoys=0).personas) == len(used)


@pytest.mark.parametrize("rate", [0, -0.1, 1.5, "0.5", True, float("nan")])
def test_bad_rate_raises(raw, rate):
    with pytest.raises(ValueError, match="rate"):
        inject_pii(raw, rate=rate)


def test_refuses_a_corpus_that_already_has_personas():
    with pytest.raises(ConfigError, match="already has personas"):
        inject_pii(SynthMH(n_personas=4, posts_per_persona=1, n_decoys=0).load())


def test_insert_shifts_spans_by_hand():
    record = Record("u", "Hi. I am Bo.", "none", spans=(Span(0, 2, "X"), Span(9, 11, "PERSON")))
    assert boundaries(record.text, record.spans) == [0, 4, 12]
    new = insert(record, "Age 30.", [Span(4, 6, "AGE", "quasi", "age")], 4)
    assert new.text == "Hi. Age 30. I am Bo."
    assert [(s.start, s.end) for s in new.spans] == [(0, 2), (8, 10), (17, 19)]
    assert [new.text[s.start:s.end] for s in new.spans] == ["Hi", "30", "Bo"]
    first = insert(record, "(30F)", [Span(1, 3, "AGE", "quasi", "age")], 0)  # a span starting there moves
    assert first.text == "(30F) Hi. I am Bo."
    assert [first.text[s.start:s.end] for s in first.spans] == ["30", "Hi", "Bo"]
    end = insert(record, "- Al", [Span(2, 4, "PERSON", "quasi", "first_name")], 12)
    assert end.text == "Hi. I am Bo. - Al" and end.text[end.spans[-1].start:end.spans[-1].end] == "Al"


def test_injected_corpus_still_splits(raw):
    splits = inject_pii(raw, seed=0, rate=0.5).split(seed=0)
    assert Counter(len(part) > 0 for part in (splits.train, splits.test, splits.control)) == {True: 3}
