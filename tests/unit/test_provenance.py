"""Every DOCX carries the data it was rendered from; extract reads it back, verify re-renders.

The documents are edited the way a user's tools would: python-docx for paragraphs and table
cells, raw XML for a tracked insertion Word would write.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

import iopdocs
from iopdocs import (
    Agreement,
    AnnualReport,
    NoProvenanceError,
    ProvenanceError,
    TemplateMismatchError,
    extract,
    load_agreement,
    render_annual_report,
    render_contract,
    render_review,
    review,
    verify,
)
from iopdocs.documents import template_path
from iopdocs.provenance import ReviewRecord, read_provenance
from iopdocs.record import agreement_json, report_json, review_json, sha256
from iopdocs.reviewing import CHECKS, Note, Severity, Subject, check, review_options
from iopdocs.word.customxml import PROVENANCE_NS, embed_provenance
from tests.conftest import ROOT
from tests.unit.test_annual_report import FILLED, LAXHJALP
from tests.unit.test_render import own_template

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def contract(flagship: Agreement) -> bytes:
    return render_contract(flagship)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def saved(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
TEMPLATE_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Diarieplan">'
    b"<vt:lpwstr>3.1.2</vt:lpwstr></property></Properties>"
)


def custom_properties(data: bytes) -> dict[str, str]:
    """docProps/custom.xml as name -> text, read the way any OOXML reader would."""
    root = etree.fromstring(parts(data)["docProps/custom.xml"])
    pids = [int(p.get("pid")) for p in root.iter(f"{CUSTOM}property")]
    assert pids == list(range(2, 2 + len(pids)))  # Word's numbering: unique, from 2
    return {p.get("name"): p[0].text or "" for p in root.iter(f"{CUSTOM}property")}


# --- what a document carries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "example", ["vgr-social-ekonomi-2024.yaml", "laxhjalp-exempelkommunen-2026.yaml"]
)
def test_extract_gives_back_the_agreement_a_contract_was_rendered_from(example: str) -> None:
    agreement = load_agreement(ROOT / "examples" / example)
    assert extract(render_contract(agreement)) == agreement


def test_extract_reads_a_path_as_well_as_bytes(flagship: Agreement, tmp_path: Path) -> None:
    path = render_contract(flagship, tmp_path / "avtal.docx")
    assert extract(path) == extract(str(path)) == flagship


def test_the_data_sits_in_a_custom_xml_part_the_way_word_stores_one(
    contract: bytes, flagship: Agreement
) -> None:
    entries = parts(contract)
    item = next(n for n in entries if n.startswith("customXml/item") and b"iopdocs" in entries[n])
    number = re.search(r"\d+", item)
    assert number is not None
    root = etree.fromstring(entries[item])
    assert root.tag == f"{{{PROVENANCE_NS}}}provenance"
    assert json.loads(root[0].text) == json.loads(agreement_json(flagship))
    props = etree.fromstring(entries[f"customXml/itemProps{number.group()}.xml"])
    assert props.get(f"{{{props.nsmap['ds']}}}itemID").startswith("{")
    assert PROVENANCE_NS.encode() in entries[f"customXml/itemProps{number.group()}.xml"]
    assert b"customXmlProps" in entries[f"customXml/_rels/item{number.group()}.xml.rels"]
    assert f'Target="../{item}"'.encode() in entries["word/_rels/document.xml.rels"]
    types = entries["[Content_Types].xml"]
    assert f'PartName="/customXml/itemProps{number.group()}.xml"'.encode() in types
    assert b'PartName="/docProps/custom.xml"' in types
    assert b"custom-properties" in entries["_rels/.rels"]


def test_the_templates_own_custom_xml_part_is_kept(contract: bytes) -> None:
    """The bundled template has Word's bibliography part as item1; ours comes after it."""
    entries = parts(contract)
    assert b"bibliography" in entries["customXml/item1.xml"]
    assert PROVENANCE_NS.encode() in entries["customXml/item2.xml"]


