"""The payee's account: bankgiro, plusgiro or IBAN, checked by its check digits.

An account is written as its kind and number, the way a contract names it: ``bankgiro 5050-1055``,
``bg 50501055``, ``plusgiro 4 77 50 00-6``, ``pg 4775000-6`` or ``IBAN SE45 5000 0000 0583 9825
7466`` (an IBAN may also be written alone). It is stored normalised: ``Bankgiro 5050-1055``,
``Plusgiro 477500-6``, ``IBAN SE45 5000 0000 0583 9825 7466``.
"""

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

__all__ = ["PayeeAccount", "normalize_account"]

_KIND = re.compile(r"^(bankgiro|bankgironummer|bg|plusgiro|plusgironummer|pg|iban)\b[\s.:]*", re.I)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_IBAN_LENGTHS = {"SE": 24, "NO": 15, "DK": 18, "FI": 18, "DE": 22, "GB": 22, "NL": 18, "FR": 27}


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        product = int(char) * (2 if index % 2 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def normalize_account(value: str) -> str:
    """``value`` as ``Bankgiro NNNN-NNNN``, ``Plusgiro NNNNNN-N`` or ``IBAN CCkk …``, or raise
    ``PydanticCustomError`` naming what is wrong."""
    text = value.strip()
    match = _KIND.match(text)
    kind = match.group(1).lower() if match else None
    number = _SEPARATORS.sub("", text[match.end() :] if match else text).upper()
    if kind is None and re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", number):
        kind = "iban"
    if kind is None:
        raise PydanticCustomError(
            "payment_account_kind",
            "'{value}' does not say which kind of account it is; write 'bankgiro NNN-NNNN', "
            "'plusgiro NNNNNN-N' or an IBAN",
            {"value": value},
        )
    if kind == "iban":
        country = number[:2]
        expected = _IBAN_LENGTHS.get(country)
        if (
            not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", number)
            or (expected is not None and len(number) != expected)
            or not _iban_ok(number)
        ):
            raise PydanticCustomError(
                "payment_account_iban",
                "'{value}' is not a valid IBAN (its length or check digits are wrong)",
                {"value": value},
            )
        return "IBAN " + " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    giro = "Bankgiro" if kind.startswith("b") else "Plusgiro"
    size = (7, 8) if giro == "Bankgiro" else tuple(range(2, 9))
    if not number.isascii() or not number.isdigit() or len(number) not in size:
        raise PydanticCustomError(
            "payment_account_digits",
            "{giro} number '{value}' must have {size} digits",
            {
                "giro": giro.lower(),
                "value": value,
                "size": "7 or 8" if giro == "Bankgiro" else "2 to 8",
            },
        )
    if not _luhn_ok(number):
        raise PydanticCustomError(
            "payment_account_checksum",
            "{giro} number '{value}' has a wrong check digit (the last digit)",
            {"giro": giro.lower(), "value": value},
        )
    if giro == "Bankgiro":
        return f"Bankgiro {number[:-4]}-{number[-4:]}"
    return f"Plusgiro {number[:-1]}-{number[-1]}"


def _account_before(value: Any) -> Any:
    return normalize_account(value) if isinstance(value, str) else value


PayeeAccount = Annotated[
    str,
    BeforeValidator(_account_before),
    Field(
        json_schema_extra={"examples": ["bankgiro 5050-1055", "IBAN SE45 5000 0000 0583 9825 7466"]}
    ),
]
"""Konto för utbetalning: a bankgiro, plusgiro or IBAN number, validated by its check digits."""
