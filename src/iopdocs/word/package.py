"""The zip package of a .docx: deterministic bytes, and parts changed without re-deflating the rest.

Every document iopdocs writes is laid out the same way (fixed entry dates and attributes, one
compression level), so equal content gives equal bytes and a document's hash means something.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from io import BytesIO
from typing import NamedTuple

from iopdocs.errors import LimitError
from iopdocs.i18n import Message

__all__ = [
    "COMPRESS_LEVEL",
    "FAST_COMPRESS_LEVEL",
    "MAX_MEMBERS",
    "MAX_MEMBER_SIZE",
    "MAX_PACKAGE_SIZE",
    "MAX_RATIO",
    "Parts",
    "Pieces",
    "StoredMember",
    "check_package",
    "compress_level",
    "normalize_zip",
    "store_member",
    "store_pieces",
    "write_zip",
]

COMPRESS_LEVEL = 6
"""The deflate level of the parts a template brings (styles, theme, numbering, …), compressed
once per template and copied as they are into every document."""
FAST_COMPRESS_LEVEL = 1
"""The deflate level of the parts written afresh for every document (its body, headers and
footers, properties, custom XML): about four times faster than level 6 on a contract's body,
for some 20 % more bytes of those parts."""
_PER_DOCUMENT = re.compile(
    r"word/(?:document|header\d*|footer\d*)\.xml|docProps/(?:core|custom)\.xml|customXml/.*"
)


def compress_level(name: str) -> int:
    """The deflate level of the member ``name``: decided by its name alone, so every path that
    writes a package (``normalize_zip``, ``write_zip`` of stored members) gives the same bytes."""
    return FAST_COMPRESS_LEVEL if _PER_DOCUMENT.fullmatch(name) else COMPRESS_LEVEL


# A named tuple, not a frozen dataclass: made at import in a fifth of the time (cold start).
class StoredMember(NamedTuple):
    """A zip member already compressed: its name, deflated bytes, CRC and uncompressed size."""

    name: str
    compressed: bytes
    crc: int
    size: int


def store_member(name: str, data: bytes) -> StoredMember:
    """``data`` deflated as the member ``name``. A small part that recurs from one document to
    the next (content types, relationships, data-store properties) is deflated once and then
    taken from a bounded memo: the same name and bytes always give the same member."""
    if len(data) <= _SMALL_PART:
        return _small_member(name, data)
    return _deflated_member(name, data)


def _deflated_member(name: str, data: bytes) -> StoredMember:
    compressor = zlib.compressobj(compress_level(name), zlib.DEFLATED, -15)
    compressed = compressor.compress(data) + compressor.flush()
    return StoredMember(name, compressed, zlib.crc32(data), len(data))


_SMALL_PART = 4096
_small_member = functools.lru_cache(maxsize=512)(_deflated_member)


# A named tuple, not a frozen dataclass: made at import in a fifth of the time (cold start).
class Pieces(NamedTuple):
    """A part's bytes in pieces, some of them ``shared``: the same bytes in many documents
    (the clause library every contract carries in its provenance part).

    A shared piece is deflated once per process, at ``COMPRESS_LEVEL``, and kept (a bounded
    memo keyed by its bytes); the pieces between shared ones are deflated per document at the
    part's level. Each stream but the last ends with a sync flush, on a byte boundary, so the
    streams one after another are one valid deflate stream of the whole part. The bytes depend
    on the pieces alone, never on what the memo holds.
    """

    pieces: tuple[bytes, ...]
    shared: frozenset[int] = frozenset()
    """The indices of the shared pieces."""

    def joined(self) -> bytes:
        return b"".join(self.pieces)


# An empty final block (fixed Huffman codes, end of block): what ends a stream whose last
# piece is shared, as ``zlib.compressobj().flush()`` writes it for no input.
_FINAL_EMPTY_BLOCK = b"\x03\x00"


def store_pieces(name: str, part: Pieces) -> StoredMember:
    """``part`` deflated as the member ``name`` (see ``Pieces``)."""
    chunks: list[bytes] = []
    crc = 0
    size = 0
    pending: zlib._Compress | None = None  # the stream of the unshared pieces since the last shared
    for number, piece in enumerate(part.pieces):
        crc = zlib.crc32(piece, crc)
        size += len(piece)
        if number in part.shared:
            if pending is not None:
                chunks.append(pending.flush(zlib.Z_SYNC_FLUSH))
                pending = None
            chunks.append(_shared_stream(piece))
        else:
            if pending is None:
                pending = zlib.compressobj(compress_level(name), zlib.DEFLATED, -15)
            chunks.append(pending.compress(piece))
    chunks.append(_FINAL_EMPTY_BLOCK if pending is None else pending.flush())
    return StoredMember(name, b"".join(chunks), crc, size)


@functools.lru_cache(maxsize=16)
def _shared_stream(piece: bytes) -> bytes:
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(piece) + compressor.flush(zlib.Z_SYNC_FLUSH)


_LOCAL_HEADER = struct.Struct(zipfile.structFileHeader)  # type: ignore[attr-defined]
_CENTRAL_HEADER = struct.Struct(zipfile.structCentralDir)  # type: ignore[attr-defined]
_UTF8_NAME = 0x800  # the flag bit of a name that is not ASCII
_VERSION = 20  # zipfile's create and extract version for a deflated member
_UNIX = 3
_MODE = 0o644 << 16


def write_zip(members: list[StoredMember], timestamp: dt.date) -> bytes:
    """A zip of already compressed members, laid out exactly as ``normalize_zip`` lays it out
    (the fields zipfile writes for a deflated member dated ``timestamp`` at midnight, packed
    here directly: some fifteen times faster than a ``ZipInfo`` per member)."""
    dosdate = (max(timestamp.year, 1980) - 1980) << 9 | timestamp.month << 5 | timestamp.day
    chunks: list[bytes] = []
    records: list[bytes] = []
    offset = 0
    for member in members:
        if member.size > zipfile.ZIP64_LIMIT // 2 or offset > zipfile.ZIP64_LIMIT // 2:
            raise ValueError("the document is too large for a plain zip")
        name, flags = _encoded_name(member.name)
        fields = (flags, zipfile.ZIP_DEFLATED, 0, dosdate, member.crc, len(member.compressed))
        local = _LOCAL_HEADER.pack(
            zipfile.stringFileHeader,  # type: ignore[attr-defined]
            _VERSION,
            0,
            *fields,
            member.size,
            len(name),
            0,
        )
        records += [
            _CENTRAL_HEADER.pack(
                zipfile.stringCentralDir,  # type: ignore[attr-defined]
                _VERSION,
                _UNIX,
                _VERSION,
                0,
                *fields,
                member.size,
                len(name),
                0,
                0,
                0,
                0,
                _MODE,
                offset,
            ),
            name,
        ]
        chunks += [local, name, member.compressed]
        offset += len(local) + len(name) + len(member.compressed)
    directory = b"".join(records)
    end = struct.pack(
        zipfile.structEndArchive,  # type: ignore[attr-defined]
        zipfile.stringEndArchive,  # type: ignore[attr-defined]
        0,
        0,
        len(members),
        len(members),
        len(directory),
        offset,
        0,
    )
    return b"".join(chunks) + directory + end


def _inflated(member: StoredMember) -> bytes:
    """A stored member's bytes. A template's small parts (relationships, content types) are
    read for every document that adds to them, so they are inflated once (a bounded memo; a
    stored member is immutable)."""
    if member.size > _SMALL_PART:
        return zlib.decompress(member.compressed, -15)
    return _inflated_small(member)


@functools.lru_cache(maxsize=256)
def _inflated_small(member: StoredMember) -> bytes:
    return zlib.decompress(member.compressed, -15)


@functools.lru_cache(maxsize=512)
def _encoded_name(name: str) -> tuple[bytes, int]:
    """A member's name as zipfile writes it, and its flag bits (UTF-8 when not ASCII)."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_NAME


