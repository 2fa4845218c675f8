"""One table of identifier kinds (mhprivbench.identifiers): synthmh spans and personas, inject_pii, the linkage
attacker and the regex anonymizer all take direct / quasi from it."""

from __future__ import annotations

import pytest

from mhprivbench import identifiers
from mhprivbench.anonymizers.regex import RegexAnonymizer
from mhprivbench.anonymizers.regex_patterns import DIRECT, ENTITIES, QUASI
from mhprivbench.attacks import _persona_index
from mhprivbench.attacks._persona_index import PersonaIndex
from mhprivbench.datasets.corpus import Corpus
from mhprivbench.datasets.inject import inject_pii
from mhprivbench.datasets.synthmh import DIRECT_ATTRIBUTES, STRONG_QUASI
from mhprivbench.testing import tiny_corpus
from mhprivbench.types import Persona, Record


@pytest.fixture(scope="module")
def corpus():
    return tiny_corpus(seed=1)


def test_decisions_in_the_table():
    kinds = identifiers.ATTRIBUTE_KINDS
    assert kinds["address"] == "direct" and kinds["street"] == "quasi"  # a house number + street: a household
    assert {a for a in ("name", "phone", "email", "handle", "url") if kinds[a] == "direct"} == {
        "name", "phone", "email", "handle", "url"}
    assert all(kinds[a] == "quasi" for a in ("first_name", "nickname", "city", "age", "dob", "gender", "employer"))
    assert identifiers.attribute_kind("mobile_phone") == "direct" and identifiers.attribute_kind("hobby") == "quasi"
    assert identifiers.entity_kind("person") == "direct" and identifiers.entity_kind("LOCATION") == "quasi"
    assert identifiers.entity_kind("SOMETHING_NEW") == "quasi"
    table = identifiers.markdown_table()
    assert table.count("\n") == 1 + len(identifiers.ATTRIBUTE_KINDS) + len(identifiers.ENTITY_KINDS)
    assert "| attribute `address` | direct |" in table


def test_synthmh_span_and_persona_kinds_come_from_the_table(corpus):
    for persona in corpus.personas:
        assert dict(persona.kinds) == identifiers.kinds_of(persona.attributes)
    spans = [s for r in corpus.records for s in r.spans]
    assert {s.attribute for s in spans} >= {"name", "address", "city", "age"}
    assert all(s.kind == identifiers.attribute_kind(s.attribute) for s in spans)
    assert {s.kind for s in spans if s.attribute == "address"} == {"direct"}
    direct = {a for a, k in identifiers.ATTRIBUTE_KINDS.items() if k == "direct"}
    assert direct == DIRECT_ATTRIBUTES
    assert all(identifiers.attribute_kind(a) == "quasi" for a in STRONG_QUASI)


def test_linkage_kinds_come_from_the_table(corpus):
    for persona in corpus.personas[:20]:
        undeclared = Persona(persona.pid, persona.attributes)  # no kinds: the attacker falls back on the table
        for attribute in persona.attributes:
            expected = identifiers.attribute_kind(attribute)
            assert _persona_index.attribute_kind(persona, attribute) == expected
            assert _persona_index.attribute_kind(undeclared, attribute) == expected
    index = PersonaIndex([Persona("p0", {"address": "42 Maple Ave", "city": "Leeds"})], specificity=False)
    assert index.score("I'm at 42 Maple Ave") == {0: 4.0}  # a full address: the direct weight
    assert index.score("we're on Maple Ave") == {0: 2.0}  # the street alone: half of it
    assert index.score("from Leeds") == {0: 1.0}


def test_injected_spans_take_their_kind_from_the_table():
    raw = Corpus(name="toy", records=tuple(Record(f"r{i}", "I have not slept. It is a lot.", "none", author=f"u{i}")
                                           for i in range(40)), metadata={"revision": "v1"})
    injected = inject_pii(raw, seed=2, rate=1.0)
    spans = [s for r in injected.records for s in r.spans]
    assert spans and all(s.kind == identifiers.attribute_kind(s.attribute) for s in spans)
    assert all(dict(p.kinds) == identifiers.kinds_of(p.attributes) for p in injected.personas)


def test_regex_anonymizer_kinds_come_from_the_entity_table():
    assert set(DIRECT) | set(QUASI) == set(ENTITIES)
    assert all(identifiers.entity_kind(e) == "direct" for e in DIRECT)
    assert all(identifiers.entity_kind(e) == "quasi" for e in QUASI)
    text = "I'm 34, call 555-201-3344, it started March 3rd 2021 - Dana"
    [spans] = RegexAnonymizer().detect([text])
    assert {s.entity for s in spans} >= {"AGE", "PHONE_NUMBER", "DATE_TIME"}
    assert all(s.kind == identifiers.entity_kind(s.entity) for s in spans)


def test_synthmh_direct_attributes_never_repeat():
    import random

    from mhprivbench.datasets.synthmh import PersonaFactory

    factory = PersonaFactory(random.Random(5))
    personas = [factory.make(f"p{i}") for i in range(5000)]  # ~3 repeated addresses expected without _unique
    for attribute in ("name", "phone", "email", "handle", "address"):
        assert identifiers.attribute_kind(attribute) == "direct"
        values = [p.attributes[attribute] for p in personas]
        assert len(set(values)) == len(values), attribute
