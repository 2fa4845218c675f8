"""Typed exceptions. Messages are one line, name what and where, and never carry raw text."""


class MhPrivBenchError(Exception):
    """Base class: the CLI turns these into a one-line error and exit code 2."""


class ConfigError(MhPrivBenchError, ValueError):
    """A suite, spec or parameter is invalid (unknown key, epsilon <= 0, ...)."""


class PluginNotFoundError(ConfigError, KeyError):
    """No plugin of that kind and name is registered."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class DataError(MhPrivBenchError, ValueError):
    """Input data is missing or malformed (file, row, column named in the message)."""


class ResultError(MhPrivBenchError, ValueError):
    """A result or leaderboard file does not match its schema."""


class DatasetNotFoundError(DataError):
    """The files of a real dataset are not where the spec or the search path says."""
