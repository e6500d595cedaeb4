"""What a reader of a .docx sees beyond its plain paragraph text: the constructs that can show
text the XML's words do not (or hide words it has).

Comparing a document's words with a fresh rendering's is not enough to know a reader sees the
same contract: a paragraph can be hidden (``w:vanish``, directly or through a style), coloured
white or shrunk to nothing; a text box can say one thing in its ``mc:Choice`` and another in the
``mc:Fallback`` that another program shows; a field shows what it computes when the document is
opened; ``w:altChunk`` pulls in a whole other document; a comment shows in the margin.

``docx_census`` lists every such construct of a document, with its text, as a multiset. A
document re-rendered by the program that made it has exactly the constructs that program
writes; whatever the document has beyond them cannot be verified from its words alone, which
``unverifiable`` reports.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from io import BytesIO
from typing import Any

from iopdocs.i18n import N_, Message

__all__ = ["docx_census", "unverifiable"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_HIDING = ("vanish", "specVanish", "webHidden")
# Elements that bring in content or show text the paragraph's w:t do not hold as written.
_CONSTRUCTS = {
    f"{{{_W}}}altChunk": N_("an imported document (w:altChunk)"),
    f"{{{_W}}}txbxContent": N_("a text box"),
    f"{{{_W}}}object": N_("an embedded object"),
    f"{{{_W}}}pict": N_("a VML shape"),
    f"{{{_W}}}drawing": N_("a drawing"),
    f"{{{_W}}}subDoc": N_("a subdocument"),
    f"{{{_MC}}}AlternateContent": N_("alternate content (mc:AlternateContent)"),
}
_WHITE = {"FFFFFF", "FFFFFE", "FEFEFE"}
_TINY_HALF_POINTS = 6  # 3 pt: text no reader reads
_SKIPPED_PARTS = (
    "styles",
    "settings",
    "fontTable",
    "webSettings",
    "numbering",
    "stylesWithEffects",
)

Census = Counter[tuple[str, str, str]]
"""(part kind, what, text) → how many times."""


def docx_census(docx: bytes) -> Census:
    """Every construct of ``docx`` that shows a reader something other than its paragraphs'
    plain words, with the part kind (``body``, ``header``, …) and its text: hidden, white or
    tiny runs; text boxes, shapes, objects, imported documents; the instruction of each field;
    alternate content whose choices show different text; comments."""
    from lxml import etree

    census: Census = Counter()
    with zipfile.ZipFile(BytesIO(docx)) as package:
        names = package.namelist()
        main = _main_part(package.read)
        folder = posixpath.dirname(main)
        hidden_styles, default_hidden = _hidden_styles(package, folder)
        for name in names:
            match = re.fullmatch(rf"{re.escape(folder)}/([A-Za-z]+?)\d*\.xml", name)
            if name != main and (match is None or match.group(1) in _SKIPPED_PARTS):
                continue
            kind = "body" if name == main else match.group(1) if match else name
            root = etree.fromstring(package.read(name))
            _census_part(root, kind, census, hidden_styles, default_hidden)
    return census


def unverifiable(actual: bytes, expected: bytes) -> list[str]:
    """What ``actual`` shows a reader that ``expected`` (a fresh rendering of its data, by the
    program that made it) does not have: one sentence each (a ``Message``: English as a ``str``,
    translated where it is shown), an empty list when there is none."""
    found, fresh = docx_census(actual), docx_census(expected)
    # A header or footer is repeated per section by programs that save the document again
    # (LibreOffice writes one part per section): there, what counts is whether a construct is
    # there at all, not how many parts repeat it.
    for census in (found, fresh):
        for key in census:
            if key[0] in ("header", "footer"):
                census[key] = 1
    extra = found - fresh
    return [_construct(kind, what, text) for (kind, what, text), _ in sorted(extra.items())]


def _construct(kind: str, what: str, text: str) -> Message:
    """``header: a text box: 'Utbetalas till…'``, in the language in use when shown."""
    part = Message(_PARTS[kind]) if kind in _PARTS else kind
    if text:
        return Message(
            "{part}: {what}: {text}", part=part, what=Message(what), text=repr(_short(text))
        )
    return Message("{part}: {what}", part=part, what=Message(what))


# The parts a construct is found in, by the name Word gives their files.
_PARTS = {
    "body": N_("body"),
    "header": N_("header"),
    "footer": N_("footer"),
    "footnotes": N_("footnotes"),
    "endnotes": N_("endnotes"),
    "comments": N_("comments"),
}


def _census_part(
    root: Any, kind: str, census: Census, hidden_styles: set[str], default_hidden: bool
) -> None:
    for element in root.iter(*_CONSTRUCTS):
        text = _text(element)
        if element.tag == f"{{{_MC}}}AlternateContent":
            choices = [
                _text(c) for c in element if c.tag in (f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback")
            ]
            if len(set(choices)) > 1:
                census[(kind, N_("alternate content whose choices show different text"), text)] += 1
                continue
        census[(kind, _CONSTRUCTS[element.tag], text)] += 1
    for simple in root.iter(f"{{{_W}}}fldSimple"):
        census[(kind, N_("a field"), _instruction(simple.get(f"{{{_W}}}instr") or ""))] += 1
    instruction: list[str] | None = None
    for node in root.iter(f"{{{_W}}}fldChar", f"{{{_W}}}instrText"):
        if node.tag == f"{{{_W}}}instrText":
            if instruction is not None:
                instruction.append(node.text or "")
        elif node.get(f"{{{_W}}}fldCharType") == "begin":
            instruction = []
        elif node.get(f"{{{_W}}}fldCharType") == "separate" and instruction is not None:
            census[(kind, N_("a field"), _instruction("".join(instruction)))] += 1
            instruction = None
    if kind == "comments":
        for comment in root.iter(f"{{{_W}}}comment"):
            census[(kind, N_("a comment"), _text(comment))] += 1
    for paragraph in root.iter(f"{{{_W}}}p"):
        style = _value(paragraph.find(f"{{{_W}}}pPr/{{{_W}}}pStyle"))
        paragraph_hidden = style in hidden_styles
        for run in paragraph.iterchildren(f"{{{_W}}}r"):
            _census_run(run, kind, census, hidden_styles, paragraph_hidden or default_hidden)
        for wrapper in paragraph.iterchildren(f"{{{_W}}}ins", f"{{{_W}}}hyperlink", f"{{{_W}}}sdt"):
            for run in wrapper.iter(f"{{{_W}}}r"):
                _census_run(run, kind, census, hidden_styles, paragraph_hidden or default_hidden)


def _census_run(
    run: Any, kind: str, census: Census, hidden_styles: set[str], inherited: bool
) -> None:
    text = "".join(t.text or "" for t in run.iterchildren(f"{{{_W}}}t"))
    if not text.strip():
        return
    properties = run.find(f"{{{_W}}}rPr")
    hidden = inherited
    if properties is not None:
        if _value(properties.find(f"{{{_W}}}rStyle")) in hidden_styles:
            hidden = True
        for tag in _HIDING:
            flag = properties.find(f"{{{_W}}}{tag}")
            if flag is not None:
                hidden = _on(flag)
        color = (_value(properties.find(f"{{{_W}}}color")) or "").upper()
        if color in _WHITE:
            census[(kind, N_("white text"), text)] += 1
        size = _value(properties.find(f"{{{_W}}}sz"))
        if size is not None and size.isdigit() and int(size) < _TINY_HALF_POINTS:
            census[(kind, N_("text too small to read"), text)] += 1
    if hidden:
        census[(kind, N_("hidden text (w:vanish)"), text)] += 1


def _hidden_styles(package: zipfile.ZipFile, folder: str) -> tuple[set[str], bool]:
    """The ids of styles that hide their text (themselves or through ``w:basedOn``), and
    whether the document's default run properties hide all text."""
    from lxml import etree

    name = f"{folder}/styles.xml"
    if name not in package.namelist():
        return set(), False
    root = etree.fromstring(package.read(name))
    default = root.find(f"{{{_W}}}docDefaults/{{{_W}}}rPrDefault/{{{_W}}}rPr")
    default_hidden = default is not None and any(
        _on(flag) for tag in _HIDING if (flag := default.find(f"{{{_W}}}{tag}")) is not None
    )
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for style in root.iter(f"{{{_W}}}style"):
        style_id = style.get(f"{{{_W}}}styleId") or ""
        flags = [
            flag
            for tag in _HIDING
            if (flag := style.find(f"{{{_W}}}rPr/{{{_W}}}{tag}")) is not None
        ]
        own[style_id] = _on(flags[-1]) if flags else None
        parent = _value(style.find(f"{{{_W}}}basedOn"))
        if parent:
            based[style_id] = parent
    hidden: set[str] = set()
    for style_id in own:
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current not in seen:
            seen.add(current)
            flag = own.get(current)
            if flag is not None:
                if flag:
                    hidden.add(style_id)
                break
            current = based.get(current)
    return hidden, default_hidden


def _main_part(read: Callable[[str], bytes]) -> str:
    from lxml import etree

    root = etree.fromstring(read("_rels/.rels"))
    for rel in root.findall(f"{{{_PKG_RELS}}}Relationship"):
        if rel.get("Type") == _OFFICE_DOCUMENT:
            return str(rel.get("Target")).lstrip("/")
    return "word/document.xml"


def _text(element: Any) -> str:
    return " ".join("".join(t.text or "" for t in element.iter(f"{{{_W}}}t")).split())


def _value(element: Any) -> str | None:
    return None if element is None else element.get(f"{{{_W}}}val")


def _on(flag: Any) -> bool:
    return (flag.get(f"{{{_W}}}val") or "true").lower() not in ("0", "false", "off")


def _instruction(text: str) -> str:
    return " ".join(text.split()).upper()


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."
