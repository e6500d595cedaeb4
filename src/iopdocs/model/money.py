"""What the parties contribute: in-kind items and money lines, and how money is paid."""

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from iopdocs.model.base import StrictModel, TextOrModel, empty_dict, empty_list
from iopdocs.model.types import Money, Prose, Share, Text

__all__ = [
    "Basis",
    "Contribution",
    "Frequency",
    "InKindItem",
    "Indexation",
    "MoneyLine",
    "Payment",
    "Rounding",
    "Vat",
]


class Basis(StrEnum):
    """What span of time a money line's amount covers."""

    PER_12_MONTHS = "per_12_months"
    """For each 12-month period counted from the agreement's start ("per tolvmånadersperiod")."""
    PER_CALENDAR_YEAR = "per_calendar_year"
    """For each calendar year; a part-year gets its share."""
    TOTAL = "total"
    """For the whole agreement period; no per-year split is implied."""


class Frequency(StrEnum):
    """How often money is paid out."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TERTIAL = "tertial"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    ONCE = "once"

    @property
    def months(self) -> int | None:
        """The length of one instalment period in months; ``None`` for a single payment."""
        return _FREQUENCY_MONTHS[self]


_FREQUENCY_MONTHS: dict[Frequency, int | None] = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.TERTIAL: 4,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
    Frequency.ONCE: None,
}


class Rounding(StrEnum):
    """How an indexed amount is rounded."""

    NONE = "none"
    DOWN_TO_KRONA = "down_to_krona"
    DOWN_TO_HUNDRED = "down_to_hundred"
    DOWN_TO_THOUSAND = "down_to_thousand"
    NEAREST_HUNDRED = "nearest_hundred"


class Indexation(StrictModel):
    """Indexering: how the amount is adjusted when the agreement is renewed."""

    index: Text
    """The index followed, e.g. "SCB:s arbetskostnadsindex (AKI)"."""
    base: Text
    """The index value the change is measured from, e.g. "oktober 2024"."""
    share: Share = Decimal(1)
    """The share of the index change applied: ``0.8`` or ``"80 %"``."""
    rounding: Rounding = Rounding.NONE


class Vat(StrEnum):
    """The VAT sentence printed under the money, if any (mervärdesskatt); a lawyer decides."""

    EXCLUSIVE = "exclusive"
    """"Beloppen är angivna exklusive eventuell mervärdesskatt.\""""
    OUTSIDE_SCOPE = "outside_scope"
    """The money is a grant without counter-performance and so outside the scope of VAT."""


