"""LibreOffice reads the redline as tracked changes: it shows them, and accepts or rejects them.

Skipped with a stated reason where LibreOffice (or its Python bridge, python3-uno) is absent;
never skipped in CI (CI=true), where .ci/run installs both.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from iopdocs import Agreement, render_contract, render_redline
from tests.conftest import compact
from tests.integration.test_libreoffice import IN_CI, SOFFICE, convert_to_pdf, pytestmark  # noqa: F401 - the skip rule
from tests.variants import VARIANTS, variant

HERE = Path(__file__).resolve().parent


def _uno_python() -> str | None:
    """A Python that can import LibreOffice's UNO bridge (Debian: /usr/bin/python3)."""
    for name in ("/usr/bin/python3", shutil.which("python3")):
        if name and Path(name).is_file():
            done = subprocess.run([name, "-c", "import uno"], capture_output=True, check=False)
            if done.returncode == 0:
                return name
    return None


UNO_PYTHON = _uno_python() if SOFFICE else None

if UNO_PYTHON is None and IN_CI:  # pragma: no cover - a broken CI machine
    raise RuntimeError("CI=true but python3-uno (LibreOffice's Python bridge) is missing; .ci/run")


needs_uno = pytest.mark.skipif(
    UNO_PYTHON is None,
    reason="LibreOffice's Python bridge is not installed: apt-get install python3-uno",
)


@pytest.fixture(scope="module")
def versions(flagship: Agreement) -> tuple[Agreement, Agreement]:
    return flagship, variant(flagship, *VARIANTS.values())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("redline")


def test_the_pdf_shows_the_deleted_and_the_inserted_words(
    versions: tuple[Agreement, Agreement], folder: Path
) -> None:
    redline = render_redline(*versions, folder / "andringar.docx")
    pdf = convert_to_pdf(redline, folder)
    from pypdf import PdfReader

    text = compact(" ".join(page.extract_text() or "" for page in PdfReader(pdf).pages))
    assert "31 december 20252026" in text  # the old year struck through, the new one inserted
    assert "Social Ekonomi Fyrbodal" in text  # a removed party is shown struck through
    assert "Social Ekonomi Halland (SEH)" in text  # an added one underlined
    assert "genom kooperativ, sociala innovationer" in text
    assert "Mötesplatser för dialog och samråd" in text


@needs_uno
def test_accepting_all_in_libreoffice_gives_the_new_contract_and_rejecting_all_the_old(
    versions: tuple[Agreement, Agreement], folder: Path
) -> None:
    old, new = versions
    render_contract(old, folder / "gammal.docx")
    render_contract(new, folder / "ny.docx")
    render_redline(old, new, folder / "andringar.docx")
    jobs = {
        "accepted": "andringar.docx:accept",
        "rejected": "andringar.docx:reject",
        "as-is": "andringar.docx:none",
        "new": "ny.docx:none",
        "old": "gammal.docx:none",
    }
    assert UNO_PYTHON is not None
    assert SOFFICE is not None
    subprocess.run(
        [UNO_PYTHON, str(HERE / "lo_tracked_changes.py"), SOFFICE, str(folder / "uno-profile"),
         *(f"{folder / job.split(':')[0]}:{job.split(':')[1]}:{folder / name}.txt"
           for name, job in jobs.items())],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    text = {name: (folder / f"{name}.txt").read_text(encoding="utf-8") for name in jobs}
    assert text["accepted"] == text["new"]
    assert text["rejected"] == text["old"]
    assert text["as-is"] not in (text["new"], text["old"])  # the changes were there to resolve
