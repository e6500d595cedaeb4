"""The flagship contract, converted to PDF by LibreOffice, has every section and fact.

Skipped with a stated reason where LibreOffice is absent; never skipped in CI (CI=true), where
.ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from iopdocs import Agreement, render_contract
from tests.conftest import compact
from tests.unit.test_render import SECTIONS

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
IN_CI = os.environ.get("CI", "").lower() == "true"

if SOFFICE is None and IN_CI:  # pragma: no cover - a broken CI machine
    raise RuntimeError("CI=true but LibreOffice (soffice) is not installed; see .ci/run")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice (soffice) is not installed: apt-get install --no-install-recommends "
        "libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation2",
    ),
]


def convert_to_pdf(docx: Path, out_dir: Path) -> Path:
    assert SOFFICE is not None
    profile = out_dir / "lo-profile"  # a private profile: soffice allows one process per profile
    subprocess.run(
        [
            SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = out_dir / (docx.stem + ".pdf")
    assert pdf.is_file(), "soffice exits 0 even when it fails; the PDF must exist"
    return pdf


@pytest.fixture(scope="module")
def flagship_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str]]:
    from pypdf import PdfReader

    from iopdocs import load_agreement
    from tests.conftest import FLAGSHIP

    folder = tmp_path_factory.mktemp("pdf")
    docx = render_contract(load_agreement(FLAGSHIP), folder / "avtal.docx")
    reader = PdfReader(convert_to_pdf(docx, folder))
    return len(reader.pages), [page.extract_text() or "" for page in reader.pages]


def test_the_flagship_is_a_multi_page_pdf_numbered_sida_x_av_y(
    flagship_pdf: tuple[int, list[str]],
) -> None:
    count, pages = flagship_pdf
    assert count >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {count}" in compact(text)


def test_every_section_and_fact_survives_the_conversion(
    flagship_pdf: tuple[int, list[str]], flagship: Agreement
) -> None:
    text = compact(" ".join(flagship_pdf[1]))
    for heading in SECTIONS:
        assert heading in text, heading
    for party in flagship.parties:
        assert party.org_number in text
        for signatory in party.signatories:
            assert signatory.name in text
    for fact in ("upp till 300 000 kr per tolvmånadersperiod", "1 augusti 2024",
                 "31 december 2025", "15 februari", "sex månader"):  # fmt: skip
        assert fact in text, fact


def test_the_signatures_start_on_a_page_of_their_own(flagship_pdf: tuple[int, list[str]]) -> None:
    pages = [compact(p) for p in flagship_pdf[1]]
    first = next(i for i, p in enumerate(pages) if "Parterna har genom sina behöriga" in p)
    assert "Kontaktpersoner" not in pages[first]
    assert all("Ort och datum" not in p for p in pages[:first])
