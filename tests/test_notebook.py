"""The notebook examples/new-iop-draft.ipynb runs from top to bottom, so it never rots."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pytest

from tests.conftest import ROOT
from tests.integration.test_libreoffice import SOFFICE

NOTEBOOK = ROOT / "examples" / "new-iop-draft.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[nbformat.NotebookNode, Path]:
    folder = tmp_path_factory.mktemp("notebook")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": folder}}
    )
    client.execute()
    return notebook, folder


def outputs(notebook: nbformat.NotebookNode, kind: str) -> list[str]:
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if kind in output.get("data", {}):
                found.append(output["data"][kind])
            elif kind == "text/plain" and output.get("output_type") == "stream":
                found.append(output["text"])
    return found


def test_the_committed_notebook_has_no_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


def test_every_cell_runs_and_writes_the_documents(
    executed: tuple[nbformat.NotebookNode, Path],
) -> None:
    notebook, folder = executed
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    assert (folder / "utkast" / "avtal.docx").is_file()
    assert (folder / "utkast" / "arsberattelse-2027.docx").is_file()


def test_it_shows_the_validation_errors_as_a_table(
    executed: tuple[nbformat.NotebookNode, Path],
) -> None:
    tables = [h for h in outputs(executed[0], "text/html") if "<th>Kod</th>" in h]
    assert len(tables) == 1
    assert "org_number" in tables[0]
    assert "org_number_checksum" in tables[0]
    assert "signatories.0.title" in tables[0]


def test_it_shows_the_agreement_summary_and_a_schedule_plot(
    executed: tuple[nbformat.NotebookNode, Path],
) -> None:
    pages = outputs(executed[0], "text/html")
    assert any("mötesplats för äldre" in p and "UTKAST" in p for p in pages)
    assert outputs(executed[0], "image/png"), "the payment schedule plot"
    text = "".join(outputs(executed[0], "text/plain"))
    assert "8 utbetalningar, totalt 480000 kr" in text


def test_it_reviews_the_draft_and_shows_the_fixed_draft_passing(
    executed: tuple[nbformat.NotebookNode, Path],
) -> None:
    pages = outputs(executed[0], "text/html")
    tables = [p for p in pages if "<th>Allvar</th>" in p]
    assert "cooperation.steering_group" in tables[0]
    # The fixed draft keeps only the statement of what the de minimis comparison did not assess.
    assert "<td>Varning</td>" not in tables[-1]
    assert "<td>Fel</td>" not in tables[-1]
    assert "Inte bedömt" in tables[-1]
    assert "0 fel, 3 iakttagelser" in "".join(outputs(executed[0], "text/plain"))


def test_it_makes_the_signing_pdf_where_libreoffice_is_installed(
    executed: tuple[nbformat.NotebookNode, Path],
) -> None:
    text = "".join(outputs(executed[0], "text/plain"))
    pdf = executed[1] / "utkast" / "avtal.pdf"
    if SOFFICE is None:
        assert "LibreOffice (soffice) is not installed" in text
        assert not pdf.exists()
    else:
        assert "utkast/avtal.pdf – oförändrad" in text
        assert pdf.read_bytes().startswith(b"%PDF-")


def test_it_lists_what_changed_between_two_drafts(
    executed: tuple[nbformat.NotebookNode, Path],
) -> None:
    text = "".join(outputs(executed[0], "text/plain"))
    assert "Avtalsperiodens slutdatum: 2027-12-31 → 2028-12-31" in text
    assert "Antal utbetalningar: 4 → 8" in text
