"""The plain data a contract template sees.

``contract_context`` turns a validated ``Agreement`` into dicts, lists, strings, dates and Decimals.
Two names reach the template:

``agreement``
    The model itself, dumped field by field (``agreement.period.start``, ``agreement.parties``…).
``doc``
    Facts derived from it once, so the template never works them out: party names with their acting
    body, party lists in running text, signature blocks, contact rows, money lines with their
    recipients' names. Phrases that vary with the data are built here, in Swedish.
"""

from __future__ import annotations

from typing import Any

from iopdocs.model import Agreement, Frequency, Party, PartyKind, Status
from iopdocs.render.formats import Formats

__all__ = ["contract_context"]

_KIND_LABEL = {PartyKind.PUBLIC: "offentlig part", PartyKind.NONPROFIT: "idéburen part"}

# How a payment of one basis-period's amount is split, per frequency.
_INSTALMENT_TEXT = {
    Frequency.MONTHLY: "månadsvis med en tolftedel av årsbeloppet",
    Frequency.QUARTERLY: "kvartalsvis med en fjärdedel av årsbeloppet",
    Frequency.TERTIAL: "tertialvis med en tredjedel av årsbeloppet",
    Frequency.HALF_YEARLY: "halvårsvis med hälften av årsbeloppet",
    Frequency.YEARLY: "en gång per år med hela årsbeloppet",
    Frequency.ONCE: "vid ett tillfälle",
}


def contract_context(agreement: Agreement, formats: Formats) -> dict[str, Any]:
    """The template context for one agreement, formatted with ``formats`` where text is built."""
    # Running text names parties by the short names the contract defines at its start; tables
    # and signature blocks use the full names.
    names = {p.short_name: _display_name(p) for p in agreement.parties}
    and_list = formats.and_list

    def party_names(short_names: list[str], default: list[Party]) -> str:
        return and_list(short_names or [p.short_name for p in default])

    parties = [
        {
            **p.model_dump(),
            "display_name": names[p.short_name],
            "kind_label": _KIND_LABEL[p.kind],
        }
        for p in agreement.parties
    ]
    public = [p for p in parties if p["kind"] is PartyKind.PUBLIC]
    nonprofit = [p for p in parties if p["kind"] is PartyKind.NONPROFIT]

    contributions = []
    for c in agreement.contributions:
        contributions.append(
            {
                "contributors": and_list(c.parties),
                "in_kind": [
                    item.text
                    + (f" (värderat till {formats.money(item.value)})" if item.value else "")
                    for item in c.in_kind
                ],
                "money": [
                    {
                        **line.model_dump(),
                        "payer": c.parties[0],
                        "recipients_text": and_list(line.recipients),
                        "each": len(line.recipients) > 1,
                    }
                    for line in c.money
                ],
                "text": c.text,
            }
        )
    payers = [c.parties[0] for c in agreement.contributions if c.money]

    steering = agreement.cooperation.steering_group
    every_party = "båda parterna" if len(agreement.parties) == 2 else "samtliga parter"
    appointed_by = (
        and_list(steering.appointed_by)
        if steering is not None and steering.appointed_by
        else every_party
    )

    responsible = party_names(
        agreement.operational_responsibility.parties, agreement.nonprofit_parties
    )
    responsible_shorts = agreement.operational_responsibility.parties or [
        p.short_name for p in agreement.nonprofit_parties
    ]
    not_responsible = [
        p.short_name for p in agreement.parties if p.short_name not in responsible_shorts
    ]

    provisions = agreement.final_provisions
    return {
        "agreement": agreement.model_dump(),
        "doc": {
            "title": agreement.metadata.title,
            "draft": agreement.metadata.status is Status.DRAFT,
            "date": agreement.document_date,
            "parties": parties,
            "public_parties": public,
            "nonprofit_parties": nonprofit,
            "parties_text": and_list(f"{p['display_name']} ({p['short_name']})" for p in parties),
            "principles": [str(p).capitalize() for p in agreement.values.principles],
            "mission_items": [
                {
                    **item.model_dump(),
                    "parties_text": and_list(item.parties),
                }
                for item in agreement.mission.items
            ],
            "steering_appointed_by": appointed_by,
            "responsible_parties": responsible,
            "not_responsible_parties": and_list(not_responsible),
            "reporting_parties": party_names(
                agreement.follow_up.reporting_parties, agreement.nonprofit_parties
            ),
            "contributions": contributions,
            "has_money": bool(payers),
            "payers": and_list(dict.fromkeys(payers)),
            "instalments": _INSTALMENT_TEXT[agreement.payment.frequency],
            "contacts": [
                {
                    "party": names[p.short_name],
                    "name": c.name,
                    "title": c.title,
                    "reach": ", ".join(x for x in (c.email, c.phone) if x),
                }
                for p in agreement.parties
                for c in p.contacts
            ],
            "signatures": [
                {
                    "party": names[p.short_name],
                    "name": s.name,
                    "title": s.title,
                    "place": s.place,
                }
                for p in agreement.parties
                for s in p.signatories
            ],
            "has_final_provisions": bool(
                provisions.amendments_in_writing
                or provisions.disputes
                or provisions.copies
                or provisions.text
            ),
        },
    }


def _display_name(party: Party) -> str:
    if party.acting_body:
        return f"{party.name} genom {party.acting_body}"
    return party.name
