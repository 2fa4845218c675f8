"""Built-in utility (importing this package registers them)."""

from mhprivbench.utility import classifiers  # noqa: F401  (registers tfidf_logreg)
