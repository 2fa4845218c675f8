"""Sanity bounds for the built-in attacks on tiny hand-built data (no dataset generator involved)."""

import dataclasses
import math
import re
import time

import numpy as np
import pytest

from mhprivbench import registry
from mhprivbench.attacks._persona_index import PersonaIndex
from mhprivbench.types import Persona, Record, Release, Span, Splits

NAMES = ["Maya Patel", "Oliver Brennan", "Sofia Lindqvist", "Kwame Mensah", "Hannah Okafor", "Lucas Moreau",
         "Priya Raman", "Tomasz Kowalczyk", "Elena Petrova", "Diego Alvarez", "Aisha Bello", "Jonas Weber"]
CITIES = ["Leeds", "Bristol", "Cardiff", "Glasgow", "Belfast", "Norwich",
          "York", "Bath", "Derby", "Exeter", "Dundee", "Durham"]
STYLES = ["lol!!! tbh", "Indeed; however,", "ugh... whatever...", "Honestly -- really --", "haha :) :)",
          "OMG omg OMG", "Kind regards;", "yeah yeah nah", "So, basically,", "hmm?? idk??", "Well!! well!!",
          "right right, ok"]
TOPICS = ["cannot sleep at night", "work feels heavy", "my chest gets tight", "nothing feels fun anymore",
          "panic on the bus", "crying after dinner"]
N_TRAIN_AUTHORS = 6


def phone(i):
    return f"555-{200 + i}-{4000 + 37 * i}"


def age(i):
    return str(21 + 3 * i)


def make_record(uid, author, label, *parts):
    text, spans = "", []
    for part in parts:
        if isinstance(part, str):
            text += part
        else:
            surface, entity, kind, attribute = part
            spans.append(Span(len(text), len(text) + len(surface), entity, kind, attribute))
            text += surface
    return Record(uid=uid, text=text, label=label, author=author, spans=tuple(spans))


def author_records(i, prefix):
    name = (NAMES[i], "PERSON", "direct", "name")
    first = (NAMES[i].split()[0], "PERSON", "direct", "name")
    city = (CITIES[i], "LOCATION", "quasi", "city")
    tel = (phone(i), "PHONE_NUMBER", "direct", "phone")
    years = (age(i), "AGE", "quasi", "age")
    style, author = STYLES[i], f"{prefix}{i}"
    labels = ["anxiety", "depression"]
    return [
        make_record(f"{prefix}{i}-0", author, labels[i % 2], f"{style} my name is ", name, " and I live in ", city,
                    f". {TOPICS[i % 6]} {style}"),
        make_record(f"{prefix}{i}-1", author, labels[i % 2], f"{style} text me on ", tel, ", I am ", years,
                    f" and {TOPICS[(i + 1) % 6]}. {style}"),
        make_record(f"{prefix}{i}-2", author, labels[(i + 1) % 2], f"{style} it's ", first, " again from ", city,
                    ", ", years, f" now, {TOPICS[(i + 2) % 6]} {style}"),
    ]


def build_splits():
    personas = tuple(
        Persona(pid=f"p{i}", attributes={"name": NAMES[i], "phone": phone(i), "city": CITIES[i], "age": age(i)},
                kinds={"name": "direct", "phone": "direct", "city": "quasi", "age": "quasi"})
        for i in range(len(NAMES)))
    train = [r for i in range(N_TRAIN_AUTHORS) for r in author_records(i, "a")]
    control = [r for i in range(N_TRAIN_AUTHORS, len(NAMES)) for r in author_records(i, "c")]
    aux = [make_record(f"x{i}", f"a{i}", "anxiety", f"{STYLES[i]} {TOPICS[(i + 3) % 6]} {STYLES[i]}")
           for i in range(N_TRAIN_AUTHORS)]
    persona_of = {f"a{i}": f"p{i}" for i in range(N_TRAIN_AUTHORS)}
    persona_of.update({f"c{i}": f"p{i}" for i in range(N_TRAIN_AUTHORS, len(NAMES))})
    return Splits(train=tuple(train), test=tuple(control[:3]), control=tuple(control), aux=tuple(aux),
                  registry=personas, persona_of=persona_of)


def mask(record):
    text, last = "", 0
    for span in sorted(record.spans, key=lambda s: s.start):
        text += record.text[last:span.start] + "[PII]"
        last = span.end
    return dataclasses.replace(record, text=text + record.text[last:], spans=())


