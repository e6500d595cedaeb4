"""In Jupyter, model objects show a readable, escaped summary (``_repr_html_``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iopdocs import Agreement


def test_an_agreement_shows_its_title_period_parties_and_money(flagship: Agreement) -> None:
    page = flagship._repr_html_()
    assert "Idéburet offentligt partnerskap för utveckling" in page
    assert "2024-08-01 – 2025-12-31" in page
    for party in flagship.parties:
        assert party.org_number in page
        assert party.short_name in page
    assert "Västra Götalandsregionen genom kulturnämnden" in page
    assert "upp till 300\u00a0000\u00a0kr" in page
    assert "senast 15 februari till Kulturförvaltningen" in page
    assert "slutlig version" in page
    assert "UTKAST" not in page


def test_a_draft_says_utkast(make_agreement: Callable[..., Agreement]) -> None:
    agreement = make_agreement(metadata={"title": "Läxhjälp", "status": "draft"})
    assert "UTKAST" in agreement._repr_html_()


def test_names_are_escaped_not_interpreted(
    make_agreement: Callable[..., Agreement], minimal_data: dict[str, Any]
) -> None:
    parties = minimal_data["parties"]
    parties[1]["name"] = "Läxhjälp & Co <script>alert(1)</script>"
    page = make_agreement(parties=parties)._repr_html_()
    assert "<script>" not in page
    assert "Läxhjälp &amp; Co &lt;script&gt;" in page


def test_any_section_shows_its_set_fields_as_a_table(flagship: Agreement) -> None:
    party = flagship.party("VGR")
    page = party._repr_html_()
    assert page.count("<table>") >= 2  # the party, and its contacts nested inside
    assert "<th>org_number</th><td>232100-0131</td>" in page
    assert "<th>acting_body</th><td>kulturnämnden</td>" in page
    assert "address" not in page  # unset fields are left out
    period = flagship.period._repr_html_()
    assert "<th>intends_to_continue</th><td>ja</td>" in period
