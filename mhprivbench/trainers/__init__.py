"""Built-in trainers (importing this package registers them)."""

from mhprivbench.trainers import dp_fedavg, dp_logreg, dp_nb, dpsgd, nonprivate, nonprivate_embed  # noqa: F401
