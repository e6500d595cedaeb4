"""Reading the agreement's free text: every text field, its sentences, words and amounts.

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

__all__ = ["Amount", "Term", "Use", "amounts_in", "free_texts", "sentences", "term_uses"]

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


class Term(NamedTuple):
    """A word of procurement (upphandling) that has no place in an IOP, with its inflections."""

    lemma: str
    pattern: re.Pattern[str]
    advice: str


def _term(lemma: str, pattern: str, advice: str) -> Term:
    return Term(lemma, re.compile(pattern), advice)


_EQUALS = "Parterna är jämbördiga och ingen part köper något av en annan"
_NO_SANCTIONS = (
    "Ett IOP innehåller inga sanktioner; avvikelser hanteras i dialog och vid behov genom "
    "omförhandling"
)
_LOU = "Ordet hör till offentlig upphandling (LOU), som ett IOP inte är"

TERMS = (
    _term(
        "ersättning",
        r"\w*ersättning\w*",
        "Den offentliga partens pengar är ett bidrag till ett gemensamt ändamål, inte betalning "
        "för en tjänst; skriv ”bidrag”",
    ),
    _term("beställare", r"\w*beställar\w*|beställning\w*", f"{_EQUALS}; skriv ”part”"),
    _term("uppdragsgivare", r"uppdragsgivar\w*", f"{_EQUALS}; skriv ”part”"),
    _term("utförare", r"\w*utförar\w*", f"{_EQUALS}; skriv ”den idéburna parten”"),
    _term(
        "leverans",
        r"\w*leverans\w*|leverer\w*|leverera\w*|\w*leverantör\w*",
        "Den idéburna parten levererar inte en tjänst; beskriv verksamheten och parternas bidrag",
    ),
    _term("avrop", r"avrop\w*", _LOU),
    _term("anbud", r"anbud\w*", _LOU),
    _term("ramavtal", r"ramavtal\w*", _LOU),
    _term("upphandling", r"\w*upphandl\w*", _LOU),
    _term("kravspecifikation", r"kravspecifikation\w*", _LOU),
    _term("vite", r"vite(?:n|na|t|s|ts|sbelopp\w*)?", _NO_SANCTIONS),
    _term("sanktion", r"sanktion\w*", _NO_SANCTIONS),
    _term("kvalitetsavdrag", r"kvalitetsavdrag\w*|prisavdrag\w*", _NO_SANCTIONS),
)

# A term close after one of these words is denied ("Partnerskapet är inte en upphandling").
_NEGATIONS = frozenset({"inte", "ej", "ingen", "inga", "inget", "utan", "aldrig", "varken"})
_NEGATION_REACH = 6
_WORD = re.compile(r"\w+")


class Use(NamedTuple):
    """One use of a term: the word as written and the term it belongs to."""

    word: str
    term: Term


def term_uses(sentence: str, terms: tuple[Term, ...] = TERMS) -> Iterator[Use]:
    """The procurement words of ``sentence`` that it does not deny."""
    words = [m.group() for m in _WORD.finditer(sentence)]
    for index, word in enumerate(words):
        lower = word.lower()
        for term in terms:
            if not term.pattern.fullmatch(lower):
                continue
            before = {w.lower() for w in words[max(0, index - _NEGATION_REACH) : index]}
            if not before & _NEGATIONS:
                yield Use(word, term)
            break


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
