"""Built-in attacks (importing this package registers them)."""

from mhprivbench.attacks import (  # noqa: F401
    dp_audit,
    mia_lira,
    mia_loss,
    mia_rmia,
    pii_leak,
    reid_authorship,
    reid_linkage,
)
