"""A rendered document's core properties (``docProps/core.xml``) written from a skeleton.

docxtpl renders six core properties as Jinja templates and iopdocs sets a dozen more through
python-docx: a parse, some forty element lookups and a serialisation per document. Which
elements a document gets, in which order and with which attributes depends only on the
template's core properties and on which properties are set with values of which kind; their
texts are the values. So the first document of each such shape is written by python-docx as
before, and from the same work a skeleton is kept: that part with a placeholder where each
value's text goes. Later documents of that shape fill in the skeleton (each text escaped as
lxml escapes it). A value python-docx would refuse or write differently (text over 255
characters, characters XML does not allow, a type other than text, a date-time or a whole
number) takes python-docx's way, with its errors. tests/unit/test_core_skeleton.py holds both
ways to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Sequence
from typing import Any

from iopdocs.word.fixes import core_cp_prefix, xml_escaped

__all__ = ["NOT_XML", "CoreWriter", "element_text"]

_TEXT_LIMIT = 255  # python-docx refuses longer texts
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot hold: control characters, lone surrogates, U+FFFE and U+FFFF."""
_PLACEHOLDER = re.compile(r"IOPDOCS(\d+)PLACEHOLDER")
_DATE_TIMES = frozenset({"created", "modified", "last_printed"})
_MAX_SKELETONS = 16


def _kind(name: str, value: Any) -> str | None:
    """How a value is written: ``text``, ``datetime`` or ``int``; ``None`` for what only
    python-docx should handle (and refuse, or write its own way)."""
    if name in _DATE_TIMES:
        return "datetime" if isinstance(value, dt.datetime) else None
    if name == "revision":
        return "int" if type(value) is int and value >= 1 else None
    if type(value) is str and len(value) <= _TEXT_LIMIT and not NOT_XML.search(value):
        return "text"
    return None


def _text(kind: str | None, value: Any) -> str:
    """The element text python-docx and lxml write for ``value``."""
    if kind == "datetime":
        return str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return element_text(str(value))


def element_text(text: str) -> str:
    """``text`` as lxml writes it inside an element: ``&``, ``<``, ``>`` and a carriage return
    (which a parser would turn into a line feed) escaped, quotes as they are."""
    text = xml_escaped(text)
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


class CoreWriter:
    """Writes the core properties of documents from one template's ``core.xml``."""

    def __init__(self, core_xml: bytes) -> None:
        self._core_xml = core_xml
        self._usable = b"PLACEHOLDER" not in core_xml
        self._skeletons: dict[tuple[tuple[str, str | None], ...], str | None] = {}
        self._lock = threading.Lock()

    def write(self, assignments: Sequence[tuple[str, Any]]) -> bytes:
        """``core.xml`` with each ``(property, value)`` set in order, as python-docx sets it
        (``core_cp_prefix`` applies to all of them, as to docxtpl's own it changes nothing)."""
        kinds = [_kind(name, value) for name, value in assignments]
        if not self._usable or None in kinds:
            return self._python_docx(assignments)
        shape = tuple((name, kind) for (name, _), kind in zip(assignments, kinds, strict=True))
        with self._lock:
            known = shape in self._skeletons
            skeleton = self._skeletons.get(shape)
        if not known:
            data, skeleton = self._python_docx(assignments), self._skeleton(shape)
            with self._lock:
                if len(self._skeletons) >= _MAX_SKELETONS:
                    self._skeletons.clear()
                self._skeletons[shape] = skeleton
            return data
        if skeleton is None:
            return self._python_docx(assignments)
        texts = [
            _text(kind, value) for (_, kind), (_, value) in zip(shape, assignments, strict=True)
        ]
        return _PLACEHOLDER.sub(lambda m: texts[int(m.group(1))], skeleton).encode("utf-8")

    def _python_docx(self, assignments: Sequence[tuple[str, Any]]) -> bytes:
        from docx.opc.coreprops import CoreProperties
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.parser import parse_xml

        element = parse_xml(self._core_xml)
        core = CoreProperties(element)
        with core_cp_prefix():
            for name, value in assignments:
                setattr(core, name, value)
        return bytes(serialize_part_xml(element))

    def _skeleton(self, shape: tuple[tuple[str, str | None], ...]) -> str | None:
        """The part for ``shape`` with ``IOPDOCS<n>PLACEHOLDER`` where the text of the n-th
        assignment goes (the last one of each property: earlier ones are overwritten);
        ``None`` when a placeholder cannot be told apart in the result."""
        base = dt.datetime(1001, 1, 1)
        values: list[Any] = []
        for number, (_, kind) in enumerate(shape):
            if kind == "datetime":
                values.append(base + dt.timedelta(days=number))
            elif kind == "int":
                values.append(987_654_000 + number)
            else:
                values.append(f"IOPDOCS{number}PLACEHOLDER")
        assignments = [(name, value) for (name, _), value in zip(shape, values, strict=True)]
        written = self._python_docx(assignments).decode("utf-8")
        last = {name: number for number, (name, _) in enumerate(shape)}
        for number, ((name, kind), value) in enumerate(zip(shape, values, strict=True)):
            text = f"IOPDOCS{number}PLACEHOLDER" if kind == "text" else _text(kind, value)
            if written.count(text) != (1 if last[name] == number else 0):
                return None
            if kind != "text":
                written = written.replace(text, f"IOPDOCS{number}PLACEHOLDER")
        return written
