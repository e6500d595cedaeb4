"""The public API is small, listed in __all__, and cheap to import."""

from __future__ import annotations

import subprocess
import sys

import iopdocs
from iopdocs.errors import (
    AgreementFileError,
    BatchError,
    IopdocsError,
    ReportError,
    ScheduleError,
    TemplateError,
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
        BatchError,
        ReportError,
        ScheduleError,
        TemplateError,
        TemplateSyntaxError,
    ):
        assert issubclass(error, IopdocsError)


def test_importing_iopdocs_does_not_load_the_word_machinery() -> None:
    code = (
        "import sys, iopdocs; "
        "print(sorted(m for m in ('docxtpl', 'docx', 'jinja2', 'babel') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
