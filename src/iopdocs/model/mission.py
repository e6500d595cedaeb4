"""The mission of the partnership: its items, their capacities and indicators."""

import re
from typing import Any

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from iopdocs.model.base import StrictModel, empty_list
from iopdocs.model.types import Prose, Quantity, Text

__all__ = ["Capacity", "Indicator", "Mission", "MissionItem"]

_RANGE = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*(?:[-\u2010-\u2015\u2212]|till)\s*(\d+(?:[.,]\d+)?)\s*$"
)


class Capacity(StrictModel):
    """A capacity a mission item provides: "12 platser per natt", "40 timmar per vecka", or a
    range: "20–40 personer" (``quantity: 20``, ``up_to: 40``, or ``quantity: "20–40"``)."""

    quantity: Quantity
    """The number, or the least number of a range."""
    up_to: Quantity | None = None
    """The greatest number of a range ("20–40 personer"): above ``quantity``."""
    unit: Text
    """What is counted, in the plural: "platser", "timmar", "besökare"."""
    per: Text | None = None
    """The span it is counted over: "natt", "vecka", "år"."""

    @model_validator(mode="before")
    @classmethod
    def _range_in_one(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("quantity"), str):
            match = _RANGE.match(value["quantity"])
            if match and "up_to" not in value:
                return {**value, "quantity": match.group(1), "up_to": match.group(2)}
        return value

    @model_validator(mode="after")
    def _range_order(self) -> "Capacity":
        if self.up_to is not None and self.up_to <= self.quantity:
            raise PydanticCustomError(
                "capacity_range_order",
                "the range {low}–{high} must end above where it starts",
                {"low": str(self.quantity), "high": str(self.up_to)},
            )
        return self


class Indicator(StrictModel):
    """A measure of goal fulfilment followed up in the annual report."""

    name: Text
    """What is measured: "Antal deltagare"."""
    target: Quantity | None = None
    """The level aimed for each year, if the parties have set one."""
    unit: Text | None = None
    """The unit of ``target``: "personer", "träffar"."""


class MissionItem(StrictModel):
    """One task within the mission."""

    title: Text
    description: Prose | None = None
    parties: list[Text] = Field(default_factory=empty_list)
    """Short names of the parties carrying the item; empty means all parties jointly."""
    capacities: list[Capacity] = Field(default_factory=empty_list)
    goals: list[Text] = Field(default_factory=empty_list)
    """Measurable goals of the item, each a sentence."""
    indicators: list[Indicator] = Field(default_factory=empty_list)

    @model_validator(mode="after")
    def _indicator_names_unique(self) -> "MissionItem":
        names = [i.name for i in self.indicators]
        if len(set(names)) != len(names):
            raise PydanticCustomError(
                "indicator_repeated",
                "two indicators of '{title}' share a name",
                {"title": self.title},
            )
        return self


class Mission(StrictModel):
    """Uppdrag: what the partnership sets out to do."""

    text: Prose | None = None
    items: list[MissionItem] = Field(default_factory=empty_list)
    exclusions: list[Text] = Field(default_factory=empty_list)
    """What the partnership does not cover, each a phrase ("myndighetsutövning")."""

    @model_validator(mode="after")
    def _something_said(self) -> "Mission":
        if self.text is None and not self.items:
            raise PydanticCustomError("mission_empty", "describe the mission in text or items")
        return self
