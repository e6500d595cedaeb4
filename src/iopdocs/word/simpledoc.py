"""A plain Word document written from code: headings, paragraphs, labelled lines, verbatim text.

For listings that have no template of their own (a clause catalogue). The bytes are
deterministic: the package is laid out by ``normalize_zip`` and dated by the caller.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from iopdocs.word.fixes import core_cp_prefix
from iopdocs.word.package import normalize_zip

__all__ = ["SimpleDocument"]

_FIXED_DATE = dt.date(2000, 1, 1)


class SimpleDocument:
    """A Word document built paragraph by paragraph; ``to_bytes`` gives the .docx."""

    def __init__(self, title: str) -> None:
        from docx import Document

        self._doc: Any = Document()
        self._title = title
        self._doc.add_heading(title, level=0)

    def heading(self, text: str, level: int = 1) -> None:
        self._doc.add_heading(text, level=level)

    def paragraph(self, text: str) -> None:
        self._doc.add_paragraph(text)

    def labelled(self, label: str, text: str, *, muted: bool = False) -> None:
        """A bold label and its text on one line; a muted text is grey."""
        from docx.shared import Pt, RGBColor

        para = self._doc.add_paragraph()
        para.add_run(label).bold = True
        run = para.add_run(text)
        if muted:
            para.paragraph_format.space_before = Pt(6)
            run.font.color.rgb = RGBColor(0x40, 0x40, 0x40)

    def verbatim(self, text: str) -> None:
        """Text as written, line by line in a fixed-width font, nothing interpreted."""
        from docx.shared import Pt

        for line in text.splitlines():
            para = self._doc.add_paragraph()
            run = para.add_run(line)
            run.font.name = "Consolas"
            run.font.size = Pt(9)
            para.paragraph_format.space_after = Pt(0)

    def to_bytes(self, date: dt.date = _FIXED_DATE) -> bytes:
        """The .docx, its properties and zip entries dated ``date`` so equal content gives
        equal bytes."""
        moment = dt.datetime.combine(date, dt.time(0, 0))
        with core_cp_prefix():
            core = self._doc.core_properties
            core.title = self._title
            core.created = core.modified = moment
            core.last_printed = moment
            core.revision = 1
        buffer = BytesIO()
        self._doc.save(buffer)
        return normalize_zip(buffer.getvalue(), date)
