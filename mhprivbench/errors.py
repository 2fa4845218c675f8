"""Typed exceptions. Messages are one line, name what and where, and never carry raw text.

``str()`` of every mhprivbench error is one line (newlines become spaces), a quoted value inside it is cut to
``MAX_VALUE`` characters and the whole message to ``MAX_MESSAGE``: a hostile value in a suite or a file can make an
error long, never multi-line or unbounded.
"""

from __future__ import annotations

import re
from typing import Any

MAX_VALUE = 80
MAX_MESSAGE = 1000
_LONG = f"{{{MAX_VALUE + 1},}}"
_QUOTED = re.compile(r"'([^'\n]" + _LONG + r")'|\"([^\"\n]" + _LONG + r")\"")


def clip(value: Any, limit: int = MAX_VALUE) -> str:
    """``repr``-like short form of a value for an error message: one line, at most ``limit`` characters."""
    if isinstance(value, str):
        flat = " ".join(value.split())
        return repr(flat if len(flat) <= limit - 2 else flat[: limit - 5] + "...")
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(message: str) -> str:
    """``message`` on one line with long quoted values and the whole message cut (see the module docstring)."""
    flat = " ".join(str(message).split())

    def cut(match: re.Match) -> str:
        quote = "'" if match.group(1) is not None else '"'
        return f"{quote}{(match.group(1) or match.group(2))[: MAX_VALUE - 3]}...{quote}"

    flat = _QUOTED.sub(cut, flat)
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 3] + "..."


class MhPrivBenchError(Exception):
    """Base class: the CLI turns these into a one-line error and exit code 2."""

    def __str__(self) -> str:
        return one_line(str(self.args[0]) if self.args else "")


class ConfigError(MhPrivBenchError, ValueError):
    """A suite, spec or parameter is invalid (unknown key, epsilon <= 0, ...)."""


class PluginNotFoundError(ConfigError, KeyError):
    """No plugin of that kind and name is registered."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return one_line(str(self.args[0])) if self.args else ""


class DataError(MhPrivBenchError, ValueError):
    """Input data is missing or malformed (file, row, column named in the message)."""


class ResultError(MhPrivBenchError, ValueError):
    """A result or leaderboard file does not match its schema."""


class DatasetNotFoundError(DataError):
    """The files of a real dataset are not where the spec or the search path says."""
