"""A per-user folder of compiled templates, so a new process need not compile Jinja again.

Compiling the contract template costs a new process about 280 ms; reading it back costs a few.
The folder is ``$IOPDOCS_CACHE_DIR``, else ``$XDG_CACHE_HOME/iopdocs``, else
``~/.cache/iopdocs``; ``IOPDOCS_CACHE_DIR=off`` (or empty, ``0``, ``no``) turns it off.

The entries hold marshalled code objects, and unmarshalling bytes someone else wrote would run
their code. So every entry carries an HMAC-SHA256 over its key and payload, under a random
secret kept in the folder (mode 0600), and is only unmarshalled when that HMAC checks out; the
folder is only used when it belongs to this user and nobody else may write to it. A truncated,
corrupted or altered entry reads as a miss: the caller compiles afresh and writes it again.
Writes go through a temporary file and a rename, so concurrent writers never leave half an
entry. Any OSError (a read-only or missing home, a full disk) leaves the caller with its
in-memory cache only: the cache can make things faster, never fail them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path

__all__ = ["CACHE_DIR_ENV", "MAX_ENTRIES", "cache_folder", "read_entry", "write_entry"]

CACHE_DIR_ENV = "IOPDOCS_CACHE_DIR"
MAX_ENTRIES = 64
"""Entries kept; the least recently written go first (a notebook user edits templates)."""

_OFF = {"", "0", "off", "no", "false", "none"}
_MAGIC = b"iopdocs compiled template v1\n"
_SECRET = "secret.key"
_SECRET_SIZE = 32
_SUFFIX = ".tpl"


def cache_folder() -> Path | None:
    """Where compiled templates are kept, or ``None`` when the cache is turned off."""
    value = os.environ.get(CACHE_DIR_ENV)
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory at all
            return None
    return Path(base) / "iopdocs"


def read_entry(key: str, suffix: str = _SUFFIX) -> bytes | None:
    """The payload stored under ``key``, if it is there and its HMAC is right; else ``None``.
    ``suffix`` names the kind of entry (``.tpl`` compiled templates); each kind is pruned on
    its own."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        secret = _secret(folder, create=False)
        if secret is None:
            return None
        data = (folder / f"{key}{suffix}").read_bytes()
    except OSError:
        return None
    size = len(_MAGIC) + hashlib.sha256().digest_size
    if len(data) < size or not data.startswith(_MAGIC):
        return None
    mac, payload = data[len(_MAGIC) : size], data[size:]
    if not hmac.compare_digest(mac, _mac(secret, key, payload)):
        return None
    return payload


def write_entry(key: str, payload: bytes, suffix: str = _SUFFIX) -> bool:
    """Store ``payload`` under ``key``; ``False`` (and nothing else) when it cannot be stored."""
    folder = cache_folder()
    if folder is None:
        return False
    try:
        secret = _secret(folder, create=True)
        if secret is None:
            return False
        _write_atomically(folder / f"{key}{suffix}", _MAGIC + _mac(secret, key, payload) + payload)
        _prune(folder, suffix)
    except OSError:
        return False
    return True


def _mac(secret: bytes, key: str, payload: bytes) -> bytes:
    # The key is inside the MAC, so an entry renamed to another key does not verify either.
    return hmac.new(secret, key.encode("ascii") + b"\0" + payload, hashlib.sha256).digest()


def _secret(folder: Path, *, create: bool) -> bytes | None:
    """The folder's HMAC secret; ``None`` when the folder is not safely ours."""
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _private(folder):
        return None
    path = folder / _SECRET
    try:
        secret = path.read_bytes()
        if len(secret) == _SECRET_SIZE and _private(path):
            return secret
    except FileNotFoundError:
        pass
    if not create:
        return None
    # A new secret invalidates every entry, which is right for a folder whose secret was lost.
    _write_atomically(path, secrets.token_bytes(_SECRET_SIZE))
    secret = path.read_bytes()  # a concurrent writer's secret may have won the rename
    return secret if len(secret) == _SECRET_SIZE else None


def _private(path: Path) -> bool:
    """Owned by this user and writable by nobody else (where POSIX ownership exists; elsewhere,
    Windows, the HMAC alone guards the entries)."""
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return False
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=_SUFFIX + ".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)  # readers see the old entry or the new one, never half of one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune(folder: Path, suffix: str) -> None:
    entries = []
    for path in folder.glob(f"*{suffix}"):
        try:
            entries.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # pruned by another process meanwhile
            continue
    entries.sort()
    for _, path in entries[: max(len(entries) - MAX_ENTRIES, 0)]:
        path.unlink(missing_ok=True)
