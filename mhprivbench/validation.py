"""Parameter checks for plugin ``__post_init__`` methods: one-line ValueErrors that name the parameter."""

from __future__ import annotations

from typing import Any


def check_int(name: str, value: Any, minimum: int, *, allow_none: bool = False) -> None:
    """``value`` is an int (not a bool) >= ``minimum`` (or None when allowed)."""
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        suffix = " or null" if allow_none else ""
        raise ValueError(f"{name} must be an integer >= {minimum}{suffix}, got {value!r}")


def check_positive(name: str, value: Any) -> None:
    """``value`` is a real number (not a bool) > 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"{name} must be a number > 0, got {value!r}")


def check_open_unit(name: str, value: Any) -> None:
    """``value`` is a real number (not a bool) in (0, 1)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number in (0, 1), got {value!r}")
