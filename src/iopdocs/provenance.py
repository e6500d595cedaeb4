"""Where a document came from: the agreement data every rendered document carries.

A contract is only as trustworthy as the link between the data and the text. Every DOCX and PDF
iopdocs writes carries the agreement it was rendered from, as canonical JSON, so the document can
be read back (``extract``) and checked against a fresh rendering (``verify``).
"""

from __future__ import annotations

import hashlib

from iopdocs.loading import dump_agreement
from iopdocs.model import Agreement

__all__ = ["AGREEMENT_ATTACHMENT", "agreement_json", "sha256"]

AGREEMENT_ATTACHMENT = "iopdocs-agreement.json"
"""The file name under which a PDF embeds the agreement it was rendered from."""


def agreement_json(agreement: Agreement) -> bytes:
    """The agreement as deterministic UTF-8 JSON: the same model always gives the same bytes."""
    return dump_agreement(agreement, format="json").encode("utf-8")


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``, as recorded in a document's properties."""
    return hashlib.sha256(data).hexdigest()
