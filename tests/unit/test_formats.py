"""Swedish formatting: exact strings, with U+00A0 (no-break space) written out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iopdocs.documents.formats import Formats, prose_blocks

SV = Formats("sv_SE")
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("300000"), "300\u00a0000\u00a0kr"),
        (300000, "300\u00a0000\u00a0kr"),
        (Decimal("25000.50"), "25\u00a0000,50\u00a0kr"),
        (Decimal("1700000"), "1\u00a0700\u00a0000\u00a0kr"),
        (Decimal("999"), "999\u00a0kr"),
        (Decimal("0.05"), "0,05\u00a0kr"),
    ],
)
def test_money(amount: Decimal, text: str) -> None:
    assert SV.money(amount) == text


@given(st.integers(min_value=0, max_value=10**12))
def test_whole_kronor_read_back_to_the_same_number(amount: int) -> None:
    text = SV.money(amount)
    assert text.endswith(f"{NBSP}kr")
    assert " " not in text  # never a breakable space inside an amount
    assert int(text.removesuffix(f"{NBSP}kr").replace(NBSP, "")) == amount


def test_dates() -> None:
    assert SV.date(dt.date(2024, 8, 1)) == "1 augusti 2024"
    assert SV.date(dt.date(2024, 8, 1), "short") == "2024-08-01"
    assert SV.date(dt.date(2025, 12, 31)) == "31 december 2025"


def test_period_uses_an_en_dash() -> None:
    period = {"start": dt.date(2024, 8, 1), "end": dt.date(2025, 12, 31)}
    assert SV.period(period) == "2024-08-01 \u2013 2025-12-31"
    assert SV.period(period, "long") == "1 augusti 2024 \u2013 31 december 2025"


def test_day_month() -> None:
    assert SV.day_month({"day": 15, "month": 2}) == "15 februari"


def test_org_number() -> None:
    assert SV.org_number("802418 - 4734") == "802418-4734"


def test_and_list() -> None:
    assert SV.and_list([]) == ""
    assert SV.and_list(["GSE"]) == "GSE"
    assert SV.and_list(["GSE", "SENS"]) == "GSE och SENS"
    assert SV.and_list(["GSE", "SENS", "SES", "SEF"]) == "GSE, SENS, SES och SEF"


def test_prose_splits_paragraphs_and_bullets() -> None:
    text = "Första stycket\nfortsätter här.\n\nVi ska:\n- samverka\n- följa upp\n\nSista."
    assert prose_blocks(text) == [
        {"text": "Första stycket fortsätter här.", "bullet": False},
        {"text": "Vi ska:", "bullet": False},
        {"text": "samverka", "bullet": True},
        {"text": "följa upp", "bullet": True},
        {"text": "Sista.", "bullet": False},
    ]
    assert prose_blocks(None) == []
    assert prose_blocks("") == []


def test_every_filter_is_registered_under_its_name() -> None:
    assert set(SV.filters()) == {
        "money", "number", "words", "in_words", "date", "period", "day_month", "org_number",
        "and_list", "blocks",
    }  # fmt: skip


# Swedish is formatted without babel (iopdocs/documents/formats.py); babel is the reference.
BABEL_SV = Formats("sv_SE")
BABEL_SV.swedish = False  # the same Formats, through babel


def babel_money(value: Decimal | int) -> str:
    """Kronor as babel writes them with the patterns of ``Formats.money`` (uncached)."""
    from babel.numbers import format_currency

    amount = Decimal(value)
    pattern = f"#,##0{NBSP}¤" if amount == amount.to_integral() else f"#,##0.00{NBSP}¤"
    return str(
        format_currency(amount, "SEK", format=pattern, currency_digits=False, locale="sv_SE")
    )


@given(
    st.decimals(min_value=Decimal("-1e14"), max_value=Decimal("1e14"), places=4, allow_nan=False)
    | st.decimals(min_value=-(10**16), max_value=10**16, places=0)
    | st.integers(min_value=-(10**16), max_value=10**16)
)
def test_swedish_numbers_and_money_are_babels(value: Decimal | int) -> None:
    assert SV.number(value) == BABEL_SV.number(value)
    assert SV.money(value) == babel_money(value)


@pytest.mark.parametrize(
    "value",
    ["0", "-0", "0.0004", "-0.0004", "0.0015", "0.0025", "25000.505", "25000.515", "1E+3",
     "-1200.5", "2.50", "999.9995", "1e14", "Infinity"],
)  # fmt: skip
def test_swedish_numbers_at_the_edges_of_rounding_are_babels(value: str) -> None:
    assert SV.number(Decimal(value)) == BABEL_SV.number(Decimal(value))
    assert SV.money(Decimal(value)) == babel_money(Decimal(value))


def test_remembered_numbers_keep_sign_and_value_apart() -> None:
    """Amounts are remembered by value: equal values in any form give the same text, and the
    memo never hands ``0`` the text of ``-0`` (which equals it) or the reverse."""
    for first, second in [("-0", "0"), ("0", "-0"), ("-0.001", "0.001")]:
        for value in (first, second, first):
            assert SV.money(Decimal(value)) == babel_money(Decimal(value))
            assert SV.number(Decimal(value)) == BABEL_SV.number(Decimal(value))
    assert SV.money(1500) == SV.money(Decimal("1500.00")) == SV.money(Decimal("1.5E+3"))
    assert SV.money(Decimal("1.50")) == SV.money(Decimal("1.5")) == f"1,50{NBSP}kr"
    assert SV.number(2.5) == BABEL_SV.number(2.5)  # a float, as a template may pass one


@given(st.dates(), st.sampled_from(["long", "short", "medium"]))
def test_swedish_dates_are_babels(day: dt.date, style: str) -> None:
    assert SV.date(day, style) == BABEL_SV.date(day, style)
    assert SV.day_month(day) == BABEL_SV.day_month(day)


@given(st.lists(st.text(min_size=1, max_size=8), max_size=6))
def test_swedish_lists_are_babels(words: list[str]) -> None:
    assert SV.and_list(words) == BABEL_SV.and_list(words)


def test_other_locales_are_babels_and_an_unknown_one_is_refused() -> None:
    from babel import UnknownLocaleError

    english = Formats("en_US")
    assert english.locale == "en_US"
    assert english.date(dt.date(2024, 8, 1)) == "August 1, 2024"
    assert english.and_list(["A", "B", "C"]) == "A, B, and C"
    assert Formats("sv").locale == "sv"
    with pytest.raises(UnknownLocaleError):
        Formats("xx_YY")
