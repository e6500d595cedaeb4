"""The agreement: every section of an IOP contract, in the order the contract presents them."""

import datetime as dt
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from iopdocs.model.base import StrictModel, TextOrModel, empty_list, made
from iopdocs.model.migration import SCHEMA_VERSION
from iopdocs.model.mission import Capacity, Indicator, Mission, MissionItem
from iopdocs.model.money import Basis, Contribution, Frequency, MoneyLine, Payment
from iopdocs.model.parties import Party, PartyKind
from iopdocs.model.types import Prose, Text

__all__ = [
    "SWEDISH_MONTHS",
    "Agreement",
    "Appendix",
    "Capacity",
    "ClauseOverride",
    "Conditions",
    "Cooperation",
    "DayMonth",
    "Deviations",
    "FinalProvisions",
    "FollowUp",
    "Indicator",
    "IopForm",
    "Metadata",
    "Mission",
    "MissionItem",
    "OperationalResponsibility",
    "Period",
    "Principle",
    "StateAid",
    "StateAidForm",
    "Status",
    "SteeringGroup",
    "Values",
    "line_span",
]


class Status(StrEnum):
    """Whether the document is a draft (marked UTKAST) or the final text for signing."""

    DRAFT = "draft"
    FINAL = "final"


class Signing(StrEnum):
    """How the parties sign the agreement."""

    INK = "ink"
    """On paper: the signature page has lines for each signature, place and date."""
    ELECTRONIC = "electronic"
    """Through an e-signature service: the signature page lists the signatories and says that
    the agreement is signed electronically; the service adds its own evidence of signing."""


