"""Word tracked changes (redline) between two renderings of a contract.

The new document is kept as it is, and what the old one had in its place is woven in as tracked
changes, so Word and LibreOffice show the differences and can accept or reject them:

1. **Blocks.** The paragraphs and tables of the body (and of each header and footer, and, inside
   a matched table, each cell) are aligned by their style and text (``difflib``). Blocks that
   differ are paired when their words are mostly alike; a pair is compared word by word, the
   rest is a whole inserted or deleted paragraph or table.
2. **Tables.** Matched tables are aligned row by row the same way; rows pair only when their
   first cells (a date, a name) agree. A new row of the payment schedule is one inserted row
   (``w:trPr/w:ins``); a changed amount on a date is a word change in its cell.
3. **Words.** A paired paragraph is split into words, spaces and other run content (tabs, breaks,
   fields), each with its run formatting. Unchanged words keep the new formatting; removed words
   come back in ``w:del``/``w:delText``, added ones go in ``w:ins``. A change of paragraph
   properties (the style) is a ``w:pPrChange``.
4. **Paragraph marks.** A wholly inserted or deleted paragraph has its mark tracked too
   (``w:pPr/w:rPr/w:ins|w:del``), so accepting or rejecting removes the paragraph and not just its
   words. The last paragraph mark of a cell, body or header cannot be removed in Word, so
   changes at the end of a container are arranged to track the mark before it instead.

Accepting every change gives exactly the new document's text; rejecting every change gives the
old one's. Every change is by one author at one fixed date, so the output is deterministic.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zipfile
from collections.abc import Iterator, Sequence
from copy import deepcopy
from io import BytesIO
from typing import Any

from lxml import etree

__all__ = ["redline_docx"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


P, TBL, TR, TC, RUN = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
PPR, RPR, TRPR, T = _w("pPr"), _w("rPr"), _w("trPr"), _w("t")
INS, DEL, DEL_TEXT = _w("ins"), _w("del"), _w("delText")
SDT, SDT_CONTENT = _w("sdt"), _w("sdtContent")
INSTR, DEL_INSTR = _w("instrText"), _w("delInstrText")

# Parts whose text is compared; others (styles, numbering, properties) come from the new document.
_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
# Paragraph children that are not runs: such a paragraph is replaced whole when it changes.
_IGNORABLE_IN_RUN = frozenset({_w("lastRenderedPageBreak")})
_TOKEN = re.compile(r"\s+|[\w\u2060-]+|[^\w\s]")  # a word joiner holds a fact together
_SIMILAR = 0.5
"""Blocks are paired when at least this share of their words match (difflib ratio)."""
_MAX_ALIGN = 40_000
"""Above this many candidate pairs, unmatched blocks are not paired (deleted and inserted)."""


def redline_docx(old: bytes, new: bytes, *, author: str, date: dt.datetime) -> bytes:
    """The .docx ``new`` with tracked changes against ``old``, by ``author`` at ``date``.

    Both are renderings of one template; every part but the body, headers and footers comes from
    ``new``. Raises ``zipfile.BadZipFile``, ``KeyError`` or ``lxml.etree.XMLSyntaxError`` for
    documents that are not Word files; callers map them.
    """
    marker = _Marker(author, date)
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(old)) as old_zip,
        zipfile.ZipFile(BytesIO(new)) as new_zip,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        old_names = set(old_zip.namelist())
        parts = {n: new_zip.read(n) for n in new_zip.namelist()}
        marker.reserve(parts[n] for n in parts if _TEXT_PARTS.match(n))
        for name, data in parts.items():
            if _TEXT_PARTS.match(name) and name in old_names:
                before = old_zip.read(name)
                if before != data:
                    data = _redline_part(before, data, marker)
            target.writestr(name, data)
    return out.getvalue()


def _redline_part(old: bytes, new: bytes, marker: _Marker) -> bytes:
    old_root = etree.fromstring(old)
    new_root = etree.fromstring(new)
    old_container = old_root.find(_w("body"))
    new_container = new_root.find(_w("body"))
    if old_container is None or new_container is None:  # a header or footer is its own container
        old_container, new_container = old_root, new_root
    _Differ(marker).container(old_container, new_container)
    return bytes(etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True))


class _Marker:
    """Makes the ``w:ins``/``w:del`` elements, numbering them uniquely in the document."""

    def __init__(self, author: str, date: dt.datetime) -> None:
        self.author = author
        self.date = date.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = 1

    def reserve(self, parts: Iterator[bytes]) -> None:
        """Start numbering above every ``w:id`` already in use (bookmarks, comments)."""
        for data in parts:
            for match in re.finditer(rb'w:id="(\d+)"', data):
                self.next_id = max(self.next_id, int(match.group(1)) + 1)

    def make(self, tag: str) -> Any:
        element = etree.Element(tag)
        element.set(_w("id"), str(self.next_id))
        element.set(_w("author"), self.author)
        element.set(_w("date"), self.date)
        self.next_id += 1
        return element


# --- Reading blocks ------------------------------------------------------------------------------


def _style(p: Any) -> str:
    style = p.find(f"{PPR}/{_w('pStyle')}")
    return "" if style is None else str(style.get(_w("val")))


def _text(element: Any) -> str:
    """The visible text of a paragraph, row or table: tabs and breaks as whitespace."""
    parts = []
    for node in element.iter(T, DEL_TEXT, _w("tab"), _w("br"), _w("cr")):
        if node.tag in (T, DEL_TEXT):
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == _w("tab") else "\n")
    return "".join(parts)


def _is_block(element: Any) -> bool:
    """Paragraphs, tables and the rest of a container's content (content controls, bookmarks)."""
    return isinstance(element.tag, str) and element.tag not in (_w("tcPr"), _w("sectPr"))


