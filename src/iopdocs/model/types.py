"""Validated value types shared by the agreement model.

Each type is an ``Annotated`` alias with stable pydantic error codes, so callers and tests can match
on ``error["type"]`` rather than on message wording.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer
from pydantic_core import PydanticCustomError

__all__ = [
    "Money",
    "OrgNumber",
    "Prose",
    "Quantity",
    "Share",
    "Text",
    "WrittenDecimal",
    "WrittenInt",
    "normalize_org_number",
    "parse_money",
]

# XML 1.0 allows TAB, LF and CR below U+0020 and nothing in the surrogate block or U+FFFE/U+FFFF.
# docxtpl's recovering XML parser drops such characters without a word, so they are refused here.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_xml_text(value: str) -> str:
    match = _XML_ILLEGAL.search(value)
    if match is not None:
        raise PydanticCustomError(
            "xml_illegal_character",
            "text contains the control character {char} at position {position}, "
            "which a Word document cannot hold",
            {"char": f"U+{ord(match.group()):04X}", "position": match.start()},
        )
    return value


class WrittenInt(int):
    """A whole number read from a data file that remembers the text it was written as.

    YAML reads ``base: 2022`` or ``postcode: 41103`` as numbers; where the model expects text,
    the text as written is used (``"2022"``), and where it expects a number, the number.
    """

    text: str

    def __new__(cls, value: int, text: str) -> "WrittenInt":
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __reduce__(self) -> tuple[type["WrittenInt"], tuple[int, str]]:
        return (type(self), (int(self), self.text))


class WrittenDecimal(Decimal):
    """A decimal number read from a data file that remembers the text it was written as
    (``version: 1.10`` stays ``"1.10"`` where the model expects text)."""

    text: str

    def __new__(cls, value: str, text: str) -> "WrittenDecimal":
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __reduce__(self) -> tuple[type["WrittenDecimal"], tuple[str, str]]:  # type: ignore[override]
        return (type(self), (str(self), self.text))


def _written_text(value: Any) -> Any:
    return value.text if isinstance(value, WrittenInt | WrittenDecimal) else value


Text = Annotated[
    str, BeforeValidator(_written_text), Field(min_length=1), AfterValidator(_check_xml_text)
]
"""A short, non-empty text (a name, a title); surrounding whitespace is stripped by the models.
A number read from YAML where text is expected keeps the text as written."""

Prose = Annotated[
    str, BeforeValidator(_written_text), Field(min_length=1), AfterValidator(_check_xml_text)
]
"""Running text of one or more paragraphs.