class Parts:
    """The parts of a .docx, read on demand and written back by ``to_bytes``.

    Steps that change a few parts of a rendered document (the draft watermark, the provenance
    parts) set just those; every other part is copied as the compressed bytes it already has,
    instead of being inflated and deflated again. Made from finished bytes (``Parts(data)``),
    or by a renderer straight from its members (``Parts.from_members``), so that rendering,
    watermark and provenance end in a single zip write.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._zip: zipfile.ZipFile | None = zipfile.ZipFile(BytesIO(data))
        self._infos = {info.filename: info for info in self._zip.infolist()}
        self._stored: dict[str, StoredMember] = {}
        self._names = list(self._infos)
        self._changed: dict[str, bytes | Pieces] = {}
        infos = self._zip.infolist()
        self._date = dt.date(*infos[0].date_time[:3]) if infos else dt.date(1980, 1, 1)

    @classmethod
    def from_members(
        cls, members: Sequence[StoredMember | tuple[str, bytes]], date: dt.date
    ) -> Parts:
        """A package of ``members`` (compressed, or ``(name, bytes)`` not yet compressed) in
        this order, its entries dated ``date``."""
        parts = cls.__new__(cls)
        parts._data = b""
        parts._zip = None
        parts._infos = {}
        parts._stored = {m.name: m for m in members if isinstance(m, StoredMember)}
        parts._changed = {m[0]: m[1] for m in members if not isinstance(m, StoredMember)}
        parts._names = [m.name if isinstance(m, StoredMember) else m[0] for m in members]
        parts._date = date
        return parts

    @property
    def names(self) -> list[str]:
        """Every part name, in package order; new parts last."""
        return list(self._names)

    @property
    def date(self) -> dt.date:
        """The date the package's entries carry (every entry of a rendered document has it)."""
        return self._date

    def __contains__(self, name: object) -> bool:
        return name in self._changed or name in self._stored or name in self._infos

    def __getitem__(self, name: str) -> bytes:
        if name in self._changed:
            data = self._changed[name]
            return data.joined() if isinstance(data, Pieces) else data
        if name in self._stored:
            return _inflated(self._stored[name])
        if self._zip is None:
            raise KeyError(name)
        return self._zip.read(self._infos[name])

    def get(self, name: str) -> bytes | None:
        if name in self:
            return self[name]
        return None

    def __setitem__(self, name: str, data: bytes | Pieces) -> None:
        if name not in self:
            self._names.append(name)
        self._changed[name] = data

    def to_bytes(self, timestamp: dt.date | None = None) -> bytes:
        """The package, laid out as ``normalize_zip`` lays it out, dated ``timestamp`` (by
        default the date its entries had)."""
        members = [self._member(name) for name in self._names]
        return write_zip(members, timestamp or self.date)

    def _member(self, name: str) -> StoredMember:
        data = self._changed.get(name)
        if data is None:
            return self._raw(name)
        if isinstance(data, Pieces):
            return store_pieces(name, data)
        return store_member(name, data)

    def _raw(self, name: str) -> StoredMember:
        if name in self._stored:
            return self._stored[name]
        assert self._zip is not None  # every name is changed, stored or in the zip
        info = self._infos[name]
        if info.compress_type != zipfile.ZIP_DEFLATED:
            return store_member(name, self._zip.read(info))
        offset = info.header_offset
        header = struct.unpack(
            zipfile.structFileHeader,  # type: ignore[attr-defined]
            self._data[offset : offset + zipfile.sizeFileHeader],  # type: ignore[attr-defined]
        )
        start = (
            offset
            + zipfile.sizeFileHeader  # type: ignore[attr-defined]
            + header[zipfile._FH_FILENAME_LENGTH]  # type: ignore[attr-defined]
            + header[zipfile._FH_EXTRA_FIELD_LENGTH]  # type: ignore[attr-defined]
        )
        return StoredMember(
            name, self._data[start : start + info.compress_size], info.CRC, info.file_size
        )


