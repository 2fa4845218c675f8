"""The ``hybrid`` generator: an SDV table synthesizer for the structured fields and the label, then a text for
each sampled row from a class-conditional text generator conditioned on the row's label.

The release is complete synthetic records (``kind="records"``): text, label, ``fields`` (every table column) and
``group`` (the columns every train record holds in its ``group``, e.g. gender and age band), no author. Not DP as a
whole (the SDV part is not; a DP ``text_generator`` protects only the texts), so ``epsilon`` is None. Texts depend
on the row only through its label: fields and text are independent given the label. A DP ``text_generator``
(e.g. ``dp_ngram``) gets the hybrid's seed, which for a real release is a 32-bit secret (the hybrid is not DP), not
OS entropy: its guarantee is nominal here, and the SDV part has none anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mhprivbench import registry
from mhprivbench.base import Generator
from mhprivbench.errors import ConfigError
from mhprivbench.generators._table_text import texts_for_labels
from mhprivbench.generators.sdv_tables import SDVTableGenerator
from mhprivbench.registry import register
from mhprivbench.tables import LABEL, frame_rows
from mhprivbench.types import Record


@register("generator", "hybrid")
@dataclass
class HybridGenerator(Generator):
    """SDV (``synthesizer``, ``epochs``, ``label_encoding``: see ``sdv``) for fields + label; ``text_generator`` (a registered generator, with
    ``text_params``) writes a text for each row's label."""

    synthesizer: str = "gaussian_copula"  # SDV synthesizer of fields + label: gaussian_copula | ctgan | tvae
    epochs: int = 50  # training epochs of ctgan / tvae
    label_encoding: str = "one_hot"  # gaussian_copula: one_hot | default (see the sdv generator)
    text_generator: str = "ngram"  # registered text generator, sampled given each row's label
    text_params: dict[str, Any] = field(default_factory=dict)  # the text generator's parameters

    def __post_init__(self) -> None:
        self._table()  # validates the SDV parameters
        if not isinstance(self.text_params, Mapping):
            raise ConfigError("text_params must be a mapping of the text generator's parameters")
        if self.text_generator in ("hybrid",) or getattr(
                registry.get("generator", self.text_generator), "release_kind", "records") != "records":
            raise ConfigError(f"text_generator must be a generator of texts, got {self.text_generator!r}")
        registry.create("generator", self.text_generator, **self.text_params)  # unknown name or params: ConfigError

    def fit(self, records: Sequence[Record], *, seed: int | None = 0,
            labels: Sequence[str] | None = None) -> HybridGenerator:
        if not records:
            raise ValueError("cannot fit a generator on zero records")
        self.table_ = self._table()
        self.table_.fit(records, seed=seed, labels=labels)
        self.text_ = registry.create("generator", self.text_generator, **self.text_params)
        self.text_.fit(records, seed=seed, labels=labels)
        shared = set(records[0].group)
        for record in records[1:]:
            shared &= set(record.group)
        self.group_keys_ = sorted(shared)
        return self

    def _table(self) -> SDVTableGenerator:
        return SDVTableGenerator(synthesizer=self.synthesizer, epochs=self.epochs, label_encoding=self.label_encoding)

    def release_size(self, n_train: int) -> int:
        """The text generator's release size (a DP text generator's noisy count; else the train size)."""
        return self.text_.release_size(n_train)

    def sample(self, n: int, *, seed: int | None) -> list[Record]:
        rows = frame_rows(self.table_.sample_table(n, seed=seed))
        labels = [str(row.pop(LABEL)) for row in rows]
        texts = texts_for_labels(self.text_, labels, seed=seed)
        return [Record(uid=f"synth-{i}", text=text, label=label, fields=row,
                       group={k: str(row[k]) for k in self.group_keys_ if k in row})
                for i, (row, label, text) in enumerate(zip(rows, labels, texts, strict=True))]
