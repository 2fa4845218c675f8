"""The one table of identifier kinds: which persona attributes and which entity types are *direct* identifiers
(they single a person out on their own) and which are *quasi* identifiers (they narrow the candidates down and
identify in combination).

Everything that labels identifiers reads it: synthmh personas (``Persona.kinds``) and their ground-truth spans,
``inject_pii`` (which reuses synthmh's personas and mentions), the linkage attacker's persona index, and the
``regex`` anonymizer's detected spans. A ground-truth span takes the kind of the persona attribute it reveals; the
entity table is the fallback for detectors, which see an entity type but no attribute (a detected PERSON is most
often a full name, a LOCATION most often a city).

Decisions: a street ``address`` is direct (a house number and street identify a household, and a partial
address counts as a partly revealed direct identifier); a ``street`` attribute without a house number is quasi.
First names, nicknames and the names of a person's clinician or family are quasi: common on their own, strong in
combination with a city or an employer.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from mhprivbench.types import IdentifierKind

DIRECT: IdentifierKind = "direct"
QUASI: IdentifierKind = "quasi"

ATTRIBUTE_KINDS: Mapping[str, IdentifierKind] = MappingProxyType({
    # direct: the person's own unique handles on the world
    "name": DIRECT, "full_name": DIRECT, "phone": DIRECT, "email": DIRECT, "address": DIRECT,
    "username": DIRECT, "handle": DIRECT, "url": DIRECT, "ssn": DIRECT, "mrn": DIRECT, "nhs_number": DIRECT,
    "insurance_id": DIRECT,
    # quasi: shared with many people, identifying in combination
    "first_name": QUASI, "nickname": QUASI, "clinician": QUASI, "family_member": QUASI, "age": QUASI,
    "dob": QUASI, "gender": QUASI, "city": QUASI, "region": QUASI, "street": QUASI, "employer": QUASI,
    "school": QUASI, "occupation": QUASI, "event_date": QUASI,
})

ENTITY_KINDS: Mapping[str, IdentifierKind] = MappingProxyType({
    "PERSON": DIRECT, "EMAIL_ADDRESS": DIRECT, "PHONE_NUMBER": DIRECT, "URL": DIRECT, "USERNAME": DIRECT,
    "ADDRESS": DIRECT, "US_SSN": DIRECT, "UK_NHS": DIRECT, "IBAN_CODE": DIRECT, "CREDIT_CARD": DIRECT,
    "IP_ADDRESS": DIRECT, "ID": DIRECT,  # ID: a record / account number (MRN, patient, member, policy number)
    "AGE": QUASI, "DATE_TIME": QUASI, "GENDER": QUASI, "LOCATION": QUASI, "ORGANIZATION": QUASI,
    "OCCUPATION": QUASI, "NRP": QUASI,
})

_PHONE_WORDS = ("phone", "mobile", "tel")  # unlisted attributes named like a phone number are direct


def attribute_kind(attribute: str) -> IdentifierKind:
    """Kind of a persona attribute: the table, else direct for phone-like names, else quasi."""
    name = attribute.lower()
    kind = ATTRIBUTE_KINDS.get(name)
    if kind is not None:
        return kind
    return DIRECT if any(word in name for word in _PHONE_WORDS) else QUASI


def entity_kind(entity: str) -> IdentifierKind:
    """Kind of a detected entity type (no attribute known): the table, else quasi."""
    return ENTITY_KINDS.get(entity.upper(), QUASI)


def kinds_of(attributes: Mapping[str, object]) -> dict[str, IdentifierKind]:
    """``Persona.kinds`` for these attributes."""
    return {key: attribute_kind(key) for key in attributes}


def markdown_table() -> str:
    """The table as markdown (for the README): one row per attribute, then one per entity type."""
    rows = ["| identifier | direct / quasi |", "|---|---|"]
    rows += [f"| attribute `{name}` | {kind} |" for name, kind in ATTRIBUTE_KINDS.items()]
    rows += [f"| entity `{name}` | {kind} |" for name, kind in ENTITY_KINDS.items()]
    return "\n".join(rows)
