"""The review appendix (Granskningsunderlag) and the optional clauses a review asks for."""

from __future__ import annotations

import copy
import io
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from iopdocs import (
    Agreement,
    ReviewError,
    Severity,
    load_agreement,
    render_contract,
    render_review,
    review,
)
from iopdocs.documents.passages import contract_passages
from tests.conftest import FLAGSHIP, MINIMAL, ROOT, compact, docx_text

LAXHJALP = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"


@pytest.fixture(scope="module")
def flagship_review() -> bytes:
    return render_review(load_agreement(FLAGSHIP))


def _troubled() -> Agreement:
    """An agreement with an error, a warning with a quote, and an info."""
    data: dict[str, Any] = copy.deepcopy(MINIMAL)
    data["contributions"][1]["money"][0]["stated_total"] = "200 000"
    data["mission"]["text"] = "Utföraren ordnar läxhjälp. Den pågår två kvällar i veckan."
    return Agreement.model_validate(data)


def test_the_golden_review_appendix_of_the_flagship_is_unchanged(flagship_review: bytes) -> None:
    """Refresh after a deliberate change with ``IOPDOCS_UPDATE_GOLDEN=1 make test``."""
    text = docx_text(flagship_review).replace("\u00a0", "\u2423nbsp\u2423")
    text = "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"
    golden = ROOT / "tests" / "golden" / "review-vgr-social-ekonomi-2024.txt"
    if os.environ.get("IOPDOCS_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_review_appendix_is_deterministic(flagship_review: bytes) -> None:
    assert render_review(load_agreement(FLAGSHIP)) == flagship_review


def test_findings_are_grouped_by_severity_with_field_quote_and_source() -> None:
    agreement = _troubled()
    data = render_review(agreement)
    document = Document(io.BytesIO(data))
    groups = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert groups == ["Fel", "Varningar", "Upplysningar", "Kontroller utan anmärkning"]
    text = compact(docx_text(data))
    assert (
        "Fält: Bidrag från nr 2 › Medelsrad ”nr 1” › Angiven summa för avtalsperioden "
        "(contributions[1].money[0].stated_total)" in text
    )
    assert "”Utföraren ordnar läxhjälp.”" in text
    assert "Förslag: Parterna är jämbördiga" in text
    assert "Källa: Upphandlingsmyndigheten" in text
    assert "Diarienummer: SN 2025/0042" in text
    count = Counter(f.severity for f in review(agreement, passages=contract_passages(agreement)))
    assert (
        f"{count[Severity.ERROR]} fel, {count[Severity.WARNING]} varningar och "
        f"{count[Severity.INFO]} upplysningar." in text
    )


def test_every_check_is_either_reported_or_listed_as_passed() -> None:
    agreement = _troubled()
    findings = review(agreement, passages=contract_passages(agreement))
    text = compact(docx_text(render_review(agreement)))
    from iopdocs.reviewing import CHECKS

    for check in CHECKS:
        assert check.title in text
    passed_table = text.split("Kontroller utan anmärkning", 1)[1]
    for code in {f.code for f in findings}:
        assert code not in passed_table


def test_the_appendix_is_dated_with_the_agreement_not_today(flagship_review: bytes) -> None:
    assert "daterat den 1 augusti 2024" in compact(docx_text(flagship_review))


def test_bad_review_options_write_nothing(tmp_path: Path) -> None:
    target = tmp_path / "granskning.docx"
    with pytest.raises(ReviewError):
        render_review(load_agreement(FLAGSHIP), target, sgei=["VGR"])
    assert not target.exists()


def test_the_sgei_parties_and_rate_are_stated() -> None:
    text = compact(
        docx_text(render_review(load_agreement(FLAGSHIP), eur_rate="11.25", sgei=["GSE"]))
    )
    assert "11,25 kronor per euro" in text
    assert "Göteborgsregionens sociala ekonomi har angetts som tjänst" in text


# --- The optional clauses in the contract ---------------------------------------------------------


@pytest.fixture(scope="module")
def laxhjalp_contract() -> str:
    return compact(docx_text(render_contract(load_agreement(LAXHJALP))))


@pytest.mark.parametrize(
    "clause",
    [
        "Varje part får häva avtalet med omedelbar verkan i förhållande till en part",
        "Partnerskapet omfattar inte: undervisning som enligt skollagen är skolans ansvar",
        "Varje part är personuppgiftsansvarig",
        "Parterna ska inte obehörigt röja uppgifter",
        "Den idéburna parten ska på begäran lämna den offentliga parten de uppgifter",
        "Varje part ansvarar för att ha de försäkringar",
    ],
)
def test_an_optional_clause_is_in_the_contract_when_asked_for(
    laxhjalp_contract: str, clause: str
) -> None:
    assert clause in laxhjalp_contract


def test_optional_clauses_are_absent_by_default() -> None:
    text = compact(docx_text(render_contract(Agreement.model_validate(MINIMAL))))
    for word in ("omfattar inte:", "personuppgift", "röja", "insyn i den", "försäkring"):
        assert word not in text


def test_with_several_parties_leaving_ends_the_agreement_for_that_party_only() -> None:
    data: dict[str, Any] = copy.deepcopy(MINIMAL)
    third = copy.deepcopy(data["parties"][1])
    third.update({"name": "Studieförbundet", "short_name": "SF", "org_number": "802469-9889"})
    data["parties"].append(third)
    data["contributions"][0]["parties"] = ["LF", "SF"]
    data["conditions"] = {"termination_for_cause": True}
    text = compact(docx_text(render_contract(Agreement.model_validate(data))))
    assert "upphör avtalet endast mellan den parten och övriga parter" in text
    assert "Mellan övriga parter fortsätter avtalet att gälla, utom när det är EK" in text
