"""What a non-profit party reports for one year: the filled-in annual report (årsberättelse).

The agreement already knows most of a report: the period, the parties, the mission items with
their goals and indicators, the required meetings and the money due. An ``AnnualReport`` adds
what only the reporting party knows: results, meetings held, costs, lessons. Without one,
iopdocs renders a skeleton with fields to fill in.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pydantic import Field, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from iopdocs.model.base import StrictModel, empty_list
from iopdocs.model.types import Money, Prose, Quantity, Text

__all__ = [
    "AnnualReport",
    "CostRow",
    "IndicatorResult",
    "LineAccount",
    "MeetingHeld",
    "MissionResult",
    "OwnContribution",
    "ReportSignature",
]


class IndicatorResult(StrictModel):
    """The outcome of one indicator of a mission item."""

    indicator: Text
    """The indicator's ``name`` as the agreement gives it."""
    actual: Quantity
    comment: Text | None = None


class MissionResult(StrictModel):
    """What was done within one mission item."""

    item: Text
    """The mission item's ``title`` as the agreement gives it."""
    done: Prose | None = None
    """What was done, and how far the goals were reached."""
    results: list[IndicatorResult] = Field(default_factory=empty_list)


class MeetingHeld(StrictModel):
    """A steering-group meeting that took place."""

    date: dt.date
    note: Text | None = None


class CostRow(StrictModel):
    """One cost paid from a money line."""

    label: Text
    amount: Money


class LineAccount(StrictModel):
    """The financial statement of one money line for the report period."""

    line: Text
    """The money line's name as the payment schedule shows it (its ``label``)."""
    received: Money | None = None
    """What was actually received; the amount due by the schedule when not given."""
    costs: list[CostRow] = Field(default_factory=empty_list)


class OwnContribution(StrictModel):
    """What the reporting party itself put in during the year."""

    staff_hours: Quantity | None = None
    volunteer_hours: Quantity | None = None
    premises: Text | None = None
    other_funding: Money | None = None
    """Money from other funders used in the activity."""
    value: Money | None = None
    """The own contribution (staff, volunteers, premises) valued in kronor."""
    other_income: Money | None = None
    """Other income of the activity: fees, sales, gifts (not other funders' grants)."""
    text: Prose | None = None


class ReportSignature(StrictModel):
    """Who signs the report, and where and when."""

    name: Text
    title: Text
    place: Text | None = None
    date: dt.date | None = None


class AnnualReport(StrictModel):
    """Årsberättelse: one reporting party's account of one report period."""

    year: int = Field(ge=1900, le=2200)
    party: Text | None = None
    """Short name of the reporting party; ``None`` when the non-profit parties report jointly."""
    summary: Prose | None = None
    missions: list[MissionResult] = Field(default_factory=empty_list)
    target_group: Prose | None = None
    """Whom the activity reached."""
    meetings: list[MeetingHeld] = Field(default_factory=empty_list)
    own_contribution: OwnContribution | None = None
    accounts: list[LineAccount] = Field(default_factory=empty_list)
    deviations: Prose | None = None
    lessons: Prose | None = None
    next_year: Prose | None = None
    appendices: list[Text] = Field(default_factory=empty_list)
    signature: ReportSignature | None = None

    def check_against(
        self,
        *,
        mission_items: dict[str, list[str]],
        line_names: list[str],
        period: tuple[dt.date, dt.date],
    ) -> None:
        """Raise ``ValidationError`` when the report names things the agreement does not have.

        ``mission_items`` maps each item title to its indicator names; ``line_names`` are the
        money lines of the schedule; ``period`` is the report period.
        """
        errors = list(self._reference_errors(mission_items, line_names, period))
        if errors:
            raise ValidationError.from_exception_data("AnnualReport", errors)

    def _reference_errors(
        self,
        mission_items: dict[str, list[str]],
        line_names: list[str],
        period: tuple[dt.date, dt.date],
    ) -> Iterator[InitErrorDetails]:
        def error(
            code: str, message: str, loc: tuple[Any, ...], value: Any, **ctx: Any
        ) -> InitErrorDetails:
            return InitErrorDetails(
                type=PydanticCustomError(code, message, ctx), loc=loc, input=value
            )

        for i, mission in enumerate(self.missions):
            if mission.item not in mission_items:
                yield error(
                    "mission_item_unknown",
                    "the agreement has no mission item '{item}' (it has: {known})",
                    ("missions", i, "item"), mission.item,
                    item=mission.item, known="; ".join(mission_items) or "none",
                )  # fmt: skip
                continue
            for j, result in enumerate(mission.results):
                if result.indicator not in mission_items[mission.item]:
                    yield error(
                        "indicator_unknown",
                        "mission item '{item}' has no indicator '{name}'",
                        ("missions", i, "results", j, "indicator"), result.indicator,
                        item=mission.item, name=result.indicator,
                    )  # fmt: skip
        for i, account in enumerate(self.accounts):
            if account.line not in line_names:
                yield error(
                    "money_line_unknown",
                    "the agreement has no money line '{line}' (it has: {known})",
                    ("accounts", i, "line"), account.line,
                    line=account.line, known="; ".join(line_names) or "none",
                )  # fmt: skip
        for i, meeting in enumerate(self.meetings):
            if not period[0] <= meeting.date <= period[1]:
                yield error(
                    "meeting_outside_period",
                    "the meeting on {date} is outside the report period {start} – {end}",
                    ("meetings", i, "date"), meeting.date.isoformat(),
                    date=meeting.date.isoformat(), start=period[0].isoformat(),
                    end=period[1].isoformat(),
                )  # fmt: skip
