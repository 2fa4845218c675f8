"""Run any mechanism (anonymizer, generator, trainer) on train records and get a Release."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mhprivbench.threads import single_threaded_blas
from mhprivbench.types import Record, Release


@single_threaded_blas
def release(mechanism: Any, train: Sequence[Record], *, seed: int, labels: Sequence[str] | None = None) -> Release:
    """Apply ``mechanism`` to ``train``. ``labels`` is the task's public label set (``splits.labels``): DP
    mechanisms must not learn it from the private records."""
    kind = mechanism.plugin_kind
    epsilon = getattr(mechanism, "epsilon", None)
    delta = getattr(mechanism, "delta", None)
    if kind == "anonymizer":
        detected = mechanism.detect([r.text for r in train])
        records = mechanism.rewrite(train, detected, seed=seed)
        return Release(
            kind="records", records=tuple(records), aligned=True, epsilon=epsilon, delta=delta,
            detected={r.uid: tuple(spans) for r, spans in zip(train, detected, strict=True)},
        )
    if kind == "generator":
        mechanism.fit(train, seed=seed, labels=labels)
        records = mechanism.sample(mechanism.release_size(len(train)), seed=seed)
        return Release(kind="records", records=tuple(records), epsilon=epsilon, delta=delta)
    if kind == "trainer":
        model = mechanism.fit(train, seed=seed, labels=labels)
        return Release(
            kind="model", model=model,
            epsilon=getattr(mechanism, "epsilon_", epsilon), delta=getattr(mechanism, "delta_", delta),
        )
    raise TypeError(f"{type(mechanism).__name__} is not a mechanism (kind {kind!r})")
