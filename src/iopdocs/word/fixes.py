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
    "keep_facts_together",
    "restore_column_widths",
    "unbreakable_facts",
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


def restore_column_widths(body: Any) -> None:
    """Give each table's grid the widths of its first row's cells.

    docxtpl's table fix-up evens out every table's grid columns, which LibreOffice then follows;
    the template's cell widths say what the author meant.
    """
    from docx.oxml.ns import qn

    for table in body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        row = table.find(qn("w:tr"))
        if grid is None or row is None:
            continue
        columns = grid.findall(qn("w:gridCol"))
        widths = [cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}") for cell in row.findall(qn("w:tc"))]
        if len(widths) != len(columns) or any(
            w is None or w.get(qn("w:type")) != "dxa" for w in widths
        ):
            continue
        for column, width in zip(columns, widths, strict=True):
            column.set(qn("w:w"), width.get(qn("w:w")))


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


def keep_facts_together(body: Any) -> None:
    """Apply ``unbreakable_facts`` to every text run of ``body`` (a document's XML element)."""
    from docx.oxml.ns import qn

    for node in body.iter(qn("w:t")):
        text = node.text
        if text and _MAY_HOLD_A_FACT.search(text):
            glued = unbreakable_facts(text)
            if glued != text:
                node.text = glued
