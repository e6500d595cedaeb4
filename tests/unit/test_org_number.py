"""Organisationsnummer: every spelling seen in real contracts normalises; wrong ones are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from iopdocs import OrgNumber

ADAPTER: TypeAdapter[str] = TypeAdapter(OrgNumber)


def error_of(value: object) -> dict[str, object]:
    with pytest.raises(ValidationError) as info:
        ADAPTER.validate_python(value)
    (error,) = info.value.errors()
    return dict(error)


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("802418-4734", "802418-4734"),
        ("802418 - 4734", "802418-4734"),  # as written in the reference contract
        ("802469–9889", "802469-9889"),  # en dash, as in the reference contract
        ("8024184734", "802418-4734"),
        ("16802418-4734", "802418-4734"),
        ("SE802418473401", "802418-4734"),
        ("se802418473401", "802418-4734"),
        (8024184734, "802418-4734"),  # YAML reads an unquoted number as int
        ("  232100-0131 ", "232100-0131"),
    ],
)
def test_accepted_spellings_normalise(written: object, normalised: str) -> None:
    assert ADAPTER.validate_python(written) == normalised


@pytest.mark.parametrize(
    "number",
    ["769607–4496", "802418 - 4734", "802469–9889", "802473–5832", "232100–0131"],
)
def test_every_number_of_the_reference_contract_passes(number: str) -> None:
    assert ADAPTER.validate_python(number).count("-") == 1


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("802418-473", "org_number_length"),
        ("802418-47341", "org_number_length"),
        ("12802418-4734", "org_number_length"),  # 12 digits without the 16 prefix
        ("SE802418473402", "org_number_characters"),  # not the VAT form: ends in 02
        ("8024A8-4734", "org_number_characters"),
        ("801918-4734", "org_number_middle_digits"),  # digits 3–4 are 19
        ("802418-4735", "org_number_checksum"),
    ],
)
def test_wrong_numbers_are_refused_with_a_stable_code(value: str, code: str) -> None:
    error = error_of(value)
    assert error["type"] == code
    assert value in str(error["msg"])


@pytest.mark.parametrize(
    "value", ["850709-9805", "198507099805", "19850709-9805", "850769-9802", "8507099805"]
)
def test_a_personal_identity_number_gets_its_own_error(value: str) -> None:
    """A value shaped like a personnummer (or samordningsnummer, day + 60), with or without
    its century, is named as such rather than refused for its length or middle digits."""
    error = error_of(value)
    assert error["type"] == "personal_identity_number"
    assert "personal identity number" in str(error["msg"])


def luhn_digit(nine: str) -> str:
    total = 0
    for index, char in enumerate(nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


nine_digits = st.builds(
    lambda head, middle, tail: f"{head}{middle}{tail}",
    st.integers(0, 99).map(lambda n: f"{n:02d}"),
    st.integers(20, 99).map(str),
    st.integers(0, 99999).map(lambda n: f"{n:05d}"),
)


@given(nine_digits, st.sampled_from(["{a}-{b}", "{a}{b}", "{a} - {b}", "16{a}-{b}", "SE{a}{b}01"]))
def test_any_number_with_its_check_digit_is_accepted_in_any_spelling(
    nine: str, spelling: str
) -> None:
    ten = nine + luhn_digit(nine)
    written = spelling.format(a=ten[:6], b=ten[6:])
    assert ADAPTER.validate_python(written) == f"{ten[:6]}-{ten[6:]}"


@given(nine_digits, st.integers(1, 9))
def test_any_other_check_digit_is_refused(nine: str, offset: int) -> None:
    wrong = str((int(luhn_digit(nine)) + offset) % 10)
    assert error_of(nine + wrong)["type"] == "org_number_checksum"