def normalize_zip(
    data: bytes, timestamp: dt.date, level: Callable[[str], int] | None = None
) -> bytes:
    """Rewrite a .docx with fixed entry times and attributes, so equal content gives equal bytes.

    Every member is deflated at ``COMPRESS_LEVEL``, or at ``level(name)`` (say,
    ``compress_level``, as a rendered document's parts are)."""
    date_time = (max(timestamp.year, 1980), timestamp.month, timestamp.day, 0, 0, 0)
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            data = source.read(entry.filename)
            chosen = COMPRESS_LEVEL if level is None else level(entry.filename)
            target.writestr(info, data, compresslevel=chosen)
    return out.getvalue()


MAX_MEMBERS = 4000
"""The most files a .docx from outside may hold (a contract has about 20)."""
MAX_MEMBER_SIZE = 48 * 1024 * 1024
"""The largest size one file of a .docx may unpack to (a 200-page contract's text: some MiB)."""
MAX_PACKAGE_SIZE = 160 * 1024 * 1024
"""The largest size all files of a .docx together may unpack to."""
MAX_RATIO = 200
"""The most a file over 1 MiB may have been compressed (deflated XML: 5 to 30 times)."""
_PROLOG_SCAN = 64 * 1024
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_COMMENTS = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.DOTALL)


