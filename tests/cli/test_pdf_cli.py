"""``iopdocs render … -o OUT.pdf`` and ``iopdocs report … -o OUT.pdf``: bad input is refused with
exit status 2 and leaves no PDF behind.

The refusals happen before LibreOffice would run, or with a fake soffice, so these tests need no
LibreOffice; the one real conversion is skipped without it (never in CI).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopdocs.cli import main
from iopdocs.pdf import SOFFICE_ENV
from tests.conftest import FLAGSHIP
from tests.integration.test_libreoffice import SOFFICE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def with_appendix(tmp_path: Path, minimal_data: dict[str, Any]) -> Path:
    minimal_data["appendices"] = ["Verksamhetsplan"]
    path = tmp_path / "avtal.yaml"
    path.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_missing_appendix_is_named_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_appendix: Path
) -> None:
    out = tmp_path / "avtal.pdf"
    missing = tmp_path / "plan.pdf"
    code, stdout, stderr = run(
        capsys, "render", str(with_appendix), "-o", str(out), "--appendix", str(missing)
    )
    assert (code, stdout) == (2, "")
    assert stderr == f"error: {missing}: the appendix 'Verksamhetsplan' does not exist\n"
    assert list(tmp_path.iterdir()) == [with_appendix]


def test_an_appendix_that_is_neither_pdf_nor_docx_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_appendix: Path
) -> None:
    notes = tmp_path / "plan.txt"
    notes.write_text("anteckningar")
    out = tmp_path / "avtal.pdf"
    code, _, stderr = run(
        capsys, "render", str(with_appendix), "-o", str(out), "--appendix", str(notes)
    )
    assert code == 2
    assert "is neither a PDF nor a .docx" in stderr
    assert not out.exists()


def test_an_encrypted_appendix_is_refused_because_pdfa_forbids_encryption(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_appendix: Path
) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="hemligt", algorithm="RC4-128")
    locked = tmp_path / "plan.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    out = tmp_path / "avtal.pdf"
    code, _, stderr = run(
        capsys, "render", str(with_appendix), "-o", str(out), "--appendix", str(locked)
    )
    assert code == 2
    assert "is an encrypted PDF; PDF/A forbids encryption" in stderr
    assert not out.exists()


def test_appendix_files_must_match_the_agreements_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    extra = tmp_path / "extra.pdf"
    extra.write_bytes(b"%PDF-1.4")
    code, _, stderr = run(
        capsys, "render", str(FLAGSHIP), "-o", str(tmp_path / "a.pdf"), "--appendix", str(extra)
    )
    assert code == 2
    assert "the agreement lists 0 appendices (none) but 1 file was given" in stderr


def test_appendices_need_a_pdf_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, stderr = run(
        capsys, "render", str(FLAGSHIP), "-o", str(tmp_path / "a.docx"), "--appendix", "x.pdf"
    )
    assert code == 2
    assert "--appendix needs a .pdf output" in stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_output_folder_is_refused_before_converting(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    locked = tmp_path / "låst"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, _, stderr = run(capsys, "render", str(FLAGSHIP), "-o", str(locked / "a.pdf"))
    finally:
        locked.chmod(stat.S_IRWXU)
    assert code == 2
    assert "cannot write to the folder" in stderr
    assert list(locked.iterdir()) == []


@pytest.mark.integration
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_output_path_no_one_can_write_gives_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    # /proc refuses new files even to root, who passes any permission check made beforehand.
    code, stdout, stderr = run(capsys, "render", str(FLAGSHIP), "-o", "/proc/iopdocs-avtal.pdf")
    assert (code, stdout) == (2, "")
    assert stderr.startswith("error: /proc/iopdocs-avtal.pdf: cannot write")
    assert not Path("/proc/iopdocs-avtal.pdf").exists()


def test_a_hanging_conversion_is_stopped_with_exit_2_and_no_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(600)\n")
    fake.chmod(0o755)
    monkeypatch.setenv(SOFFICE_ENV, str(fake))
    out = tmp_path / "out"
    out.mkdir()
    code, _, stderr = run(
        capsys, "report", str(FLAGSHIP), "--year", "2024", "-o", str(out / "r.pdf"),
        "--timeout", "1",
    )  # fmt: skip
    assert code == 2
    assert (
        stderr
        == "error: LibreOffice did not finish within 1 s and was stopped; nothing was written\n"
    )
    assert list(out.iterdir()) == []


def test_a_missing_libreoffice_names_the_install_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, stderr = run(capsys, "render", str(FLAGSHIP), "-o", str(tmp_path / "a.pdf"))
    assert code == 2
    assert "apt-get install --no-install-recommends libreoffice-writer-nogui" in stderr
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.integration
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_render_to_pdf_with_an_appendix_warns_about_a_non_pdfa_appendix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_appendix: Path
) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    plan = tmp_path / "plan.pdf"
    with plan.open("wb") as handle:
        writer.write(handle)
    out = tmp_path / "avtal.pdf"
    code, stdout, stderr = run(
        capsys, "render", str(with_appendix), "-o", str(out), "--appendix", str(plan)
    )
    assert code == 0
    assert stdout == f"wrote {out}\n"
    assert stderr.startswith(f"warning: {plan}: the appendix 'Bilaga 2 – Verksamhetsplan' is not")
    assert len(PdfReader(out).pages) >= 2
