"""Reading a Word document with tracked changes as Word does when all are accepted or rejected.

Independent of iopdocs' own redline code, so the tests check it against the OOXML rules: accepting
keeps ``w:ins`` content and drops ``w:del`` content, rows whose ``w:trPr`` holds a ``w:del`` and
paragraphs whose mark (``w:pPr/w:rPr``) is deleted: an emptied one disappears, one with text left
joins the next paragraph. Rejecting does the opposite.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def part(docx: bytes, name: str = "word/document.xml") -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read(name)


def paragraphs(xml: bytes, *, accept: bool | None = None) -> list[str]:
    """The text of every paragraph (tables included), in order; changes resolved as asked.

    ``accept=None`` reads a document without tracked changes (and asserts it has none).
    """
    root = etree.fromstring(xml)
    if accept is None:
        assert root.find(f".//{W}ins") is None
        assert root.find(f".//{W}del") is None
    else:
        _resolve(root, accept)
    texts = []
    for p in root.iter(f"{W}p"):
        text = ""
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}delText"):
            assert node.tag != f"{W}delText", "deleted text left after resolving"
            text += (
                node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else "\n"
            )
        texts.append(text)
    return texts


def _resolve(root: Any, accept: bool) -> None:
    drop, keep = (f"{W}del", f"{W}ins") if accept else (f"{W}ins", f"{W}del")
    for row in list(root.iter(f"{W}tr")):
        props = row.find(f"{W}trPr")
        if props is not None and props.find(drop) is not None:
            row.getparent().remove(row)
    marked = []
    for p in root.iter(f"{W}p"):
        mark = p.find(f"{W}pPr/{W}rPr")
        if mark is not None and mark.find(drop) is not None:
            marked.append(p)
    for element in list(root.iter(drop)):
        if element.getparent().tag != f"{W}rPr" and element.getparent().tag != f"{W}trPr":
            element.getparent().remove(element)
    for element in list(root.iter(keep)):
        parent = element.getparent()
        if parent.tag in (f"{W}rPr", f"{W}trPr"):
            parent.remove(element)
            continue
        index = parent.index(element)
        for child in reversed(list(element)):
            parent.insert(index, child)
        parent.remove(element)
    if not accept:
        for node in root.iter(f"{W}delText"):
            node.tag = f"{W}t"
    for change in list(root.iter(f"{W}pPrChange")):
        if not accept:  # the old properties come back
            props = change.getparent()
            old = change.find(f"{W}pPr")
            for child in list(props):
                if child.tag not in (f"{W}rPr", f"{W}sectPr"):
                    props.remove(child)
            for child in reversed(list(old)):
                props.insert(0, child)
        else:
            change.getparent().remove(change)
    for p in marked:  # a removed paragraph mark joins what is left of it to the next paragraph
        content = [c for c in p if c.tag != f"{W}pPr"]
        if not any(c.tag == f"{W}r" and (c.find(f"{W}t") is not None) for c in content):
            p.getparent().remove(p)  # nothing left: the paragraph is gone
            continue
        following = p.getnext()
        assert following is not None, "Word keeps a container's last paragraph mark"
        assert following.tag == f"{W}p", "a removed mark joins the next paragraph"
        start = 1 if following.find(f"{W}pPr") is not None else 0
        for child in reversed(content):
            following.insert(start, child)
        p.getparent().remove(p)
