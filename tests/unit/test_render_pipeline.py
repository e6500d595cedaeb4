"""A contract is rendered, watermarked and given its provenance in memory and zipped once, with
the same bytes as the three steps done one after another on finished documents."""

from __future__ import annotations

import pytest

from iopdocs import Agreement, load_agreement, render_contract
from iopdocs.documents import _core_properties, template_environment
from iopdocs.documents.clauses import load_library
from iopdocs.documents.context import contract_context
from iopdocs.documents.formats import formats_for
from iopdocs.documents.templates import CONTRACT_TEMPLATE, load_template
from iopdocs.record import provenance_record
from iopdocs.schedule import payment_schedule
from iopdocs.word import package
from iopdocs.word.customxml import embed_provenance
from iopdocs.word.docx import render_docx
from iopdocs.word.watermark import add_draft_watermark
from tests.conftest import FLAGSHIP, ROOT

DRAFT = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"


def step_by_step(agreement: Agreement) -> bytes:
    """The contract as three passes over finished .docx bytes, as it was made before."""
    source = load_template(None, CONTRACT_TEMPLATE)
    context = contract_context(agreement, payment_schedule(agreement), formats_for("sv_SE"))
    data = render_docx(
        source,
        context,
        template_environment(None),
        properties=_core_properties(agreement),
        timestamp=agreement.document_date,
    )
    if context["doc"]["draft"]:
        data = add_draft_watermark(data, agreement.document_date)
    blobs, properties = provenance_record(
        agreement,
        document="contract",
        template=CONTRACT_TEMPLATE,
        template_bytes=source,
        locale="sv_SE",
        year=None,
        party=None,
        report=None,
        review=None,
        clauses=load_library(None).source,
    )
    return embed_provenance(data, blobs, properties)


@pytest.mark.parametrize("path", [FLAGSHIP, DRAFT], ids=["final", "draft"])
def test_a_contract_is_zipped_once_and_equals_the_step_by_step_result(
    path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreement = load_agreement(path)  # type: ignore[arg-type]
    expected = step_by_step(agreement)
    writes: list[int] = []
    original = package.write_zip
    monkeypatch.setattr(package, "write_zip", lambda *args: writes.append(1) or original(*args))
    assert render_contract(agreement) == expected
    assert len(writes) == 1
