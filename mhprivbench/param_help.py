"""The parameters of a plugin with their type, default and help, for ``mhprivbench list --params KIND NAME``.

A plugin is a dataclass whose fields are its parameters. Help text comes from, in this order:

1. ``field(metadata={"help": "..."})``;
2. the ``# comment`` on the field's line in the source of the class that declares it (mixins included), or the
   comment lines right above it: ``epsilon: float = 1.0  # total privacy budget``;
3. a line of the class docstring that starts with the field's name in double backticks and a colon
   (``operator``: "replace" or "mask"), the style of the built-in docstrings;

else it is empty. No plugin has to change to be listed; a third-party plugin documents its parameters the same way.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import io
import json
import re
import textwrap
import tokenize
from typing import Any, NamedTuple

_TOOL_COMMENT = re.compile(r"(noqa|type:|pragma|fmt:)", re.IGNORECASE)


class Param(NamedTuple):
    name: str
    type: str
    default: str  # JSON as a suite would write it, or "(required)"
    help: str


def parameters(cls: type) -> list[Param]:
    """Every constructor parameter of the dataclass ``cls`` (empty for a plugin that is not a dataclass)."""
    if not dataclasses.is_dataclass(cls):
        return []
    return [Param(f.name, _type_name(f.type), _default(f), help_text(cls, f))
            for f in dataclasses.fields(cls) if f.init]


def help_text(cls: type, field: dataclasses.Field) -> str:
    """The help of one field (see the module docstring for the sources)."""
    if field.metadata.get("help"):
        return str(field.metadata["help"])
    owners = [c for c in cls.__mro__ if field.name in getattr(c, "__annotations__", {})]
    for owner in owners:
        comment = _field_comments(owner).get(field.name)
        if comment:
            return comment
    for owner in (cls, *owners):
        found = _docstring_line(owner, field.name)
        if found:
            return found
    return ""


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _default(field: dataclasses.Field) -> str:
    if field.default is not dataclasses.MISSING:
        value = field.default
    elif field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
    else:
        return "(required)"
    return json.dumps(value, default=lambda v: list(v) if isinstance(v, tuple | set | frozenset) else str(v))


@functools.cache
def _field_comments(cls: type) -> dict[str, str]:
    """{field: comment} from the class's own source (fields declared in this class only)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (OSError, TypeError, SyntaxError, tokenize.TokenError):
        return {}
    comments = {tok.start[0]: tok.string.lstrip("#").strip() for tok in tokens if tok.type == tokenize.COMMENT}
    lines = source.splitlines()
    found: dict[str, str] = {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    for node in body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        rows = [r for r in range(node.lineno, (node.end_lineno or node.lineno) + 1) if r in comments]
        if not rows:  # comment lines right above the field
            row = node.lineno - 1
            while row in comments and lines[row - 1].lstrip().startswith("#"):
                rows.insert(0, row)
                row -= 1
        text = " ".join(comments[r] for r in rows if not _TOOL_COMMENT.match(comments[r]))
        if text:
            found[node.target.id] = text
    return found


def _docstring_line(cls: type, name: str) -> str:
    """The rest of the docstring line that starts with ``name`` in double backticks (alone or in a list such as
    ``a`` / ``b``) and a colon, continued on the next lines until a sentence ends."""
    doc = inspect.getdoc(cls) if "__doc__" in vars(cls) else None
    other = r"``\w+``\s*/\s*"
    pattern = re.compile(rf"^\s*(?:{other})*``{re.escape(name)}``(?:\s*/\s*``\w+``)*\s*:\s*(.+)$")
    lines = (doc or "").splitlines()
    for index, line in enumerate(lines):
        match = pattern.match(line)
        if match:
            text = match.group(1).strip()
            for more in lines[index + 1:]:
                if text.endswith(".") or not more.strip() or more.lstrip().startswith("``"):
                    break
                text += " " + more.strip()
            return text
    return ""


def format_parameters(kind: str, name: str, cls: type) -> list[str]:
    """Lines for the CLI: a title, a header and one aligned row per parameter."""
    doc = (inspect.getdoc(cls) or "").split("\n\n")[0].replace("\n", " ")
    rows = [("parameter", "type", "default", "help")] + [tuple(p) for p in parameters(cls)]
    if len(rows) == 1:
        return [f"{kind} {name}: {doc}".rstrip(), "(no parameters)"]
    widths = [min(max(len(row[i]) for row in rows), cap) for i, cap in enumerate((24, 28, 24))]
    lines = [f"{kind} {name}: {doc}".rstrip()]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        lines.append("  ".join([*cells, row[3] or "-"]).rstrip())
    return lines
