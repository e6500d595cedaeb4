"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["commit_temporary", "write_atomic", "write_temporary"]


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    target = Path(path)
    return commit_temporary(write_temporary(target, data), target)


def write_temporary(path: str | os.PathLike[str], data: bytes) -> Path:
    """The first half of ``write_atomic``: ``data`` in a new temporary file next to ``path``.

    Nothing is visible under ``path`` yet; ``commit_temporary`` finishes the write. A batch
    renders in one process and commits in another, so waiting for the disk overlaps the work.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def commit_temporary(tmp: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """The second half of ``write_atomic``: sync ``tmp`` to disk, then rename it to ``path``.

    ``tmp`` is removed if this fails.
    """
    target = Path(path)
    try:
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
