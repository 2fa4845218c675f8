"""pii_leak's near-copy rule (issue 6, item 5): partial and near copies of identifiers count as leaks.

Hand-built records with hand-computed expectations, the edit-distance index against a brute-force Damerau distance,
and the adversarial test anonymizers (mhprivbench.testing.adversarial) on tiny synthmh splits.
"""

import dataclasses
import random

import pytest

from mhprivbench import registry
from mhprivbench.attacks import _text
from mhprivbench.mechanisms import release as make_release
from mhprivbench.testing import tiny_splits
from mhprivbench.types import Record, Release, Span, Splits

OWNERS = [  # (full name, e-mail, phone, city, date)
    ("Maya Patel", "maya.patel84@gmail.com", "555-201-4037", "Leeds", "2019-03-14"),
    ("Oliver Brennan", "obrennan7@yahoo.com", "555-202-4074", "Bristol", "2018-07-02"),
    ("Sofia Lindqvist", "sofia_l12@outlook.com", "555-203-4111", "Cardiff", "2020-11-23"),
    ("Kwame Mensah", "kwame.m@proton.me", "555-204-4148", "Glasgow", "2017-05-30"),
]
CONTROL_OWNERS = [("Hannah Okafor", "hokafor3@gmail.com", "555-301-5000", "Norwich", "2016-01-09")]
FILLER = "; it leads nowhere and work feels heavy."  # ordinary words every owner writes ("leads" is common)
# distinctive tokens per owner: name 2 + e-mail (a0: maya, patel; others: one) + phone's "4037" + city + year
TOKENS_PER_OWNER = [7, 6, 6, 6]


def owner_record(uid, author, values, fill=None):
    """One record mentioning all five identifiers; ``fill`` maps a position to released text instead."""
    name, email, phone, city, date = values
    pieces = ["I am ", (name, "PERSON", "direct", "name"), ", write to ", (email, "EMAIL_ADDRESS", "direct", "email"),
              " or call ", (phone, "PHONE_NUMBER", "direct", "phone"), ". I live in ", (city, "LOCATION", "quasi",
              "city"), " since ", (date, "DATE_TIME", "quasi", "event_date"), FILLER]
    text, spans, slot = "", [], 0
    for piece in pieces:
        if isinstance(piece, str):
            text += piece
            continue
        surface = piece[0] if fill is None else fill.get(slot, "[PII]")
        spans.append(Span(len(text), len(text) + len(surface), *piece[1:]))
        text += surface
        slot += 1
    return Record(uid=uid, text=text, label="anxiety", author=author, spans=tuple(spans) if fill is None else ())


SPLITS = Splits(train=tuple(owner_record(f"a{i}-0", f"a{i}", v) for i, v in enumerate(OWNERS)), test=(),
                control=tuple(owner_record(f"c{i}-0", f"c{i}", v) for i, v in enumerate(CONTROL_OWNERS)), aux=())


def released(fills, extra=""):
    """An aligned release: owner i's record with ``fills[i]`` (slot -> text; missing slots masked) + ``extra``."""
    records = []
    for i, values in enumerate(OWNERS):
        record = owner_record(f"a{i}-0", f"a{i}", values, fill=fills.get(i, {}))
        records.append(dataclasses.replace(record, text=record.text + (extra if i else "")))
    return Release(kind="records", records=tuple(records), aligned=True)


def run(release, splits=SPLITS, **params):
    return registry.create("attack", "pii_leak", **params).run(release, splits, seed=0)


# --- _text: distinctive tokens, edit-distance index ------------------------------------------------------------

def test_distinctive_tokens():
    assert _text.is_distinctive("patel") and _text.is_distinctive("lin") and _text.is_distinctive("4037")
    assert not _text.is_distinctive("li")  # 2 letters
    assert not _text.is_distinctive("555")  # 3 digits
    assert not _text.is_distinctive("gmail") and not _text.is_distinctive("com")  # mail boilerplate
    assert not _text.is_distinctive("march")  # a month
    assert not _text.is_distinctive("patel", frozenset({"patel"}))  # common in this corpus


def test_near_index_edit_distance_one():
    index = _text.NearIndex(["patel", "lin", "5552014037"], min_len=4)
    for word in ("patel", "patl", "pattel", "pqtel", "ptael", "patle"):  # exact, del, ins, sub, 2 transpositions
        assert index.matches(word) == {"patel"}, word
    for word in ("ptl", "pateel1", "tapel", "pa", "leads"):
        assert index.matches(word) == frozenset(), word
    assert index.matches("lin") == {"lin"} and index.matches("lun") == frozenset()  # 3 letters: exact only
    assert index.matches("5552014038") == {"5552014037"}  # Hamming 1 on a long number


