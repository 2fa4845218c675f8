"""Built-in utility (importing this package registers them)."""

from mhprivbench.utility import classifiers, fields  # noqa: F401  (registers tfidf_logreg, fields_logreg)
