"""How a PDF batch schedules its work (``render_many(format="pdf")``, issue 14): a document is
handed to LibreOffice as soon as it is rendered and a LibreOffice is free, not after every
document is rendered; a LibreOffice that does not start leaves the documents to the others, and
a batch none of whose LibreOffice processes starts fails as before.

LibreOffice and its UNO bridge are stood in for by small programs (``IOPDOCS_SOFFICE``,
``IOPDOCS_UNO_PYTHON``) that start at once and "convert" by copying a blank PDF, so the tests
need no LibreOffice and take no seconds of its start.
"""

from __future__ import annotations

import stat
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter

import iopdocs.batch
from iopdocs import ConversionError, load_agreement, render_many
from iopdocs.pdf.convert import SOFFICE_ENV
from iopdocs.pdf.warm import UNO_PYTHON_ENV
from tests.conftest import FLAGSHIP

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX stand-in programs")

# A stand-in bridge: "ready" at once, then a copy of the blank PDF for each request. With
# FAIL_FIRST set, the first bridge to start creates that file and fails as a LibreOffice that
# does not start; later ones work. With FAIL_ALL set, every one fails.
BRIDGE = """
import json, os, shutil, sys
first = os.environ.get("FAIL_FIRST")
if os.environ.get("FAIL_ALL") or (first and not os.path.exists(first)):
    if first:
        open(first, "w").close()
    print(json.dumps({"ready": False, "error": "stand-in LibreOffice did not start"}), flush=True)
    sys.exit(1)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    shutil.copyfile(os.environ["FAKE_PDF"], request["target"])
    print(json.dumps({"ok": True}), flush=True)
"""


def executable(path: Path, body: str) -> Path:
    path.write_text(f"#!{sys.executable}\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pdf = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(pdf)
    monkeypatch.setenv(
        SOFFICE_ENV, str(executable(tmp_path / "soffice", "import time\ntime.sleep(600)"))
    )
    monkeypatch.setenv(UNO_PYTHON_ENV, str(executable(tmp_path / "uno-python", BRIDGE)))
    monkeypatch.setenv("FAKE_PDF", str(pdf))
    return tmp_path


def test_a_document_is_converted_while_later_ones_are_still_being_rendered(
    stand_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last document is rendered only once an earlier one is already a finished PDF: the
    batch does not wait for every .docx before LibreOffice gets the first."""
    out = stand_in / "ut"
    names = [f"avtal-{n}" for n in range(4)]
    render = iopdocs.batch._render_and_commit
    seen_a_pdf = threading.Event()
    waited: list[bool] = []

    def render_last_after_a_pdf(task: Any, setup: Any) -> Any:
        if task.source == names[-1]:
            waited.append(seen_a_pdf.wait(timeout=30))
        return render(task, setup)

    finished = iopdocs.batch._finish_pdf

    def finish_and_tell(*args: Any) -> Any:
        result = finished(*args)
        seen_a_pdf.set()
        return result

    monkeypatch.setattr(iopdocs.batch, "_render_and_commit", render_last_after_a_pdf)
    monkeypatch.setattr(iopdocs.batch, "_finish_pdf", finish_and_tell)
    agreement = load_agreement(FLAGSHIP)
    result = render_many([(name, agreement) for name in names], out, format="pdf", jobs=2)
    assert result.ok, result.summary()
    assert waited == [True]
    assert sorted(p.name for p in out.iterdir()) == [f"{name}.pdf" for name in names]


def test_a_libreoffice_that_does_not_start_leaves_its_documents_to_the_other(
    stand_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAIL_FIRST", str(stand_in / "failed-once"))
    agreement = load_agreement(FLAGSHIP)
    names = [f"avtal-{n}" for n in range(5)]
    result = render_many(
        [(name, agreement) for name in names], stand_in / "ut", format="pdf", jobs=2
    )
    assert (stand_in / "failed-once").exists()  # one of the two did fail to start
    assert result.ok, result.summary()
    assert len(result.written) == 5


def test_a_batch_none_of_whose_libreoffice_processes_starts_fails_with_the_reason(
    stand_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAIL_ALL", "1")
    agreement = load_agreement(FLAGSHIP)
    out = stand_in / "ut"
    with pytest.raises(ConversionError, match="did not start"):
        render_many([(f"avtal-{n}", agreement) for n in range(3)], out, format="pdf", jobs=2)
    assert [p.name for p in out.iterdir()] == []  # nothing written, no work folder left