def _osa_distance(a, b):
    """Optimal string alignment distance (Levenshtein + adjacent transposition), the textbook DP."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def test_near_index_agrees_with_brute_force():
    rng = random.Random(7)
    targets = {"".join(rng.choice("abc") for _ in range(rng.randint(3, 6))) for _ in range(40)}
    index = _text.NearIndex(targets, min_len=4)
    for _ in range(1500):
        word = "".join(rng.choice("abc") for _ in range(rng.randint(2, 7)))
        expected = {t for t in targets if t == word or (len(t) >= 4 and _osa_distance(t, word) <= 1)}
        assert index.matches(word) == expected, word


# --- pii_leak on hand-built records -----------------------------------------------------------------------------

def test_identity_leaks_every_identifier_and_token():
    scores = run(Release(kind="records", records=SPLITS.train, aligned=True))
    assert scores["pii.leak_rate"].value == 1.0 and scores["pii.leak_rate"].n == 20  # 4 owners x 5 identifiers
    assert scores["pii.leak_rate_exact"].value == 1.0
    assert scores["pii.token_leak_rate"].value == 1.0 and scores["pii.token_leak_rate"].n == sum(TOKENS_PER_OWNER)
    assert scores["pii.leak_rate"].control == 0.0 and scores["pii.token_leak_rate"].control == 0.0


def test_near_copies_count_as_leaks_exact_copies_do_not():
    # owner 0: one letter dropped from the surname, the e-mail's local part masked but its domain kept, one phone
    # digit changed, the city masked, the date's digits run together; every other owner fully masked
    fills = {0: {0: "Maya Patl", 1: "[EMAIL]@gmail.com", 2: "555-201-4038", 4: "20190314"}}
    scores = run(released(fills))
    # name: "maya" exact + "patl" at distance 1; e-mail: its tokens maya, patel read in the name; phone: Hamming 1;
    # city: masked; date: the same digit string -> 4 of owner 0's 5 identifiers, none of the others'
    assert scores["pii.leak_rate"].value == pytest.approx(4 / 20)
    assert scores["pii.leak_rate_direct"].value == pytest.approx(3 / 12)
    assert scores["pii.leak_rate_quasi"].value == pytest.approx(1 / 8)
    assert scores["pii.recall_direct"].value == pytest.approx(9 / 12)
    assert scores["pii.leak_rate_exact"].value == 0.0  # the old rule saw nothing
    # tokens: name maya + patel, e-mail maya + patel; "4037", "leeds", "2019" are gone -> 4 of 25
    assert scores["pii.token_leak_rate"].value == pytest.approx(4 / 25)
    # direct tokens: owner 0 has 2 + 2 + 1, the others 2 + 1 + 1 each
    assert scores["pii.token_leak_rate_direct"].value == pytest.approx(4 / (5 + 3 * 4))


def test_domain_only_common_words_and_two_edits_are_not_leaks():
    # "leads" is one edit from "Leeds" but an ordinary word of the corpus; two changed phone digits; domain only
    fills = {0: {1: "[EMAIL]@gmail.com", 2: "555-201-4930", 3: "Leads"}}
    assert run(released(fills))["pii.leak_rate"].value == 0.0
    fills = {0: {3: "Leedz"}}  # not a word of the corpus: a near copy
    scores = run(released(fills))
    assert scores["pii.leak_rate"].value == pytest.approx(1 / 20) and scores["pii.leak_rate_exact"].value == 0.0


def test_phone_with_country_code_and_one_changed_digit():
    scores = run(released({1: {2: "+1 555 202 4075"}}))  # run "15552024075": its last 10 digits are 1 edit away
    assert scores["pii.leak_rate_direct"].value == pytest.approx(1 / 12)
    assert scores["pii.leak_rate_exact_direct"].value == 0.0


def test_surname_only_and_email_local_part():
    scores = run(released({0: {0: "Patel"}, 1: {1: "obrennan7@[DOMAIN]"}}))
    # owner 0: full name and e-mail (they share "patel"); owner 1: e-mail ("obrennan") and full name too:
    # "obrennan" is "brennan" with one inserted character
    assert scores["pii.leak_rate_direct"].value == pytest.approx(4 / 12)
    assert scores["pii.leak_rate_exact_direct"].value == 0.0


def test_control_measures_shared_tokens():
    # every owner but 0 writes owner 0's surname: in owner 0's partner text it reads as a coincidence
    scores = run(released({}, extra=" Patel"))
    assert scores["pii.leak_rate"].value == 0.0  # owner 0's own text holds nothing
    assert scores["pii.leak_rate"].control == pytest.approx(2 / 20)  # owner 0's name and e-mail
    assert scores["pii.leak_rate_direct"].baseline == pytest.approx(2 / 12)
    assert scores["pii.leak_rate_exact"].control == 0.0  # "patel" alone is not "maya patel"
    assert scores["pii.token_leak_rate"].control == pytest.approx(2 / 25)


class _Vocabulary:
    classes_ = ["anxiety", "depression"]

    def __init__(self, vocabulary):
        self.vocabulary = vocabulary

    def predict_proba(self, texts):
        return [[0.5, 0.5] for _ in texts]

    def exposed_strings(self):
        return self.vocabulary


def test_model_and_unaligned_releases_use_the_near_rule():
    scores = run(Release(kind="model", model=_Vocabulary(frozenset({"patl", "feels"}))))
    assert scores["pii.leak_rate"].value == pytest.approx(2 / 20)  # owner 0's name and e-mail, at distance 1
    assert scores["pii.leak_rate_exact"].value == 0.0
    assert scores["pii.leak_rate"].control == 0.0  # the control owner's identifiers
    synthetic = Record(uid="s0", text="brenan said hi", label="anxiety")
    scores = run(Release(kind="records", records=(synthetic,)))
    assert scores["pii.leak_rate"].value == pytest.approx(1 / 20)  # owner 1's name; "obrennan" is 2 edits away


def test_entities_restricts_every_rate():
    scores = run(released({0: {0: "Patel", 1: "maya.patel84@[DOMAIN]"}}), entities=["EMAIL_ADDRESS"])
    assert scores["pii.leak_rate"].n == 4 and scores["pii.leak_rate"].value == pytest.approx(1 / 4)
    assert "pii.leak_rate_quasi" not in scores


# --- adversarial anonymizers on tiny synthmh splits -----------------------------------------------------------

@pytest.fixture(scope="module")
def tiny():
    return tiny_splits(seed=0)


def _direct(name, splits, entities=None):
    release = make_release(registry.create("anonymizer", name), splits.train, seed=0)
    return registry.create("attack", "pii_leak", entities=entities).run(release, splits, seed=0)


@pytest.mark.parametrize("name, entities", [
    ("adv_one_char", None),  # alters every direct identifier: rate over all direct ones
    ("adv_keep_surname", ["PERSON"]),  # alters full names: rate over direct PERSON identifiers
    ("adv_email_local", ["EMAIL_ADDRESS"]),  # alters e-mail addresses: rate over those
    ("adv_reformat_digits", ["PHONE_NUMBER"]),  # alters number-like direct spans, i.e. phone numbers here
])
def test_adversarial_anonymizers_leak_what_they_keep(name, entities, tiny):
    """pii.leak_rate_direct over the identifiers of the kinds the anonymizer alters is >= 0.9 of identity's."""
    identity = _direct("identity", tiny, entities)["pii.leak_rate_direct"]
    adversarial = _direct(name, tiny, entities)["pii.leak_rate_direct"]
    assert identity.value == 1.0 and identity.n >= 7
    assert adversarial.value >= 0.9 * identity.value
    assert adversarial.control <= 0.05


