"""A warm LibreOffice (``iopdocs.PdfConverter``): started once, converting one document after
another, surviving a crash or a hang, and leaving nothing running behind it.

Skipped with the stated reason where LibreOffice is absent; never skipped in CI (CI=true), where
.ci/run installs it and python3-uno, the bridge the converter talks through.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import iopdocs
from iopdocs import Agreement, ConversionError, PdfConverter, render_pdf
from iopdocs.pdf import convert_to_pdf
from iopdocs.pdf.package import pdfa_part
from iopdocs.provenance import AGREEMENT_ATTACHMENT
from iopdocs.record import RECORD_ATTACHMENT
from tests.integration.test_libreoffice import pytestmark  # noqa: F401 - the skip rule


def group_members(group: int) -> list[int]:
    """The processes still alive (not zombies) in process group ``group``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after its ")".
        state, _, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state != "Z":
            members.append(int(entry.name))
    return members


def gone(group: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while group_members(group):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def titles(outline: list[Any]) -> list[str]:
    """The bookmarks' titles in order, nested ones included."""
    return [
        t for item in outline for t in (titles(item) if isinstance(item, list) else [item.title])
    ]


@pytest.fixture(scope="module")
def docx(tmp_path_factory: pytest.TempPathFactory, flagship: Agreement) -> Path:
    folder = tmp_path_factory.mktemp("warm")
    return iopdocs.render_contract(flagship, folder / "avtal.docx")


@pytest.fixture(scope="module")
def converter() -> PdfConverter:
    with PdfConverter() as pdf:
        yield pdf  # type: ignore[misc]


def test_one_libreoffice_converts_one_contract_after_another(
    converter: PdfConverter, flagship: Agreement, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    pid = converter.pid
    first = render_pdf(flagship, tmp_path / "a.pdf", converter=converter)
    second = render_pdf(flagship, tmp_path / "b.pdf", converter=converter)
    assert converter.pid == pid  # no new LibreOffice for the second
    for path in (first, second):
        reader = PdfReader(path)
        assert pdfa_part(reader) == 3
        names = sorted(a.name for a in reader.attachment_list)
        assert names == sorted([AGREEMENT_ATTACHMENT, RECORD_ATTACHMENT])


def test_a_warm_conversion_is_the_pdf_soffice_writes(converter: PdfConverter, docx: Path) -> None:
    """Same export options (PDF/A, tagged, bookmarks) by either road, same pages."""
    from io import BytesIO

    from pypdf import PdfReader

    warm = PdfReader(BytesIO(converter.convert(docx, pdfa=3)))
    cold = PdfReader(BytesIO(convert_to_pdf(docx, pdfa=3)))
    assert len(warm.pages) == len(cold.pages)
    assert pdfa_part(warm) == pdfa_part(cold) == 3
    assert "/StructTreeRoot" in warm.root_object  # tagged
    assert titles(warm.outline) == titles(cold.outline)


def test_libreoffice_killed_mid_conversion_is_started_again_and_the_next_conversion_works(
    docx: Path,
) -> None:
    with PdfConverter() as pdf:
        killed = pdf.pid
        assert killed is not None
        timer = threading.Timer(0.2, os.killpg, (killed, signal.SIGKILL))
        timer.start()
        # The conversion LibreOffice died under is made again, in a new LibreOffice.
        assert pdf.convert(docx).startswith(b"%PDF-")
        timer.join()
        assert pdf.starts == 2
        assert pdf.pid != killed
        assert pdf.convert(docx).startswith(b"%PDF-")
        assert pdf.starts == 2


def test_a_hanging_libreoffice_is_killed_at_the_timeout_and_the_next_conversion_works(
    docx: Path,
) -> None:
    with PdfConverter(timeout=3) as pdf:
        hung = pdf.pid
        assert hung is not None
        timer = threading.Timer(0.2, os.killpg, (hung, signal.SIGSTOP))
        timer.start()
        started = time.monotonic()
        with pytest.raises(ConversionError, match=r"did not finish within 3 s"):
            pdf.convert(docx)
        timer.join()
        assert time.monotonic() - started < 10
        assert gone(hung)  # killed, though stopped
        assert pdf.convert(docx).startswith(b"%PDF-")
        assert pdf.starts == 2


def test_no_libreoffice_outlives_a_converter_closed_dropped_or_at_exit() -> None:
    closed = PdfConverter()
    closed.start()
    group = closed.pid
    assert group is not None
    assert group_members(group)
    closed.close()
    assert gone(group, within=0)
    with pytest.raises(ConversionError, match="closed"):
        closed.convert(b"")

    dropped = PdfConverter()
    dropped.start()
    group = dropped.pid
    assert group is not None
    del dropped  # collected without close: its finalizer stops LibreOffice
    assert gone(group)

    script = "import iopdocs; c = iopdocs.PdfConverter(); c.start(); print(c.pid, flush=True)"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert gone(int(out.stdout))  # stopped as the interpreter exited


def test_libreoffice_stops_when_the_program_using_it_is_killed() -> None:
    script = (
        "import os, signal, iopdocs; c = iopdocs.PdfConverter(); c.start(); "
        "print(c.pid, flush=True); os.kill(os.getpid(), signal.SIGKILL)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == -signal.SIGKILL
    assert gone(int(out.stdout))  # the bridge saw its stdin close and stopped LibreOffice


def test_the_annual_report_and_convert_many_use_the_same_libreoffice(
    converter: PdfConverter, flagship: Agreement, docx: Path, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    pid = converter.pid
    report = iopdocs.render_annual_report_pdf(
        flagship, 2024, party="GSE", path=tmp_path / "rapport.pdf", converter=converter
    )
    assert pdfa_part(PdfReader(report)) == 3
    (pdf,) = iopdocs.convert_many([docx], tmp_path, pdfa=2, converter=converter)
    assert pdfa_part(PdfReader(pdf)) == 2
    assert converter.pid == pid
