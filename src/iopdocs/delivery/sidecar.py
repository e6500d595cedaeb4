"""The archive sidecar: case-management and e-archive metadata of a signing package, as XML.

A registrar files the signed agreement in the diarium and, later, the e-archive; both want the
same facts: case number, title, document type, the parties with organisation numbers, the
agreement period, status, dates, and each file with its checksum and PDF/A and PDF/UA level.
The XML is validated against the shipped schema (``schemas/archive-sidecar.xsd``) before it is
returned, so a sidecar that does not fit it is never written.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from iopdocs.delivery.manifest import FileEntry
from iopdocs.errors import IopdocsError
from iopdocs.i18n import Message
from iopdocs.model import Agreement, PartyKind
from iopdocs.version import __version__

__all__ = ["SIDECAR_NAMESPACE", "archive_sidecar", "sidecar_schema"]

SIDECAR_NAMESPACE = "urn:iopdocs:archive-sidecar:1"


def sidecar_schema() -> bytes:
    """The XML Schema (XSD) every sidecar is valid against."""
    return files("iopdocs.delivery").joinpath("schemas/archive-sidecar.xsd").read_bytes()


def archive_sidecar(
    agreement: Agreement,
    components: list[FileEntry],
    *,
    document_type: str = "Avtal om idéburet offentligt partnerskap",
    title: str | None = None,
    report_year: int | None = None,
    reporting_party: str | None = None,
) -> bytes:
    """The sidecar XML of a package holding ``components``, validated against the schema."""
    from lxml import etree

    ns = f"{{{SIDECAR_NAMESPACE}}}"

    def sub(parent: Any, name: str, text: object = None, **attributes: str) -> Any:
        element = etree.SubElement(parent, ns + name, attributes)
        if text is not None:
            element.text = str(text)
        return element

    root = etree.Element(ns + "archiveSidecar", nsmap={None: SIDECAR_NAMESPACE}, version="1")
    control = sub(root, "control")
    sub(control, "generator", f"iopdocs {__version__}")
    sub(control, "language", agreement.metadata.language)
    case = sub(root, "case")
    if agreement.metadata.case_number:
        sub(case, "caseNumber", agreement.metadata.case_number)
    sub(case, "title", agreement.metadata.title)
    record = sub(root, "record")
    sub(record, "documentType", document_type)
    sub(record, "title", title or agreement.metadata.title)
    sub(record, "status", agreement.metadata.status.value)
    sub(record, "signing", agreement.metadata.signing.value)
    dates = sub(record, "dates")
    sub(dates, "created", agreement.document_date.isoformat())
    sub(dates, "validFrom", agreement.period.start.isoformat())
    sub(dates, "validTo", agreement.period.end.isoformat())
    if report_year is not None:
        sub(dates, "reportYear", report_year)
    agents = sub(record, "agents")
    for party in agreement.parties:
        role = "public" if party.kind is PartyKind.PUBLIC else "nonprofit"
        attributes = {"role": role}
        if reporting_party is not None:
            attributes["reporting"] = "true" if party.short_name == reporting_party else "false"
        agent = sub(agents, "agent", **attributes)
        sub(agent, "name", party.name)
        sub(agent, "shortName", party.short_name)
        sub(agent, "organisationNumber", party.org_number)
    parts = sub(record, "components")
    for entry in components:
        component = sub(parts, "component", purpose=entry.purpose)
        sub(component, "fileName", entry.file)
        sub(component, "title", entry.title)
        sub(component, "mimeType", entry.mime_type)
        sub(component, "size", entry.size)
        sub(component, "checksum", entry.sha256, algorithm="SHA-256")
        if entry.pages is not None:
            sub(component, "pages", entry.pages)
        if entry.pdfa is not None:
            sub(component, "pdfa", entry.pdfa)
        if entry.pdfua is not None:
            sub(component, "pdfua", entry.pdfua)
    schema = etree.XMLSchema(etree.fromstring(sidecar_schema()))
    if not schema.validate(root):
        raise IopdocsError(
            Message(
                "the archive sidecar does not fit its schema: {reason}", reason=schema.error_log
            )
        )
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
