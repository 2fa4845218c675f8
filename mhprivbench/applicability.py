"""Why an attack does not apply to a release, and which setting would make it apply (``not_applicable`` text).

``Attack.applies(release, splits)`` answers yes or no; ``why_not_applicable`` turns a no into one line naming the
missing ingredient and the suite setting that provides it (a dataset parameter, a split share, the mechanism
family). The checks mirror the built-in attacks' ``applies``; any other attack gets the release kind and the
split sizes. Messages hold names and counts only, never record text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mhprivbench.types import Release, Splits

Check = tuple[Callable[[Release, Splits], bool], str]

NO_SPANS = ("no ground-truth PII spans in train: set the dataset's `inject_pii` (e.g. 0.5) to add synthetic PII with "
            "exact spans, or use synthmh")
NO_REGISTRY = ("no persona registry: set the dataset's `inject_pii` > 0 so train authors get personas (synthmh has "
               "them)")
NO_AUX = ("no train author has other posts in aux: give the dataset an `author_column` (generic loader) and keep "
          "`split: {aux_per_author: 1}` or more")
NOT_ALIGNED = ("needs released records aligned with train records (an anonymizer's release); use `reid_linkage` for "
               "synthetic records")
NO_RECORDS = "the release holds no records: check the mechanism's parameters (e.g. a generator's sample size)"
NOT_DP = "needs a DP release that declares `epsilon` (a trainer such as dp_logreg, dp_nb or dpsgd)"
SYNTHETIC_ONLY = ("needs synthetic records (a generator's release); an anonymizer's release is aligned with train: "
                  "pii_leak, reid_linkage and the membership attacks score it")
NO_CANARIES = "the splits hold no canaries: add `split: {canaries: N}` to the suite (e.g. N = 50)"
NO_STRINGS = ("the released model exposes no stored strings to read identifiers from; pii_leak scores records "
              "releases and models with a vocabulary")


def _empty(split: str) -> Check:
    return (lambda release, splits: bool(getattr(splits, split)),
            f"the {split} split is empty: use a larger dataset or a larger `split: {{{split}: ...}}` share")


CHECKS: dict[str, list[Check]] = {
    "pii_leak": [(lambda r, s: any(x.spans for x in s.train), NO_SPANS),
                 (lambda r, s: r.kind != "model" or hasattr(r.model, "exposed_strings"), NO_STRINGS),
                 (lambda r, s: r.kind == "model" or r.records is not None, NO_RECORDS)],
    "reid_linkage": [(lambda r, s: bool(s.registry), NO_REGISTRY), (lambda r, s: bool(r.records), NO_RECORDS)],
    "reid_authorship": [(lambda r, s: r.aligned, NOT_ALIGNED), (lambda r, s: bool(r.records), NO_RECORDS),
                        (lambda r, s: any(x.author is not None and x.text.strip() for x in s.aux), NO_AUX)],
    "reid_trir": [(lambda r, s: r.aligned, NOT_ALIGNED), (lambda r, s: bool(r.records), NO_RECORDS),
                  (lambda r, s: bool(s.registry) or any(x.author is not None and x.text.strip() for x in s.aux),
                   NO_AUX)],
    "text_fidelity": [(lambda r, s: r.aligned, NOT_ALIGNED), (lambda r, s: bool(r.records), NO_RECORDS)],
    "mia_loss": [_empty("train"), _empty("control")],
    "mia_lira": [_empty("train"), _empty("control")],
    "mia_rmia": [_empty("train"), _empty("control"), _empty("test")],
    "dp_audit": [(lambda r, s: r.epsilon is not None, NOT_DP), _empty("train")],
    "mia_dcr": [(lambda r, s: not r.aligned, SYNTHETIC_ONLY), (lambda r, s: bool(r.records), NO_RECORDS),
                _empty("train"), _empty("control")],
    "canary_leak": [(lambda r, s: bool(s.canaries), NO_CANARIES)],
    "memorization": [(lambda r, s: not r.aligned, SYNTHETIC_ONLY), (lambda r, s: bool(r.records), NO_RECORDS),
                     _empty("train")],
}


def why_not_applicable(name: str, attack: Any, release: Release, splits: Splits) -> str:
    """One line: why attack ``name`` does not apply to ``release`` on ``splits``, and what would make it apply."""
    kinds = sorted(getattr(attack, "applies_to", ()) or ())
    if kinds and release.kind not in kinds:
        families = {"model": "a trainer", "records": "an anonymizer or a generator", "table": "a tabular generator"}
        wanted = " or ".join(f"{kind} ({families.get(kind, kind)})" for kind in kinds)
        return f"does not apply to a {release.kind} release: it needs a {wanted} release"
    for passes, reason in CHECKS.get(name, []):
        if not passes(release, splits):
            return reason
    sizes = ", ".join(f"{split} {count}" for split, count in splits.sizes().items())
    return (f"does not apply to this {release.kind} release with these splits ({sizes}): see its parameters with "
            f"`mhprivbench list --params attack {name}`")