def test_custom_properties_record_version_template_and_data(
    contract: bytes, flagship: Agreement
) -> None:
    from iopdocs.documents.clauses import packaged_library

    props = custom_properties(contract)
    assert props == {
        "iopdocs.version": iopdocs.__version__,
        "iopdocs.document": "contract",
        "iopdocs.template": "contract.docx",
        "iopdocs.templateSha256": sha256(template_path("contract.docx").read_bytes()),
        "iopdocs.dataSha256": sha256(agreement_json(flagship)),
        "iopdocs.locale": "sv_SE",
        "iopdocs.clausesSha256": packaged_library().sha256,
    }


def test_an_annual_report_records_year_party_and_its_filled_in_data() -> None:
    agreement = load_agreement(LAXHJALP)
    report = AnnualReport.model_validate(FILLED)
    data = render_annual_report(agreement, 2026, party="LF", report=report)
    record = read_provenance(data)
    assert (record.document, record.year, record.party) == ("annual_report", 2026, "LF")
    assert record.agreement == agreement
    assert record.report == report
    props = custom_properties(data)
    assert props["iopdocs.reportYear"] == "2026"
    assert props["iopdocs.reportDataSha256"] == sha256(report_json(report))
    assert props["iopdocs.template"] == "annual_report.docx"


def test_a_skeleton_report_records_no_report_data(flagship: Agreement) -> None:
    record = read_provenance(render_annual_report(flagship, 2024, party="GSE"))
    assert (record.year, record.party, record.report) == (2024, "GSE", None)
    assert verify(render_annual_report(flagship, 2024, party="GSE")).unchanged


def test_a_review_appendix_records_the_draft_it_reviewed_and_its_findings(
    flagship: Agreement,
) -> None:
    findings = review(flagship, eur_rate="11.25", sgei=["GSE"])
    data = render_review(flagship, eur_rate="11.25", sgei=["GSE"])
    assert extract(data) == flagship
    record = read_provenance(data)
    assert record.document == "review"
    assert record.review == ReviewRecord(findings=tuple(findings), eur_rate="11.25", sgei=("GSE",))
    props = custom_properties(data)
    assert props["iopdocs.template"] == "review.docx"
    options = review_options(flagship, eur_rate="11.25", sgei=["GSE"])
    assert props["iopdocs.reviewDataSha256"] == sha256(review_json(findings, options))


def test_an_edited_review_appendix_is_caught(flagship: Agreement) -> None:
    data = render_review(flagship)
    assert verify(data).unchanged
    document = Document(io.BytesIO(data))
    summary = next(p for p in document.paragraphs if p.text.startswith("Sammanfattning:"))
    for run in summary.runs:
        run.text = run.text.replace("0 fel", "inga fel")
    [change] = verify(saved(document)).changes
    assert (change.expected or "").startswith("Sammanfattning: 0 fel,")
    assert (change.actual or "").startswith("Sammanfattning: inga fel,")


def test_a_review_with_a_rule_of_ones_own_verifies_from_the_findings_it_carries(
    flagship: Agreement,
) -> None:
    # verify cannot run a rule it does not know; it re-renders the findings the appendix lists.
    @check("house_rule", "Egen rutin", "Kommunens rutin för avtal")
    def house_rule(subject: Subject) -> list[Note]:
        return [Note(Severity.WARNING, "metadata.title", "Titeln ska godkännas av kansliet.")]

    findings = review(flagship, checks=(*CHECKS, house_rule))
    data = render_review(flagship, findings=findings)
    record = read_provenance(data)
    assert record.review is not None
    assert "house_rule" in {f.code for f in record.review.findings}
    assert verify(data).unchanged


def test_a_review_appendix_without_its_findings_extracts_but_does_not_verify(
    flagship: Agreement,
) -> None:
    stripped = embed_provenance(
        render_review(flagship),
        {"agreement": agreement_json(flagship)},
        {"document": "review", "template": "review.docx"},
    )
    assert extract(stripped) == flagship
    with pytest.raises(ProvenanceError, match="carries no findings"):
        verify(stripped)


