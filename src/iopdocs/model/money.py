"""What the parties contribute: in-kind items and money lines, and how money is paid."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from iopdocs.model.base import StrictModel, TextOrModel
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
    """The amount each recipient receives per ``basis`` period, in whole kronor."""
    ceiling: bool = False
    """True when the amount is a ceiling ("upp till"), not a fixed sum."""
    recipients: list[Text] = Field(min_length=1)
    """Short names of the receiving parties; each receives ``amount``."""
    basis: Basis = Basis.PER_12_MONTHS
    purpose: Text | None = None
    """What the money mainly pays for, e.g. "lönekostnader"."""
    frequency: Frequency | None = None
    """How often it is paid; ``payment.frequency`` when not given."""
    payment_day: int | None = Field(default=None, ge=1, le=28)
    """The day of the month payments are made; ``None`` pays in advance on the first day of
    each instalment period."""
    indexation: Indexation | None = None
    vat: Vat | None = None
    stated_total: Money | None = Field(default=None, gt=0)
    """The line's total for the whole period as a decision or the drafter states it, to be
    checked against the computed schedule (``iopdocs check``); never printed."""

    @field_validator("amount")
    @classmethod
    def _whole_kronor(cls, value: Decimal) -> Decimal:
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
    in_kind: list[InKindItem] = Field(default_factory=list)
    """Contributions in kind (staff, premises, networks, competence): plain text, or ``text``
    with a ``value``."""
    money: list[MoneyLine] = Field(default_factory=list)
    text: Prose | None = None
    """Further text shown after the items."""

    @field_validator("in_kind", mode="before")
    @classmethod
    def _items_from_text(cls, value: Any) -> Any:
        return [_in_kind_item(v) for v in value] if isinstance(value, list) else value

    @model_validator(mode="after")
    def _not_empty(self) -> Contribution:
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
