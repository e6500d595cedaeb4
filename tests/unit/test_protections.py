"""What a municipal lawyer requires before signing (issue 13), found in both examples' text,
and the wording defects found in review, each kept from coming back."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from iopdocs import Agreement, load_agreement, render_contract
from tests.conftest import MINIMAL, ROOT, compact, docx_text

EXAMPLES = {
    "flagship": ROOT / "examples" / "vgr-social-ekonomi-2024.yaml",
    "laxhjalp": ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml",
}


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def example(request: pytest.FixtureRequest) -> tuple[str, str]:
    name = request.param
    return name, compact(docx_text(render_contract(load_agreement(EXAMPLES[name]))))


# Each point of issue 13, item 3, with words that only its clause says.
PROTECTIONS = {
    "repayment with a time limit after a written demand": [
        "ska betalas tillbaka till",
        "inom 30 dagar från det att",
        "skriftligen har krävt det",
    ],
    "mutual hävning with grounds": [
        "Varje part får häva avtalet med omedelbar verkan i förhållande till en part",
        "har lämnat oriktiga eller ofullständiga uppgifter",
        "har använt ekonomiskt bidrag för något annat än partnerskapets ändamål",
    ],
    "no sanctions, yet hävning and repayment stand": [
        "Ingen part kan därför åläggas vite",
        "inskränker inte rätten att häva avtalet eller att kräva tillbaka bidrag",
    ],
    "audit right": ["har rätt att själv eller genom en revisor"],
    "särredovisning": ["(särredovisning)"],
    "payment only to the stated account": ["Bidraget betalas endast ut till det konto som anges"],
    "account change only by signed written notice": [
        "byta konto endast genom ett skriftligt meddelande",
        "undertecknat av mottagarens firmatecknare",
    ],
    "entry into force on all signatures": [
        "Avtalet träder i kraft när samtliga parter har undertecknat det"
    ],
    "förbehåll för anslag": ["under förutsättning att", "har beslutat om budget för det året"],
    "survival of reporting and repayment duties": [
        "består även efter att avtalet har upphört, till dess att de har fullgjorts"
    ],
    "force majeure": ["omständighet utanför partens kontroll"],
    "no transfer": ["Ingen part får överlåta sina rättigheter eller skyldigheter"],
    "contact change by written notice": [
        "byta kontaktperson genom att skriftligen meddela",
        "kräver ingen ändring av avtalet",
    ],
    "copies or electronic signing": ["likalydande exemplar"],
    "democracy conditions": ["respektera demokratins idéer"],
    "logos": ["namn och logotyper"],
    "annual operating plan and budget": [
        "lämnar varje år en verksamhetsplan och en budget",
        "avvika väsentligt från den verksamhetsplan eller budget som har lämnats enligt avtalet",
    ],
}
# Points switched by facts that differ between the two examples.
ONLY = {
    "flagship": {
        "termination in a multi-party agreement": [
            "upphör avtalet endast mellan den parten och övriga parter",
            "ska inom tre månader lämna en slutredovisning",
        ],
        "de minimis information and declaration": [
            "stöd av mindre betydelse enligt kommissionens förordning (EU) 2023/2831",
            "GSE: 425 000 kr",
            "skriftlig försäkran om allt annat stöd av mindre betydelse",
            "under de senaste tre åren",
        ],
    },
    "laxhjalp": {
        "SGEI entrustment elements": [
            "överlåtelseakt enligt artikel 4 i kommissionens beslut 2012/21/EU",
            "Tjänsten av allmänt ekonomiskt intresse: läxhjälp",
            "Uppdragets varaktighet: avtalsperioden",
            "Parametrar för ersättningen",
            "Kontroll av överkompensation",
            "Återbetalning av överkompensation",
        ],
        "criminal-record checks where the target group includes children": [
            "visa ett utdrag ur belastningsregistret",
            "tar inte emot, kopierar eller sparar det",
        ],
    },
}


@pytest.mark.parametrize("point", sorted(PROTECTIONS))
def test_both_examples_carry_the_protection(example: tuple[str, str], point: str) -> None:
    _, text = example
    for words in PROTECTIONS[point]:
        assert words in text, f"{point}: {words}"


def test_each_example_carries_the_protections_its_facts_call_for(
    example: tuple[str, str],
) -> None:
    name, text = example
    for point, phrases in ONLY[name].items():
        for words in phrases:
            assert words in text, f"{point}: {words}"


def render(data: dict[str, Any]) -> str:
    return compact(docx_text(render_contract(Agreement.model_validate(data))))


@pytest.fixture
def data() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


def test_electronic_signing_replaces_the_copies(data: dict[str, Any]) -> None:
    data["final_provisions"] = {"electronic_signing": True}
    text = render(data)
    assert "Avtalet undertecknas elektroniskt av samtliga parter" in text
    assert "likalydande exemplar" not in text


def test_a_two_party_agreement_has_no_multi_party_clause(data: dict[str, Any]) -> None:
    assert "upphör avtalet endast mellan" not in render(data)


def test_state_aid_clauses_stay_out_unless_the_data_says_so(data: dict[str, Any]) -> None:
    text = render(data)
    assert "Statligt stöd" not in text
    assert "2023/2831" not in text


def test_without_an_operating_plan_deviations_refer_to_the_mission(data: dict[str, Any]) -> None:
    text = render(data)
    assert "verksamhetsplan" not in text
    assert "avvika väsentligt från uppdraget eller från hur bidragen ska användas" in text


# --- Wording defects found in review (issue 13, item 4) -------------------------------------------


def money(data: dict[str, Any]) -> dict[str, Any]:
    line: dict[str, Any] = data["contributions"][1]["money"][0]
    return line


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("monthly", "månadsvis med en tolftedel av årsbeloppet, den 25 i varje månad"),
        ("quarterly", "den 25 i den första månaden av varje kvartal"),
        ("half_yearly", "den 25 i den första månaden av varje halvår"),
    ],
)
def test_a_payment_day_reads_naturally_for_every_frequency(
    data: dict[str, Any], frequency: str, expected: str
) -> None:
    money(data).update({"pay_on_day": 25, "frequency": frequency})
    text = render(data)
    assert expected in text
    assert "månaden i varje månad" not in text


def test_the_money_section_is_payment_of_the_contribution_not_invoicing(
    data: dict[str, Any],
) -> None:
    text = render(data)
    assert "Utbetalning av bidraget" in text
    assert "faktur" not in text.lower()


def test_payment_on_request_says_what_is_sent_when_and_to_whom(data: dict[str, Any]) -> None:
    data["payment"] = {"on_request": True, "request_to": "socialförvaltningens ekonomienhet"}
    text = render(data)
    assert "Rekvisition och utbetalning av bidraget" in text
    assert "LF begär varje utbetalning genom en skriftlig rekvisition till " in text
    assert "socialförvaltningens ekonomienhet" in text
    assert "inom 30 dagar efter att en fullständig rekvisition har kommit in" in text
    for word in ("faktur", "köp", "pris för"):
        assert word not in text.lower().replace("köp av varor och tjänster", "")


def test_no_example_calls_its_money_an_operating_grant() -> None:
    for path in EXAMPLES.values():
        text = compact(docx_text(render_contract(load_agreement(path))))
        # The one mention is the IOP clause saying the partnership is not one.
        assert text.lower().count("verksamhetsbidrag") == 1
        assert "inte ett ordinarie verksamhetsbidrag" in text


def test_a_ceiling_says_how_the_paid_amount_relates_to_it_and_periods_are_defined(
    flagship: Agreement,
) -> None:
    text = compact(docx_text(render_contract(flagship)))
    assert "upp till 300 000 kr per tolvmånadersperiod" in text
    assert "Utbetalningsplanen utgår från taket" in text
    assert "Med tolvmånadersperiod avses i detta avtal en period om tolv månader räknat från " \
        "och med den 1 augusti 2024" in text  # fmt: skip


def test_the_steering_group_says_who_appoints_whom_and_how_it_decides(
    data: dict[str, Any],
) -> None:
    data["cooperation"] = {"steering_group": {"meetings_per_year": 2, "appointed_by": ["EK"]}}
    text = render(data)
    assert "EK utser styrgruppens ledamöter och en ersättare för var och en av dem" in text
    assert "Styrgruppen fattar sina beslut i enighet" in text
    data["cooperation"] = {"steering_group": {"meetings_per_year": 2}}
    assert "Varje part utser en ledamot och en ersättare i styrgruppen" in render(data)


def test_non_profit_parties_are_not_liable_for_each_other(flagship: Agreement) -> None:
    text = compact(docx_text(render_contract(flagship)))
    assert "ansvarar var för sig för den verksamhet som var och en av dem bedriver" in text
    assert "En idéburen part ansvarar inte för en annan idéburen parts verksamhet" in text
    assert "Varje mottagare svarar endast för det bidrag som den själv har tagit emot" in text


def test_an_extension_clause_and_a_new_agreement_do_not_contradict(data: dict[str, Any]) -> None:
    data["period"]["intends_to_continue"] = True
    data["period"]["extension"] = "Avtalet kan förlängas med ett år i taget, högst två gånger."
    text = render(data)
    extension = text.index("Avtalet kan förlängas")
    continuation = text.index("En fortsättning utöver en förlängning enligt föregående stycke")
    assert extension < continuation


def test_small_numbers_in_running_text_are_words(flagship: Agreement) -> None:
    text = compact(docx_text(render_contract(flagship)))
    assert "uppsägningstid om sex månader" in text
    assert "minst fyra gånger under verksamhetsåret, varav två under våren och två" in text
    assert "i fem likalydande exemplar" in text
    for figure in ("om 6 månader", "minst 4 gånger", "varav 2 under"):
        assert figure not in text


def test_in_words_writes_one_to_twelve_in_words_and_larger_in_figures() -> None:
    from iopdocs.documents.formats import formats_for

    in_words: Callable[..., str] = formats_for("sv_SE").in_words
    assert [in_words(n) for n in (1, 2, 6, 12, 13)] == ["en", "två", "sex", "tolv", "13"]
    assert in_words(1, "ett") == "ett"
