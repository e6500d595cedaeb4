"""Reviewing an agreement: each check fires on its case and is silent on a complete agreement."""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iopdocs import Agreement, Finding, ReviewError, Severity, load_agreement, review
from iopdocs.reviewing import CHECKS, DEFAULT_EUR_RATE, passed_checks
from iopdocs.reviewing.checks import DE_MINIMIS_EUR
from iopdocs.reviewing.language import family_matches, lexicon
from iopdocs.reviewing.text import amounts_in, free_texts, sentences
from tests.conftest import MINIMAL, ROOT

LAXHJALP = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"
NBSP = "\u00a0"


def _complete() -> dict[str, Any]:
    """The minimal agreement with everything a reviewing lawyer asks for."""
    data = copy.deepcopy(MINIMAL)
    data["background"] = "Föreningen har ordnat läxhjälp i kommunens bibliotek sedan 2019."
    data["conditions"] = {"notice_months": 6, "termination_for_cause": True}
    data["cooperation"] = {
        "steering_group": {"meetings_per_year": 2, "spring_meetings": 1, "autumn_meetings": 1}
    }
    data["parties"][1]["contacts"][0]["email"] = "mona@example.se"
    data["mission"]["items"] = [
        {
            "title": "Läxhjälp",
            "description": "Läxhjälp två kvällar i veckan under terminerna.",
            "goals": ["Minst 80 barn deltar varje termin."],
        }
    ]
    data["contributions"][1]["money"][0]["stated_total"] = "240 000"
    return data


COMPLETE = _complete()


def findings_of(data: dict[str, Any], **options: Any) -> list[Finding]:
    """The review's findings, without the statement of what the de minimis comparison did and
    did not assess that every agreement with public money carries (tested on its own below)."""
    return [f for f in review(Agreement.model_validate(data), **options) if not _statement(f)]


def _statement(f: Finding) -> bool:
    return f.code == "de_minimis_ceiling" and f.severity is Severity.INFO


