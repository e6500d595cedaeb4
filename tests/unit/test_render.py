"""Rendering contracts: every section and fact, safe text, vanishing sections, determinism."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from iopdocs import Agreement, TemplateError, TemplateSyntaxError, render_contract
from tests.conftest import FLAGSHIP, ROOT, compact, docx_text

SECTIONS = [
    "Gemensam samhällsutmaning",
    "Bakgrund",
    "Syfte och mervärde",
    "IOP som samverkansform",
    "Parter",
    "Tidsperiod och villkor för partnerskapet",
    "Värdegrund för partnerskapet",
    "Målgrupp",
    "Uppdrag inom IOP:t",
    "Samverkan",
    "Verksamhetsansvar",
    "Parternas bidrag",
    "Utbetalning av bidraget",
    "Avvikelser",
    "Uppföljning och utvärdering",
    "Kontaktpersoner",
    "Statligt stöd",
    "Övriga bestämmelser",
    "Bilagor",
    "Underskrifter",
]


@pytest.fixture(scope="module")
def flagship_docx() -> bytes:
    from iopdocs import load_agreement

    return render_contract(load_agreement(FLAGSHIP))


@pytest.fixture(scope="module")
def flagship_text(flagship_docx: bytes) -> str:
    return docx_text(flagship_docx)


def headings(data: bytes, style: str = "Heading 1") -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.style.name == style]


def test_every_section_is_a_numbered_heading_in_the_order_of_the_reference_contract(
    flagship_docx: bytes,
) -> None:
    assert headings(flagship_docx) == SECTIONS
    heading = Document(io.BytesIO(flagship_docx)).styles["Heading 1"]
    assert heading.element.pPr.numPr is not None  # real Word numbering, so it renumbers itself


def test_every_fact_of_the_reference_contract_is_in_the_text(flagship_text: str) -> None:
    text = flagship_text
    for fact in [
        "Västra Götalandsregionen genom kulturnämnden (VGR)",
        "Göteborgsregionens sociala ekonomi (GSE)",
        "Sociala ekonomins nätverk Skaraborg (SENS)",
        "Social Ekonomi Sjuhärad (SES)",
        "(SEF)",
        "organisationsnummer 232100-0131",
        "organisationsnummer 769607-4496",
        "organisationsnummer 802418-4734",
        "organisationsnummer 802469-9889",
        "organisationsnummer 802473-5832",
        "från och med den 1 augusti 2024 till och med den 31 december 2025",
        # a period is held on one line by no-break spaces (iopdocs.word.fixes)
        "2024-08-01\u00a0\u2013\u00a02025-12-31",
        "har för avsikt att fortsätta partnerskapet",
        "Ingen part kan därför åläggas vite",
        "rätt att begära att avtalet omförhandlas",
        "uppsägningstid om sex månader",
        "minst fyra gånger under verksamhetsåret",
        "varav två under våren och två under hösten",
        "växlar mellan parterna",
        "upp till 300\u00a0000\u00a0kr per tolvmånadersperiod",
        "till var och en av GSE, SENS, SES och SEF",
        "i huvudsak lönekostnader",
        "månadsvis med en tolftedel av årsbeloppet",
        "på grundval av beslutat underlag",
        "Kulturförvaltningen, Västra Götalandsregionen senast den 15 februari",
        "Sociala ekonomins råd i Västra Götaland",
    ]:
        assert fact in text, fact
    for person in ["Anne Svensson", "Pia Svanqvist", "Jan-Ola Nolin", "Marie Petterson",
                   "Helena Dahlström", "Alex Bergström"]:  # fmt: skip
        assert person in text, person


def test_one_signature_block_per_signatory(flagship_text: str, flagship: Agreement) -> None:
    signatories = [(p, s) for p in flagship.parties for s in p.signatories]
    assert flagship_text.count("Ort och datum:") == len(signatories) == 5
    for party, signatory in signatories:
        block = flagship_text.split(f"För {party.name}")[1]
        assert signatory.name in block.split("Ort och datum:")[1].split("För ")[0]
        assert signatory.title in block


def test_signature_blocks_stand_side_by_side_and_never_split(flagship_docx: bytes) -> None:
    """The blocks are paragraphs in a section of two columns (not a table, which a screen reader
    would take for data); each block's lines keep together, the last two blocks keep together,
    and the signing sentence keeps with the first block. (The PDF's pages are checked in
    tests/integration/test_layout.py.)"""
    document = Document(io.BytesIO(flagship_docx))
    assert not [t for t in document.tables if "Ort och datum" in t._tbl.xml]
    paragraphs = document.paragraphs
    blocks = [p for p in paragraphs if p.style.name.startswith("Signature Block")]
    ends = [p for p in blocks if p.style.name == "Signature Block End" and p.text]
    assert len(ends) == 5 - 1  # the last but one block keeps with the last
    for para in blocks:
        own = para.paragraph_format.keep_with_next
        keeps = own if own is not None else para.style.paragraph_format.keep_with_next
        assert bool(keeps) == (para not in ends and para.text != "")
    columns = [s._sectPr.find(qn("w:cols")) for s in document.sections]
    assert [c.get(qn("w:num")) for c in columns if c is not None].count("2") == 1
    sentence = next(p for p in paragraphs if p.style.name == "Signing Text")
    assert sentence.style.paragraph_format.keep_with_next


def test_page_is_a4_in_swedish_with_header_and_page_numbers(flagship_docx: bytes) -> None:
    document = Document(io.BytesIO(flagship_docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    styles = zipfile.ZipFile(io.BytesIO(flagship_docx)).read("word/styles.xml").decode()
    assert 'w:val="sv-SE"' in styles
    footer = zipfile.ZipFile(io.BytesIO(flagship_docx)).read("word/footer1.xml").decode()
    assert "Sida " in footer
    assert " PAGE " in footer
    assert " NUMPAGES " in footer
    header = section.header.paragraphs[0].text
    assert header.startswith("Idéburet offentligt partnerskap")


def test_core_properties_come_from_the_agreement(flagship_docx: bytes, flagship: Agreement) -> None:
    props = Document(io.BytesIO(flagship_docx)).core_properties
    assert props.title == flagship.metadata.title
    assert props.language == "sv-SE"
    assert props.author == "Västra Götalandsregionen"
    assert props.created is not None
    assert props.created.date() == flagship.document_date
    assert props.modified == props.created
    assert props.content_status == "Slutlig"
    core = zipfile.ZipFile(io.BytesIO(flagship_docx)).read("docProps/core.xml").decode()
    assert core.count("<cp:keywords>") == 1  # docxcompose's namespace bug would duplicate it


def test_two_renders_are_byte_identical(flagship_docx: bytes, flagship: Agreement) -> None:
    assert render_contract(flagship) == flagship_docx


def test_a_render_in_another_process_is_byte_identical(
    flagship_docx: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "avtal.docx"
    code = (
        "import sys, iopdocs; "
        "iopdocs.render_contract(iopdocs.load_agreement(sys.argv[1]), sys.argv[2])"
    )
    subprocess.run([sys.executable, "-c", code, str(FLAGSHIP), str(out)], check=True)
    assert out.read_bytes() == flagship_docx


def test_the_golden_rendering_is_unchanged(flagship_text: str) -> None:
    """A reviewer reads changes to the contract's wording in the diff of this file.

    After a deliberate change, refresh it with ``IOPDOCS_UPDATE_GOLDEN=1 make test``.
    """
    import os

    golden = ROOT / "tests" / "golden" / "contract-vgr-social-ekonomi-2024.txt"
    rendered = flagship_text.replace("\u00a0", "\u2423nbsp\u2423") + "\n"
    rendered = "\n".join(line.rstrip() for line in rendered.splitlines()) + "\n"
    if os.environ.get("IOPDOCS_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


class TestTextComesOutLiterally:
    NASTY = 'Smith & Söner <AB> "citat" {{ 7*7 }} {% if x %}'

    def test_markup_and_template_syntax_in_values(self, minimal_data: dict[str, Any]) -> None:
        minimal_data["parties"][1]["name"] = self.NASTY
        minimal_data["target_group"] = self.NASTY
        minimal_data["metadata"]["title"] = "Avtal & <villkor>"
        text = docx_text(render_contract(Agreement.model_validate(minimal_data)))
        assert text.count(self.NASTY) >= 4  # parties, target group, contacts, signatures
        assert "49" not in text
        assert "Avtal & <villkor>" in text

    def test_no_template_tag_survives_a_render(self, flagship_text: str) -> None:
        for marker in ("{{", "}}", "{%", "%}"):
            assert marker not in flagship_text


class TestOptionalSectionsVanishCleanly:
    def render(self, agreement: Agreement) -> tuple[list[str], str]:
        data = render_contract(agreement)
        return headings(data), docx_text(data)

    def test_a_minimal_agreement(self, make_agreement: Callable[..., Agreement]) -> None:
        found, text = self.render(
            make_agreement(final_provisions={"amendments_in_writing": False, "disputes": False})
        )
        for absent in ("Bakgrund", "Samverkan", "Statligt stöd"):
            assert absent not in found
        assert "Utbetalning av bidraget" in found
        assert "\n\n\n\n\n" not in text.split("Underskrifter")[0]  # no stray empty paragraphs

    def test_no_money_means_no_payment_section(self, minimal_data: dict[str, Any]) -> None:
        minimal_data["contributions"][1].pop("money")
        found, text = self.render(Agreement.model_validate(minimal_data))
        assert "Utbetalning av bidraget" not in found
        assert "\u00a0kr" not in text

    def test_no_deviation_clause(self, make_agreement: Callable[..., Agreement]) -> None:
        found, _ = self.render(make_agreement(deviations={"joint_approval": False}))
        assert "Avvikelser" not in found

    def test_numbering_follows_the_sections_that_remain(
        self, make_agreement: Callable[..., Agreement]
    ) -> None:
        found, _ = self.render(make_agreement())
        assert found[:4] == [
            "Gemensam samhällsutmaning", "Syfte och mervärde", "IOP som samverkansform", "Parter",
        ]  # fmt: skip


def test_a_draft_says_utkast_and_a_final_does_not(make_agreement: Callable[..., Agreement]) -> None:
    draft = docx_text(render_contract(make_agreement()))
    assert "UTKAST" in draft
    assert "Dnr SN 2025/0042" in draft
    final = docx_text(
        render_contract(make_agreement(metadata={"title": "Avtal", "status": "final"}))
    )
    assert "UTKAST" not in final


def test_writing_to_a_path_returns_the_path(flagship: Agreement, tmp_path: Path) -> None:
    target = tmp_path / "avtal.docx"
    assert render_contract(flagship, target) == target
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["avtal.docx"]  # no temporary file left


def own_template(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_your_own_template(flagship: Agreement, tmp_path: Path) -> None:
    path = tmp_path / "egen.docx"
    path.write_bytes(
        own_template("{{ agreement.metadata.title }} – {{ doc.parties|length }} parter")
    )
    text = docx_text(render_contract(flagship, template=path))
    assert f"{flagship.metadata.title} – 5 parter" in text


@pytest.mark.parametrize(
    ("template", "error", "message"),
    [
        (own_template("{{ agreement.metadata.titel }}"), TemplateError, "titel"),
        (own_template("{% if agreement %}never closed"), TemplateSyntaxError, "syntax"),
        (b"not a zip file", TemplateError, "not a Word document"),
    ],
)
def test_a_broken_template_is_an_error_and_writes_nothing(
    flagship: Agreement, tmp_path: Path, template: bytes, error: type[Exception], message: str
) -> None:
    target = tmp_path / "avtal.docx"
    with pytest.raises(error, match=message) as info:
        render_contract(flagship, target, template=template)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    if error is not TemplateError or message != "not a Word document":
        assert info.value.__cause__ is not None  # the foreign error is kept


def test_the_bundled_templates_match_their_source() -> None:
    """templates/*.docx are built by templates/build.py; `make templates` rebuilds them."""
    sys.path.insert(0, str(ROOT / "templates"))
    try:
        import build  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    assert set(build.TEMPLATES) == {"contract.docx", "annual_report.docx", "review.docx"}
    for name, make in build.TEMPLATES.items():
        assert make() == (ROOT / "templates" / name).read_bytes(), name


def test_every_text_of_the_flagship_is_in_the_contract(
    flagship_text: str, flagship: Agreement
) -> None:
    text = compact(flagship_text)
    for prose in (flagship.challenge, flagship.purpose, flagship.target_group):
        for line in prose.splitlines():
            line = line.strip().removeprefix("- ")
            if line:
                assert compact(line) in text


def test_the_payment_schedule_appendix(flagship_docx: bytes, flagship_text: str) -> None:
    document = Document(io.BytesIO(flagship_docx))
    appendix = [p for p in document.paragraphs if p.style.name == "Appendix Heading"]
    assert [p.text for p in appendix] == ["Bilaga 1 – Utbetalningsplan"]
    assert appendix[0].paragraph_format.page_break_before
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Datum"]
    assert len(table.rows) == 1 + 68  # a header and 17 instalments to each of four platforms
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None  # repeated on every page
    widths = {col.get(qn("w:w")) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))}
    assert len(widths) > 1  # the template's column widths survive docxtpl
    tail = flagship_text.split("Summa per mottagare")[1]
    assert "425\u00a0000\u00a0kr" in tail
    assert "1\u00a0700\u00a0000\u00a0kr" in tail


def test_no_money_means_no_appendix(minimal_data: dict[str, Any]) -> None:
    minimal_data["contributions"][1].pop("money")
    data = render_contract(Agreement.model_validate(minimal_data))
    assert "Bilaga" not in docx_text(data)


def test_amounts_in_words(make_agreement: Callable[..., Agreement]) -> None:
    text = docx_text(render_contract(make_agreement(payment={"amounts_in_words": True})))
    assert "120\u00a0000\u00a0kr (etthundratjugotusen kronor) per tolvmånadersperiod" in text