def check_package(data: bytes, origin: str) -> None:
    """Refuse, with a ``LimitError`` naming the limit, a .docx from outside that would unpack
    too large or is built to exhaust an XML parser, before any part of it is parsed.

    Checked from the zip's directory: the number of files (``MAX_MEMBERS``), the size each
    unpacks to (``MAX_MEMBER_SIZE``) and all together (``MAX_PACKAGE_SIZE``), and the ratio of
    a large file's unpacked to packed size (``MAX_RATIO``). zipfile never unpacks a file beyond
    the size its directory states, so these bounds hold for every later read. Each XML part's
    prolog (the bytes before its first element) is read, streaming, to refuse a document type
    declaration: DTDs and entities are how XML is made to expand (a billion laughs) or to reach
    for other files; Word never writes them. A result is remembered for the same bytes, so
    rendering with one template many times checks it once. ``zipfile.BadZipFile`` passes
    through for the caller to name.
    """
    _check_package(data, origin)


@functools.lru_cache(maxsize=16)
def _check_package(data: bytes, origin: str) -> None:
    try:
        _check_members(data, origin)
    except (zlib.error, EOFError, ValueError, NotImplementedError, OSError) as exc:
        # A damaged member (bad deflate data, an unknown compression): not a usable zip.
        raise zipfile.BadZipFile(str(exc)) from exc


def _check_members(data: bytes, origin: str) -> None:
    with zipfile.ZipFile(BytesIO(data)) as package:
        infos = package.infolist()
        if len(infos) > MAX_MEMBERS:
            raise LimitError(
                Message(
                    "{origin}: holds {count} files; a .docx may hold at most {most}",
                    origin=origin,
                    count=len(infos),
                    most=MAX_MEMBERS,
                )
            )
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_MEMBER_SIZE:
                raise LimitError(
                    Message(
                        "{origin}: {member} unpacks to {size} bytes, more than the limit of "
                        "{mib} MiB per file",
                        origin=origin,
                        member=info.filename,
                        size=info.file_size,
                        mib=MAX_MEMBER_SIZE // (1024 * 1024),
                    )
                )
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise LimitError(
                    Message(
                        "{origin}: {member} is compressed more than {ratio} times (a zip bomb?); "
                        "refused",
                        origin=origin,
                        member=info.filename,
                        ratio=MAX_RATIO,
                    )
                )
        if total > MAX_PACKAGE_SIZE:
            raise LimitError(
                Message(
                    "{origin}: unpacks to {size} bytes, more than the limit of {mib} MiB",
                    origin=origin,
                    size=total,
                    mib=MAX_PACKAGE_SIZE // (1024 * 1024),
                )
            )
        for info in infos:
            if info.filename.endswith((".xml", ".rels")) and _has_doctype(package, info):
                raise LimitError(
                    Message(
                        "{origin}: {member} declares a document type (<!DOCTYPE>); DTDs and "
                        "entities are refused",
                        origin=origin,
                        member=info.filename,
                    )
                )


def _has_doctype(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the prolog of an XML part declares a DTD; reads only as far as the first
    element (or ``_PROLOG_SCAN`` bytes, beyond which a prolog is refused as one)."""
    head = b""
    with package.open(info) as stream:
        while len(head) < _PROLOG_SCAN:
            chunk = stream.read(4096)
            if not chunk:
                break
            head += chunk
            # Comments and processing instructions may hold anything; what is left before the
            # first element is the prolog proper.
            prolog = _COMMENTS.sub(b"", head)
            root = _ROOT_START.search(prolog)
            if root is not None and b"<!--" not in prolog[: root.start()]:
                return b"<!" in prolog[: root.start()]
    return len(head) >= _PROLOG_SCAN or b"<!" in _COMMENTS.sub(b"", head)