class Memorizer:
    """Probability 1 on the true label of texts seen in training, uniform otherwise."""

    classes_ = ["anxiety", "depression"]

    def __init__(self, records, vocabulary=()):
        self.seen = {r.text: r.label for r in records}
        self.vocabulary = frozenset(vocabulary)

    def predict_proba(self, texts):
        out = np.full((len(texts), 2), 0.5)
        for i, text in enumerate(texts):
            if text in self.seen:
                out[i] = [float(c == self.seen[text]) for c in self.classes_]
        return out

    def exposed_strings(self):
        return self.vocabulary


class Constant(Memorizer):
    def __init__(self):
        super().__init__([])


SPLITS = build_splits()
SECRETS = sorted({r.text[s.start:s.end] for r in SPLITS.train + SPLITS.control for s in r.spans})


def identity_release(splits=SPLITS):
    return Release(kind="records", records=splits.train, aligned=True,
                   detected={r.uid: r.spans for r in splits.train})


def masked_release(splits=SPLITS):
    return Release(kind="records", records=tuple(mask(r) for r in splits.train), aligned=True,
                   detected={r.uid: r.spans for r in splits.train})


def synthetic_release(masked=False):
    records = [mask(r) if masked else r for r in SPLITS.train]
    return Release(kind="records", records=tuple(dataclasses.replace(r, uid=f"s{i}", author=None)
                                                 for i, r in enumerate(records)))


def all_tokens(records):
    return {t for r in records for t in re.findall(r"\w+", r.text.casefold())}


def model_release(vocabulary=()):
    return Release(kind="model", model=Memorizer(SPLITS.train, vocabulary))


def run(name, release, splits=SPLITS, target=None, seed=0, **params):
    attack = registry.create("attack", name, **params)
    if not attack.applies(release, splits):
        return None
    scores = attack.run(release, splits, seed=seed, target=target)
    if not scores and (getattr(attack, "not_applicable_", None) or {}).get(name, "").startswith("needs retrain"):
        return None  # reference-model attacks (mia_lira, mia_rmia) need a mechanism to retrain: tests/test_mia_*.py
    return scores


# --------------------------------------------------------------------------------------------- pii_leak

def test_pii_leak_identity_release_leaks_everything():
    scores = run("pii_leak", identity_release())
    assert scores["pii.leak_rate"].value == 1.0
    assert scores["pii.leak_rate_direct"].value == 1.0 and scores["pii.leak_rate_quasi"].value == 1.0
    assert scores["pii.recall"].value == 0.0
    assert scores["pii.leak_rate"].control == 0.0  # another author's text never shows these strings
    assert scores["pii.precision"].value == 1.0  # detected = ground truth
    assert scores["pii.f2"].value == 0.0  # recall 0 after the rewrite (identity rewrites nothing)
    n_idents = 6 * 5  # full name, first name, city, phone, age per author
    assert scores["pii.leak_rate"].n == n_idents


def test_pii_leak_masked_release_leaks_nothing():
    scores = run("pii_leak", masked_release())
    assert scores["pii.leak_rate"].value == 0.0
    assert scores["pii.recall"].value == 1.0 and scores["pii.recall_direct"].value == 1.0
    assert scores["pii.f2"].value == pytest.approx(1.0)
    assert scores["pii.leak_rate"].ci_high < 0.2


def test_pii_leak_partial_masking_counts_entities_not_mentions():
    # mask only the first record of each author: names/cities still readable in the third record
    records = [mask(r) if r.uid.endswith("-0") else r for r in SPLITS.train]
    release = Release(kind="records", records=tuple(records), aligned=True)
    scores = run("pii_leak", release)
    assert scores["pii.leak_rate_exact"].value == 1.0 - 6 / 30  # full names appear only in record 0
    # near-copy rule: the full name's first name (a distinctive token of it) is still readable in record 2
    assert scores["pii.leak_rate"].value == 1.0 and scores["pii.recall"].value == 0.0
    assert "pii.precision" not in scores  # nothing detected, nothing to score


