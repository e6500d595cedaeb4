"""Swedish labels for every field of the agreement model, as a lawyer reads them.

A label is keyed by the field's *generic path*: the attribute names from ``Agreement`` down,
joined by dots, without list positions (``period.end``, ``parties.contacts.email``). The items of a
list field have their own label under the list's path followed by ``[]`` (``parties[]`` → "Part
{}"); ``{}`` in an item label is where the item's key (a short name, a title) goes.

Top-level and nested-model fields carry labels that stand on their own ("Avtalsperiodens
slutdatum"); fields of list items carry short labels ("Namn") that are read after the item's
label ("Part GSE › Namn").
"""

from __future__ import annotations

import re

__all__ = ["LABELS", "item_label", "label"]

LABELS: dict[str, str] = {
    "schema_version": "Filformatets version",
    "metadata": "Dokumentuppgifter",
    "metadata.title": "Avtalets titel",
    "metadata.subject": "Avtalets ämne",
    "metadata.case_number": "Diarienummer",
    "metadata.status": "Dokumentstatus",
    "metadata.language": "Dokumentets språk",
    "metadata.date": "Avtalets datum",
    "metadata.signing": "Sätt att underteckna (på papper eller elektroniskt)",
    "challenge": "Gemensam samhällsutmaning",
    "background": "Bakgrund",
    "purpose": "Syfte",
    "added_value": "Mervärde",
    "iop_form": "IOP som samverkansform",
    "iop_form.surplus_reinvested": "Överskott återförs till verksamheten",
    "iop_form.text": "IOP som samverkansform, text",
    "parties": "Parter",
    "parties[]": "Part {}",
    "parties.kind": "Typ av part",
    "parties.name": "Namn",
    "parties.short_name": "Kortnamn",
    "parties.org_number": "Organisationsnummer",
    "parties.acting_body": "Nämnd som företräder parten",
    "parties.address": "Adress",
    "parties.payment_account": "Konto för utbetalning",
    "parties.contacts": "Kontaktpersoner",
    "parties.contacts[]": "Kontaktperson {}",
    "parties.contacts.name": "Namn",
    "parties.contacts.title": "Befattning",
    "parties.contacts.email": "E-post",
    "parties.contacts.phone": "Telefon",
    "parties.signatories": "Firmatecknare",
    "parties.signatories[]": "Firmatecknare {}",
    "parties.signatories.name": "Namn",
    "parties.signatories.title": "Befattning",
    "parties.signatories.place": "Ort för underskrift",
    "parties.signatories.email": "E-post för elektronisk underskrift",
    "period": "Avtalsperiod",
    "period.start": "Avtalsperiodens startdatum",
    "period.end": "Avtalsperiodens slutdatum",
    "period.intends_to_continue": "Avsikt att fortsätta efter avtalsperioden",
    "period.extension": "Villkor för förlängning",
    "conditions": "Villkor för partnerskapet",
    "conditions.adaptable": "Verksamheten får anpassas under avtalsperioden",
    "conditions.no_sanctions": "Inga sanktioner inom partnerskapet",
    "conditions.renegotiation": "Rätt att begära omförhandling",
    "conditions.notice_months": "Uppsägningstid (månader)",
    "conditions.termination_for_cause": "Hävning vid väsentligt avtalsbrott",
    "conditions.repayment_days": "Frist för återbetalning (dagar efter skriftligt krav)",
    "values": "Värdegrund",
    "values.principles": "Principer",
    "values.principles[]": "Princip",
    "values.text": "Värdegrund, text",
    "target_group": "Målgrupp",
    "mission": "Uppdrag",
    "mission.text": "Uppdrag, text",
    "mission.items": "Uppdragsdelar",
    "mission.exclusions": "Uppdraget omfattar inte",
    "mission.exclusions[]": "Undantag",
    "mission.items[]": "Uppdragsdel ”{}”",
    "mission.items.title": "Rubrik",
    "mission.items.description": "Beskrivning",
    "mission.items.parties": "Ansvariga parter",
    "mission.items.parties[]": "Ansvarig part",
    "mission.items.capacities": "Kapaciteter",
    "mission.items.capacities[]": "Kapacitet ”{}”",
    "mission.items.capacities.quantity": "Antal",
    "mission.items.capacities.up_to": "Högsta antal",
    "mission.items.capacities.unit": "Enhet",
    "mission.items.capacities.per": "Räknas per",
    "mission.items.goals": "Mål",
    "mission.items.goals[]": "Mål",
    "mission.items.indicators": "Indikatorer",
    "mission.items.indicators[]": "Indikator ”{}”",
    "mission.items.indicators.name": "Namn",
    "mission.items.indicators.target": "Målvärde",
    "mission.items.indicators.unit": "Enhet",
    "cooperation": "Samverkan",
    "cooperation.text": "Samverkan, text",
    "cooperation.steering_group": "Styrgrupp",
    "cooperation.steering_group.meetings_per_year": "Styrgruppens möten per år (minst)",
    "cooperation.steering_group.spring_meetings": "Styrgruppens möten under våren",
    "cooperation.steering_group.autumn_meetings": "Styrgruppens möten under hösten",
    "cooperation.steering_group.appointed_by": "Parter som utser ledamöter i styrgruppen",
    "cooperation.steering_group.appointed_by[]": "Part som utser ledamöter i styrgruppen",
    "cooperation.steering_group.rotating_convener": "Ansvaret att kalla till möte roterar",
    "cooperation.steering_group.any_party_may_convene": "Varje part får kalla till extra möte",
    "cooperation.reports_to": "Partnerskapet redovisas för",
    "operational_responsibility": "Verksamhetsansvar",
    "operational_responsibility.parties": "Verksamhetsansvariga parter",
    "operational_responsibility.parties[]": "Verksamhetsansvarig part",
    "operational_responsibility.employer_responsibility": "Arbetsgivaransvar hos de "
    "verksamhetsansvariga",
    "operational_responsibility.text": "Verksamhetsansvar, text",
    "contributions": "Parternas bidrag",
    "contributions[]": "Bidrag från {}",
    "contributions.parties": "Bidragande parter",
    "contributions.parties[]": "Bidragande part",
    "contributions.in_kind": "Insatser i annan form än pengar",
    "contributions.in_kind[]": "Insats ”{}”",
    "contributions.in_kind.text": "Beskrivning",
    "contributions.in_kind.value": "Värde",
    "contributions.money": "Ekonomiska bidrag",
    "contributions.money[]": "Medelsrad ”{}”",
    "contributions.money.label": "Benämning",
    "contributions.money.amount": "Belopp",
    "contributions.money.ceiling": "Beloppet är ett högsta belopp (upp till)",
    "contributions.money.recipients": "Mottagare",
    "contributions.money.recipients[]": "Mottagare",
    "contributions.money.basis": "Beloppet avser",
    "contributions.money.purpose": "Ändamål",
    "contributions.money.frequency": "Utbetalningsintervall",
    "contributions.money.pay_on_day": "Utbetalningsdag i månaden",
    "contributions.money.pay_by_day": "Senaste utbetalningsdag i månaden",
    "contributions.money.pay_within_days": "Utbetalning inom antal dagar från periodens början",
    "contributions.money.shared": "Beloppet delas mellan mottagarna",
    "contributions.money.shares": "Mottagarnas andelar",
    "contributions.money.start": "Medelsradens första dag",
    "contributions.money.end": "Medelsradens sista dag",
    "contributions.money.amounts": "Belopp för enskilda år",
    "contributions.money.indexation": "Indexering",
    "contributions.money.indexation.index": "Index",
    "contributions.money.indexation.base": "Indexets basvärde",
    "contributions.money.indexation.share": "Andel av indexförändringen",
    "contributions.money.indexation.rounding": "Avrundning av indexerat belopp",
    "contributions.money.vat": "Mervärdesskatt",
    "contributions.money.stated_total": "Angiven summa för avtalsperioden",
    "contributions.text": "Text",
    "payment": "Utbetalning av bidraget",
    "payment.frequency": "Utbetalningsintervall (om medelsraden inte anger något)",
    "payment.on_decided_basis": "Utbetalning utifrån beslutat underlag",
    "payment.amounts_in_words": "Belopp skrivs även med bokstäver",
    "payment.on_request": "Utbetalning efter rekvisition",
    "payment.request_to": "Mottagare av rekvisition",
    "payment.budget_reservation": "Förbehåll för anslag",
    "payment.text": "Utbetalning av bidraget, text",
    "deviations": "Avvikelser",
    "deviations.joint_approval": "Avvikelser kräver dialog och gemensamt godkännande",
    "deviations.text": "Avvikelser, text",
    "follow_up": "Uppföljning och utvärdering",
    "follow_up.report_due": "Sista dag för årsberättelsen",
    "follow_up.report_due.day": "Sista dag för årsberättelsen, dag",
    "follow_up.report_due.month": "Sista dag för årsberättelsen, månad",
    "follow_up.report_recipient": "Mottagare av årsberättelsen",
    "follow_up.reporting_parties": "Parter som lämnar årsberättelse",
    "follow_up.reporting_parties[]": "Part som lämnar årsberättelse",
    "follow_up.text": "Uppföljning och utvärdering, text",
    "follow_up.audit": "Rätt att granska räkenskaper",
    "follow_up.separate_accounts": "Särredovisning av bidraget",
    "follow_up.operating_plan": "Årlig verksamhetsplan och budget",
    "state_aid": "Statsstöd",
    "state_aid.form": "Statsstödsform",
    "state_aid.service": "Tjänst av allmänt ekonomiskt intresse",
    "state_aid.compensation": "Parametrar för ersättningen",
    "final_provisions": "Övriga bestämmelser",
    "final_provisions.amendments_in_writing": "Ändringar och tillägg endast skriftligen",
    "final_provisions.disputes": "Tvister löses genom dialog, därefter i allmän domstol",
    "final_provisions.copies": "Antal exemplar",
    "final_provisions.personal_data": "Personuppgifter",
    "final_provisions.confidentiality": "Sekretess och tystnadsplikt",
    "final_provisions.insight": "Den offentliga partens insyn",
    "final_provisions.insurance": "Försäkring",
    "final_provisions.text": "Övriga bestämmelser, text",
    "final_provisions.force_majeure": "Befrielsegrunder (force majeure)",
    "final_provisions.no_transfer": "Förbud mot överlåtelse",
    "final_provisions.contact_changes": "Byte av kontaktperson genom skriftligt meddelande",
    "final_provisions.electronic_signing": "Elektronisk underskrift",
    "final_provisions.democracy_conditions": "Demokrativillkor",
    "final_provisions.criminal_record_checks": "Utdrag ur belastningsregistret",
    "final_provisions.logos": "Användning av logotyper",
    "clause_overrides": "Avtalsspecifika klausuler",
    "clause_overrides[]": "Klausul {}",
    "clause_overrides.id": "Klausulens id",
    "clause_overrides.text": "Text",
    "clause_overrides.omit": "Utgår",
    "clause_overrides.section": "Avsnitt",
    "appendices": "Bilagor",
    "appendices[]": "Bilaga ”{}”",
    "appendices.title": "Rubrik",
}
"""Every field's label by generic path; list items under ``path[]``."""

