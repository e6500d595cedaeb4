"""The agreement model: what a valid agreement holds, and how invalid ones are reported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from iopdocs import Agreement, PartyKind, Principle, Status
from iopdocs.model import Basis, DayMonth, Frequency


def errors_of(data: dict[str, Any]) -> list[tuple[tuple[int | str, ...], str]]:
    with pytest.raises(ValidationError) as info:
        Agreement.model_validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in info.value.errors()]


class TestTheFlagshipHoldsTheFactsOfTheReferenceContract:
    def test_parties(self, flagship: Agreement) -> None:
        numbers = {p.short_name: p.org_number for p in flagship.parties}
        assert numbers == {
            "VGR": "232100-0131",
            "GSE": "769607-4496",
            "SENS": "802418-4734",
            "SES": "802469-9889",
            "SEF": "802473-5832",
        }
        (region,) = flagship.public_parties
        assert region.name == "Västra Götalandsregionen"
        assert region.acting_body == "kulturnämnden"
        assert [p.kind for p in flagship.nonprofit_parties] == [PartyKind.NONPROFIT] * 4

    def test_period_and_conditions(self, flagship: Agreement) -> None:
        assert flagship.period.start == dt.date(2024, 8, 1)
        assert flagship.period.end == dt.date(2025, 12, 31)
        assert flagship.period.intends_to_continue
        assert flagship.conditions.no_sanctions
        assert flagship.conditions.renegotiation
        assert flagship.conditions.notice_months == 6

    def test_steering_group_and_follow_up(self, flagship: Agreement) -> None:
        group = flagship.cooperation.steering_group
        assert group is not None
        assert (group.meetings_per_year, group.spring_meetings, group.autumn_meetings) == (4, 2, 2)
        assert group.rotating_convener
        due = flagship.follow_up.report_due
        assert (due.day, due.month) == (15, 2)
        assert "Kulturförvaltningen" in flagship.follow_up.report_recipient

    def test_money(self, flagship: Agreement) -> None:
        lines = [line for c in flagship.contributions for line in c.money]
        (line,) = lines
        assert line.amount == Decimal("300000")
        assert line.ceiling
        assert line.basis is Basis.PER_12_MONTHS
        assert line.recipients == ["GSE", "SENS", "SES", "SEF"]
        assert line.purpose == "lönekostnader"
        assert flagship.payment.frequency is Frequency.MONTHLY
        assert flagship.payment.on_decided_basis

    def test_contacts_and_signatories(self, flagship: Agreement) -> None:
        contacts = {p.short_name: p.contacts[0].name for p in flagship.parties}
        assert contacts["VGR"] == "Anne Svensson"
        assert contacts["SENS"] == "Helena Dahlström"
        signatory = flagship.party("VGR").signatories[0]
        assert (signatory.name, signatory.title.lower()) == (
            "Alex Bergström",
            "ordförande kulturnämnden",
        )
        assert sum(len(p.signatories) for p in flagship.parties) == 5


def test_a_minimal_agreement_takes_sensible_defaults(
    make_agreement: Callable[..., Agreement],
) -> None:
    agreement = make_agreement()
    assert agreement.metadata.status is Status.DRAFT
    assert agreement.metadata.language == "sv-SE"
    assert agreement.values.principles == [Principle.DIALOGUE, Principle.QUALITY]
    assert agreement.follow_up.report_due == DayMonth(day=31, month=3)
    assert agreement.document_date == dt.date(2025, 1, 1)
    assert agreement.party("EK").org_number == "212000-0142"


def test_unknown_keys_are_errors(minimal_data: dict[str, Any]) -> None:
    minimal_data["period"]["slut"] = "2026-12-31"
    minimal_data["colour"] = "blue"
    assert set(errors_of(minimal_data)) == {
        (("period", "slut"), "extra_forbidden"),
        (("colour",), "extra_forbidden"),
    }


def test_the_period_must_end_after_it_starts(minimal_data: dict[str, Any]) -> None:
    minimal_data["period"] = {"start": "2025-01-01", "end": "2025-01-01"}
    assert errors_of(minimal_data) == [(("period", "end"), "period_order")]


@pytest.mark.parametrize("missing", ["public", "nonprofit"])
def test_both_sides_must_be_present(minimal_data: dict[str, Any], missing: str) -> None:
    for party in minimal_data["parties"]:
        if party["kind"] == missing:
            party["kind"] = "nonprofit" if missing == "public" else "public"
            party.pop("acting_body", None)
    assert (("parties",), "party_kind_missing") in errors_of(minimal_data)


def test_short_names_and_org_numbers_are_unique(minimal_data: dict[str, Any]) -> None:
    second = minimal_data["parties"][1]
    second["short_name"] = "EK"
    second["org_number"] = "2120000142"
    errors = errors_of(minimal_data)
    assert (("parties", 1, "short_name"), "short_name_repeated") in errors
    assert (("parties", 1, "org_number"), "org_number_repeated") in errors


@pytest.mark.parametrize("people", ["contacts", "signatories"])
def test_every_party_has_a_contact_and_a_signatory(
    minimal_data: dict[str, Any], people: str
) -> None:
    minimal_data["parties"][1][people] = []
    assert errors_of(minimal_data) == [(("parties", 1, people), "too_short")]


def test_references_must_name_existing_parties(minimal_data: dict[str, Any]) -> None:
    minimal_data["contributions"][0]["parties"] = ["LX"]
    minimal_data["contributions"][1]["money"][0]["recipients"] = ["LF", "XX"]
    minimal_data["mission"]["items"] = [{"title": "Läxhjälp", "parties": ["ZZ"]}]
    minimal_data["follow_up"]["reporting_parties"] = ["QQ"]
    assert set(errors_of(minimal_data)) == {
        (("contributions", 0, "parties", 0), "party_unknown"),
        (("contributions", 1, "money", 0, "recipients", 1), "party_unknown"),
        (("mission", "items", 0, "parties", 0), "party_unknown"),
        (("follow_up", "reporting_parties", 0), "party_unknown"),
    }


def test_the_error_message_names_the_unknown_party(minimal_data: dict[str, Any]) -> None:
    minimal_data["contributions"][0]["parties"] = ["LX"]
    with pytest.raises(ValidationError) as info:
        Agreement.model_validate(minimal_data)
    assert "'LX' is not the short name of a party (known: EK, LF)" in str(info.value)


def test_money_needs_one_payer_who_does_not_pay_itself(minimal_data: dict[str, Any]) -> None:
    money = minimal_data["contributions"][1]
    money["parties"] = ["EK", "LF"]
    money["money"][0]["recipients"] = ["LF"]
    errors = errors_of(minimal_data)
    assert (("contributions", 1, "parties"), "money_payer_ambiguous") in errors
    assert (("contributions", 1, "money", 0, "recipients", 0), "money_to_payer") in errors


def test_only_a_public_party_acts_through_a_committee(minimal_data: dict[str, Any]) -> None:
    minimal_data["parties"][1]["acting_body"] = "styrelsen"
    assert errors_of(minimal_data) == [(("parties", 1), "acting_body_not_public")]


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x0c", "\x1f", "\ufffe"])
def test_text_refuses_characters_a_word_document_cannot_hold(
    minimal_data: dict[str, Any], char: str
) -> None:
    minimal_data["target_group"] = f"Barn{char} och unga"
    assert errors_of(minimal_data) == [(("target_group",), "xml_illegal_character")]


def test_tabs_and_line_breaks_are_fine(make_agreement: Callable[..., Agreement]) -> None:
    agreement = make_agreement(target_group="Barn\toch unga\r\n\nsamt deras föräldrar")
    assert "\t" in agreement.target_group


def test_the_meeting_split_must_add_up(minimal_data: dict[str, Any]) -> None:
    minimal_data["cooperation"] = {
        "steering_group": {"meetings_per_year": 4, "spring_meetings": 1, "autumn_meetings": 2}
    }
    assert errors_of(minimal_data) == [(("cooperation", "steering_group"), "meeting_split_sum")]


@pytest.mark.parametrize(
    ("written", "day", "month"),
    [
        ("15 februari", 15, 2),
        ("02-15", 15, 2),
        ("--02-15", 15, 2),
        ("1:a mars", 1, 3),
        ({"day": 31, "month": 12}, 31, 12),
    ],
)
def test_the_report_due_date_reads_as_a_swedish_day(written: object, day: int, month: int) -> None:
    value = DayMonth.model_validate(written)
    assert (value.day, value.month) == (day, month)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("29 februari", "day_month_invalid"),
        ("31 april", "day_month_invalid"),
        ("15 smarch", "day_month_parsing"),
        ("imorgon", "day_month_parsing"),
    ],
)
def test_days_that_do_not_occur_every_year_are_refused(written: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        DayMonth.model_validate(written)
    assert info.value.errors()[0]["type"] == code


def test_values_name_principles_or_say_something(minimal_data: dict[str, Any]) -> None:
    minimal_data["values"] = {"principles": []}
    assert errors_of(minimal_data) == [(("values",), "values_empty")]
    minimal_data["values"] = {"principles": ["dialog", "ärlighet"]}
    assert errors_of(minimal_data) == [(("values", "principles", 1), "enum")]


def test_all_six_principles_of_the_national_agreement_are_known() -> None:
    assert {p.value for p in Principle} == {
        "dialog", "långsiktighet", "kvalitet", "öppenhet och insyn",
        "självständighet och oberoende", "mångfald",
    }  # fmt: skip
