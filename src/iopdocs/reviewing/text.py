"""Reading the agreement's free text: every text field, its sentences and amounts.

The words and phrases the review looks for are read by ``language``.

The walk is generic, so a text field added to the model later is reviewed without a change here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from pydantic import BaseModel

from iopdocs.model import Contact, Party, Signatory

__all__ = ["Amount", "amounts_in", "free_texts", "sentences"]

# Fields that hold references, identifiers or contact details rather than contract language.
_NOT_PROSE = frozenset(
    {
        "short_name",
        "org_number",
        "parties",
        "recipients",
        "appointed_by",
        "reporting_parties",
        "language",
        "email",
        "phone",
        "case_number",
    }
)
# Names of organisations and people are not wording the drafter chose.
_NAMES = (Party, Contact, Signatory)


def free_texts(model: BaseModel, path: str = "") -> Iterator[tuple[str, str]]:
    """Every free-text value of ``model`` with its field path (``mission.items[0].description``)."""
    for name in type(model).model_fields:
        if name in _NOT_PROSE:
            continue
        yield from _walk(getattr(model, name), f"{path}.{name}" if path else name)


def _walk(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Enum):
        return
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, _NAMES):
        return
    elif isinstance(value, BaseModel):
        yield from free_texts(value, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


_BLOCK_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[-*\u2022]\s)")
_BULLET = re.compile(r"^[-*\u2022]\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”(])")


def sentences(text: str) -> Iterator[str]:
    """The sentences of ``text``, whitespace collapsed; a bullet item is a sentence of its own."""
    for block in _BLOCK_BREAK.split(text):
        flat = " ".join(_BULLET.sub("", block.strip()).split())
        for sentence in _SENTENCE_END.split(flat):
            if sentence:
                yield sentence


class Amount(NamedTuple):
    """An amount of money written in text, as written and as a number of kronor."""

    written: str
    kronor: Decimal


_AMOUNT = re.compile(
    r"(?<![\d,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?\s?"
    r"(miljoner|miljon|mnkr|mkr|tkr|kronor|kr|sek)(?!\w)",
    re.IGNORECASE,
)
_SCALE = {"miljoner": 1_000_000, "miljon": 1_000_000, "mnkr": 1_000_000, "mkr": 1_000_000}
_SCALE["tkr"] = 1_000


def amounts_in(text: str) -> Iterator[Amount]:
    """Every amount of kronor written in ``text``: "300 000 kr", "1,7 miljoner kronor", "50 tkr"."""
    for match in _AMOUNT.finditer(text):
        whole, fraction, unit = match.groups()
        number = Decimal(re.sub(r"\D", "", whole) + (f".{fraction}" if fraction else ""))
        yield Amount(match.group(), number * _SCALE.get(unit.lower(), 1))
