"""What each name a document template sees holds: the shapes of the IOP documents' contexts.

``lint_template`` resolves every variable path of a template through these shapes: through the
model's fields for ``agreement``, and through the shape of a real context (built from the packaged
starter agreement) for ``doc``, ``report`` and ``review``.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

__all__ = [
    "ANY",
    "KINDS",
    "NEVER_EMPTY",
    "Leaf",
    "ListShape",
    "MapShape",
    "Record",
    "Shape",
    "context_shapes",
    "from_value",
    "merge",
]

# The top-level names each kind of template is rendered with.
KINDS: dict[str, tuple[str, ...]] = {
    "contract": ("agreement", "doc"),
    "report": ("agreement", "report"),
    "review": ("agreement", "doc", "review"),
}

# Derived lists that are never empty, and the model rule that guarantees it.
NEVER_EMPTY = {
    "doc.parties": "an agreement has at least two parties",
    "doc.public_parties": "an agreement has a public party",
    "doc.nonprofit_parties": "an agreement has a non-profit party",
    "doc.contacts": "every party has a contact",
    "doc.signatures": "every party has a signatory",
    "doc.contributions": "an agreement has at least one contribution",
    "report.contacts": "every reporting party has a contact",
    "report.signatures": "every reporting party has a signatory",
    "report.appendices": "the usual appendices stand in when none are given",
}


class Shape:
    """What a value in the context looks like, as far as a template can tell."""

    def attr(self, name: str) -> Shape | None:
        return ANY

    def names(self) -> list[str]:
        return []

    def element(self) -> Shape:
        return ANY

    non_empty = False


ANY = Shape()


@dataclass(eq=False)
class Leaf(Shape):
    kind: type

    def attr(self, name: str) -> Shape | None:
        return ANY if not name.startswith("_") and hasattr(self.kind, name) else None

    def names(self) -> list[str]:
        return [n for n in dir(self.kind) if not n.startswith("_")]

    def element(self) -> Shape:
        return self if self.kind is str else ANY


@dataclass(eq=False)
class Record(Shape):
    fields: dict[str, Shape]

    def attr(self, name: str) -> Shape | None:
        if name in self.fields:
            return self.fields[name]
        return ANY if not name.startswith("_") and hasattr(dict, name) else None

    def names(self) -> list[str]:
        return list(self.fields)


@dataclass(eq=False)
class ListShape(Shape):
    item: Shape
    non_empty: bool = False

    def attr(self, name: str) -> Shape | None:
        return ANY if not name.startswith("_") and hasattr(list, name) else None

    def element(self) -> Shape:
        return self.item


@dataclass(eq=False)
class MapShape(Shape):
    value: Shape

    def attr(self, name: str) -> Shape | None:
        return self.value


def merge(a: Shape, b: Shape) -> Shape:
    if a is ANY:
        return b
    if b is ANY:
        return a
    if isinstance(a, Record) and isinstance(b, Record):
        merged = dict(a.fields)
        for key, value in b.fields.items():
            merged[key] = merge(merged[key], value) if key in merged else value
        return Record(merged)
    if isinstance(a, ListShape) and isinstance(b, ListShape):
        return ListShape(merge(a.item, b.item), a.non_empty and b.non_empty)
    if isinstance(a, Leaf) and isinstance(b, Leaf) and a.kind is b.kind:
        return a
    return ANY


def from_value(value: Any, path: str) -> Shape:
    """The shape of a sample context value; ``path`` marks the lists known never to be empty."""
    if isinstance(value, Mapping):
        return Record({str(k): from_value(v, f"{path}.{k}") for k, v in value.items()})
    if isinstance(value, list | tuple):
        item: Shape = ANY
        for element in value:
            item = merge(item, from_value(element, path))
        return ListShape(item, path in NEVER_EMPTY)
    if value is None:
        return ANY
    return Leaf(type(value))


@cache
def from_type(annotation: Any) -> Shape:
    """The shape of a model field's type: nested models, lists, Optional, dicts."""
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return from_type(args[0])
    if origin in (typing.Union, types.UnionType):
        shape: Shape = ANY
        for arg in args:
            if arg is not type(None):
                shape = merge(shape, from_type(arg))
        return shape
    if origin in (list, tuple, set, frozenset):
        return ListShape(from_type(args[0]) if args else ANY)
    if origin is dict:
        return MapShape(from_type(args[1]) if len(args) == 2 else ANY)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields: dict[str, Shape] = {}
        for name, info in annotation.model_fields.items():
            shape = from_type(typing.cast(Any, info.annotation))
            if isinstance(shape, ListShape) and any(
                getattr(m, "min_length", 0) >= 1 for m in info.metadata
            ):
                shape = ListShape(shape.item, non_empty=True)
            fields[name] = shape
        for name, computed in annotation.model_computed_fields.items():
            fields[name] = from_type(computed.return_type)
        return Record(fields)
    if isinstance(annotation, type) and issubclass(
        annotation, str | int | Decimal | dt.date | Enum | bool
    ):
        return Leaf(annotation)
    return ANY


