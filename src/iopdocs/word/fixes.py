"""Workarounds for python-docx and docxtpl, each for a defect that would change a document.

Both rendering paths (plain docxtpl and the compiled templates) apply them, so they give the same
bytes.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "WORD_JOINER",
    "ZERO_WIDTH_SPACE",
    "CoreProperties",
    "core_cp_prefix",
    "glued_text",
    "keep_facts_together",
    "restore_column_widths",
    "unbreakable_facts",
    "xml_escaped",
]

CoreProperties = Mapping[str, Any]

# python-docx's namespace for the cp: prefix of docProps/core.xml. docxcompose (imported by
# docxtpl) rebinds "cp" globally to the custom-properties namespace, which makes python-docx write
# keywords, revision etc. into the wrong namespace; see core_cp_prefix.
_CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


# The rebinding below changes a global: two threads setting core properties at once would
# otherwise restore each other's binding too early.
_CORE_NS_LOCK = threading.RLock()


@contextlib.contextmanager
def core_cp_prefix() -> Iterator[None]:
    from docx.oxml import ns

    with _CORE_NS_LOCK:
        old = ns.nsmap["cp"]
        ns.nsmap["cp"] = _CORE_NS
        try:
            yield
        finally:
            ns.nsmap["cp"] = old


_WN = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TBL, _GRID, _TR, _TC = f"{_WN}tbl", f"{_WN}tblGrid", f"{_WN}tr", f"{_WN}tc"
_GRID_COL, _TC_W, _TYPE, _WIDTH = f"{_WN}gridCol", f"{_WN}tcPr/{_WN}tcW", f"{_WN}type", f"{_WN}w"


def restore_column_widths(body: Any) -> None:
    """Give each table's grid the widths of its first row's cells.

    docxtpl's table fix-up evens out every table's grid columns, which LibreOffice then follows;
    the template's cell widths say what the author meant.
    """
    for table in body.iter(_TBL):
        grid = table.find(_GRID)
        row = table.find(_TR)
        if grid is None or row is None:
            continue
        columns = grid.findall(_GRID_COL)
        widths = [cell.find(_TC_W) for cell in row.findall(_TC)]
        if len(widths) != len(columns) or any(w is None or w.get(_TYPE) != "dxa" for w in widths):
            continue
        for column, width in zip(columns, widths, strict=True):
            column.set(_WIDTH, width.get(_WIDTH))


# --- Facts that never break across lines ---------------------------------------------------------
#
# A line may break after a hyphen: LibreOffice split "802501-2348" and "2024-08-01" at the line's
# end, and text extraction then joined the halves as a hyphenated word ("8025012348"). A
# non-breaking hyphen (U+2011) is a glyph of its own that some fonts lack. A word joiner (U+2060)
# on each side of the hyphen forbids the break, has no glyph and no width, and is left out of the
# text pdftotext and pypdf extract (measured: tests/integration/test_layout.py). Spaces inside a
# fact become no-break spaces (word joiners around a plain space do not stop LibreOffice from
# breaking there). An e-mail address may break only after its "@" and before a dot of its domain
# (a zero-width space there), never at a hyphen or dot of the name before the "@".

WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
_NO_BREAK_SPACE = "\u00a0"

_DATE = r"\d{4}-\d{2}-\d{2}"
_FACT = re.compile(
    "|".join(
        (
            rf"{_DATE}(?:[ \u00a0]\u2013[ \u00a0]{_DATE})?",  # a date, or a period of two
            r"(?<![\w-])\d{6}-\d{4}(?![\w-])",  # an organisation number
            # an amount or number in groups of three: 2 500 000 kr
            r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?:[ \u00a0](?:kr|kronor)\b)?",
            r"(?<![\w.,])\d+(?:,\d+)?[ \u00a0](?:kr|kronor|procent|%)(?!\w)",  # 500 kr, 80 %
            # a phone number: 08-123 456 78, 070-123 45 67, +46 70 123 45 67
            r"(?<![\w+])(?:\+46[ \u00a0]?|0)\d{1,3}[-\u2013 \u00a0]\d{2,3}"
            r"(?:[ \u00a0]\d{2,3}){1,3}(?!\w)",
            r"(?<![\w/])[A-ZÅÄÖ]{1,6}[ \u00a0]\d{4}/[\w.\-:/]*\w",  # SN 2025/000123-4.2.1
            r"(?i:(?:bankgiro|plusgiro|bg|pg))[ \u00a0]\d[\d-]*\d",  # a giro number
            r"IBAN(?:[ \u00a0][A-Z0-9]{1,4})+",  # an IBAN in groups of four
        )
    )
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Every fact holds a digit or an "@": text without one is passed over (most of a contract).
_MAY_HOLD_A_FACT = re.compile(r"[\d@]")
_GLUE = re.compile(r"(?<=[^\s\u2060])([-/\u2013.:])(?=[^\s\u2060])")


def _glued(match: re.Match[str]) -> str:
    fact = re.sub(r"[ \u202f]", _NO_BREAK_SPACE, match.group())
    # A line may break after a dash even before a no-break space: a joiner holds the dash too.
    fact = fact.replace("\u00a0\u2013\u00a0", f"\u00a0{WORD_JOINER}\u2013{WORD_JOINER}\u00a0")
    return _GLUE.sub(rf"{WORD_JOINER}\1{WORD_JOINER}", fact)


def _email(match: re.Match[str]) -> str:
    name, domain = match.group().split("@", 1)
    name = _GLUE.sub(rf"{WORD_JOINER}\1{WORD_JOINER}", name)
    domain = re.sub(r"-", f"{WORD_JOINER}-{WORD_JOINER}", domain)
    domain = domain.replace(".", f"{ZERO_WIDTH_SPACE}.")
    return f"{name}@{ZERO_WIDTH_SPACE}{domain}"


def unbreakable_facts(text: str) -> str:
    """``text`` with every date, period, organisation number, amount, phone number, case number,
    account number and e-mail address held together on one line (see above)."""
    if WORD_JOINER in text or ZERO_WIDTH_SPACE in text:
        return text  # already done (a template's static text, rendered twice)
    if "@" in text:
        text = _EMAIL.sub(_email, text)
    return _FACT.sub(_glued, text)


# The texts of a contract repeat: the template's own, and dates and amounts from one contract to
# the next. Each distinct text is glued once per process (a bounded memo, emptied when full).
_GLUED: dict[str, str] = {}
_GLUED_LIMIT = 8192


def glued_text(text: str) -> str:
    """``unbreakable_facts(text)``, remembered: the same text always gives the same result."""
    glued = _GLUED.get(text)
    if glued is None:
        glued = unbreakable_facts(text) if _MAY_HOLD_A_FACT.search(text) else text
        if len(_GLUED) >= _GLUED_LIMIT:
            _GLUED.clear()
        _GLUED[text] = glued
    return glued


def keep_facts_together(body: Any) -> None:
    """Apply ``unbreakable_facts`` to every text run of ``body`` (a document's XML element)."""
    for node in body.iter(f"{_WN}t"):
        text = node.text
        if text:
            glued = glued_text(text)
            if glued is not text and glued != text:
                node.text = glued


def xml_escaped(text: str) -> str:
    """``text`` with ``&``, ``<`` and ``>`` escaped, as XML text needs them; quotes as they are,
    as lxml writes text. Each is looked for before it is replaced: most texts have none."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text