class Metadata(StrictModel):
    """Facts about the document itself rather than the partnership."""

    title: Text
    """The agreement's title, printed on the first page and in the page header."""
    subject: Text | None = None
    """What the partnership concerns, completing the title ("gällande …")."""
    case_number: Text | None = None
    """Diarienummer: the public party's case number for the matter."""
    status: Status = Status.DRAFT
    language: str = Field(default="sv-SE", pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")
    date: dt.date | None = None
    """The date the document is dated; the period's start when not given."""
    signing: Signing = Signing.INK
    """``ink`` (the default) or ``electronic``. ``final_provisions.electronic_signing: true``
    alone also means ``electronic``."""


class IopForm(StrictModel):
    """IOP som samverkansform: why the partnership takes the IOP form."""

    surplus_reinvested: bool = True
    """Any surplus of the non-profit parties goes back into the activity."""
    text: Prose | None = None


class Period(StrictModel):
    """Avtalsperiod: when the partnership runs."""

    start: dt.date
    end: dt.date
    """The last day of the partnership (inclusive)."""
    intends_to_continue: bool = False
    """The parties intend to continue the partnership after ``end``."""
    extension: Prose | None = None
    """Terms on which the period may be extended; always a stated, limited time."""

    @model_validator(mode="after")
    def _ends_after_start(self) -> "Period":
        if self.end <= self.start:
            raise ValidationError.from_exception_data(
                "Period",
                [
                    _error(
                        "period_order",
                        "the period ends ({end}) on or before it starts ({start})",
                        ("end",),
                        self.end.isoformat(),
                        end=self.end.isoformat(),
                        start=self.start.isoformat(),
                    )
                ],
            )
        return self


class Conditions(StrictModel):
    """Villkor för partnerskapet: sanctions, renegotiation, notice, hävning and repayment."""

    adaptable: bool = True
    """The content of the activity may change during the period as needs change."""
    no_sanctions: bool = True
    """No party can be penalised within the partnership (no vite, no damages for shortfalls);
    the clause says that hävning and repayment still apply."""
    renegotiation: bool = True
    """Every party may ask to renegotiate when terms are not met or circumstances change."""
    notice_months: int | None = Field(default=None, ge=1, le=36)
    """Uppsägningstid in months; ``None`` leaves termination by notice out of the contract."""
    termination_for_cause: bool = True
    """Hävning: each party may end the agreement at once towards a party that materially breaches
    it (false information, money used against the agreement, a breach not put right within 30
    days of a written request)."""
    repayment_days: int = Field(default=30, ge=10, le=90)
    """Återbetalning: days after a written demand within which money not used for the
    partnership's purpose, or used against the agreement, must be repaid."""


class Principle(StrEnum):
    """The six principles of the national agreement between government and civil society."""

    DIALOGUE = "dialog"
    LONG_TERM = "långsiktighet"
    QUALITY = "kvalitet"
    TRANSPARENCY = "öppenhet och insyn"
    INDEPENDENCE = "självständighet och oberoende"
    DIVERSITY = "mångfald"


class Values(StrictModel):
    """Värdegrund: the values the partnership rests on."""

    principles: list[Principle] = Field(default_factory=empty_list)
    text: Prose | None = None

    @model_validator(mode="after")
    def _something_said(self) -> "Values":
        if not self.principles and self.text is None:
            raise PydanticCustomError(
                "values_empty", "name at least one principle or write a text for the values"
            )
        if len(set(self.principles)) != len(self.principles):
            raise PydanticCustomError("principle_repeated", "a principle is named twice")
        return self


class SteeringGroup(StrictModel):
    """Styrgrupp: the group that steers the partnership jointly."""

    meetings_per_year: int = Field(ge=1, le=52)
    """The least number of steering meetings each year."""
    spring_meetings: int | None = Field(default=None, ge=0)
    autumn_meetings: int | None = Field(default=None, ge=0)
    appointed_by: list[Text] = Field(default_factory=empty_list)
    """Short names of the parties appointing members; empty means every party."""
    rotating_convener: bool = False
    """The duty to call meetings rotates between the parties."""
    any_party_may_convene: bool = True
    """Any party may call an extra meeting when needed."""

    @model_validator(mode="after")
    def _split_adds_up(self) -> "SteeringGroup":
        if (self.spring_meetings is None) != (self.autumn_meetings is None):
            raise PydanticCustomError(
                "meeting_split_incomplete",
                "give both spring_meetings and autumn_meetings, or neither",
            )
        if self.spring_meetings is not None and self.autumn_meetings is not None:
            total = self.spring_meetings + self.autumn_meetings
            if total != self.meetings_per_year:
                raise PydanticCustomError(
                    "meeting_split_sum",
                    "spring_meetings + autumn_meetings is {total}, "
                    "but meetings_per_year is {expected}",
                    {"total": total, "expected": self.meetings_per_year},
                )
        return self


class StateAidForm(StrEnum):
    """How the contribution stands to the EU state-aid rules (statsstöd), as the public party has
    assessed it."""

    NOT_AID = "not_aid"
    """Assessed as no state aid (no economic activity, or no effect on trade): no clause."""
    DE_MINIMIS = "de_minimis"
    """Stöd av mindre betydelse under kommissionens förordning (EU) 2023/2831."""
    SGEI = "sgei"
    """Ersättning för en tjänst av allmänt ekonomiskt intresse (TAEI) under kommissionens
    beslut 2012/21/EU: the agreement is the act of entrustment (överlåtelseakt)."""


class StateAid(StrictModel):
    """Statsstöd: the state-aid form of the contribution and what the contract must say for it."""

    form: StateAidForm = StateAidForm.NOT_AID
    service: Text | None = None
    """For SGEI: the service of general economic interest entrusted to the non-profit parties."""
    compensation: Prose | None = None
    """For SGEI: how the compensation is calculated (parametrar för ersättningen); the money
    lines of the contract when not given."""


class Cooperation(StrictModel):
    """Samverkan: how the parties work together and with others."""

    text: Prose | None = None
    steering_group: SteeringGroup | None = None
    reports_to: Text | None = None
    """A body the development of the partnership is reported to, e.g. a council."""


class OperationalResponsibility(StrictModel):
    """Verksamhetsansvar: who runs the activity and employs its staff."""

    parties: list[Text] = Field(default_factory=empty_list)
    """Short names of the responsible parties; empty means every non-profit party."""
    employer_responsibility: bool = True
    """The responsible parties alone carry employer responsibility for the staff."""
    text: Prose | None = None


class ClauseOverride(StrictModel):
    """Avtalsspecifik klausul: negotiated wording for this agreement only.

    With the ``id`` of a library clause: ``text`` replaces its text, or ``omit`` leaves it out.
    With an id of its own: a new clause, placed last in ``section``.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    text: Prose | None = None
    omit: bool = False
    section: Text | None = None
    """The section a clause of the agreement's own goes into (``conditions``, ``final``…)."""

    @model_validator(mode="after")
    def _one_change(self) -> "ClauseOverride":
        if self.omit == (self.text is not None):
            raise PydanticCustomError(
                "clause_override_change", "give either a text or omit: true for a clause override"
            )
        return self


class Deviations(StrictModel):
    """Avvikelser: changes to plan or budget."""

    joint_approval: bool = True
    """Deviations from plan or budget need dialogue and joint approval before they happen."""
    text: Prose | None = None


SWEDISH_MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
"""The months in Swedish, January first, as a day of the year is written ("15 februari")."""
_DAY_MONTH_TEXT = re.compile(r"^(?:--)?(\d{1,2})-(\d{1,2})$")
_DAY_MONTH_SWEDISH = re.compile(r"^(\d{1,2})(?::e|:a)?\s+([a-zåäö]+)$")


def _day_month_before(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if match := _DAY_MONTH_TEXT.match(text):
        return {"month": int(match.group(1)), "day": int(match.group(2))}
    if (match := _DAY_MONTH_SWEDISH.match(text)) and match.group(2) in SWEDISH_MONTHS:
        return {"day": int(match.group(1)), "month": SWEDISH_MONTHS.index(match.group(2)) + 1}
    raise PydanticCustomError(
        "day_month_parsing",
        '\'{value}\' is not a day of the year such as "15 februari" or "02-15"',
        {"value": value},
    )


class DayMonth(TextOrModel):
    """A day of the year without a year (15 February); also written "15 februari" or "02-15"."""

    day: int = Field(ge=1, le=31)
    month: int = Field(ge=1, le=12)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return _day_month_before(value)

    @model_validator(mode="after")
    def _real_day(self) -> "DayMonth":
        # 2023 is not a leap year: 29 February is refused, as it would vanish three years in four.
        try:
            dt.date(2023, self.month, self.day)
        except ValueError:
            raise PydanticCustomError(
                "day_month_invalid",
                "day {day} does not exist in month {month} every year",
                {"day": self.day, "month": self.month},
            ) from None
        return self

    def in_year(self, year: int) -> dt.date:
        """The date this day falls on in ``year``."""
        return dt.date(year, self.month, self.day)


class FollowUp(StrictModel):
    """Uppföljning: the annual report (årsberättelse) and who receives it."""

    report_due: DayMonth
    """The day each year by which the annual report for the year before is due."""
    report_recipient: Text
    """Who receives the annual report, e.g. "Kulturförvaltningen, Västra Götalandsregionen"."""
    reporting_parties: list[Text] = Field(default_factory=empty_list)
    """Short names of the parties writing the report; empty means every non-profit party."""
    audit: bool = True
    """Granskning: the public party may audit the accounts and documents behind the use of
    its money, during the period and for a time after it."""
    separate_accounts: bool = True
    """Särredovisning: money received is kept apart in the receiving party's accounts, so that
    its use can be followed and any unused amount seen."""
    operating_plan: bool = False
    """Verksamhetsplan och budget: each non-profit party submits one for every year before the
    year starts; the deviations clause then refers to them."""
    text: Prose | None = None


class FinalProvisions(StrictModel):
    """Övriga bestämmelser: clauses municipal IOP rules ask for beyond the reference contract."""

    amendments_in_writing: bool = True
    """Ändringar och tillägg: changes bind only when agreed in writing and signed."""
    disputes: bool = True
    """Tvist: disputes are settled by dialogue first, then by a Swedish general court."""
    copies: int | None = Field(default=None, ge=1, le=20)
    """Number of identical paper copies; ``None`` leaves the clause out (e.g. digital signing)."""
    text: Prose | None = None
    personal_data: bool = False
    """Personuppgifter: each party is controller for its own processing under the GDPR, and
    processing on another party's behalf needs a data processing agreement first."""
    confidentiality: bool = False
    """Tystnadsplikt: what a party learns of another's or of individuals' affairs stays
    confidential, within the bounds of the public access to information."""
    insight: bool = False
    """Insyn: the non-profit parties give the public party the information it needs to follow
    the activity up and to inform the public (kommunallagen 10 kap. 9 §)."""
    insurance: bool = False
    """Försäkring: each party holds the insurance its own part of the activity needs."""
    force_majeure: bool = True
    """Befrielsegrunder: a party is excused while events beyond its control prevent it."""
    no_transfer: bool = True
    """Överlåtelse: no party may transfer the agreement, or pass its money on, without the
    others' written consent."""
    contact_changes: bool = True
    """A contact person is changed by written notice to the other parties, not by amendment."""
    electronic_signing: bool = False
    """The agreement is signed electronically; otherwise in paper copies (``copies``, by default
    one for each party)."""
    democracy_conditions: bool = False
    """Demokrativillkor: the non-profit parties respect democracy and human rights, as the
    government's conditions for grants to civil society describe."""
    criminal_record_checks: bool = False
    """Utdrag ur belastningsregistret: where the target group includes children, people working
    with them show a register extract; the organisation looks at it and keeps no copy."""
    logos: bool = False
    """Each party may use the others' names and logos to tell about the partnership."""


class Appendix(TextOrModel):
    """Bilaga: a document the parties attach to the contract as part of it (a verksamhetsplan,
    a budget). A plain string is its title.

    The contract lists its appendices by number after the payment schedule (Bilaga 1 when the
    agreement has money); the files themselves are given when the PDF is made.
    """

    title: Text


def _appendix(value: Any) -> Any:
    return {"title": value} if isinstance(value, str) else value


class Agreement(StrictModel):
    """Idéburet offentligt partnerskap (IOP): one partnership agreement, section by section.

    Fields follow the order of the contract. Parties are referred to everywhere else by their
    ``short_name``; the cross-field checks make sure every such reference names a real party.
    """

    schema_version: int = SCHEMA_VERSION
    """The version of the file format the file was written for; a file of an earlier version is
    brought up to date when it is loaded (``iopdocs migrate`` rewrites it)."""
    metadata: Metadata
    challenge: Prose
    """Gemensam samhällsutmaning: the societal challenge the parties share."""
    background: Prose | None = None
    """Bakgrund: the parties' history and earlier cooperation."""
    purpose: Prose
    """Syfte: what the partnership is for."""
    added_value: Prose | None = None
    """Mervärde: why a partnership achieves more than each party alone."""
    iop_form: IopForm = Field(default_factory=made(IopForm))
    parties: list[Party] = Field(min_length=2)
    period: Period
    conditions: Conditions = Field(default_factory=made(Conditions))
    values: Values
    target_group: Prose
    """Målgrupp: whom the partnership is for."""
    mission: Mission
    cooperation: Cooperation = Field(default_factory=made(Cooperation))
    operational_responsibility: OperationalResponsibility = Field(
        default_factory=made(OperationalResponsibility)
    )
    contributions: list[Contribution] = Field(min_length=1)
    payment: Payment = Field(default_factory=made(Payment))
    deviations: Deviations = Field(default_factory=made(Deviations))
    follow_up: FollowUp
    state_aid: StateAid = Field(default_factory=made(StateAid))
    final_provisions: FinalProvisions = Field(default_factory=made(FinalProvisions))
    appendices: list[Appendix] = Field(default_factory=empty_list)
    """The user's appendices (bilagor) to the contract, in the order they are attached."""
    clause_overrides: list[ClauseOverride] = Field(default_factory=empty_list)
    """Negotiated wording for this agreement: clauses of the clause library replaced or left
    out, or clauses of its own."""

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value > SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_version_newer",
                "the file is written for schema version {version}; this iopdocs reads up to "
                "version {current}: install a newer iopdocs",
                {"version": value, "current": SCHEMA_VERSION},
            )
        if value < SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_version_older",
                "the data is for schema version {version}; load it from a file (which migrates "
                "it) or run 'iopdocs migrate' on the file",
                {"version": value},
            )
        return value

    @field_validator("appendices", mode="before")
    @classmethod
    def _appendices_may_be_titles(cls, value: Any) -> Any:
        return [_appendix(v) for v in value] if isinstance(value, list) else value

    @field_validator("parties")
    @classmethod
    def _parties_are_distinct(cls, parties: list[Party]) -> list[Party]:
        errors = list(_party_errors(parties))
        if errors:
            raise ValidationError.from_exception_data("Agreement", errors)
        return parties

    @model_validator(mode="after")
    def _cross_checks(self) -> "Agreement":
        errors = list(_cross_field_errors(self))
        if errors:
            raise ValidationError.from_exception_data("Agreement", errors)
        return self

    @model_validator(mode="after")
    def _one_way_of_signing(self) -> "Agreement":
        """``metadata.signing`` and the older ``final_provisions.electronic_signing`` agree: the
        older flag alone makes the signing electronic; the two set against each other is an
        error."""
        if self.final_provisions.electronic_signing and self.metadata.signing is Signing.INK:
            if "signing" in self.metadata.model_fields_set:
                raise ValidationError.from_exception_data(
                    "Agreement",
                    [
                        _error(
                            "signing_conflict",
                            "metadata.signing is 'ink' but final_provisions.electronic_signing "
                            "is true; choose one way of signing",
                            ("metadata", "signing"),
                            "ink",
                        )
                    ],
                )
            self.metadata.signing = Signing.ELECTRONIC
        return self

    # --- Convenience views; pure functions of the fields above ---------------------------------

    def party(self, short_name: str) -> Party:
        """The party with ``short_name``; ``KeyError`` when there is none."""
        for party in self.parties:
            if party.short_name == short_name:
                return party
        raise KeyError(short_name)

    @property
    def public_parties(self) -> list[Party]:
        return [p for p in self.parties if p.kind is PartyKind.PUBLIC]

    @property
    def nonprofit_parties(self) -> list[Party]:
        return [p for p in self.parties if p.kind is PartyKind.NONPROFIT]

    @property
    def document_date(self) -> dt.date:
        """The date the document carries: ``metadata.date``, else the period's start."""
        return self.metadata.date or self.period.start