def _has_content(block: Any) -> bool:
    """Whether a removed block is worth bringing back as deleted (not a lone bookmark)."""
    return block.tag in (P, TBL) or block.find(f".//{RUN}") is not None


def _block_key(block: Any) -> tuple[str, ...]:
    if block.tag == P:
        return ("p", _style(block), _text(block))
    if block.tag == TBL:
        first = block.find(TR)
        return ("tbl", "" if first is None else _row_key_text(first))
    return ("other", _canonical(block))


def _row_key_text(row: Any) -> str:
    return "\x1f".join(_text(cell) for cell in row.findall(TC))


def _first_cell(row: Any) -> str:
    cell = row.find(TC)
    return "" if cell is None else _text(cell)


def _canonical(element: Any) -> str:
    return str(etree.tostring(element, method="c14n", exclusive=True).decode("utf-8"))


class _Shape:
    """What block pairing looks at, read once per block."""

    __slots__ = ("first_cell", "style", "tag", "words")

    def __init__(self, block: Any) -> None:
        self.tag = block.tag
        self.style = _style(block) if block.tag == P else ""
        self.first_cell = _first_cell(block) if block.tag == TR else ""
        self.words = _TOKEN.findall(_text(block))


def _similarity(a: _Shape, b: _Shape) -> float:
    if a.tag != b.tag or a.tag not in (P, TBL, TR, SDT):
        return 0.0
    if a.first_cell != b.first_cell:
        return 0.0  # a row is known by its first cell (a date, a name): another one is a new row
    if not a.words and not b.words:
        return 1.0 if a.style == b.style else _SIMILAR
    return difflib.SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()


def _align(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[int | None, int | None]]:
    """Pairs of similar blocks in order (an LCS weighted by similarity); the rest unpaired.

    Unpaired blocks between two pairs come deletions first, then insertions.
    """
    n, m = len(old), len(new)
    if n * m > _MAX_ALIGN or not n or not m:
        return [(i, None) for i in range(n)] + [(None, j) for j in range(m)]
    old_shapes, new_shapes = [_Shape(a) for a in old], [_Shape(b) for b in new]
    sim = [[_similarity(a, b) for b in new_shapes] for a in old_shapes]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= _SIMILAR else -1.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    steps: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= _SIMILAR and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            steps.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            steps.append((i, None))
            i += 1
        else:
            steps.append((None, j))
            j += 1
    steps += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    ordered: list[tuple[int | None, int | None]] = []
    gap: list[tuple[int | None, int | None]] = []
    for step in steps:
        if step[0] is not None and step[1] is not None:
            ordered += [*sorted(gap, key=lambda s: s[0] is None), step]
            gap = []
        else:
            gap.append(step)
    return ordered + sorted(gap, key=lambda s: s[0] is None)


# --- Comparing ------------------------------------------------------------------------------------

_KEEP, _INSERTED, _DELETED = "keep", "ins", "del"


