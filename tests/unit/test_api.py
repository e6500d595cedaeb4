"""The public API is small, listed in __all__, and cheap to import."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys

import pytest

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
    "PdfConverter",
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
    "NotPdfUAWarning",
    "PackageError",
    "SigningPackage",
    "archive_sidecar",
    "signing_manifest",
    "write_signing_package",
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


def _loaded_after(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has loaded after running ``code``."""
    probe = f"import sys; {code}; print(','.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


HEAVY = ("pydantic", "yaml", "docxtpl", "docx", "jinja2", "babel", "pypdf", "lxml")


def test_importing_iopdocs_loads_no_heavy_library() -> None:
    assert _loaded_after("import iopdocs", HEAVY) == []


def test_a_name_loads_only_what_it_needs() -> None:
    # Validating an agreement needs pydantic and YAML, never the Word or PDF machinery.
    loaded = _loaded_after("import iopdocs; iopdocs.load_agreement", HEAVY)
    assert loaded == ["pydantic", "yaml"]


def test_the_errors_are_there_without_loading_anything() -> None:
    assert _loaded_after("import iopdocs; iopdocs.IopdocsError", ("pydantic",)) == []


def test_every_lazy_name_is_the_object_its_module_defines() -> None:
    for name, module in iopdocs._LAZY.items():
        assert getattr(iopdocs, name) is getattr(importlib.import_module(module), name)
    assert set(iopdocs._LAZY) | {"__version__"} | {
        n for n in iopdocs.__all__ if n.endswith("Error")
    } == set(iopdocs.__all__)


def test_type_checkers_see_the_same_names_as_the_lazy_loader() -> None:
    tree = ast.parse(inspect.getsource(iopdocs))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    seen = {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == iopdocs._LAZY


def test_review_stays_the_function_when_its_package_is_imported() -> None:
    # The checks live in iopdocs.reviewing, not iopdocs.review: importing a subpackage binds
    # its name on the parent, which would replace the function.
    importlib.import_module("iopdocs.reviewing.diff")
    importlib.import_module("iopdocs.reviewing.checks")
    assert callable(iopdocs.review)
    assert iopdocs.review.__module__ == "iopdocs.reviewing"


def test_an_unknown_name_is_an_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="load_agrement"):
        iopdocs.load_agrement  # type: ignore[attr-defined]  # noqa: B018


def test_dir_lists_every_public_name() -> None:
    assert set(iopdocs.__all__) <= set(dir(iopdocs))
