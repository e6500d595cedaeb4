"""`iopdocs extract` and `iopdocs verify`: output, exit codes 0 / 1 / 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document

from iopdocs import Agreement, dump_agreement, parse_agreement, render_contract
from iopdocs.cli import main
from iopdocs.documents import template_path
from tests.unit.test_render import own_template


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def contract(flagship: Agreement, tmp_path: Path) -> Path:
    return render_contract(flagship, tmp_path / "avtal.docx")


def test_extract_prints_the_agreement_as_yaml(
    capsys: pytest.CaptureFixture[str], contract: Path, flagship: Agreement
) -> None:
    code, stdout, stderr = run(capsys, "extract", str(contract))
    assert (code, stderr) == (0, "")
    assert stdout == dump_agreement(flagship)
    assert parse_agreement(stdout) == flagship


def test_extract_writes_json_to_a_file(
    capsys: pytest.CaptureFixture[str], contract: Path, flagship: Agreement, tmp_path: Path
) -> None:
    out = tmp_path / "avtal.json"
    code, stdout, _ = run(capsys, "extract", str(contract), "--format", "json", "-o", str(out))
    assert (code, stdout) == (0, f"wrote {out}\n")
    assert parse_agreement(out.read_text(encoding="utf-8"), format="json") == flagship
    assert json.loads(out.read_text(encoding="utf-8"))["parties"][0]["short_name"] == "VGR"


def test_verify_an_untouched_document_exits_0(
    capsys: pytest.CaptureFixture[str], contract: Path
) -> None:
    code, stdout, _ = run(capsys, "verify", str(contract))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0] == f"unchanged: {contract}: its text is as rendered from its data"
    assert lines[1].startswith("  rendered by iopdocs 0.1.0 with contract.docx (template SHA-256 ")


def test_verify_an_edited_document_exits_1_naming_the_paragraph(
    capsys: pytest.CaptureFixture[str], contract: Path
) -> None:
    document = Document(str(contract))
    paragraph = next(p for p in document.paragraphs if "uppsägningstid om sex" in p.text)
    for run_ in paragraph.runs:
        run_.text = run_.text.replace("sex månader", "en månad")
    document.save(str(contract))
    code, stdout, _ = run(capsys, "verify", str(contract))
    assert code == 1
    lines = stdout.splitlines()
    assert lines[0].startswith(f"changed: {contract}: rendered by iopdocs 0.1.0")
    assert lines[1] == "  1 paragraph differs from the rendering of its data:"
    assert lines[2].startswith("  body paragraph ")
    assert lines[2].endswith("(under 'Tidsperiod och villkor för partnerskapet')")
    assert lines[3].startswith("    now:       ")
    assert "[en månad.]" in lines[3]
    assert lines[4].startswith("    should be: ")
    assert "[sex månader.]" in lines[4]


def test_verify_a_document_without_data_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plain = tmp_path / "handskrivet.docx"
    plain.write_bytes(own_template("Ett avtal skrivet för hand."))
    code, stdout, stderr = run(capsys, "verify", str(plain))
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"error: {plain}: carries no iopdocs agreement data (not rendered by iopdocs, or the data "
        "was removed)\n"
    )
    assert run(capsys, "extract", str(plain))[0] == 2


def test_verify_with_the_wrong_template_exits_2_and_says_so(
    capsys: pytest.CaptureFixture[str], flagship: Agreement, tmp_path: Path
) -> None:
    template = tmp_path / "egen.docx"
    template.write_bytes(own_template("Avtal: {{ agreement.metadata.title }}"))
    document = render_contract(flagship, tmp_path / "avtal.docx", template=template)
    code, _, stderr = run(capsys, "verify", str(document))
    assert code == 2
    assert "was rendered with the template 'egen.docx'" in stderr
    assert "verify it with the template it was rendered with" in stderr
    code, _, stderr = run(
        capsys, "verify", str(document), "--template", str(template_path("contract.docx"))
    )
    assert code == 2
    assert "not the same file" in stderr
    assert run(capsys, "verify", str(document), "--template", str(template))[0] == 0


def test_verify_a_file_that_is_no_document_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = tmp_path / "avtal.txt"
    text.write_text("Avtal", encoding="utf-8")
    code, _, stderr = run(capsys, "verify", str(text))
    assert code == 2
    assert stderr == f"error: {text}: neither a Word document (.docx) nor a PDF\n"
    assert run(capsys, "verify", str(tmp_path / "saknas.docx"))[0] == 2


def test_extract_to_a_missing_folder_writes_nothing(
    capsys: pytest.CaptureFixture[str], contract: Path, tmp_path: Path
) -> None:
    code, _, stderr = run(capsys, "extract", str(contract), "-o", str(tmp_path / "nej" / "a.yaml"))
    assert code == 2
    assert "does not exist" in stderr


def test_the_data_survives_python_docx_saving_the_document(
    capsys: pytest.CaptureFixture[str], contract: Path, flagship: Agreement
) -> None:
    document = Document(io.BytesIO(contract.read_bytes()))
    document.save(str(contract))
    assert run(capsys, "extract", str(contract))[1] == dump_agreement(flagship)


def damaged_pdf(path: Path) -> Path:
    """A one-page PDF whose cross-reference table points one byte before the catalog: pypdf
    reads it, logging its repair."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    data = io.BytesIO()
    writer.write(data)
    path.write_bytes(data.getvalue().replace(b"\n2 0 obj", b"\nX2 0 obj", 1))
    return path


def test_verify_a_damaged_pdf_shows_its_conclusion_not_the_pdf_readers_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The reader's repairs are logged in English by pypdf; the user gets the command's own
    line, and --debug shows the log too. The log's level is left as the caller had it."""
    import logging

    damaged = damaged_pdf(tmp_path / "skadad.pdf")
    handler = logging.StreamHandler(io.StringIO())
    logging.getLogger("pypdf").addHandler(handler)  # as the interpreter's last resort would
    try:
        code, _, stderr = run(capsys, "verify", str(damaged))
        assert code == 2
        assert stderr.startswith("error: ")
        assert stderr.count("\n") == 1
        assert handler.stream.getvalue() == ""
        assert logging.getLogger("pypdf").level == logging.NOTSET

        code, _, stderr = run(capsys, "--debug", "verify", str(damaged))
        assert code == 2
        assert "Ignoring wrong pointing object" in handler.stream.getvalue()
    finally:
        logging.getLogger("pypdf").removeHandler(handler)