def _error(
    code: str, message: str, loc: tuple[str | int, ...], value: Any, **ctx: Any
) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(code, message, ctx or None), loc=loc, input=value
    )


def _party_errors(parties: list[Party]) -> Iterator[InitErrorDetails]:
    kinds = {p.kind for p in parties}
    # One whole sentence per kind, so that each is translated as a sentence.
    if PartyKind.PUBLIC not in kinds:
        yield _error(
            "party_kind_missing",
            "an IOP needs at least one public party",
            (),
            [p.short_name for p in parties],
        )
    if PartyKind.NONPROFIT not in kinds:
        yield _error(
            "party_kind_missing",
            "an IOP needs at least one non-profit party",
            (),
            [p.short_name for p in parties],
        )
    seen_names: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    for i, p in enumerate(parties):
        if p.short_name in seen_names:
            yield _error(
                "short_name_repeated",
                "short name '{name}' is already used by parties[{other}]",
                (i, "short_name"),
                p.short_name,
                name=p.short_name,
                other=seen_names[p.short_name],
            )
        seen_names.setdefault(p.short_name, i)
        if p.org_number in seen_numbers:
            yield _error(
                "org_number_repeated",
                "organisation number {number} is already used by parties[{other}]",
                (i, "org_number"),
                p.org_number,
                number=p.org_number,
                other=seen_numbers[p.org_number],
            )
        seen_numbers.setdefault(p.org_number, i)


