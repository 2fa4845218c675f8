"""Plugin registry: ``@register(kind, name)`` on a dataclass; ``create(kind, name, **params)`` builds one.

Built-ins are discovered by importing their package (lazily, on first look-up); third-party plugins are
modules named by the entry-point group ``mhprivbench.plugins`` that call ``register`` when imported.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, TypeVar

from mhprivbench.errors import ConfigError, PluginNotFoundError

T = TypeVar("T")

KINDS = ("dataset", "anonymizer", "generator", "trainer", "attack", "classifier")
MECHANISM_KINDS = ("anonymizer", "generator", "trainer")
_BUILTIN_PACKAGES = {
    "dataset": "mhprivbench.datasets",
    "anonymizer": "mhprivbench.anonymizers",
    "generator": "mhprivbench.generators",
    "trainer": "mhprivbench.trainers",
    "attack": "mhprivbench.attacks",
    "classifier": "mhprivbench.utility",
}
ENTRY_POINT_GROUP = "mhprivbench.plugins"

_REGISTRY: dict[str, dict[str, type]] = {kind: {} for kind in KINDS}
_loaded: set[str] = set()
_entry_points_loaded = False


def register(kind: str, name: str) -> Callable[[type[T]], type[T]]:
    """Class decorator: make ``cls`` available as ``(kind, name)``."""
    if kind not in _REGISTRY:
        raise ConfigError(f"unknown plugin kind {kind!r} (expected one of {', '.join(KINDS)})")

    def decorate(cls: type[T]) -> type[T]:
        existing = _REGISTRY[kind].get(name)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise ConfigError(f"{kind} {name!r} is registered twice ({existing.__module__}, {cls.__module__})")
        _REGISTRY[kind][name] = cls
        cls.plugin_kind = kind  # type: ignore[attr-defined]
        cls.plugin_name = name  # type: ignore[attr-defined]
        return cls

    return decorate


def _ensure_loaded(kind: str) -> None:
    global _entry_points_loaded
    if kind not in _loaded:
        _loaded.add(kind)
        importlib.import_module(_BUILTIN_PACKAGES[kind])
    if not _entry_points_loaded:
        _entry_points_loaded = True
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            entry_point.load()


def _resolve_kind(kind: str, name: str) -> str:
    """``baseline`` is an alias: any mechanism class whose ``baseline`` attribute is true."""
    if kind != "baseline":
        return kind
    for mechanism_kind in MECHANISM_KINDS:
        cls = get_all(mechanism_kind).get(name)
        if cls is not None and getattr(cls, "baseline", False):
            return mechanism_kind
    known = sorted(n for k in MECHANISM_KINDS for n, c in get_all(k).items() if getattr(c, "baseline", False))
    raise PluginNotFoundError(f"unknown baseline {name!r}{_suggest(name, known)} (known: {', '.join(known)})")


def get_all(kind: str) -> dict[str, type]:
    if kind not in _REGISTRY:
        raise ConfigError(f"unknown plugin kind {kind!r} (expected one of {', '.join(KINDS)}, baseline)")
    _ensure_loaded(kind)
    return dict(sorted(_REGISTRY[kind].items()))


def get(kind: str, name: str) -> type:
    kind = _resolve_kind(kind, name)
    plugins = get_all(kind)
    if name not in plugins:
        raise PluginNotFoundError(
            f"unknown {kind} {name!r}{_suggest(name, list(plugins))} (known: {', '.join(plugins)})"
        )
    return plugins[name]


def create(kind: str, name: str, /, **params: Any) -> Any:
    """Instantiate plugin ``name`` of ``kind`` with validated ``params`` (ConfigError on a bad one)."""
    cls = get(kind, name)
    known = [f.name for f in dataclasses.fields(cls) if f.init] if dataclasses.is_dataclass(cls) else None
    if known is not None:
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise ConfigError(
                f"unknown parameter {unknown[0]!r} for {cls.plugin_kind} {name!r}"
                f"{_suggest(unknown[0], known)} (known: {', '.join(known) or 'none'})"
            )
    try:
        return cls(**params)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{cls.plugin_kind} {name!r}: {error}") from None


def params(obj: Any) -> dict[str, Any]:
    """Constructor parameters of a plugin instance, JSON-ready (round-trips through ``create``)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.init}


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
