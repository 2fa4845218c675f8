"""The ``sdv`` table generator: SDV 2.0 single-table synthesizers on the records' structured fields and label.

Not differentially private (``epsilon`` None): GaussianCopula learns each column's marginal and a Gaussian
correlation, CTGAN and TVAE are GANs / VAEs that can memorize rows; the table attacks measure what leaks. The
column types come from ``Metadata.detect_from_dataframes`` on the train table (categorical vs numerical).
GaussianCopula encodes a categorical column as one number by default (a uniform interval per category, in an
arbitrary order), which hides how the label goes with the scores; ``label_encoding: one_hot`` (the default) gives
the label one indicator column per value instead, so the copula's correlations link each label with PHQ-9 /
GAD-7 (macro-F1 of ``fields_logreg`` on synthmh n_personas=400, seed 0: 0.44 against 0.33; a copy: 0.70). CTGAN
and TVAE one-hot encode categoricals themselves and ignore ``label_encoding``.
SDV trains from numpy's and torch's global generators (seeded, then restored, around fit) and samples from its
model's own generators (seeded per ``sample_table`` call; ``seed=None``: fresh), so a given seed gives the same
table and another seed another table.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mhprivbench.errors import ConfigError
from mhprivbench.generators._table_base import TableGenerator, global_seeds
from mhprivbench.registry import register
from mhprivbench.tables import LABEL, field_columns, object_columns, records_to_frame
from mhprivbench.types import Record
from mhprivbench.validation import check_int

if TYPE_CHECKING:
    import pandas as pd

SYNTHESIZERS = ("gaussian_copula", "ctgan", "tvae")
LABEL_ENCODINGS = ("one_hot", "default")
_TABLE = "t"


def _synthesizer(name: str, metadata: Any, epochs: int) -> Any:
    from sdv.single_table import CTGANSynthesizer, GaussianCopulaSynthesizer, TVAESynthesizer

    if name == "gaussian_copula":
        return GaussianCopulaSynthesizer(metadata)
    cls = CTGANSynthesizer if name == "ctgan" else TVAESynthesizer
    return cls(metadata, epochs=epochs, enable_gpu=False)


def _one_hot_label(model: Any, data: dict[str, pd.DataFrame]) -> None:
    """Give the label column RDT's one-hot encoder (one indicator per label) instead of the default."""
    from rdt.transformers.categorical import OneHotEncoder

    model.auto_assign_transformers(data)
    model.update_transformers({LABEL: OneHotEncoder()})


@register("generator", "sdv")
@dataclass
class SDVTableGenerator(TableGenerator):
    """SDV single-table synthesizer (``synthesizer``: gaussian_copula | ctgan | tvae; ``epochs`` for the
    neural ones; ``label_encoding`` for GaussianCopula) fitted on ``records_to_frame(train)``; releases a table of
    the same columns."""

    synthesizer: str = "gaussian_copula"  # gaussian_copula | ctgan | tvae
    epochs: int = 50  # training epochs of ctgan / tvae
    label_encoding: str = "one_hot"  # gaussian_copula: one_hot (one indicator per label) | default (SDV's)

    def __post_init__(self) -> None:
        if self.synthesizer not in SYNTHESIZERS:
            raise ConfigError(f"synthesizer must be one of {', '.join(SYNTHESIZERS)}, got {self.synthesizer!r}")
        if self.label_encoding not in LABEL_ENCODINGS:
            raise ConfigError(f"label_encoding must be one of {', '.join(LABEL_ENCODINGS)}, "
                              f"got {self.label_encoding!r}")
        check_int("epochs", self.epochs, 1)

    def fit(self, records: Sequence[Record], *, seed: int | None = 0,
            labels: Sequence[str] | None = None) -> SDVTableGenerator:
        if not records:
            raise ValueError("cannot fit a generator on zero records")
        self.columns_ = field_columns(records)
        frame = object_columns(records_to_frame(records, self.columns_))
        self.fit_frame(frame, seed=seed)
        return self

    def fit_frame(self, frame: pd.DataFrame, *, seed: int | None) -> SDVTableGenerator:
        """Fit on a table in the ``mhprivbench.tables`` layout (the label in ``LABEL``)."""
        from sdv.metadata import Metadata

        logging.getLogger("sdv").setLevel(logging.WARNING)
        data = {_TABLE: frame}
        with global_seeds(seed), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "save the metadata to JSON" advice, sklearn/torch notices
            metadata = Metadata.detect_from_dataframes(data)
            self.model_ = _synthesizer(self.synthesizer, metadata, self.epochs)
            if self.synthesizer == "gaussian_copula" and self.label_encoding == "one_hot":
                _one_hot_label(self.model_, data)
            self.model_.fit(data)
        return self

    def sample_table(self, n: int, *, seed: int | None) -> pd.DataFrame:
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        with global_seeds(seed), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model_.reset_sampling()
            # SDV samples from its own generators, reset to a fixed seed unless told otherwise (None: fresh)
            self.model_._set_random_state(None if seed is None else seed % 2**32)
            sampled = self.model_.sample(n)
        table = sampled[_TABLE] if isinstance(sampled, dict) else sampled
        table = table.reset_index(drop=True)
        table[LABEL] = table[LABEL].astype(str)
        return table[[*[c for c in table.columns if c != LABEL], LABEL]]
