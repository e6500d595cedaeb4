"""Many agreements to PDF at once: a warm LibreOffice per job, each PDF as render_pdf makes it.

Skipped with the stated reason where LibreOffice is absent; never skipped in CI (CI=true).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from iopdocs import (
    ConverterMissingError,
    extract,
    load_agreement,
    payment_schedule,
    render_many,
)
from iopdocs.cli import main
from tests.conftest import FLAGSHIP, ROOT, compact
from tests.integration.test_libreoffice import pytestmark  # noqa: F401 - the skip rule

SECOND = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"


def test_every_agreement_becomes_a_pdf_a3_carrying_its_data_and_a_bad_one_fails_alone(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "trasig.yaml"
    broken.write_text("metadata: {title: Trasig}\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    result = render_many(
        [FLAGSHIP, SECOND, broken],
        tmp_path / "ut",
        format="pdf",
        progress=lambda done, total, _: seen.append((done, total)),
    )
    assert [r.ok for r in result] == [True, True, False]
    assert "trasig.yaml" in (result.results[2].error or "")
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == [
        "laxhjalp-exempelkommunen-2026.pdf",
        "vgr-social-ekonomi-2024.pdf",
    ]  # nothing else: no .docx, no work folder
    for source, pdf in ((FLAGSHIP, result.written[0]), (SECOND, result.written[1])):
        agreement = load_agreement(source)
        reader = PdfReader(pdf)
        xmp = reader.trailer["/Root"]["/Metadata"].get_data()
        assert re.search(rb'pdfaid:part(>|=")3', xmp), "PDF/A-3"
        assert extract(pdf) == agreement
        text = compact(" ".join(page.extract_text() or "" for page in reader.pages))
        for party in agreement.parties:
            assert party.org_number in text
        total = payment_schedule(agreement).total
        assert f"{total:,.0f}".replace(",", " ") + " kr" in text


def test_the_command_line_renders_a_folder_of_pdfs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["render", str(FLAGSHIP), str(SECOND), "-o", f"{tmp_path}/pdf/", "--format", "pdf"])
    out = capsys.readouterr().out
    assert code == 0
    assert "rendered 2 agreements" in out
    assert len(list((tmp_path / "pdf").glob("*.pdf"))) == 2


def test_without_libreoffice_nothing_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IOPDOCS_SOFFICE", os.fspath(tmp_path / "no-such-soffice"))
    with pytest.raises(ConverterMissingError):
        render_many([FLAGSHIP], tmp_path / "ut", format="pdf")
    assert not (tmp_path / "ut").exists()


def test_each_job_keeps_one_libreoffice_running_for_all_its_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iopdocs.pdf.warm import PdfConverter

    started: list[PdfConverter] = []
    original = PdfConverter.start

    def start(self: PdfConverter) -> None:
        started.append(self)
        original(self)

    monkeypatch.setattr(PdfConverter, "start", start)
    sources = [(f"avtal-{n}", load_agreement(FLAGSHIP if n % 2 else SECOND)) for n in range(4)]
    result = render_many(sources, tmp_path / "ut", format="pdf", jobs=2)
    assert result.ok
    assert len(started) == 2  # two LibreOffice processes for four documents
    assert all(converter.starts == 1 for converter in started)  # none started again


def test_without_libreoffices_python_bridge_a_batch_still_converts_more_slowly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from iopdocs.pdf.warm import UNO_PYTHON_ENV

    monkeypatch.setenv(UNO_PYTHON_ENV, sys.executable)  # this Python cannot import uno
    with pytest.warns(RuntimeWarning, match="python3-uno"):
        result = render_many([FLAGSHIP], tmp_path / "ut", format="pdf", jobs=1)
    assert result.ok
    assert extract(result.written[0]) == load_agreement(FLAGSHIP)


def test_a_draft_in_a_batch_is_stamped_and_recorded_as_render_pdf_does_it(tmp_path: Path) -> None:
    """A draft's PDF from a batch carries UTKAST as a page artifact on every page (not Word's
    WordArt, which would be an untagged figure), and, beside its data, the record that lets
    ``verify`` tell the template and pages appended later."""
    import pikepdf

    from iopdocs.record import RECORD_ATTACHMENT

    stamp = re.compile(rb"/Artifact\s*<<\s*/Type\s*/Pagination\s*/Subtype\s*/Watermark\s*>>\s*BDC")
    (pdf,) = render_many([SECOND], tmp_path / "ut", format="pdf").written
    assert load_agreement(SECOND).metadata.status.value == "draft"
    with pikepdf.open(pdf) as document:
        assert set(document.attachments) == {"iopdocs-agreement.json", RECORD_ATTACHMENT}
        for number, page in enumerate(document.pages, start=1):
            content = page.obj.Contents
            streams = list(content) if isinstance(content, pikepdf.Array) else [content]
            data = b"".join(s.read_bytes() for s in streams)
            assert stamp.search(data), number
            assert b"/Figure" not in data, number
