"""What a review reports: findings, their severity, and the checks that make them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from iopdocs.model import Agreement
from iopdocs.schedule import Schedule

__all__ = [
    "DEFAULT_EUR_RATE",
    "Check",
    "Finding",
    "Note",
    "Passage",
    "ReviewOptions",
    "Severity",
    "Subject",
    "check",
]

DEFAULT_EUR_RATE = Decimal("11.00")
"""Kronor per euro used to compare money with the de minimis ceilings unless told otherwise.

A round figure near the rate of 2024–2025; the regulations convert at the Commission's rate of
the month the aid is granted, so pass that rate (``eur_rate``, ``--eur-rate``) for a real case.
"""


class Severity(StrEnum):
    """How much a finding weighs: an error must be fixed; a warning and an info are for a lawyer."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for infos: the order a lawyer reads them in."""
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a reviewer should look at.

    ``path`` names the field as the validation errors do (``parties[1].org_number``; empty for
    the agreement as a whole), or the standard clause the text came from (``clause:payment.
    regular``); ``message`` is Swedish, for the lawyer: the risk in one or two sentences;
    ``quote`` is the sentence of the contract the finding is about, when there is one;
    ``suggestion`` what to change.
    """

    code: str
    severity: Severity
    title: str
    path: str
    message: str
    source: str
    quote: str | None = None
    suggestion: str | None = None

    @property
    def clause(self) -> str | None:
        """The id of the standard clause the quoted text comes from, or ``None`` for a field."""
        return (
            self.path.removeprefix(CLAUSE_PREFIX) if self.path.startswith(CLAUSE_PREFIX) else None
        )

    def as_dict(self) -> dict[str, str | None]:
        """The finding with stable keys, for JSON."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "path": self.path,
            "message": self.message,
            "source": self.source,
            "quote": self.quote,
            "suggestion": self.suggestion,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """The finding ``as_dict`` gave; ``KeyError`` or ``ValueError`` for anything else."""
        quote = data.get("quote")
        suggestion = data.get("suggestion")
        return cls(
            code=str(data["code"]),
            severity=Severity(data["severity"]),
            title=str(data["title"]),
            path=str(data["path"]),
            message=str(data["message"]),
            source=str(data["source"]),
            quote=None if quote is None else str(quote),
            suggestion=None if suggestion is None else str(suggestion),
        )


@dataclass(frozen=True, slots=True)
class ReviewOptions:
    """Facts the agreement does not hold but some checks need."""

    eur_rate: Decimal = DEFAULT_EUR_RATE
    """Kronor per euro for the de minimis comparison."""
    sgei: frozenset[str] = field(default_factory=frozenset)
    """Short names of the non-profit parties whose activity is a service of general economic
    interest (tjänst av allmänt ekonomiskt intresse, SGEI): their ceiling is EUR 750 000."""


CLAUSE_PREFIX = "clause:"
"""The start of a finding's path when its text comes from a standard clause, not a field."""


class Passage(NamedTuple):
    """A piece of the contract's text and where it comes from: a field path
    (``mission.text``) or ``clause:`` and the id of a standard clause (``clause:period.extension``).
    """

    origin: str
    text: str


@dataclass(frozen=True, slots=True)
class Subject:
    """What every check reads: the agreement, its schedule (computed once), the options, and the
    contract's text as passages.

    ``whole_contract`` says whether the passages include the standard clauses the contract is
    rendered with (``documents.contract_passages``) or only the agreement's own text fields.
    """

    agreement: Agreement
    schedule: Schedule
    options: ReviewOptions
    passages: tuple[Passage, ...] = ()
    whole_contract: bool = False


class Note(NamedTuple):
    """What a check function yields; the ``Check`` adds its code, title and source."""

    severity: Severity
    path: str
    message: str
    quote: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """One review rule: a stable ``code``, a Swedish ``title`` and the ``source`` it rests on."""

    code: str
    title: str
    source: str
    find: Callable[[Subject], Iterable[Note]]

    def __call__(self, subject: Subject) -> Iterator[Finding]:
        for note in self.find(subject):
            yield Finding(
                code=self.code,
                severity=note.severity,
                title=self.title,
                path=note.path,
                message=note.message,
                source=self.source,
                quote=note.quote,
                suggestion=note.suggestion,
            )


def check(
    code: str, title: str, source: str
) -> Callable[[Callable[[Subject], Iterable[Note]]], Check]:
    """Make a function of a ``Subject`` into a ``Check`` with this code, title and source."""

    def wrap(find: Callable[[Subject], Iterable[Note]]) -> Check:
        return Check(code=code, title=title, source=source, find=find)

    return wrap
