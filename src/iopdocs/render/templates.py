"""Finding and loading Word templates."""

from __future__ import annotations

import os
import zipfile
from importlib import resources
from io import BytesIO
from pathlib import Path

from iopdocs.errors import TemplateError

__all__ = [
    "CONTRACT_TEMPLATE",
    "REPORT_TEMPLATE",
    "REVIEW_TEMPLATE",
    "load_template",
    "template_path",
]

CONTRACT_TEMPLATE = "contract.docx"
REPORT_TEMPLATE = "annual_report.docx"
REVIEW_TEMPLATE = "review.docx"

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
