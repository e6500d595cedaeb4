"""Amounts in Swedish words, as a lawyer writes them beside the figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from iopdocs.documents.words import amount_in_words, number_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1, "en krona"),
        (2, "två kronor"),
        (21, "tjugoett kronor"),
        (101, "etthundraett kronor"),
        (1000, "ettusen kronor"),
        (1001, "ettusenett kronor"),
        (21000, "tjugoettusen kronor"),
        (25000, "tjugofemtusen kronor"),
        (300000, "trehundratusen kronor"),
        (425000, "fyrahundratjugofemtusen kronor"),
        (1000000, "en miljon kronor"),
        (1700000, "en miljon sjuhundratusen kronor"),
        (2500000, "två miljoner femhundratusen kronor"),
        (2000000000, "två miljarder kronor"),
        (Decimal("25000.50"), "tjugofemtusen kronor och femtio öre"),
        (Decimal("0.01"), "noll kronor och ett öre"),
    ],
)
def test_amounts(amount: Decimal | int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_numbers_below_a_million_are_one_word() -> None:
    assert number_in_words(234567) == "tvåhundratrettiofyratusenfemhundrasextiosju"
    assert number_in_words(0) == "noll"


def test_negative_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        number_in_words(-1)
