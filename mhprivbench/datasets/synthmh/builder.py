"""Build a text from pieces while recording ground-truth spans at exact offsets.

Literal text is buffered and passed through a style function when a mention (or the end) flushes it, so
styling (casing, typos, habits) never touches a mention and offsets are computed on the final strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mhprivbench.types import Span

# A mention: (surface, entity, kind, attribute). A piece is a literal str or a mention tuple.
Mention = tuple[str, str, str, str]
Piece = str | Mention


def _identity(text: str) -> str:
    return text


class TextBuilder:
    """Append literals and mentions; ``text()`` and ``spans`` give the result."""

    __slots__ = ("_parts", "_pending", "_pos", "_style", "spans", "used")

    def __init__(self, style: Callable[[str], str] | None = None) -> None:
        self._parts: list[str] = []
        self._pending: list[str] = []
        self._pos = 0
        self._style = style or _identity
        self.spans: list[Span] = []
        self.used: set[str] = set()  # templates already written, so a post does not repeat itself

    def pick(self, bank: tuple[str, ...], rng) -> str:
        """A template from ``bank`` not used yet in this text (when a few tries find one)."""
        for _ in range(4):
            template = rng.choice(bank)
            if template not in self.used:
                break
        self.used.add(template)
        return template

    def lit(self, text: str) -> None:
        """Styled literal text (persona's own words)."""
        if text:
            self._pending.append(text)

    def raw(self, text: str) -> None:
        """Literal text that keeps its form (form labels, brackets, line breaks)."""
        self._flush()
        self._parts.append(text)
        self._pos += len(text)

    def mention(self, surface: str, entity: str, kind: str, attribute: str) -> None:
        self._flush()
        start = self._pos
        self._parts.append(surface)
        self._pos += len(surface)
        self.spans.append(Span(start, self._pos, entity, kind, attribute))  # type: ignore[arg-type]

    def add(self, pieces: Iterable[Piece], *, styled: bool = True) -> None:
        """Add a rendered template: strings are literals, tuples are mentions."""
        for piece in pieces:
            if isinstance(piece, str):
                if styled:
                    self.lit(piece)
                else:
                    self.raw(piece)
            else:
                self.mention(*piece)

    def _flush(self) -> None:
        if self._pending:
            text = self._style("".join(self._pending))
            self._pending.clear()
            self._parts.append(text)
            self._pos += len(text)

    def __len__(self) -> int:
        return self._pos + sum(len(p) for p in self._pending)

    def tail(self) -> str:
        """The last character written so far ('' when empty), pending literals included."""
        if self._pending:
            return self._pending[-1][-1:]
        return self._parts[-1][-1:] if self._parts else ""

    def text(self) -> str:
        self._flush()
        return "".join(self._parts)
