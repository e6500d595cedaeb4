"""The public API is small, listed in __all__, and cheap to import."""

from __future__ import annotations

import subprocess
import sys

import iopdocs
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

PUBLIC = {
    "Agreement",
    "AgreementFileError",
    "AnnualReport",
    "IopdocsError",
    "ReportError",
    "Schedule",
    "ScheduleError",
    "load_report",
    "payment_schedule",
    "render_annual_report",
    "report_periods",
    "OrgNumber",
    "PartyKind",
    "Principle",
    "Status",
    "TemplateError",
    "TemplateSyntaxError",
    "__version__",
    "agreement_schema",
    "dump_agreement",
    "load_agreement",
    "parse_agreement",
    "render_contract",
    "Finding",
    "ReviewError",
    "Severity",
    "render_review",
    "review",
    "TemplateInfo",
    "TemplateProblem",
    "TemplateSandboxError",
    "export_template",
    "lint_template",
    "list_templates",
    "NoProvenanceError",
    "ProvenanceError",
    "TemplateMismatchError",
    "VerifyResult",
    "extract",
    "verify",
    "Change",
    "ChangeKind",
    "diff",
    "render_redline",
    "AppendixError",
    "ConversionError",
    "ConverterMissingError",
    "NotPdfAWarning",
    "convert_many",
    "render_annual_report_pdf",
    "render_pdf",
    "Appendix",
    "BatchError",
    "BatchResult",
    "RenderResult",
    "render_many",
}


def test_the_public_api_is_exactly_what_all_lists() -> None:
    assert set(iopdocs.__all__) == PUBLIC
    for name in iopdocs.__all__:
        assert getattr(iopdocs, name) is not None


def test_every_error_derives_from_one_root() -> None:
    for error in (
        AgreementFileError,
        AppendixError,
        ConversionError,
        ConverterMissingError,
        BatchError,
        ReportError,
        ReviewError,
        ScheduleError,
        TemplateError,
        TemplateSyntaxError,
        TemplateSandboxError,
        ProvenanceError,
        NoProvenanceError,
        TemplateMismatchError,
    ):
        assert issubclass(error, IopdocsError)


def test_importing_iopdocs_does_not_load_the_word_machinery() -> None:
    code = (
        "import sys, iopdocs; "
        "heavy = ('docxtpl', 'docx', 'jinja2', 'babel', 'pypdf', 'lxml'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
