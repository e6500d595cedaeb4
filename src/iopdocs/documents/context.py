"""The plain data a contract template sees.

``contract_context`` turns a validated ``Agreement`` and its derived payment schedule into dicts,
lists, strings, dates and Decimals. Two names reach the template:

``agreement``
    The model itself, dumped field by field (``agreement.period.start``, ``agreement.parties``…).
``doc``
    Facts derived from it once, so the template never works them out: party names with their acting
    body, party lists in running text, signature blocks, contact rows, money lines with their
    totals and payment terms, and the payment schedule. Phrases that vary with the data are built
    here, in Swedish.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from iopdocs.documents.formats import EN_DASH, NBSP, Formats
from iopdocs.model import (
    Agreement,
    Basis,
    Contact,
    Contribution,
    Frequency,
    Indexation,
    MissionItem,
    MoneyLine,
    Party,
    PartyKind,
    Rounding,
    Status,
    Vat,
)
from iopdocs.model.agreement import line_span
from iopdocs.schedule import (
    Instalment,
    Schedule,
    basis_periods,
    line_name,
    meetings_required,
    report_periods,
)

if TYPE_CHECKING:
    from iopdocs.documents.clauses import ClauseLibrary

__all__ = [
    "appendix_titles",
    "contact_reach",
    "contract_context",
    "display_name",
    "schedule_context",
]

_KIND_LABEL = {PartyKind.PUBLIC: "offentlig part", PartyKind.NONPROFIT: "idéburen part"}

_BASIS_TEXT = {
    Basis.PER_12_MONTHS: "per tolvmånadersperiod",
    Basis.PER_CALENDAR_YEAR: "per kalenderår",
    Basis.TOTAL: "för hela avtalsperioden",
}
_PARTIAL_TEXT = {
    Basis.PER_12_MONTHS: "För en period kortare än tolv månader lämnas en andel som motsvarar "
    "periodens längd.",
    Basis.PER_CALENDAR_YEAR: "För en del av ett kalenderår lämnas en andel som motsvarar "
    "periodens längd.",
}
_HOW_OFTEN = {
    Frequency.MONTHLY: "månadsvis",
    Frequency.QUARTERLY: "kvartalsvis",
    Frequency.TERTIAL: "en gång per tertial",
    Frequency.HALF_YEARLY: "halvårsvis",
    Frequency.YEARLY: "en gång per år",
    Frequency.ONCE: "vid ett tillfälle",
}
_SHARE_OF_YEAR = {
    Frequency.MONTHLY: "en tolftedel",
    Frequency.QUARTERLY: "en fjärdedel",
    Frequency.TERTIAL: "en tredjedel",
    Frequency.HALF_YEARLY: "hälften",
    Frequency.YEARLY: "hela",
}
_ROUNDING_TEXT = {
    Rounding.NONE: "",
    Rounding.DOWN_TO_KRONA: ", avrundat nedåt till hel krona",
    Rounding.DOWN_TO_HUNDRED: ", avrundat nedåt till helt hundratal kronor",
    Rounding.DOWN_TO_THOUSAND: ", avrundat nedåt till helt tusental kronor",
    Rounding.NEAREST_HUNDRED: ", avrundat till närmaste hundratal kronor",
}
_VAT_TEXT = {
    Vat.EXCLUSIVE: "Beloppen är angivna exklusive eventuell mervärdesskatt.",
    Vat.OUTSIDE_SCOPE: (
        "Bidraget lämnas utan motprestation och faller därför utanför mervärdesskattens "
        "tillämpningsområde."
    ),
}


def contact_reach(contact: Contact) -> str:
    """How to reach a contact person: e-mail and phone, each on a line of its own (the template
    breaks the line), the phone number never split."""
    phone = contact.phone.replace(" ", NBSP) if contact.phone else None
    return "\n".join(x for x in (contact.email, phone) if x)


def display_name(party: Party) -> str:
    """The name with the acting body: "Västra Götalandsregionen genom kulturnämnden"."""
    if party.acting_body:
        return f"{party.name} genom {party.acting_body}"
    return party.name


def contract_context(
    agreement: Agreement,
    schedule: Schedule,
    formats: Formats,
    clauses: ClauseLibrary | None = None,
) -> dict[str, Any]:
    """The template context for one agreement and its schedule.

    ``doc.clauses`` holds each section's paragraphs from the clause library (``clauses``, the
    packaged one by default) with the agreement's overrides applied, and ``doc.clause_texts``
    the text of every clause used, by id.
    """
    from iopdocs.documents.clauses import packaged_library, render_clauses

    context = _context(agreement, schedule, formats)
    sections, used = render_clauses(
        clauses or packaged_library(),
        context,
        overrides=agreement.clause_overrides,
        locale=str(formats.locale),
    )
    context["doc"]["clauses"] = sections
    context["doc"]["clause_texts"] = used
    return context


def _context(agreement: Agreement, schedule: Schedule, formats: Formats) -> dict[str, Any]:
    # Running text names parties by the short names the contract defines at its start; tables
    # and signature blocks use the full names.
    names = {p.short_name: display_name(p) for p in agreement.parties}
    and_list = formats.and_list

    def party_names(short_names: list[str], default: list[Party]) -> str:
        return and_list(short_names or [p.short_name for p in default])

    # One dump of the whole agreement; the parts below are its pieces (each model_dump of a
    # part would build that model's serializer again in a new process).
    dumped = agreement.model_dump()
    parties = [
        {**d, "display_name": names[p.short_name], "kind_label": _KIND_LABEL[p.kind]}
        for p, d in zip(agreement.parties, dumped["parties"], strict=True)
    ]

    money_lines = []
    contributions = []
    for ci, c in enumerate(agreement.contributions):
        lines = [
            {
                **dumped["contributions"][ci]["money"][li],
                **_money_line(agreement, schedule, formats, line, line_name(agreement, ci, li), c),
            }
            for li, line in enumerate(c.money)
        ]
        money_lines += lines
        contributions.append(
            {
                "contributors": and_list(c.parties),
                "several": len(c.parties) > 1,
                "in_kind": [
                    item.text
                    + (f" (värderat till {formats.money(item.value)})" if item.value else "")
                    for item in c.in_kind
                ],
                "money": lines,
                "text": c.text,
            }
        )

    steering = agreement.cooperation.steering_group
    every_party = "båda parterna" if len(agreement.parties) == 2 else "samtliga parter"
    appointed_by = and_list(steering.appointed_by) if steering and steering.appointed_by else ""

    responsible = agreement.operational_responsibility.parties or [
        p.short_name for p in agreement.nonprofit_parties
    ]
    provisions = agreement.final_provisions
    return {
        "agreement": dumped,
        "doc": {
            "title": agreement.metadata.title,
            "draft": agreement.metadata.status is Status.DRAFT,
            "date": agreement.document_date,
            "parties": parties,
            "public_parties": [p for p in parties if p["kind"] is PartyKind.PUBLIC],
            "nonprofit_parties": [p for p in parties if p["kind"] is PartyKind.NONPROFIT],
            "parties_text": and_list(f"{p['display_name']} ({p['short_name']})" for p in parties),
            "principles": [str(p).capitalize() for p in agreement.values.principles],
            "mission_items": [
                {**dumped["mission"]["items"][i], **_mission_item(item, formats)}
                for i, item in enumerate(agreement.mission.items)
            ],
            "steering_appointed_by": appointed_by or every_party,
            "part_year_meetings": _part_year_meetings(agreement, formats),
            "responsible_parties": and_list(responsible),
            "responsible_count": len(responsible),
            "not_responsible_parties": and_list(
                p.short_name for p in agreement.parties if p.short_name not in responsible
            ),
            "reporting_parties": party_names(
                agreement.follow_up.reporting_parties, agreement.nonprofit_parties
            ),
            "reporting_count": len(
                agreement.follow_up.reporting_parties or agreement.nonprofit_parties
            ),
            "contributions": contributions,
            "money_lines": money_lines,
            "has_money": bool(money_lines),
            # Not "Fakturering": the contribution is no price for a service (IOP is no procurement).
            "payment_heading": (
                "Rekvisition och utbetalning av bidraget"
                if agreement.payment.on_request
                else "Utbetalning av bidraget"
            ),
            "payers_text": and_list(dict.fromkeys(m["payer"] for m in money_lines)),
            "recipients": [
                {
                    "short_name": p.short_name,
                    "display_name": names[p.short_name],
                    "payment_account": p.payment_account,
                }
                for p in agreement.parties
                if any(p.short_name in m["recipients"] for m in money_lines)
            ],
            "recipients_text": and_list(
                p.short_name
                for p in agreement.parties
                if any(p.short_name in m["recipients"] for m in money_lines)
            ),
            "contacts": [
                {
                    "party": names[p.short_name],
                    "name": c.name,
                    "title": c.title,
                    "reach": contact_reach(c),
                }
                for p in agreement.parties
                for c in p.contacts
            ],
            "signatures": [
                {"party": names[p.short_name], "name": s.name, "title": s.title, "place": s.place}
                for p in agreement.parties
                for s in p.signatories
            ],
            "has_final_provisions": bool(
                provisions.amendments_in_writing
                or provisions.disputes
                or provisions.copies
                or provisions.text
                or provisions.personal_data
                or provisions.confidentiality
                or provisions.insight
                or provisions.insurance
            ),
            "schedule": schedule_context(schedule, any(m["ceiling"] for m in money_lines)),
            "appendices": appendix_titles(agreement),
        },
    }


def appendix_titles(agreement: Agreement) -> list[str]:
    """The contract's appendices, numbered: "Bilaga 1 – Utbetalningsplan" when the agreement has
    money, then the agreement's own appendices in order."""
    titles = ["Utbetalningsplan"] if any(c.money for c in agreement.contributions) else []
    titles += [a.title for a in agreement.appendices]
    return [f"Bilaga {number} – {title}" for number, title in enumerate(titles, start=1)]


