"""Built-in attacks (importing this package registers them)."""

from mhprivbench.attacks import (  # noqa: F401
    anonymeter_risks,
    canary_exposure,
    canary_leak,
    dp_audit,
    memorization,
    mia_dcr,
    mia_domias,
    mia_lira,
    mia_loss,
    mia_rmia,
    pii_leak,
    reid_authorship,
    reid_linkage,
    reid_trir,
    synth_fidelity,
    text_fidelity,
)
