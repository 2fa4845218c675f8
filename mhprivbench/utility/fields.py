"""``fields_logreg``: the reference classifier of table releases (train on the synthetic table, test on real).

It predicts the label from a record's structured fields (``mhprivbench.tables`` layout): categorical columns
one-hot encoded (a value unseen in training encodes as all zeros), numeric columns median-imputed and
standardized, then a logistic regression. ``fit`` takes a DataFrame of the feature columns (the label column
apart); ``predict_proba`` takes a DataFrame or the records themselves (their fields in the fitted columns).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from mhprivbench.registry import register
from mhprivbench.tables import LABEL, feature_frame, field_columns
from mhprivbench.threads import single_threaded_blas
from mhprivbench.types import Record
from mhprivbench.validation import check_int, check_positive

_MISSING = "<missing>"


def _is_numeric(values: Any) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(values)) and not pd.api.types.is_bool_dtype(values)


@register("classifier", "fields_logreg")
@dataclass
class FieldsLogReg:
    """One-hot categoricals + scaled numerics + logistic regression on a record's structured fields.

    ``classes_``: the labels seen in training (sorted). A single label, or no feature column, gives a constant
    classifier (the training label frequencies).
    """

    input_kind: ClassVar[str] = "fields"  # predicts from structured fields, not texts

    C: float = 1.0  # inverse L2 regularization strength of the logistic regression
    max_iter: int = 2000  # solver iterations

    def __post_init__(self) -> None:
        check_positive("C", self.C)
        check_int("max_iter", self.max_iter, 10)

    @single_threaded_blas
    def fit(self, rows: Any, labels: Sequence[str], *, seed: int = 0) -> FieldsLogReg:
        """``rows``: a DataFrame of feature columns (a ``LABEL`` column is ignored) or records."""
        from sklearn.linear_model import LogisticRegression

        frame = self._frame(rows, fitting=True)
        labels = [str(label) for label in labels]
        if len(frame) != len(labels):
            raise ValueError(f"got {len(frame)} rows but {len(labels)} labels")
        if not labels:
            raise ValueError("cannot fit a classifier on zero records")
        self.classes_ = sorted(set(labels))
        self.prior_ = np.array([labels.count(c) for c in self.classes_], dtype=float) / len(labels)
        self.constant_ = len(self.classes_) == 1 or not self.columns_
        if not self.constant_:
            self.encoder_ = self._encoder(frame).fit(frame)
            features = self.encoder_.transform(frame)
            self.logreg_ = LogisticRegression(C=self.C, max_iter=self.max_iter, random_state=seed)
            self.logreg_.fit(features, labels)
        return self

    def _frame(self, rows: Any, *, fitting: bool = False) -> Any:
        """The feature columns as a DataFrame: numeric columns as floats, the others as strings."""
        import pandas as pd

        if not isinstance(rows, pd.DataFrame):
            records = list(rows)
            if records and not isinstance(records[0], Record):
                raise TypeError("fields_logreg predicts from a DataFrame of fields or from records, not texts")
            rows = feature_frame(records, field_columns(records) if fitting else self.columns_)
        frame = rows.drop(columns=[LABEL], errors="ignore")
        if fitting:
            self.columns_ = [str(c) for c in frame.columns]
            self.numeric_ = [c for c in self.columns_ if _is_numeric(frame[c])]
        out = pd.DataFrame(index=range(len(frame)))
        for name in self.columns_:
            values = frame[name].reset_index(drop=True) if name in frame.columns else pd.Series([None] * len(frame))
            if name in self.numeric_:
                out[name] = pd.to_numeric(values, errors="coerce").astype(float)
            else:
                out[name] = values.map(lambda v: _MISSING if v is None or v != v else str(v)).astype(object)
        return out

    def _encoder(self, frame: Any) -> Any:
        from sklearn.compose import ColumnTransformer
        from sklearn.impute import SimpleImputer
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        categorical = [c for c in self.columns_ if c not in self.numeric_]
        numeric = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler())
        return ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
                                  ("num", numeric, list(self.numeric_))])

    def predict_proba(self, rows: Any) -> np.ndarray:
        frame = self._frame(rows)
        if self.constant_:
            return np.tile(self.prior_, (len(frame), 1))
        proba = self.logreg_.predict_proba(self.encoder_.transform(frame))
        order = [list(self.logreg_.classes_).index(c) for c in self.classes_]
        return proba[:, order]

    def predict(self, rows: Any) -> list[str]:
        proba = self.predict_proba(rows)
        return [self.classes_[i] for i in proba.argmax(axis=1)]