def schedule_context(schedule: Schedule, any_ceiling: bool = False) -> dict[str, Any]:
    """The payment schedule as rows and totals for a table."""
    return {
        "rows": [
            {
                "date": i.date,
                "payer": i.payer,
                "recipient": i.recipient,
                "line": i.line,
                "amount": i.amount,
            }
            for i in schedule.instalments
        ],
        "by_recipient": [{"name": k, "amount": v} for k, v in schedule.by_recipient.items()],
        "by_year": [{"name": str(k), "amount": v} for k, v in schedule.by_year.items()],
        "by_line": [{"name": k, "amount": v} for k, v in schedule.by_line.items()],
        "total": schedule.total,
        "any_ceiling": any_ceiling,
    }


def _money_line(
    agreement: Agreement,
    schedule: Schedule,
    formats: Formats,
    line: MoneyLine,
    name: str,
    contribution: Contribution,
) -> dict[str, Any]:
    frequency = line.frequency or agreement.payment.frequency
    instalments = [i for i in schedule.instalments if i.line == name]
    by_recipient = {
        r: sum((i.amount for i in instalments if i.recipient == r), Decimal(0))
        for r in line.recipients
    }
    first_recipient = line.recipients[0]
    count = sum(1 for i in instalments if i.recipient == first_recipient)
    total = sum((i.amount for i in instalments), Decimal(0))
    periods = basis_periods(agreement, line.basis, line)
    partial = line.basis is not Basis.TOTAL and not all(whole for _, _, whole in periods)
    own_span = line.start is not None or line.end is not None
    start, end = line_span(agreement, line)
    several = len(line.recipients) > 1
    return {  # after the line's own fields (model_dump), in the caller
        "name": name,
        "payer": contribution.parties[0],
        "recipients_text": formats.and_list(line.recipients),
        "each": several and not line.shared,
        "shared": several and line.shared,
        "shares_text": _shares_text(line, formats),
        # A total for the line's own dates is "för perioden …", not "för hela avtalsperioden".
        "span_text": (
            f"under perioden {formats.period({'start': start, 'end': end})}"
            if own_span and line.basis is not Basis.TOTAL
            else None
        ),
        "total_span_text": (
            f"för perioden {formats.period({'start': start, 'end': end})}"
            if own_span
            else "för hela avtalsperioden"
        ),
        "amounts_text": _amounts_text(line, periods, formats),
        "amount_words": (
            formats.words(line.amount) if agreement.payment.amounts_in_words else None
        ),
        "basis_text": (
            f"för perioden {formats.period({'start': start, 'end': end})}"
            if own_span and line.basis is Basis.TOTAL
            else _BASIS_TEXT[line.basis]
        ),
        "partial_text": _PARTIAL_TEXT[line.basis] if partial else None,
        "per_recipient_total": by_recipient[first_recipient],
        "recipient_totals_text": formats.and_list(
            f"{r} {formats.money(a)}" for r, a in by_recipient.items()
        ),
        "total": total,
        "total_words": formats.words(total) if agreement.payment.amounts_in_words else None,
        "payment_text": _payment_text(line, frequency, count, instalments, formats),
        "frequency_text": _frequency_text(line, frequency, count, formats),
        "indexation_text": _indexation_text(line.indexation, formats),
        "vat_text": _VAT_TEXT[line.vat] if line.vat else None,
    }


