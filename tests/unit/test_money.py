"""Money is an exact Decimal of kronor and öre, never built from a float."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from iopdocs.model import Money, MoneyLine

ADAPTER: TypeAdapter[Decimal] = TypeAdapter(Money)


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        (300000, Decimal("300000")),
        (Decimal("300000.50"), Decimal("300000.50")),
        ("300000", Decimal("300000")),
        ("300 000", Decimal("300000")),
        ("300\u00a0000", Decimal("300000")),
        ("300 000 kr", Decimal("300000")),
        ("300 000,50", Decimal("300000.50")),
        ("300000.5", Decimal("300000.5")),
        ("25 000 SEK", Decimal("25000")),
    ],
)
def test_amounts_are_read_exactly(written: object, amount: Decimal) -> None:
    value = ADAPTER.validate_python(written)
    assert isinstance(value, Decimal)
    assert value == amount


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (300000.0, "money_float"),
        (0.1, "money_float"),
        (True, "money_type"),
        ("trehundratusen", "money_parsing"),
        ("300 000,505", "money_precision"),
        ("NaN", "money_parsing"),
        ([300000], "money_type"),
    ],
)
def test_floats_and_nonsense_are_refused(value: object, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        ADAPTER.validate_python(value)
    assert info.value.errors()[0]["type"] == code


@pytest.mark.parametrize("amount", ["0", "-100"])
def test_a_money_line_needs_a_positive_amount(amount: str) -> None:
    with pytest.raises(ValidationError) as info:
        MoneyLine.model_validate({"amount": amount, "recipients": ["A"]})
    (error,) = info.value.errors()
    assert error["loc"] == ("amount",)
    assert error["type"] == "greater_than"


def test_money_is_written_to_json_as_a_plain_string() -> None:
    assert ADAPTER.dump_python(Decimal("300000"), mode="json") == "300000"
    assert ADAPTER.dump_python(Decimal("12500.50"), mode="json") == "12500.50"


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_every_amount_survives_a_json_round_trip(amount: Decimal) -> None:
    text = ADAPTER.dump_python(amount, mode="json")
    assert ADAPTER.validate_python(text) == amount


@pytest.mark.parametrize(
    ("written", "share"),
    [("80 %", "0.8"), ("80%", "0.8"), ("0,8", "0.8"), ("0.75", "0.75"), (1, "1"),
     (Decimal("0.5"), "0.5")],
)  # fmt: skip
def test_index_shares_read_as_percent_or_fraction(written: object, share: str) -> None:
    from iopdocs.model import Share

    assert TypeAdapter(Share).validate_python(written) == Decimal(share)


@pytest.mark.parametrize(("written", "quantity"), [(30, "30"), ("1 200", "1200"), ("2,5", "2.5")])
def test_quantities_are_exact(written: object, quantity: str) -> None:
    from iopdocs.model import Quantity

    assert TypeAdapter(Quantity).validate_python(written) == Decimal(quantity)
