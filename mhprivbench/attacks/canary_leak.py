"""canary_leak: do the canaries planted by the suite option ``split: {canaries: N}`` leak? (``datasets/planted.py``)

N canaries sit in train (members) and N twins, drawn the same way, in control (non-members). Each carries a secret,
a unique fake phone number.

- ``canary.secret_leak_rate`` (text releases: anonymized or synthetic records): the share of member canaries
  whose secret's ten digits can be read, in order, from the digits of some released record (formatting ignored).
  Wilson interval over the N members; baseline and control: the same share for the non-member canaries (a
  release cannot show a secret it never saw, except by chance). Lower is better.
- ``canary.mia.*`` (every release with a queried model: the released model, or the reference classifier fit on
  the released records): the membership attack of ``mia_loss`` restricted to the canaries, log P(label | text)
  of member against non-member canaries (``stats.membership_scores``: AUC, advantage, low-FPR TPRs where N
  supports them, bootstrap intervals). Canaries are worst-case records (one each, unlike anything else), so this
  is the membership risk of a record that stands out, not of a typical one.

Applies only when the splits hold canaries; otherwise the evaluator's ``not_applicable`` names the suite setting
to add (``applicability.NO_CANARIES``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from mhprivbench import stats
from mhprivbench.attacks.mia_loss import true_label_log_proba
from mhprivbench.base import Attack
from mhprivbench.datasets.planted import secret_digits
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.validation import check_int


def planted(splits: Splits) -> tuple[list[Record], list[Record]]:
    """(member canaries, non-member canaries) of ``splits``."""
    uids = set(splits.canaries)
    return [r for r in splits.train if r.uid in uids], [r for r in splits.control if r.uid in uids]


def readable_secrets(canaries: Sequence[Record], released: Sequence[Record]) -> int:
    """How many of ``canaries`` have their secret's digits, in order and adjacent, among one released record's
    digits."""
    digit_streams = "\n".join("".join(ch for ch in record.text if ch.isdigit()) for record in released)
    return sum(secret_digits(canary) in digit_streams for canary in canaries)


@register("attack", "canary_leak")
@dataclass
class CanaryLeak(Attack):
    """Planted canaries (suite option ``split: {canaries: N}``): secrets readable in released text, and the
    membership of the canaries in the queried model (module docstring)."""

    n_bootstrap: int = 500

    applies_to: ClassVar[frozenset[str]] = frozenset({"model", "records"})

    def __post_init__(self) -> None:
        check_int("n_bootstrap", self.n_bootstrap, 1)

    def applies(self, release: Release, splits: Splits) -> bool:
        """A text or model release, on splits with planted canaries (``NO_CANARIES`` names the setting)."""
        return release.kind in self.applies_to and all(planted(splits))

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        model = self.queried_model(release, splits, target)
        if not self.applies(release, splits):
            return {}
        members, outsiders = planted(splits)
        scores: dict[str, Score] = {}
        if release.kind == "records" and release.records is not None:
            scores["canary.secret_leak_rate"] = self.secret_leak(members, outsiders, release.records)
        if model is not None:
            found, missing = stats.membership_scores(
                "canary.mia", true_label_log_proba(model, members), true_label_log_proba(model, outsiders),
                seed=seed, n_resamples=self.n_bootstrap)
            scores.update(found)
            self.not_applicable_.update(
                {key: f"{reason.split(':')[0]}: raise N in `split: {{canaries: N}}`"
                 for key, reason in missing.items()})
        return scores

    @staticmethod
    def secret_leak(members: Sequence[Record], outsiders: Sequence[Record], released: Sequence[Record]) -> Score:
        """Share of member canaries whose secret is readable; baseline: the share of non-member canaries."""
        chance = readable_secrets(outsiders, released) / len(outsiders)
        return stats.proportion_score(readable_secrets(members, released), len(members), higher_is_better=False,
                                      baseline=chance, control=chance)