def _shares_text(line: MoneyLine, formats: Formats) -> str | None:
    """How a shared sum is divided: "i lika delar" or "med 50 procent till GSE och …"."""
    if not line.shared or len(line.recipients) < 2:
        return None
    if line.shares is None:
        return "i lika delar"
    return "med " + formats.and_list(
        f"{formats.number(line.shares[r] * 100)} procent till {r}" for r in line.recipients
    )


def _amounts_text(
    line: MoneyLine, periods: list[tuple[dt.date, dt.date, bool]], formats: Formats
) -> str | None:
    """The years whose amount differs from ``amount``: "(för 2026 dock 600 000 kr)"."""
    years = [start.year for start, _, _ in periods]
    differing = [
        (y, line.amounts[y]) for y in years if y in line.amounts and line.amounts[y] != line.amount
    ]
    if not differing:
        return None
    listed = formats.and_list(f"{formats.money(a)} för {y}" for y, a in differing)
    return f"dock {listed}"


def _payment_text(
    line: MoneyLine,
    frequency: Frequency,
    count: int,
    instalments: list[Instalment],
    formats: Formats,
) -> str:
    if frequency is Frequency.ONCE:
        when = formats.date(instalments[0].date) if instalments else ""
        return f"vid ett tillfälle, den {when}"
    if line.pay_within_days is not None:
        days = formats.in_words(line.pay_within_days, "en")
        first = "den första dagen" if line.pay_within_days == 1 else f"de första {days} dagarna"
        timing = f"inom {first} {_first_day_phrase(frequency)}"
    elif line.pay_by_day is not None:
        where = (
            "i varje månad"
            if frequency is Frequency.MONTHLY
            else f"i den första månaden {_first_day_phrase(frequency)}"
        )
        timing = f"senast den {line.pay_by_day} {where}"
    elif line.pay_on_day is None:
        timing = f"i förskott den första dagen {_first_day_phrase(frequency)}"
    elif frequency is Frequency.MONTHLY:
        timing = f"den {line.pay_on_day} i varje månad"
    else:
        # The day falls in the first month of each period: "den 25 i den första månaden av
        # varje kvartal", never "den första månaden i varje månad".
        timing = f"den {line.pay_on_day} i den första månaden {_first_day_phrase(frequency)}"
    return f"{_frequency_text(line, frequency, count, formats)}, {timing}"


