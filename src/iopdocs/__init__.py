"""iopdocs: draft Swedish IOP contracts (idéburet offentligt partnerskap) from typed data.

Load or build an ``Agreement``, then render it::

    import iopdocs
    agreement = iopdocs.load_agreement("examples/vgr-social-ekonomi-2024.yaml")
    iopdocs.render_contract(agreement, "avtal.docx")
"""

from __future__ import annotations

from iopdocs.errors import AgreementFileError, IopdocsError, TemplateError, TemplateSyntaxError
from iopdocs.loading import agreement_schema, dump_agreement, load_agreement, parse_agreement
from iopdocs.model import Agreement, OrgNumber, PartyKind, Principle, Status
from iopdocs.render import render_contract

__version__ = "0.1.0"

__all__ = [
    "Agreement",
    "AgreementFileError",
    "IopdocsError",
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
]
