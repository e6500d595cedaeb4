"""Workarounds for python-docx and docxtpl, each for a defect that would change a document.

Both rendering paths (plain docxtpl and the compiled templates) apply them, so they give the same
bytes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["CoreProperties", "core_cp_prefix", "restore_column_widths"]

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
