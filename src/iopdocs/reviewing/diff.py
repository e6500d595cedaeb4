"""What changed between two versions of an agreement, field by field, in Swedish.

``diff(old, new)`` walks both models side by side and returns one ``Change`` per field that
differs, with a Swedish label ("Avtalsperiodens slutdatum") and both values written the Swedish
way (dates ISO, "300 000 kr", ja/nej). It reads the models only; nothing is rendered.

Lists are matched by identity, not position: parties by short name (then organisation number),
mission items by title, money lines by label, contacts and signatories by name, indicators by
name, … so inserting a party gives one added party rather than every later party changed. Items
left unmatched are paired when most of their fields agree (a renamed mission item is one item with
a new title). Long texts get a compact word-level excerpt of what changed.

Figures a lawyer checks but nobody types (the payment schedule's totals per recipient, per year
and in all; the annual reports due) are compared too, as changes marked ``computed``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from pydantic import BaseModel

from iopdocs.model import (
    Agreement,
    Basis,
    DayMonth,
    Frequency,
    PartyKind,
    Rounding,
    Status,
    Vat,
)
from iopdocs.reviewing.labels import LABELS, item_label

__all__ = ["Change", "ChangeKind", "diff", "money_text", "value_text", "word_excerpt"]


class ChangeKind(StrEnum):
    """Whether something was added, removed or changed; the values are the Swedish words."""

    ADDED = "tillagd"
    REMOVED = "borttagen"
    CHANGED = "ändrad"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions of an agreement."""

    path: str
    """Where it is, with list items named by their key: ``parties[GSE].name``."""
    label: str
    """The Swedish label: "Part GSE › Namn", "Avtalsperiodens slutdatum"."""
    kind: ChangeKind
    old: str | None
    """The old value as the contract would write it; ``None`` when added."""
    new: str | None
    """The new value; ``None`` when removed."""
    excerpt: tuple[tuple[str, str], ...] | None = None
    """For a long text: the words around each change as (op, text) pairs, op ``=``, ``-``, ``+``."""
    computed: bool = False
    """A figure derived from the agreement (the payment schedule), not a field of it."""

    def __str__(self) -> str:
        return self.text()

    def text(self, deleted: str = "[-{}-]", inserted: str = "{{+{}+}}") -> str:
        """One line: "Avtalsperiodens slutdatum: 2025-12-31 → 2026-12-31".

        ``deleted`` and ``inserted`` format the words of a long text's excerpt.
        """
        if self.excerpt is not None:
            return f"{self.label}: {self.excerpt_text(deleted, inserted)}"
        if self.kind is ChangeKind.ADDED:
            return f"{self.label} ({self.kind}): {self.new}"
        if self.kind is ChangeKind.REMOVED:
            return f"{self.label} ({self.kind}): {self.old}"
        return f"{self.label}: {self.old} → {self.new}"

    def excerpt_text(self, deleted: str = "[-{}-]", inserted: str = "{{+{}+}}") -> str:
        """The excerpt as one string, deleted and inserted words marked (wdiff style)."""
        marks = {"=": "{}", "-": deleted, "+": inserted}
        return "".join(marks[op].format(text) for op, text in self.excerpt or ())

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "path": self.path,
            "label": self.label,
            "kind": self.kind.value,
            "old": self.old,
            "new": self.new,
            "excerpt": self.excerpt_text() if self.excerpt is not None else None,
            "computed": self.computed,
        }


def diff(old: Agreement, new: Agreement) -> list[Change]:
    """Every change from ``old`` to ``new``: fields in contract order, then computed figures."""
    changes = list(_Walker().model(old, new, "", "", ()))
    changes += _schedule_changes(old, new)
    changes += _report_changes(old, new)
    return changes


# --- Values written the Swedish way ---------------------------------------------------------------

_MONEY_FIELDS = frozenset({"contributions.money.amount", "contributions.in_kind.value"})
_SHARE_FIELDS = frozenset({"contributions.money.indexation.share"})
_MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip

