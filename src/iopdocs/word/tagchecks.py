"""Word-level checks of a docxtpl template: what docxtpl would break or silently drop.

Tracked changes and comments left in the template, tags split by a revision or hyperlink,
AutoCorrect inside a tag, ``{%p %}``/``{%tr %}``/``{%tc %}`` tags sharing their paragraph, row or
cell, block tags without their partner, and tables whose every row may vanish. These read only the
Word XML and the tags; ``iopdocs.authoring.lint`` adds the checks against a document's data.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from iopdocs.i18n import N_, Listing, Message
from iopdocs.word.tags import (
    AUTOCORRECT,
    MIDDLES,
    OPENERS,
    PLAIN_BLOCK,
    SPECIAL,
    STRING,
    TAG,
    TemplatePart,
    TemplateProblem,
    shorten,
)

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["Tag", "empty_tables", "pairing", "template_comments", "word_checks"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REVISIONS = {
    "ins": N_("a tracked insertion"),
    "del": N_("a tracked deletion"),
    "moveFrom": N_("a tracked move"),
    "moveTo": N_("a tracked move"),
    "rPrChange": N_("a tracked formatting change"),
    "pPrChange": N_("a tracked formatting change"),
    "tblPrChange": "a tracked formatting change",
    "trPrChange": "a tracked formatting change",
    "tcPrChange": "a tracked formatting change",
    "sectPrChange": "a tracked formatting change",
    "cellIns": "a tracked cell insertion",
    "cellDel": "a tracked cell deletion",
}
# Elements a tag may not cross: docxtpl's tag cleaning deletes their closing tags.
_BOUNDARIES = {"ins", "del", "moveFrom", "moveTo", "hyperlink", "fldSimple", "smartTag", "sdt"}


@dataclass
class Tag:
    text: str  # the tag as the author sees it, smart quotes and all
    paragraph: etree._Element
    special: str  # "p", "tr", "tc", "r" or ""
    keyword: str  # for, if, endfor, … or "" for a printed value
    index: int  # the paragraph's position in the part, from 1


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def _paragraph_text(paragraph: etree._Element) -> tuple[str, list[tuple[Any, ...]]]:
    """The paragraph's visible text, and for each character the boundary elements around it.

    The keys hold the elements themselves: lxml keeps one proxy per element only while it is
    referenced, so an ``id()`` could be reused by another element.
    """
    text = ""
    keys: list[tuple[Any, ...]] = []
    for t in paragraph.iter(f"{_W}t"):
        key = []
        node = t.getparent()
        while node is not None and node is not paragraph:
            if _local(node) in _BOUNDARIES:
                key.append(node)
            node = node.getparent()
        text += t.text or ""
        keys += [tuple(key)] * len(t.text or "")
    return text, keys


def _ancestor(element: etree._Element, local: str) -> etree._Element | None:
    node = element.getparent()
    while node is not None and _local(node) != local:
        node = node.getparent()
    return node


def _text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_W}t"))


def word_checks(
    part: TemplatePart, comments: dict[str, str]
) -> tuple[list[TemplateProblem], list[Tag]]:
    """Revisions, comments, split tags, AutoCorrect, special tags and their containers."""
    problems: list[TemplateProblem] = []
    tags: list[Tag] = []
    root = part.root
    assert root is not None
    seen_revisions: set[tuple[int, str]] = set()

    def report(code: str, message: str, where: str) -> None:
        problems.append(TemplateProblem(code, message, part.name, shorten(" ".join(where.split()))))

    for index, paragraph in enumerate(root.iter(f"{_W}p"), start=1):
        text, keys = _paragraph_text(paragraph)
        for element in paragraph.iter():
            local = _local(element)
            if local in _REVISIONS and (index, _REVISIONS[local]) not in seen_revisions:
                seen_revisions.add((index, _REVISIONS[local]))
                author = element.get(f"{_W}author")
                change = Message(_REVISIONS[local])
                report(
                    "tracked-change",
                    Message(
                        "paragraph {index} holds {change} by {author}: accept or reject every "
                        "change (Review > Accept all) and turn Track Changes off before using "
                        "the template",
                        index=index,
                        change=change,
                        author=author,
                    )
                    if author
                    else Message(
                        "paragraph {index} holds {change}: accept or reject every change "
                        "(Review > Accept all) and turn Track Changes off before using the "
                        "template",
                        index=index,
                        change=change,
                    ),
                    text,
                )
            elif local == "commentReference":
                said = comments.get(element.get(f"{_W}id") or "", "")
                report(
                    "comment",
                    Message(
                        'paragraph {index} has a comment ("{comment}"): delete comments before '
                        "using the template",
                        index=index,
                        comment=shorten(said, 60),
                    )
                    if said
                    else Message(
                        "paragraph {index} has a comment: delete comments before using the "
                        "template",
                        index=index,
                    ),
                    text,
                )
        for match in TAG.finditer(text):
            raw = match.group(0)
            span = keys[match.start() : match.end()]
            if len(set(span)) > 1:
                report(
                    "split-tag",
                    Message(
                        "paragraph {index}: the tag {tag} runs across a tracked change or "
                        "hyperlink, which docxtpl cannot clean; accept the changes and retype the "
                        "tag in one go",
                        index=index,
                        tag=raw,
                    ),
                    text,
                )
            damaged = [c for c in AUTOCORRECT if c in STRING.sub("", raw)]
            if damaged:
                changes = Listing(
                    Message("'{written}' was '{typed}'", written=c, typed=AUTOCORRECT[c])
                    for c in damaged
                )
                report(
                    "autocorrect",
                    Message(
                        "paragraph {index}: Word's AutoCorrect changed the tag {tag} ({changes}); "
                        "retype it with AutoCorrect off",
                        index=index,
                        tag=raw,
                        changes=changes,
                    ),
                    text,
                )
            special = SPECIAL.match(raw)
            plain = PLAIN_BLOCK.match(raw) if raw.startswith("{%") else None
            if special:
                tags.append(Tag(raw, paragraph, special.group(1), special.group(2), index))
            elif plain:
                tags.append(Tag(raw, paragraph, "", plain.group(1), index))
        for tag in [t for t in tags if t.paragraph is paragraph and t.special]:
            container = {
                "p": paragraph,
                "tr": _ancestor(paragraph, "tr"),
                "tc": _ancestor(paragraph, "tc"),
            }
            if tag.special == "r":
                continue
            holder = container[tag.special]
            if holder is None:
                outside = {
                    "p": N_("paragraph {index}: {tag} is not inside a paragraph"),
                    "tr": N_("paragraph {index}: {tag} is not inside a table row"),
                    "tc": N_("paragraph {index}: {tag} is not inside a table cell"),
                }[tag.special]
                report(
                    "shared-container",
                    Message(outside, index=index, tag=tag.text),
                    text,
                )
                continue
            rest = _text_of(holder).replace(tag.text, "", 1).strip()
            if rest:
                shared = {
                    "p": N_(
                        "paragraph {index}: {tag} shares its paragraph with other text, which "
                        "docxtpl deletes together with the tag; put the tag alone in its own "
                        "paragraph"
                    ),
                    "tr": N_(
                        "paragraph {index}: {tag} shares its table row with other text, which "
                        "docxtpl deletes together with the tag; put the tag alone in its own "
                        "table row"
                    ),
                    "tc": N_(
                        "paragraph {index}: {tag} shares its table cell with other text, which "
                        "docxtpl deletes together with the tag; put the tag alone in its own "
                        "table cell"
                    ),
                }[tag.special]
                report("shared-container", Message(shared, index=index, tag=tag.text), rest)
    return problems, tags


def pairing(part: TemplatePart, tags: list[Tag]) -> list[TemplateProblem]:
    """Every block tag closed by a partner of the same kind, in the same table or cell."""
    problems: list[TemplateProblem] = []
    stack: list[Tag] = []

    def report(message: str, tag: Tag) -> None:
        where = shorten(" ".join(_text_of(tag.paragraph).split()))
        problems.append(TemplateProblem("unpaired-tag", message, part.name, where))

    def spelled(keyword: str, special: str) -> str:
        return "{%" + (f"{special} " if special else " ") + keyword + " %}"

    for tag in tags:
        keyword = tag.keyword
        opener = keyword in OPENERS or (keyword == "set" and "=" not in tag.text)
        if opener:
            stack.append(tag)
        elif keyword in MIDDLES or keyword.startswith("end"):
            wanted = MIDDLES.get(keyword, (keyword[3:],))
            if not stack or stack[-1].keyword not in wanted:
                partner = spelled(wanted[0], tag.special)
                if stack:
                    report(
                        Message(
                            "paragraph {index}: {tag} has no matching {partner}; {end} for "
                            "{opener} (paragraph {line}) is expected first",
                            index=tag.index,
                            tag=tag.text,
                            partner=partner,
                            end=spelled("end" + stack[-1].keyword, stack[-1].special),
                            opener=stack[-1].text,
                            line=stack[-1].index,
                        ),
                        tag,
                    )
                else:
                    report(
                        Message(
                            "paragraph {index}: {tag} has no matching {partner}",
                            index=tag.index,
                            tag=tag.text,
                            partner=partner,
                        ),
                        tag,
                    )
                continue
            top = stack[-1]
            if top.special != tag.special:
                report(
                    Message(
                        "paragraph {index}: {tag} belongs to {opener} (paragraph {line}) but is "
                        "of another kind; write {meant}",
                        index=tag.index,
                        tag=tag.text,
                        opener=top.text,
                        line=top.index,
                        meant=spelled(keyword, top.special),
                    ),
                    tag,
                )
            elif top.special in ("tr", "tc", "p") and not _same_place(top, tag):
                apart = {
                    "tr": N_(
                        "paragraph {index}: {tag} is not in the same table as {opener} "
                        "(paragraph {line})"
                    ),
                    "tc": N_(
                        "paragraph {index}: {tag} is not in the same table row as {opener} "
                        "(paragraph {line})"
                    ),
                    "p": N_(
                        "paragraph {index}: {tag} is not in the same table cell or text box as "
                        "{opener} (paragraph {line})"
                    ),
                }[top.special]
                report(
                    Message(apart, index=tag.index, tag=tag.text, opener=top.text, line=top.index),
                    tag,
                )
            if keyword.startswith("end"):
                stack.pop()
    for tag in stack:
        end = "end" + tag.keyword
        report(
            Message(
                "paragraph {index}: {tag} is never closed; add a paragraph holding only {end}",
                index=tag.index,
                tag=tag.text,
                end=spelled(end, tag.special),
            )
            if tag.special == "p"
            else Message(
                "paragraph {index}: {tag} is never closed; add {end}",
                index=tag.index,
                tag=tag.text,
                end=spelled(end, tag.special),
            ),
            tag,
        )
    return problems


def _same_place(a: Tag, b: Tag) -> bool:
    if a.special == "tr":
        return _ancestor(a.paragraph, "tbl") is _ancestor(b.paragraph, "tbl")
    if a.special == "tc":
        return _ancestor(a.paragraph, "tr") is _ancestor(b.paragraph, "tr")
    return a.paragraph.getparent() is b.paragraph.getparent()


def empty_tables(
    part: TemplatePart, tags: list[Tag], loops: list[tuple[int, bool]]
) -> list[TemplateProblem]:
    """Tables whose every row hangs on a loop over a list that may be empty, unguarded."""
    fors = [t for t in tags if t.keyword == "for"]
    if len(fors) != len(loops):
        return []  # the template did not parse as a whole; its other problems come first
    never_empty = {id(t): safe for t, (_, safe) in zip(fors, sorted(loops), strict=True)}
    by_paragraph: dict[int, list[Tag]] = {}
    for tag in tags:
        by_paragraph.setdefault(id(tag.paragraph), []).append(tag)
    problems = []
    root = part.root
    assert root is not None
    open_blocks: list[Tag] = []
    tables: list[tuple[Any, list[Tag]]] = []  # each table with the blocks open around it
    for element in root.iter(f"{_W}p", f"{_W}tbl"):
        if _local(element) == "tbl":
            tables.append((element, list(open_blocks)))
            continue
        for tag in by_paragraph.get(id(element), []):
            if tag.special != "p":
                continue
            if tag.keyword in OPENERS:
                open_blocks.append(tag)
            elif tag.keyword.startswith("end") and open_blocks:
                open_blocks.pop()
    for table, around in tables:
        if any(g.keyword == "if" for g in around):
            continue  # a {%p if %} around the table removes it whole

        rows = table.findall(f"{_W}tr")
        culprit = _may_vanish([_special(table, r, "tr", by_paragraph) for r in rows], never_empty)
        every = N_(
            "paragraph {index}: every row of this table comes from {tag}, which may give "
            "nothing and leave an invalid table (Word reports the document as damaged); put a "
            "paragraph {opener} before the table and {closer} after it"
        )
        if culprit is None:
            for row in rows:
                cells = row.findall(f"{_W}tc")
                units = [_special(table, c, "tc", by_paragraph) for c in cells]
                culprit = _may_vanish(units, never_empty)
                if culprit is not None:
                    every = N_(
                        "paragraph {index}: every cell of a row of this table comes from {tag}, "
                        "which may give nothing and leave an invalid table (Word reports the "
                        "document as damaged); put a paragraph {opener} before the table and "
                        "{closer} after it"
                    )
                    break
        if culprit is not None:
            problems.append(
                TemplateProblem(
                    "empty-table",
                    Message(
                        every,
                        index=culprit.index,
                        tag=culprit.text,
                        opener="{%p if … %}",
                        closer="{%p endif %}",
                    ),
                    part.name,
                    shorten(" ".join(_text_of(table).split())),
                )
            )
    return problems


def _special(table: Any, unit: Any, special: str, by_paragraph: dict[int, list[Tag]]) -> list[Tag]:
    """The ``special`` tags in a row or cell of ``table`` (not of a table nested in it)."""
    return [
        t
        for p in unit.iter(f"{_W}p")
        for t in by_paragraph.get(id(p), [])
        if t.special == special and _ancestor(p, "tbl") is table
    ]


def _may_vanish(units: list[list[Tag]], never_empty: dict[int, bool]) -> Tag | None:
    """The block tag that can leave ``units`` (rows, or a row's cells) with none at all.

    ``units`` gives each row or cell's control tags; a unit without any is content. Content
    is certain when every block around it is a loop over a list that is never empty.
    """
    active: list[Tag] = []
    blocks: list[Tag] = []
    for unit in units:
        if unit:
            tag = unit[0]
            if tag.keyword in ("for", "if"):
                active.append(tag)
                blocks.append(tag)
            elif tag.keyword.startswith("end") and active:
                active.pop()
            continue
        if all(t.keyword == "for" and never_empty.get(id(t), False) for t in active):
            return None
    uncertain = [t for t in blocks if not (t.keyword == "for" and never_empty.get(id(t), False))]
    return uncertain[0] if uncertain else None


def template_comments(data: bytes) -> dict[str, str]:
    from lxml import etree

    with zipfile.ZipFile(BytesIO(data)) as archive:
        try:
            root = etree.fromstring(archive.read("word/comments.xml"))
        except KeyError:
            return {}
    return {
        c.get(f"{_W}id") or "": " ".join(_text_of(c).split()) for c in root.iter(f"{_W}comment")
    }
