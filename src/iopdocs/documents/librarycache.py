"""A clause library's parsed form in the per-user disk cache, so a new process need not parse
its YAML again.

Reading the packaged library's YAML and building its clauses costs a new process about 10 ms
(a tenth of a cold ``render``'s first contract); reading the parsed form back costs a fraction
of one. The entry sits in the folder of compiled templates (``iopdocs.word.diskcache``) with the
same guarantees: it is keyed by the SHA-256 of the library's bytes, the versions of iopdocs,
PyYAML and Python and this format's name (an edited library, or another version, gets its own
entry); it carries an HMAC-SHA256 under the folder's secret and is only read when that checks
out; it is written through a temporary file and a rename; any OSError leaves the library to be
parsed as before. The payload is plain data (marshalled tuples of text), and an entry whose
shape is not that of a library reads as a miss.

Only a library that parsed without an error is stored; its clauses are checked (when the caller
asks for the check) whether they come from the YAML or from here.
"""

from __future__ import annotations

import hashlib
import marshal
import sys

from iopdocs.version import __version__

__all__ = ["Row", "entry_key", "read_rows", "write_rows"]

Row = tuple[str, str, str, str | None, str]
"""One clause as stored: id, section, text, condition (``when``) and note."""

_SUFFIX = ".clauses"
"""The disk cache's entries of parsed clause libraries (pruned apart from other kinds)."""
_FORMAT = "iopdocs parsed clause library v1"


def entry_key(data: bytes) -> str:
    """The entry of the library whose bytes are ``data``."""
    import yaml

    digest = hashlib.sha256()
    for part in (_FORMAT, __version__, yaml.__version__, sys.version):
        digest.update(part.encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()


def read_rows(data: bytes) -> tuple[Row, ...] | None:
    """The clauses of the library ``data``, as parsed by an earlier process; ``None`` when the
    cache has no sound entry for it."""
    from iopdocs.word import diskcache

    if diskcache.cache_folder() is None:
        return None
    payload = diskcache.read_entry(entry_key(data), _SUFFIX)
    if payload is None:
        return None
    try:
        rows = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return rows if _is_rows(rows) else None


def write_rows(data: bytes, rows: tuple[Row, ...]) -> bool:
    """Keep the parsed clauses of the library ``data``; ``False`` when they cannot be kept."""
    from iopdocs.word import diskcache

    if diskcache.cache_folder() is None:
        return False
    return diskcache.write_entry(entry_key(data), marshal.dumps(rows), _SUFFIX)


def _is_rows(value: object) -> bool:
    if not isinstance(value, tuple):
        return False
    for row in value:
        if not isinstance(row, tuple) or len(row) != 5:
            return False
        clause_id, section, text, when, note = row
        if not all(isinstance(each, str) for each in (clause_id, section, text, note)):
            return False
        if when is not None and not isinstance(when, str):
            return False
    return True