# The words the contract uses for each enum value; values already Swedish are shown as they are.
_ENUM_WORDS: dict[tuple[type[Enum], str], str] = {
    (PartyKind, "public"): "offentlig part",
    (PartyKind, "nonprofit"): "idéburen part",
    (Status, "draft"): "utkast",
    (Status, "final"): "slutlig",
    (Basis, "per_12_months"): "per tolvmånadersperiod",
    (Basis, "per_calendar_year"): "per kalenderår",
    (Basis, "total"): "för hela avtalsperioden",
    (Frequency, "monthly"): "månadsvis",
    (Frequency, "quarterly"): "kvartalsvis",
    (Frequency, "tertial"): "en gång per tertial",
    (Frequency, "half_yearly"): "halvårsvis",
    (Frequency, "yearly"): "en gång per år",
    (Frequency, "once"): "vid ett tillfälle",
    (Rounding, "none"): "ingen avrundning",
    (Rounding, "down_to_krona"): "avrundat nedåt till hel krona",
    (Rounding, "down_to_hundred"): "avrundat nedåt till helt hundratal kronor",
    (Rounding, "down_to_thousand"): "avrundat nedåt till helt tusental kronor",
    (Rounding, "nearest_hundred"): "avrundat till närmaste hundratal kronor",
    (Vat, "exclusive"): "beloppen är angivna exklusive eventuell mervärdesskatt",
    (Vat, "outside_scope"): "bidraget faller utanför mervärdesskattens tillämpningsområde",
}


def _grouped(value: Decimal) -> str:
    """``1200000`` → ``1 200 000``, ``2.5`` → ``2,5`` (Swedish digits, plain spaces)."""
    whole = value == value.to_integral_value()
    text = f"{value:,.0f}" if whole else f"{value.normalize():,f}"
    return text.replace(",", " ").replace(".", ",")


def money_text(amount: Decimal) -> str:
    """``300 000 kr``; öre only when there are any (``25 000,50 kr``)."""
    if amount == amount.to_integral_value():
        return f"{_grouped(amount)} kr"
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " kr"