class MoneyLine(StrictModel):
    """One labelled sum of money a party contributes to one or more recipients."""

    label: Text | None = None
    """What the line is for ("för partnerskapets verksamhet"); names the line in the schedule."""
    amount: Money = Field(gt=0)
    """The amount per ``basis`` period, in whole kronor: what each recipient receives, or, when
    the line is ``shared``, what the recipients receive together."""
    ceiling: bool = False
    """True when the amount is a ceiling ("upp till"), not a fixed sum."""
    recipients: list[Text] = Field(min_length=1)
    """Short names of the receiving parties; each receives ``amount`` unless the line is
    ``shared``."""
    shared: bool = False
    """True when ``amount`` is one sum shared among the recipients (in equal shares, or in the
    ``shares`` given) instead of paid to each of them."""
    shares: dict[Text, Share] | None = None
    """Stated shares of a shared amount by recipient (``{GSE: "50 %", SENS: 0.25, …}``); they
    must name every recipient and add up to 100 %. Implies ``shared``."""
    start: dt.date | None = None
    """The first day the line covers, when the money is decided for only part of the agreement
    period (the agreement's start when not given)."""
    end: dt.date | None = None
    """The last day the line covers (the agreement's end when not given)."""
    basis: Basis = Basis.PER_12_MONTHS
    purpose: Text | None = None
    """What the money mainly pays for, e.g. "lönekostnader"."""
    frequency: Frequency | None = None
    """How often it is paid; ``payment.frequency`` when not given."""
    amounts: dict[int, Money] = Field(default_factory=empty_dict)
    """Amounts for particular calendar years where they differ from ``amount`` (a step-up in the
    second year: ``{2026: 600000}``); the line's basis must be ``per_calendar_year``."""
    pay_on_day: int | None = Field(default=None, ge=1, le=28)
    """The day of the month payments are made; ``None`` pays in advance on the first day of
    each instalment period."""
    pay_within_days: int | None = Field(default=None, ge=1, le=31)
    """Payment within the first N days of each instalment period ("inom de första tio dagarna
    av varje kvartal"); the schedule dates each payment on the last of those days."""
    pay_by_day: int | None = Field(default=None, ge=1, le=28)
    """Payment no later than day D of the first month of each instalment period ("senast den
    10"); the schedule dates each payment on that day."""
    indexation: Indexation | None = None
    vat: Vat | None = None
    stated_total: Money | None = Field(default=None, gt=0)
    """The line's total for the whole period as a decision or the drafter states it, to be
    checked against the computed schedule (``iopdocs check``); never printed."""

    @field_validator("amount")
    @classmethod
    def _whole_kronor(cls, value: Decimal) -> Decimal:
        return _whole(value)

    @field_validator("amounts")
    @classmethod
    def _whole_kronor_by_year(cls, value: dict[int, Decimal]) -> dict[int, Decimal]:
        for year, amount in value.items():
            if not 1900 <= year <= 2200:
                raise PydanticCustomError(
                    "amounts_year", "'{year}' is not a calendar year", {"year": year}
                )
            if amount <= 0:
                raise PydanticCustomError(
                    "amounts_positive", "the amount for {year} must be above 0", {"year": year}
                )
            _whole(amount)
        return dict(sorted(value.items()))

    @model_validator(mode="after")
    def _shapes_agree(self) -> "MoneyLine":
        timings = [
            name
            for name in ("pay_on_day", "pay_within_days", "pay_by_day")
            if getattr(self, name) is not None
        ]
        if len(timings) > 1:
            raise PydanticCustomError(
                "payment_timing_conflict",
                "give one of pay_on_day, pay_within_days and pay_by_day, not {names}",
                {"names": ", ".join(timings)},
            )
        if self.amounts and self.basis is not Basis.PER_CALENDAR_YEAR:
            raise PydanticCustomError(
                "amounts_basis",
                "amounts by year need basis 'per_calendar_year', not '{basis}'",
                {"basis": self.basis.value},
            )
        if self.start is not None and self.end is not None and self.end < self.start:
            raise PydanticCustomError(
                "money_dates_order",
                "the money line ends ({end}) before it starts ({start})",
                {"end": self.end.isoformat(), "start": self.start.isoformat()},
            )
        if self.shares is not None:
            if set(self.shares) != set(self.recipients):
                raise PydanticCustomError(
                    "shares_recipients",
                    "shares must name exactly the recipients ({recipients}), not {named}",
                    {
                        "recipients": ", ".join(self.recipients),
                        "named": ", ".join(self.shares) or "none",
                    },
                )
            total = sum(self.shares.values(), Decimal(0))
            if total != 1:
                raise PydanticCustomError(
                    "shares_sum",
                    "the shares add up to {total} %, not 100 %",
                    {"total": format(total * 100, "f").rstrip("0").rstrip(".")},
                )
            self.shared = True
        return self

    @property
    def each(self) -> bool:
        """Every recipient receives the whole ``amount`` (the line is not shared)."""
        return not self.shared

    def amount_for(self, year: int) -> Decimal:
        """The amount for a basis period starting in calendar ``year``."""
        return self.amounts.get(year, self.amount)


def _whole(value: Decimal) -> Decimal:
    if value != value.to_integral_value():
        raise PydanticCustomError(
            "money_whole_kronor",
            "a money line is paid in whole kronor; {value} has öre",
            {"value": str(value)},
        )
    return value


class InKindItem(TextOrModel):
    """A contribution in kind with an optional valuation; a plain string is just its text."""

    text: Text
    value: Money | None = Field(default=None, ge=0)
    """What the item is worth in kronor, if the parties have valued it."""


def _in_kind_item(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Contribution(StrictModel):
    """Parternas bidrag: what one party, or a group of parties alike, brings to the partnership."""

    parties: list[Text] = Field(min_length=1)
    """Short names of the contributing parties; money lines need exactly one (the payer)."""
    in_kind: list[InKindItem] = Field(default_factory=empty_list)
    """Contributions in kind (staff, premises, networks, competence): plain text, or ``text``
    with a ``value``."""
    money: list[MoneyLine] = Field(default_factory=empty_list)
    text: Prose | None = None
    """Further text shown after the items."""

    @field_validator("in_kind", mode="before")
    @classmethod
    def _items_from_text(cls, value: Any) -> Any:
        return [_in_kind_item(v) for v in value] if isinstance(value, list) else value

    @model_validator(mode="after")
    def _not_empty(self) -> "Contribution":
        if not self.in_kind and not self.money and self.text is None:
            raise PydanticCustomError(
                "contribution_empty", "a contribution needs in-kind items, money or a text"
            )
        return self


class Payment(StrictModel):
    """Utbetalning av bidraget: how the money lines are paid out."""

    frequency: Frequency = Frequency.MONTHLY
    """The frequency of every money line that does not state its own."""
    on_decided_basis: bool = False
    """True when each payment follows a decided basis ("utifrån beslutat underlag")."""
    amounts_in_words: bool = False
    """Also write amounts in words in the contract ("trehundratusen kronor")."""
    on_request: bool = False
    """Rekvisition: each payment is made when the receiving party requests it in writing,
    instead of on the public party's own schedule."""
    request_to: Text | None = None
    """Where a request for payment is sent, e.g. "kulturförvaltningens ekonomienhet"."""
    budget_reservation: bool = True
    """Förbehåll för anslag: money for budget years after the first is conditional on the
    public party's budget decision for that year."""
    text: Prose | None = None
