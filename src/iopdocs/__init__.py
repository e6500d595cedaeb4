"""iopdocs: draft Swedish IOP contracts (idéburet offentligt partnerskap) from typed data.

Load or build an ``Agreement``, then render it::

    import iopdocs
    agreement = iopdocs.load_agreement("examples/vgr-social-ekonomi-2024.yaml")
    iopdocs.render_contract(agreement, "avtal.docx")

The names below are imported on first use, not by ``import iopdocs``: the errors are cheap and
loaded at once, while the model (pydantic), rendering (docxtpl, Jinja) and PDF work load the
first time one of their names is touched, so a script or a command that needs only part of the
package pays only for that part.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

from iopdocs.errors import (
    AgreementFileError,
    AppendixError,
    BatchError,
    ConversionError,
    ConverterMissingError,
    IopdocsError,
    NoProvenanceError,
    PackageError,
    ProvenanceError,
    ReportError,
    ReviewError,
    ScheduleError,
    TemplateError,
    TemplateMismatchError,
    TemplateSandboxError,
    TemplateSyntaxError,
)
from iopdocs.version import __version__

if TYPE_CHECKING:
    from iopdocs.authoring.lint import TemplateProblem, lint_template
    from iopdocs.authoring.templates import TemplateInfo, export_template, list_templates
    from iopdocs.batch import BatchResult, RenderResult, render_many
    from iopdocs.delivery import (
        SigningPackage,
        archive_sidecar,
        signing_manifest,
        write_signing_package,
    )
    from iopdocs.documents import (
        render_annual_report,
        render_contract,
        render_redline,
        render_review,
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
    from iopdocs.pdf import (
        NotPdfAWarning,
        NotPdfUAWarning,
        convert_many,
        render_annual_report_pdf,
        render_pdf,
    )
    from iopdocs.pdf.warm import PdfConverter
    from iopdocs.provenance import VerifyResult, extract, verify
    from iopdocs.reviewing import Finding, Severity, review
    from iopdocs.reviewing.diff import Change, ChangeKind, diff
    from iopdocs.schedule import Schedule, payment_schedule, report_periods


# Where each lazily loaded name lives; the TYPE_CHECKING block above says the same to type
# checkers and editors, and a test keeps the two in step.
_LAZY: dict[str, str] = {
    "BatchResult": "iopdocs.batch",
    "RenderResult": "iopdocs.batch",
    "render_many": "iopdocs.batch",
    "SigningPackage": "iopdocs.delivery",
    "archive_sidecar": "iopdocs.delivery",
    "signing_manifest": "iopdocs.delivery",
    "write_signing_package": "iopdocs.delivery",
    "agreement_schema": "iopdocs.loading",
    "dump_agreement": "iopdocs.loading",
    "load_agreement": "iopdocs.loading",
    "load_report": "iopdocs.loading",
    "parse_agreement": "iopdocs.loading",
    "Agreement": "iopdocs.model",
    "AnnualReport": "iopdocs.model",
    "Appendix": "iopdocs.model",
    "OrgNumber": "iopdocs.model",
    "PartyKind": "iopdocs.model",
    "Principle": "iopdocs.model",
    "Status": "iopdocs.model",
    "NotPdfAWarning": "iopdocs.pdf",
    "NotPdfUAWarning": "iopdocs.pdf",
    "convert_many": "iopdocs.pdf",
    "render_annual_report_pdf": "iopdocs.pdf",
    "render_pdf": "iopdocs.pdf",
    "PdfConverter": "iopdocs.pdf.warm",
    "VerifyResult": "iopdocs.provenance",
    "extract": "iopdocs.provenance",
    "verify": "iopdocs.provenance",
    "render_annual_report": "iopdocs.documents",
    "render_contract": "iopdocs.documents",
    "render_redline": "iopdocs.documents",
    "render_review": "iopdocs.documents",
    "TemplateProblem": "iopdocs.authoring.lint",
    "lint_template": "iopdocs.authoring.lint",
    "TemplateInfo": "iopdocs.authoring.templates",
    "export_template": "iopdocs.authoring.templates",
    "list_templates": "iopdocs.authoring.templates",
    "Finding": "iopdocs.reviewing",
    "Severity": "iopdocs.reviewing",
    "review": "iopdocs.reviewing",
    "Change": "iopdocs.reviewing.diff",
    "ChangeKind": "iopdocs.reviewing.diff",
    "diff": "iopdocs.reviewing.diff",
    "Schedule": "iopdocs.schedule",
    "payment_schedule": "iopdocs.schedule",
    "report_periods": "iopdocs.schedule",
}


def _load(name: str) -> Any:
    """Import the module that defines ``name`` the first time ``iopdocs.<name>`` is used."""
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'iopdocs' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups are plain attribute reads
    if "iopdocs.model" in sys.modules:
        _show_models_in_jupyter()
    return value


def _show_models_in_jupyter() -> None:
    """Attach the Jupyter display to the model classes, once: the model itself knows no HTML."""
    global _display_installed
    if not _display_installed:
        from iopdocs.display import install

        install()
        _display_installed = True


_display_installed = False


def _html(model: Any) -> str:
    from iopdocs.display import summary_html

    return summary_html(model)


def _show_models_in_ipython() -> None:
    """In a running IPython or Jupyter, register the model's HTML display by class name.

    IPython looks such deferred printers up through each object's classes, so the model shows as
    a table even when a notebook imports ``iopdocs.model`` directly; the model stays unloaded
    until then, and knows no HTML.
    """
    try:
        shell = sys.modules["IPython"].get_ipython()
        formatter = shell.display_formatter.formatters["text/html"]
    except (AttributeError, KeyError):
        return  # not inside a running shell (or an IPython without display formatters)
    formatter.for_type_by_name("iopdocs.model.base", "StrictModel", _html)


if "IPython" in sys.modules:
    _show_models_in_ipython()


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if not TYPE_CHECKING:
    # Hidden from type checkers, which see the imports above instead: a typo such as
    # ``iopdocs.load_agrement`` stays an error for them rather than becoming ``Any``.
    __getattr__ = _load


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
    "NotPdfUAWarning",
    "OrgNumber",
    "PackageError",
    "PartyKind",
    "PdfConverter",
    "Principle",
    "ProvenanceError",
    "RenderResult",
    "ReportError",
    "ReviewError",
    "Schedule",
    "ScheduleError",
    "Severity",
    "SigningPackage",
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
    "archive_sidecar",
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
    "signing_manifest",
    "verify",
    "write_signing_package",
]
