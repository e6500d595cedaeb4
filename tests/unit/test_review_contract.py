"""The review reads the whole contract: the agreement's fields and every standard clause it is
rendered with, a municipality's own clause library and the agreement's overrides included; each
finding points to the field or the clause its sentence is in."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest
import yaml

from iopdocs import Agreement, Finding, Severity, load_agreement, review
from iopdocs.documents.passages import contract_passages
from iopdocs.documents.review import where
from tests.conftest import FLAGSHIP, MINIMAL, ROOT

LAXHJALP = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"
PROCUREMENT_LIKE = ROOT / "tests" / "corpus" / "procurement-like.yaml"
STARTER = ROOT / "src" / "iopdocs" / "starter.yaml"


def whole(agreement: Agreement, clauses: Any = None) -> list[Finding]:
    return review(agreement, passages=contract_passages(agreement, clauses))


def with_overrides(*overrides: dict[str, Any]) -> Agreement:
    data = copy.deepcopy(MINIMAL)
    data["clause_overrides"] = list(overrides)
    return Agreement.model_validate(data)


WORDING = {
    "open_ended_extension",
    "market_activity",
    "procurement_vocabulary",
    "contradiction",
    "repayment_missing",
    "budget_reservation_missing",
    "starter_placeholder",
}


@pytest.mark.parametrize("path", [FLAGSHIP, LAXHJALP], ids=["flagship", "laxhjalp"])
def test_the_examples_give_no_false_alarm_in_their_whole_contract(path: Any) -> None:
    """The flagship and the second example, standard clauses included, give no wording
    finding and no error."""
    findings = whole(load_agreement(path))
    assert not [f for f in findings if f.code in WORDING]
    assert not [f for f in findings if f.severity is Severity.ERROR]


def test_the_passages_are_the_fields_then_every_clause_by_id() -> None:
    agreement = load_agreement(FLAGSHIP)
    passages = contract_passages(agreement)
    origins = [p.origin for p in passages]
    assert "purpose" in origins
    assert "clause:conditions.no_sanctions" in origins
    assert "clause:conditions.repayment" in origins
    first_clause = next(i for i, o in enumerate(origins) if o.startswith("clause:"))
    assert all(o.startswith("clause:") for o in origins[first_clause:])


def test_an_overridden_clause_is_read_and_named_by_its_id() -> None:
    """Negotiated wording in ``clause_overrides`` is reviewed like any other text; the finding
    points to the override, where the drafter changes it, and the appendix names its clause."""
    agreement = with_overrides(
        {"id": "payment.rounding", "text": "Föreningen fakturerar kommunen varje kvartal."}
    )
    (finding,) = [f for f in whole(agreement) if f.code == "procurement_vocabulary"]
    assert finding.path == "clause_overrides[0].text"
    assert finding.quote == "Föreningen fakturerar kommunen varje kvartal."
    assert where(finding, agreement) == (
        "Avtalsspecifik text för klausulen payment.rounding (clause_overrides[0].text)"
    )


def test_a_library_clause_is_named_by_its_id() -> None:
    """Wording from the library itself names the clause it is in."""
    library = yaml.safe_load(
        resources.files("iopdocs.documents").joinpath("clauses/sv.yaml").read_text("utf-8")
    )
    for clause in library["clauses"]:
        if clause["id"] == "payment.rounding":
            clause["text"] = "Föreningen fakturerar kommunen varje kvartal.\n"
    agreement = Agreement.model_validate(MINIMAL)
    data = yaml.safe_dump(library, allow_unicode=True).encode("utf-8")
    (finding,) = [f for f in whole(agreement, data) if f.code == "procurement_vocabulary"]
    assert (finding.path, finding.clause) == ("clause:payment.rounding", "payment.rounding")
    assert where(finding, agreement) == "Standardklausul: payment.rounding"


def test_a_municipalitys_own_clause_library_is_read() -> None:
    """A clause of the municipality's library that prices hours is an error naming the clause."""
    raw = yaml.safe_load(
        resources.files("iopdocs.documents").joinpath("clauses/sv.yaml").read_text("utf-8")
    )
    for clause in raw["clauses"]:
        if clause["id"] == "conditions.adaptable":
            clause["text"] = "Bidraget beräknas med 480 kronor per timme för utfört stöd.\n"
    library = yaml.safe_dump(raw, allow_unicode=True).encode("utf-8")
    agreement = Agreement.model_validate(MINIMAL)
    (finding,) = [f for f in whole(agreement, library) if f.code == "market_activity"]
    assert (finding.severity, finding.path) == (Severity.ERROR, "clause:conditions.adaptable")
    assert finding.suggestion