def test_pii_leak_unaligned_and_model_releases():
    copied = run("pii_leak", synthetic_release())
    assert copied["pii.leak_rate"].value == 1.0 and copied["pii.leak_rate"].control == 0.0
    assert run("pii_leak", synthetic_release(masked=True))["pii.leak_rate"].value == 0.0
    stored = run("pii_leak", model_release(all_tokens(SPLITS.train)))
    assert stored["pii.leak_rate"].value == 1.0
    assert run("pii_leak", model_release())["pii.leak_rate"].value == 0.0
    opaque = Release(kind="model", model=object())  # no exposed_strings: nothing to read
    assert run("pii_leak", opaque) is None
    assert registry.create("attack", "pii_leak").run(opaque, SPLITS, seed=0) == {}


def test_pii_leak_control_counts_coincidental_matches():
    # every author but a0 mentions a0's city without it being their PII: a coincidence, not a leak
    records = [mask(r) if r.author == "a0" else dataclasses.replace(mask(r), text=mask(r).text + " Leeds")
               for r in SPLITS.train]
    scores = run("pii_leak", Release(kind="records", records=tuple(records), aligned=True))
    assert scores["pii.leak_rate"].value == 0.0
    assert scores["pii.leak_rate_quasi"].control == pytest.approx(1 / 12)  # a0's city, of 6 x (city, age)
    assert scores["pii.leak_rate_quasi"].baseline == pytest.approx(1 / 12)
    assert scores["pii.leak_rate_direct"].control == 0.0
    assert scores["pii.recall_quasi"].control == pytest.approx(11 / 12)


def test_pii_leak_aligned_release_without_shared_uids_is_read_as_one_corpus():
    records = tuple(dataclasses.replace(r, uid=f"new-{r.uid}") for r in SPLITS.train)
    scores = run("pii_leak", Release(kind="records", records=records, aligned=True))
    assert scores["pii.leak_rate"].value == 1.0


def test_pii_leak_reads_age_tags():
    record = make_record("t", "a", "anxiety", "me (", ("34", "AGE", "quasi", "age"), ("F", "GENDER", "quasi", "gender"),
                         ") and ", ("Jo Lin", "PERSON", "direct", "name"))
    splits = dataclasses.replace(SPLITS, train=(record,))
    scores = run("pii_leak", Release(kind="records", records=(record,), aligned=True), splits=splits)
    assert scores["pii.leak_rate"].value == 1.0 and scores["pii.leak_rate"].n == 2  # "F" is too short to count


def test_pii_leak_phone_matches_by_digits():
    reformatted = [dataclasses.replace(r, text=r.text.replace(phone(i), phone(i).replace("-", " ")))
                   for i in range(6) for r in SPLITS.train if r.author == f"a{i}"]
    masked_other = [mask(r) if not r.uid.endswith("-1") else r for r in reformatted]
    release = Release(kind="records", records=tuple(masked_other), aligned=True)
    scores = run("pii_leak", release)
    assert scores["pii.leak_rate_direct"].value == pytest.approx(6 / 18)  # phones only, other direct masked


# --------------------------------------------------------------------------------------------- reid_linkage

def test_persona_index_scores():
    index = PersonaIndex(SPLITS.registry, specificity=False)
    assert index.score("hi, I'm maya PATEL") == {0: 4.0}
    assert index.score("call 555 200 4000 please") == {0: 4.0}
    assert index.score("only Patell here") == {0: 0.75}  # fuzzy surname: 1.5 * 0.5
    assert index.score("Maya and Patel") == {0: 2.5}  # first name 1 + surname 1.5 (capped at 4)
    assert index.score("maya and patel") == {0: 1.25}  # lowercase lone name tokens count half
    assert index.score("I am 21 in Leeds") == {0: 2.0}
    assert index.score("nothing to see") == {}


def test_persona_index_dates_transpositions_and_age_tags():
    registry_ = (Persona("p0", {"name": "Jordan Whitaker", "dob": "1990-03-14", "age": "34"}),
                 Persona("p1", {"name": "Sam Lee", "dob": "1991-03-14", "age": "35"}))
    index = PersonaIndex(registry_, specificity=False)
    for text in ("born 3/14/1990", "born 14 March 1990", "March 14th 1990!", "1990-03-14", "mar 14, 1990"):
        scores = index.score(text)  # dob is quasi by default; "March 14th" alone fits p1 too, at half weight
        assert scores[0] == 1.0 and scores.get(1, 0.0) <= 0.5, text
    assert index.score("the 14th of March") == {0: 0.5, 1: 0.5}  # no year: both consistent, half weight
    assert index.score("Whitkaer again") == {0: 0.75}  # adjacent swap: fuzzy surname
    assert index.score("me (34F)") == {0: 1.0}


