"""Schema versions of the agreement file, and how a file of an earlier version is brought up to
date.

Every agreement file carries ``schema_version``. A file without one was written for version 1.
Each step below turns a file of one version into the next; it is data (which key at which path
was renamed), so that the same step can rewrite a parsed mapping (``migrate_data``, used when a
file is loaded) and the file's own text with its comments kept (``iopdocs migrate``), and so that
``iopdocs templates lint`` can name a renamed field in a user's template.

Version history
---------------

1. The first format (iopdocs up to 0.x): no ``schema_version``.
2. A money line's payment timing is a family of three keys: ``pay_on_day`` (was ``payment_day``),
   ``pay_by_day`` and ``pay_within_days``. Money lines also gained ``shared``, ``shares``,
   ``start``, ``end`` and ``amounts``, capacities ``up_to``, and parties' ``payment_account`` is
   checked as a bankgiro, plusgiro or IBAN number; those need no rewriting.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, NamedTuple

__all__ = [
    "RENAMES",
    "SCHEMA_VERSION",
    "Rename",
    "SchemaMigrationWarning",
    "file_version",
    "migrate_data",
    "renamed_fields",
]

SCHEMA_VERSION = 2
"""The schema version this iopdocs writes and reads without migration."""


class SchemaMigrationWarning(UserWarning):
    """A file of an earlier schema version was read through a migration; the message names what
    changed. ``iopdocs migrate FILE`` rewrites the file so the warning goes away."""


class Rename(NamedTuple):
    """In version ``to_version``, the key ``old`` of every mapping at ``path`` became ``new``.

    ``path`` is a sequence of keys from the top of the file; ``"*"`` stands for every item of a
    list. (A named tuple rather than a frozen dataclass: it is made in a fifth of the time,
    which a cold command pays.)
    """

    to_version: int
    path: tuple[str, ...]
    old: str
    new: str

    @property
    def where(self) -> str:
        """The path in the form the validation messages use: ``contributions[].money[]``."""
        return ".".join(self.path).replace(".*", "[]")


RENAMES: tuple[Rename, ...] = (
    Rename(2, ("contributions", "*", "money", "*"), "payment_day", "pay_on_day"),
)
"""Every key renamed since version 1, oldest first."""


def file_version(data: dict[str, Any]) -> int:
    """The schema version a parsed file was written for (1 when it names none)."""
    version = data.get("schema_version", 1)
    return version if isinstance(version, int) and not isinstance(version, bool) else 1


def mappings_at(
    data: Any, path: tuple[str, ...], trail: str = ""
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping reached by ``path`` from ``data``, with its field path (``contributions[1]
    .money[0]``); parts of the path that are missing or of another shape are skipped."""
    if not path:
        if isinstance(data, dict):
            yield trail, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from mappings_at(item, rest, f"{trail}[{index}]")
    elif isinstance(data, dict) and head in data:
        yield from mappings_at(data[head], rest, f"{trail}.{head}" if trail else head)


def migrate_data(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``data`` brought to ``SCHEMA_VERSION``, and one sentence per change made.

    A file already at the current version, or of a version this iopdocs does not know (the model
    refuses it with its own message), is returned unchanged.
    """
    version = file_version(data)
    if version >= SCHEMA_VERSION or version < 1:
        return data, []
    migrated = copy.deepcopy(data)
    changes: list[str] = []
    for rename in RENAMES:
        if rename.to_version <= version:
            continue
        for trail, mapping in mappings_at(migrated, rename.path):
            if rename.old in mapping and rename.new not in mapping:
                renamed = {(rename.new if k == rename.old else k): v for k, v in mapping.items()}
                mapping.clear()
                mapping.update(renamed)
                changes.append(
                    f"{trail}.{rename.old} is now {rename.new} (schema version {rename.to_version})"
                )
    migrated = {"schema_version": SCHEMA_VERSION, **migrated}
    migrated["schema_version"] = SCHEMA_VERSION
    return migrated, changes


def renamed_fields() -> dict[str, Rename]:
    """The renamed keys by their old name, for naming them in a user's template."""
    return {r.old: r for r in RENAMES}
