"""Finding, loading, listing and exporting Word templates."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from importlib import resources
from io import BytesIO
from pathlib import Path

from iopdocs.errors import TemplateError

__all__ = [
    "CONTRACT_TEMPLATE",
    "REPORT_TEMPLATE",
    "REVIEW_TEMPLATE",
    "TemplateInfo",
    "bundled_templates",
    "default_template",
    "export_template",
    "is_bundled",
    "list_templates",
    "load_template",
    "template_path",
]

CONTRACT_TEMPLATE = "contract.docx"
REPORT_TEMPLATE = "annual_report.docx"
REVIEW_TEMPLATE = "review.docx"
_DEFAULTS = {
    "contract": CONTRACT_TEMPLATE,
    "annual_report": REPORT_TEMPLATE,
    "review": REVIEW_TEMPLATE,
}

# In a wheel the templates sit inside the package; in a source checkout, at the repository root.
_SOURCE_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def template_path(name: str) -> Path:
    """The path of a bundled template, e.g. ``template_path("contract.docx")``."""
    packaged = resources.files("iopdocs").joinpath("templates", name)
    if packaged.is_file():
        return Path(str(packaged))
    source = _SOURCE_TEMPLATES / name
    if source.is_file():
        return source
    raise TemplateError(f"the bundled template {name!r} is missing from this installation")


def default_template(document: str) -> str:
    """The bundled template a kind of document (``contract``, ``annual_report``, ``review``)
    is rendered with unless another is given."""
    return _DEFAULTS[document]


def load_template(template: str | os.PathLike[str] | bytes | None, default: str) -> bytes:
    """The bytes of ``template`` (a path or bytes), or of the bundled ``default``."""
    if template is None:
        data = template_path(default).read_bytes()
        origin = default
    elif isinstance(template, bytes):
        data, origin = template, "<bytes>"
    else:
        try:
            data = Path(template).read_bytes()
        except OSError as exc:
            raise TemplateError(f"cannot read template {os.fspath(template)!r}: {exc}") from exc
        origin = os.fspath(template)
    if not zipfile.is_zipfile(BytesIO(data)):
        raise TemplateError(f"template {origin!r} is not a Word document (.docx)")
    return data


def _bundled_folder() -> Path:
    packaged = resources.files("iopdocs").joinpath("templates")
    if packaged.is_dir():
        return Path(str(packaged))
    return _SOURCE_TEMPLATES


def bundled_templates() -> list[Path]:
    """The paths of every template that ships with iopdocs, by name."""
    return sorted(_bundled_folder().glob("*.docx"), key=lambda p: p.name)


def is_bundled(template: str | os.PathLike[str] | bytes | None) -> bool:
    """Whether ``template`` is a bundled template (``None`` means the default one).

    Bytes and any other file count as outside templates: they render in the Jinja sandbox.
    """
    if template is None:
        return True
    if isinstance(template, bytes):
        return False
    try:
        target = Path(template).resolve()
    except OSError:
        return False
    return any(target == path.resolve() for path in bundled_templates())


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
    from iopdocs.render.lint import infer_kind, template_names

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
    from iopdocs._files import write_atomic

    wanted = name if name.endswith(".docx") else f"{name}.docx"
    available = {path.name: path for path in bundled_templates()}
    if wanted not in available:
        choices = ", ".join(p.removesuffix(".docx") for p in available)
        raise TemplateError(f"there is no bundled template {name!r}; choose one of {choices}")
    folder = Path(directory)
    if not folder.is_dir():
        raise TemplateError(f"{os.fspath(directory)}: the folder does not exist")
    target = folder / wanted
    if target.exists() and not force:
        raise TemplateError(f"{target}: already exists; use force (--force) to overwrite it")
    return write_atomic(target, available[wanted].read_bytes())