def test_unreadable_review_data_is_a_provenance_error(flagship: Agreement) -> None:
    entries = parts(render_review(flagship))
    [item] = [name for name, content in entries.items() if b'"findings"' in content]
    entries[item] = entries[item].replace(b'"findings"', b'"fynd"', 1)
    with pytest.raises(ProvenanceError, match="review data it carries is unreadable"):
        read_provenance(rezip(entries))


def test_the_templates_own_custom_properties_are_kept(flagship: Agreement) -> None:
    entries = parts(own_template("{{ agreement.metadata.title }}"))
    entries["docProps/custom.xml"] = TEMPLATE_PROPERTIES
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/docProps/custom.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
    )
    entries["_rels/.rels"] = entries["_rels/.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>',
    )
    data = render_contract(flagship, template=rezip(entries))
    props = custom_properties(data)
    assert props["Diarieplan"] == "3.1.2"
    assert props["iopdocs.template"] == ""  # given as bytes: no file name to record
    assert props["iopdocs.version"] == iopdocs.__version__
    assert parts(data)["_rels/.rels"].count(b"custom-properties") == 1


def test_provenance_already_in_a_template_is_replaced_not_doubled(flagship: Agreement) -> None:
    """A rendered document used as a template keeps one provenance part and one property set."""
    first = render_contract(flagship, template=own_template("{{ agreement.metadata.title }}"))
    second = render_contract(flagship, template=first)
    entries = parts(second)
    ours = [
        n
        for n in entries
        if re.fullmatch(r"customXml/item\d+\.xml", n) and b"iopdocs" in entries[n]
    ]
    assert len(ours) == 1
    assert entries["docProps/custom.xml"].count(b'name="iopdocs.version"') == 1
    assert read_provenance(second).template_sha256 == sha256(first)


def test_python_docx_still_reads_the_document(contract: bytes) -> None:
    document = Document(io.BytesIO(contract))
    assert document.core_properties.title.startswith("Idéburet offentligt partnerskap")
    assert any("Parternas bidrag" in p.text for p in document.paragraphs)


# --- verify --------------------------------------------------------------------------------------


def test_an_untouched_document_verifies(contract: bytes) -> None:
    result = verify(contract)
    assert result.unchanged
    assert result.changes == []
    assert not result.version_differs


def test_a_document_saved_again_by_python_docx_unedited_still_verifies(contract: bytes) -> None:
    assert verify(saved(Document(io.BytesIO(contract)))).unchanged


def test_a_paragraph_edited_with_python_docx_is_caught_and_named(contract: bytes) -> None:
    document = Document(io.BytesIO(contract))
    paragraph = next(p for p in document.paragraphs if "300\xa0000\xa0kr" in p.text)
    before = paragraph.text
    for run in paragraph.runs:
        run.text = run.text.replace("300\xa0000", "400\xa0000")
    result = verify(saved(document))
    assert not result.unchanged
    [change] = result.changes
    assert change.expected == before
    assert change.actual == before.replace("300\xa0000", "400\xa0000")
    assert "Parternas bidrag" in change.where
    assert change.where.startswith("body paragraph ")


def test_an_edited_table_cell_is_caught(contract: bytes) -> None:
    document = Document(io.BytesIO(contract))
    cell = next(
        c for t in document.tables for row in t.rows for c in row.cells if c.text == "Pia Svanqvist"
    )
    cell.paragraphs[0].runs[0].text = "Per Svanqvist"
    [change] = verify(saved(document)).changes
    assert (change.expected, change.actual) == ("Pia Svanqvist", "Per Svanqvist")


def test_an_edited_header_is_caught(contract: bytes) -> None:
    document = Document(io.BytesIO(contract))
    header = document.sections[0].header.paragraphs[0]
    header.runs[0].text = "Ett annat avtal"
    [change] = verify(saved(document)).changes
    assert change.actual is not None
    assert change.actual.startswith("Ett annat avtal")
    assert change.where.startswith("header paragraph 1")


