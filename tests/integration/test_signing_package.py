"""``iopdocs package``: a folder an e-signature integration and a registrar can take as it is.

The manifest and the sidecar validate against the schemas iopdocs ships; every checksum, size
and page count matches the file it names; the signatories are the agreement's, in signing order;
bad input writes nothing. Needs LibreOffice for the PDF: skipped with a stated reason where it is
absent, never in CI (CI=true).
"""

from __future__ import annotations

import hashlib
import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopdocs import Agreement, PartyKind
from iopdocs.cli import main
from iopdocs.delivery import manifest_schema, sidecar_schema
from iopdocs.record import agreement_json
from tests.conftest import FLAGSHIP
from tests.integration.test_libreoffice import pytestmark
from tests.unit.test_annual_report import FILLED

__all__ = ["pytestmark"]


def with_emails(agreement: Agreement, signing: str = "electronic") -> dict[str, Any]:
    """The agreement as data, each signatory with an e-mail address, signed ``signing``."""
    data = json.loads(agreement_json(agreement))
    for party in data["parties"]:
        for number, person in enumerate(party["signatories"], start=1):
            person["email"] = f"signatory{number}@{party['short_name'].lower()}.example"
    data["metadata"]["signing"] = signing
    data["metadata"]["case_number"] = "KUN 2024-00123"
    return data


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, flagship: Agreement) -> Path:
    folder = tmp_path_factory.mktemp("package")
    source = folder / "avtal.yaml"
    source.write_text(yaml.safe_dump(with_emails(flagship), allow_unicode=True), "utf-8")
    assert main(["package", str(source), "-o", str(folder / "paket")]) == 0
    return folder / "paket"


def validate_sidecar(xml: bytes) -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.fromstring(sidecar_schema()))
    schema.assertValid(etree.fromstring(xml))


def test_the_package_holds_the_pdf_the_data_the_manifest_and_the_sidecar(package: Path) -> None:
    assert sorted(p.name for p in package.iterdir()) == [
        "archive-sidecar.xml",
        "avtal.pdf",
        "iopdocs-agreement.json",
        "signing-manifest.json",
    ]


def test_the_manifest_validates_and_its_checksums_and_pages_match_the_files(
    package: Path,
) -> None:
    import jsonschema
    from pypdf import PdfReader

    manifest = json.loads((package / "signing-manifest.json").read_text("utf-8"))
    jsonschema.validate(manifest, json.loads(manifest_schema()))
    for entry in manifest["documents"] + manifest["attachments"]:
        data = (package / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
        if entry["mime_type"] == "application/pdf":
            assert entry["pages"] == len(PdfReader(BytesIO(data)).pages)
    (document,) = manifest["documents"]
    assert (document["pdfa"], document["pdfua"]) == ("3b", 1)
    data = (package / "iopdocs-agreement.json").read_bytes()
    assert manifest["agreement"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["external_reference"] == "KUN 2024-00123"
    assert manifest["signing"] == {"method": "electronic", "order": "sequential"}


def test_the_signatories_are_the_agreements_with_the_public_party_last(
    package: Path, flagship: Agreement
) -> None:
    manifest = json.loads((package / "signing-manifest.json").read_text("utf-8"))
    people = manifest["signatories"]
    expected = {
        (s.name, p.short_name, p.org_number) for p in flagship.parties for s in p.signatories
    }
    assert {(s["name"], s["party"], s["organisation_number"]) for s in people} == expected
    assert [s["order"] for s in people] == list(range(1, len(people) + 1))
    roles = [s["role"] for s in people]
    assert roles == sorted(roles, key=lambda r: r == PartyKind.PUBLIC.value)
    assert roles[-1] == "public"
    assert all(s["email"] for s in people)


def test_the_sidecar_validates_against_its_schema_and_matches_the_files(
    package: Path, flagship: Agreement
) -> None:
    from lxml import etree

    xml = (package / "archive-sidecar.xml").read_bytes()
    validate_sidecar(xml)
    ns = {"s": "urn:iopdocs:archive-sidecar:1"}
    root = etree.fromstring(xml)
    assert root.findtext("s:case/s:caseNumber", namespaces=ns) == "KUN 2024-00123"
    numbers = root.xpath("//s:agent/s:organisationNumber/text()", namespaces=ns)
    assert numbers == [p.org_number for p in flagship.parties]
    assert root.findtext("s:record/s:dates/s:validTo", namespaces=ns) == "2025-12-31"
    for component in root.iterfind(".//s:component", ns):
        data = (package / component.findtext("s:fileName", namespaces=ns)).read_bytes()
        assert component.findtext("s:checksum", namespaces=ns) == hashlib.sha256(data).hexdigest()


def test_the_electronic_signature_page_lists_signatories_without_ink_lines(
    package: Path, flagship: Agreement
) -> None:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(package / "avtal.pdf").pages)
    assert "undertecknas med elektroniska underskrifter" in text
    assert "Ort och datum" not in text
    assert "____" not in text
    for party in flagship.parties:
        for person in party.signatories:
            assert person.name in text
            assert "@" not in text.split(person.name)[1][:80], "e-mail addresses are not printed"


def test_the_annual_report_package_is_signed_by_the_reporting_party(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "rapport.yaml"
    data.write_text(yaml.safe_dump(FILLED, allow_unicode=True), "utf-8")
    laxhjalp = FLAGSHIP.parent / "laxhjalp-exempelkommunen-2026.yaml"
    code = main(["package", str(laxhjalp), "-o", str(tmp_path / "rapport"), "--report", "2026",
                 "--party", "LF", "--data", str(data)])  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert "has no e-mail address" in err  # a warning, not a failure
    folder = tmp_path / "rapport"
    manifest = json.loads((folder / "signing-manifest.json").read_text("utf-8"))
    assert {s["party"] for s in manifest["signatories"]} == {"LF"}
    assert [d["file"] for d in manifest["documents"]] == ["arsberattelse-2026-LF.pdf"]
    assert {a["file"] for a in manifest["attachments"]} == {
        "iopdocs-agreement.json",
        "iopdocs-report.json",
    }
    validate_sidecar((folder / "archive-sidecar.xml").read_bytes())
    assert b"<reportYear>2026</reportYear>" in (folder / "archive-sidecar.xml").read_bytes()


def test_a_drafts_package_is_written_with_a_warning_that_it_is_not_for_signing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], minimal_data: dict[str, Any]
) -> None:
    assert "status" not in minimal_data["metadata"]  # a draft unless it says final
    source = tmp_path / "avtal.yaml"
    source.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), "utf-8")
    assert main(["package", str(source), "-o", str(tmp_path / "paket")]) == 0
    assert "the agreement is a draft" in capsys.readouterr().err
    manifest = json.loads((tmp_path / "paket" / "signing-manifest.json").read_text("utf-8"))
    assert manifest["status"] == "draft"


