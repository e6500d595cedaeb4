"""iopdocs: draft Swedish IOP contracts (idéburet offentligt partnerskap) from typed data.

Load or build an ``Agreement``, then render it::

    import iopdocs
    agreement = iopdocs.load_agreement("examples/vgr-social-ekonomi-2024.yaml")
    iopdocs.render_contract(agreement, "avtal.docx")
"""

from __future__ import annotations

from iopdocs.batch import BatchResult, RenderResult, render_many
from iopdocs.errors import (
    AgreementFileError,
    BatchError,
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
from iopdocs.render import render_annual_report, render_contract
from iopdocs.schedule import Schedule, payment_schedule, report_periods

__version__ = "0.1.0"

__all__ = [
    "Agreement",
    "AgreementFileError",
    "AnnualReport",
    "BatchError",
    "BatchResult",
    "IopdocsError",
    "OrgNumber",
    "PartyKind",
    "Principle",
    "RenderResult",
    "ReportError",
    "Schedule",
    "ScheduleError",
    "Status",
    "TemplateError",
    "TemplateSyntaxError",
    "__version__",
    "agreement_schema",
    "dump_agreement",
    "load_agreement",
    "load_report",
    "parse_agreement",
    "payment_schedule",
    "render_annual_report",
    "render_contract",
    "render_many",
    "report_periods",
]
