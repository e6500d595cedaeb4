"""Swedish document formatting, bound to one locale (babel).

``Formats`` is built once per locale and hands its methods to Jinja as filters, so no formatter
ever reads a global default locale.

For Swedish (``sv_SE``, ``sv``) the few patterns a contract uses (grouped numbers, kronor, long
and short dates, "A, B och C") are written out here from CLDR's Swedish data, so a new process
does not import babel's formatting modules and load its locale data (some 50 ms of a cold
``iopdocs render``); ``tests/unit/test_formats.py`` holds them equal to babel's output. Any
other locale, and anything unusual (a date style or a number these patterns do not cover), is
formatted by babel as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from iopdocs.documents.words import amount_in_words, number_in_words

if TYPE_CHECKING:
    from babel import Locale
from iopdocs.model.types import normalize_org_number

__all__ = ["Block", "Formats", "prose_blocks"]

NBSP = "\u00a0"
EN_DASH = "\u2013"


class Block(dict[str, Any]):
    """One paragraph of running text: ``text`` and whether it is a ``bullet`` item."""


_BULLET = re.compile(r"^[-*\u2022]\s+")


def prose_blocks(text: str | None) -> list[Block]:
    """Split running text into paragraphs and bullet items.

    A blank line ends a paragraph; a line starting with ``- `` is a bullet item of its own. Lines
    of one paragraph are joined with spaces, so text wrapped in a YAML block flows as one
    paragraph in Word.
    """
    if not text:
        return []
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block(text=" ".join(paragraph), bullet=False))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif _BULLET.match(line):
            flush()
            blocks.append(Block(text=_BULLET.sub("", line), bullet=True))
        else:
            paragraph.append(line)
    flush()
    return blocks


class Formats:
    """Formatters for one locale; each public method is a Jinja filter of the same name."""

    def __init__(self, locale: str = "sv_SE") -> None:
        self._name = locale
        self.swedish = locale in SWEDISH
        # The locale's name as babel writes it (``sv_SE``); babel checks any other name now.
        self.locale = locale if self.swedish else str(self.babel_locale)

    @cached_property
    def babel_locale(self) -> Locale:
        """The locale as babel's ``Locale``, parsed on first use."""
        from babel import Locale

        return Locale.parse(self._name)

    # money ---------------------------------------------------------------------------------------

    def money(self, amount: Decimal | int) -> str:
        """``300 000 kr``; öre are shown only when there are any (``25 000,50 kr``)."""
        value = amount if type(amount) is int else Decimal(amount)
        if self.swedish and _memoisable(value):
            text = _swedish_money(value, _negative(value))
            if text is not None:
                return text
        return _money(Decimal(value), self.babel_locale)

    def number(self, value: Decimal | int) -> str:
        """A count or measure: ``1 200``, ``2,5`` (no-break space between groups)."""
        number = value if type(value) is int else Decimal(value)
        if self.swedish and _memoisable(number):
            text = _swedish_plain(number, _negative(number))
            if text is not None:
                return text
        from babel.numbers import format_decimal

        return str(format_decimal(number, locale=self.babel_locale))

    def words(self, amount: Decimal | int) -> str:
        """An amount in Swedish words: ``trehundratusen kronor``."""
        return amount_in_words(amount)

    def in_words(self, value: int, gender: str = "en") -> str:
        """A small number in running text as Swedish legal style writes it: one to twelve in
        words (``6`` → ``sex``; ``1`` → ``en``, or ``ett`` with ``gender="ett"``), larger ones in
        figures."""
        n = int(value)
        if n == 1:
            return gender
        if 2 <= n <= 12:
            return number_in_words(n)
        return str(n)

    # dates ---------------------------------------------------------------------------------------

    def date(self, value: dt.date, style: str = "long") -> str:
        """``1 augusti 2024`` (``long``, for running text) or ``2024-08-01`` (``short``, tables)."""
        if self.swedish and type(value) is dt.date:
            if style == "long":
                return f"{value.day} {SWEDISH_MONTHS[value.month - 1]} {value.year}"
            if style == "short":
                return f"{value.year}-{value.month:02d}-{value.day:02d}"
        return _date(value, style, self.babel_locale)

    def period(self, value: Mapping[str, Any] | Any, style: str = "short") -> str:
        """A period as ``2024-08-01 – 2025-12-31`` (en dash)."""
        start, end = _start_end(value)
        return f"{self.date(start, style)} {EN_DASH} {self.date(end, style)}"

    def day_month(self, value: Mapping[str, Any] | Any) -> str:
        """A day of the year without its year: ``15 februari``."""
        day, month = _day_month(value)
        date = dt.date(2023, month, day)  # a day that does not exist is refused as before
        if self.swedish:
            return f"{date.day} {SWEDISH_MONTHS[date.month - 1]}"
        from babel.dates import format_date

        return str(format_date(date, format="d MMMM", locale=self.babel_locale))

    # organisations and lists ---------------------------------------------------------------------

    def org_number(self, value: str) -> str:
        """An organisation number as ``802418-4734``."""
        return normalize_org_number(value)

    def and_list(self, items: Iterable[Any]) -> str:
        """``A, B och C``: a list in running text."""
        words = [str(item) for item in items]
        if not words:
            return ""
        if self.swedish:
            if len(words) == 1:
                return words[0]
            return f"{', '.join(words[:-1])} och {words[-1]}"
        from babel.lists import format_list

        return str(format_list(words, locale=self.babel_locale))

    def blocks(self, text: str | None) -> list[Block]:
        """Running text as paragraphs and bullet items (see ``prose_blocks``)."""
        return prose_blocks(text)

    def filters(self) -> dict[str, Any]:
        """Every filter by its Jinja name."""
        return {
            "money": self.money,
            "number": self.number,
            "words": self.words,
            "in_words": self.in_words,
            "date": self.date,
            "period": self.period,
            "day_month": self.day_month,
            "org_number": self.org_number,
            "and_list": self.and_list,
            "blocks": self.blocks,
        }


