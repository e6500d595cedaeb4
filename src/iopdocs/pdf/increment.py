"""Changing a PDF by appending to it: an incremental update (ISO 32000-1, 7.5.6).

The PDF LibreOffice writes is left byte for byte as it is; the objects that change (a new catalog,
an attached file) and a new cross-reference section follow it. Nothing is parsed but what is
read through the reader, so the cost is that of the change, not of the document: a tagged
contract has thousands of objects of structure tree that a rewrite would parse, copy and
serialise again (about 0.8 s with pypdf's clone and write, against a few milliseconds here).

pypdf's own ``PdfWriter(reader, incremental=True)`` loads and hashes every object first (about
0.27 s on the flagship contract) and leaves ``/Info`` out of the new trailer, which would part
the document information from the XMP metadata that PDF/A requires them to agree with. So the
update is written here, with pypdf reading the document and serialising the new objects.

Only files whose last cross-reference section is a classic table are updated this way (which is
what LibreOffice and pypdf write); ``is_appendable`` says whether a file is one, and callers fall
back to a full rewrite otherwise.
"""

from __future__ import annotations

import hashlib
import re
from io import BytesIO
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject, PdfObject

__all__ = ["Increment", "is_appendable"]

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def _startxref(data: bytes) -> int | None:
    """The offset the file's final ``startxref`` points at, if the file ends with one."""
    found = _STARTXREF.search(data[-1024:])
    return int(found.group(1)) if found else None


def is_appendable(data: bytes, reader: PdfReader) -> bool:
    """Whether ``data`` (read by ``reader``) can take an incremental update written here: it is
    not encrypted, ends with ``startxref`` and ``%%EOF``, and its last cross-reference section is a
    classic ``xref`` table (a file that uses cross-reference streams needs them in its update
    too)."""
    offset = _startxref(data)
    if offset is None or reader.is_encrypted:
        return False
    return data[offset : offset + 4] == b"xref" and "/XRefStm" not in reader.trailer


class Increment:
    """One incremental update of a PDF: ``add`` new objects, ``replace`` changed ones, then
    ``write`` the original bytes followed by the update.

    The trailer keeps the original's ``/Root``, ``/Info`` and the first part of ``/ID`` (the
    document's permanent identifier); the second part of ``/ID`` changes, as the standard asks of
    an updated file (a file without ``/ID`` gets one).
    """

    def __init__(self, data: bytes, reader: PdfReader) -> None:
        if not is_appendable(data, reader):
            raise ValueError("this PDF cannot be updated incrementally (see is_appendable)")
        self._data = data
        self._reader = reader
        self._next = int(cast("int", reader.trailer["/Size"]))
        self._objects: dict[int, PdfObject] = {}

    @property
    def reader(self) -> PdfReader:
        return self._reader

    def add(self, obj: PdfObject) -> IndirectObject:
        """Give ``obj`` a new object number in the update; return a reference to it."""
        from pypdf.generic import IndirectObject

        number = self._next
        self._next += 1
        self._objects[number] = obj
        return IndirectObject(number, 0, self._reader)

    def replace(self, reference: IndirectObject, obj: PdfObject) -> None:
        """Write ``obj`` as the new version of the existing object ``reference``."""
        if reference.generation != 0:
            raise ValueError("only objects of generation 0 can be replaced here")
        self._objects[reference.idnum] = obj

    def write(self) -> bytes:
        """The original bytes, then the changed objects, a cross-reference table and trailer."""
        from pypdf.generic import ArrayObject, ByteStringObject, NameObject, NumberObject

        out = BytesIO()
        out.write(self._data)
        if not self._data.endswith((b"\n", b"\r")):
            out.write(b"\n")
        offsets: dict[int, int] = {}
        for number in sorted(self._objects):
            offsets[number] = out.tell()
            out.write(f"{number} 0 obj\n".encode("ascii"))
            self._objects[number].write_to_stream(out)
            out.write(b"\nendobj\n")
        table = out.tell()
        out.write(b"xref\n")
        # The section opens with object 0, the head of the free list, as full saves do: readers
        # such as pypdf take a section that starts elsewhere for a misnumbered table and warn.
        # The producers this is used on (LibreOffice, pypdf) keep no other free objects.
        out.write(b"0 1\n0000000000 65535 f\r\n")
        for first, numbers in _runs(sorted(offsets)):
            out.write(f"{first} {len(numbers)}\n".encode("ascii"))
            for number in numbers:
                # Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, n, EOL.
                out.write(f"{offsets[number]:010d} 00000 n\r\n".encode("ascii"))
        trailer = _copy_trailer(self._reader.trailer)
        trailer[NameObject("/Size")] = NumberObject(self._next)
        trailer[NameObject("/Prev")] = NumberObject(_startxref(self._data) or 0)
        changed = hashlib.md5(out.getvalue()[len(self._data) :], usedforsecurity=False).digest()
        original = self._reader.trailer.get("/ID")
        # PDF/A requires an /ID; a file without one gets one, its permanent part made up here.
        permanent = (
            _string_bytes(cast("list[object]", original.get_object())[0])
            if original is not None
            else hashlib.md5(self._data, usedforsecurity=False).digest()
        )
        trailer[NameObject("/ID")] = ArrayObject(
            [ByteStringObject(permanent), ByteStringObject(changed)]
        )
        out.write(b"trailer\n")
        trailer.write_to_stream(out)
        out.write(f"\nstartxref\n{table}\n%%EOF\n".encode("ascii"))
        return out.getvalue()


def _copy_trailer(trailer: DictionaryObject) -> DictionaryObject:
    """The trailer's entries that still hold after an update (a checksum of the old bytes does
    not, nor do the previous section's own links)."""
    from pypdf.generic import DictionaryObject, NameObject

    kept = ("/Root", "/Info", "/ID")
    return DictionaryObject({NameObject(k): trailer.raw_get(k) for k in kept if k in trailer})


def _string_bytes(value: object) -> bytes:
    """The bytes of a PDF string as read (pypdf gives text-like strings as ``str``)."""
    if isinstance(value, bytes):
        return bytes(value)
    original = getattr(value, "original_bytes", None)
    return bytes(original) if isinstance(original, bytes) else str(value).encode("latin-1")


def _runs(numbers: list[int]) -> list[tuple[int, list[int]]]:
    """Sorted object numbers as subsections of consecutive numbers: [(first, [numbers…]), …]."""
    runs: list[tuple[int, list[int]]] = []
    for number in numbers:
        if runs and runs[-1][1][-1] == number - 1:
            runs[-1][1].append(number)
        else:
            runs.append((number, [number]))
    return runs
