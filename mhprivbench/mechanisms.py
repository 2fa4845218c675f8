"""Run any mechanism (anonymizer, generator, trainer) on train records and get a Release.

Seeds: ``seed=None`` (the default) is a real release, and the randomness must not be guessable:

- a DP generator or trainer gets ``seed=None`` and draws its noise from OS entropy (numpy's ``default_rng(None)``
  and ``random.Random(None)`` read it from the OS). Noise derived from a known seed is no protection, and even a
  random 32-bit seed could be enumerated by an attacker who knows the mechanism (e.g. subtract each candidate's
  Laplace noise from released counts and look for integers);
- an anonymizer gets a fresh 128-bit seed from ``secrets``: it may key pseudonyms with it (``pseudonym:
  rehash``), and a key must be neither constant nor enumerable; it seeds numpy or ``random`` at full strength;
- a non-DP generator or trainer, whose randomness protects nothing and which may hand the seed to scikit-learn
  (``random_state`` < 2**32), gets a fresh 32-bit seed from ``secrets``.

A given int seed (the benchmark runner, tests, notebooks that want reproducible numbers) is passed to every step as
is.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from mhprivbench.threads import single_threaded_blas
from mhprivbench.types import Record, Release


def _declared(mechanism: Any) -> dict[str, Any]:
    """The privacy guarantee a mechanism declares: epsilon/delta (parameters or fitted ``epsilon_``/``delta_``),
    and its ``neighbouring`` relation and ``privacy_unit`` (class attributes; None when not declared)."""
    return {
        "epsilon": getattr(mechanism, "epsilon_", getattr(mechanism, "epsilon", None)),
        "delta": getattr(mechanism, "delta_", getattr(mechanism, "delta", None)),
        "neighbouring": getattr(mechanism, "neighbouring", None),
        "privacy_unit": getattr(mechanism, "privacy_unit", None),
    }


def is_dp(mechanism: Any) -> bool:
    """A DP mechanism: it takes an epsilon or declares a neighbouring relation."""
    return getattr(mechanism, "epsilon", None) is not None or getattr(mechanism, "neighbouring", None) is not None


def effective_seed(mechanism: Any, seed: int | None) -> int | None:
    """``seed`` when given; otherwise a 128-bit secret for an anonymizer, None (OS entropy) for a DP generator or
    trainer, and a 32-bit secret for any other mechanism (see the module docstring)."""
    if seed is not None:
        return seed
    if mechanism.plugin_kind == "anonymizer":
        return secrets.randbits(128)
    return None if is_dp(mechanism) else secrets.randbits(32)


@single_threaded_blas
def release(
    mechanism: Any, train: Sequence[Record], *, seed: int | None = None, labels: Sequence[str] | None = None,
) -> Release:
    """Apply ``mechanism`` to ``train``: an anonymizer or a generator releases records (a table generator, whose
    ``release_kind`` is "table", a table), a trainer a model. ``labels`` is the task's public label set
    (``splits.labels``): DP mechanisms must not learn it from the private records. ``seed=None`` draws fresh
    randomness (see the module docstring); pass an int only for reproducible benchmark numbers, never for a real
    release."""
    kind = mechanism.plugin_kind
    seed = effective_seed(mechanism, seed)
    if kind == "anonymizer":
        detected = mechanism.detect([r.text for r in train])
        records = mechanism.rewrite(train, detected, seed=seed)
        return Release(
            kind="records", records=tuple(records), aligned=True, **_declared(mechanism),
            detected={r.uid: tuple(spans) for r, spans in zip(train, detected, strict=True)},
        )
    if kind == "generator":
        mechanism.fit(train, seed=seed, labels=labels)
        n = mechanism.release_size(len(train))
        if getattr(mechanism, "release_kind", "records") == "table":  # table generators (generators/_table_base)
            table = mechanism.sample_table(n, seed=seed)
            return Release(kind="table", table=table, generator=mechanism, **_declared(mechanism))
        records = mechanism.sample(n, seed=seed)
        return Release(kind="records", records=tuple(records), generator=mechanism, **_declared(mechanism))
    if kind == "trainer":
        model = mechanism.fit(train, seed=seed, labels=labels)
        return Release(kind="model", model=model, **_declared(mechanism))
    raise TypeError(f"{type(mechanism).__name__} is not a mechanism (kind {kind!r})")