def _frequency_text(line: MoneyLine, frequency: Frequency, count: int, formats: Formats) -> str:
    """How often and how much: "månadsvis med en tolftedel av årsbeloppet"."""
    if frequency is Frequency.ONCE:
        return "vid ett tillfälle"
    how = _HOW_OFTEN[frequency]
    if line.basis is Basis.TOTAL:
        share = (
            f"i {formats.in_words(count)} delbetalningar" if count > 1 else "i en enda betalning"
        )
    elif frequency is Frequency.YEARLY:
        share = "med hela årsbeloppet"
    else:
        share = f"med {_SHARE_OF_YEAR[frequency]} av årsbeloppet"
    return f"{how} {share}"


def _first_day_phrase(frequency: Frequency) -> str:
    return {
        Frequency.MONTHLY: "i varje månad",
        Frequency.QUARTERLY: "av varje kvartal",
        Frequency.TERTIAL: "av varje tertial",
        Frequency.HALF_YEARLY: "av varje halvår",
        Frequency.YEARLY: "av varje år",
    }[frequency]


def _indexation_text(indexation: Indexation | None, formats: Formats) -> str | None:
    if indexation is None:
        return None
    if indexation.share == 1:
        share = "hela förändringen"
    else:
        share = f"{formats.number(indexation.share * 100)} procent av förändringen"
    return (
        f"Om avtalet förlängs räknas beloppet om med {share} i {indexation.index} sedan "
        f"{indexation.base}{_ROUNDING_TEXT[indexation.rounding]}."
    )


def _mission_item(item: MissionItem, formats: Formats) -> dict[str, Any]:
    capacities = [
        formats.number(c.quantity)
        + (f"{EN_DASH}{formats.number(c.up_to)}" if c.up_to is not None else "")
        + f" {c.unit}"
        + (f" per {c.per}" if c.per else "")
        for c in item.capacities
    ]
    indicators = []
    for indicator in item.indicators:
        text = indicator.name
        if indicator.target is not None:
            unit = f" {indicator.unit}" if indicator.unit else ""
            text += f" (mål: {formats.number(indicator.target)}{unit})"
        indicators.append(text)
    return {  # after the item's own fields (model_dump), in the caller
        "parties_text": formats.and_list(item.parties),
        "capacities_text": formats.and_list(capacities),
        "indicator_texts": indicators,
    }


def _part_year_meetings(agreement: Agreement, formats: Formats) -> str | None:
    """The prorated number of steering meetings of each part year, in running text: "minst
    två möten under 2024 och minst ett möte under 2026"; ``None`` when every year is whole."""
    rules = [meetings_required(agreement, period) for period in report_periods(agreement)]
    parts = [
        f"minst {formats.in_words(r.count, 'ett')} {'möte' if r.count == 1 else 'möten'} "
        f"under {r.year}"
        for r in rules
        if r is not None and r.prorated
    ]
    return formats.and_list(parts) if parts else None
