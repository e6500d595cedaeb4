"""iopdocs: draft Swedish IOP contracts (idéburet offentligt partnerskap) from typed data.

Load or build an ``Agreement``, then render it::

    import iopdocs
    agreement = iopdocs.load_agreement("examples/vgr-social-ekonomi-2024.yaml")
    iopdocs.render_contract(agreement, "avtal.docx")
"""

from __future__ import annotations

from iopdocs.errors import (
    AgreementFileError,
    AppendixError,
    ConversionError,
    ConverterMissingError,
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
from iopdocs.model import (
    Agreement,
    AnnualReport,
    Appendix,
    OrgNumber,
    PartyKind,
    Principle,
    Status,
)
from iopdocs.pdf import NotPdfAWarning, convert_many, render_annual_report_pdf, render_pdf
from iopdocs.render import render_annual_report, render_contract
from iopdocs.schedule import Schedule, payment_schedule, report_periods

__version__ = "0.1.0"

__all__ = [
    "Agreement",
    "AgreementFileError",
    "AnnualReport",
    "Appendix",
    "AppendixError",
    "ConversionError",
    "ConverterMissingError",
    "IopdocsError",
    "NotPdfAWarning",
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
    "convert_many",
    "dump_agreement",
    "load_agreement",
    "load_report",
    "parse_agreement",
    "payment_schedule",
    "render_annual_report",
    "render_annual_report_pdf",
    "render_contract",
    "render_pdf",
    "report_periods",
]
