"""The LibreOffice converter fails safely: wrong inputs are refused before soffice runs, a hanging
soffice is killed with all its children, and nothing is left behind.

These tests use small fake soffice programs (set through IOPDOCS_SOFFICE), so they run without
LibreOffice; tests/integration/test_pdf.py converts for real.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from iopdocs import Agreement, ConversionError, ConverterMissingError, convert_many, render_contract
from iopdocs.pdf.convert import INSTALL_COMMAND, SOFFICE_ENV, export_filter, find_soffice

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")


def fake_soffice(folder: Path, body: str) -> Path:
    """An executable that stands in for soffice; ``body`` is Python run with ``sys.argv``."""
    program = folder / "fake-soffice"
    program.write_text(f"#!{sys.executable}\nimport os, subprocess, sys, time\n{body}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


@pytest.fixture
def docx(tmp_path: Path, make_agreement: Callable[..., Agreement]) -> Path:
    return render_contract(make_agreement(), tmp_path / "avtal.docx")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child that its (also killed) parent never reaped is a zombie: dead, not running.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def test_a_hanging_soffice_is_killed_with_its_children_and_leaves_nothing(
    tmp_path: Path, docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    program = fake_soffice(
        tmp_path,
        # Like soffice -> oosplash -> soffice.bin: a child that outlives a plain kill of its parent.
        f"child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\n"
        "outdir = sys.argv[sys.argv.index('--outdir') + 1]\n"
        "open(os.path.join(outdir, 'avtal.pdf'), 'wb').write(b'%PDF-1.6 half a file')\n"
        "time.sleep(600)",
    )
    monkeypatch.setenv(SOFFICE_ENV, str(program))
    out = tmp_path / "out"
    out.mkdir()
    start = time.monotonic()
    with pytest.raises(ConversionError, match=r"did not finish within 2 s"):
        convert_many([docx], out, timeout=2)
    assert time.monotonic() - start < 30
    parent, child = (int(p) for p in pids.read_text().split())
    deadline = time.monotonic() + 5
    while (alive(parent) or alive(child)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(parent)
    assert not alive(child)
    assert list(out.iterdir()) == []  # not even the private work folder


def test_soffice_exiting_0_without_a_pdf_is_a_conversion_error(
    tmp_path: Path, docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = fake_soffice(
        tmp_path, "print('Error: source file could not be loaded', file=sys.stderr)"
    )
    monkeypatch.setenv(SOFFICE_ENV, str(program))
    with pytest.raises(ConversionError, match=r"wrote no PDF.*could not be loaded"):
        convert_many([docx], tmp_path)
    assert not (tmp_path / "avtal.pdf").exists()


def test_a_garbage_docx_is_refused_before_soffice_runs(tmp_path: Path) -> None:
    garbage = tmp_path / "avtal.docx"
    garbage.write_text("this is not a Word document")
    with pytest.raises(ConversionError, match=r"avtal\.docx: not a Word document"):
        convert_many([garbage], tmp_path)
    assert not (tmp_path / "avtal.pdf").exists()


def test_two_inputs_with_one_name_are_refused(tmp_path: Path, docx: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    twin = other / docx.name
    twin.write_bytes(docx.read_bytes())
    with pytest.raises(ConversionError, match=r"both become avtal\.pdf"):
        convert_many([docx, twin], tmp_path)


def test_a_missing_soffice_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    if os.access("/Applications/LibreOffice.app/Contents/MacOS/soffice", os.X_OK):
        pytest.skip("LibreOffice is installed where no PATH can hide it")
    with pytest.raises(ConverterMissingError) as caught:
        find_soffice()
    assert INSTALL_COMMAND in str(caught.value)
    assert "apt-get install --no-install-recommends libreoffice-writer-nogui" in INSTALL_COMMAND


def test_a_soffice_override_that_is_not_a_program_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(ConverterMissingError, match=SOFFICE_ENV):
        find_soffice()


def test_pdfa_is_asked_for_in_the_json_filter_syntax_libreoffice_honours() -> None:
    assert export_filter(3) == (
        'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
        '"PDFUACompliance":{"type":"boolean","value":"true"},'
        '"ExportBookmarks":{"type":"boolean","value":"true"},'
        '"SelectPdfVersion":{"type":"long","value":"3"}}'
    )
    assert "SelectPdfVersion" not in export_filter(None)
    with pytest.raises(ValueError, match="pdfa must be"):
        export_filter(4)


def test_no_inputs_need_no_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "nowhere"))
    assert convert_many([], tmp_path) == []


def test_a_warm_converter_without_libreoffices_python_bridge_names_the_package(
    tmp_path: Path, docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bridge runs under a Python that can import uno; this one (the venv's) cannot."""
    from iopdocs import PdfConverter
    from iopdocs.pdf.warm import UNO_PYTHON_ENV

    pids = tmp_path / "pids"
    program = fake_soffice(tmp_path, f"open({str(pids)!r}, 'w').write(str(os.getpid()))\n"
                           "time.sleep(600)")  # fmt: skip
    monkeypatch.setenv(SOFFICE_ENV, str(program))
    monkeypatch.setenv(UNO_PYTHON_ENV, sys.executable)
    converter = PdfConverter(start_timeout=20)
    with pytest.raises(ConverterMissingError, match="python3-uno"):
        converter.convert(docx)
    deadline = time.monotonic() + 5
    while alive(soffice := int(pids.read_text())) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(soffice)  # the soffice started for it was stopped
    converter.close()


def test_the_warm_and_the_cold_converter_ask_for_the_same_export() -> None:
    import json

    from iopdocs.pdf.convert import export_options

    options = json.loads(export_filter(3).split(":", 2)[2])
    assert {name: option["value"] for name, option in options.items()} == {
        name: str(value).lower() for name, value in export_options(3).items()
    }
