"""The agreement model: pydantic only, no knowledge of Word, Jinja or PDF.

The annual report's classes (``iopdocs.model.report``) are built on first use: a command that
reads an agreement does not pay for building them (about 5 ms of a cold ``iopdocs validate``).
"""

from typing import TYPE_CHECKING, Any

from iopdocs.model.agreement import (
    Agreement,
    Appendix,
    Capacity,
    ClauseOverride,
    Conditions,
    Cooperation,
    DayMonth,
    Deviations,
    FinalProvisions,
    FollowUp,
    Indicator,
    IopForm,
    Metadata,
    Mission,
    MissionItem,
    OperationalResponsibility,
    Period,
    Principle,
    Signing,
    StateAid,
    StateAidForm,
    Status,
    SteeringGroup,
    Values,
)
from iopdocs.model.money import (
    Basis,
    Contribution,
    Frequency,
    Indexation,
    InKindItem,
    MoneyLine,
    Payment,
    Rounding,
    Vat,
)
from iopdocs.model.parties import Contact, Party, PartyKind, Signatory
from iopdocs.model.types import (
    Money,
    OrgNumber,
    Prose,
    Quantity,
    Share,
    Text,
    normalize_org_number,
    parse_money,
)

if TYPE_CHECKING:
    from iopdocs.model.report import (
        AnnualReport,
        CostRow,
        IndicatorResult,
        LineAccount,
        MeetingHeld,
        MissionResult,
        OwnContribution,
        ReportSignature,
    )

# The names of iopdocs.model.report, imported when one of them is first asked for.
_REPORT = frozenset(
    {
        "AnnualReport",
        "CostRow",
        "IndicatorResult",
        "LineAccount",
        "MeetingHeld",
        "MissionResult",
        "OwnContribution",
        "ReportSignature",
    }
)

__all__ = [
    "Agreement",
    "AnnualReport",
    "Appendix",
    "Basis",
    "Capacity",
    "ClauseOverride",
    "Conditions",
    "Contact",
    "Contribution",
    "Cooperation",
    "CostRow",
    "DayMonth",
    "Deviations",
    "FinalProvisions",
    "FollowUp",
    "Frequency",
    "InKindItem",
    "Indexation",
    "Indicator",
    "IndicatorResult",
    "IopForm",
    "LineAccount",
    "MeetingHeld",
    "Metadata",
    "Mission",
    "MissionItem",
    "MissionResult",
    "Money",
    "MoneyLine",
    "OperationalResponsibility",
    "OrgNumber",
    "OwnContribution",
    "Party",
    "PartyKind",
    "Payment",
    "Period",
    "Principle",
    "Prose",
    "Quantity",
    "ReportSignature",
    "Rounding",
    "Share",
    "Signatory",
    "Signing",
    "StateAid",
    "StateAidForm",
    "Status",
    "SteeringGroup",
    "Text",
    "Values",
    "Vat",
    "normalize_org_number",
    "parse_money",
]


def __getattr__(name: str) -> Any:
    """The annual report's classes, built when first asked for."""
    if name in _REPORT:
        from iopdocs.model import report

        value = getattr(report, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _REPORT)