Paragraphs are separated by a blank line; a line starting with ``- `` is a bullet item.
"""


# --- Organisation numbers ------------------------------------------------------------------------

_ORG_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def normalize_org_number(value: str) -> str:
    """Return ``value`` as ``NNNNNN-NNNN`` or raise ``PydanticCustomError``.

    Accepts the spellings seen in real contracts: ``802418-4734``, ``802418 - 4734``,
    ``802469–9889`` (en dash), ``8024184734``, ``16802418-4734`` and the VAT form
    ``SE802418473401``.
    """
    raw = value
    compact = _ORG_SEPARATORS.sub("", value.strip())
    if _looks_personal(compact):
        raise PydanticCustomError(
            "personal_identity_number",
            "'{value}' looks like a personal identity number (personnummer), not an "
            "organisation number; give the organisation's number (a sole trader's firm uses "
            "its owner's, which should then be written as NNNNNN-NNNN without the century)",
            {"value": raw},
        )
    upper = compact.upper()
    if upper.startswith("SE") and len(upper) == 14 and upper.endswith("01"):
        compact = compact[2:12]
    elif len(compact) == 12 and compact.startswith("16"):
        compact = compact[2:]
    if not compact.isascii() or not compact.isdigit():
        raise PydanticCustomError(
            "org_number_characters",
            "organisation number '{value}' may hold only digits and one hyphen",
            {"value": raw},
        )
    if len(compact) != 10:
        raise PydanticCustomError(
            "org_number_length",
            "organisation number '{value}' has {count} digits; it needs 10 (NNNNNN-NNNN)",
            {"value": raw, "count": len(compact)},
        )
    if int(compact[2:4]) < 20:
        raise PydanticCustomError(
            "org_number_middle_digits",
            "organisation number '{value}' has {pair} as digits 3–4; "
            "an organisation number has 20 or more there (is it a personal identity number?)",
            {"value": raw, "pair": compact[2:4]},
        )
    if not _luhn_ok(compact):
        raise PydanticCustomError(
            "org_number_checksum",
            "organisation number '{value}' has a wrong check digit (the last digit)",
            {"value": raw},
        )
    return f"{compact[:6]}-{compact[6:]}"


def _looks_personal(compact: str) -> bool:
    """``compact`` (separators removed) is shaped like a personnummer or samordningsnummer: a
    date of birth YYMMDD (the day plus 60 for a samordningsnummer), optionally with its century,
    and four digits, with a valid check digit."""
    compact = compact.replace("+", "")
    if not compact.isascii() or not compact.isdigit():
        return False
    if len(compact) == 12 and compact[:2] in ("18", "19", "20"):
        compact = compact[2:]
    elif len(compact) != 10:
        return False
    month, day = int(compact[2:4]), int(compact[4:6])
    day = day - 60 if day > 60 else day
    return 1 <= month <= 12 and 1 <= day <= 31 and _luhn_ok(compact)


def _org_number_before(value: Any) -> Any:
    # YAML reads an unquoted 8024184734 as an int; it is still a valid spelling.
    if isinstance(value, WrittenInt):
        value = value.text
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value
    return normalize_org_number(value)


OrgNumber = Annotated[
    str,
    BeforeValidator(_org_number_before),
    Field(pattern=r"^\d{6}-\d{4}$", json_schema_extra={"examples": ["802418-4734"]}),
]
"""Organisationsnummer: ten digits with a Luhn check digit, normalised to ``NNNNNN-NNNN``."""


# --- Money ---------------------------------------------------------------------------------------

_MONEY_TEXT = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_MONEY_NOISE = re.compile(r"[\s\u00a0\u202f]+|(?i:kr|sek|kronor)\.?$")


def parse_money(value: Any) -> Decimal:
    """Turn ``value`` into an exact ``Decimal`` of whole öre, refusing floats.

    Accepts ``int``, ``Decimal`` and strings such as ``"300 000"``, ``"300 000,50"``,
    ``"300000.50"`` or ``"300 000 kr"``. A float is refused because its binary value is not the
    amount the user wrote (``0.1 + 0.2``); pass a string or a ``Decimal`` instead.
    """
    if isinstance(value, bool):
        raise PydanticCustomError(
            "money_type", "an amount must be a number, not '{value}'", {"value": value}
        )
    if isinstance(value, float):
        raise PydanticCustomError(
            "money_float",
            "amount '{value}' is a float, which cannot hold kronor exactly; "
            'write it as a string or a Decimal, e.g. "300 000"',
            {"value": value},
        )
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = _MONEY_NOISE.sub("", value.strip())
        if not _MONEY_TEXT.match(text):
            raise PydanticCustomError(
                "money_parsing",
                "amount '{value}' is not a number of kronor such as \"300 000\"",
                {"value": value},
            )
        try:
            amount = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the pattern above rules this out
            raise PydanticCustomError(
                "money_parsing", "amount '{value}' is not a number", {"value": value}
            ) from exc
    else:
        raise PydanticCustomError(
            "money_type",
            "an amount must be a number or a string, not {kind}",
            {"kind": type(value).__name__},
        )
    if not amount.is_finite():
        raise PydanticCustomError(
            "money_parsing", "amount '{value}' is not a finite number", {"value": str(value)}
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise PydanticCustomError(
            "money_precision", "amount '{value}' has fractions of an öre", {"value": str(value)}
        )
    return amount


def _money_json(value: Decimal) -> str:
    # A plain string keeps every öre through JSON and YAML round trips.
    return format(value.normalize() if value == value.to_integral() else value, "f")


Money = Annotated[
    Decimal,
    BeforeValidator(parse_money),
    PlainSerializer(_money_json, return_type=str, when_used="json"),
    Field(json_schema_extra={"examples": ["300000", "300 000", "12500.50"]}),
]
"""An amount in Swedish kronor, exact to the öre (``Decimal``, never a float)."""


def _decimal_from_text(text: str) -> Decimal | None:
    """``"1 200,5"`` → ``Decimal("1200.5")``: spaces dropped, decimal comma read; ``None`` if not
    a number."""
    try:
        return Decimal(re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", "."))
    except InvalidOperation:
        return None


# A plain decimal string in JSON keeps the exact value through any round trip.
_PLAIN_DECIMAL = PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="json")


# --- Shares --------------------------------------------------------------------------------------


def parse_share(value: Any) -> Decimal:
    """A share in (0, 1] from ``"0.8"``, a Decimal or a percentage such as ``"80 %"``."""
    if isinstance(value, float | bool):
        raise PydanticCustomError(
            "share_type",
            'write the share as a string such as "80 %" or "0.8", not {value}',
            {"value": repr(value)},
        )
    if isinstance(value, int):
        share = Decimal(value)
    elif isinstance(value, Decimal):
        share = value
    elif isinstance(value, str):
        text = value.strip()
        parsed = _decimal_from_text(text.removesuffix("%"))
        if parsed is None:
            raise PydanticCustomError(
                "share_parsing", "'{value}' is not a share such as \"80 %\"", {"value": value}
            )
        share = parsed / 100 if text.endswith("%") else parsed
    else:
        raise PydanticCustomError(
            "share_type",
            "a share must be a number or text",
        )
    if not share.is_finite() or not Decimal(0) < share <= Decimal(1):
        raise PydanticCustomError(
            "share_range",
            "a share must be above 0 and at most 100 %, not '{value}'",
            {"value": str(value)},
        )
    return share


Share = Annotated[
    Decimal,
    BeforeValidator(parse_share),
    _PLAIN_DECIMAL,
]
"""A share of a whole, above 0 and at most 1; written ``0.8`` or ``"80 %"``."""


# --- Quantities ----------------------------------------------------------------------------------


def parse_quantity(value: Any) -> Decimal:
    """A count or measure ≥ 0 (places, hours, visitors) from an int, a Decimal or text."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "quantity_type", "a quantity must be a number, not {value}", {"value": repr(value)}
        )
    if isinstance(value, float):
        value = str(value)  # counts are small and written by hand; their decimal text is meant
    if isinstance(value, int | Decimal):
        quantity = Decimal(value)
    elif isinstance(value, str):
        parsed = _decimal_from_text(value)
        if parsed is None:
            raise PydanticCustomError(
                "quantity_parsing", "'{value}' is not a number", {"value": value}
            )
        quantity = parsed
    else:
        raise PydanticCustomError("quantity_type", "a quantity must be a number")
    if not quantity.is_finite() or quantity < 0:
        raise PydanticCustomError(
            "quantity_range",
            "a quantity must be zero or more, not '{value}'",
            {"value": str(value)},
        )
    return quantity


Quantity = Annotated[
    Decimal,
    BeforeValidator(parse_quantity),
    _PLAIN_DECIMAL,
]
"""A number of places, hours, visitors…: zero or more, exact (``Decimal``)."""
