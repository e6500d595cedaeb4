"""Reviewing agreements for a lawyer: IOP checks on one agreement, and changes between two.

Review reads the model (and, for a comparison, two models); it never renders a document to
decide anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from iopdocs.errors import ReviewError
from iopdocs.i18n import Message
from iopdocs.model import Agreement, PartyKind
from iopdocs.reviewing.checks import CHECKS
from iopdocs.reviewing.findings import (
    DEFAULT_EUR_RATE,
    Check,
    Finding,
    Note,
    Passage,
    ReviewOptions,
    Severity,
    Subject,
    check,
)
from iopdocs.reviewing.wording import data_passages
from iopdocs.schedule import payment_schedule

__all__ = [
    "CHECKS",
    "DEFAULT_EUR_RATE",
    "Check",
    "Finding",
    "Note",
    "Passage",
    "ReviewOptions",
    "Severity",
    "Subject",
    "check",
    "passed_checks",
    "review",
    "review_options",
]


def review(
    agreement: Agreement,
    *,
    eur_rate: Decimal | int | str = DEFAULT_EUR_RATE,
    sgei: Iterable[str] = (),
    checks: Iterable[Check] = CHECKS,
    passages: Iterable[Passage] | None = None,
) -> list[Finding]:
    """Check ``agreement`` against the IOP criteria, the elements an IOP contract needs and its
    own figures; return the findings, errors first, then warnings, then infos.

    ``eur_rate`` is the number of kronor per euro used to compare the public money with the de
    minimis ceilings (default ``DEFAULT_EUR_RATE``); ``sgei`` names the non-profit parties whose
    activity is a service of general economic interest; ``checks`` replaces the rules applied
    (``CHECKS``). ``passages`` is the contract's text with the origin of each piece
    (``iopdocs.documents.contract_passages`` gives the agreement's fields and every standard
    clause it is rendered with); without it the wording rules read the agreement's own text
    fields only. Findings are facts and pointers for a lawyer, never a legal verdict. Raises
    ``ReviewError`` for an unusable rate or an ``sgei`` name that is not a non-profit party.
    """
    whole = passages is not None
    subject = Subject(
        agreement=agreement,
        schedule=payment_schedule(agreement),
        options=review_options(agreement, eur_rate=eur_rate, sgei=sgei),
        passages=tuple(passages) if passages is not None else data_passages(agreement),
        whole_contract=whole,
    )
    findings = [finding for rule in checks for finding in rule(subject)]
    return sorted(findings, key=lambda f: f.severity.rank)


def review_options(
    agreement: Agreement, *, eur_rate: Decimal | int | str, sgei: Iterable[str]
) -> ReviewOptions:
    """The options of a review of ``agreement``, checked; ``ReviewError`` when unusable."""
    try:
        rate = Decimal(str(eur_rate).replace(",", "."))
    except InvalidOperation:
        raise ReviewError(
            Message("the euro rate '{rate}' is not a number", rate=eur_rate)
        ) from None
    if not rate.is_finite() or rate <= 0:
        raise ReviewError(
            Message("the euro rate must be a positive number of kronor, not {rate}", rate=eur_rate)
        )
    names = frozenset(sgei)
    nonprofit = {p.short_name for p in agreement.parties if p.kind is PartyKind.NONPROFIT}
    unknown = sorted(names - nonprofit)
    if unknown:
        raise ReviewError(
            Message(
                "SGEI names a party that is not a non-profit party of the agreement: {unknown} "
                "(non-profit parties: {nonprofit})",
                unknown=", ".join(unknown),
                nonprofit=", ".join(sorted(nonprofit)),
            )
        )
    return ReviewOptions(eur_rate=rate, sgei=names)


def passed_checks(findings: Iterable[Finding], checks: Iterable[Check] = CHECKS) -> list[Check]:
    """The checks that found nothing, in their order: what a review found no fault with."""
    found = {f.code for f in findings}
    return [c for c in checks if c.code not in found]
