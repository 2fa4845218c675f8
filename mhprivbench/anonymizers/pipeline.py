"""The ``pipeline`` anonymizer: registered anonymizers applied in order, e.g. ``presidio`` (direct identifiers and
names) then ``generalize`` (ages, dates, places, organisations to coarser values).

```yaml
- {kind: anonymizer, name: pipeline, params: {steps: [{name: presidio, params: {operator: surrogate}},
                                                      {name: generalize, params: {level: 2}}]}}
```

``detect`` is the union of what every step detects on the original texts (overlaps resolved longest-first): what
the chain as a whole finds, for ``evaluate-pii`` and the release's ``detected``. ``rewrite`` applies the steps in
order, each detecting on the text the previous step wrote (the first step reuses its detections from ``detect``
when given the same texts). What the release keeps besides the text (``pseudonym``, ``keep_fields``) is the
pipeline's to set, once, after the last step; steps may not set it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mhprivbench.anonymizers.operators import resolve_overlaps
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.base import Anonymizer
from mhprivbench.errors import ConfigError
from mhprivbench.registry import register
from mhprivbench.types import Record, Span

STEP_KEYS = ("name", "params")
_POLICY = ("pseudonym", "keep_fields")
# default: names and direct identifiers replaced, quasi-identifiers generalized
_DIRECT_AND_NAMES = ["EMAIL_ADDRESS", "IBAN_CODE", "CREDIT_CARD", "US_SSN", "UK_NHS", "ID", "IP_ADDRESS",
                     "PHONE_NUMBER", "URL", "USERNAME", "ADDRESS", "PERSON", "NRP", "GENDER", "OCCUPATION"]


def default_steps() -> list[dict[str, Any]]:
    return [{"name": "presidio", "params": {"entities": list(_DIRECT_AND_NAMES)}}, {"name": "generalize"}]


@register("anonymizer", "pipeline")
@dataclass
class PipelineAnonymizer(ReleasePolicy, Anonymizer):
    """Registered anonymizers applied in order; the default is ``presidio`` on direct identifiers and names, then
    ``generalize`` on ages, dates, places and organisations."""

    steps: list[dict[str, Any]] = field(default_factory=default_steps)  # [{name: ANONYMIZER, params: {...}}, ...]

    def __post_init__(self) -> None:
        self.check_policy()
        if not isinstance(self.steps, list | tuple) or not self.steps:
            raise ValueError("steps must be a non-empty list of {name: <anonymizer>, params: {...}}")
        self._steps = [build_step(i, step) for i, step in enumerate(self.steps)]
        self._memo: tuple[list[str], list[list[Span]]] | None = None

    @property
    def active_entities(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for step in self._steps:
            seen.update(dict.fromkeys(getattr(step, "active_entities", ())))
        return tuple(seen)

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        texts = list(texts)
        per_step = [step.detect(texts) for step in self._steps]
        self._memo = (texts, per_step[0])
        return [resolve_overlaps([s for spans in found for s in spans]) for found in zip(*per_step, strict=True)]

    def rewrite(self, records: Sequence[Record], detected: Sequence[Sequence[Span]], *, seed: int = 0) -> list[Record]:
        if len(records) != len(detected):
            raise ValueError(f"got {len(records)} records but {len(detected)} span lists")
        memo, self._memo = self._memo, None
        current = list(records)
        for i, step in enumerate(self._steps):
            texts = [r.text for r in current]
            reuse = i == 0 and memo is not None and memo[0] == texts
            current = step.rewrite(current, memo[1] if reuse else step.detect(texts), seed=seed)
        return self.apply_policy(current, seed)


def build_step(index: int, step: Any) -> Anonymizer:
    """The anonymizer of ``steps[index]``; ValueError (one line, naming the step) on a bad one."""
    from mhprivbench.registry import create, get_all

    where = f"steps[{index}]"
    if not isinstance(step, dict) or "name" not in step:
        raise ValueError(f"{where}: expected {{name: <anonymizer>, params: {{...}}}}")
    unknown = sorted(str(k) for k in step if k not in STEP_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(STEP_KEYS)})")
    name, params = step["name"], step.get("params") or {}
    if not isinstance(name, str):
        raise ValueError(f"{where}: name must be the name of a registered anonymizer")
    if not isinstance(params, dict):
        raise ValueError(f"{where}: params must be a mapping")
    if any(key in params for key in _POLICY):
        raise ValueError(f"{where}: set pseudonym / keep_fields on the pipeline, not on a step")
    try:
        anonymizer = create("anonymizer", name, **params)
    except ConfigError as error:
        raise ValueError(f"{where}: {error}") from None
    if not isinstance(anonymizer, Anonymizer):
        known = ", ".join(n for n, c in get_all("anonymizer").items() if issubclass(c, Anonymizer))
        raise ValueError(f"{where}: {name!r} is not an anonymizer with detect / rewrite (known: {known})")
    return anonymizer