@pytest.mark.parametrize("name", ["adv_one_char", "adv_keep_surname", "adv_email_local"])
def test_exact_rule_misses_the_adversarial_anonymizers(name, tiny):
    """The old (exact) rule scored these near copies as protected: why the headline moved to the near rule."""
    assert _direct(name, tiny)["pii.leak_rate_exact_direct"].value <= 0.1


def test_mask_all_oracle_stays_near_zero(tiny):
    scores = _direct("mask_all_dummy", tiny)
    assert scores["pii.leak_rate_direct"].value <= 0.02 and scores["pii.leak_rate"].value <= 0.02


def test_one_char_changes_one_character_per_mention(tiny):
    records = tiny.train[:40]
    first = make_release(registry.create("anonymizer", "adv_one_char"), records, seed=0).records
    again = make_release(registry.create("anonymizer", "adv_one_char"), records, seed=0).records
    other = make_release(registry.create("anonymizer", "adv_one_char"), records, seed=1).records
    assert [r.text for r in first] == [r.text for r in again]
    assert [r.text for r in first] != [r.text for r in other]
    for original, rewritten in zip(records, first, strict=True):
        direct = [s for s in original.spans if s.kind == "direct"]
        # same length for each direct span, [PII] for each quasi span: the lengths add up exactly
        masked = sum(s.end - s.start for s in original.spans if s.kind != "direct")
        assert len(rewritten.text) == len(original.text) - masked + 5 * (len(original.spans) - len(direct))
        assert rewritten.text != original.text or not original.spans