def test_a_field_repeated_by_a_clause_is_reported_at_the_field() -> None:
    """``period.extension`` is printed by the clause of that name: the finding names the field."""
    data = copy.deepcopy(MINIMAL)
    data["period"]["extension"] = "Avtalet förlängs därefter automatiskt med ett år i taget."
    findings = [
        f for f in whole(Agreement.model_validate(data)) if f.code == "open_ended_extension"
    ]
    assert [(f.path, f.severity) for f in findings] == [("period.extension", Severity.ERROR)]


def test_a_contract_without_the_repayment_clause_is_an_error() -> None:
    agreement = with_overrides({"id": "conditions.repayment", "omit": True})
    codes = {f.code: f for f in whole(agreement)}
    assert codes["repayment_missing"].severity is Severity.ERROR
    assert "repayment_missing" not in {f.code for f in whole(with_overrides())}


def test_a_contract_over_two_budget_years_without_the_reservation_is_warned_of() -> None:
    agreement = with_overrides({"id": "payment.budget_reservation", "omit": True})
    (finding,) = [f for f in whole(agreement) if f.code == "budget_reservation_missing"]
    assert "2025, 2026" in finding.message
    assert "budget_reservation_missing" not in {f.code for f in whole(with_overrides())}


def test_a_draft_written_like_a_procurement_has_errors_quoting_its_sentences() -> None:
    """Open-ended extension, LOV, a price per hour and services for the municipality's own
    needs are each an error, quoted; the denial in the purpose does not hide the compensation."""
    findings = whole(load_agreement(PROCUREMENT_LIKE))
    errors = {(f.code, f.quote) for f in findings if f.severity is Severity.ERROR}
    assert errors >= {
        ("open_ended_extension", "Avtalet kan därefter förlängas utan angiven tidsbegränsning."),
        ("market_activity", "Stiftelsen driver vård- och omsorgsboendet på uppdrag av kommunen."),
        (
            "market_activity",
            "Hemtjänsten med demensinriktning bedrivs enligt lagen om valfrihetssystem (LOV).",
        ),
        ("market_activity", "Kommunen betalar 450 kronor per timme för utförd hemtjänst."),
        (
            "contradiction",
            "Om stiftelsen inte når målen får kommunen häva avtalet med omedelbar verkan.",
        ),
    }
    (hidden,) = [f for f in findings if f.code == "procurement_vocabulary"]
    assert hidden.path == "purpose"
    assert "”ersättning”" in hidden.message


def test_the_unedited_starter_has_an_error_for_each_placeholder() -> None:
    findings = [f for f in whole(load_agreement(STARTER)) if f.code == "starter_placeholder"]
    paths = {f.path for f in findings}
    assert {"challenge", "purpose", "parties[0].contacts[0].name", "mission.text"} <= paths
    assert all(f.severity is Severity.ERROR for f in findings)
    assert {f.quote for f in findings} >= {"Förnamn Efternamn", "Beskriv uppdraget i stort."}


@pytest.mark.parametrize(
    ("date", "code_severity"),
    [
        ("2025-01-01", None),
        ("2025-03-10", Severity.WARNING),
    ],
)
def test_a_contract_dated_after_its_start_names_the_payments_before_it(
    date: str, code_severity: Severity | None
) -> None:
    data = copy.deepcopy(MINIMAL)
    data["metadata"]["date"] = date
    found = [f for f in whole(Agreement.model_validate(data)) if f.code == "retroactive_start"]
    assert [f.severity for f in found] == ([code_severity] if code_severity else [])
    for f in found:
        assert "2025-01-01, 2025-02-01, 2025-03-01" in f.message


def test_procurement_words_give_one_finding_per_sentence_naming_each() -> None:
    """The lawyer rewrites a sentence, not a word: one finding names all its words, with the
    advice for each kind of word once."""
    data = copy.deepcopy(MINIMAL)
    data["mission"]["text"] = "Leverantören fakturerar beställaren. Beställaren godkänner."
    found = [f for f in whole(Agreement.model_validate(data)) if f.code == "procurement_vocabulary"]
    assert [f.quote for f in found] == [
        "Leverantören fakturerar beställaren.",
        "Beställaren godkänner.",
    ]
    assert found[0].message.startswith(
        "Orden ”Leverantören”, ”fakturerar” och ”beställaren” hör till upphandlingens språk"
    )
    assert found[1].message.startswith("Ordet ”Beställaren” hör")
    assert found[0].suggestion is not None
    assert found[0].suggestion.count("skriv ”part”") == 1


def test_a_contract_whose_no_sanctions_clause_is_omitted_is_warned_of() -> None:
    """The field says no sanctions, but the contract no longer does: the wording decides."""
    agreement = with_overrides({"id": "conditions.no_sanctions", "omit": True})
    assert agreement.conditions.no_sanctions
    codes = {f.code: f.severity for f in whole(agreement)}
    assert codes["sanctions_not_excluded"] is Severity.WARNING
    assert "sanctions_not_excluded" not in {f.code for f in whole(with_overrides())}