def _cross_field_errors(a: Agreement) -> Iterator[InitErrorDetails]:
    """References between sections: every short name used must be a party's."""
    seen_names = [p.short_name for p in a.parties]

    def unknown(names: list[str], loc: tuple[str | int, ...]) -> Iterator[InitErrorDetails]:
        for j, name in enumerate(names):
            if name not in seen_names:
                yield _error(
                    "party_unknown",
                    "'{name}' is not the short name of a party (known: {known})",
                    (*loc, j),
                    name,
                    name=name,
                    known=", ".join(seen_names),
                )

    for i, item in enumerate(a.mission.items):
        yield from unknown(item.parties, ("mission", "items", i, "parties"))
    if a.cooperation.steering_group is not None:
        yield from unknown(
            a.cooperation.steering_group.appointed_by,
            ("cooperation", "steering_group", "appointed_by"),
        )
    yield from unknown(
        a.operational_responsibility.parties, ("operational_responsibility", "parties")
    )
    yield from unknown(a.follow_up.reporting_parties, ("follow_up", "reporting_parties"))

    labels: dict[str, tuple[int, int]] = {}
    for i, c in enumerate(a.contributions):
        for k, line in enumerate(c.money):
            if line.label is None:
                continue
            if line.label in labels:
                yield _error(
                    "money_label_repeated",
                    "the label '{label}' already names contributions[{i}].money[{k}]; "
                    "each money line needs its own",
                    ("contributions", i, "money", k, "label"),
                    line.label,
                    label=line.label,
                    i=labels[line.label][0],
                    k=labels[line.label][1],
                )
            labels.setdefault(line.label, (i, k))

    for i, c in enumerate(a.contributions):
        yield from unknown(c.parties, ("contributions", i, "parties"))
        if c.money and len(c.parties) != 1:
            yield _error(
                "money_payer_ambiguous",
                "a contribution with money needs exactly one paying party, not {count}",
                ("contributions", i, "parties"),
                c.parties,
                count=len(c.parties),
            )
        for k, line in enumerate(c.money):
            loc = ("contributions", i, "money", k, "recipients")
            yield from unknown(line.recipients, loc)
            for j, name in enumerate(line.recipients):
                if name in c.parties:
                    yield _error(
                        "money_to_payer",
                        "'{name}' cannot pay money to itself",
                        (*loc, j),
                        name,
                        name=name,
                    )
            if len(set(line.recipients)) != len(line.recipients):
                yield _error(
                    "recipient_repeated", "a recipient is named twice", loc, line.recipients
                )
            yield from _line_span_errors(a, line, ("contributions", i, "money", k))
            yield from _frequency_errors(
                a,
                line.frequency or a.payment.frequency,
                line.basis,
                ("contributions", i, "money", k, "frequency"),
                line_span(a, line),
            )


