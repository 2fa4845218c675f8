"""The hardened ``regex`` anonymizer: international phones, SSN / NHS / cued ID numbers, IP addresses, IBANs and
card numbers with their checksums (near misses rejected), street addresses; gates that only skip work."""

from __future__ import annotations

import time

import pytest

from mhprivbench import identifiers
from mhprivbench.anonymizers import regex as regex_module
from mhprivbench.anonymizers.regex import RegexAnonymizer
from mhprivbench.anonymizers.regex_checks import card_ok, iban_ok, luhn_ok, nhs_ok, ssn_ok
from mhprivbench.anonymizers.regex_patterns import ENTITIES

POSITIVES = [
    ("call +44 20 7946 0958 today", "+44 20 7946 0958", "PHONE_NUMBER"),
    ("ring +49 30 1234567.", "+49 30 1234567", "PHONE_NUMBER"),
    ("or 0044 20 7946 0958 then", "0044 20 7946 0958", "PHONE_NUMBER"),
    ("it's +44 (0)20 7946 0958 ok", "+44 (0)20 7946 0958", "PHONE_NUMBER"),
    ("landline 020 7946 0958 ok", "020 7946 0958", "PHONE_NUMBER"),
    ("mobile 07700 900123, ok", "07700 900123", "PHONE_NUMBER"),
    ("text (555) 123-4567 ok", "(555) 123-4567", "PHONE_NUMBER"),
    ("text 555.123.4567 ok", "555.123.4567", "PHONE_NUMBER"),
    ("text +1-555-123-4567 ok", "+1-555-123-4567", "PHONE_NUMBER"),
    ("appel au 01 23 45 67 89 ok", "01 23 45 67 89", "PHONE_NUMBER"),
    ("my ssn 123-45-6789 ok", "123-45-6789", "US_SSN"),
    ("SSN: 219099999 ok", "219099999", "US_SSN"),
    ("my NHS number is 943 476 5919.", "943 476 5919", "UK_NHS"),
    ("nhs no 9434765919 ok", "9434765919", "UK_NHS"),
    ("MRN 00482913 ok", "00482913", "ID"),
    ("patient number: 7734201 ok", "7734201", "ID"),
    ("my ID is A1234567.", "A1234567", "ID"),
    ("Hospital No. 5520198 ok", "5520198", "ID"),
    ("logged in from 192.0.2.44.", "192.0.2.44", "IP_ADDRESS"),
    ("from 2001:db8::1 today", "2001:db8::1", "IP_ADDRESS"),
    ("from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 ok", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "IP_ADDRESS"),
    ("pay GB82 WEST 1234 5698 7654 32 now", "GB82 WEST 1234 5698 7654 32", "IBAN_CODE"),
    ("pay GB82WEST12345698765432 now", "GB82WEST12345698765432", "IBAN_CODE"),
    ("pay DE89 3704 0044 0532 0130 00.", "DE89 3704 0044 0532 0130 00", "IBAN_CODE"),
    ("card 4111 1111 1111 1111 ok", "4111 1111 1111 1111", "CREDIT_CARD"),
    ("card 4111-1111-1111-1111 ok", "4111-1111-1111-1111", "CREDIT_CARD"),
    ("card 5555555555554444 ok", "5555555555554444", "CREDIT_CARD"),
    ("amex 3782 822463 10005 ok", "3782 822463 10005", "CREDIT_CARD"),
    ("I live at 42 maple ave now", "42 maple ave", "ADDRESS"),
    ("it's 221B Baker Street, Apt 4 now", "221B Baker Street, Apt 4", "ADDRESS"),
    ("at 14 Rosebery Road, Flat 2.", "14 Rosebery Road, Flat 2", "ADDRESS"),
    ("at 42 Martin Luther King Blvd #5 ok", "42 Martin Luther King Blvd #5", "ADDRESS"),
    ("by 9 Orchard Close.", "9 Orchard Close", "ADDRESS"),
]


@pytest.mark.parametrize(("text", "surface", "entity"), POSITIVES)
def test_detects_with_exact_offsets_and_kind(text, surface, entity):
    [spans] = RegexAnonymizer().detect([text])
    start = text.index(surface)
    assert [(s.start, s.end, s.entity, s.kind) for s in spans] == [
        (start, start + len(surface), entity, identifiers.entity_kind(entity))]


