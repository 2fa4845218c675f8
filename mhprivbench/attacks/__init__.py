"""Built-in attacks (importing this package registers them)."""

from mhprivbench.attacks import mia_loss, pii_leak, reid_authorship, reid_linkage  # noqa: F401
