"""Drafts are unmistakable: a draft contract's Word file carries the UTKAST watermark in every
page header; a final contract and an annual report carry none. Appendices are listed in the
contract from the agreement's data."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from docx import Document

from iopdocs import Agreement, Status, render_annual_report, render_contract
from iopdocs.word.watermark import DRAFT_WATERMARK, add_draft_watermark, has_draft_watermark
from tests.conftest import compact, docx_text


def headers(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if re.fullmatch(r"word/header\d*\.xml", name)
        }


def test_a_draft_contract_has_the_word_watermark_shape_in_every_header(
    make_agreement: Callable[..., Agreement],
) -> None:
    data = render_contract(make_agreement())  # status defaults to draft
    assert has_draft_watermark(data)
    parts = headers(data)
    assert parts
    for xml in parts.values():
        assert 'id="PowerPlusWaterMarkObject' in xml
        assert f'string="{DRAFT_WATERMARK}"' in xml
    Document(io.BytesIO(data))  # still a document python-docx (and Word) opens


def test_a_final_contract_has_no_watermark(make_agreement: Callable[..., Agreement]) -> None:
    data = render_contract(make_agreement(metadata={"title": "Läxhjälp", "status": "final"}))
    assert not has_draft_watermark(data)
    assert "UTKAST" not in docx_text(data)


def test_the_watermark_keeps_the_output_deterministic(
    make_agreement: Callable[..., Agreement],
) -> None:
    assert render_contract(make_agreement()) == render_contract(make_agreement())


def test_an_annual_report_is_not_a_contract_and_carries_no_watermark(
    flagship: Agreement,
) -> None:
    draft = flagship.model_copy(
        update={"metadata": flagship.metadata.model_copy(update={"status": Status.DRAFT})}
    )
    assert not has_draft_watermark(render_annual_report(draft, 2024, party="GSE"))


def test_a_document_without_headers_gets_one_for_the_watermark() -> None:
    document = Document()
    document.add_paragraph("Bilaga utan sidhuvud")
    buffer = io.BytesIO()
    document.save(buffer)
    plain = buffer.getvalue()
    assert not headers(plain)
    marked = add_draft_watermark(plain)
    assert has_draft_watermark(marked)
    reopened = Document(io.BytesIO(marked))
    assert reopened.sections[0].header.is_linked_to_previous is False
    assert "Bilaga utan sidhuvud" in docx_text(marked)


def test_appendices_may_be_written_as_titles_and_are_listed_after_the_schedule(
    make_agreement: Callable[..., Agreement],
) -> None:
    agreement = make_agreement(appendices=["Verksamhetsplan", {"title": "Budget 2025"}])
    assert [a.title for a in agreement.appendices] == ["Verksamhetsplan", "Budget 2025"]
    text = compact(docx_text(render_contract(agreement)))
    assert (
        "Följande bilagor hör till avtalet och utgör en del av det: Bilaga 1 – Utbetalningsplan "
        "Bilaga 2 – Verksamhetsplan Bilaga 3 – Budget 2025"
    ) in text


def test_without_money_the_first_own_appendix_is_bilaga_1(
    make_agreement: Callable[..., Agreement],
) -> None:
    agreement = make_agreement(
        contributions=[{"parties": ["LF"], "in_kind": ["Frivilliga"]}], appendices=["Budget"]
    )
    text = compact(docx_text(render_contract(agreement)))
    assert "Bilaga 1 – Budget" in text
    assert "Utbetalningsplan" not in text


def test_a_contract_without_appendices_has_no_appendix_list(
    make_agreement: Callable[..., Agreement],
) -> None:
    agreement = make_agreement(contributions=[{"parties": ["LF"], "in_kind": ["Frivilliga"]}])
    assert "Bilagor" not in docx_text(render_contract(agreement))