_SEGMENT = re.compile(r"([^.\[\]]+)((?:\[[^\]]*\])?)")


def label(path: str) -> str:
    """The Swedish label of the field at ``path``, e.g. ``label("period.end")``.

    ``path`` is a dotted field path; list items may carry a key in brackets, which is put into
    the item's label: ``label("parties[GSE].org_number")`` is "Part GSE › Organisationsnummer". A
    number in brackets is a position counted from 0, shown from 1 ("Part nr 2"), as in pydantic's
    error locations. A path without a label comes back as written, so a field added to the model
    later is still shown.
    """
    generic = ""
    parts: list[str] = []
    for match in _SEGMENT.finditer(path):
        name, bracket = match.groups()
        generic = f"{generic}.{name}" if generic else name
        if bracket:
            key = bracket[1:-1]
            if key.isdigit():
                key = f"nr {int(key) + 1}"
            parts.append(item_label(generic, key))
    if generic not in LABELS:
        return path
    if path.endswith("]"):
        return " › ".join(parts)
    return " › ".join([*parts, LABELS[generic]])


def item_label(list_path: str, key: str | None) -> str:
    """The label of one item of the list at generic ``list_path``: "Part GSE", "Princip"."""
    template = LABELS.get(f"{list_path}[]", f"{LABELS.get(list_path, list_path)} {{}}")
    if "{}" not in template:
        return template
    return template.replace("{}", key or "").strip()
