"""What the parties contribute: in-kind items and money lines, and how money is paid."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from iopdocs.model.base import StrictModel
from iopdocs.model.types import Money, Prose, Text

__all__ = ["Basis", "Contribution", "Frequency", "MoneyLine", "Payment"]


class Basis(StrEnum):
    """What span of time a money line's amount covers."""

    PER_12_MONTHS = "per_12_months"
    """The amount is for each 12-month period of the agreement ("per tolvmånadersperiod")."""


class Frequency(StrEnum):
    """How often money is paid out."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TERTIAL = "tertial"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    ONCE = "once"


class MoneyLine(StrictModel):
    """One labelled sum of money a party contributes to one or more recipients."""

    label: Text | None = None
    """What the line is for, as a heading ("för partnerskapets verksamhet")."""
    amount: Money = Field(gt=0)
    """The amount each recipient receives per ``basis`` period."""
    ceiling: bool = False
    """True when the amount is a ceiling ("upp till"), not a fixed sum."""
    recipients: list[Text] = Field(min_length=1)
    """Short names of the receiving parties; each receives ``amount``."""
    basis: Basis = Basis.PER_12_MONTHS
    purpose: Text | None = None
    """What the money mainly pays for, e.g. "lönekostnader"."""


class Contribution(StrictModel):
    """Parternas bidrag: what one party, or a group of parties alike, brings to the partnership."""

    parties: list[Text] = Field(min_length=1)
    """Short names of the contributing parties; money lines need exactly one (the payer)."""
    in_kind: list[Text] = Field(default_factory=list)
    """Contributions in kind: staff, premises, networks, competence."""
    money: list[MoneyLine] = Field(default_factory=list)
    text: Prose | None = None
    """Further text shown after the items."""


class Payment(StrictModel):
    """Fakturering/utbetalning: how the money lines are paid out."""

    frequency: Frequency = Frequency.MONTHLY
    on_decided_basis: bool = False
    """True when each payment follows a decided basis ("utifrån beslutat underlag")."""
    text: Prose | None = None
