"""Mission and follow-up as real agreements write them: a capacity given as a range, steering
meetings prorated in a part year, and a mission item that no single party carries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from iopdocs import Agreement, render_annual_report, render_contract
from iopdocs.schedule import meetings_required, report_periods
from tests.conftest import compact, docx_text


def text_of(data: bytes) -> str:
    return compact(docx_text(data))


MEETING_PLACE = {
    "title": "Mötesplats",
    "parties": ["LF"],
    "capacities": [{"quantity": "20–40", "unit": "personer", "per": "tillfälle"}],
}


@pytest.mark.parametrize(
    "capacity",
    [
        {"quantity": "20–40", "unit": "personer"},
        {"quantity": "20-40", "unit": "personer"},
        {"quantity": "20 till 40", "unit": "personer"},
        {"quantity": 20, "up_to": 40, "unit": "personer"},
    ],
)
def test_a_meeting_place_for_20_to_40_people_is_a_range(
    make_agreement: Callable[..., Agreement], capacity: dict[str, Any]
) -> None:
    """A range is written with a dash, "till" or as quantity and up_to, and printed "20–40"."""
    item = {**MEETING_PLACE, "capacities": [capacity]}
    agreement = make_agreement(mission={"items": [item]})
    assert (agreement.mission.items[0].capacities[0].up_to or 0) == 40
    assert "Kapacitet: 20\u201340 personer." in text_of(render_contract(agreement))


def test_a_range_must_rise(make_agreement: Callable[..., Agreement]) -> None:
    item = {**MEETING_PLACE, "capacities": [{"quantity": "40–20", "unit": "personer"}]}
    with pytest.raises(ValidationError) as caught:
        make_agreement(mission={"items": [item]})
    assert [e["type"] for e in caught.value.errors()] == ["capacity_range_order"]


def test_an_item_without_parties_says_the_parties_carry_it_out_together(
    make_agreement: Callable[..., Agreement],
) -> None:
    """Without named parties the item is done together, worded so that it cannot be read as a
    joint liability ("ansvarar gemensamt"), which would contradict each non-profit party
    answering only for its own activity."""
    items = [MEETING_PLACE, {"title": "Gemensam utvärdering"}]
    text = text_of(render_contract(make_agreement(mission={"items": items})))
    assert "Ansvarig part: LF." in text
    assert "Gemensam utvärdering Parterna genomför denna del av uppdraget tillsammans." in text
    assert "ansvarar gemensamt" not in text


class TestAnEighteenMonthAgreementFromAugust:
    """2024-08-01 – 2025-12-31 with four meetings a year: 2024 is five months of twelve."""

    @pytest.fixture
    def agreement(self, make_agreement: Callable[..., Agreement]) -> Agreement:
        return make_agreement(
            period={"start": "2024-08-01", "end": "2025-12-31"},
            cooperation={"steering_group": {"meetings_per_year": 4}},
        )

    def test_the_part_year_is_prorated_and_rounded_up(self, agreement: Agreement) -> None:
        """4 × 153/366 days = 1.7, rounded up to 2; the whole 2025 keeps 4."""
        rules = [meetings_required(agreement, p) for p in report_periods(agreement)]
        assert [(r.year, r.count, r.prorated) for r in rules if r] == [
            (2024, 2, True),
            (2025, 4, False),
        ]

    def test_the_contract_says_so(self, agreement: Agreement) -> None:
        text = text_of(render_contract(agreement))
        assert (
            "Under ett år som avtalsperioden bara delvis omfattar minskas antalet i proportion "
            "till den del av året som omfattas, avrundat uppåt till helt antal möten, vilket "
            "innebär minst två möten under 2024." in text
        )

    def test_the_report_of_the_part_year_asks_for_the_prorated_number(
        self, agreement: Agreement
    ) -> None:
        text = text_of(render_annual_report(agreement, 2024))
        assert "sammanträda minst 2 gånger under rapportperioden" in text
        whole = text_of(render_annual_report(agreement, 2025))
        assert "sammanträda minst 4 gånger under året" in whole


def test_a_spring_and_autumn_split_is_prorated_half_by_half(
    make_agreement: Callable[..., Agreement],
) -> None:
    """Two in spring and two in autumn, agreement from 1 May: May–June is 61 of 181 spring days
    (2 × 61/181 → 1) and the whole autumn keeps its 2."""
    agreement = make_agreement(
        period={"start": "2025-05-01", "end": "2026-12-31"},
        cooperation={
            "steering_group": {"meetings_per_year": 4, "spring_meetings": 2, "autumn_meetings": 2}
        },
    )
    rule = meetings_required(agreement, report_periods(agreement)[0])
    assert rule is not None
    assert (rule.count, rule.spring, rule.autumn) == (3, 1, 2)
    assert report_periods(agreement)[0].start == dt.date(2025, 5, 1)
