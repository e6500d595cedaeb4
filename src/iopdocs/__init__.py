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
    AppendixError,
    BatchError,
    ConversionError,
    ConverterMissingError,
    IopdocsError,
    NoProvenanceError,
    ProvenanceError,
    ReportError,
    ReviewError,
    ScheduleError,
    TemplateError,
    TemplateMismatchError,
    TemplateSandboxError,
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
from iopdocs.provenance import VerifyResult, extract, verify
from iopdocs.render import render_annual_report, render_contract, render_redline, render_review
from iopdocs.render.lint import TemplateProblem, lint_template
from iopdocs.render.templates import TemplateInfo, export_template, list_templates
from iopdocs.review import Finding, Severity, review
from iopdocs.review.diff import Change, ChangeKind, diff
from iopdocs.schedule import Schedule, payment_schedule, report_periods

__version__ = "0.1.0"

__all__ = [
    "Agreement",
    "AgreementFileError",
    "AnnualReport",
    "Appendix",
    "AppendixError",
    "BatchError",
    "BatchResult",
    "Change",
    "ChangeKind",
    "ConversionError",
    "ConverterMissingError",
    "Finding",
    "IopdocsError",
    "NoProvenanceError",
    "NotPdfAWarning",
    "OrgNumber",
    "PartyKind",
    "Principle",
    "ProvenanceError",
    "RenderResult",
    "ReportError",
    "ReviewError",
    "Schedule",
    "ScheduleError",
    "Severity",
    "Status",
    "TemplateError",
    "TemplateInfo",
    "TemplateMismatchError",
    "TemplateProblem",
    "TemplateSandboxError",
    "TemplateSyntaxError",
    "VerifyResult",
    "__version__",
    "agreement_schema",
    "convert_many",
    "diff",
    "dump_agreement",
    "export_template",
    "extract",
    "lint_template",
    "list_templates",
    "load_agreement",
    "load_report",
    "parse_agreement",
    "payment_schedule",
    "render_annual_report",
    "render_annual_report_pdf",
    "render_contract",
    "render_many",
    "render_pdf",
    "render_redline",
    "render_review",
    "report_periods",
    "review",
    "verify",
]
