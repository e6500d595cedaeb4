"""Money lines as real decisions write them: a shared sum, a line for part of the period, amounts
that differ by year, and payment "within the first N days" or "no later than day D"."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from iopdocs import Agreement, payment_schedule, render_contract
from tests.conftest import MINIMAL, compact, docx_text

D = dt.date

THREE_PLATFORMS = [
    {
        "kind": "nonprofit",
        "name": name,
        "short_name": short,
        "org_number": number,
        "contacts": [{"name": "Kontakt"}],
        "signatories": [{"name": "Firmatecknare", "title": "Ordförande"}],
    }
    for name, short, number in (
        ("Plattformen Norr", "PN", "802470-0000"),
        ("Plattformen Syd", "PS", "802455-0009"),
        ("Plattformen Väst", "PV", "802512-0000"),
    )
]


def region_with(*lines: dict[str, Any], frequency: str = "quarterly") -> dict[str, Any]:
    """A two-year agreement (2025–2026) in which the municipality pays the lines to three
    platforms."""
    data = copy.deepcopy(MINIMAL)
    data["parties"] = [data["parties"][0], *copy.deepcopy(THREE_PLATFORMS)]
    data["contributions"] = [
        {"parties": ["PN", "PS", "PV"], "in_kind": ["Verksamhet och frivilliga"]},
        {"parties": ["EK"], "money": list(lines)},
    ]
    data["payment"] = {"frequency": frequency}
    return data


SHARED_FIRST_YEAR = {
    "label": "Uppstartsbidrag",
    "amount": "2 500 000",
    "basis": "total",
    "shared": True,
    "recipients": ["PN", "PS", "PV"],
    "start": "2025-01-01",
    "end": "2025-12-31",
}


def contract_text(agreement: Agreement) -> str:
    return compact(docx_text(render_contract(agreement)))


class TestASharedSumForTheFirstYearOfTwo:
    """2 500 000 kr shared equally by three recipients for the first year of a two-year
    agreement: 833 334 + 833 333 + 833 333, the extra krona to the first named."""

    @pytest.fixture(scope="class")
    def agreement(self) -> Agreement:
        return Agreement.model_validate(region_with(SHARED_FIRST_YEAR))

    def test_the_shares_add_up_to_the_sum_and_the_remainder_goes_to_the_first(
        self, agreement: Agreement
    ) -> None:
        schedule = payment_schedule(agreement)
        assert schedule.total == Decimal(2_500_000)
        assert schedule.by_recipient == {
            "PN": Decimal(833_334),
            "PS": Decimal(833_333),
            "PV": Decimal(833_333),
        }

    def test_every_payment_falls_in_the_first_year(self, agreement: Agreement) -> None:
        schedule = payment_schedule(agreement)
        assert schedule.by_year == {2025: Decimal(2_500_000)}
        assert [i.date for i in schedule.instalments if i.recipient == "PN"] == [
            D(2025, 1, 1), D(2025, 4, 1), D(2025, 7, 1), D(2025, 10, 1)
        ]  # fmt: skip

    def test_the_contract_says_shared_for_the_year_and_names_each_share(
        self, agreement: Agreement
    ) -> None:
        text = contract_text(agreement)
        assert (
            "ett ekonomiskt bidrag om 2 500 000 kr för perioden 2025-01-01 – 2025-12-31 att "
            "fördelas mellan PN, PS och PV i lika delar." in text
        )
        assert (
            "För perioden 2025-01-01 – 2025-12-31 uppgår bidraget till 2 500 000 kr "
            "sammanlagt, varav PN 833 334 kr, PS 833 333 kr och PV 833 333 kr." in text
        )


class TestQuarterlyWithinTheFirstTenDays:
    """181 350 kr a year, paid quarterly within the first ten days of each quarter."""

    @pytest.fixture(scope="class")
    def agreement(self) -> Agreement:
        line = {
            "amount": "181 350",
            "basis": "per_calendar_year",
            "recipients": ["PN"],
            "pay_within_days": 10,
        }
        return Agreement.model_validate(region_with(line))

    def test_four_instalments_a_year_dated_the_tenth_day_of_each_quarter(
        self, agreement: Agreement
    ) -> None:
        schedule = payment_schedule(agreement)
        assert [(i.date, int(i.amount)) for i in schedule.instalments[:4]] == [
            (D(2025, 1, 10), 45_338),
            (D(2025, 4, 10), 45_338),
            (D(2025, 7, 10), 45_337),
            (D(2025, 10, 10), 45_337),
        ]
        assert schedule.by_year == {2025: Decimal(181_350), 2026: Decimal(181_350)}

    def test_the_contract_writes_the_timing_as_agreements_do(self, agreement: Agreement) -> None:
        assert (
            "kvartalsvis med en fjärdedel av årsbeloppet, inom de första tio dagarna av varje "
            "kvartal" in contract_text(agreement)
        )


def test_no_later_than_day_d_dates_each_payment_on_that_day() -> None:
    """ "Senast den 10": the schedule pays on the 10th of the first month of each quarter."""
    line = {"amount": "100 000", "recipients": ["PN"], "pay_by_day": 10}
    agreement = Agreement.model_validate(region_with(line))
    assert {i.date.day for i in payment_schedule(agreement).instalments} == {10}
    assert "senast den 10 i den första månaden av varje kvartal" in contract_text(agreement)


def test_stated_shares_divide_the_sum_as_stated() -> None:
    """Shares of 50, 30 and 20 % of 1 000 001 kr a year: the extra krona by largest remainder."""
    line = {
        "amount": "1 000 001",
        "basis": "per_calendar_year",
        "frequency": "yearly",
        "recipients": ["PN", "PS", "PV"],
        "shares": {"PN": "50 %", "PS": "30 %", "PV": "20 %"},
    }
    agreement = Agreement.model_validate(region_with(line))
    schedule = payment_schedule(agreement)
    first_year = [int(i.amount) for i in schedule.instalments if i.date.year == 2025]
    assert first_year == [500_001, 300_000, 200_000]
    assert agreement.contributions[1].money[0].shared
    assert (
        "att fördelas mellan PN, PS och PV med 50 procent till PN, 30 procent till PS och "
        "20 procent till PV" in contract_text(agreement)
    )


def test_a_step_up_in_the_second_year_is_paid_and_printed() -> None:
    """300 000 kr for 2025 and 360 000 kr for 2026: the schedule and the contract follow."""
    line = {
        "amount": "300 000",
        "amounts": {2026: "360 000"},
        "basis": "per_calendar_year",
        "recipients": ["PN"],
    }
    agreement = Agreement.model_validate(region_with(line))
    schedule = payment_schedule(agreement)
    assert schedule.by_year == {2025: Decimal(300_000), 2026: Decimal(360_000)}
    text = contract_text(agreement)
    assert "300 000 kr per kalenderår, dock 360 000 kr för 2026, till PN." in text
    assert "uppgår bidraget till 660 000 kr" in text


@pytest.mark.parametrize(
    ("change", "loc", "code"),
    [
        ({"shares": {"PN": "50 %", "PS": "40 %"}}, (), "shares_recipients"),
        ({"shares": {"PN": "50 %", "PS": "40 %", "PV": "20 %"}}, (), "shares_sum"),
        ({"amounts": {2026: 1000}}, (), "amounts_basis"),
        (
            {"basis": "per_calendar_year", "amounts": {2027: 1000}},
            ("amounts", 2027),
            "amounts_year_outside",
        ),
        ({"start": "2024-06-01"}, ("start",), "money_dates_outside"),
        ({"start": "2025-06-01", "end": "2025-05-31"}, (), "money_dates_order"),
        ({"pay_on_day": 25, "pay_within_days": 10}, (), "payment_timing_conflict"),
        ({"start": "2026-11-01"}, ("frequency",), "frequency_too_long"),
    ],
)
def test_a_shape_that_cannot_hold_is_refused_naming_the_line(
    change: dict[str, Any], loc: tuple[Any, ...], code: str
) -> None:
    """Each rule has its own code and points at the money line (or its field)."""
    line = {"amount": "100 000", "recipients": ["PN", "PS", "PV"], **change}
    with pytest.raises(ValidationError) as caught:
        Agreement.model_validate(region_with(line))
    errors = {(tuple(e["loc"]), e["type"]) for e in caught.value.errors()}
    assert (("contributions", 1, "money", 0, *loc), code) in errors


@st.composite
def shared_lines(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.dates(D(2025, 1, 1), D(2026, 5, 31)))
    end = draw(st.dates(start + dt.timedelta(days=200), D(2026, 12, 31)))
    count = draw(st.integers(1, 3))
    line: dict[str, Any] = {
        "amount": draw(st.integers(1, 5_000_000)),
        "basis": draw(st.sampled_from(["per_12_months", "per_calendar_year", "total"])),
        "frequency": draw(st.sampled_from(["monthly", "quarterly", "half_yearly"])),
        "recipients": ["PN", "PS", "PV"][:count],
        "start": start,
        "end": end,
        "shared": True,
    }
    # an amount for a year the line does not reach is refused (amounts_year_outside)
    if line["basis"] == "per_calendar_year" and end.year >= 2026 and draw(st.booleans()):
        line["amounts"] = {2026: draw(st.integers(1, 5_000_000))}
    if draw(st.booleans()):
        line["pay_within_days"] = draw(st.integers(1, 31))
    return line


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shared_lines())
def test_shares_always_add_up_and_stay_inside_the_line(line: dict[str, Any]) -> None:
    """Whatever the shape: the recipients' shares of each basis period add up exactly to the
    line's amount for it, no two shares of equal weight differ by more than a krona, and every
    instalment, its date included, lies inside the line's own date range."""
    agreement = Agreement.model_validate(region_with(line))
    money = agreement.contributions[1].money[0]
    schedule = payment_schedule(agreement)
    for i in schedule.instalments:
        assert money.start is not None
        assert money.end is not None
        assert money.start <= i.period_start <= i.period_end <= money.end
        assert money.start <= i.date <= money.end
    totals = list(schedule.by_recipient.values())
    assert max(totals) - min(totals) <= 1
    if money.basis.value == "total":
        assert schedule.total == money.amount
    whole_years = [
        y for y in (2025, 2026) if money.start <= D(y, 1, 1) and D(y, 12, 31) <= money.end
    ]
    if money.basis.value == "per_calendar_year":
        for year in whole_years:
            in_year = sum(
                (i.amount for i in schedule.instalments if i.period_start.year == year),
                Decimal(0),
            )
            assert in_year == money.amount_for(year)
