"""What an anonymized release keeps besides the rewritten text: the author pseudonym and the structured fields.

The attacker sees everything a release contains (DESIGN.md section 1): records that share a pseudonym are pooled,
and released demographics and intake fields are quasi-identifiers. Every anonymizer says what it keeps with two
parameters, declared once here (mix ``ReleasePolicy`` into the anonymizer's dataclass, call ``check_policy()`` in
``__post_init__`` and ``apply_policy(records, seed)`` at the end of ``rewrite``):

- ``pseudonym``: ``"keep"`` (default; pseudonymized sharing: the dataset's author id stays), ``"rehash"`` (a new
  pseudonym per author, consistent within the release and keyed with the release seed: records stay poolable, but
  the original id is gone; for a real release pass a secret seed) or ``"drop"`` (``author=None``: nothing links
  two records of one person but their text).
- ``keep_fields``: None keeps ``group`` and ``fields`` as they are; a list keeps only those keys in both (``[]``
  drops them all).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from mhprivbench.types import Record

PSEUDONYMS = ("keep", "rehash", "drop")


@dataclass
class ReleasePolicy:
    """Dataclass mixin: the release-policy parameters shared by every anonymizer."""

    pseudonym: str = "keep"
    keep_fields: list[str] | None = None

    def check_policy(self) -> None:
        """ValueError (one line, naming the option) on a bad ``pseudonym`` or ``keep_fields``."""
        if not isinstance(self.pseudonym, str) or self.pseudonym not in PSEUDONYMS:
            raise ValueError(f"pseudonym must be one of {', '.join(PSEUDONYMS)}, got {self.pseudonym!r}")
        keep = self.keep_fields
        if keep is None:
            return
        if isinstance(keep, str) or not isinstance(keep, list | tuple):
            raise ValueError(f"keep_fields must be a list of field names or null, got {type(keep).__name__}")
        if not all(isinstance(key, str) and key for key in keep):
            raise ValueError("keep_fields must hold non-empty field names (strings)")

    @property
    def keeps_everything(self) -> bool:
        return self.pseudonym == "keep" and self.keep_fields is None

    def apply_policy(self, records: Sequence[Record], seed: int | None = 0) -> list[Record]:
        """``records`` with the pseudonym and fields this policy releases (text, label and spans untouched)."""
        if self.keeps_everything:
            return list(records)
        keep = None if self.keep_fields is None else frozenset(self.keep_fields)
        return [dataclasses.replace(record, author=self.released_author(record.author, seed),
                                    group=_only(record.group, keep), fields=_only(record.fields, keep))
                for record in records]

    def released_author(self, author: str | None, seed: int | None = 0) -> str | None:
        """The pseudonym this policy releases for ``author``."""
        if author is None or self.pseudonym == "drop":
            return None
        if self.pseudonym == "keep":
            return author
        key = f"mhprivbench:pseudonym:{seed}".encode()
        return "ps" + hmac.new(key, author.encode(), hashlib.sha256).hexdigest()[:16]


def _only(mapping, keep: frozenset[str] | None) -> dict:
    if keep is None:
        return mapping
    return {key: value for key, value in mapping.items() if key in keep}
