"""A clause library for a legal department: exported to edit, and catalogued in Word to approve.

The catalogue lists every clause by section with its id, the condition that switches it on, its
text as written (tags included, so nothing is hidden) and its note.
"""

from __future__ import annotations

import os
from pathlib import Path

from iopdocs._files import write_atomic
from iopdocs.documents.clauses import SECTIONS, ClauseLibrary, packaged_library
from iopdocs.errors import ClauseError
from iopdocs.i18n import Message
from iopdocs.word.simpledoc import SimpleDocument

__all__ = ["clause_catalogue", "export_library"]


def export_library(directory: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write the packaged library into ``directory`` to edit; refuses to overwrite unless
    ``force``."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ClauseError(Message("{folder}: no such folder", folder=folder))
    target = folder / "sv.yaml"
    if target.exists() and not force:
        raise ClauseError(
            Message("{path}: exists already; give --force to overwrite it", path=target)
        )
    return write_atomic(target, packaged_library().source)


_SECTION_TITLES = {
    "intro": "Ingress",
    "iop_form": "IOP som samverkansform",
    "parties": "Parter",
    "period": "Tidsperiod",
    "conditions": "Villkor för partnerskapet",
    "values": "Värdegrund",
    "cooperation": "Samverkan",
    "responsibility": "Verksamhetsansvar",
    "contributions": "Parternas bidrag",
    "payment": "Utbetalning av bidraget",
    "deviations": "Avvikelser",
    "follow_up": "Uppföljning och utvärdering",
    "contacts": "Kontaktpersoner",
    "state_aid": "Statligt stöd",
    "final": "Övriga bestämmelser",
    "appendices": "Bilagor",
    "signatures": "Underskrifter",
    "schedule": "Bilaga: Utbetalningsplan",
}


def clause_catalogue(library: ClauseLibrary | None = None) -> bytes:
    """A Word document listing every clause of ``library`` (the packaged one by default) by
    section, with its id, condition, text and note: for a legal department to review and
    approve. The text is shown as written, tags included, so nothing is hidden."""
    lib = library or packaged_library()
    doc = SimpleDocument("Klausulbibliotek för IOP-avtal")
    doc.paragraph(
        f"Biblioteket {lib.name}, SHA-256 {lib.sha256}. Varje klausul anges med sitt id, det "
        "villkor i avtalsfilen som slår på den, dess text som den står i biblioteket (med "
        "fält inom {{ }} och villkor inom {% %}) och en anteckning om vad den är till för."
    )
    for section in SECTIONS:
        clauses = [c for c in lib.clauses if c.section == section]
        if not clauses:
            continue
        doc.heading(_SECTION_TITLES[section], level=1)
        for clause in clauses:
            doc.heading(clause.id, level=2)
            doc.labelled("Villkor: ", clause.when or "alltid med")
            doc.verbatim(clause.text.strip())
            doc.labelled("Anteckning: ", clause.note, muted=True)
    return doc.to_bytes()
