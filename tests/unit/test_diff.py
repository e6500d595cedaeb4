"""Comparing two versions of an agreement: a Swedish line per change, lists matched by identity."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iopdocs import Agreement, Change, ChangeKind, diff, load_agreement, payment_schedule
from iopdocs.model import Basis, Frequency, PartyKind, Rounding, Status, Vat
from iopdocs.reviewing.diff import money_text, value_text
from tests.conftest import FLAGSHIP, ROOT
from tests.variants import (
    NEW_PARTY,
    added_party,
    changed_amount,
    edited_paragraph,
    later_end,
    removed_party,
    renamed_mission_item,
    variant,
)


def fields(changes: list[Change]) -> list[Change]:
    """The changes to fields, without the computed figures."""
    return [c for c in changes if not c.computed]


def test_an_agreement_compared_with_itself_has_no_changes(flagship: Agreement) -> None:
    assert diff(flagship, flagship) == []
    assert diff(flagship, load_agreement(FLAGSHIP)) == []


def test_a_later_end_date_is_one_change_in_swedish_with_iso_dates(flagship: Agreement) -> None:
    changes = fields(diff(flagship, variant(flagship, later_end)))
    assert [str(c) for c in changes] == ["Avtalsperiodens slutdatum: 2025-12-31 → 2026-12-31"]
    (change,) = changes
    assert (change.path, change.kind, change.old, change.new) == (
        "period.end",
        ChangeKind.CHANGED,
        "2025-12-31",
        "2026-12-31",
    )


def test_a_later_end_date_shows_the_computed_totals_it_changes(flagship: Agreement) -> None:
    longer = variant(flagship, later_end)
    computed = {c.path: c for c in diff(flagship, longer) if c.computed}
    before, after = payment_schedule(flagship), payment_schedule(longer)
    total = computed["schedule.total"]
    assert (total.old, total.new) == (money_text(before.total), money_text(after.total))
    gse = computed["schedule.by_recipient[GSE]"]
    assert (gse.old, gse.new) == ("425 000 kr", "725 000 kr")  # 17 → 29 months of 25 000 kr
    assert computed["schedule.by_year[2026]"].kind is ChangeKind.ADDED
    assert "schedule.by_year[2024]" not in computed  # the first year is as it was
    schedule = [c for path, c in computed.items() if path.startswith("schedule.")]
    assert all(c.label.startswith("Utbetalningsplanen (beräknad) › ") for c in schedule)
    report = computed["reports[2026]"]
    assert str(report) == (
        "Årsberättelser (beräknade) › Årsberättelse 2026 (tillagd): "
        "2026-01-01 – 2026-12-31, senast 2027-02-15"
    )


def test_a_changed_amount_is_written_in_kronor(flagship: Agreement) -> None:
    (change,) = fields(diff(flagship, variant(flagship, changed_amount)))
    assert change.path == "contributions[VGR].money[Partnerskapsbidrag till plattformarna].amount"
    assert str(change) == (
        "Bidrag från VGR › Medelsrad ”Partnerskapsbidrag till plattformarna” › Belopp: "
        "300 000 kr → 320 000 kr"
    )


def test_an_inserted_party_is_one_added_party_not_every_later_party_changed(
    flagship: Agreement,
) -> None:
    (change,) = diff(flagship, variant(flagship, added_party))
    assert (change.kind, change.path, change.label) == (
        ChangeKind.ADDED,
        "parties[SEH]",
        "Part SEH",
    )
    assert change.old is None
    assert change.new is not None
    for fact in (NEW_PARTY["name"], NEW_PARTY["org_number"], "idéburen part", "Sara Holm"):
        assert fact in change.new


def test_a_removed_party_is_one_removed_party_and_its_references(flagship: Agreement) -> None:
    changes = fields(diff(flagship, variant(flagship, removed_party)))
    assert [(c.kind, c.label) for c in changes] == [
        (ChangeKind.REMOVED, "Part SEF"),
        (ChangeKind.REMOVED, "Verksamhetsansvarig part"),
        (ChangeKind.REMOVED, "Bidrag från GSE, SENS, SES, SEF › Bidragande part"),
        (
            ChangeKind.REMOVED,
            "Bidrag från VGR › Medelsrad ”Partnerskapsbidrag till plattformarna” › Mottagare",
        ),
    ]
    assert changes[0].old is not None
    assert "Social Ekonomi Fyrbodal" in changes[0].old
    assert all(c.old == "SEF" for c in changes[1:])


def test_an_edited_paragraph_shows_the_changed_words_in_context(flagship: Agreement) -> None:
    (change,) = diff(flagship, variant(flagship, edited_paragraph))
    assert change.label == "Gemensam samhällsutmaning"
    assert change.excerpt_text() == (
        "… handling, till exempel genom {+kooperativ, +}sociala innovationer och sociala företag …"
    )
    assert change.new == variant(flagship, edited_paragraph).challenge  # the whole text as well


def test_a_renamed_mission_item_is_the_same_item_with_a_new_title(flagship: Agreement) -> None:
    (change,) = diff(flagship, variant(flagship, renamed_mission_item))
    assert str(change) == (
        "Uppdragsdel ”Mötesplatser för dialog” › Rubrik: "
        "Mötesplatser för dialog → Mötesplatser för dialog och samråd"
    )


def test_every_kind_of_edit_at_once_gives_the_changes_of_each(flagship: Agreement) -> None:
    edits = (later_end, changed_amount, added_party, edited_paragraph, renamed_mission_item)
    together = {c.label for c in fields(diff(flagship, variant(flagship, *edits)))}
    apart = {c.label for e in edits for c in fields(diff(flagship, variant(flagship, e)))}
    assert together == apart


def test_a_new_short_name_is_the_same_party_known_by_its_organisation_number(
    flagship: Agreement,
) -> None:
    data = flagship.model_dump()
    data["parties"][2]["short_name"] = "SENSK"
    for c in data["contributions"]:
        c["parties"] = ["SENSK" if p == "SENS" else p for p in c["parties"]]
        for line in c["money"]:
            line["recipients"] = ["SENSK" if p == "SENS" else p for p in line["recipients"]]
    data["operational_responsibility"]["parties"][1] = "SENSK"
    changes = fields(diff(flagship, Agreement.model_validate(data)))
    assert "Part SENS › Kortnamn: SENS → SENSK" in [str(c) for c in changes]
    assert not any(
        c.kind is not ChangeKind.CHANGED and c.label.startswith("Part ") for c in changes
    )


def test_a_new_order_of_the_parties_is_reported_as_such(flagship: Agreement) -> None:
    data = flagship.model_dump()
    data["parties"][1], data["parties"][2] = data["parties"][2], data["parties"][1]
    (change,) = diff(flagship, Agreement.model_validate(data))
    assert str(change) == "Parter, ordning: VGR, GSE, SENS, SES, SEF → VGR, SENS, GSE, SES, SEF"


def test_values_are_written_the_swedish_way(make_agreement: Any, minimal_data: Any) -> None:
    old = make_agreement()
    minimal_data["metadata"]["status"] = "final"
    minimal_data["period"]["intends_to_continue"] = True
    minimal_data["follow_up"]["report_due"] = "15 februari"
    line = minimal_data["contributions"][1]["money"][0]
    line.update(frequency="quarterly", basis="per_calendar_year")
    line["indexation"] = {"index": "AKI", "base": "oktober 2024", "share": "80 %"}
    minimal_data["parties"][0]["contacts"][0]["phone"] = "031-123 45 67"
    changes = {str(c) for c in fields(diff(old, make_agreement(**minimal_data)))}
    assert {
        "Dokumentstatus: utkast → slutlig",
        "Avsikt att fortsätta efter avtalsperioden: nej → ja",
        "Sista dag för årsberättelsen: 31 mars → 15 februari",
        "Bidrag från EK › Medelsrad ”nr 1” › Utbetalningsintervall (tillagd): kvartalsvis",
        "Bidrag från EK › Medelsrad ”nr 1” › Beloppet avser: "
        "per tolvmånadersperiod → per kalenderår",
        "Bidrag från EK › Medelsrad ”nr 1” › Andel av indexförändringen (tillagd): 80 %",
        "Part EK › Kontaktperson Karin Ek › Telefon (tillagd): 031-123 45 67",
    } <= changes


def test_text_wrapped_differently_is_no_change(flagship: Agreement) -> None:
    data = flagship.model_dump()
    data["challenge"] = data["challenge"].replace("\n", " ").replace("  ", "\n\n")
    rewrapped = Agreement.model_validate(data)
    assert rewrapped.challenge != flagship.challenge
    assert diff(flagship, rewrapped) == []


def test_added_and_removed_principles_are_single_items(flagship: Agreement) -> None:
    data = flagship.model_dump()
    data["values"]["principles"].remove("mångfald")
    changes = diff(flagship, Agreement.model_validate(data))
    assert [str(c) for c in changes] == ["Princip (borttagen): mångfald"]


def test_the_change_list_of_the_two_example_versions_is_unchanged() -> None:
    """The change list a lawyer reads for the example's second draft (tests/golden).

    After a deliberate change, refresh it with ``IOPDOCS_UPDATE_GOLDEN=1 make test``.
    """
    old = load_agreement(ROOT / "examples" / "vgr-social-ekonomi-2024.yaml")
    new = load_agreement(ROOT / "examples" / "vgr-social-ekonomi-2024-v2.yaml")
    text = "".join(f"{c}\n" for c in diff(old, new))
    golden = ROOT / "tests" / "golden" / "diff-vgr-social-ekonomi-2024-v2.txt"
    if os.environ.get("IOPDOCS_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(
    end=st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)),
    amount=st.integers(1, 5_000_000),
)
def test_each_edit_is_exactly_one_field_change_and_the_totals_follow(
    flagship: Agreement, end: dt.date, amount: int
) -> None:
    data = flagship.model_dump()
    data["period"]["end"] = end
    data["contributions"][1]["money"][0]["amount"] = amount
    new = Agreement.model_validate(data)
    changes = diff(flagship, new)
    expected = set()
    if end != flagship.period.end:
        expected.add("period.end")
    if amount != 300_000:
        expected.add("contributions[VGR].money[Partnerskapsbidrag till plattformarna].amount")
    assert {c.path for c in fields(changes)} == expected
    total = next((c for c in changes if c.path == "schedule.total"), None)
    after = payment_schedule(new).total
    if after == Decimal(1_700_000):
        assert total is None
    else:
        assert total is not None
        assert total.new == money_text(after)


@pytest.mark.parametrize(
    ("amount", "text"),
    [(Decimal(300000), "300 000 kr"), (Decimal("25000.50"), "25 000,50 kr"), (Decimal(5), "5 kr")],
)
def test_money_is_written_with_spaces_between_thousands(amount: Decimal, text: str) -> None:
    assert money_text(amount) == text


@pytest.mark.parametrize("choices", [PartyKind, Status, Basis, Frequency, Rounding, Vat])
def test_every_choice_in_the_model_is_written_in_swedish(choices: type[Enum]) -> None:
    for choice in choices:
        assert value_text(choice, "") != choice.value