SWEDISH = frozenset({"sv_SE", "sv"})
"""The locale names formatted without babel."""
SWEDISH_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
"""CLDR's Swedish month names (wide, as in a date)."""
_LARGEST = Decimal(10) ** 15  # beyond this, babel's own rounding and grouping


def _swedish_number(value: Decimal, least: int, most: int) -> str | None:
    """``value`` as CLDR's Swedish ``#,##0.###`` pattern writes it, with between ``least`` and
    ``most`` decimals (rounded half to even, as babel does): groups of three separated by a
    no-break space, a decimal comma, a hyphen-minus for a negative number. ``None`` for what
    babel had better format (not finite, 10^15 or more)."""
    if not value.is_finite() or abs(value) >= _LARGEST:
        return None
    rounded = value.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_EVEN)
    whole, _, decimals = f"{abs(rounded):f}".partition(".")
    decimals = decimals.rstrip("0").ljust(least, "0")
    groups = []
    while len(whole) > 3:
        whole, group = whole[:-3], whole[-3:]
        groups.append(group)
    groups.append(whole)
    text = NBSP.join(reversed(groups))
    sign = "-" if rounded.is_signed() else ""
    return f"{sign}{text},{decimals}" if decimals else f"{sign}{text}"


def _memoisable(value: Decimal | int) -> bool:
    """An int or a finite Decimal: a value whose Swedish text the memos below may keep."""
    return isinstance(value, int) or value.is_finite()


def _negative(value: Decimal | int) -> bool:
    return value < 0 if isinstance(value, int) else value.is_signed()


# A payment schedule writes the same few amounts dozens of times per contract, and the same ones
# again in the next contract. Equal numbers (``1.5``, ``Decimal("1.50")``) always give equal text,
# so a memo keyed by the value holds; the sign is part of the key for ``-0``, which equals ``0``.
@lru_cache(maxsize=4096)
def _swedish_money(value: Decimal | int, negative: bool) -> str | None:
    """``Formats.money`` in Swedish, or ``None`` for babel (see ``_swedish_number``)."""
    amount = Decimal(value)
    whole = amount == amount.to_integral()
    text = _swedish_number(amount, 0 if whole else 2, 0 if whole else 2)
    return None if text is None else f"{text}{NBSP}kr"


@lru_cache(maxsize=4096)
def _swedish_plain(value: Decimal | int, negative: bool) -> str | None:
    """``Formats.number`` in Swedish, or ``None`` for babel."""
    return _swedish_number(Decimal(value), 0, 3)


# A contract formats the same few amounts and dates dozens of times (a payment schedule), and
# babel takes tens of microseconds for each; equal inputs always give equal text.
@lru_cache(maxsize=4096)
def _money(value: Decimal, locale: Locale) -> str:
    from babel.numbers import format_currency

    pattern = f"#,##0{NBSP}¤" if value == value.to_integral() else f"#,##0.00{NBSP}¤"
    return str(format_currency(value, "SEK", format=pattern, currency_digits=False, locale=locale))


@lru_cache(maxsize=4096)
def _date(value: dt.date, style: str, locale: Locale) -> str:
    from babel.dates import format_date

    return str(format_date(value, format=style, locale=locale))


@cache
def formats_for(locale: str) -> Formats:
    """One ``Formats`` per locale, built on first use."""
    return Formats(locale)


def _start_end(value: Mapping[str, Any] | Any) -> tuple[dt.date, dt.date]:
    if isinstance(value, Mapping):
        return value["start"], value["end"]
    if isinstance(value, tuple):
        return value[0], value[1]
    return value.start, value.end


def _day_month(value: Mapping[str, Any] | Any) -> tuple[int, int]:
    if isinstance(value, Mapping):
        return int(value["day"]), int(value["month"])
    return int(value.day), int(value.month)
