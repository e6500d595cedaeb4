"""iopdocs: draft Swedish IOP contracts (idéburet offentligt partnerskap) from typed data.

Load or build an ``Agreement``, then render it::

    import iopdocs
    agreement = iopdocs.load_agreement("examples/vgr-social-ekonomi-2024.yaml")
    iopdocs.render_contract(agreement, "avtal.docx")
"""

from __future__ import annotations

from iopdocs.errors import (
    AgreementFileError,
    IopdocsError,
    ReportError,
    ScheduleError,
    TemplateError,
    TemplateSyntaxError,
)
from iopdocs.loading import (
    agreement_schema,
    dump_agreement,
    load_agreement,
    load_report,
    parse_agreement,
)
from iopdocs.model import Agreement, AnnualReport, OrgNumber, PartyKind, Principle, Status
from iopdocs.render import render_annual_report, render_contract, render_redline
from iopdocs.review.diff import Change, ChangeKind, diff
from iopdocs.schedule import Schedule, payment_schedule, report_periods

__version__ = "0.1.0"

__all__ = [
    "Agreement",
    "AgreementFileError",
    "AnnualReport",
    "Change",
    "ChangeKind",
    "IopdocsError",
    "OrgNumber",
    "PartyKind",
    "Principle",
    "ReportError",
    "Schedule",
    "ScheduleError",
    "Status",
    "TemplateError",
    "TemplateSyntaxError",
    "__version__",
    "agreement_schema",
    "diff",
    "dump_agreement",
    "load_agreement",
    "load_report",
    "parse_agreement",
    "payment_schedule",
    "render_annual_report",
    "render_contract",
    "render_redline",
    "report_periods",
]
