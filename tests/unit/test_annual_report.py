"""Annual-report skeletons and complete reports, prefilled from the agreement."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pydantic import ValidationError

from iopdocs import Agreement, AnnualReport, ReportError, load_agreement, render_annual_report
from tests.conftest import ROOT, compact, docx_text

LAXHJALP = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"
SECTIONS = [
    "Grunduppgifter",
    "Sammanfattning av året",
    "Måluppfyllelse",
    "Målgrupp",
    "Samverkan",
    "Parternas bidrag",
    "Ekonomisk redovisning",
    "Avvikelser",
    "Lärdomar och kommande år",
    "Bilagor",
    "Underskrift",
]


def headings(data: bytes, style: str = "Heading 1") -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.style.name == style]


@pytest.fixture(scope="module")
def laxhjalp() -> Agreement:
    return load_agreement(LAXHJALP)


@pytest.fixture(scope="module")
def skeleton_2024(flagship: Agreement) -> bytes:
    return render_annual_report(flagship, 2024, party="GSE")


def test_every_section_of_a_report_is_present(skeleton_2024: bytes) -> None:
    assert headings(skeleton_2024) == SECTIONS


def test_the_skeleton_knows_the_agreement(skeleton_2024: bytes) -> None:
    text = docx_text(skeleton_2024)
    for fact in [
        "Årsberättelse 2024",
        # a period is held on one line by no-break spaces (iopdocs.word.fixes)
        "2024-08-01\u00a0\u2013\u00a02024-12-31 (del av året)",
        "2024-08-01\u00a0\u2013\u00a02025-12-31",
        "Göteborgsregionens sociala ekonomi",
        "Pia Svanqvist (GSE)",
        "Kulturförvaltningen, Västra Götalandsregionen",
        "15 februari 2025",
        # 2024 is August–December: four meetings a year (two in spring, two in autumn)
        # prorated, the autumn's two rounded up.
        "minst 2 gånger under rapportperioden, som bara omfattar en del av året",
        "Summa för rapportperioden: 125\u00a0000\u00a0kr",
        "Intäkt enligt utbetalningsplanen: 125\u00a0000\u00a0kr",
        "Mötesplatser för dialog",
        "Revisionsberättelse",
    ]:
        assert fact in text, fact
    assert "[Beskriv årets viktigaste händelser" in text
    assert text.count("2024-0") + text.count("2024-1") >= 5  # the five payments of 2024


def test_a_joint_report_for_a_whole_year(flagship: Agreement) -> None:
    text = docx_text(render_annual_report(flagship, 2025))
    assert "GSE, SENS, SES och SEF" in text or "Social Ekonomi Fyrbodal" in text
    assert "2025-01-01\u00a0\u2013\u00a02025-12-31" in text
    assert "(del av året)" not in text
    assert "Summa för rapportperioden: 1\u00a0200\u00a0000\u00a0kr" in text
    assert "15 februari 2026" in text
    assert text.count("För ") >= 4  # a signature block per reporting party's signatory


def test_goals_and_indicators_of_the_mission_items(laxhjalp: Agreement) -> None:
    data = render_annual_report(laxhjalp, 2026)
    text = docx_text(data)
    assert "Minst 120 elever deltar under ett läsår." in text
    assert "Antal deltagande elever" in text
    assert "120 elever" in text
    assert headings(data, "Heading 2")[0] == "Läxhjälp efter skoltid"
    assert "Studiero i biblioteket" not in headings(data, "Heading 2")  # carried by EK, not LF
    assert "2026-07-01\u00a0\u2013\u00a02026-12-31" in text
    assert "31 mars 2027" in text


@pytest.mark.parametrize("year", [2023, 2026])
def test_a_year_outside_the_period_is_an_error(
    flagship: Agreement, year: int, tmp_path: Path
) -> None:
    target = tmp_path / "rapport.docx"
    with pytest.raises(ReportError, match="outside the agreement period 2024-08-01 – 2025-12-31"):
        render_annual_report(flagship, year, path=target)
    assert not target.exists()


@pytest.mark.parametrize("party", ["VGR", "XYZ"])
def test_only_a_reporting_party_writes_a_report(flagship: Agreement, party: str) -> None:
    with pytest.raises(ReportError, match=r"does not write annual reports|no such party"):
        render_annual_report(flagship, 2024, party=party)


FILLED: dict[str, Any] = {
    "year": 2026,
    "party": "LF",
    "summary": "Läxhjälpen startade i augusti och fylldes snabbt.",
    "missions": [
        {
            "item": "Läxhjälp efter skoltid",
            "done": "Vi höll läxhjälp två eftermiddagar i veckan från vecka 34.",
            "results": [
                {"indicator": "Antal deltagande elever", "actual": 87, "comment": "halvår"},
                {"indicator": "Antal läxhjälpstillfällen", "actual": 32},
            ],
        }
    ],
    "target_group": "Elever i årskurs 6–9, drygt hälften flickor.",
    "meetings": [{"date": "2026-09-14", "note": "Start"}, {"date": "2026-11-30"}],
    "own_contribution": {
        "volunteer_hours": 640,
        "premises": "Stadsbiblioteket",
        "value": "192 000",
        "other_income": "3 500",
    },
    "accounts": [
        {
            "line": "Bidrag till läxhjälpens samordning",
            "costs": [
                {"label": "Lön samordnare", "amount": "98 000"},
                {"label": "Fika", "amount": "4 500,50"},
            ],
        }
    ],
    "deviations": "Inga avvikelser.",
    "lessons": "Fler frivilliga behövs på tisdagar.",
    "next_year": "Vi startar en tredje eftermiddag.",
    "appendices": ["Verksamhetsberättelse 2026"],
    "signature": {"name": "Nils Sjö", "title": "Ordförande", "place": "Exempelstad",
                  "date": "2027-03-02"},
}  # fmt: skip


def test_a_filled_report_is_complete(laxhjalp: Agreement) -> None:
    report = AnnualReport.model_validate(FILLED)
    text = docx_text(render_annual_report(laxhjalp, 2026, party="LF", report=report))
    assert "[" not in text  # no instructions left to fill in
    for fact in [
        "Läxhjälpen startade i augusti",
        "87",
        "halvår",
        "2026-09-14",
        "Under rapportperioden hölls 2 möten.",
        "640",
        "Lön samordnare",
        "Summa kostnader: 102\u00a0500,50\u00a0kr. Outnyttjade medel: 17\u00a0499,50\u00a0kr.",
        "Verksamhetsberättelse 2026",
        "Exempelstad, 2 mars 2027",
    ]:
        assert fact in text, fact


def test_report_data_must_match_the_agreement(laxhjalp: Agreement) -> None:
    data = {
        **FILLED,
        "missions": [{"item": "Simskola", "results": []},
                     {"item": "Läxhjälp efter skoltid",
                      "results": [{"indicator": "Antal bussar", "actual": 1}]}],
        "accounts": [{"line": "Okänd rad", "costs": []}],
        "meetings": [{"date": "2025-01-01"}],
    }  # fmt: skip
    with pytest.raises(ValidationError) as info:
        render_annual_report(laxhjalp, 2026, party="LF", report=AnnualReport.model_validate(data))
    assert {(tuple(e["loc"]), e["type"]) for e in info.value.errors()} == {
        (("missions", 0, "item"), "mission_item_unknown"),
        (("missions", 1, "results", 0, "indicator"), "indicator_unknown"),
        (("accounts", 0, "line"), "money_line_unknown"),
        (("meetings", 0, "date"), "meeting_outside_period"),
    }


def test_report_data_for_another_year_is_refused(laxhjalp: Agreement) -> None:
    report = AnnualReport.model_validate({**FILLED, "year": 2027})
    with pytest.raises(ReportError, match="for 2027, not 2026"):
        render_annual_report(laxhjalp, 2026, party="LF", report=report)


def test_reports_are_deterministic(flagship: Agreement, skeleton_2024: bytes) -> None:
    assert render_annual_report(flagship, 2024, party="GSE") == skeleton_2024


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("annual-report-vgr-2024-GSE.txt", lambda: render_annual_report(
            load_agreement(ROOT / "examples" / "vgr-social-ekonomi-2024.yaml"), 2024, party="GSE")),
        ("annual-report-laxhjalp-2026-filled.txt", lambda: render_annual_report(
            load_agreement(LAXHJALP), 2026, party="LF",
            report=AnnualReport.model_validate(FILLED))),
    ],
)  # fmt: skip
def test_golden_renderings(name: str, render: Any) -> None:
    """Refresh after a deliberate change with ``IOPDOCS_UPDATE_GOLDEN=1 make test``."""
    text = docx_text(render()).replace("\u00a0", "\u2423nbsp\u2423")
    text = "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"
    golden = ROOT / "tests" / "golden" / name
    if os.environ.get("IOPDOCS_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_report_carries_what_issue_13_asks_of_it() -> None:
    """A signed statement on the use of the money, the own contribution in kronor and other
    income, unused funds by the repayment clause, in-kind contributions under their giver."""
    agreement = load_agreement(LAXHJALP)
    report = AnnualReport.model_validate(FILLED)
    text = compact(docx_text(render_annual_report(agreement, 2026, party="LF", report=report)))
    assert "Undertecknad intygar för Läxhjälpsföreningen i Exempelstad att det ekonomiska " \
        "bidraget för rapportperioden har använts för partnerskapets ändamål" in text  # fmt: skip
    assert "Egen insats värderad i kronor 192 000 kr" in text
    assert "Övriga intäkter 3 500 kr" in text
    assert "betalas tillbaka enligt avtalets bestämmelse om återbetalning" in text
    assert (
        "Insatser som Läxhjälpsföreningen i Exempelstad åtagit sig enligt avtalet: "
        "Frivilliga läxhjälpare" in text
    )
    assert (
        "Insatser som Exempelkommunen genom utbildningsnämnden åtagit sig enligt avtalet: "
        "Lokal i stadsbiblioteket" in text
    )
