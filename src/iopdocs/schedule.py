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
   the line states a ``pay_on_day``, on that day of the period's first month (but never before
   the instalment period starts). Every date lies inside the agreement period.

A frequency whose instalment period is longer than the whole agreement (yearly payments of a
six-month agreement), and ``once`` for an amount given per year, are refused when the agreement is
validated (``frequency_too_long``, ``frequency_once_per_year``); ``ScheduleError`` guards
agreements built without validation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from math import lcm
from typing import NamedTuple

from iopdocs.errors import ReportError, ScheduleError
from iopdocs.i18n import Message
from iopdocs.model import Agreement, Basis, Frequency, MoneyLine
from iopdocs.model.agreement import line_span

__all__ = [
    "Instalment",
    "MeetingsRequired",
    "ReportError",
    "ReportPeriod",
    "Schedule",
    "ScheduleError",
    "add_months",
    "basis_periods",
    "line_name",
    "meetings_required",
    "payment_schedule",
    "recipient_weights",
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
    # calendar.monthrange would also work out the weekday: a third of a schedule's time; the
    # leap-year rule written out spares a cold render importing calendar and locale.
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = 29 if month == 1 and leap else _MONTH_DAYS[month]
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
            for recipient, part, amount in _line_instalments(agreement, line, frequency, where):
                instalments.append(
                    Instalment(
                        date=_pay_date(part, line),
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


# A named tuple, not a frozen dataclass: made at import in a fifth of the time (cold start).
class _Part(NamedTuple):
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


def basis_periods(
    agreement: Agreement, basis: Basis, line: MoneyLine | None = None
) -> list[tuple[dt.date, dt.date, bool]]:
    """The basis periods of ``basis`` within the agreement (or within ``line``'s own dates):
    ``(start, end, whole)``.

    ``whole`` is False for a 12-month period or calendar year cut short.
    """
    start, end = (
        line_span(agreement, line) if line else (agreement.period.start, agreement.period.end)
    )
    result = []
    for span_start, span_end in _basis_spans(start, end, basis):
        if basis is Basis.PER_12_MONTHS:
            whole = span_end == add_months(span_start, 12) - dt.timedelta(days=1)
        elif basis is Basis.PER_CALENDAR_YEAR:
            whole = (span_start.month, span_start.day, span_end.month, span_end.day) == (
                1,
                1,
                12,
                31,
            )
        else:
            whole = True
        result.append((span_start, span_end, whole))
    return result


def _basis_spans(start: dt.date, end: dt.date, basis: Basis) -> list[tuple[dt.date, dt.date]]:
    if basis is Basis.TOTAL:
        return [(start, end)]
    if basis is Basis.PER_12_MONTHS:
        return [(max(a, start), min(b, end)) for a, b in _spans(start, 12, start, end)]
    anchor = dt.date(start.year, 1, 1)
    return [(max(a, start), min(b, end)) for a, b in _spans(anchor, 12, start, end)]


def recipient_weights(line: MoneyLine) -> list[int] | None:
    """How a shared line divides each amount among its recipients, as integer weights in the
    order of ``line.recipients`` (``None`` when each recipient receives the whole amount)."""
    if not line.shared:
        return None
    if line.shares is None:
        return [1] * len(line.recipients)
    shares = [line.shares[r] for r in line.recipients]
    places = max(max(-int(s.as_tuple().exponent), 0) for s in shares)
    return [int(s.scaleb(places)) for s in shares]


def _line_instalments(
    agreement: Agreement, line: MoneyLine, frequency: Frequency, where: str
) -> Iterator[tuple[str, _Part, Decimal]]:
    """``(recipient, instalment period, amount)`` of every payment of ``line``, basis period by
    basis period; within one, recipient by recipient in the line's order."""
    start, end = line_span(agreement, line)
    shares = recipient_weights(line)

    extra = [0] * len(line.recipients)  # kronor each got above its exact share so far

    def per_recipient(budget: int) -> list[int]:
        if shares is None:
            return [budget] * len(line.recipients)
        split = [int(a) for a in _split(budget, shares, extra)]
        for k, paid in enumerate(split):
            extra[k] += paid - budget * shares[k] // sum(shares)
        return split

    months = frequency.months
    if months is None:
        if line.basis is not Basis.TOTAL:
            raise ScheduleError(
                Message(
                    "{where}.frequency: a single payment ('once') cannot pay an amount given "
                    "{basis}; use basis 'total' or a yearly frequency",
                    where=where,
                    basis=line.basis.value,
                )
            )
        for recipient, budget in zip(line.recipients, per_recipient(int(line.amount)), strict=True):
            yield recipient, _Part(start, end, 1, 1), Decimal(budget)
        return
    if add_months(start, months) - dt.timedelta(days=1) > end:
        raise ScheduleError(
            Message(
                "{where}.frequency: the period {start} – {end} is shorter than one '{frequency}' "
                "instalment period ({months} months)",
                where=where,
                start=start.isoformat(),
                end=end.isoformat(),
                frequency=frequency.value,
                months=months,
            )
        )
    per_basis = 12 // months
    anchor = dt.date(start.year, 1, 1) if line.basis is Basis.PER_CALENDAR_YEAR else start
    for basis_start, basis_end in _basis_spans(start, end, line.basis):
        parts = [
            _cut(s, basis_start, basis_end) for s in _spans(anchor, months, basis_start, basis_end)
        ]
        # Each weight days/whole as a numerator over the common denominator of them all.
        denominator = lcm(*(p.whole for p in parts))
        weights = [p.days * (denominator // p.whole) for p in parts]
        amount = int(line.amount_for(basis_start.year))
        if line.basis is Basis.TOTAL:
            budget = amount
        else:
            # amount × (sum of weights) / per_basis, rounded down, in integers.
            budget = amount * sum(weights) // (denominator * per_basis)
        for recipient, share in zip(line.recipients, per_recipient(budget), strict=True):
            for part, paid in zip(parts, _split(share, weights), strict=True):
                yield recipient, part, paid


def _split(total: int, weights: list[int], received: list[int] | None = None) -> list[Decimal]:
    """``total`` whole kronor split in proportion to ``weights`` (numerators over one common
    denominator) by the largest remainder: share i is ``total × w_i / W`` rounded down, and the
    kronor left go to the largest remainders ``total × w_i mod W``, the earliest first on a tie
    (the same comparison as of the exact fractions, all over ``W``). With ``received`` (the
    kronor each has already had above its exact shares), a tie goes first to the one that has
    had the fewest, so the extra kronor rotate and never pile up on the first named."""
    whole = sum(weights)
    shares, remainders = [], []
    for weight in weights:
        share, remainder = divmod(total * weight, whole)
        shares.append(share)
        remainders.append(remainder)
    left = total - sum(shares)
    before = received or [0] * len(weights)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], before[i], i))
    for i in order[:left]:
        shares[i] += 1
    return [Decimal(s) for s in shares]


def _pay_date(part: _Part, line: MoneyLine) -> dt.date:
    if line.pay_within_days is not None:
        return min(part.start + dt.timedelta(days=line.pay_within_days - 1), part.end)
    day = line.pay_on_day or line.pay_by_day
    if day is None:
        return part.start
    stated = part.start.replace(day=day)
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
        Message(
            "{year} is outside the agreement period {start} – {end}; reports exist for {span}",
            year=year,
            start=agreement.period.start.isoformat(),
            end=agreement.period.end.isoformat(),
            span=span,
        )
    )


# --- Steering meetings in a part year ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingsRequired:
    """The least number of steering meetings in one report period, prorated for a part year."""

    year: int
    count: int
    spring: int | None
    """Of ``count``, the meetings in January–June (when the agreement splits them)."""
    autumn: int | None
    prorated: bool
    """True when the period is a part year and the yearly rule was prorated."""


def _prorate(count: int, start: dt.date, end: dt.date, first: dt.date, last: dt.date) -> int:
    """``count`` meetings for ``first`` … ``last`` prorated to the days of it inside ``start`` …
    ``end``, rounded up to a whole meeting (none when no day is inside)."""
    inside = (min(end, last) - max(start, first)).days + 1
    if inside <= 0:
        return 0
    whole = (last - first).days + 1
    return -(-count * inside // whole)


def meetings_required(agreement: Agreement, period: ReportPeriod) -> MeetingsRequired | None:
    """How many steering meetings ``period`` requires; ``None`` without a steering group.

    A whole calendar year requires ``meetings_per_year``. A part year (an agreement that starts
    in August or runs 18 months) requires the yearly number in proportion to the days it
    covers, rounded up to whole meetings and at least one; with a spring/autumn split each half
    is prorated on its own.
    """
    group = agreement.cooperation.steering_group
    if group is None:
        return None
    if period.whole_year:
        return MeetingsRequired(
            period.year,
            group.meetings_per_year,
            group.spring_meetings,
            group.autumn_meetings,
            False,
        )
    year = period.year
    if group.spring_meetings is not None and group.autumn_meetings is not None:
        spring = _prorate(
            group.spring_meetings,
            period.start,
            period.end,
            dt.date(year, 1, 1),
            dt.date(year, 6, 30),
        )
        autumn = _prorate(
            group.autumn_meetings,
            period.start,
            period.end,
            dt.date(year, 7, 1),
            dt.date(year, 12, 31),
        )
        count = max(spring + autumn, 1)
        return MeetingsRequired(year, count, spring, autumn, True)
    count = _prorate(
        group.meetings_per_year,
        period.start,
        period.end,
        dt.date(year, 1, 1),
        dt.date(year, 12, 31),
    )
    return MeetingsRequired(year, max(count, 1), None, None, True)
