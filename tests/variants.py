"""Later versions of the flagship agreement, each with one kind of edit a lawyer meets in review."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from iopdocs import Agreement

Data = dict[str, Any]

NEW_PARTY: Data = {
    "kind": "nonprofit",
    "name": "Social Ekonomi Halland",
    "short_name": "SEH",
    "org_number": "802500-0004",
    "contacts": [{"name": "Sara Holm"}],
    "signatories": [{"name": "Sara Holm", "title": "Ordförande"}],
}


def later_end(data: Data) -> None:
    data["period"]["end"] = dt.date(2026, 12, 31)


def changed_amount(data: Data) -> None:
    data["contributions"][1]["money"][0]["amount"] = "320000"


def added_party(data: Data) -> None:
    data["parties"].insert(3, copy.deepcopy(NEW_PARTY))


def removed_party(data: Data) -> None:
    data["parties"] = [p for p in data["parties"] if p["short_name"] != "SEF"]
    data["contributions"][0]["parties"].remove("SEF")
    data["contributions"][1]["money"][0]["recipients"].remove("SEF")
    data["operational_responsibility"]["parties"].remove("SEF")


def edited_paragraph(data: Data) -> None:
    assert "till exempel genom sociala" in data["challenge"]
    data["challenge"] = data["challenge"].replace(
        "till exempel genom sociala", "till exempel genom kooperativ, sociala"
    )


def renamed_mission_item(data: Data) -> None:
    data["mission"]["items"][0]["title"] = "Mötesplatser för dialog och samråd"


VARIANTS: dict[str, Callable[[Data], None]] = {
    "later_end": later_end,
    "changed_amount": changed_amount,
    "added_party": added_party,
    "removed_party": removed_party,
    "edited_paragraph": edited_paragraph,
    "renamed_mission_item": renamed_mission_item,
}


def variant(flagship: Agreement, *edits: Callable[[Data], None]) -> Agreement:
    """The flagship with ``edits`` applied to its data, validated again."""
    data = flagship.model_dump()
    for edit in edits:
        edit(data)
    return Agreement.model_validate(data)
