"""A YAML loader with limits, for suite files: every failure is a one-line ``ConfigError`` naming the file.

Limits: file size (``MAX_BYTES``), UTF-8 text without NUL bytes, nesting depth (``MAX_DEPTH``), aliases
(``MAX_ALIASES``) and the size of the document once aliases are expanded (``MAX_NODES``: a 629-byte "billion
laughs" alias bomb expands to 10^9 nodes and fails in milliseconds), no recursive aliases, no duplicate keys.
Only the safe YAML tags (``yaml.SafeLoader``). Messages never quote more than ~80 characters of a value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mhprivbench.errors import ConfigError, clip

MAX_BYTES = 1 << 20
MAX_DEPTH = 32
MAX_ALIASES = 100
MAX_NODES = 100_000


class _LimitError(Exception):
    """A limit was hit while composing (carries the message and the line)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class LimitedLoader(yaml.SafeLoader):
    """``SafeLoader`` that counts depth and aliases while composing and rejects duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _LimitError(f"more than {MAX_ALIASES} aliases", self.peek_event().start_mark.line)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LimitError(f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark.line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise _LimitError(f"duplicate key {clip(key, 40)}", key_node.start_mark.line)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def expanded_size(root: Node) -> int:
    """Nodes in the document with every alias expanded; _LimitError above MAX_NODES or on a recursive alias."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in active:
            raise _LimitError("a recursive alias (an anchor used inside itself)", node.start_mark.line)
        active.add(id(node))
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        total = 1 + sum(size(child) for child in children)
        active.discard(id(node))
        if total > MAX_NODES:
            raise _LimitError(f"expands to more than {MAX_NODES} nodes (alias bomb?)", node.start_mark.line)
        sizes[id(node)] = total
        return total

    return size(root)


def read_text(path: Path, what: str = "YAML") -> str:
    """The file as UTF-8 text; ConfigError on a missing, huge, binary or non-UTF-8 file."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror or type(error).__name__})") from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_BYTES} bytes; a {what} file this big is not a suite")
    if b"\0" in raw:
        raise ConfigError(f"{path}: contains NUL bytes (a binary file?); expected {what} text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (invalid byte at offset {error.start})") from None


def load_yaml(path: str | Path) -> Any:
    """Parse one YAML document from ``path`` within the limits above."""
    path = Path(path)
    loader = LimitedLoader(read_text(path))
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        expanded_size(node)
        return loader.construct_document(node)
    except _LimitError as error:
        where = f"{path}:{error.line + 1}" if error.line is not None else str(path)
        raise ConfigError(f"{where}: invalid YAML ({error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = " ".join(str(getattr(error, "problem", None) or "parse error").split())[:80]
        raise ConfigError(f"{where}: invalid YAML ({problem})") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML (nested too deeply)") from None
    finally:
        loader.dispose()
