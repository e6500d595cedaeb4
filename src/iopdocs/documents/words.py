"""Amounts in Swedish words, as a lawyer writes them beside the figures ("trehundratusen kronor").

Numbers below a million are one word (``tvåhundrafemtiotusen``); millions and milliards stand
apart (``en miljon tvåhundratusen``). Hundreds and thousands take "ett" (``etthundra``,
``ettusen``), the legal spelling that leaves no doubt about the figure.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["amount_in_words", "number_in_words"]

_ONES = (
    "noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio",
    "elva", "tolv", "tretton", "fjorton", "femton", "sexton", "sjutton", "arton", "nitton",
)  # fmt: skip
_TENS = ("", "", "tjugo", "trettio", "fyrtio", "femtio", "sextio", "sjuttio", "åttio", "nittio")
_LARGE = ((10**9, "miljard", "miljarder"), (10**6, "miljon", "miljoner"))


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    text = f"{_ONES[hundreds]}hundra" if hundreds else ""
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        text += _TENS[tens] + (_ONES[ones] if ones else "")
    elif rest:
        text += _ONES[rest]
    return text


def _below_million(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    text = ""
    if thousands:
        # "ett" + "tusen" is written "ettusen": three t's collapse to two.
        text = (_below_thousand(thousands) + "tusen").replace("etttusen", "ettusen")
    return text + (_below_thousand(rest) if rest else "")


def number_in_words(n: int) -> str:
    """A whole number ≥ 0 in Swedish words: ``number_in_words(25000) == "tjugofemtusen"``."""
    if n < 0:
        raise ValueError(f"cannot write a negative number in words: {n}")
    if n == 0:
        return "noll"
    parts = []
    for size, one, many in _LARGE:
        count, n = divmod(n, size)
        if count:
            head = "en" if count == 1 else number_in_words(count)
            parts.append(f"{head} {one if count == 1 else many}")
    if n:
        parts.append(_below_million(n))
    return " ".join(parts)


def amount_in_words(amount: Decimal | int) -> str:
    """Kronor (and öre) in words: ``"trehundratusen kronor"``, ``"en krona och femtio öre"``."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    kronor = int(value)
    ore = int((value - kronor) * 100)
    text = "en krona" if kronor == 1 else f"{number_in_words(kronor)} kronor"
    if ore:
        text += f" och {number_in_words(ore)} öre"
    return text
