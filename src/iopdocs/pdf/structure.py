"""Carrying a document's structure tree over when its pages are joined to another PDF.

pypdf joins pages without their tags: the structure elements stay behind in the appended file and
the pages lose ``/StructParents``, so a screen reader cannot follow them. ``graft`` copies the
appended document's structure tree into the package, under the main document's root element as
a ``Part``: every structure element (its attributes, its page and its marked-content ids), the
parent tree entries of its pages with their keys moved past the package's own, and the role map.
Links into the appended document's annotations (``OBJR``) are left out; the pages' text, tables
and headings keep their tags.

A PDF without a structure tree (a scan, a PDF written by a tool that does not tag) cannot be
grafted: ``graft`` says so and the caller does not claim PDF/UA for the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import IndirectObject

__all__ = ["graft", "is_tagged"]


def graft(writer: PdfWriter, reader: PdfReader, first: int, title: str | None) -> bool:
    """Copy ``reader``'s structure tree into ``writer``, whose pages from index ``first`` on are
    ``reader``'s pages, appended in order. Returns whether the pages are tagged now."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    source_root = reader.root_object.get("/StructTreeRoot")
    target_ref = writer.root_object.get("/StructTreeRoot")
    if source_root is None or target_ref is None:
        return False
    source_root = source_root.get_object()
    target_root = target_ref.get_object()
    target_tops = _kids(target_root)
    if len(target_tops) != 1 or not _is_element(target_tops[0]):
        return False
    document_ref = target_tops[0]
    document = document_ref.get_object()
    pages: dict[int, Any] = {}
    for index, page in enumerate(reader.pages):
        if page.indirect_reference is not None:
            pages[page.indirect_reference.idnum] = writer.pages[first + index].indirect_reference
    existing = _number_tree(target_root.get("/ParentTree"))
    offset = max(int(target_root.get("/ParentTreeNextKey", 0)), max(existing, default=-1) + 1)
    copied: dict[int, IndirectObject] = {}

    def copy(reference: Any, parent: Any) -> Any:
        source = reference.get_object()
        element = DictionaryObject()
        ref = writer._add_object(element)
        if hasattr(reference, "idnum"):
            copied[reference.idnum] = ref
        for key, value in source.items():
            if key not in ("/P", "/K", "/Pg", "/ID"):
                element[NameObject(key)] = value.clone(writer)
        element[NameObject("/P")] = parent
        page = source.raw_get("/Pg") if "/Pg" in source else None
        if page is not None and page.idnum in pages:
            element[NameObject("/Pg")] = pages[page.idnum]
        kids = ArrayObject()
        for kid in _kids(source):
            kid_object = kid.get_object() if hasattr(kid, "idnum") else kid
            if isinstance(kid_object, int):
                kids.append(NumberObject(kid_object))
            elif isinstance(kid_object, DictionaryObject) and kid_object.get("/Type") == "/MCR":
                mcr = DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/MCR"),
                        NameObject("/MCID"): NumberObject(cast("int", kid_object["/MCID"])),
                    }
                )
                mcr_page = kid_object.raw_get("/Pg") if "/Pg" in kid_object else None
                if mcr_page is not None and mcr_page.idnum in pages:
                    mcr[NameObject("/Pg")] = pages[mcr_page.idnum]
                kids.append(mcr)
            elif isinstance(kid_object, DictionaryObject) and "/S" in kid_object:
                kids.append(copy(kid, ref))
            # OBJR (an annotation's place in the tree) is left out: see the module docstring.
        element[NameObject("/K")] = kids
        return ref

    part = DictionaryObject(
        {NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Part")}
    )
    if title:
        part[NameObject("/T")] = TextStringObject(title)
    part_ref = writer._add_object(part)
    part[NameObject("/P")] = (
        document_ref if hasattr(document_ref, "idnum") else document.indirect_reference
    )
    part[NameObject("/K")] = ArrayObject(
        [copy(top, part_ref) for top in _kids(source_root) if _is_element(top)]
    )
    document_kids = document.get("/K")
    if document_kids is None:
        document[NameObject("/K")] = ArrayObject([part_ref])
    elif isinstance(document_kids.get_object(), ArrayObject):
        document_kids.get_object().append(part_ref)
    else:
        document[NameObject("/K")] = ArrayObject([document_kids, part_ref])

    entries = dict(existing)
    for key, value in _number_tree(source_root.get("/ParentTree")).items():
        value = value.get_object()
        if isinstance(value, ArrayObject):
            entries[key + offset] = ArrayObject(
                [copied.get(getattr(item, "idnum", -1), _null()) for item in value]
            )
        elif getattr(value, "indirect_reference", None) is not None:
            found = copied.get(value.indirect_reference.idnum)
            if found is not None:
                entries[key + offset] = found
    for index, page in enumerate(reader.pages):
        if "/StructParents" in page:
            target = writer.pages[first + index]
            target[NameObject("/StructParents")] = NumberObject(
                cast("int", page["/StructParents"]) + offset
            )
    nums = ArrayObject()
    for key in sorted(entries):
        nums += [NumberObject(key), entries[key]]
    target_root[NameObject("/ParentTree")] = writer._add_object(
        DictionaryObject({NameObject("/Nums"): nums})
    )
    target_root[NameObject("/ParentTreeNextKey")] = NumberObject(max(entries, default=-1) + 1)
    roles = source_root.get("/RoleMap")
    if roles is not None:
        mine = target_root.get("/RoleMap")
        merged = DictionaryObject(mine.get_object()) if mine is not None else DictionaryObject()
        for key, value in roles.get_object().items():
            merged.setdefault(NameObject(key), value.clone(writer))
        target_root[NameObject("/RoleMap")] = merged
    return all("/StructParents" in p for p in writer.pages[first : first + len(reader.pages)])


def is_tagged(reader: PdfReader) -> bool:
    """Whether a PDF has a structure tree and every page of it takes part (``/StructParents``)."""
    return "/StructTreeRoot" in reader.root_object and all(
        "/StructParents" in page for page in reader.pages
    )


def _null() -> Any:
    from pypdf.generic import NullObject

    return NullObject()


def _kids(element: Any) -> list[Any]:
    from pypdf.generic import ArrayObject

    kids = element.get("/K") if hasattr(element, "get") else None
    if kids is None:
        return []
    kids = kids.get_object() if hasattr(kids, "get_object") else kids
    return list(kids) if isinstance(kids, ArrayObject) else [element.raw_get("/K")]


def _is_element(item: Any) -> bool:
    from pypdf.generic import DictionaryObject

    obj = item.get_object() if hasattr(item, "get_object") else item
    return isinstance(obj, DictionaryObject) and "/S" in obj


def _number_tree(tree: Any) -> dict[int, Any]:
    """The entries of a number tree (its kids' included), keys to their values as stored."""
    if tree is None:
        return {}
    node = tree.get_object()
    entries: dict[int, Any] = {}
    nums = node.get("/Nums")
    if nums is not None:
        nums = nums.get_object()
        for index in range(0, len(nums) - 1, 2):
            entries[int(nums[index])] = nums[index + 1]
    for kid in node.get("/Kids", []):
        entries.update(_number_tree(kid))
    return entries
