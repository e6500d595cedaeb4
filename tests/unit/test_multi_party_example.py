"""The multi-party example (examples/motesplatser-storstaden-2025.yaml): one city, four
organisations with long names and e-mail addresses, a shared sum for the first year of two and a
yearly amount paid within the first ten days of each quarter. Its contract and its payment
schedule are kept as golden texts a reviewer reads in the diff.

After a deliberate change, refresh them with ``IOPDOCS_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from iopdocs import Agreement, load_agreement, payment_schedule, render_contract
from iopdocs.cli import main
from tests.conftest import ROOT, compact, docx_text

MULTI = ROOT / "examples" / "motesplatser-storstaden-2025.yaml"
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def multi() -> Agreement:
    return load_agreement(MULTI)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    text = "\n".join(
        line.rstrip() for line in text.replace("\u00a0", "\u2423nbsp\u2423").splitlines()
    )
    if os.environ.get("IOPDOCS_UPDATE_GOLDEN"):
        path.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == path.read_text(encoding="utf-8")


def test_the_golden_contract_is_unchanged(multi: Agreement) -> None:
    golden("contract-motesplatser-storstaden-2025.txt", docx_text(render_contract(multi)))


def test_the_golden_schedule_is_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["schedule", str(MULTI)]) == 0
    golden("schedule-motesplatser-storstaden-2025.txt", capsys.readouterr().out)


def test_the_real_numbers_hold(multi: Agreement) -> None:
    """2 500 000 kr shared by three for the first year; 181 350 kr a year quarterly within the
    first ten days; the stated total of the shared line checks out in `iopdocs check`."""
    schedule = payment_schedule(multi)
    assert schedule.by_line["Uppstartsbidrag till mötesplatsen"] == Decimal(2_500_000)
    assert [schedule.by_recipient[r] for r in ("RUMF", "SGF", "KK")] == [
        Decimal(833_334),
        Decimal(833_333),
        Decimal(833_333),
    ]
    guidance = [i for i in schedule.instalments if i.recipient == "ÖD"]
    assert {i.date.day for i in guidance} == {10}
    assert sum((i.amount for i in guidance if i.date.year == 2026), Decimal(0)) == 181_350
    text = compact(docx_text(render_contract(multi)))
    assert "Kapacitet: 20\u201340 personer per kväll." in text
    assert "inom de första tio dagarna av varje kvartal" in text


def test_check_finds_no_error_or_warning_but_the_missing_background(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(MULTI)]) == 0
    out = capsys.readouterr().out
    assert "stated_total_mismatch" not in out
    assert [
        line.split(":")[1].strip() for line in out.splitlines() if line.startswith("warning")
    ] == ["background_missing"]
