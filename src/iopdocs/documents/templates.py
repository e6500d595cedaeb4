"""Finding and loading the Word templates of the IOP documents, bundled or a user's own."""

from __future__ import annotations

import os
import zipfile
from io import BytesIO
from pathlib import Path

from iopdocs.errors import TemplateError
from iopdocs.i18n import Message, reason

__all__ = [
    "CONTRACT_TEMPLATE",
    "REPORT_TEMPLATE",
    "REVIEW_TEMPLATE",
    "bundled_templates",
    "default_template",
    "is_bundled",
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


# Where a wheel puts them: beside the package's modules (looked up as a plain path, as
# importlib.resources would find them, without its import: some 5 ms of a cold ``render``).
_PACKAGED_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def template_path(name: str) -> Path:
    """The path of a bundled template, e.g. ``template_path("contract.docx")``."""
    packaged = _PACKAGED_TEMPLATES / name
    if packaged.is_file():
        return packaged
    source = _SOURCE_TEMPLATES / name
    if source.is_file():
        return source
    raise TemplateError(
        Message("the bundled template '{name}' is missing from this installation", name=name)
    )


def default_template(document: str) -> str:
    """The bundled template a kind of document (``contract``, ``annual_report``, ``review``)
    is rendered with unless another is given."""
    return _DEFAULTS[document]


def load_template(template: str | os.PathLike[str] | bytes | None, default: str) -> bytes:
    """The bytes of ``template`` (a path or bytes), or of the bundled ``default``."""
    if template is None:
        return _bundled_bytes(default)
    if isinstance(template, bytes):
        data, origin = template, "<bytes>"
    else:
        from iopdocs._files import MAX_DOCUMENT_FILE, FileLimitError, read_limited

        try:
            data = read_limited(template, MAX_DOCUMENT_FILE)
        except FileLimitError as exc:
            raise TemplateError(
                Message("template '{name}' {reason}", name=os.fspath(template), reason=reason(exc))
            ) from exc
        except OSError as exc:
            raise TemplateError(
                Message(
                    "cannot read template '{name}': {reason}",
                    name=os.fspath(template),
                    reason=exc.strerror or exc,
                )
            ) from exc
        origin = os.fspath(template)
    if not zipfile.is_zipfile(BytesIO(data)):
        raise TemplateError(
            Message("template '{name}' is not a Word document (.docx)", name=origin)
        )
    if template is not None:  # a template from outside: bounded before any part is parsed
        from iopdocs.word.package import check_package

        try:
            check_package(data, Message("template '{name}'", name=origin))
        except zipfile.BadZipFile as exc:
            raise TemplateError(
                Message(
                    "template '{name}' is not a usable .docx: {reason}", name=origin, reason=exc
                )
            ) from exc
    return data


# The bundled templates' bytes, kept per name with the file's identity when read (device,
# inode, size, modification time): a contract costs one ``stat``, not a read and a zip check,
# and a template file replaced on disk (a new installation, an edit in a checkout) is read anew.
_BUNDLED: dict[str, tuple[Path, tuple[int, int, int, int], bytes]] = {}


def _bundled_bytes(name: str) -> bytes:
    held = _BUNDLED.get(name)
    if held is not None:
        path, identity, data = held
        try:
            if _identity(path) == identity:
                return data
        except OSError:
            pass  # gone: looked up again below, with its error
    path = template_path(name)
    identity = _identity(path)  # before reading: a change while reading makes a new identity
    data = path.read_bytes()
    if not zipfile.is_zipfile(BytesIO(data)):
        raise TemplateError(Message("template '{name}' is not a Word document (.docx)", name=name))
    _BUNDLED[name] = (path, identity, data)
    return data


def _identity(path: Path) -> tuple[int, int, int, int]:
    status = path.stat()
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _bundled_folder() -> Path:
    if _PACKAGED_TEMPLATES.is_dir():
        return _PACKAGED_TEMPLATES
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