def test_persona_index_counts_a_string_once_and_weighs_rare_strings_more():
    registry_ = tuple(Persona(f"p{i}", {"name": f"Alex Smith{'abcdefgh'[i]}", "first_name": "Alex", "nickname": "Alex",
                                        "gender": "female", "city": "Leeds" if i == 0 else "York"})
                      for i in range(8))
    flat = PersonaIndex(registry_, specificity=False)
    assert flat.score("Alex") == {i: 1.0 for i in range(8)}  # first name, nickname, name token: one piece
    assert flat.score("female from York")[1] == flat.score("female from Leeds")[0] == 2.0
    scaled = PersonaIndex(registry_)
    assert all(v < 0.1 for v in scaled.score("female").values())  # everyone has it: almost no information
    leeds, york = scaled.score("Leeds")[0], scaled.score("York")[1]
    assert leeds == 1.0 and 0 < york < leeds  # unique value keeps its weight, shared ones weigh less


def test_linkage_identity_release_is_linked():
    scores = run("reid_linkage", identity_release())
    assert scores["reid.linkage_top1"].value == 1.0 and scores["reid.linkage_top5"].value == 1.0
    assert scores["reid.linkage_top1"].baseline == pytest.approx(1 / 12)
    assert scores["reid.linkage_top5"].baseline == pytest.approx(5 / 12)


def test_linkage_masked_release_is_near_baseline():
    for seed in range(3):
        scores = run("reid_linkage", masked_release(), seed=seed)
        top1 = scores["reid.linkage_top1"]
        assert top1.value <= 0.35 and top1.ci_low <= top1.baseline
        assert scores["reid.linkage_top5"].ci_low <= scores["reid.linkage_top5"].baseline


def test_linkage_unaligned_release_is_persona_level():
    copied = run("reid_linkage", synthetic_release())
    assert sorted(copied) == ["reid.linkage_personas"]  # another unit than the per-record top1 of anonymizers
    assert copied["reid.linkage_personas"].value == 1.0
    assert copied["reid.linkage_personas"].control == 0.0 and copied["reid.linkage_personas"].baseline == 0.0
    assert run("reid_linkage", synthetic_release(masked=True))["reid.linkage_personas"].value == 0.0


def test_linkage_needs_registry():
    assert run("reid_linkage", identity_release(), splits=dataclasses.replace(SPLITS, registry=())) is None


@pytest.mark.slow
def test_linkage_scales_to_1500_records_and_1600_personas():
    rng = np.random.default_rng(0)
    syllables = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "dri", "mos", "el", "qui", "bar", "nel", "fi"]

    def word(k):
        return "".join(syllables[j] for j in rng.integers(0, len(syllables), k))

    firsts, lasts, words = [word(2) for _ in range(300)], [word(3) for _ in range(800)], [word(2) for _ in range(2000)]
    registry_ = tuple(Persona(pid=f"p{i}", attributes={
        "name": f"{firsts[rng.integers(300)]} {lasts[rng.integers(800)]}", "phone": f"07{i:09d}",
        "city": f"{word(2)}ton", "age": str(18 + rng.integers(60)), "dob": f"{1950 + i % 50}-0{1 + i % 9}-1{i % 10}"})
        for i in range(1600))
    records = tuple(Record(uid=f"r{i}", author=f"a{i}", label="x", text=(
        f"hi I'm {registry_[i].attributes['name']} from {registry_[i].attributes['city']}, aged "
        f"{registry_[i].attributes['age']}. " + " ".join(words[j] for j in rng.integers(0, 2000, 40))))
        for i in range(1500))
    splits = Splits(train=records, test=(), control=(), aux=(), registry=registry_,
                    persona_of={f"a{i}": f"p{i}" for i in range(1500)})
    started = time.perf_counter()
    scores = run("reid_linkage", Release(kind="records", records=records, aligned=True), splits=splits)
    assert time.perf_counter() - started < 10
    assert scores["reid.linkage_top1"].value > 0.95


# --------------------------------------------------------------------------------------------- reid_authorship

def test_authorship_identity_release_beats_baseline():
    scores = run("reid_authorship", identity_release())
    top1 = scores["reid.authorship_top1"]
    assert top1.baseline == pytest.approx(1 / 6)
    assert top1.value >= 0.8 and top1.ci_low > top1.baseline


