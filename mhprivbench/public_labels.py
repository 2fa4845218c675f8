"""The task's public label set, as DP mechanisms need it (DESIGN section 1: public knowledge is declared).

A DP mechanism fits every label of the declared set and never falls back to the labels of its private records:
which labels occur in train is private. The declaration comes from the dataset (``Splits.labels``: a card's
``labels:``, synthmh's condition list, or the generic loader's ``labels`` parameter).
"""

from __future__ import annotations

from collections.abc import Sequence

from mhprivbench.errors import ConfigError, DataError
from mhprivbench.types import Record


def public_label_set(labels: Sequence[str] | None, *, mechanism: str) -> list[str]:
    """The sorted public label set; ConfigError when none is declared (never the labels of the records)."""
    if labels is None or len(labels) == 0:
        raise ConfigError(f"{mechanism} needs the task's public label set: the dataset declares none (give the "
                          "generic loader a `labels` parameter; outside the runner pass labels=splits.labels)")
    public = sorted({str(label) for label in labels})
    if len(public) < 2:
        raise ConfigError(f"{mechanism} needs at least 2 labels in the public label set, got {len(public)}")
    return public


def check_record_labels(records: Sequence[Record], public: Sequence[str], *, mechanism: str) -> None:
    """DataError (a count, no values) when a train record's label is not in the public label set."""
    allowed = set(public)
    unknown = sum(1 for r in records if r.label not in allowed)
    if unknown:
        raise DataError(f"{mechanism}: {unknown} train records have a label outside the public label set "
                        f"({len(allowed)} labels)")
