"""The signing manifest: what an integration posts to an e-signature service, as JSON.

E-signature services (Inera Underskriftstjänst, Scrive, Assently, Visma Sign …) take one or more
PDF documents and a list of signatories (name, e-mail, organisation, order) and add their own
evidence of signing; none of them needs signature fields in the PDF. The manifest says exactly
that, service-neutrally, with a SHA-256 and page count of every file so that the integration
can check it sends what iopdocs wrote. ``docs/signing.md`` maps it onto two services' requests.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from io import BytesIO
from typing import Any, Literal

from iopdocs.model import Agreement, PartyKind
from iopdocs.version import __version__

__all__ = [
    "MANIFEST_VERSION",
    "FileEntry",
    "Signatory",
    "file_entry",
    "manifest_json",
    "missing_emails",
    "signatories",
    "signing_manifest",
]

MANIFEST_VERSION = 1
Order = Literal["sequential", "parallel"]


@dataclass(frozen=True)
class FileEntry:
    """One file of a package, as the manifest and the archive sidecar describe it."""

    file: str
    purpose: Literal["sign", "attachment"]
    title: str
    mime_type: str
    sha256: str
    size: int
    pages: int | None = None
    pdfa: str | None = None
    """The PDF/A level the file claims ("3b"), or ``None``."""
    pdfua: int | None = None
    """The PDF/UA part the file claims (1), or ``None``."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "title": self.title,
            "mime_type": self.mime_type,
            "sha256": self.sha256,
            "size": self.size,
            "pages": self.pages,
            "pdfa": self.pdfa,
            "pdfua": self.pdfua,
        }


@dataclass(frozen=True)
class Signatory:
    """One person who signs, in signing order."""

    order: int
    name: str
    title: str
    email: str | None
    organisation: str
    organisation_number: str
    party: str
    role: Literal["public", "nonprofit"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "order": self.order,
            "name": self.name,
            "title": self.title,
            "email": self.email,
            "organisation": self.organisation,
            "organisation_number": self.organisation_number,
            "party": self.party,
            "role": self.role,
        }


def file_entry(
    name: str,
    data: bytes,
    *,
    purpose: Literal["sign", "attachment"],
    title: str,
) -> FileEntry:
    """Describe ``data`` (a PDF or JSON file) under ``name``: checksum, size, and for a PDF its
    pages and the PDF/A and PDF/UA levels it claims."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.startswith(b"%PDF-"):
        return FileEntry(name, purpose, title, "application/json", digest, len(data))
    from pypdf import PdfReader

    from iopdocs.pdf.xmp import claims_pdfua

    reader = PdfReader(BytesIO(data))
    return FileEntry(
        name,
        purpose,
        title,
        "application/pdf",
        digest,
        len(data),
        pages=len(reader.pages),
        pdfa=_pdfa_level(reader),
        pdfua=1 if claims_pdfua(data) else None,
    )


def _pdfa_level(reader: Any) -> str | None:
    import re

    from iopdocs.pdf.package import pdfa_part

    part = pdfa_part(reader)
    if part is None:
        return None
    xmp = reader.root_object["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    found = re.search(r"pdfaid:conformance(?:>|=\")\s*([ABUabu])", xmp)
    return f"{part}{found.group(1).lower() if found else 'b'}"


def signatories(
    agreement: Agreement,
    *,
    order: Order = "sequential",
    public_last: bool = True,
    parties: list[str] | None = None,
) -> list[Signatory]:
    """Who signs, in order: the non-profit parties' signatories, then the public parties' (or the
    other way round without ``public_last``), each party's in the order the agreement lists
    them. ``parallel``: everyone has order 1. ``parties`` limits them to those short names (the
    reporting party of an annual report)."""
    chosen = [p for p in agreement.parties if parties is None or p.short_name in parties]
    public = [p for p in chosen if p.kind is PartyKind.PUBLIC]
    nonprofit = [p for p in chosen if p.kind is PartyKind.NONPROFIT]
    ordered = [*nonprofit, *public] if public_last else [*public, *nonprofit]
    people = [(party, person) for party in ordered for person in party.signatories]
    return [
        Signatory(
            order=1 if order == "parallel" else number,
            name=person.name,
            title=person.title,
            email=person.email,
            organisation=party.name,
            organisation_number=party.org_number,
            party=party.short_name,
            role="public" if party.kind is PartyKind.PUBLIC else "nonprofit",
        )
        for number, (party, person) in enumerate(people, start=1)
    ]


def missing_emails(people: list[Signatory]) -> list[Signatory]:
    """The signatories an e-signature service cannot invite: those without an e-mail address."""
    return [s for s in people if not s.email]


def signing_manifest(
    agreement: Agreement,
    pdf: bytes,
    *,
    file_name: str = "avtal.pdf",
    attachments: list[FileEntry] | None = None,
    order: Order = "sequential",
    public_last: bool = True,
    document_type: str = "Avtal om idéburet offentligt partnerskap",
    title: str | None = None,
    signing_parties: list[str] | None = None,
) -> dict[str, Any]:
    """The manifest of a signing package as JSON-ready data (``manifest_json`` writes it).

    ``pdf`` is the document to sign, named ``file_name`` in the package; ``attachments`` are
    files that go with it and are not signed (the agreement's data). The signatories are the
    agreement's, in the order ``signatories`` gives (``signing_parties``: only those parties').
    Pure: no network, no file is read or written.
    """
    from iopdocs.record import agreement_json

    document = file_entry(file_name, pdf, purpose="sign", title=title or agreement.metadata.title)
    people = signatories(agreement, order=order, public_last=public_last, parties=signing_parties)
    data = agreement_json(agreement)
    return {
        "manifest_version": MANIFEST_VERSION,
        "generator": f"iopdocs {__version__}",
        "title": title or agreement.metadata.title,
        "document_type": document_type,
        "external_reference": agreement.metadata.case_number,
        "language": agreement.metadata.language,
        "document_date": agreement.document_date.isoformat(),
        "status": agreement.metadata.status.value,
        "signing": {"method": agreement.metadata.signing.value, "order": order},
        "documents": [document.as_dict()],
        "attachments": [a.as_dict() for a in attachments or []],
        "signatories": [s.as_dict() for s in people],
        "agreement": {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)},
    }


def manifest_json(manifest: dict[str, Any]) -> bytes:
    """The manifest as deterministic UTF-8 JSON."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
