"""The payment schedule (utbetalningsplan) and report periods: pure functions of the model.

Nothing here is typed by a user; every figure is derived from the agreement, once.

How a money line becomes instalments
------------------------------------
1. **Basis periods.** The line's amount is for each *basis period*: 12-month periods counted from
   the agreement's start (``per_12_months``), calendar years (``per_calendar_year``), or the whole
   agreement period (``total``). The first or last basis period may be cut short by the agreement.
2. **Instalment periods.** Each basis period is divided into instalment periods of the line's
   frequency: 1, 3, 4, 6 or 12 months. They are counted from the agreement's start for
   ``per_12_months`` and ``total``, and follow the calendar (months, quarters, tertials, halves,
   years) for ``per_calendar_year``. ``once`` is a single instalment for the basis period.
3. **Weights.** A whole instalment period weighs 1; one cut short by the agreement's start or end
   weighs the days it covers divided by the days of the whole instalment period.
4. **Amount of a basis period.** ``amount × (sum of its weights) / (instalments per basis
   period)``, rounded *down* to whole kronor, so a part-year never exceeds its share and a
   ceiling ("upp till") is never exceeded. A whole basis period therefore gets exactly ``amount``;
   a ``total`` line gets exactly ``amount`` over the whole period.
5. **Whole kronor and the remainder.** A basis period's amount is split over its instalments in
   proportion to their weights; each share is rounded down to whole kronor and the kronor left
   over go one at a time to the instalments with the largest rounded-off fractions, the earliest
   first on a tie. Equal instalments thus differ by at most 1 krona, the larger ones first
   (100 000 kr in three: 33 334, 33 333, 33 333), and the instalments always add up exactly.
6. **Dates.** An instalment is paid in advance on the first day of its instalment period, or, when
   the line states a ``payment_day``, on that day of the period's first month (but never before
   the instalment period starts). Every date lies inside the agreement period.

A frequency whose instalment period is longer than the whole agreement (yearly payments of a
six-month agreement), and ``once`` for an amount given per year, are refused when the agreement is
validated (``frequency_too_long``, ``frequency_once_per_year``); ``ScheduleError`` guards
agreements built without validation.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from math import lcm

from iopdocs.errors import ReportError, ScheduleError
from iopdocs.model import Agreement, Basis, Frequency, MoneyLine

__all__ = [
    "Instalment",
    "ReportError",
    "ReportPeriod",
    "Schedule",
    "ScheduleError",
    "add_months",
    "basis_periods",
    "line_name",
    "payment_schedule",
    "report_period",
    "report_periods",
]


@dataclass(frozen=True, slots=True)
class Instalment:
    """One payment: on ``date``, ``payer`` pays ``amount`` kronor to ``recipient`` for ``line``."""

    date: dt.date
    payer: str
    recipient: str
    line: str
    amount: Decimal
    period_start: dt.date
    """First day of the instalment period the payment is for."""
    period_end: dt.date
    """Last day of that instalment period."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """Every instalment of an agreement, in date order, with its totals."""

    instalments: tuple[Instalment, ...]
    by_recipient: dict[str, Decimal] = field(default_factory=dict)
    by_year: dict[int, Decimal] = field(default_factory=dict)
    by_line: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal(0)

    def __bool__(self) -> bool:
        return bool(self.instalments)

    def between(self, start: dt.date, end: dt.date) -> list[Instalment]:
        """The instalments dated within ``start`` … ``end`` (inclusive)."""
        return [i for i in self.instalments if start <= i.date <= end]


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, kept within the target month (31 Jan + 1 →
    28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    # calendar.monthrange would also work out the weekday: a third of a schedule's time.
    last = 29 if month == 1 and calendar.isleap(year) else _MONTH_DAYS[month]
    return dt.date(year, month + 1, min(day.day, last))


def line_name(agreement: Agreement, contribution_index: int, line_index: int) -> str:
    """How a money line is named in the schedule: its label, or "Bidrag från PAYER".

    Labels are unique (validation sees to it); unlabelled lines of one payer are numbered.
    """
    contribution = agreement.contributions[contribution_index]
    line = contribution.money[line_index]
    if line.label:
        return line.label
    payer = contribution.parties[0]
    unlabelled = [
        (ci, li)
        for ci, c in enumerate(agreement.contributions)
        for li, m in enumerate(c.money)
        if not m.label and c.parties[0] == payer
    ]
    if len(unlabelled) == 1:
        return f"Bidrag från {payer}"
    return f"Bidrag från {payer} ({unlabelled.index((contribution_index, line_index)) + 1})"


def payment_schedule(agreement: Agreement) -> Schedule:
    """The whole payment schedule of ``agreement`` (empty when it has no money)."""
    instalments: list[Instalment] = []
    for ci, contribution in enumerate(agreement.contributions):
        for li, line in enumerate(contribution.money):
            where = f"contributions[{ci}].money[{li}]"
            name = line_name(agreement, ci, li)
            frequency = line.frequency or agreement.payment.frequency
            for recipient in line.recipients:
                for part, amount in _line_instalments(agreement, line, frequency, where):
                    instalments.append(
                        Instalment(
                            date=_pay_date(part, line.payment_day),
                            payer=contribution.parties[0],
                            recipient=recipient,
                            line=name,
                            amount=amount,
                            period_start=part.start,
                            period_end=part.end,
                        )
                    )
    # A stable sort by date keeps the agreement's own order of lines and recipients on each day.
    instalments.sort(key=lambda i: i.date)
    by_recipient: dict[str, Decimal] = defaultdict(Decimal)
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    by_line: dict[str, Decimal] = defaultdict(Decimal)
    for i in instalments:
        by_recipient[i.recipient] += i.amount
        by_year[i.date.year] += i.amount
        by_line[i.line] += i.amount
    return Schedule(
        instalments=tuple(instalments),
        by_recipient=dict(by_recipient),
        by_year=dict(sorted(by_year.items())),
        by_line=dict(by_line),
        total=sum((i.amount for i in instalments), Decimal(0)),
    )


# --- Periods -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Part:
    """An instalment period as cut by the agreement period, with its weight: the ``days`` it
    covers out of the ``whole`` days of the instalment period.

    Weights are kept as these two integers and summed over a common denominator, so the
    arithmetic stays exact without ``Fraction`` (whose normalising gcd per operation cost
    most of a schedule's time).
    """

    start: dt.date
    end: dt.date
    days: int
    whole: int


def _spans(
    anchor: dt.date, months: int, start: dt.date, end: dt.date
) -> Iterator[tuple[dt.date, dt.date]]:
    """Consecutive whole spans of ``months`` from ``anchor`` that overlap ``start`` … ``end``."""
    step = 1
    span_start = anchor
    while span_start <= end:
        following = add_months(anchor, months * step)  # each span's end is the next's start
        span_end = following - dt.timedelta(days=1)
        if span_end >= start:
            yield span_start, span_end
        span_start = following
        step += 1


def _cut(span: tuple[dt.date, dt.date], start: dt.date, end: dt.date) -> _Part:
    whole = (span[1] - span[0]).days + 1
    cut_start, cut_end = max(span[0], start), min(span[1], end)
    inside = (cut_end - cut_start).days + 1
    return _Part(cut_start, cut_end, inside, whole)


def basis_periods(agreement: Agreement, basis: Basis) -> list[tuple[dt.date, dt.date, bool]]:
    """The basis periods of ``basis`` within the agreement: ``(start, end, whole)``.

    ``whole`` is False for a 12-month period or calendar year cut short by the agreement.
    """
    result = []
    for start, end in _basis_spans(agreement, basis):
        if basis is Basis.PER_12_MONTHS:
            whole = end == add_months(start, 12) - dt.timedelta(days=1)
        elif basis is Basis.PER_CALENDAR_YEAR:
            whole = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        else:
            whole = True
        result.append((start, end, whole))
    return result


def _basis_spans(agreement: Agreement, basis: Basis) -> list[tuple[dt.date, dt.date]]:
    start, end = agreement.period.start, agreement.period.end
    if basis is Basis.TOTAL:
        return [(start, end)]
    if basis is Basis.PER_12_MONTHS:
        return [(max(a, start), min(b, end)) for a, b in _spans(start, 12, start, end)]
    anchor = dt.date(start.year, 1, 1)
    return [(max(a, start), min(b, end)) for a, b in _spans(anchor, 12, start, end)]


def _line_instalments(
    agreement: Agreement, line: MoneyLine, frequency: Frequency, where: str
) -> Iterator[tuple[_Part, Decimal]]:
    start, end = agreement.period.start, agreement.period.end
    months = frequency.months
    if months is None:
        if line.basis is not Basis.TOTAL:
            raise ScheduleError(
                f"{where}.frequency: a single payment ('once') cannot pay an amount given "
                f"{line.basis.value}; use basis 'total' or a yearly frequency"
            )
        yield _Part(start, end, 1, 1), line.amount
        return
    if add_months(start, months) - dt.timedelta(days=1) > end:
        raise ScheduleError(
            f"{where}.frequency: the agreement period {start.isoformat()} – {end.isoformat()} "
            f"is shorter than one {frequency.value} instalment period ({months} months)"
        )
    per_basis = 12 // months
    anchor = dt.date(start.year, 1, 1) if line.basis is Basis.PER_CALENDAR_YEAR else start
    for basis_start, basis_end in _basis_spans(agreement, line.basis):
        parts = [
            _cut(s, basis_start, basis_end) for s in _spans(anchor, months, basis_start, basis_end)
        ]
        # Each weight days/whole as a numerator over the common denominator of them all.
        denominator = lcm(*(p.whole for p in parts))
        weights = [p.days * (denominator // p.whole) for p in parts]
        if line.basis is Basis.TOTAL:
            budget = int(line.amount)
        else:
            # amount × (sum of weights) / per_basis, rounded down, in integers.
            budget = int(line.amount) * sum(weights) // (denominator * per_basis)
        yield from zip(parts, _split(budget, weights), strict=True)


def _split(total: int, weights: list[int]) -> list[Decimal]:
    """``total`` whole kronor split in proportion to ``weights`` (numerators over one common
    denominator) by the largest remainder: share i is ``total × w_i / W`` rounded down, and the
    kronor left go to the largest remainders ``total × w_i mod W``, the earliest first on a tie
    (the same comparison as of the exact fractions, all over ``W``)."""
    whole = sum(weights)
    shares, remainders = [], []
    for weight in weights:
        share, remainder = divmod(total * weight, whole)
        shares.append(share)
        remainders.append(remainder)
    left = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        shares[i] += 1
    return [Decimal(s) for s in shares]


def _pay_date(part: _Part, payment_day: int | None) -> dt.date:
    if payment_day is None:
        return part.start
    stated = part.start.replace(day=payment_day)
    return max(stated, part.start) if stated <= part.end else part.start


# --- Report periods ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """The part of the agreement period inside one calendar year, and its annual report."""

    year: int
    start: dt.date
    end: dt.date
    due: dt.date
    """The day the annual report for this period is due: ``follow_up.report_due`` the next year."""
    recipient: str

    @property
    def whole_year(self) -> bool:
        return (self.start, self.end) == (dt.date(self.year, 1, 1), dt.date(self.year, 12, 31))


def report_periods(agreement: Agreement) -> list[ReportPeriod]:
    """One report period per calendar year the agreement period touches."""
    start, end = agreement.period.start, agreement.period.end
    return [
        ReportPeriod(
            year=year,
            start=max(start, dt.date(year, 1, 1)),
            end=min(end, dt.date(year, 12, 31)),
            due=agreement.follow_up.report_due.in_year(year + 1),
            recipient=agreement.follow_up.report_recipient,
        )
        for year in range(start.year, end.year + 1)
    ]


def report_period(agreement: Agreement, year: int) -> ReportPeriod:
    """The report period of ``year``; ``ReportError`` when the agreement does not touch it."""
    for period in report_periods(agreement):
        if period.year == year:
            return period
    first, last = agreement.period.start.year, agreement.period.end.year
    span = str(first) if first == last else f"{first}–{last}"
    raise ReportError(
        f"{year} is outside the agreement period "
        f"{agreement.period.start.isoformat()} – {agreement.period.end.isoformat()}; "
        f"reports exist for {span}"
    )
