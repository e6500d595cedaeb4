"""Delivery to the public sector: the signing package an e-signature service and a diarium take.

``write_signing_package`` writes one folder:

- the PDF to sign (PDF/A-3b and PDF/UA-1, the agreement embedded): the contract with its
  appendices, or an annual report;
- ``iopdocs-agreement.json`` (and, for a filled-in report, ``iopdocs-report.json``): the data,
  a file that goes with the PDF and is not signed;
- ``signing-manifest.json``: what an integration posts to an e-signature service (valid against
  ``schemas/signing-manifest.schema.json``);
- ``archive-sidecar.xml``: what a registrar and an archivist file with it (valid against
  ``schemas/archive-sidecar.xsd``).

The folder is written whole or not at all: it is built in a temporary folder beside it and then
renamed into place. Nothing here talks to a network.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from iopdocs.delivery.manifest import (
    FileEntry,
    Order,
    file_entry,
    manifest_json,
    missing_emails,
    signatories,
    signing_manifest,
)
from iopdocs.delivery.sidecar import archive_sidecar, sidecar_schema
from iopdocs.errors import PackageError
from iopdocs.i18n import Message
from iopdocs.model import Agreement, Status

if TYPE_CHECKING:
    from iopdocs.model import AnnualReport
    from iopdocs.pdf.warm import PdfConverter

__all__ = [
    "MANIFEST_NAME",
    "SIDECAR_NAME",
    "DraftWarning",
    "FileEntry",
    "MissingEmailWarning",
    "SigningPackage",
    "archive_sidecar",
    "manifest_schema",
    "sidecar_schema",
    "signing_manifest",
    "write_signing_package",
]

MANIFEST_NAME = "signing-manifest.json"
SIDECAR_NAME = "archive-sidecar.xml"
CONTRACT_TYPE = "Avtal om idéburet offentligt partnerskap"
REPORT_TYPE = "Årsberättelse inom idéburet offentligt partnerskap"


class MissingEmailWarning(UserWarning):
    """A signatory has no e-mail address, which an e-signature service needs to invite them."""


class DraftWarning(UserWarning):
    """A signing package of a draft: the PDF says it is not meant for signing."""


@dataclass(frozen=True)
class SigningPackage:
    """What ``write_signing_package`` wrote."""

    folder: Path
    pdf: Path
    manifest: Path
    sidecar: Path
    files: list[Path]
    warnings: list[str] = field(default_factory=list)


def manifest_schema() -> bytes:
    """The JSON Schema every signing manifest is valid against."""
    return files("iopdocs.delivery").joinpath("schemas/signing-manifest.schema.json").read_bytes()


def write_signing_package(
    agreement: Agreement,
    folder: str | os.PathLike[str],
    *,
    appendices: Sequence[str | os.PathLike[str]] = (),
    report_year: int | None = None,
    party: str | None = None,
    report: AnnualReport | None = None,
    order: Order = "sequential",
    public_last: bool = True,
    timeout: float | None = None,
    converter: PdfConverter | None = None,
) -> SigningPackage:
    """Write the signing package of ``agreement`` (or, with ``report_year``, of the annual report
    ``party`` writes for that year) into ``folder``, which must not exist or be empty.

    The contract's package has the contract and ``appendices`` in one PDF; everyone who signs
    for a party signs, in ``order`` ("sequential", the public parties last unless
    ``public_last`` is false; or "parallel"). A report's package is signed by the reporting
    party alone. A signatory without an e-mail address is a warning (``MissingEmailWarning``,
    also listed in the result), not an error: the manifest says ``"email": null``.

    Raises ``PackageError`` when ``folder`` exists and is not empty or its parent is missing,
    ``AppendixError`` for an appendix that is missing or neither PDF nor .docx, ``ReportError``
    for a report the agreement does not call for, and what ``render_pdf`` raises; in every
    case nothing is written.
    """
    from iopdocs.pdf import render_annual_report_pdf, render_pdf
    from iopdocs.record import AGREEMENT_ATTACHMENT, REPORT_ATTACHMENT, agreement_json, report_json

    target = Path(folder)
    _check_folder(target)
    data_title = "Avtalsdata (JSON) som dokumentet har skapats från"
    attachments: list[tuple[str, bytes, str]] = [
        (AGREEMENT_ATTACHMENT, agreement_json(agreement), data_title)
    ]
    if report_year is None:
        if party is not None or report is not None:
            raise PackageError(Message("a party or report data is given only with a report year"))
        pdf_name = "avtal.pdf"
        pdf = render_pdf(agreement, appendices=appendices, timeout=timeout, converter=converter)
        title, document_type, signing_parties = agreement.metadata.title, CONTRACT_TYPE, None
    else:
        from iopdocs.documents.report import reporting_parties

        if appendices:
            raise PackageError(
                Message("appendices belong to the contract's package, not a report's")
            )
        reporters = reporting_parties(agreement, party)
        if len(reporters) != 1:
            raise PackageError(
                Message(
                    "name the party whose annual report this is (--party): {parties}",
                    parties=", ".join(p.short_name for p in reporters),
                )
            )
        reporter = reporters[0].short_name
        pdf_name = f"arsberattelse-{report_year}-{reporter}.pdf"
        pdf = render_annual_report_pdf(
            agreement,
            report_year,
            party=reporter,
            report=report,
            timeout=timeout,
            converter=converter,
        )
        title = f"Årsberättelse {report_year}, {agreement.metadata.title}"
        document_type, signing_parties = REPORT_TYPE, [reporter]
        if report is not None:
            attachments.append((REPORT_ATTACHMENT, report_json(report), "Årsberättelsens data"))

    entries = [
        file_entry(name, data, purpose="attachment", title=t) for name, data, t in attachments
    ]
    manifest = signing_manifest(
        agreement,
        pdf,
        file_name=pdf_name,
        attachments=entries,
        order=order,
        public_last=public_last,
        document_type=document_type,
        title=title,
        signing_parties=signing_parties,
    )
    document = file_entry(pdf_name, pdf, purpose="sign", title=title)
    sidecar = archive_sidecar(
        agreement,
        [document, *entries],
        document_type=document_type,
        title=title,
        report_year=report_year,
        reporting_party=signing_parties[0] if signing_parties else None,
    )
    contents = {
        pdf_name: pdf,
        **{name: data for name, data, _ in attachments},
        MANIFEST_NAME: manifest_json(manifest),
        SIDECAR_NAME: sidecar,
    }
    notes: list[str] = [
        Message(
            "{name} ({party}) has no e-mail address; an e-signature service needs one to "
            "invite them (add 'email' under the party's signatories)",
            name=s.name,
            party=s.party,
        )
        for s in missing_emails(
            signatories(agreement, order=order, public_last=public_last, parties=signing_parties)
        )
    ]
    for note in notes:
        warnings.warn(note, MissingEmailWarning, stacklevel=2)
    if report_year is None and agreement.metadata.status is Status.DRAFT:
        draft = Message(
            "the agreement is a draft (metadata.status: draft): its PDF carries UTKAST and says "
            "it is not meant for signing; set status: final before sending it to be signed"
        )
        notes.append(draft)
        warnings.warn(draft, DraftWarning, stacklevel=2)
    _write_folder(target, contents)
    return SigningPackage(
        folder=target,
        pdf=target / pdf_name,
        manifest=target / MANIFEST_NAME,
        sidecar=target / SIDECAR_NAME,
        files=[target / name for name in contents],
        warnings=notes,
    )


def _check_folder(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PackageError(
            Message(
                "{folder}: exists and is not an empty folder; choose a new folder", folder=target
            )
        )
    if not target.parent.is_dir():
        raise PackageError(
            Message(
                "{folder}: the folder to write the package in does not exist",
                folder=target.parent,
            )
        )


def _write_folder(target: Path, contents: dict[str, bytes]) -> None:
    """Every file at once: written into a temporary folder beside ``target``, then renamed."""
    _check_folder(target)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        mask = os.umask(0)
        os.umask(mask)
        work.chmod(0o777 & ~mask)  # a folder as mkdir makes it, not mkdtemp's private one
        for name, data in contents.items():
            (work / name).write_bytes(data)
        if target.exists():
            target.rmdir()  # empty, checked above
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
