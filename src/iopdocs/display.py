"""Readable HTML summaries of model objects, for Jupyter's ``_repr_html_``.

A notebook user who evaluates ``agreement`` or ``agreement.parties[0]`` sees a compact table
instead of a wall of ``repr``. Every value is escaped, so a name such as ``A & B <C>`` shows as
written. Pure functions of the model: nothing here is computed that the model does not hold.

The model knows nothing of HTML: ``install`` gives the model classes their ``_repr_html_``, and
``iopdocs`` calls it when a model name is first used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from iopdocs.model.agreement import SWEDISH_MONTHS

if TYPE_CHECKING:
    from iopdocs.model.agreement import Agreement

__all__ = ["agreement_html", "install", "model_html", "summary_html"]

_STYLE = (
    "<style>"
    ".iopdocs table{border-collapse:collapse;margin:0.2em 0 0.6em 0;font-size:0.92em}"
    ".iopdocs th,.iopdocs td{border:1px solid #ccc;padding:2px 8px;text-align:left;"
    "vertical-align:top}"
    ".iopdocs th{background:#f2f4f8}"
    ".iopdocs .num{text-align:right;white-space:nowrap}"
    ".iopdocs .draft{color:#c00000;font-weight:bold}"
    ".iopdocs h4{margin:0.6em 0 0.2em 0}"
    "</style>"
)
_MAX_TEXT = 160  # longer running text is cut in a summary; the full text is in the model


def _esc(value: object) -> str:
    # Imported here: ``html`` loads its 2 000 entity names, some 4 ms of every cold render that
    # imports this module to give the model its notebook display.
    import html

    return html.escape(str(value), quote=True)


def _scalar(value: Any) -> str:
    """A value as short, escaped text: dates ISO, Decimals plain, long text cut."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, Enum):
        return _esc(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _esc(format(value.normalize() if value == value.to_integral() else value, "f"))
    text = " ".join(str(value).split())
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 1] + "…"
    return _esc(text)


def _kronor(amount: Decimal) -> str:
    whole = f"{amount:,.0f}" if amount == amount.to_integral() else f"{amount:,.2f}"
    return whole.replace(",", "\u00a0").replace(".", ",") + "\u00a0kr"


def _value(value: Any) -> str:
    if isinstance(value, BaseModel):
        return _fields_table(value)
    if isinstance(value, list):
        if not value:
            return ""
        if all(isinstance(v, BaseModel) for v in value):
            return "".join(_fields_table(v) for v in value)
        return "<br>".join(_scalar(v) for v in value)
    return _scalar(value)


def _fields_table(model: BaseModel) -> str:
    rows = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None or value == []:
            continue
        rows.append(f"<tr><th>{_esc(name)}</th><td>{_value(value)}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


def model_html(model: BaseModel) -> str:
    """Any model as a table of its set fields, nested models as nested tables."""
    name = _esc(type(model).__name__)
    return f'{_STYLE}<div class="iopdocs"><b>{name}</b>{_fields_table(model)}</div>'


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: int | None = None) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if index == numeric else f"<td>{cell}</td>"
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def agreement_html(agreement: Agreement) -> str:
    """The facts a drafter checks at a glance: title, status, period, parties, money, mission."""
    meta = agreement.metadata
    status = (
        '<span class="draft">UTKAST</span>' if meta.status.value == "draft" else "slutlig version"
    )
    notice = agreement.conditions.notice_months
    due = agreement.follow_up.report_due
    facts = [
        ("Status", status),
        ("Diarienummer", _scalar(meta.case_number) or "–"),
        (
            "Avtalsperiod",
            f"{agreement.period.start.isoformat()} – {agreement.period.end.isoformat()}",
        ),
        ("Uppsägningstid", f"{notice} {'månad' if notice == 1 else 'månader'}" if notice else "–"),
        (
            "Årsberättelse",
            f"senast {due.day} {SWEDISH_MONTHS[due.month - 1]} till "
            + _scalar(agreement.follow_up.report_recipient),
        ),
    ]
    parts = [
        _STYLE,
        '<div class="iopdocs">',
        f"<h4>{_scalar(meta.title)}</h4>",
        _table(("", ""), [(f"<b>{k}</b>", v) for k, v in facts]),
        "<b>Parter</b>",
        _table(
            ("Kortnamn", "Namn", "Slag", "Org.nr", "Kontakt", "Undertecknare"),
            (
                (
                    _esc(p.short_name),
                    _esc(p.name) + (f" genom {_esc(p.acting_body)}" if p.acting_body else ""),
                    "offentlig" if p.kind.value == "public" else "idéburen",
                    _esc(p.org_number),
                    ", ".join(_esc(c.name) for c in p.contacts),
                    ", ".join(f"{_esc(s.name)} ({_esc(s.title)})" for s in p.signatories),
                )
                for p in agreement.parties
            ),
        ),
    ]
    money = [
        (
            _esc(contribution.parties[0]),
            _esc(line.label or ""),
            ("upp till " if line.ceiling else "") + _kronor(line.amount),
            _esc(line.basis.value),
            _esc((line.frequency or agreement.payment.frequency).value),
            ", ".join(_esc(r) for r in line.recipients),
        )
        for contribution in agreement.contributions
        for line in contribution.money
    ]
    if money:
        parts += [
            "<b>Medel</b>",
            _table(("Betalare", "Rad", "Belopp", "Grund", "Utbetalning", "Mottagare"), money, 2),
        ]
    in_kind = [
        (_esc(", ".join(c.parties)), "<br>".join(_scalar(i.text) for i in c.in_kind))
        for c in agreement.contributions
        if c.in_kind
    ]
    if in_kind:
        parts += ["<b>Bidrag i annan form</b>", _table(("Parter", "Insatser"), in_kind)]
    if agreement.mission.items:
        parts += [
            "<b>Uppdrag</b>",
            _table(
                ("Del", "Ansvarig", "Mål", "Indikatorer"),
                (
                    (
                        _scalar(item.title),
                        ", ".join(_esc(p) for p in item.parties) or "alla parter",
                        str(len(item.goals)),
                        str(len(item.indicators)),
                    )
                    for item in agreement.mission.items
                ),
            ),
        ]
    parts.append("</div>")
    return "".join(parts)


def summary_html(model: BaseModel) -> str:
    """The summary of any model object: the agreement's own, or a table of the set fields."""
    from iopdocs.model.agreement import Agreement

    return agreement_html(model) if isinstance(model, Agreement) else model_html(model)


def install() -> None:
    """Give every model object a ``_repr_html_`` for Jupyter; calling it again changes nothing."""
    from iopdocs.model.agreement import Agreement
    from iopdocs.model.base import StrictModel

    # Plain functions set on the classes become methods, as if defined there.
    StrictModel._repr_html_ = model_html  # type: ignore[attr-defined]
    Agreement._repr_html_ = agreement_html  # type: ignore[attr-defined]
