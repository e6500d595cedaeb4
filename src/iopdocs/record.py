"""The record a rendered document carries: its data as canonical JSON, and what it was made from.

Every DOCX and PDF iopdocs writes carries the agreement it was rendered from, and a DOCX also
records, as custom properties, the iopdocs version, the template's name and SHA-256, the data's
SHA-256, the locale and what was rendered. This module builds that record: pure functions from
data to bytes and hashes. Reading a record back and re-rendering to verify it is
``iopdocs.provenance``, high in the stack; this half sits low, so the documents can use it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from iopdocs.model import Agreement
from iopdocs.version import __version__

if TYPE_CHECKING:
    from iopdocs.model import AnnualReport
    from iopdocs.reviewing import Finding, ReviewOptions

__all__ = [
    "AGREEMENT_ATTACHMENT",
    "DOCUMENT_KINDS",
    "RECORD_ATTACHMENT",
    "REPORT_ATTACHMENT",
    "Document",
    "DocumentKind",
    "agreement_json",
    "provenance_record",
    "report_json",
    "review_json",
    "sha256",
]

AGREEMENT_ATTACHMENT = "iopdocs-agreement.json"
"""The file name under which a PDF embeds the agreement it was rendered from."""
RECORD_ATTACHMENT = "iopdocs-record.json"
"""The file name under which a PDF embeds its record: the properties a .docx carries (version,
template name and SHA-256, data SHA-256, …) and its page counts, as one JSON object."""
REPORT_ATTACHMENT = "iopdocs-report.json"
"""The file name under which a PDF of a filled-in annual report embeds the report data."""

DocumentKind = Literal["contract", "annual_report", "review"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("contract", "annual_report", "review")
Document = str | os.PathLike[str] | bytes


def agreement_json(agreement: Agreement) -> bytes:
    """The agreement as deterministic UTF-8 JSON: the same model always gives the same bytes.

    The bytes of ``dump_agreement(agreement, format="json")``, written by pydantic's own JSON
    serializer (some six times faster than ``json.dumps`` with an indent, which runs in Python);
    tests/unit/test_record_json.py holds the two to the same bytes."""
    return (agreement.model_dump_json(indent=2, exclude_none=True) + "\n").encode("utf-8")


def report_json(report: AnnualReport) -> bytes:
    """A filled-in annual report as deterministic UTF-8 JSON that reads back to an equal model."""
    data = report.model_dump(mode="json", exclude_none=True)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def review_json(findings: Sequence[Finding], options: ReviewOptions) -> bytes:
    """What a review appendix lists, as deterministic UTF-8 JSON: the options the checks ran with
    and every finding, in the order shown."""
    data = {
        "eur_rate": str(options.eur_rate),
        "sgei": sorted(options.sgei),
        "findings": [f.as_dict() for f in findings],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``, as recorded in a document's properties."""
    return hashlib.sha256(data).hexdigest()


def provenance_record(
    agreement: Agreement,
    *,
    document: str,
    template: str,
    template_bytes: bytes,
    locale: str,
    year: int | None = None,
    party: str | None = None,
    report: AnnualReport | None = None,
    review: bytes | None = None,
    clauses: bytes | None = None,
) -> tuple[dict[str, bytes], dict[str, str | int]]:
    """The data blobs and the properties a rendered document carries.

    Property names are those of ``Provenance``'s fields, in camel case, without the
    ``iopdocs.`` prefix the DOCX gives them. ``review`` is the ``review_json`` of a review
    appendix. ``clauses`` is the source of the clause library a contract was rendered with: the
    document carries it whole, so it verifies after the standard wording has changed.
    """
    data = agreement_json(agreement)
    blobs = {"agreement": data}
    properties: dict[str, str | int] = {
        "version": __version__,
        "document": document,
        "template": template,
        "templateSha256": _recurring_sha256(template_bytes),
        "dataSha256": sha256(data),
        "locale": locale,
    }
    if year is not None:
        properties["reportYear"] = year
        properties["reportParty"] = party or ""
    if report is not None:
        blobs["report"] = report_json(report)
        properties["reportDataSha256"] = sha256(blobs["report"])
    if review is not None:
        blobs["review"] = review
        properties["reviewDataSha256"] = sha256(review)
    if clauses is not None:
        blobs["clauses"] = _clauses_json(clauses)
        properties["clausesSha256"] = _recurring_sha256(clauses)
    return blobs, properties


# A template and a clause library are the same bytes for contract after contract (usually the
# same object, whose hash Python keeps): their digest and JSON are made once per process.
@lru_cache(maxsize=16)
def _recurring_sha256(data: bytes) -> str:
    return sha256(data)


@lru_cache(maxsize=8)
def _clauses_json(source: bytes) -> bytes:
    """The clause library's source as the JSON blob a contract carries: ``{"source": …}``."""
    return json.dumps({"source": source.decode("utf-8")}, ensure_ascii=False).encode("utf-8")
