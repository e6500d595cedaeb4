"""The payment schedule: every instalment computed, whole kronor, always adding up exactly."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from iopdocs import Agreement, ReportError, payment_schedule, report_periods
from iopdocs.schedule import add_months, report_period
from tests.conftest import MINIMAL

D = dt.date


def agreement_with(
    start: dt.date, end: dt.date, *lines: dict[str, Any], frequency: str = "monthly"
) -> Agreement:
    data: dict[str, Any] = {**MINIMAL, "period": {"start": start, "end": end}}
    data["contributions"] = [
        {"parties": ["LF"], "in_kind": ["Frivilliga"]},
        {"parties": ["EK"], "money": [{"recipients": ["LF"], **line} for line in lines]},
    ]
    data["payment"] = {"frequency": frequency}
    return Agreement.model_validate(data)


def amounts(agreement: Agreement) -> list[int]:
    return [int(i.amount) for i in payment_schedule(agreement).instalments]


def dates(agreement: Agreement) -> list[dt.date]:
    return [i.date for i in payment_schedule(agreement).instalments]


class TestTheFlagship:
    def test_seventeen_monthly_instalments_of_25000_per_platform(self, flagship: Agreement) -> None:
        schedule = payment_schedule(flagship)
        for platform in ("GSE", "SENS", "SES", "SEF"):
            mine = [i for i in schedule.instalments if i.recipient == platform]
            assert len(mine) == 17
            assert {i.amount for i in mine} == {Decimal(25000)}
            assert [i.date for i in mine] == [add_months(D(2024, 8, 1), n) for n in range(17)]
            assert schedule.by_recipient[platform] == Decimal(425000)
        assert schedule.total == Decimal(1700000)
        assert schedule.by_year == {2024: Decimal(500000), 2025: Decimal(1200000)}
        assert schedule.by_line == {"Partnerskapsbidrag till plattformarna": Decimal(1700000)}
        assert {i.payer for i in schedule.instalments} == {"VGR"}

    def test_report_periods_and_due_dates(self, flagship: Agreement) -> None:
        first, second = report_periods(flagship)
        assert (first.year, first.start, first.end, first.due) == (
            2024, D(2024, 8, 1), D(2024, 12, 31), D(2025, 2, 15),
        )  # fmt: skip
        assert (second.year, second.start, second.end, second.due) == (
            2025, D(2025, 1, 1), D(2025, 12, 31), D(2026, 2, 15),
        )  # fmt: skip
        assert not first.whole_year
        assert second.whole_year
        assert first.recipient == "Kulturförvaltningen, Västra Götalandsregionen"

    @pytest.mark.parametrize("year", [2023, 2026])
    def test_a_year_outside_the_period_is_an_error(self, flagship: Agreement, year: int) -> None:
        with pytest.raises(ReportError, match=f"{year} is outside the agreement period"):
            report_period(flagship, year)


class TestTheRemainderRule:
    def test_the_first_instalments_take_the_extra_kronor(self) -> None:
        a = agreement_with(
            D(2025, 1, 1), D(2025, 12, 31),
            {"amount": 100000, "basis": "total", "frequency": "tertial"},
        )  # fmt: skip
        assert amounts(a) == [33334, 33333, 33333]

    def test_a_total_is_never_split_per_year_but_paid_in_full(self) -> None:
        a = agreement_with(
            D(2025, 7, 1), D(2026, 12, 31),
            {"amount": 500000, "basis": "total", "frequency": "quarterly"},
        )  # fmt: skip
        assert amounts(a) == [83334, 83334, 83333, 83333, 83333, 83333]
        assert payment_schedule(a).total == Decimal(500000)

    def test_a_single_payment(self) -> None:
        a = agreement_with(
            D(2025, 3, 1), D(2025, 8, 31), {"amount": 40000, "basis": "total", "frequency": "once"}
        )
        assert [(i.date, int(i.amount)) for i in payment_schedule(a).instalments] == [
            (D(2025, 3, 1), 40000)
        ]


class TestPeriodsThatAreNotWholeYears:
    def test_eighteen_months_from_1_july(self) -> None:
        a = agreement_with(D(2025, 7, 1), D(2026, 12, 31), {"amount": 120000})
        assert amounts(a) == [10000] * 18
        assert dates(a)[0] == D(2025, 7, 1)
        assert dates(a)[-1] == D(2026, 12, 1)

    def test_a_start_on_1_october_paid_quarterly(self) -> None:
        a = agreement_with(
            D(2025, 10, 1), D(2026, 12, 31), {"amount": 200000}, frequency="quarterly"
        )
        assert dates(a) == [D(2025, 10, 1), D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1),
                            D(2026, 10, 1)]  # fmt: skip
        assert amounts(a) == [50000] * 5

    def test_a_start_mid_month_pays_the_last_part_month_by_its_days(self) -> None:
        a = agreement_with(D(2024, 8, 15), D(2025, 12, 31), {"amount": 300000})
        schedule = payment_schedule(a)
        assert amounts(a)[:12] == [25000] * 12
        # 15 Aug – 31 Dec 2025: four whole months and 17 of the 31 days of the fifth.
        # floor(300 000 × (4 + 17/31) / 12) = 113 709 kr, the four whole months first.
        assert amounts(a)[12:] == [25000, 25000, 25000, 25000, 13709]
        assert dates(a)[12:] == [D(2025, 8, 15), D(2025, 9, 15), D(2025, 10, 15),
                                 D(2025, 11, 15), D(2025, 12, 15)]  # fmt: skip
        assert schedule.instalments[-1].period_end == D(2025, 12, 31)

    def test_calendar_years_give_a_part_year_its_share(self) -> None:
        a = agreement_with(
            D(2024, 7, 1), D(2025, 12, 31),
            {"amount": 120000, "basis": "per_calendar_year"}, frequency="quarterly",
        )  # fmt: skip
        assert amounts(a) == [30000] * 6
        assert payment_schedule(a).by_year == {2024: Decimal(60000), 2025: Decimal(120000)}

    def test_a_stated_payment_day(self) -> None:
        a = agreement_with(
            D(2025, 1, 1), D(2025, 12, 31), {"amount": 60000, "pay_on_day": 25},
            frequency="quarterly",
        )  # fmt: skip
        assert dates(a) == [D(2025, 1, 25), D(2025, 4, 25), D(2025, 7, 25), D(2025, 10, 25)]

    def test_a_payment_day_before_a_mid_month_start_pays_on_the_start(self) -> None:
        a = agreement_with(D(2025, 1, 20), D(2025, 12, 31), {"amount": 12000, "pay_on_day": 5})
        assert dates(a)[0] == D(2025, 1, 20)
        assert all(d.day == 20 for d in dates(a))


class TestBadMoneyIsRefusedNamingTheField:
    def errors(self, data: dict[str, Any]) -> list[tuple[tuple[int | str, ...], str]]:
        with pytest.raises(ValidationError) as info:
            Agreement.model_validate(data)
        return [(tuple(e["loc"]), e["type"]) for e in info.value.errors()]

    def line(self, minimal_data: dict[str, Any], **changes: Any) -> dict[str, Any]:
        minimal_data["contributions"][1]["money"][0].update(changes)
        return minimal_data

    def test_a_frequency_the_period_cannot_hold(self, minimal_data: dict[str, Any]) -> None:
        minimal_data["period"] = {"start": "2025-01-01", "end": "2025-06-30"}
        data = self.line(minimal_data, frequency="yearly")
        assert self.errors(data) == [
            (("contributions", 1, "money", 0, "frequency"), "frequency_too_long")
        ]

    def test_once_for_an_amount_per_year(self, minimal_data: dict[str, Any]) -> None:
        data = self.line(minimal_data, frequency="once")
        assert self.errors(data) == [
            (("contributions", 1, "money", 0, "frequency"), "frequency_once_per_year")
        ]

    @pytest.mark.parametrize("amount", [0, -5000, "0"])
    def test_zero_or_negative_amounts(self, minimal_data: dict[str, Any], amount: object) -> None:
        data = self.line(minimal_data, amount=amount)
        assert self.errors(data) == [(("contributions", 1, "money", 0, "amount"), "greater_than")]

    def test_ore_in_a_money_line(self, minimal_data: dict[str, Any]) -> None:
        data = self.line(minimal_data, amount="1000,50")
        assert self.errors(data) == [
            (("contributions", 1, "money", 0, "amount"), "money_whole_kronor")
        ]

    def test_an_indexation_rule_without_a_base(self, minimal_data: dict[str, Any]) -> None:
        data = self.line(minimal_data, indexation={"index": "AKI", "share": "80 %"})
        assert self.errors(data) == [
            (("contributions", 1, "money", 0, "indexation", "base"), "missing")
        ]

    def test_a_recipient_that_is_not_a_party(self, minimal_data: dict[str, Any]) -> None:
        data = self.line(minimal_data, recipients=["LF", "XYZ"])
        assert self.errors(data) == [
            (("contributions", 1, "money", 0, "recipients", 1), "party_unknown")
        ]

    @pytest.mark.parametrize(("share", "code"), [("120 %", "share_range"), (0.8, "share_type")])
    def test_an_impossible_index_share(
        self, minimal_data: dict[str, Any], share: object, code: str
    ) -> None:
        data = self.line(minimal_data, indexation={"index": "AKI", "base": "2025", "share": share})
        assert self.errors(data) == [
            (("contributions", 1, "money", 0, "indexation", "share"), code)
        ]


# --- Properties that must hold for any agreement ----------------------------------------------

FREQUENCIES = ["monthly", "quarterly", "tertial", "half_yearly", "yearly"]
MONTHS = {"monthly": 1, "quarterly": 3, "tertial": 4, "half_yearly": 6, "yearly": 12}
starts = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))
kronor = st.integers(min_value=1, max_value=50_000_000)


@st.composite
def any_agreement(draw: Callable[..., Any]) -> tuple[Agreement, dict[str, Any]]:
    start = draw(starts)
    frequency = draw(st.sampled_from(FREQUENCIES))
    shortest = add_months(start, MONTHS[frequency])
    end = draw(st.dates(min_value=shortest, max_value=add_months(start, 72)))
    line = {
        "amount": draw(kronor),
        "basis": draw(st.sampled_from(["per_12_months", "per_calendar_year", "total"])),
        "frequency": frequency,
        "pay_on_day": draw(st.none() | st.integers(1, 28)),
    }
    return agreement_with(start, end, line), line


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(any_agreement())
def test_instalments_are_whole_positive_kronor_dated_inside_the_period(
    case: tuple[Agreement, dict[str, Any]],
) -> None:
    agreement, _ = case
    schedule = payment_schedule(agreement)
    assert schedule.instalments
    for i in schedule.instalments:
        assert agreement.period.start <= i.date <= agreement.period.end
        assert i.period_start <= i.date <= i.period_end
        assert i.amount >= 0
        assert i.amount == i.amount.to_integral_value()
    assert [i.date for i in schedule.instalments] == sorted(i.date for i in schedule.instalments)


@PROPERTY
@given(any_agreement())
def test_the_totals_always_add_up(case: tuple[Agreement, dict[str, Any]]) -> None:
    agreement, line = case
    schedule = payment_schedule(agreement)
    total = sum(i.amount for i in schedule.instalments)
    assert schedule.total == total
    assert sum(schedule.by_year.values()) == total
    assert sum(schedule.by_line.values()) == total
    assert sum(schedule.by_recipient.values()) == total
    if line["basis"] == "total":
        assert total == line["amount"]


@PROPERTY
@given(
    starts,
    st.integers(1, 4),
    kronor,
    st.sampled_from(FREQUENCIES),
    st.sampled_from(["per_12_months", "total"]),
)
def test_whole_12_month_periods_pay_exactly_the_amount_each(
    start: dt.date, years: int, amount: int, frequency: str, basis: str
) -> None:
    end = add_months(start, 12 * years) - dt.timedelta(days=1)
    agreement = agreement_with(
        start, end, {"amount": amount, "basis": basis, "frequency": frequency}
    )
    schedule = payment_schedule(agreement)
    expected = amount * years if basis == "per_12_months" else amount
    assert schedule.total == expected
    per_instalment = [int(i.amount) for i in schedule.instalments]
    assert len(per_instalment) == years * 12 // MONTHS[frequency]
    assert max(per_instalment) - min(per_instalment) <= 1  # equal shares, at most a krona apart


@PROPERTY
@given(st.integers(2020, 2035), st.integers(1, 4), kronor, st.sampled_from(FREQUENCIES))
def test_whole_calendar_years_pay_exactly_the_amount_each(
    year: int, years: int, amount: int, frequency: str
) -> None:
    agreement = agreement_with(
        D(year, 1, 1), D(year + years - 1, 12, 31),
        {"amount": amount, "basis": "per_calendar_year", "frequency": frequency},
    )  # fmt: skip
    schedule = payment_schedule(agreement)
    assert schedule.by_year == {y: Decimal(amount) for y in range(year, year + years)}


@PROPERTY
@given(any_agreement())
def test_a_part_period_never_gets_more_than_its_share(
    case: tuple[Agreement, dict[str, Any]],
) -> None:
    agreement, line = case
    if line["basis"] == "total":
        return
    days = (agreement.period.end - agreement.period.start).days + 1
    # Shares follow months, and no month is shorter than 28 days: the agreement never pays more
    # than the amount for each twelve such months.
    assert payment_schedule(agreement).total <= line["amount"] * Decimal(days) / (12 * 28)


def test_each_money_line_has_its_own_name(minimal_data: dict[str, Any]) -> None:
    minimal_data["contributions"].append(
        {"parties": ["EK"], "money": [{"amount": 1000, "recipients": ["LF"]}]}
    )
    agreement = Agreement.model_validate(minimal_data)
    assert list(payment_schedule(agreement).by_line) == ["Bidrag från EK (1)", "Bidrag från EK (2)"]
    for contribution in minimal_data["contributions"][1:]:
        contribution["money"][0]["label"] = "Bidrag"
    with pytest.raises(ValidationError) as info:
        Agreement.model_validate(minimal_data)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [
        (("contributions", 2, "money", 0, "label"), "money_label_repeated")
    ]


def _split_by_fractions(total: int, weights: list[Fraction]) -> list[int]:
    """The largest-remainder split as the rules state it, in exact fractions: the reference the
    integer arithmetic of ``schedule._split`` must equal."""
    whole = sum(weights, Fraction(0))
    exact = [total * w / whole for w in weights]
    shares = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


@given(
    st.integers(0, 10**9),
    st.lists(st.tuples(st.integers(1, 366), st.integers(1, 366)), min_size=1, max_size=40),
)
def test_the_integer_split_equals_the_split_in_exact_fractions(
    total: int, cuts: list[tuple[int, int]]
) -> None:
    from iopdocs.schedule import _split

    # Weights as the schedule makes them: days covered out of the days of the whole period.
    days_whole = [(min(a, b), max(a, b)) for a, b in cuts]
    denominator = math.lcm(*(whole for _, whole in days_whole))
    numerators = [days * (denominator // whole) for days, whole in days_whole]
    fractions = [Fraction(days, whole) for days, whole in days_whole]
    assert [int(s) for s in _split(total, numerators)] == _split_by_fractions(total, fractions)


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), st.integers(-1200, 1200))
def test_add_months_keeps_the_day_within_the_target_month(day: dt.date, months: int) -> None:
    import calendar

    from iopdocs.schedule import add_months

    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    assert add_months(day, months) == dt.date(year, month, min(day.day, last))


@pytest.mark.parametrize(
    ("start", "end", "frequency"),
    [
        (D(2028, 2, 29), D(2029, 2, 27), "yearly"),  # a year on from 29 February is 28 February
        (D(2027, 1, 31), D(2027, 2, 27), "monthly"),  # a month on from 31 January is 28 February
    ],
)
def test_a_period_holds_the_months_the_schedule_counts_in_it(
    start: dt.date, end: dt.date, frequency: str
) -> None:
    """The model's check that a period holds one instalment period counts months as the schedule
    does: a period the schedule fills with whole instalment periods is never refused."""
    agreement = agreement_with(
        start, end, {"amount": 12_000, "basis": "per_12_months", "frequency": frequency}
    )
    assert payment_schedule(agreement).total > 0


@given(
    st.dates(min_value=dt.date(1600, 1, 1), max_value=dt.date(2399, 12, 31)), st.integers(0, 600)
)
def test_add_months_ends_a_month_where_the_calendar_does(day: dt.date, months: int) -> None:
    """The leap-year rule ``add_months`` writes out agrees with the calendar module's: the day
    is kept, or the target month's last day when it has fewer days (29 February only in a
    leap year, 1900 and 2100 not, 2000 and 2400 yes)."""
    import calendar

    moved = add_months(day, months)
    index = day.year * 12 + day.month - 1 + months
    assert (moved.year, moved.month) == (index // 12, index % 12 + 1)
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])
