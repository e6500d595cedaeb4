"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from iopdocs.i18n import Message

__all__ = [
    "MAX_DATA_FILE",
    "MAX_DOCUMENT_FILE",
    "FileLimitError",
    "commit_temporary",
    "input_clash",
    "is_special_file",
    "read_limited",
    "same_file",
    "write_atomic",
    "write_temporary",
]

MAX_DATA_FILE = 10 * 1024 * 1024
"""The largest agreement, report or clause-library file read: 10 MiB (a contract is a few KiB)."""
MAX_DOCUMENT_FILE = 200 * 1024 * 1024
"""The largest .docx, PDF or template read: 200 MiB."""


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    target = Path(path)
    try:
        return commit_temporary(write_temporary(target, data), target)
    except OSError as exc:  # name the file asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror or str(exc), os.fspath(target)) from exc


def write_temporary(path: str | os.PathLike[str], data: bytes) -> Path:
    """The first half of ``write_atomic``: ``data`` in a new temporary file next to ``path``.

    Nothing is visible under ``path`` yet; ``commit_temporary`` finishes the write. A batch
    renders in one process and commits in another, so waiting for the disk overlaps the work.
    """
    import tempfile  # here: a command that only reads files does not import it

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


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether ``a`` and ``b`` name one file: the same path once symlinks and ``..`` are
    resolved, or the same inode (a hard link, a bind mount). A path that does not exist is
    compared by its resolved name only."""
    first, second = Path(a), Path(b)
    try:
        if first.resolve() == second.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop: compare by inode below, if at all
        pass
    try:
        one, other = os.stat(first), os.stat(second)
    except (OSError, ValueError):
        return False
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def input_clash(target: str | os.PathLike[str], inputs: Iterable[object]) -> str | None:
    """The first of ``inputs`` (paths; anything else, such as bytes or ``None``, is skipped) that
    is the same file as ``target``, as the caller wrote it; ``None`` when there is none."""
    for each in inputs:
        if isinstance(each, str | os.PathLike) and same_file(target, each):
            return os.fspath(each)
    return None


class FileLimitError(ValueError):
    """A file ``read_limited`` will not read: not a regular file, or over its size limit. The
    message says which, for the caller to put after the file's name."""


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file ``path``, refused with ``FileLimitError`` when it is larger
    than ``limit`` or not a regular file (``/dev/zero``, a pipe that would block, a socket).

    The size is checked before reading and the read stops at ``limit + 1`` bytes, so a file
    that grows while it is read is refused too. Other failures raise ``OSError`` as ``open``
    does (``IsADirectoryError`` for a folder).
    """
    # O_NONBLOCK: opening a FIFO without a writer must not wait forever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", os.fspath(path))
        if not stat.S_ISREG(info.st_mode):
            raise FileLimitError(
                Message("is not a regular file (a device, pipe or socket); not read")
            )
        if info.st_size > limit:
            raise FileLimitError(
                Message("is larger than the limit of {mib} MiB", mib=limit // (1024 * 1024))
            )
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileLimitError(
                Message("is larger than the limit of {mib} MiB", mib=limit // (1024 * 1024))
            )
        return b"".join(chunks)
    finally:
        os.close(fd)


def is_special_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a folder (a device such as
    ``/dev/full``, a pipe, a socket): an output must never replace one."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
