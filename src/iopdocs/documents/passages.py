"""The contract's text as the review reads it: every passage with the field or clause it is from.

The review (``iopdocs.reviewing``) sits below the documents and cannot render a clause; this
module renders the agreement's standard clauses, with a municipality's own clause library and the
agreement's clause overrides applied, and hands them down with the agreement's own text fields.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from iopdocs.model import Agreement
from iopdocs.reviewing import Passage
from iopdocs.reviewing.findings import CLAUSE_PREFIX
from iopdocs.reviewing.wording import data_passages

if TYPE_CHECKING:
    from iopdocs.documents.clauses import ClauseLibrary

__all__ = ["contract_passages"]


def contract_passages(
    agreement: Agreement,
    clauses: str | os.PathLike[str] | bytes | ClauseLibrary | None = None,
    *,
    locale: str = "sv_SE",
) -> list[Passage]:
    """The agreement's text fields (origin: the field path), then the text of every standard
    clause the contract is rendered with (origin: ``clause:`` and the clause id). ``clauses`` is
    the clause library, the packaged one when ``None``."""
    from iopdocs.documents.clauses import clause_texts, load_library
    from iopdocs.documents.context import contract_context
    from iopdocs.documents.formats import formats_for
    from iopdocs.schedule import payment_schedule

    library = load_library(clauses)
    context = contract_context(agreement, payment_schedule(agreement), formats_for(locale), library)
    passages = list(data_passages(agreement))
    for clause, text in clause_texts(
        library, context, overrides=agreement.clause_overrides, locale=locale
    ):
        passages.append(Passage(CLAUSE_PREFIX + clause.id, _plain(text)))
    return passages


def _plain(text: str) -> str:
    """Clause text as running text: the "# " of a lead-in line dropped, lines kept."""
    return "\n".join(line[2:] if line.startswith("# ") else line for line in text.splitlines())
