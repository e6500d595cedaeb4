"""A bundled template is read once per process, and again when its file changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from iopdocs.documents import templates
from iopdocs.errors import TemplateError


def test_a_bundled_template_is_read_once_and_again_after_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Contract after contract, the bundled template's bytes are the ones read first (one
    ``stat`` per contract); a file replaced on disk, even with the same size and time, or one
    that is no longer a .docx, is read and checked anew."""
    original = templates.template_path("contract.docx").read_bytes()
    other = templates.template_path("review.docx").read_bytes()
    path = tmp_path / "contract.docx"
    path.write_bytes(original)
    monkeypatch.setattr(templates, "template_path", lambda name: path)
    monkeypatch.setattr(templates, "_BUNDLED", {})

    first = templates.load_template(None, "contract.docx")
    assert first == original
    assert templates.load_template(None, "contract.docx") is first

    replacement = tmp_path / "new.docx"
    replacement.write_bytes(other)
    stat = path.stat()
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    replacement.replace(path)  # a new file (inode) in its place
    assert templates.load_template(None, "contract.docx") == other

    path.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="not a Word document"):
        templates.load_template(None, "contract.docx")
    path.unlink()
    with pytest.raises(FileNotFoundError):
        templates.load_template(None, "contract.docx")