def test_authorship_applies_only_to_aligned_records_with_aux():
    assert run("reid_authorship", synthetic_release()) is None
    assert run("reid_authorship", identity_release(), splits=dataclasses.replace(SPLITS, aux=())) is None
    assert run("reid_authorship", model_release()) is None


# --------------------------------------------------------------------------------------------- mia_loss

MIA_METRICS = ["mia.loss.auc", "mia.loss.advantage", "mia.loss.eps_lower_bound", "mia.loss.eps_lower_bound_ceiling"]


def test_mia_memorizing_model_is_exposed():
    scores = run("mia_loss", model_release(), n_bootstrap=50)
    assert sorted(scores) == sorted(MIA_METRICS)  # 18 non-members support no low-FPR TPR (tests/test_mia_audit.py)
    assert scores["mia.loss.auc"].value == 1.0 and scores["mia.loss.advantage"].value == 1.0
    assert scores["mia.loss.auc"].n == 2 * 18


def test_mia_eps_bound_is_per_record_via_group_privacy():
    """One record per author on each side; the group-level bound is divided by the largest author's train count."""
    from mhprivbench import eps_audit

    def records(prefix, n_authors, per_author):
        return tuple(Record(f"{prefix}{a}-{i}", f"{prefix} text {a} {i}", "anxiety", author=f"{prefix}{a}")
                     for a in range(n_authors) for i in range(per_author))

    train, control = records("m", 60, 3), records("c", 60, 1)
    splits = Splits(train=train, test=control[:5], control=control, aux=())
    scores = registry.create("attack", "mia_loss", n_bootstrap=50).run(
        Release(kind="model", model=Memorizer(train)), splits, seed=0)
    expected = eps_audit.eps_lower_bound(np.zeros(60), np.log(np.full(60, 0.5))) / 3
    assert expected > 0.5
    assert scores["mia.loss.eps_lower_bound"].value == pytest.approx(expected)


def test_mia_input_blind_model_is_at_chance():
    scores = run("mia_loss", Release(kind="model", model=Constant()), n_bootstrap=50)
    assert scores["mia.loss.auc"].value == pytest.approx(0.5)
    assert scores["mia.loss.eps_lower_bound"].value == 0.0
    assert scores["mia.loss.advantage"].value == 0.0


def test_mia_uses_target_for_records_and_balances():
    splits = dataclasses.replace(SPLITS, control=SPLITS.control[:5])
    scores = run("mia_loss", identity_release(splits), splits=splits, target=Memorizer(SPLITS.train))
    assert scores["mia.loss.auc"].value == 1.0 and scores["mia.loss.auc"].n == 10
    assert registry.create("attack", "mia_loss").run(identity_release(), SPLITS, seed=0) == {}


def test_mia_unknown_label_gets_minimum_probability():
    from mhprivbench.attacks.mia_loss import true_label_log_proba

    odd = dataclasses.replace(SPLITS.train[0], label="unknown")
    assert true_label_log_proba(Constant(), [odd])[0] == pytest.approx(math.log(1e-12))


# --------------------------------------------------------------------------------------------- every attack

RELEASES = {
    "identity": identity_release, "masked": masked_release, "synthetic": synthetic_release,
    "model": lambda: model_release(all_tokens(SPLITS.train)),
}


@pytest.mark.parametrize("release_name", sorted(RELEASES))
@pytest.mark.parametrize("name", sorted(registry.get_all("attack")))
def test_every_score_has_interval_baseline_and_no_secrets(name, release_name):
    release = RELEASES[release_name]()
    target = release.model if release.kind == "model" else Memorizer(SPLITS.train)
    scores = run(name, release, target=target)
    if scores is None:
        pytest.skip(f"{name} does not apply to {release_name}")
    assert scores, f"{name} returned nothing on {release_name}"
    for key, score in scores.items():
        assert score.ci_low is not None and score.ci_high is not None and score.baseline is not None, key
        assert all(math.isfinite(v) for v in (score.value, score.ci_low, score.ci_high, score.baseline)), key
        assert score.ci_low <= score.value <= score.ci_high, key
    text = repr(scores) + repr({k: v.as_dict() for k, v in scores.items()})
    for secret in SECRETS:
        if not secret.isdigit():  # ages are 2-digit numbers, which floats may contain by chance
            assert secret not in text and secret.casefold() not in text.casefold()
    again = run(name, release, target=target)
    assert {k: v.value for k, v in again.items()} == {k: v.value for k, v in scores.items()}
