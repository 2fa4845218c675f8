"""Built-in trainers (importing this package registers them)."""

from mhprivbench.trainers import dp_logreg, nonprivate  # noqa: F401  (registration)