@cache
def context_shapes(kind: str) -> dict[str, Shape]:
    """Every top-level name of ``kind`` and its shape."""
    from iopdocs.model import Agreement

    agreement = from_type(Agreement)
    if kind == "contract":
        return {"agreement": agreement, "doc": _sample_shape("doc")}
    if kind == "review":
        return {"agreement": agreement, **_review_shapes()}
    return {"agreement": agreement, "report": _sample_shape("report")}


def _review_shapes() -> dict[str, Shape]:
    """The review appendix's context, with a finding of every severity so no group is empty."""
    from iopdocs.documents.formats import formats_for
    from iopdocs.documents.review import review_context
    from iopdocs.reviewing import (
        CHECKS,
        DEFAULT_EUR_RATE,
        Finding,
        Severity,
        passed_checks,
        review_options,
    )

    agreement = _sample_agreement()
    findings = [
        Finding(
            code=CHECKS[0].code,
            severity=severity,
            title=CHECKS[0].title,
            path="purpose",
            message="Iakttagelse.",
            source=CHECKS[0].source,
            quote=quote,
        )
        for severity in Severity
        for quote in (None, "Citat.")
    ]
    context = review_context(
        agreement,
        findings,
        passed_checks(findings),
        review_options(agreement, eur_rate=DEFAULT_EUR_RATE, sgei=()),
        formats_for("sv_SE"),
    )
    return {name: from_value(context[name], name) for name in ("doc", "review")}


def _sample_agreement() -> Any:
    """The packaged starter agreement with the optional parts it leaves out filled in."""
    from importlib import resources

    import yaml

    from iopdocs.model import Agreement

    data = yaml.safe_load(resources.files("iopdocs").joinpath("starter.yaml").read_text("utf-8"))
    item = data["mission"]["items"][0]
    item["capacities"] = [{"quantity": 2, "unit": "kvällar", "per": "vecka"}]
    item["goals"] = ["Fler elever klarar skolan."]
    item["indicators"] = [{"name": "Antal deltagare", "target": 40, "unit": "elever"}]
    line = data["contributions"][-1]["money"][0]
    line["vat"] = "outside_scope"
    return Agreement.model_validate(data)


def _sample_shape(name: str) -> Shape:
    from iopdocs.documents.context import contract_context
    from iopdocs.documents.formats import formats_for
    from iopdocs.documents.report import report_context, reporting_parties
    from iopdocs.model import AnnualReport
    from iopdocs.schedule import payment_schedule, report_period

    agreement = _sample_agreement()
    formats = formats_for("sv_SE")
    schedule = payment_schedule(agreement)
    if name == "doc":
        return from_value(contract_context(agreement, schedule, formats)["doc"], "doc")
    period = report_period(agreement, agreement.period.start.year)
    reporters = reporting_parties(agreement, None)
    filled = AnnualReport.model_validate(
        {
            "year": period.year,
            "summary": "Sammanfattning.",
            "meetings": [{"date": period.start, "note": "Möte"}],
            "signature": {"name": "N N", "title": "Ordförande", "date": period.end},
        }
    )
    shape: Shape = ANY
    for report in (None, filled):
        context = report_context(agreement, period, schedule, reporters, report, formats)
        shape = merge(shape, from_value(context["report"], "report"))
    return shape
