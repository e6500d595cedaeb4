"""Input that forgives the harmless: what YAML 1.1 would turn into a number or a time keeps the
text the user wrote where the model expects text, decided by the loader's resolver."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from iopdocs import parse_agreement
from iopdocs.loading import dump_agreement
from tests.conftest import MINIMAL

BASE = yaml.safe_dump(
    {k: v for k, v in copy.deepcopy(MINIMAL).items() if k not in ("parties", "contributions")},
    allow_unicode=True,
)

PARTIES = """
parties:
  - kind: public
    name: Exempelkommunen
    short_name: EK
    org_number: 2120000142
    address: Box 1, {postcode} Exempelstad
    contacts: [{{name: Karin Ek, phone: {phone}}}]
    signatories: [{{name: Lars Berg, title: Ordförande}}]
  - kind: nonprofit
    name: Läxhjälpsföreningen
    short_name: LF
    org_number: 802418-4734
    payment_account: {account}
    contacts: [{{name: Mona Lind, title: {title}}}]
    signatories: [{{name: Nils Sjö, title: Ordförande}}]
contributions:
  - parties: [EK]
    money:
      - amount: 120000
        recipients: [LF]
        indexation: {{index: KPI, base: {base}}}
"""


def load(
    *,
    phone: str = "0701234567",
    postcode: str = "41103",
    base: str = "2022",
    title: str = "Samordnare",
    account: str = "bankgiro 5050-1055",
) -> Any:
    text = BASE + PARTIES.format(
        phone=phone, postcode=postcode, base=base, title=title, account=account
    )
    return parse_agreement(text)


def test_a_phone_number_with_a_leading_zero_is_not_read_as_octal() -> None:
    """YAML 1.1 reads 0701234567 as the octal number 29 704 567 (or fails on an 8 or 9)."""
    agreement = load(phone="0701234567")
    assert agreement.parties[0].contacts[0].phone == "0701234567"


def test_a_time_is_not_read_as_a_base_60_number() -> None:
    """YAML 1.1 reads 12:30 as 750."""
    agreement = load(title="12:30")
    assert agreement.parties[1].contacts[0].title == "12:30"


@pytest.mark.parametrize("base", ["2022", "2022_10"])
def test_an_unquoted_year_keeps_the_text_as_written(base: str) -> None:
    """``base: 2022`` is accepted as text, as an unquoted organisation number is."""
    agreement = load(base=base)
    assert agreement.contributions[0].money[0].indexation is not None
    assert agreement.contributions[0].money[0].indexation.base == base


def test_a_postcode_keeps_its_digits() -> None:
    agreement = load(postcode="04103")
    assert agreement.parties[0].address == "Box 1, 04103 Exempelstad"


def test_numbers_are_still_numbers_where_the_model_wants_numbers() -> None:
    """The amount stays an exact number and the organisation number a valid one."""
    agreement = load()
    assert agreement.contributions[0].money[0].amount == Decimal(120000)
    assert agreement.parties[0].org_number == "212000-0142"


def test_a_text_value_survives_a_round_trip_through_yaml() -> None:
    """Written back, the year is quoted text and reads back equal."""
    agreement = load(base="2022", phone="0701234567")
    assert parse_agreement(dump_agreement(agreement)) == agreement


def test_a_payee_account_is_checked_and_written_one_way() -> None:
    agreement = load(account="bg 50501055")
    assert agreement.parties[1].payment_account == "Bankgiro 5050-1055"


@pytest.mark.parametrize(
    ("account", "code"),
    [
        ("bankgiro 5050-1056", "payment_account_checksum"),
        ("bankgiro 505-10", "payment_account_digits"),
        ("SE45 5000 0000 0583 9825 7467", "payment_account_iban"),
        ("konto 1234", "payment_account_kind"),
    ],
)
def test_a_wrong_payee_account_is_refused_with_its_own_code(account: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load(account=f'"{account}"')
    assert [e["type"] for e in caught.value.errors()] == [code]


@pytest.mark.parametrize(
    ("account", "normalised"),
    [
        ("IBAN SE45 5000 0000 0583 9825 7466", "IBAN SE45 5000 0000 0583 9825 7466"),
        ("se4550000000058398257466", "IBAN SE45 5000 0000 0583 9825 7466"),
        ("plusgiro 47 75 00-3", "Plusgiro 477500-3"),
        ("pg 90 20 0-7", "Plusgiro 90200-7"),
    ],
)
def test_iban_and_plusgiro_are_accepted_in_their_usual_spellings(
    account: str, normalised: str
) -> None:
    assert load(account=f'"{account}"').parties[1].payment_account == normalised
