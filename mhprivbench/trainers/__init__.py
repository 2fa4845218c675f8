"""Built-in trainers (importing this package registers them)."""

from mhprivbench.trainers import dp_logreg, dp_nb, nonprivate, nonprivate_embed  # noqa: F401  (registration)
