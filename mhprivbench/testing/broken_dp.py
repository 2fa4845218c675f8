"""Positive control for DP audits: ``broken_dpsgd``, DP-SGD whose noise is 10x too small.

It is :class:`~mhprivbench.trainers.dpsgd.DPSGD` with the class attribute ``noise_scale = 0.1``: opacus calibrates
the noise multiplier for the requested (epsilon, delta) as usual, then the optimizer runs with a tenth of it, while
the trainer still declares the requested epsilon. ``noise_scale`` is a class attribute, not a parameter, so no suite
can set it on ``dpsgd``; this subclass is registered only when ``mhprivbench.testing`` is imported (never by a
benchmark suite). An audit must report a lower bound above its declared epsilon (DESIGN.md section 4).
``calibrated_noise_multiplier_`` keeps the honest value, ``noise_multiplier_`` the one used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from mhprivbench.registry import register
from mhprivbench.trainers.dpsgd import DPSGD


@register("trainer", "broken_dpsgd")
@dataclass
class BrokenDPSGD(DPSGD):
    """DP-SGD with noise 10x below its calibration; declares the requested epsilon all the same."""

    noise_scale: ClassVar[float] = 0.1
