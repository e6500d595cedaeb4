"""The review rules, each a small function of the reviewed ``Subject``, collected in ``CHECKS``.

Adding a rule is adding a function here and naming it in ``CHECKS``. Each rule has a stable code,
a Swedish title and the source it rests on, so that a review can also list the rules an agreement
passed. The model already refuses an agreement without parties, period, values, target group,
mission, contributions, follow-up, contacts or signatories; these rules look for what a valid
agreement may still lack or get wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from iopdocs.model import Agreement, PartyKind
from iopdocs.reviewing.findings import Check, Note, Severity, Subject, check
from iopdocs.reviewing.language import lexicon
from iopdocs.reviewing.text import amounts_in, free_texts, sentences
from iopdocs.reviewing.wording import (
    budget_reservation,
    contradictions,
    market_activity,
    open_ended_extension,
    procurement_vocabulary,
    repayment,
    retroactive_start,
    sanctions_denied,
    starter_placeholders,
)
from iopdocs.schedule import add_months, line_name, meetings_required, report_periods

__all__ = ["CHECKS", "DE_MINIMIS_EUR", "DE_MINIMIS_SGEI_EUR"]

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# Sources, as a lawyer would cite them.
SKR = "SKR (2017), kriterier för idéburet offentligt partnerskap"
UHM = "Upphandlingsmyndigheten, vägledning om IOP och upphandling"
RULES = "Kommunala riktlinjer för IOP (avtalets innehåll)"
AUDIT = "Revisionens granskningar av IOP (t.ex. Stockholms stad 2021): mätbara mål och uppföljning"
SKV = "Skatteverket: organisationsnumrets första siffra anger organisationens juridiska form"
INTERNAL = "Avtalets inre överensstämmelse (iopdocs räknar ut beloppen och datumen ur avtalet)"

DE_MINIMIS_EUR = Decimal(300_000)
"""The de minimis ceiling per undertaking over any three years (regulation (EU) 2023/2831)."""
DE_MINIMIS_SGEI_EUR = Decimal(750_000)
"""The ceiling for services of general economic interest (regulation (EU) 2023/2832)."""


def _kr(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", "\u00a0") + "\u00a0kr"


def _party_path(a: Agreement, short_name: str) -> str:
    index = [p.short_name for p in a.parties].index(short_name)
    return f"parties[{index}]"


# --- IOP criteria --------------------------------------------------------------------------------


@check("party_without_contribution", "Varje part bidrar till partnerskapet", SKR)
def party_contributes(s: Subject) -> Iterator[Note]:
    contributing = {name for c in s.agreement.contributions for name in c.parties}
    for i, party in enumerate(s.agreement.parties):
        if party.short_name not in contributing:
            yield Note(
                ERROR,
                f"parties[{i}]",
                f"{party.name} ({party.short_name}) bidrar inte med något enligt avtalet. I ett "
                "IOP bidrar samtliga parter med egna resurser, i pengar eller i annan form.",
            )


_EXPECTED_GROUPS = {PartyKind.PUBLIC: ("2",), PartyKind.NONPROFIT: ("7", "8")}
_GROUP_NAMES = {
    "1": "dödsbon",
    "2": "stat, regioner, kommuner och församlingar",
    "3": "utländska företag",
    "5": "aktiebolag",
    "6": "enkla bolag",
    "7": "ekonomiska föreningar och bostadsrättsföreningar",
    "8": "ideella föreningar och stiftelser",
    "9": "handelsbolag och kommanditbolag",
}


@check("org_number_unexpected_group", "Organisationsnumret passar partens roll", SKV)
def org_number_group(s: Subject) -> Iterator[Note]:
    for i, party in enumerate(s.agreement.parties):
        group = party.org_number[0]
        if group in _EXPECTED_GROUPS[party.kind]:
            continue
        kind = "offentlig" if party.kind is PartyKind.PUBLIC else "idéburen"
        expected = " eller ".join(_EXPECTED_GROUPS[party.kind])
        yield Note(
            WARNING,
            f"parties[{i}].org_number",
            f"{party.name} anges som {kind} part, men organisationsnumret {party.org_number} "
            f"börjar på {group} ({_GROUP_NAMES.get(group, 'okänd grupp')}); för en {kind} part "
            f"väntas {expected}. Kontrollera partens juridiska form och att den är idéburen "
            "respektive offentlig.",
        )


@check("sanctions_not_excluded", "Avtalet utesluter sanktioner", SKR)
def sanctions_excluded(s: Subject) -> Iterator[Note]:
    # In the whole contract the wording decides: a clause library or an override may drop the
    # clause although the field says otherwise.
    if not sanctions_denied(s):
        yield Note(
            WARNING,
            "conditions.no_sanctions",
            "Avtalet säger inte att sanktioner är uteslutna. I ett IOP kan ingen part drabbas "
            "av sanktioner; avvikelser hanteras genom dialog och omförhandling.",
        )


@check("surplus_not_reinvested", "Överskott återförs till verksamheten", SKR)
def surplus_reinvested(s: Subject) -> Iterator[Note]:
    if not s.agreement.iop_form.surplus_reinvested:
        yield Note(
            WARNING,
            "iop_form.surplus_reinvested",
            "Avtalet säger inte att ett överskott hos den idéburna parten går tillbaka till "
            "verksamheten. Ett IOP förutsätter verksamhet utan vinstsyfte.",
        )


@check(
    "money_called_operating_grant",
    "Medlen kallas inte verksamhetsbidrag",
    "Avtalets inre överensstämmelse: IOP-klausulen säger att partnerskapet inte är ett "
    "ordinarie verksamhetsbidrag",
)
def money_not_operating_grant(s: Subject) -> Iterator[Note]:
    for i, c in enumerate(s.agreement.contributions):
        for k, line in enumerate(c.money):
            if line.label and "verksamhetsbidrag" in line.label.lower():
                yield Note(
                    WARNING,
                    f"contributions[{i}].money[{k}].label",
                    "Medelsraden kallas verksamhetsbidrag, men avtalet säger att partnerskapet "
                    "inte är ett ordinarie verksamhetsbidrag. Kalla medlen till exempel "
                    "partnerskapsbidrag eller bidrag till partnerskapets verksamhet.",
                    line.label,
                )


@check("steering_group_missing", "Parterna styr partnerskapet gemensamt", SKR)
def steering_group(s: Subject) -> Iterator[Note]:
    if s.agreement.cooperation.steering_group is None:
        yield Note(
            WARNING,
            "cooperation.steering_group",
            "Avtalet anger ingen gemensam styrgrupp. Delat ägarskap och gemensam styrning är "
            "ett kännetecken för ett IOP; ange hur ofta parterna möts och vem som utser "
            "ledamöterna.",
        )


# --- Required elements ---------------------------------------------------------------------------


def _missing(
    code: str,
    title: str,
    path: str,
    message: str,
    *,
    severity: Severity = WARNING,
    source: str = RULES,
) -> Check:
    """A rule that an element is present; ``path`` is a dotted field path whose value is falsy
    when the element is missing."""

    def find(s: Subject) -> Iterator[Note]:
        value: object = s.agreement
        for part in path.split("."):
            value = getattr(value, part)
        if not value:
            yield Note(severity, path, message)

    return Check(code=code, title=title, source=source, find=find)


background = _missing(
    "background_missing",
    "Bakgrund",
    "background",
    "Avtalet saknar en bakgrund. Beskriv parternas historia och tidigare samarbete, så att "
    "det framgår att partnerskapet bygger på ett gemensamt behov.",
)
notice = _missing(
    "notice_missing",
    "Uppsägning med uppsägningstid",
    "conditions.notice_months",
    "Avtalet anger ingen uppsägningstid. Ange hur många månaders uppsägningstid som gäller.",
)
renegotiation = _missing(
    "renegotiation_missing",
    "Omförhandling",
    "conditions.renegotiation",
    "Avtalet ger inte parterna rätt att begära omförhandling när förutsättningarna ändras.",
)
termination = _missing(
    "termination_for_cause_missing",
    "Hävning vid väsentligt avtalsbrott",
    "conditions.termination_for_cause",
    "Avtalet saknar en bestämmelse om hävning. Ange att en part får häva avtalet om en annan "
    "part väsentligt bryter mot det och inte rättar till bristen efter skriftlig begäran.",
)
amendments = _missing(
    "amendments_missing",
    "Ändringar och tillägg endast skriftligen",
    "final_provisions.amendments_in_writing",
    "Avtalet säger inte att ändringar och tillägg måste vara skriftliga och undertecknade.",
)
disputes = _missing(
    "disputes_missing",
    "Tvistlösning",
    "final_provisions.disputes",
    "Avtalet anger inte hur en tvist löses: först genom dialog, därefter i allmän domstol.",
)
case_number = _missing(
    "case_number_missing",
    "Diarienummer",
    "metadata.case_number",
    "Avtalet saknar diarienummer. Ange den offentliga partens diarienummer för ärendet.",
    severity=INFO,
)


@check("money_missing", "Ekonomiska bidrag och utbetalning", RULES)
def money_stated(s: Subject) -> Iterator[Note]:
    if not s.schedule:
        yield Note(
            INFO,
            "contributions",
            "Avtalet innehåller inga ekonomiska bidrag. Kontrollera att parternas bidrag i "
            "annan form är tydligt beskrivna och att ingen ersättning avtalas på annat håll.",
        )


@check("contact_details_missing", "Kontaktuppgifter för varje part", RULES)
def contact_details(s: Subject) -> Iterator[Note]:
    for i, party in enumerate(s.agreement.parties):
        for k, contact in enumerate(party.contacts):
            if not (contact.email or contact.phone):
                yield Note(
                    INFO,
                    f"parties[{i}].contacts[{k}]",
                    f"Kontaktpersonen {contact.name} för {party.short_name} saknar e-postadress "
                    "och telefonnummer.",
                )


# --- Consistency ---------------------------------------------------------------------------------


@check("stated_total_mismatch", "Angivna summor stämmer med utbetalningsplanen", INTERNAL)
def stated_totals(s: Subject) -> Iterator[Note]:
    for ci, contribution in enumerate(s.agreement.contributions):
        for li, line in enumerate(contribution.money):
            if line.stated_total is None:
                continue
            computed = s.schedule.by_line.get(line_name(s.agreement, ci, li), Decimal(0))
            if computed != line.stated_total:
                yield Note(
                    ERROR,
                    f"contributions[{ci}].money[{li}].stated_total",
                    f"Den angivna summan {_kr(line.stated_total)} stämmer inte med "
                    f"utbetalningsplanen, som ger {_kr(computed)} för hela avtalsperioden.",
                )


def _computed_amounts(s: Subject) -> set[Decimal]:
    """Every amount the agreement states or the schedule computes, alone or summed."""
    amounts: set[Decimal] = {s.schedule.total}
    for mapping in (s.schedule.by_line, s.schedule.by_recipient, s.schedule.by_year):
        amounts.update(mapping.values())
    sums: dict[tuple[object, ...], Decimal] = defaultdict(Decimal)
    for i in s.schedule.instalments:
        amounts.add(i.amount)
        for key in (
            (i.line, i.recipient),
            (i.line, i.date.year),
            (i.recipient, i.date.year),
            (i.line, i.recipient, i.date.year),
        ):
            sums[key] += i.amount
    amounts.update(sums.values())
    for contribution in s.agreement.contributions:
        amounts.update(item.value for item in contribution.in_kind if item.value is not None)
        for line in contribution.money:
            amounts.update({line.amount, line.amount * len(line.recipients)})
            amounts.update(line.amounts.values())
            if line.stated_total is not None:
                amounts.add(line.stated_total)
    return amounts


@check("amount_in_text_unmatched", "Belopp i texten stämmer med avtalets belopp", INTERNAL)
def amounts_in_text(s: Subject) -> Iterator[Note]:
    known = _computed_amounts(s)
    for path, text in free_texts(s.agreement):
        for sentence in sentences(text):
            for amount in amounts_in(sentence):
                if amount.kronor not in known:
                    yield Note(
                        WARNING,
                        path,
                        f"Beloppet ”{amount.written}” i texten motsvarar inget belopp i "
                        "avtalets medelsrader eller utbetalningsplan. Ett belopp som skrivs två "
                        "gånger riskerar att bli fel; kontrollera det eller ange det som "
                        "medelsrad.",
                        sentence,
                    )


_REPORT_MARGIN_DAYS = 30


@check("report_due_too_soon", "Årsberättelsen lämnas i rimlig tid efter rapportperioden", INTERNAL)
def report_due(s: Subject) -> Iterator[Note]:
    for period in report_periods(s.agreement):
        margin = (period.due - period.end).days
        if margin < _REPORT_MARGIN_DAYS:
            yield Note(
                WARNING,
                "follow_up.report_due",
                f"Årsberättelsen för {period.start.isoformat()} – {period.end.isoformat()} ska "
                f"lämnas den {period.due.isoformat()}, bara {margin} dagar efter periodens slut. "
                "Ge parterna tid att sammanställa året, till exempel till februari eller mars.",
            )


@check("steering_meetings_outside_period", "Styrgruppens möten ryms i avtalsperioden", INTERNAL)
def steering_meetings(s: Subject) -> Iterator[Note]:
    """A part year prorates the yearly meetings (``schedule.meetings_required``), and the
    contract says so; the review states the resulting number so that the parties can see it."""
    if s.agreement.cooperation.steering_group is None:
        return
    for period in report_periods(s.agreement):
        rule = meetings_required(s.agreement, period)
        if rule is None or not rule.prorated:
            continue
        split = (
            f", varav {rule.spring} under våren och {rule.autumn} under hösten"
            if rule.spring is not None and rule.autumn is not None
            else ""
        )
        yield Note(
            INFO,
            "cooperation.steering_group",
            f"Avtalsperioden omfattar bara en del av {rule.year} "
            f"({period.start.isoformat()} – {period.end.isoformat()}). Kravet på möten i "
            f"styrgruppen räknas om i proportion till den delen, avrundat uppåt: minst "
            f"{rule.count} {'möte' if rule.count == 1 else 'möten'} det året{split}. "
            "Avtalet anger detta; ändra mötesreglerna om parterna vill något annat.",
        )


@check("notice_not_shorter_than_period", "Uppsägningstiden är kortare än avtalet", INTERNAL)
def notice_shorter(s: Subject) -> Iterator[Note]:
    months = s.agreement.conditions.notice_months
    period = s.agreement.period
    if months is not None and add_months(period.start, months) > period.end:
        yield Note(
            ERROR,
            "conditions.notice_months",
            f"Uppsägningstiden om {months} månader är lika lång som eller längre än hela "
            f"avtalsperioden {period.start.isoformat()} – {period.end.isoformat()}; en "
            "uppsägning kan aldrig få verkan.",
        )


@check("goals_not_measurable", "Uppdraget har mätbara mål eller indikatorer", AUDIT)
def measurable_goals(s: Subject) -> Iterator[Note]:
    items = s.agreement.mission.items
    if not items:
        yield Note(
            INFO,
            "mission",
            "Uppdraget är beskrivet i löptext utan delar med mål eller indikatorer. Revisionen "
            "brukar efterfråga mätbara mål och en plan för uppföljning.",
        )
    for i, item in enumerate(items):
        if not item.goals and not item.indicators:
            yield Note(
                INFO,
                f"mission.items[{i}]",
                f"Uppdraget ”{item.title}” saknar mål och indikatorer. Ange vad som ska uppnås "
                "och hur det följs upp i årsberättelsen.",
            )


# --- State aid -----------------------------------------------------------------------------------


def _three_year_peak(dated: list[tuple[dt.date, Decimal]]) -> tuple[Decimal, dt.date]:
    """The most money paid within any three years, and the day that window starts."""
    best, best_start = Decimal(0), dated[0][0]
    for start, _ in dated:
        end = add_months(start, 36)
        total = sum((amount for day, amount in dated if start <= day < end), Decimal(0))
        if total > best:
            best, best_start = total, start
    return best, best_start


def _state_aid_check() -> Check:
    rule = lexicon().rule("de_minimis_ceiling")
    return Check(code=rule.code, title=rule.title, source=rule.source, find=_state_aid)


def _state_aid(s: Subject) -> Iterator[Note]:
    """Compare this agreement's public money with the ceiling over every three-year period, and
    say what was not assessed: never a silent pass."""
    rule = lexicon().rule("de_minimis_ceiling")
    public = {p.short_name for p in s.agreement.public_parties}
    received: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for i in s.schedule.instalments:
        if i.payer in public:
            received[i.recipient].append((i.date, i.amount))
    rate = s.options.eur_rate
    if not received:
        none = rule.variants["none"]
        yield Note(
            Severity(none.severity), "contributions", none.explanation, None, none.suggestion
        )
        return
    for party in s.agreement.nonprofit_parties:
        if party.short_name not in received:
            continue
        peak, start = _three_year_peak(received[party.short_name])
        sgei = party.short_name in s.options.sgei
        euro_ceiling = DE_MINIMIS_SGEI_EUR if sgei else DE_MINIMIS_EUR
        ceiling = euro_ceiling * rate
        values = {
            "party": party.short_name,
            "peak": _kr(peak),
            "start": start.isoformat(),
            "which": "tjänster av allmänt ekonomiskt intresse"
            if sgei
            else "stöd av mindre betydelse",
            "euro": f"{euro_ceiling:,.0f}".replace(",", "\u00a0"),
            "ceiling": _kr(ceiling),
            "rate": f"{rate:.2f}".replace(".", ",")
            if rate == rate.quantize(Decimal("0.01"))
            else f"{rate:f}".replace(".", ","),
        }
        variant = rule.variants["over" if peak > ceiling else "under"]
        facts = rule.texts["facts"].format(**values)
        not_assessed = rule.texts["not_assessed"].format(**values)
        yield Note(
            Severity(variant.severity),
            _party_path(s.agreement, party.short_name),
            variant.explanation.format(facts=facts, not_assessed=not_assessed),
            None,
            variant.suggestion.format(**values),
        )


state_aid = _state_aid_check()


CHECKS: tuple[Check, ...] = (
    starter_placeholders,
    party_contributes,
    org_number_group,
    sanctions_excluded,
    surplus_reinvested,
    open_ended_extension,
    market_activity,
    procurement_vocabulary,
    contradictions,
    money_not_operating_grant,
    steering_group,
    background,
    money_stated,
    notice,
    renegotiation,
    termination,
    repayment,
    budget_reservation,
    amendments,
    disputes,
    case_number,
    contact_details,
    stated_totals,
    amounts_in_text,
    retroactive_start,
    report_due,
    steering_meetings,
    notice_shorter,
    measurable_goals,
    state_aid,
)
"""Every rule ``iopdocs.review`` applies, in the order a lawyer reads an IOP."""