class _Differ:
    def __init__(self, marker: _Marker) -> None:
        self.marker = marker

    def container(self, old: Any, new: Any) -> None:
        """Rebuild ``new``'s block children with ``old``'s differences woven in."""
        old_blocks = [c for c in old if _is_block(c)]
        new_children = list(new)
        blocks = [c for c in new_children if _is_block(c)]
        out: list[tuple[str, Any]] = []
        matcher = difflib.SequenceMatcher(
            None, [_block_key(b) for b in old_blocks], [_block_key(b) for b in blocks], False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for a, b in zip(old_blocks[i1:i2], blocks[j1:j2], strict=True):
                    out.append(self.pair(a, b))
                continue
            for i, j in _align(old_blocks[i1:i2], blocks[j1:j2]):
                if i is not None and j is not None:
                    out.append(self.pair(old_blocks[i1 + i], blocks[j1 + j]))
                elif i is not None and _has_content(old_blocks[i1 + i]):
                    out.append((_DELETED, self.deleted(old_blocks[i1 + i])))
                elif j is not None:
                    out.append((_INSERTED, self.inserted(blocks[j1 + j])))
        self._settle_marks(out)
        for child in new_children:
            new.remove(child)
        # A cell's properties stay in front, the body's section properties at the end.
        for child in new_children:
            if child.tag == _w("tcPr"):
                new.append(child)
        for _, block in out:
            new.append(block)
        for child in new_children:
            if child.tag == _w("sectPr"):
                new.append(child)

    def pair(self, old: Any, new: Any) -> tuple[str, Any]:
        if old.tag == TBL and new.tag == TBL:
            self.table(old, new)
        elif old.tag == P and new.tag == P:
            if _canonical_runs(old) != _canonical_runs(new):
                self.paragraph(old, new)
            self._properties(old, new)
        elif old.tag == SDT and new.tag == SDT:  # a content control: compare what it holds
            before, after = old.find(SDT_CONTENT), new.find(SDT_CONTENT)
            if before is not None and after is not None:
                self.container(before, after)
        return (_KEEP, new)

    # whole blocks ---------------------------------------------------------------------------------

    def inserted(self, block: Any) -> Any:
        self._mark_block(block, INS)
        return block

    def deleted(self, block: Any) -> Any:
        copy = deepcopy(block)
        _strip_for_copy(copy)
        self._mark_block(copy, DEL)
        return copy

    def _mark_block(self, block: Any, tag: str) -> None:
        if block.tag == P:
            self._mark_runs(block, tag)
            self._mark_paragraph(block, tag)
            return
        for row in block.iter(TR):
            self._mark_row(row, tag)
        for p in block.iter(P):
            self._mark_runs(p, tag)
            if not _last_in_cell(p):
                self._mark_paragraph(p, tag)

    def _mark_runs(self, p: Any, tag: str) -> None:
        for run in list(p.iter(RUN)):
            parent = run.getparent()
            if parent is None or parent.tag in (INS, DEL):
                continue
            if tag == DEL:
                _to_deleted_text(run)
            wrapper = self.marker.make(tag)
            parent.replace(run, wrapper)
            wrapper.append(run)

    def _mark_paragraph(self, p: Any, tag: str) -> None:
        rpr = _mark_rpr(p)
        rpr.insert(0, self.marker.make(tag))

    def _mark_row(self, row: Any, tag: str) -> None:
        trpr = row.find(TRPR)
        if trpr is None:
            trpr = etree.Element(TRPR)
            exceptions = row.find(_w("tblPrEx"))
            row.insert(0 if exceptions is None else 1, trpr)
        change = trpr.find(_w("trPrChange"))
        if change is None:
            trpr.append(self.marker.make(tag))
        else:
            change.addprevious(self.marker.make(tag))

    def _settle_marks(self, out: list[tuple[str, Any]]) -> None:
        """Keep the last paragraph mark of a container, which Word cannot remove.

        A wholly inserted or deleted paragraph vanishes with its tracked mark wherever it stands,
        but a cell, body or header must keep its last paragraph. A run of such paragraphs at the
        end is rearranged: old "K¶D¶" → new "K¶I¶" becomes K¶ and one paragraph holding the
        deleted D and the inserted I; old "K¶" → new "K¶I¶" tracks K's mark as inserted and leaves
        I's as it was (and likewise for deletions).
        """
        start = end = len(out)
        while start > 0 and out[start - 1][0] != _KEEP and out[start - 1][1].tag == P:
            start -= 1
        if start < end:
            self._settle_run(out, start, end)

    def _settle_run(self, out: list[tuple[str, Any]], start: int, end: int) -> None:
        run = out[start:end]
        last_deleted = next((b for s, b in reversed(run) if s == _DELETED), None)
        last_inserted = next((b for s, b in reversed(run) if s == _INSERTED), None)
        _unmark_paragraph(out[end - 1][1])
        if last_deleted is not None and last_inserted is not None:
            _unmark_paragraph(last_inserted)
            content = [c for c in last_deleted if c.tag != PPR]
            position = 0 if last_inserted.find(PPR) is None else 1
            for child in reversed(content):
                last_inserted.insert(position, child)
            out[:] = [entry for entry in out if entry[1] is not last_deleted]
            return
        before = out[start - 1][1] if start > 0 else None
        if before is not None and before.tag == P:
            self._mark_paragraph(before, INS if last_inserted is not None else DEL)

    # tables -------------------------------------------------------------------------------------

    def table(self, old: Any, new: Any) -> None:
        old_rows = old.findall(TR)
        new_rows = new.findall(TR)
        out: list[Any] = []
        matcher = difflib.SequenceMatcher(
            None, [_row_key_text(r) for r in old_rows], [_row_key_text(r) for r in new_rows], False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out += new_rows[j1:j2]
                continue
            for i, j in _align(old_rows[i1:i2], new_rows[j1:j2]):
                if i is not None and j is not None:
                    out += self.row(old_rows[i1 + i], new_rows[j1 + j])
                elif i is not None:
                    out.append(self.deleted_row(old_rows[i1 + i]))
                elif j is not None:
                    self._mark_block_row(new_rows[j1 + j], INS)
                    out.append(new_rows[j1 + j])
        anchor = new_rows[0].getprevious() if new_rows else new.find(_w("tblGrid"))
        for row in new_rows:
            new.remove(row)
        for row in reversed(out):
            if anchor is None:
                new.insert(0, row)
            else:
                anchor.addnext(row)

    def row(self, old: Any, new: Any) -> list[Any]:
        """A changed row: cell by cell, or the old row deleted and the new one inserted when the
        cells do not correspond."""
        old_cells, new_cells = old.findall(TC), new.findall(TC)
        if len(old_cells) != len(new_cells):
            self._mark_block_row(new, INS)
            return [self.deleted_row(old), new]
        for a, b in zip(old_cells, new_cells, strict=True):
            self.container(a, b)
        return [new]

    def deleted_row(self, row: Any) -> Any:
        copy = deepcopy(row)
        _strip_for_copy(copy)
        self._mark_block_row(copy, DEL)
        return copy

    def _mark_block_row(self, row: Any, tag: str) -> None:
        self._mark_row(row, tag)
        for p in row.iter(P):
            self._mark_runs(p, tag)
            if not _last_in_cell(p):
                self._mark_paragraph(p, tag)

    # paragraphs ---------------------------------------------------------------------------------

    def paragraph(self, old: Any, new: Any) -> None:
        """Replace ``new``'s runs with a word-level comparison against ``old``'s."""
        old_atoms, new_atoms = _atoms(old), _atoms(new)
        if old_atoms is None or new_atoms is None:  # hyperlinks, fields in brackets, …: whole
            self._replace_whole(old, new)
            return
        runs: list[Any] = []
        groups = _merge_opcodes(
            difflib.SequenceMatcher(
                None, [a.key for a in old_atoms], [a.key for a in new_atoms], False
            ).get_opcodes(),
            old_atoms,
        )
        for tag, i1, i2, j1, j2 in groups:
            if tag == "equal":
                runs += _runs(new_atoms[j1:j2], None)
                continue
            if i2 > i1:
                runs += self._wrapped(_runs(old_atoms[i1:i2], DEL), DEL)
            if j2 > j1:
                runs += self._wrapped(_runs(new_atoms[j1:j2], None), INS)
        for child in list(new):
            if child.tag != PPR:
                new.remove(child)
        for run in runs:
            new.append(run)

    def _wrapped(self, runs: list[Any], tag: str) -> list[Any]:
        if not runs:
            return []
        wrapper = self.marker.make(tag)
        for run in runs:
            wrapper.append(run)
        return [wrapper]

    def _replace_whole(self, old: Any, new: Any) -> None:
        copy = deepcopy(old)
        _strip_for_copy(copy)
        self._mark_runs(copy, DEL)
        self._mark_runs(new, INS)
        position = 0 if new.find(PPR) is None else 1
        for child in reversed([c for c in copy if c.tag != PPR]):
            new.insert(position, child)

    def _properties(self, old: Any, new: Any) -> None:
        """Track a change of paragraph properties (style, alignment) as ``w:pPrChange``."""
        before, after = _bare_ppr(old), _bare_ppr(new)
        if _canonical(before) == _canonical(after):
            return
        ppr = new.find(PPR)
        if ppr is None:
            ppr = etree.Element(PPR)
            new.insert(0, ppr)
        change = self.marker.make(_w("pPrChange"))
        change.append(before)
        ppr.append(change)


def _canonical_runs(p: Any) -> list[str]:
    return [_canonical(c) for c in p if c.tag != PPR]


def _bare_ppr(p: Any) -> Any:
    """A paragraph's properties without the mark's run properties and tracked changes."""
    ppr = p.find(PPR)
    bare = etree.Element(PPR)
    if ppr is not None:
        for child in ppr:
            if child.tag not in (RPR, _w("sectPr"), _w("pPrChange")):
                bare.append(deepcopy(child))
    return bare


def _last_in_cell(p: Any) -> bool:
    """A cell's last paragraph, whose mark Word cannot remove (the row goes as a whole)."""
    parent = p.getparent()
    return parent is not None and parent.tag == TC and p is parent.findall(P)[-1]


def _mark_rpr(p: Any) -> Any:
    ppr = p.find(PPR)
    if ppr is None:
        ppr = etree.Element(PPR)
        p.insert(0, ppr)
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = etree.Element(RPR)
        later = [c for c in ppr if c.tag in (_w("sectPr"), _w("pPrChange"))]
        if later:
            later[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    return rpr


def _unmark_paragraph(p: Any) -> None:
    rpr = p.find(f"{PPR}/{RPR}")
    if rpr is None:
        return
    for marker in rpr.findall(INS) + rpr.findall(DEL):
        rpr.remove(marker)


def _strip_for_copy(element: Any) -> None:
    """Make old content safe to copy into the new document.

    Bookmarks and comment anchors would clash with the new document's; anything pointing into the
    old document's relationships (pictures, hyperlink targets) has no target in the new one.
    """
    for tag in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                "commentReference", "proofErr", "drawing", "pict", "object"):  # fmt: skip
        for node in list(element.iter(_w(tag))):
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
    for node in element.iter():
        for name in [n for n in node.attrib if str(n).startswith(f"{{{R}}}")]:
            del node.attrib[name]


def _to_deleted_text(run: Any) -> None:
    for node in run:
        if node.tag == T:
            node.tag = DEL_TEXT
        elif node.tag == INSTR:
            node.tag = DEL_INSTR


# --- Words ---------------------------------------------------------------------------------------


class _Atom:
    """One word, space or piece of run content, with the formatting of its run."""

    __slots__ = ("element", "key", "rpr", "text")

    def __init__(self, rpr: Any, text: str | None, element: Any) -> None:
        self.rpr = rpr
        self.text = text
        self.element = element
        style = "" if rpr is None else _canonical(rpr)
        self.key = (style, text if element is None else _canonical(element))


def _atoms(p: Any) -> list[_Atom] | None:
    """The paragraph as atoms; ``None`` when it holds more than plain runs."""
    atoms: list[_Atom] = []
    for child in p:
        if child.tag == PPR:
            continue
        if child.tag != RUN:
            return None
        rpr = child.find(RPR)
        for node in child:
            if node.tag == RPR or node.tag in _IGNORABLE_IN_RUN:
                continue
            if node.tag == T:
                atoms += [_Atom(rpr, word, None) for word in _TOKEN.findall(node.text or "")]
            else:
                atoms.append(_Atom(rpr, None, node))
    return atoms


def _merge_opcodes(
    opcodes: Sequence[tuple[str, int, int, int, int]], old: Sequence[_Atom]
) -> list[tuple[str, int, int, int, int]]:
    """Join two changes separated only by a space, so a phrase reads as one change."""
    merged: list[list[Any]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        after_change = merged and merged[-1][0] != "equal"
        only_space = all(a.text is not None and a.text.isspace() for a in old[i1:i2])
        if after_change and (tag != "equal" or (only_space and i2 < len(old))):
            merged[-1][0] = "replace"
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    return [(m[0], m[1], m[2], m[3], m[4]) for m in merged]


def _runs(atoms: Sequence[_Atom], tag: str | None) -> list[Any]:
    """Runs for consecutive atoms of one formatting; ``tag`` DEL writes deleted text."""
    runs: list[Any] = []
    current: Any = None
    current_style: Any = object()
    text_tag = DEL_TEXT if tag == DEL else T
    for atom in atoms:
        style = atom.key[0]
        if current is None or style != current_style:
            current = etree.Element(RUN)
            if atom.rpr is not None:
                current.append(deepcopy(atom.rpr))
            runs.append(current)
            current_style = style
        if atom.element is None:
            last = current[-1] if len(current) else None
            if last is None or last.tag != text_tag:
                last = etree.SubElement(current, text_tag)
                last.set(XML_SPACE, "preserve")
                last.text = ""
            last.text = (last.text or "") + (atom.text or "")
        else:
            node = deepcopy(atom.element)
            if tag == DEL and node.tag == INSTR:
                node.tag = DEL_INSTR
            current.append(node)
    return runs