NEAR_MISSES = [
    "card 4111 1111 1111 1112 ok",  # Luhn digit off by one
    "card 4111 1111 1111 1121 ok",  # two adjacent digits swapped
    "card 1234 5678 9012 3452 ok",  # Luhn-valid but no issuer starts with 1
    "card 4111 1111-1111 1111 ok",  # mixed separators
    "pay GB82 WEST 1234 5698 7654 33 now",  # IBAN check fails
    "pay GB28 WEST 1234 5698 7654 32 now",  # check digits swapped
    "pay GB82 WEST 1234 5698 7654 3 now",  # too short for GB
    "bad 000-12-3456 no", "bad 123-00-4567 no", "bad 666-12-3456 no", "bad 123-45-0000 no", "bad 912-34-5678",
    "ip 192.0.2.256 no", "v1.2.3.4 no", "at 10:30:45 no", "dead:beef:: no",
    "I walked 12000 steps", "my record is 12000 steps", "I paid 25000 for it",
    "I have 3 kids and 2 cats.", "Between 2019 and 2021 I moved 3 times.",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_not_detected(text):
    assert RegexAnonymizer().detect([text]) == [[]]


def test_an_nhs_number_with_a_wrong_check_digit_is_not_an_nhs_number():
    [spans] = RegexAnonymizer().detect(["my NHS number is 943 476 5918"])
    assert "UK_NHS" not in {s.entity for s in spans}  # (10 digits in 3-3-4: still read as a phone number)


def test_checksums_by_hand():
    assert luhn_ok("79927398713") and not luhn_ok("79927398710")  # the classic Luhn example
    assert nhs_ok("943 476 5919") and not nhs_ok("943 476 5918") and not nhs_ok("943476591")
    # 999 000 471x: 9*10 + 9*9 + 9*8 + 0 + 0 + 0 + 4*4 + 7*3 + 1*2 = 282; 282 % 11 = 7; check 11 - 7 = 4
    assert nhs_ok("9990004714") and not nhs_ok("9990004715")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and iban_ok("gb82west12345698765432")
    assert ssn_ok("123-45-6789") and not ssn_ok("111-11-1111")
    assert card_ok("4111 1111 1111 1111") and not card_ok("4111 1111 1111")


def _all_single_digit_changes(number: str):
    for i, ch in enumerate(number):
        if ch.isdigit():
            for d in "0123456789":
                if d != ch:
                    yield number[:i] + d + number[i + 1:]


@pytest.mark.parametrize(("valid", "check"), [
    ("4111111111111111", luhn_ok), ("9434765919", nhs_ok), ("GB82WEST12345698765432", iban_ok)])
def test_every_single_digit_error_fails_the_checksum(valid, check):
    assert check(valid)
    assert not any(check(changed) for changed in _all_single_digit_changes(valid))


def test_new_entities_are_direct_identifiers_in_the_table():
    for entity in ("US_SSN", "UK_NHS", "ID", "IP_ADDRESS", "IBAN_CODE", "CREDIT_CARD"):
        assert entity in ENTITIES
        assert identifiers.entity_kind(entity) == "direct"


def test_entities_parameter_takes_the_new_types():
    text = "card 4111 1111 1111 1111, call 555-201-3344"
    [spans] = RegexAnonymizer(entities=["CREDIT_CARD"]).detect([text])
    assert [s.entity for s in spans] == ["CREDIT_CARD"]


def test_gates_only_skip_work(monkeypatch):
    """Every rule with its gates removed finds exactly what the gated rules find."""
    from mhprivbench.testing import tiny_corpus

    texts = [r.text for r in tiny_corpus(seed=2).records][:150]
    texts += [text for text, _, _ in POSITIVES] + NEAR_MISSES
    gated = RegexAnonymizer().detect(texts)
    plan = regex_module._plan(ENTITIES)
    ungated = tuple((e, k, rule._replace(min_digits=0, needs=(), gate=None)) for e, k, rule in plan)
    monkeypatch.setattr(regex_module, "_plan", lambda entities: ungated)
    assert RegexAnonymizer().detect(texts) == gated


def test_no_catastrophic_backtracking_on_long_runs():
    texts = ["1 " * 3000, "a.b" * 2000, "@" * 3000, "4111 " * 2000, "GB82 " * 2000, ":" * 3000 + "1", "A1" * 3000]
    start = time.process_time()
    RegexAnonymizer().detect(texts)
    assert time.process_time() - start < 2.0