def test_a_deleted_paragraph_is_reported_missing(contract: bytes) -> None:
    document = Document(io.BytesIO(contract))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Partnerskapsbidrag"))
    text = paragraph.text
    paragraph._p.getparent().remove(paragraph._p)
    [change] = verify(saved(document)).changes
    assert (change.expected, change.actual) == (text, None)
    assert change.where.startswith("missing after body paragraph")


def test_a_tracked_insertion_counts_although_python_docx_cannot_see_it(contract: bytes) -> None:
    entries = parts(contract)
    xml = entries["word/document.xml"].decode("utf-8")
    insertion = (
        '<w:ins w:id="901" w:author="Okänd" w:date="2024-09-01T00:00:00Z">'
        '<w:r><w:t xml:space="preserve"> och en bonus</w:t></w:r></w:ins>'
    )
    end_of_run = xml.index("</w:r>", xml.index("huvudsak lönekostnader.")) + len("</w:r>")
    xml = xml[:end_of_run] + insertion + xml[end_of_run:]
    entries["word/document.xml"] = xml.encode("utf-8")
    edited = rezip(entries)
    visible = [p.text for p in Document(io.BytesIO(edited)).paragraphs]
    assert not any("bonus" in text for text in visible)  # python-docx skips w:ins runs
    [change] = verify(edited).changes
    assert change.actual is not None
    assert change.expected is not None
    assert change.actual.startswith(change.expected)
    assert " och en bonus" in change.actual


def test_changed_embedded_data_is_reported(contract: bytes) -> None:
    entries = parts(contract)
    item = "customXml/item2.xml"
    entries[item] = entries[item].replace(b'"title": "Id', b'"title": "Nytt id', 1)
    result = verify(rezip(entries))
    assert not result.provenance.data_intact
    assert not result.unchanged


def test_a_different_library_version_is_reported(contract: bytes, flagship: Agreement) -> None:
    older = embed_provenance(
        contract, {"agreement": agreement_json(flagship)}, {"version": "0.0.9"}
    )
    result = verify(older)
    assert result.provenance.library_version == "0.0.9"
    assert result.version_differs
    assert result.unchanged


def test_a_document_without_data_raises_no_provenance_error() -> None:
    plain = own_template("Ett avtal skrivet för hand.")
    with pytest.raises(NoProvenanceError, match="carries no iopdocs agreement data"):
        verify(plain)
    with pytest.raises(NoProvenanceError):
        extract(template_path("contract.docx"))


def test_a_document_rendered_with_another_template_needs_that_template(
    flagship: Agreement, tmp_path: Path
) -> None:
    template = tmp_path / "egen.docx"
    template.write_bytes(own_template("Avtal: {{ agreement.metadata.title }}"))
    data = render_contract(flagship, template=template)
    with pytest.raises(TemplateMismatchError, match=r"'egen\.docx' \(SHA-256 [0-9a-f]{64}\)"):
        verify(data)
    with pytest.raises(TemplateMismatchError, match="not the same file"):
        verify(data, template=template_path("contract.docx"))
    assert verify(data, template=template).unchanged


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a document at all", "neither a Word document"), (b"PK\x03\x04broken", "not a Word")],
)
def test_input_that_is_no_document_is_a_provenance_error(content: bytes, message: str) -> None:
    with pytest.raises(ProvenanceError, match=message):
        extract(content)


def test_a_missing_file_is_a_provenance_error(tmp_path: Path) -> None:
    with pytest.raises(ProvenanceError, match="no such file"):
        verify(tmp_path / "saknas.docx")


def test_the_provenance_step_keeps_rendering_deterministic(
    make_agreement: Callable[..., Agreement],
) -> None:
    agreement = make_agreement()
    assert render_contract(agreement) == render_contract(agreement)
