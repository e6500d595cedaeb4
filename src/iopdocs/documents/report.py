"""The plain data an annual-report template sees.

``report_context`` combines what the agreement already knows about one report period (its dates,
due date and recipient, the mission items with their goals and indicators, the required meetings,
the money due by the payment schedule) with what a filled-in ``AnnualReport`` adds. Without a
report, every field to fill in is ``None`` and the template shows an instruction instead.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from iopdocs.documents.context import contact_reach, display_name
from iopdocs.documents.formats import Formats
from iopdocs.errors import ReportError
from iopdocs.i18n import Message
from iopdocs.model import Agreement, AnnualReport, Party
from iopdocs.schedule import ReportPeriod, Schedule, meetings_required

__all__ = ["USUAL_APPENDICES", "report_context", "reporting_parties"]

USUAL_APPENDICES = (
    "Verksamhetsberättelse",
    "Protokoll från årsmötet",
    "Årsredovisning eller annan ekonomisk redovisning",
    "Revisionsberättelse",
)
# Cost rows offered in a skeleton's financial statement.
_USUAL_COSTS = ("Personalkostnader", "Lokalkostnader", "Verksamhetskostnader", "Övriga kostnader")


def reporting_parties(agreement: Agreement, party: str | None) -> list[Party]:
    """The parties a report is written by: ``party`` alone, or every reporting party."""
    shorts = agreement.follow_up.reporting_parties or [
        p.short_name for p in agreement.nonprofit_parties
    ]
    if party is None:
        return [agreement.party(s) for s in shorts]
    names = [p.short_name for p in agreement.parties]
    if party not in names:
        raise ReportError(
            Message(
                "no such party '{party}'; the parties are {parties} (reporting: {reporting})",
                party=party,
                parties=", ".join(names),
                reporting=", ".join(shorts),
            )
        )
    if party not in shorts:
        raise ReportError(
            Message(
                "'{party}' does not write annual reports under this agreement; the reporting "
                "parties are {reporting}",
                party=party,
                reporting=", ".join(shorts),
            )
        )
    return [agreement.party(party)]


def report_context(
    agreement: Agreement,
    period: ReportPeriod,
    schedule: Schedule,
    reporters: list[Party],
    report: AnnualReport | None,
    formats: Formats,
) -> dict[str, Any]:
    """The template context for the annual report of ``reporters`` for ``period``."""
    shorts = {p.short_name for p in reporters}
    due = [i for i in schedule.between(period.start, period.end) if i.recipient in shorts]
    lines = list(dict.fromkeys(i.line for i in due))
    income = {name: sum((i.amount for i in due if i.line == name), Decimal(0)) for name in lines}

    meetings_held = [{"date": m.date, "note": m.note} for m in (report.meetings if report else [])]
    rule = meetings_required(agreement, period)
    required = rule.count if rule else 0
    blank_meetings = max(required - len(meetings_held), 0) if report is None else 0

    results = {m.item: m for m in (report.missions if report else [])}
    missions = []
    for item in agreement.mission.items:
        if item.parties and not shorts & set(item.parties):
            continue
        result = results.get(item.title)
        actual = {r.indicator: r for r in (result.results if result else [])}
        missions.append(
            {
                "title": item.title,
                "description": item.description,
                "goals": list(item.goals),
                "indicators": [
                    {
                        "name": ind.name,
                        "target": (
                            f"{formats.number(ind.target)}{' ' + ind.unit if ind.unit else ''}"
                            if ind.target is not None
                            else ""
                        ),
                        "actual": (
                            formats.number(actual[ind.name].actual) if ind.name in actual else ""
                        ),
                        "comment": actual[ind.name].comment if ind.name in actual else "",
                    }
                    for ind in item.indicators
                ],
                "done": result.done if result else None,
            }
        )

    accounts_given = {a.line: a for a in (report.accounts if report else [])}
    accounts = []
    for name in lines:
        given = accounts_given.get(name)
        received = given.received if given and given.received is not None else income[name]
        costs: list[dict[str, Any]]
        total_costs: Decimal | None
        unused: Decimal | None
        if report is not None:
            rows = given.costs if given else []
            costs = [{"label": c.label, "amount": c.amount} for c in rows]
            total_costs = sum((c.amount for c in rows), Decimal(0))
            unused = received - total_costs
        else:
            costs = [{"label": label, "amount": None} for label in _USUAL_COSTS]
            total_costs = unused = None
        accounts.append(
            {
                "line": name,
                "due": income[name],
                "received": received,
                "costs": costs,
                "total_costs": total_costs,
                "unused": unused,
            }
        )

    own = report.own_contribution if report else None
    signature = report.signature if report else None
    return {
        "agreement": agreement.model_dump(),
        "report": {
            "filled": report is not None,
            "year": period.year,
            "start": period.start,
            "end": period.end,
            "whole_year": period.whole_year,
            "due": period.due,
            "recipient": period.recipient,
            "reporters": formats.and_list(display_name(p) for p in reporters),
            "reporter_shorts": formats.and_list(p.short_name for p in reporters),
            "contacts": [
                {
                    "party": p.short_name,
                    "name": c.name,
                    "title": c.title,
                    "reach": contact_reach(c),
                }
                for p in reporters
                for c in p.contacts
            ],
            "parties_text": formats.and_list(
                f"{display_name(p)} ({p.short_name})" for p in agreement.parties
            ),
            "summary": report.summary if report else None,
            "missions": missions,
            "target_group": report.target_group if report else None,
            "meetings_required": required,
            "spring_meetings": rule.spring if rule else None,
            "autumn_meetings": rule.autumn if rule else None,
            "meetings_prorated": rule.prorated if rule else False,
            "meetings": meetings_held,
            # A skeleton offers one empty row per required meeting.
            "meeting_rows": meetings_held or [{"date": None, "note": ""}] * blank_meetings,
            "money_due": [
                {
                    "line": i.line,
                    "payer": i.payer,
                    "recipient": i.recipient,
                    "date": i.date,
                    "amount": i.amount,
                }
                for i in due
            ],
            "money_due_total": sum((i.amount for i in due), Decimal(0)),
            # In-kind contributions under the party that gives each, never one joint list.
            "in_kind": [
                {
                    "contributors": display_name(party),
                    "items": [
                        i.text + (f" (värderat till {formats.money(i.value)})" if i.value else "")
                        for c in agreement.contributions
                        if party.short_name in c.parties
                        for i in c.in_kind
                    ],
                }
                # The reporting parties' own, then what the public parties put in alongside.
                for party in [*reporters, *agreement.public_parties]
                if any(party.short_name in c.parties and c.in_kind for c in agreement.contributions)
            ],
            "own": {
                "staff_hours": formats.number(own.staff_hours)
                if own and own.staff_hours is not None
                else "",
                "volunteer_hours": (
                    formats.number(own.volunteer_hours)
                    if own and own.volunteer_hours is not None
                    else ""
                ),
                "premises": own.premises if own and own.premises else "",
                "other_funding": (
                    formats.money(own.other_funding)
                    if own and own.other_funding is not None
                    else ""
                ),
                "value": formats.money(own.value) if own and own.value is not None else "",
                "other_income": (
                    formats.money(own.other_income) if own and own.other_income is not None else ""
                ),
                "text": own.text if own else None,
            },
            "has_money": bool(accounts),
            "accounts": accounts,
            "deviations": report.deviations if report else None,
            "lessons": report.lessons if report else None,
            "next_year": report.next_year if report else None,
            "appendices": list(report.appendices)
            if report and report.appendices
            else list(USUAL_APPENDICES),
            "signatures": (
                [
                    {
                        "party": display_name(reporters[0]),
                        "name": signature.name,
                        "title": signature.title,
                        "place": signature.place,
                        "date": signature.date,
                    }
                ]
                if signature
                else [
                    {
                        "party": display_name(p),
                        "name": s.name,
                        "title": s.title,
                        "place": s.place,
                        "date": None,
                    }
                    for p in reporters
                    for s in p.signatories
                ]
            ),
        },
    }
