"""Listing and exporting the bundled Word templates, for users writing templates of their own."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from iopdocs._files import write_atomic
from iopdocs.authoring.lint import infer_kind, template_names
from iopdocs.documents.templates import bundled_templates
from iopdocs.errors import TemplateError
from iopdocs.i18n import Message

__all__ = ["TemplateInfo", "export_template", "list_templates"]


@dataclass(frozen=True)
class TemplateInfo:
    """A bundled template: its file name, what it is for, and the names its tags use."""

    name: str
    path: Path
    title: str
    description: str
    names: tuple[str, ...]
    """The top-level names the template's tags use, e.g. ``("agreement", "doc")``."""
    kind: str | None
    """The context it is rendered with (``"contract"``, ``"report"`` or ``"review"``), if known."""


def list_templates() -> list[TemplateInfo]:
    """Every bundled template with its title and purpose (from its document properties) and the
    names it sees."""
    infos = []
    for path in bundled_templates():
        data = path.read_bytes()
        title, description = _title_and_subject(data)
        names = template_names(data)
        infos.append(
            TemplateInfo(
                name=path.name,
                path=path,
                title=title,
                description=description,
                names=tuple(sorted(names)),
                kind=infer_kind(names),
            )
        )
    return infos


def _title_and_subject(data: bytes) -> tuple[str, str]:
    from lxml import etree

    with zipfile.ZipFile(BytesIO(data)) as archive:
        try:
            root = etree.fromstring(archive.read("docProps/core.xml"))
        except KeyError:
            return "", ""
    dc = "{http://purl.org/dc/elements/1.1/}"
    return root.findtext(f"{dc}title") or "", root.findtext(f"{dc}subject") or ""


def export_template(name: str, directory: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Copy the bundled template ``name`` (``"contract"`` or ``"contract.docx"``) into
    ``directory`` to edit in Word; returns the new file's path.

    An existing file is left alone unless ``force`` is true; the copy is written atomically.
    """
    wanted = name if name.endswith(".docx") else f"{name}.docx"
    available = {path.name: path for path in bundled_templates()}
    if wanted not in available:
        choices = ", ".join(p.removesuffix(".docx") for p in available)
        raise TemplateError(
            Message(
                "there is no bundled template '{name}'; choose one of {choices}",
                name=name,
                choices=choices,
            )
        )
    folder = Path(directory)
    if not folder.is_dir():
        raise TemplateError(
            Message("{folder}: the folder does not exist", folder=os.fspath(directory))
        )
    target = folder / wanted
    if target.exists() and not force:
        raise TemplateError(
            Message("{path}: already exists; use force (--force) to overwrite it", path=target)
        )
    return write_atomic(target, available[wanted].read_bytes())