def test_an_appendix_that_is_neither_pdf_nor_docx_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], minimal_data: dict[str, Any]
) -> None:
    minimal_data["appendices"] = ["Budget"]
    source = tmp_path / "avtal.yaml"
    source.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), "utf-8")
    budget = tmp_path / "budget.txt"
    budget.write_text("inte en PDF", "utf-8")
    code = main(["package", str(source), "-o", str(tmp_path / "paket"), "--appendix", str(budget)])
    assert code == 2
    assert "neither a PDF nor a .docx" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["avtal.yaml", "budget.txt"]


def test_a_folder_that_is_not_empty_is_refused_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "paket"
    folder.mkdir()
    (folder / "annat.txt").write_text("redan här", "utf-8")
    assert main(["package", str(FLAGSHIP), "-o", str(folder)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["annat.txt"]


def test_a_docx_appendix_is_joined_with_its_tags_and_the_package_stays_pdfua(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], minimal_data: dict[str, Any]
) -> None:
    """A .docx appendix is tagged by LibreOffice and its structure tree is joined to the
    contract's (as a Part under the document), so the whole package passes the PDF/UA checker
    and claims PDF/UA."""
    from pdfua import validate

    from iopdocs import render_contract
    from iopdocs.pdf.xmp import claims_pdfua

    minimal_data["appendices"] = ["Verksamhetsplan"]
    source = tmp_path / "avtal.yaml"
    source.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), "utf-8")
    appendix = render_contract(Agreement.model_validate(minimal_data), tmp_path / "plan.docx")
    folder = tmp_path / "paket"
    assert main(["package", str(source), "-o", str(folder), "--appendix", str(appendix)]) == 0
    assert "PDF/UA" not in capsys.readouterr().err
    pdf = folder / "avtal.pdf"
    assert claims_pdfua(pdf.read_bytes())
    report = validate(str(pdf))
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
    manifest = json.loads((folder / "signing-manifest.json").read_text("utf-8"))
    assert (manifest["documents"][0]["pdfa"], manifest["documents"][0]["pdfua"]) == ("3b", 1)


def test_an_untagged_pdf_appendix_leaves_the_package_without_a_pdfua_claim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], minimal_data: dict[str, Any]
) -> None:
    """A PDF appendix without tags (a scan) cannot be read by a screen reader: the package is
    still PDF/A, claims no PDF/UA, and the warning names the untagged pages."""
    from pypdf import PdfWriter

    from iopdocs.pdf.xmp import claims_pdfua

    minimal_data["appendices"] = ["Budget"]
    source = tmp_path / "avtal.yaml"
    source.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), "utf-8")
    scan = PdfWriter()
    scan.add_blank_page(width=595, height=842)
    scan.add_blank_page(width=595, height=842)
    scan.write(tmp_path / "budget.pdf")
    folder = tmp_path / "paket"
    code = main(["package", str(source), "-o", str(folder), "--appendix",
                 str(tmp_path / "budget.pdf")])  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert "does not claim PDF/UA: pages" in err
    assert "(Bilaga 2 – Budget)" in err
    assert not claims_pdfua((folder / "avtal.pdf").read_bytes())
    manifest = json.loads((folder / "signing-manifest.json").read_text("utf-8"))
    assert manifest["documents"][0]["pdfua"] is None
