"""anonymeter: singling-out, linkability and inference risks of a synthetic table (Giomi et al. 2023, anonymeter
1.1), with anonymeter's own control set and baseline.

The original data is the train frame (members), the synthetic data the release's rows (``_rows.release_frame``: a
table release, or synthetic records that carry fields), the control the frame of ``splits.control`` (real records
the release never saw), all on their shared columns. Each of the three evaluators gives two scores:

- ``anon.<risk>``: anonymeter's ``risk()``, the residual risk ``(attack - control) / (1 - control)`` of the attack
  on members over the same attack on the control set, with anonymeter's interval (Wilson rates, propagated
  error). Baseline 0 (no risk caused by the release).
- ``anon.<risk>_rate``: the attack's success rate on members with its Wilson interval; baseline = the random-guess
  attacker's rate, control = the control attack's rate (so the leaderboard's residual risk uses both).

``<risk>`` is ``singling_out`` (multivariate queries on ``singling_out_cols`` columns, drawn from the release,
that single out exactly one train row), ``linkability`` (the train rows split into two column sets,
``link_columns`` and the rest, default the first half of the columns and the second; a link is both halves having
the same nearest synthetic row) and ``inference`` (guess the ``secret`` column, default the label, from every
other column by the nearest synthetic row). Each uses ``n_attacks`` attacks, sized down to the train and control
rows; with fewer than ``min_rows`` the attack says so in ``not_applicable_``. Singling out gives up after
``max_attempts`` query attempts per requested attack; when it finds fewer queries than ``n_attacks`` anonymeter
still divides by ``n_attacks`` (an underestimate, as anonymeter warns).

Seeding: singling out takes the seed; linkability and inference sample targets with numpy's global state, which
is seeded for the call and restored after it; linkability's random-guess baseline (anonymeter draws it from fresh
OS entropy) is redrawn here from the seed. Cost: numba compiles anonymeter's distance kernel once per process
(about 6 s); then about 5 s per release of 1,000 rows, mostly singling-out query generation.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks import _rows
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.tables import LABEL, records_to_frame
from mhprivbench.types import Classifier, Release, Score, Splits
from mhprivbench.validation import check_int

RISKS = ("singling_out", "linkability", "inference")


@contextlib.contextmanager
def quiet_seeded(seed: int) -> Iterator[None]:
    """numpy's global random state seeded (pandas ``sample`` draws from it) and anonymeter's warnings silenced,
    both restored afterwards."""
    state = np.random.get_state()
    logger = logging.getLogger("anonymeter")
    level = logger.level
    np.random.seed(seed % 2 ** 32)
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        np.random.set_state(state)
        logger.setLevel(level)


def random_links(n_synthetic: int, n_attacks: int, n_neighbors: int, rng: np.random.Generator) -> int:
    """Links the random-guess attacker finds: both halves guess ``n_neighbors`` random synthetic rows and the
    attack succeeds when the two guesses share one (anonymeter's baseline, from a seeded generator)."""
    hits = 0
    for _ in range(n_attacks):
        first = rng.choice(n_synthetic, size=n_neighbors, replace=False)
        second = rng.choice(n_synthetic, size=n_neighbors, replace=False)
        hits += bool(np.intersect1d(first, second).size)
    return hits


def risk_scores(name: str, results, n: int) -> dict[str, Score]:
    """``anon.<name>`` (residual risk) and ``anon.<name>_rate`` (attack rate) from anonymeter's results."""
    rate = results.attack_rate.to_risk()
    control = None if results.control_rate is None else float(results.control_rate.value)
    scores = {f"anon.{name}_rate": stats.interval_score(
        float(rate.value), float(rate.ci[0]), float(rate.ci[1]), higher_is_better=False,
        baseline=float(results.baseline_rate.value), control=control, n=n)}
    risk = results.risk()  # the Wilson centre of the control rate is < 1, so the residual is always defined
    scores[f"anon.{name}"] = stats.interval_score(float(risk.value), float(risk.ci[0]), float(risk.ci[1]),
                                                  higher_is_better=False, baseline=0.0, n=n)
    return scores


@register("attack", "anonymeter")
@dataclass
class Anonymeter(Attack):
    """anonymeter's singling-out, linkability and inference risks of the released rows, against a control set."""

    n_attacks: int = 500  # attacks per evaluator (sized down to the train and control rows)
    singling_out_cols: int = 3  # columns per multivariate singling-out query
    max_attempts: int = 20  # singling-out query attempts per requested attack (caps the search)
    link_columns: list[str] | None = None  # one side of the linkability split (None: first half of the columns)
    n_neighbors: int = 1  # linkability: nearest synthetic rows compared per half
    secret: str = LABEL  # inference: the column guessed
    min_rows: int = 20  # fewer train or control rows (or attacks): not applicable

    applies_to: ClassVar[frozenset[str]] = frozenset({"table", "records"})

    def __post_init__(self) -> None:
        for name in ("n_attacks", "singling_out_cols", "max_attempts", "n_neighbors", "min_rows"):
            check_int(name, getattr(self, name), 1)
        if self.link_columns is not None and (
                not isinstance(self.link_columns, list | tuple) or not self.link_columns
                or not all(isinstance(c, str) for c in self.link_columns)):
            raise ValueError(f"link_columns must be a non-empty list of column names or null, "
                             f"got {self.link_columns!r}")
        if not isinstance(self.secret, str) or not self.secret:
            raise ValueError(f"secret must be a column name, got {self.secret!r}")

    def applies(self, release: Release, splits: Splits) -> bool:
        """A table, or synthetic records with fields; train and control records to compare."""
        return (release.kind in self.applies_to and bool(splits.train) and bool(splits.control)
                and _rows.release_frame(release) is not None)

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        self.not_applicable_: dict[str, str] = {}
        if not self.applies(release, splits):
            return {}
        synthetic = _rows.release_frame(release)
        train, control = records_to_frame(splits.train), records_to_frame(splits.control)
        columns = _rows.shared_columns(synthetic, train, control)
        n = min(self.n_attacks, len(train), len(control))
        if n < self.min_rows or len(columns) < 2:
            reason = (f"needs >= {self.min_rows} train and control rows and 2 shared columns, has "
                      f"{min(len(train), len(control))} rows and {len(columns)} columns")
            self.not_applicable_ = {f"anon.{r}{s}": reason for r in RISKS for s in ("", "_rate")}
            return {}
        synthetic, train, control = _rows.frames_on(columns, synthetic, train, control)
        out: dict[str, Score] = {}
        for name, results in self._evaluate(synthetic, train, control, columns, n, seed).items():
            if isinstance(results, str):
                self.not_applicable_.update({f"anon.{name}": results, f"anon.{name}_rate": results})
                continue
            out.update(risk_scores(name, results, n))
        return out

    def _evaluate(self, synthetic, train, control, columns, n, seed) -> dict:
        """{risk: anonymeter EvaluationResults, or the reason it cannot run}."""
        from anonymeter.evaluators import InferenceEvaluator, LinkabilityEvaluator, SinglingOutEvaluator
        from anonymeter.stats.confidence import EvaluationResults

        out: dict = {}
        with quiet_seeded(seed):
            cols = min(self.singling_out_cols, len(columns))
            out["singling_out"] = SinglingOutEvaluator(
                ori=train, syn=synthetic, n_attacks=n, n_cols=cols, control=control,
                max_attempts=self.max_attempts * n, seed=seed).evaluate(mode="multivariate").results()
            first = [c for c in columns if c in self.link_columns] if self.link_columns else columns[:len(columns) // 2]
            second = [c for c in columns if c not in first]
            if not first or not second:
                out["linkability"] = "link_columns must name some, but not all, of the shared columns"
            else:
                k = min(self.n_neighbors, len(synthetic))
                linked = LinkabilityEvaluator(ori=train, syn=synthetic, aux_cols=(first, second), n_attacks=n,
                                              n_neighbors=k, control=control).evaluate(n_jobs=1).results()
                baseline = random_links(len(synthetic), n, k, np.random.default_rng([seed, 1]))
                out["linkability"] = EvaluationResults(n_attacks=n, n_success=linked.n_success, n_baseline=baseline,
                                                       n_control=linked.n_control)
            if self.secret not in columns:
                out["inference"] = f"secret column {self.secret!r} is not among the shared columns"
            else:
                out["inference"] = InferenceEvaluator(
                    ori=train, syn=synthetic, aux_cols=[c for c in columns if c != self.secret], secret=self.secret,
                    regression=None, n_attacks=n, control=control).evaluate(n_jobs=1).results()
        return out