def line_span(a: Agreement, line: MoneyLine) -> tuple[dt.date, dt.date]:
    """The days a money line covers: its own ``start`` … ``end`` where given, else the
    agreement period's."""
    return (line.start or a.period.start, line.end or a.period.end)


def _line_span_errors(
    a: Agreement, line: MoneyLine, loc: tuple[str | int, ...]
) -> Iterator[InitErrorDetails]:
    for name in ("start", "end"):
        day: dt.date | None = getattr(line, name)
        if day is not None and not a.period.start <= day <= a.period.end:
            yield _error(
                "money_dates_outside",
                "the money line's {name} {day} lies outside the agreement period {start} – {end}",
                (*loc, name),
                day.isoformat(),
                name=name,
                day=day.isoformat(),
                start=a.period.start.isoformat(),
                end=a.period.end.isoformat(),
            )
    first, last = line_span(a, line)
    for year in line.amounts:
        if not first.year <= year <= last.year:
            yield _error(
                "amounts_year_outside",
                "the money line runs {start} – {end}; it has no amount for {year}",
                (*loc, "amounts", year),
                year,
                start=first.isoformat(),
                end=last.isoformat(),
                year=year,
            )


def _holds_months(start: dt.date, end: dt.date, months: int) -> bool:
    """Whether ``start`` … ``end`` (inclusive) holds ``months`` whole calendar months, counted as
    the schedule counts them: a month on from 31 January is 28 (29) February, a year on from
    29 February is 28 February."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    # The number of days of that month (December's 31 without a date in the next year).
    last = 31 if month == 11 else (dt.date(year, month + 2, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(start.day, last)) <= end + dt.timedelta(days=1)


def _frequency_errors(
    a: Agreement,
    frequency: Frequency,
    basis: Basis,
    loc: tuple[str | int, ...],
    span: tuple[dt.date, dt.date],
) -> Iterator[InitErrorDetails]:
    if frequency is Frequency.ONCE and basis is not Basis.TOTAL:
        yield _error(
            "frequency_once_per_year",
            "a single payment ('once') cannot pay an amount given {basis}; "
            "use basis 'total' or a yearly frequency",
            loc,
            frequency.value,
            basis=basis.value,
        )
    months = frequency.months
    if months is not None and not _holds_months(*span, months):
        facts = {
            "start": span[0].isoformat(),
            "end": span[1].isoformat(),
            "frequency": frequency.value,
            "months": months,
        }
        if span == (a.period.start, a.period.end):
            yield _error(
                "frequency_too_long",
                "the agreement period {start} – {end} cannot hold one '{frequency}' instalment "
                "period of {months} months",
                loc,
                frequency.value,
                **facts,
            )
        else:
            yield _error(
                "frequency_too_long",
                "the money line {start} – {end} cannot hold one '{frequency}' instalment "
                "period of {months} months",
                loc,
                frequency.value,
                **facts,
            )