def value_text(value: Any, generic: str) -> str:
    """``value`` of the field at generic path ``generic`` as the contract writes it."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, Enum):
        return _ENUM_WORDS.get((type(value), str(value.value)), str(value.value))
    if isinstance(value, Decimal):
        if generic in _MONEY_FIELDS:
            return money_text(value)
        if generic in _SHARE_FIELDS:
            return f"{_grouped(value * 100)} %"
        return _grouped(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, DayMonth):
        return f"{value.day} {_MONTHS[value.month - 1]}"
    if isinstance(value, list):
        return ", ".join(value_text(v, generic) for v in value)
    if isinstance(value, BaseModel):
        return _summary(value, generic)
    return str(value)


def _summary(model: BaseModel, generic: str) -> str:
    """One line saying what a whole added or removed item holds."""
    parts = []
    for name, value in model:
        if value is None or value == []:
            continue
        path = f"{generic}.{name}"
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            text = ", ".join(f"({_summary(item, path)})" for item in value)
        elif _is_nested(value):
            text = f"({_summary(value, path)})"
        else:
            text = value_text(value, path)
        parts.append(f"{LABELS.get(path, name).lower()}: {text}")
    return "; ".join(parts)


# --- Long texts -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"¶|\s+|[\w-]+|[^\w\s]")
_CONTEXT_WORDS = 5


def _normalized_text(text: str) -> str:
    """Text as the contract shows it: paragraphs (¶) and bullets, line wrapping ignored."""
    blocks: list[str] = []
    lines: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line or line.startswith(("- ", "* ", "• ")):
            if lines:
                blocks.append(" ".join(lines))
                lines = []
            if line:
                blocks.append(line)
        else:
            lines.append(line)
    if lines:
        blocks.append(" ".join(lines))
    return " ¶ ".join(blocks)


def _is_long(text: str) -> bool:
    return len(text) > 80 or "\n" in text


def word_excerpt(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The changed words of ``old`` → ``new`` with a few words of context around each change."""
    a = _TOKEN.findall(_normalized_text(old))
    b = _TOKEN.findall(_normalized_text(new))
    opcodes: list[list[Any]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        # "[-sociala innovationer-]{+nya idéer+}" reads better than two changes split by a space.
        merge = opcodes and opcodes[-1][0] != "equal"
        if merge and (tag != "equal" or (all(t.isspace() for t in a[i1:i2]) and i2 < len(a))):
            opcodes[-1][2], opcodes[-1][4] = i2, j2
        else:
            opcodes.append([tag, i1, i2, j1, j2])
    pieces: list[tuple[str, str]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            pieces.append(("=", _context(a[i1:i2], index == 0, index == len(opcodes) - 1)))
            continue
        if i2 > i1:
            pieces.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("+", "".join(b[j1:j2])))
    return tuple(pieces)


def _context(tokens: Sequence[str], first: bool, last: bool) -> str:
    """Equal words between changes, shortened to a few words on each side."""
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    keep = _CONTEXT_WORDS
    if len(words) <= 2 * keep and not first and not last:
        return "".join(tokens)
    head = "" if first else "".join(tokens[: words[keep - 1] + 1] if len(words) > keep else tokens)
    tail = "" if last else "".join(tokens[words[-keep] :] if len(words) > keep else tokens)
    if first and last:
        return "".join(tokens)
    if first:
        return ("… " if len(words) > keep else "") + tail.lstrip()
    if last:
        return head.rstrip() + (" …" if len(words) > keep else "")
    return f"{head.rstrip()} … {tail.lstrip()}"


# --- Matching list items by identity --------------------------------------------------------------


def _name(item: Any) -> str:
    return str(item.name)


def _money_key(line: Any) -> str | None:
    return str(line.label) if line.label else None


def _capacity_key(capacity: Any) -> str:
    return f"{capacity.unit} per {capacity.per}" if capacity.per else str(capacity.unit)


_KEYS: dict[str, Callable[[Any], str | None]] = {
    "parties": lambda p: str(p.short_name),
    "parties.contacts": _name,
    "parties.signatories": _name,
    "mission.items": lambda i: str(i.title),
    "mission.items.capacities": _capacity_key,
    "mission.items.indicators": _name,
    "contributions": lambda c: ", ".join(c.parties),
    "contributions.in_kind": lambda i: str(i.text),
    "contributions.money": _money_key,
    "clause_overrides": lambda o: str(o.id),
}
"""The identity of the items of each list of models; ``None`` falls back to the position."""

_SECOND_KEYS: dict[str, Callable[[Any], str | None]] = {
    "parties": lambda p: str(p.org_number),
}
"""A second identity tried for items the first leaves unmatched (a party given a new short name)."""

_SIMILAR = 0.5
"""Unmatched items are paired when at least this share of their fields are equal."""


def _keys(items: Sequence[Any], generic: str) -> list[str]:
    """Each item's key, unique within the list (a repeat gets " (2)")."""
    key_of = _KEYS.get(generic)
    keys: list[str] = []
    for position, item in enumerate(items):
        key = key_of(item) if key_of else None
        key = key if key is not None else f"nr {position + 1}"
        unique, count = key, 1
        while unique in keys:
            count += 1
            unique = f"{key} ({count})"
        keys.append(unique)
    return keys


def _similarity(a: BaseModel, b: BaseModel) -> float:
    names = list(type(a).model_fields)
    if not names or type(a) is not type(b):
        return 0.0
    equal: int = sum(getattr(a, n) == getattr(b, n) for n in names)
    return equal / len(names)


def _match(
    old: Sequence[Any], new: Sequence[Any], generic: str
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (old index, new index) of the same item, then the removed and the added indexes."""
    old_keys, new_keys = _keys(old, generic), _keys(new, generic)
    where = {key: j for j, key in enumerate(new_keys)}
    pairs = [(i, where[key]) for i, key in enumerate(old_keys) if key in where]
    second = _SECOND_KEYS.get(generic)
    if second is not None:
        taken_old, taken_new = {i for i, _ in pairs}, {j for _, j in pairs}
        by_second = {second(new[j]): j for j in range(len(new)) if j not in taken_new}
        for i in range(len(old)):
            j_match = by_second.get(second(old[i])) if i not in taken_old else None
            if j_match is not None:
                pairs.append((i, j_match))
                del by_second[second(old[i])]
    taken_old, taken_new = {i for i, _ in pairs}, {j for _, j in pairs}
    candidates = sorted(
        (
            (-_similarity(old[i], new[j]), i, j)
            for i in range(len(old))
            if i not in taken_old
            for j in range(len(new))
            if j not in taken_new and isinstance(old[i], BaseModel)
        ),
    )
    for score, i, j in candidates:
        if -score >= _SIMILAR and i not in taken_old and j not in taken_new:
            pairs.append((i, j))
            taken_old.add(i)
            taken_new.add(j)
    removed = [i for i in range(len(old)) if i not in taken_old]
    added = [j for j in range(len(new)) if j not in taken_new]
    return sorted(pairs, key=lambda p: p[1]), removed, added


# --- The walk ------------------------------------------------------------------------------------


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Walker:
    """Compares two models field by field; ``context`` is the labels of the enclosing items."""

    def model(
        self,
        old: BaseModel | None,
        new: BaseModel | None,
        generic: str,
        path: str,
        context: tuple[str, ...],
    ) -> Iterator[Change]:
        model = new if new is not None else old
        if model is None:
            return
        for name in type(model).model_fields:
            yield from self.value(
                getattr(old, name, None),
                getattr(new, name, None),
                _join(generic, name),
                _join(path, name),
                context,
            )

    def value(
        self, old: Any, new: Any, generic: str, path: str, context: tuple[str, ...]
    ) -> Iterator[Change]:
        if old == new or (
            isinstance(old, str)
            and isinstance(new, str)
            and _normalized_text(old) == _normalized_text(new)
        ):
            return  # the same text wrapped differently reads the same in the contract
        if isinstance(old, list) or isinstance(new, list):
            yield from self.sequence(old or [], new or [], generic, path, context)
        elif _is_nested(old) or _is_nested(new):
            yield from self.model(old, new, generic, path, context)
        else:
            yield self.leaf(old, new, generic, path, context)

    def leaf(self, old: Any, new: Any, generic: str, path: str, context: tuple[str, ...]) -> Change:
        label = " › ".join([*context, LABELS.get(generic, generic)])
        old_text = None if old is None else value_text(old, generic)
        new_text = None if new is None else value_text(new, generic)
        if old_text is None:
            return Change(path, label, ChangeKind.ADDED, None, new_text)
        if new_text is None:
            return Change(path, label, ChangeKind.REMOVED, old_text, None)
        excerpt = None
        if isinstance(old, str) and isinstance(new, str) and (_is_long(old) or _is_long(new)):
            excerpt = word_excerpt(old, new)
        return Change(path, label, ChangeKind.CHANGED, old_text, new_text, excerpt)

    def sequence(
        self,
        old: list[Any],
        new: list[Any],
        generic: str,
        path: str,
        context: tuple[str, ...],
    ) -> Iterator[Change]:
        models = any(isinstance(v, BaseModel) for v in [*old, *new])
        if not models:
            yield from self.scalars(old, new, generic, path, context)
            return
        old_keys, new_keys = _keys(old, generic), _keys(new, generic)
        pairs, removed, added = _match(old, new, generic)
        for i in removed:
            label = " › ".join([*context, item_label(generic, old_keys[i])])
            summary = _summary(old[i], generic)
            yield Change(f"{path}[{old_keys[i]}]", label, ChangeKind.REMOVED, summary, None)
        for i, j in pairs:
            key = old_keys[i]
            inner = (*context, item_label(generic, key))
            yield from self.model(old[i], new[j], generic, f"{path}[{key}]", inner)
        for j in added:
            label = " › ".join([*context, item_label(generic, new_keys[j])])
            summary = _summary(new[j], generic)
            yield Change(f"{path}[{new_keys[j]}]", label, ChangeKind.ADDED, None, summary)
        order_old = [old_keys[i] for i, _ in sorted(pairs)]
        order_new = [old_keys[i] for i, _ in pairs]
        if order_old != order_new:
            yield self._order(order_old, order_new, generic, path, context)

    def scalars(
        self,
        old: list[Any],
        new: list[Any],
        generic: str,
        path: str,
        context: tuple[str, ...],
    ) -> Iterator[Change]:
        label = " › ".join([*context, item_label(generic, None)])
        old_texts = [value_text(v, generic) for v in old]
        new_texts = [value_text(v, generic) for v in new]
        for text in old_texts:
            if text not in new_texts:
                yield Change(path, label, ChangeKind.REMOVED, text, None)
        for text in new_texts:
            if text not in old_texts:
                yield Change(path, label, ChangeKind.ADDED, None, text)
        kept_old = [t for t in old_texts if t in new_texts]
        kept_new = [t for t in new_texts if t in old_texts]
        if kept_old != kept_new:
            yield self._order(kept_old, kept_new, generic, path, context)

    @staticmethod
    def _order(
        old: list[str], new: list[str], generic: str, path: str, context: tuple[str, ...]
    ) -> Change:
        label = " › ".join([*context, f"{LABELS.get(generic, generic)}, ordning"])
        return Change(path, label, ChangeKind.CHANGED, ", ".join(old), ", ".join(new))


def _is_nested(value: Any) -> bool:
    """A model compared field by field (a DayMonth is one value, "15 februari")."""
    return isinstance(value, BaseModel) and not isinstance(value, DayMonth)


# --- Computed figures ---------------------------------------------------------------------------


_COMPUTED = "Utbetalningsplanen (beräknad)"


def _schedule_changes(old: Agreement, new: Agreement) -> list[Change]:
    from iopdocs.schedule import payment_schedule

    a, b = payment_schedule(old), payment_schedule(new)
    changes: list[Change] = []

    def compare(path: str, label: str, x: Decimal | None, y: Decimal | None, kr: bool) -> None:
        if x == y:
            return
        text: Callable[[Decimal], str] = money_text if kr else _grouped
        kind = (
            ChangeKind.ADDED
            if x is None
            else ChangeKind.REMOVED
            if y is None
            else ChangeKind.CHANGED
        )
        changes.append(
            Change(
                path,
                f"{_COMPUTED} › {label}",
                kind,
                None if x is None else text(x),
                None if y is None else text(y),
                computed=True,
            )
        )

    def totals(
        path: str, label: Callable[[str], str], x: dict[Any, Decimal], y: dict[Any, Decimal]
    ) -> None:
        for key in [*x, *(k for k in y if k not in x)]:
            compare(f"{path}[{key}]", label(str(key)), x.get(key), y.get(key), True)

    compare("schedule.total", "Summa totalt", a.total, b.total, True)
    totals("schedule.by_recipient", lambda k: f"Summa till {k}", a.by_recipient, b.by_recipient)
    totals("schedule.by_year", lambda k: f"Summa för {k}", a.by_year, b.by_year)
    totals("schedule.by_line", lambda k: f"Summa för medelsraden ”{k}”", a.by_line, b.by_line)
    compare(
        "schedule.instalments",
        "Antal utbetalningar",
        Decimal(len(a.instalments)),
        Decimal(len(b.instalments)),
        False,
    )
    return changes


def _report_changes(old: Agreement, new: Agreement) -> list[Change]:
    """The annual reports due: which years, the span each covers and its due date."""
    from iopdocs.schedule import report_periods

    def described(agreement: Agreement) -> dict[int, str]:
        return {
            p.year: f"{p.start.isoformat()} – {p.end.isoformat()}, senast {p.due.isoformat()}"
            for p in report_periods(agreement)
        }

    before, after = described(old), described(new)
    changes = []
    for year in sorted({*before, *after}):
        x, y = before.get(year), after.get(year)
        if x == y:
            continue
        kind = (
            ChangeKind.ADDED
            if x is None
            else ChangeKind.REMOVED
            if y is None
            else ChangeKind.CHANGED
        )
        label = f"Årsberättelser (beräknade) › Årsberättelse {year}"
        changes.append(Change(f"reports[{year}]", label, kind, x, y, computed=True))
    return changes