def procurement_words(sentence: str) -> list[str]:
    """The procurement words of ``sentence`` that its claims do not deny."""
    families = [f for f in lexicon().families if f.rule == "procurement_vocabulary"]
    return [m.text for _, m in family_matches(sentence, families) if not m.denied]


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def test_a_complete_agreement_passes_every_check_and_de_minimis_is_never_a_silent_pass() -> None:
    """Only the de minimis statement remains: it says what was compared and what was not
    assessed (other aid, whether the money is state aid at all), so it is never "without
    remark"."""
    findings = review(Agreement.model_validate(COMPLETE))
    (statement,) = findings
    assert (statement.code, statement.severity) == ("de_minimis_ceiling", Severity.INFO)
    assert "Bedömt:" in statement.message
    assert "Inte bedömt: annat stöd av mindre betydelse" in statement.message
    assert "om bidraget alls är statligt stöd" in statement.message
    assert statement.suggestion
    assert passed_checks(findings) == [c for c in CHECKS if c.code != "de_minimis_ceiling"]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set (or, with ``...``, delete) the value at a dotted path with list indexes."""

    def change(data: dict[str, Any]) -> None:
        keys: list[str | int] = [int(k) if k.isdigit() else k for k in path.split(".")]
        target: Any = data
        for key in keys[:-1]:
            target = target[key]
        if value is ...:
            del target[keys[-1]]
        else:
            target[keys[-1]] = value

    return change


def _both(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for c in changes:
            c(data)

    return change


# Each check's code, the change to the complete agreement that should trigger it, the severity
# and the field path of the finding.
TRIGGERS: dict[str, tuple[Callable[[dict[str, Any]], None], Severity, str]] = {
    "party_without_contribution": (
        _set("contributions.0", {"parties": ["EK"], "in_kind": ["Marknadsföring"]}),
        Severity.ERROR,
        "parties[1]",
    ),
    "org_number_unexpected_group": (
        _set("parties.1.org_number", "556036-0793"),
        Severity.WARNING,
        "parties[1].org_number",
    ),
    "sanctions_not_excluded": (
        _set("conditions.no_sanctions", False),
        Severity.WARNING,
        "conditions.no_sanctions",
    ),
    "surplus_not_reinvested": (
        _set("iop_form", {"surplus_reinvested": False}),
        Severity.WARNING,
        "iop_form.surplus_reinvested",
    ),
    "open_ended_extension": (
        _set("period.extension", "Avtalet förlängs automatiskt med ett år i taget."),
        Severity.ERROR,
        "period.extension",
    ),
    "market_activity": (
        _set("mission.text", "Föreningen driver boendestöd enligt LOV."),
        Severity.ERROR,
        "mission.text",
    ),
    "contradiction": (
        _set("mission.text", "Kommunen får häva avtalet om föreningen inte når målen."),
        Severity.ERROR,
        "mission.text",
    ),
    "retroactive_start": (
        _set("metadata.date", "2025-03-10"),
        Severity.WARNING,
        "metadata.date",
    ),
    "budget_reservation_missing": (
        _set("payment", {"budget_reservation": False}),
        Severity.WARNING,
        "payment.budget_reservation",
    ),
    "starter_placeholder": (
        _set("parties.1.signatories.0.name", "Förnamn Efternamn"),
        Severity.ERROR,
        "parties[1].signatories[0].name",
    ),
    "procurement_vocabulary": (
        _set("mission.text", "Utföraren rapporterar till beställaren."),
        Severity.WARNING,
        "mission.text",
    ),
    "money_called_operating_grant": (
        _set("contributions.1.money.0.label", "Verksamhetsbidrag till föreningen"),
        Severity.WARNING,
        "contributions[1].money[0].label",
    ),
    "steering_group_missing": (
        _set("cooperation", {}),
        Severity.WARNING,
        "cooperation.steering_group",
    ),
    "background_missing": (_set("background", ...), Severity.WARNING, "background"),
    "money_missing": (_set("contributions.1.money", []), Severity.INFO, "contributions"),
    "notice_missing": (
        _set("conditions.notice_months", None),
        Severity.WARNING,
        "conditions.notice_months",
    ),
    "renegotiation_missing": (
        _set("conditions.renegotiation", False),
        Severity.WARNING,
        "conditions.renegotiation",
    ),
    "termination_for_cause_missing": (
        _set("conditions.termination_for_cause", False),
        Severity.WARNING,
        "conditions.termination_for_cause",
    ),
    "amendments_missing": (
        _set("final_provisions", {"amendments_in_writing": False}),
        Severity.WARNING,
        "final_provisions.amendments_in_writing",
    ),
    "disputes_missing": (
        _set("final_provisions", {"disputes": False}),
        Severity.WARNING,
        "final_provisions.disputes",
    ),
    "case_number_missing": (
        _set("metadata.case_number", ...),
        Severity.INFO,
        "metadata.case_number",
    ),
    "contact_details_missing": (
        _set("parties.1.contacts.0.email", ...),
        Severity.INFO,
        "parties[1].contacts[0]",
    ),
    "stated_total_mismatch": (
        _set("contributions.1.money.0.stated_total", "250 000"),
        Severity.ERROR,
        "contributions[1].money[0].stated_total",
    ),
    "amount_in_text_unmatched": (
        _set("contributions.1.text", "Kommunen bidrar med 125 000 kr per år."),
        Severity.WARNING,
        "contributions[1].text",
    ),
    "report_due_too_soon": (
        _set("follow_up.report_due", "10 januari"),
        Severity.WARNING,
        "follow_up.report_due",
    ),
    "steering_meetings_outside_period": (
        _set("period", {"start": "2025-08-01", "end": "2027-07-31"}),
        Severity.INFO,
        "cooperation.steering_group",
    ),
    "notice_not_shorter_than_period": (
        _set("conditions.notice_months", 24),
        Severity.ERROR,
        "conditions.notice_months",
    ),
    "goals_not_measurable": (
        _set("mission.items.0.goals", []),
        Severity.INFO,
        "mission.items[0]",
    ),
    "de_minimis_ceiling": (
        _both(
            _set("contributions.1.money.0.amount", "2 000 000"),
            _set("contributions.1.money.0.stated_total", ...),
        ),
        Severity.WARNING,
        "parties[1]",
    ),
}


# Read only in the whole contract (a clause library without the repayment clause); tested with
# the rendered clauses in test_review_contract.py.
WHOLE_CONTRACT_ONLY = {"repayment_missing"}


def test_every_check_has_a_triggering_case() -> None:
    assert set(TRIGGERS) | WHOLE_CONTRACT_ONLY == {c.code for c in CHECKS}
    assert len(CHECKS) == len({c.code for c in CHECKS}), "check codes are unique"


@pytest.mark.parametrize("code", list(TRIGGERS))
def test_each_check_fires_on_its_case_and_on_nothing_else(code: str) -> None:
    change, severity, path = TRIGGERS[code]
    data = copy.deepcopy(COMPLETE)
    change(data)
    findings = findings_of(data)
    assert codes(findings) == {code}
    assert {(f.severity, f.path) for f in findings} == {(severity, path)}
    check = next(c for c in CHECKS if c.code == code)
    for f in findings:
        assert (f.title, f.source) == (check.title, check.source)
        assert f.message[:1].isupper()


def test_every_check_has_a_swedish_title_and_a_source() -> None:
    for c in CHECKS:
        assert c.title[:1].isupper()
        assert c.source
        assert re.fullmatch(r"[a-z_]+", c.code)


def test_the_flagship_has_no_errors_and_the_true_warnings() -> None:
    findings = review(load_agreement(ROOT / "examples" / "vgr-social-ekonomi-2024.yaml"))
    assert not [f for f in findings if f.severity is Severity.ERROR]
    warnings = {f.code for f in findings if f.severity is Severity.WARNING}
    # Hävning is one of the library's default clauses now; the two spring meetings of 2024,
    # before the period starts on 1 August, are prorated away and the contract says so.
    assert warnings == set()


def test_the_second_example_has_no_errors_and_its_stated_total_holds() -> None:
    findings = review(load_agreement(LAXHJALP))
    assert not [f for f in findings if f.severity is Severity.ERROR]
    assert "stated_total_mismatch" not in codes(findings)


def test_findings_come_errors_first_then_warnings_then_infos() -> None:
    data = copy.deepcopy(COMPLETE)
    for code in ("goals_not_measurable", "notice_missing", "stated_total_mismatch"):
        TRIGGERS[code][0](data)
    severities = [f.severity for f in findings_of(data)]
    assert severities == [Severity.ERROR, Severity.WARNING, Severity.INFO]


def test_a_finding_is_frozen_and_has_stable_json_keys() -> None:
    data = copy.deepcopy(COMPLETE)
    TRIGGERS["notice_missing"][0](data)
    (finding,) = findings_of(data)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.code = "x"  # type: ignore[misc]
    assert list(finding.as_dict()) == [
        "code", "severity", "title", "path", "message", "source", "quote", "suggestion",
    ]  # fmt: skip
    assert Finding.from_dict(finding.as_dict()) == finding


# --- Stated totals and amounts in text -----------------------------------------------------------


def test_a_stated_total_is_compared_with_the_schedule_not_the_yearly_amount() -> None:
    data = copy.deepcopy(COMPLETE)
    data["contributions"][1]["money"][0]["stated_total"] = "120 000"
    (finding,) = findings_of(data)
    assert finding.code == "stated_total_mismatch"
    assert f"120{NBSP}000{NBSP}kr" in finding.message
    assert f"240{NBSP}000{NBSP}kr" in finding.message


@pytest.mark.parametrize(
    "sentence",
    [
        "Kommunen bidrar med 120 000 kr per år.",  # the line's amount
        "För hela perioden uppgår bidraget till 240 000 kronor.",  # the schedule's total
        "Varje månad betalas 10 000 kr ut.",  # one instalment
        "Bidraget är 0,24 miljoner kronor för hela perioden.",
    ],
)
def test_amounts_in_text_that_the_agreement_computes_pass(sentence: str) -> None:
    data = copy.deepcopy(COMPLETE)
    data["contributions"][1]["text"] = sentence
    assert findings_of(data) == []


def test_an_amount_in_text_is_quoted_with_its_sentence() -> None:
    data = copy.deepcopy(COMPLETE)
    data["purpose"] = "Att ge fler barn stöd. Kommunen ger 130 000 kr om året."
    (finding,) = findings_of(data)
    assert (finding.path, finding.quote) == ("purpose", "Kommunen ger 130 000 kr om året.")
    assert "”130 000 kr”" in finding.message


@pytest.mark.parametrize(
    ("text", "kronor"),
    [
        ("300 000 kr", 300_000),
        ("1 700 000 kronor", 1_700_000),
        ("1\u00a0700\u00a0000\u00a0kr", 1_700_000),
        ("25 000,50 kr", Decimal("25000.50")),
        ("1,7 miljoner kronor", 1_700_000),
        ("50 tkr", 50_000),
        ("2 mnkr", 2_000_000),
        ("500 SEK", 500),
    ],
)
def test_amounts_written_in_text_are_read(text: str, kronor: Decimal | int) -> None:
    assert [a.kronor for a in amounts_in(f"Bidraget är {text} per år.")] == [Decimal(kronor)]


@pytest.mark.parametrize("text", ["år 2024", "3 månader", "minst 120 elever", "kapitel 10"])
def test_numbers_that_are_not_money_are_not_amounts(text: str) -> None:
    assert list(amounts_in(text)) == []


@given(st.integers(min_value=0, max_value=10**12))
def test_any_amount_written_with_group_spaces_reads_back(value: int) -> None:
    written = f"{value:,}".replace(",", "\u00a0") + " kr"
    assert [a.kronor for a in amounts_in(f"Totalt {written}.")] == [Decimal(value)]


# --- Procurement vocabulary ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "ersättning", "ersättningen", "kostnadsersättningar", "beställaren", "beställarens",
        "utförare", "utföraren", "utförarna", "leverans", "leveranser", "leveransen",
        "levererar", "leverantören", "avrop", "avropet", "avropas", "vite", "vitet", "viten",
        "sanktion", "sanktioner", "kvalitetsavdrag", "kvalitetsavdraget", "upphandlingen",
        "direktupphandling", "anbudet", "ramavtalet", "uppdragsgivaren",
    ],
)  # fmt: skip
def test_procurement_words_are_found_in_every_inflection(word: str) -> None:
    assert procurement_words(f"Enligt avtalet gäller {word} för verksamheten.") == [word]


@pytest.mark.parametrize(
    "sentence",
    [
        "Föreningen ska utföra uppdraget tillsammans med kommunen.",
        "Utförandet av verksamheten planeras gemensamt.",
        "Avtalet ersätter tidigare överenskommelser mellan parterna.",
        "Partnerskapet är inte en upphandling och inte ett ordinarie verksamhetsbidrag.",
        "Ingen part kan drabbas av sanktioner inom ramen för partnerskapet.",
        "Bidraget lämnas utan krav på leverans av tjänster.",
        "Kommunen bidrar med lokaler och med kunskap om skolans arbete.",
        "Föreningen når elever vitt och brett i kommunens norra delar.",
        "Parterna beställer inga tjänster av varandra.",
    ],
)
def test_clean_sentences_give_no_procurement_finding(sentence: str) -> None:
    assert procurement_words(sentence) == []


def test_a_procurement_word_is_quoted_with_its_sentence_and_field() -> None:
    data = copy.deepcopy(COMPLETE)
    data["mission"]["items"][0]["description"] = (
        "Läxhjälp två kvällar i veckan.\n\n- Föreningen får ersättningen kvartalsvis."
    )
    (finding,) = findings_of(data)
    assert finding.code == "procurement_vocabulary"
    assert finding.path == "mission.items[0].description"
    assert finding.quote == "Föreningen får ersättningen kvartalsvis."
    assert "”ersättningen”" in finding.message


def test_every_free_text_field_is_read_generically_and_identifiers_are_not() -> None:
    paths = dict(free_texts(load_agreement(LAXHJALP)))
    for path in (
        "metadata.title",
        "challenge",
        "mission.items[0].goals[1]",
        "mission.items[0].indicators[0].name",
        "mission.exclusions[1]",
        "contributions[0].in_kind[1].text",
        "contributions[1].money[0].indexation.index",
    ):
        assert path in paths
    fields = {re.sub(r"\[\d+\]", "", part) for path in paths for part in path.split(".")}
    identifiers = {"org_number", "short_name", "email", "recipients", "parties", "kind", "status"}
    assert not fields & identifiers


def test_sentences_split_paragraphs_bullets_and_full_stops() -> None:
    text = "Första meningen. Andra\nmeningen!\n\n- en punkt\n- en till"
    assert list(sentences(text)) == ["Första meningen.", "Andra meningen!", "en punkt", "en till"]


# --- Period and state aid ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extension",
    [
        "Avtalet förlängs därefter med ett år i taget om ingen part säger upp det.",
        "Avtalet gäller därefter tills vidare.",
        "Avtalet förlängs automatiskt om parterna inte kommer överens om annat.",
    ],
)
def test_open_ended_extension_is_an_error(extension: str) -> None:
    data = copy.deepcopy(COMPLETE)
    data["period"]["extension"] = extension
    (finding,) = findings_of(data)
    assert (finding.code, finding.quote) == ("open_ended_extension", extension)
    assert finding.severity is Severity.ERROR


@pytest.mark.parametrize(
    "sentence",
    [
        "Föreningen håller biblioteket öppet tills vidare på onsdagar.",
        "Läxhjälpen följs upp löpande av styrgruppen.",
        "Parterna förlänger öppettiderna under lovet om behov finns.",
    ],
)
def test_sentences_about_other_things_than_the_period_are_not_open_ended(sentence: str) -> None:
    data = copy.deepcopy(COMPLETE)
    data["mission"]["text"] = sentence
    assert findings_of(data) == []


def test_an_extension_with_a_stated_limit_passes() -> None:
    data = copy.deepcopy(COMPLETE)
    data["period"]["extension"] = (
        "Avtalet förlängs automatiskt med ett år i taget, dock längst till och med 2028-12-31."
    )
    assert findings_of(data) == []


def _yearly(amount: str, start: str, end: str) -> dict[str, Any]:
    data = copy.deepcopy(COMPLETE)
    data["period"] = {"start": start, "end": end}
    line = data["contributions"][1]["money"][0]
    line.update({"amount": amount, "basis": "per_calendar_year"})
    del line["stated_total"]
    return data


def aid_of(data: dict[str, Any], **options: Any) -> list[Finding]:
    return [
        f
        for f in review(Agreement.model_validate(data), **options)
        if f.code == "de_minimis_ceiling"
    ]


def test_state_aid_counts_the_most_money_within_any_three_years() -> None:
    data = _yearly("1 200 000", "2025-01-01", "2028-12-31")
    (finding,) = aid_of(data)
    assert finding.severity is Severity.WARNING
    assert f"3{NBSP}600{NBSP}000{NBSP}kr" in finding.message  # three of the four years
    assert f"3{NBSP}300{NBSP}000{NBSP}kr" in finding.message  # EUR 300 000 at 11.00


def test_state_aid_ceiling_follows_the_exchange_rate() -> None:
    data = _yearly("1 000 000", "2025-01-01", "2027-12-31")
    assert [f.severity for f in aid_of(data)] == [Severity.INFO]  # 3 000 000 of 3 300 000
    assert [f.severity for f in aid_of(data, eur_rate="9.50")] == [Severity.WARNING]
    assert [f.severity for f in aid_of(data, eur_rate=30)] == [Severity.INFO]


def test_a_service_of_general_economic_interest_has_the_higher_ceiling() -> None:
    data = _yearly("1 200 000", "2025-01-01", "2027-12-31")
    assert [f.severity for f in aid_of(data)] == [Severity.WARNING]
    (sgei,) = aid_of(data, sgei=["LF"])
    assert sgei.severity is Severity.INFO
    assert "tjänster av allmänt ekonomiskt intresse" in sgei.message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"eur_rate": "elva"}, "not a number"),
        ({"eur_rate": 0}, "positive"),
        ({"sgei": ["XX"]}, "XX"),
        ({"sgei": ["EK"]}, "not a non-profit party"),
    ],
)
def test_unusable_review_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ReviewError, match=message):
        findings_of(COMPLETE, **options)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=10_000, max_value=3_000_000), st.integers(min_value=1, max_value=5))
def test_state_aid_always_compares_the_richest_three_years_with_the_ceiling(
    amount: int, years: int
) -> None:
    data = _yearly(str(amount), "2025-01-01", f"{2024 + years}-12-31")
    peak = amount * min(years, 3)
    ceiling = DE_MINIMIS_EUR * DEFAULT_EUR_RATE  # EUR 300 000 at 11.00 kr
    expected = [Severity.WARNING] if peak > ceiling else [Severity.INFO]
    findings = aid_of(data)
    assert [f.severity for f in findings] == expected
    for f in findings:
        assert f"{peak:,}".replace(",", NBSP) + f"{NBSP}kr" in f.message
