"""The clause library: the contract's standard wording as data a legal department owns.

A library is one YAML file per language (``clauses/sv.yaml`` in the package). Each clause
(klausul) has a stable ``id`` such as ``conditions.notice``, the ``section`` of the contract it
belongs to, an optional ``when`` (a Jinja expression over the same ``agreement`` and ``doc`` the
Word template sees) that switches it on, its ``text`` (Jinja with the Swedish filters, rendered
in the sandbox) and a ``note`` for lawyers. The Word template keeps layout and styles and only
places each section's clauses; a clause that is off leaves nothing behind.

Rendered text becomes paragraphs the way running text in an agreement file does: a blank line
ends a paragraph, a line starting with ``- `` is a bullet item, and a line starting with ``# ``
is a lead-in line ("X bidrar med följande:").

An agreement may override clauses for negotiated wording (``clause_overrides``): replace one
clause's text, omit it, or add a clause of its own to a section.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

from iopdocs.errors import ClauseError, TemplateError
from iopdocs.i18n import Message, reason
from iopdocs.word.snippets import (
    evaluate,
    is_compiled,
    joint_source,
    preload,
    read_fields,
    render_joint,
    render_text,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from iopdocs.model import ClauseOverride

__all__ = [
    "SECTIONS",
    "Clause",
    "ClauseLibrary",
    "ClauseState",
    "clause_states",
    "clause_texts",
    "describe_value",
    "effective_clauses",
    "load_library",
    "packaged_library",
    "parse_library",
    "render_clauses",
]

# The places the contract template puts clauses, in the order of the contract.
SECTIONS = (
    "intro",
    "iop_form",
    "parties",
    "period",
    "conditions",
    "values",
    "cooperation",
    "responsibility",
    "contributions",
    "payment",
    "deviations",
    "follow_up",
    "contacts",
    "state_aid",
    "final",
    "appendices",
    "signatures",
    "schedule",
)


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause (klausul) of the library: a stable id, its section, its condition and text."""

    id: str
    section: str
    text: str
    when: str | None = None
    """A Jinja expression; the clause is on when it is true. ``None``: always on."""
    note: str = ""
    """For lawyers: what the clause is for and what it rests on. Never printed in a contract."""
    own: bool = False
    """Added by the agreement's ``clause_overrides``, not from the library."""


@dataclass(frozen=True, slots=True)
class ClauseLibrary:
    """A parsed clause library and the bytes it was parsed from (for its SHA-256)."""

    clauses: tuple[Clause, ...]
    source: bytes = field(repr=False)
    name: str = "sv"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source).hexdigest()

    def get(self, clause_id: str) -> Clause | None:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        return None


@dataclass(frozen=True, slots=True)
class ClauseState:
    """Whether a clause is on for one agreement, and the fields its condition read."""

    clause: Clause
    on: bool
    fields: tuple[tuple[str, Any], ...]
    """Each field the condition reads, with its value for this agreement."""
    overridden: str | None = None
    """``"text"``, ``"omit"`` or ``"own"`` when the agreement's clause_overrides changed it."""


def packaged_library(language: str = "sv") -> ClauseLibrary:
    """The library shipped with iopdocs for ``language``."""
    return _packaged(language)


@cache
def _packaged(language: str) -> ClauseLibrary:
    name = f"clauses/{language}.yaml"
    try:  # beside this module; through importlib.resources only when not in plain files (a zip)
        data = Path(__file__).with_name("clauses").joinpath(f"{language}.yaml").read_bytes()
    except OSError:
        from importlib import resources

        data = resources.files("iopdocs.documents").joinpath(name).read_bytes()
    # Shipped with the package and checked clause by clause by its tests (test_clauses.py), so
    # a new process does not pay for checking it again (about 75 ms); a library from outside is
    # always checked.
    return parse_library(data, name=language, check=False)


def load_library(source: str | os.PathLike[str] | bytes | ClauseLibrary | None) -> ClauseLibrary:
    """A library from a file, its bytes, or the packaged one when ``source`` is ``None``."""
    if source is None:
        return packaged_library()
    if isinstance(source, ClauseLibrary):
        return source
    if isinstance(source, bytes):
        return parse_library(source, name="<bytes>")
    from iopdocs._files import MAX_DATA_FILE, FileLimitError, read_limited

    path = Path(source)
    try:
        data = read_limited(path, MAX_DATA_FILE)
    except FileLimitError as exc:
        raise ClauseError(
            Message(
                "cannot read the clause library {path}: it {reason}", path=path, reason=reason(exc)
            )
        ) from None
    except OSError as exc:
        raise ClauseError(
            Message(
                "cannot read the clause library {path}: {reason}", path=path, reason=exc.strerror
            )
        ) from None
    return parse_library(data, name=str(path))


def parse_library(data: bytes, *, name: str = "<bytes>", check: bool = True) -> ClauseLibrary:
    """Parse and check a library: every clause parses, sits in a known section and reads only
    fields the agreement model has. Errors name the clause id. ``check=False`` skips the checks
    of each clause's text and condition (only for a library already checked).

    A library parsed once is kept, parsed, in the disk cache of compiled templates
    (``iopdocs.documents.librarycache``), so a new process does not parse its YAML again."""
    from iopdocs.documents.librarycache import read_rows, write_rows

    rows = read_rows(data)
    if rows is not None:
        stored = tuple(Clause(*row) for row in rows)
        if check:
            for clause in stored:
                check_clause(clause)
        return ClauseLibrary(clauses=stored, source=data, name=name)
    import yaml

    from iopdocs.errors import AgreementFileError
    from iopdocs.loading import bounded_yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: ten times faster
    try:
        # Bounded like an agreement: nesting, alias expansion, numbers (a library is input).
        raw = bounded_yaml(data.decode("utf-8"), source=name, loader=loader)
    except UnicodeDecodeError as exc:
        raise ClauseError(
            Message("{name} is not a readable clause library: {reason}", name=name, reason=exc)
        ) from None
    except AgreementFileError as exc:
        raise ClauseError(
            Message(
                "{name} is not a readable clause library: {reason}", name=name, reason=reason(exc)
            )
        ) from None
    entries = raw.get("clauses") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise ClauseError(Message("{name} has no list of clauses under 'clauses:'", name=name))
    clauses: list[Clause] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        clause = _clause(entry, index)
        if clause.id in seen:
            raise ClauseError(Message("the id is used by two clauses"), clause_id=clause.id)
        seen.add(clause.id)
        if check:
            check_clause(clause)
        clauses.append(clause)
    write_rows(data, tuple((c.id, c.section, c.text, c.when, c.note) for c in clauses))
    return ClauseLibrary(clauses=tuple(clauses), source=data, name=name)


_KEYS = {"id", "section", "when", "text", "note"}


def _clause(entry: Any, index: int) -> Clause:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ClauseError(Message("clause number {number} has no id", number=index + 1))
    clause_id = entry["id"]
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ClauseError(
            Message("unknown key {keys}", keys=", ".join(unknown)), clause_id=clause_id
        )
    for key in ("section", "text"):
        if not isinstance(entry.get(key), str):
            raise ClauseError(
                Message("'{key}' is missing or not text", key=key), clause_id=clause_id
            )
    when = entry.get("when")
    if when is not None and not isinstance(when, str):
        raise ClauseError(
            Message("'when' must be an expression written as text"), clause_id=clause_id
        )
    return Clause(
        id=clause_id,
        section=entry["section"],
        text=entry["text"],
        when=when,
        note=str(entry.get("note") or "").strip(),
    )


def check_clause(clause: Clause) -> None:
    """Raise ``ClauseError`` naming the clause when it cannot be used in any contract."""
    if clause.section not in SECTIONS:
        raise ClauseError(
            Message(
                "unknown section '{section}' (known: {known})",
                section=clause.section,
                known=", ".join(SECTIONS),
            ),
            clause_id=clause.id,
        )
    env = _environment()
    sources = [clause.text] + (["{{ " + clause.when + " }}"] if clause.when else [])
    for source in sources:
        try:
            paths = read_fields(env, source)
        except TemplateError as exc:
            raise ClauseError(reason(exc), clause_id=clause.id) from None
        for path in paths:
            if path[0] == "agreement" and not _model_has(path[1:]):
                raise ClauseError(
                    Message("the agreement has no field {field}", field=".".join(path)),
                    clause_id=clause.id,
                )


def _model_has(path: tuple[str, ...]) -> bool:
    """Whether ``path`` names fields of ``Agreement`` (beyond a leaf value anything goes)."""
    from pydantic import BaseModel

    from iopdocs.model import Agreement

    model: type[BaseModel] = Agreement
    for name in path:
        info = model.model_fields.get(name)
        if info is None:
            return False
        inner = _model_in(info.annotation)
        if inner is None:
            return True
        model = inner
    return True


def _model_in(annotation: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin is list:
        return None  # an item of a list is reached through a loop variable, not a dotted path
    if origin is Union or str(origin) == "<class 'types.UnionType'>":
        for arg in get_args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return arg
    return None


def effective_clauses(
    library: ClauseLibrary, overrides: Sequence[ClauseOverride] = ()
) -> list[tuple[Clause, str | None]]:
    """The library's clauses with one agreement's overrides applied, each with how it changed."""
    result: list[tuple[Clause, str | None]] = [(c, None) for c in library.clauses]
    index = {c.id: i for i, c in enumerate(library.clauses)}
    for override in overrides:
        if override.id in index:
            i = index[override.id]
            clause = result[i][0]
            if override.omit:
                result[i] = (clause, "omit")
            else:
                replaced = Clause(
                    id=clause.id,
                    section=override.section or clause.section,
                    text=override.text or "",
                    when=clause.when,
                    note=clause.note,
                )
                check_clause(replaced)
                result[i] = (replaced, "text")
            continue
        if override.omit or override.section is None or override.text is None:
            raise ClauseError(
                Message(
                    "the clause library has no clause with this id; an agreement's own clause "
                    "needs a section and a text"
                ),
                clause_id=override.id,
            )
        own = Clause(id=override.id, section=override.section, text=override.text, own=True)
        check_clause(own)
        index[own.id] = len(result)
        result.append((own, "own"))
    return result


def clause_states(
    library: ClauseLibrary,
    context: Mapping[str, Any],
    *,
    overrides: Sequence[ClauseOverride] = (),
    locale: str = "sv_SE",
    explain: bool = True,
) -> list[ClauseState]:
    """For each clause: on or off for the agreement in ``context``, and what decided it (the
    value of each field its condition reads; left out with ``explain=False``, as rendering needs
    only on or off)."""
    states = []
    for clause, how, on in _decisions(library, context, overrides, locale):
        fields: list[tuple[str, Any]] = []
        if clause.when and explain:
            for path in _condition_fields(locale, clause.when):
                fields.append((path, _evaluate(locale, clause, path, context)))
        states.append(ClauseState(clause=clause, on=on, fields=tuple(fields), overridden=how))
    return states


def _decisions(
    library: ClauseLibrary,
    context: Mapping[str, Any],
    overrides: Sequence[ClauseOverride],
    locale: str,
) -> Iterator[tuple[Clause, str | None, bool]]:
    """Each clause of the library as the agreement changes it, how it changed it, and whether
    it is on: the conditions decided in one evaluation when they can be."""
    clauses = effective_clauses(library, overrides)
    decided = _decide_all(locale, [c for c, how in clauses if c.when and how != "omit"], context)
    for clause, how in clauses:
        on = how != "omit"
        if clause.when and on:
            on = (
                decided[clause.id]
                if decided is not None
                else bool(_evaluate(locale, clause, clause.when, context))
            )
        yield clause, how, on


def _decide_all(
    locale: str, clauses: Sequence[Clause], context: Mapping[str, Any]
) -> dict[str, bool] | None:
    """Every condition of ``clauses`` decided in one evaluation (one Jinja call instead of one
    per clause); ``None`` when any of them fails, so that each is then evaluated alone and the
    error names its clause."""
    if not clauses:
        return {}
    expression = _decide_expression(clauses)
    try:
        values = evaluate(_environment(locale), expression, context)
    except TemplateError:
        return None
    return {c.id: bool(v) for c, v in zip(clauses, values, strict=True)}


def _decide_expression(clauses: Sequence[Clause]) -> str:
    return "[" + ", ".join(f"({c.when})" for c in clauses) + "]"


def render_clauses(
    library: ClauseLibrary,
    context: Mapping[str, Any],
    *,
    overrides: Sequence[ClauseOverride] = (),
    locale: str = "sv_SE",
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """Each section's paragraphs for the template, and the text of every clause used, by id.

    Paragraphs are dicts ``{"text", "bullet", "lead"}``; every section is present, empty when
    none of its clauses is on.
    """
    _preload(library, locale)
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in SECTIONS}
    used: dict[str, str] = {}
    on = _switched_on(library, context, overrides, locale)
    for (clause, _), text in zip(on, _render_all(library, on, context, locale), strict=True):
        used[clause.id] = clause.text
        sections[clause.section] += paragraphs(text)
    return sections, used


def _switched_on(
    library: ClauseLibrary,
    context: Mapping[str, Any],
    overrides: Sequence[ClauseOverride],
    locale: str,
) -> list[tuple[Clause, str | None]]:
    """The clauses that are on, with how the agreement changed each: what ``clause_states``
    decides, without a ``ClauseState`` for every clause of the library, which rendering does
    not need."""
    return [
        (clause, how) for clause, how, on in _decisions(library, context, overrides, locale) if on
    ]


def _preload(library: ClauseLibrary, locale: str) -> None:
    """A new process reads the library's compiled texts (as one joint template, when they can
    be joined) and conditions from the disk cache."""
    texts = [c.text for c in library.clauses]
    joint = joint_source(texts)
    conditioned = [c for c in library.clauses if c.when]
    preload(
        _environment(locale),
        [joint] if joint is not None else texts,
        [_decide_expression(conditioned)] if conditioned else [],
    )


# Libraries a process has rendered: from the second contract on, their texts are rendered
# jointly even where no disk cache compiled the joint template ahead.
_rendered_before: set[bytes] = set()


def _render_all(
    library: ClauseLibrary,
    on: Sequence[tuple[Clause, str | None]],
    context: Mapping[str, Any],
    locale: str,
) -> list[str]:
    """The texts of the clauses ``on``, in order: the library's own in one joint render (see
    ``iopdocs.word.snippets.joint_source``), an agreement's own or replaced texts one by one,
    and all of them one by one (naming the clause that fails) when the joint render fails."""
    env = _environment(locale)
    joint = joint_source([c.text for c in library.clauses])
    rendered: dict[str, str] = {}
    if joint is not None and (is_compiled(env, joint) or library.source in _rendered_before):
        index = {c.id: i for i, c in enumerate(library.clauses)}
        switches = [False] * len(library.clauses)
        for clause, how in on:
            if how is None:
                switches[index[clause.id]] = True
        pieces = render_joint(env, joint, switches, context)
        if pieces is not None:
            rendered = {c.id: pieces[i] for i, c in enumerate(library.clauses) if switches[i]}
    if len(_rendered_before) > 16:
        _rendered_before.clear()
    _rendered_before.add(library.source)
    return [
        rendered[clause.id]
        if how is None and clause.id in rendered
        else _render(locale, clause, context)
        for clause, how in on
    ]


def clause_texts(
    library: ClauseLibrary,
    context: Mapping[str, Any],
    *,
    overrides: Sequence[ClauseOverride] = (),
    locale: str = "sv_SE",
) -> list[tuple[Clause, str]]:
    """Each clause that is on for the agreement in ``context``, with its rendered text, in the
    library's order (what the review reads as the contract's standard wording)."""
    _preload(library, locale)
    on = _switched_on(library, context, overrides, locale)
    return [
        (clause, text)
        for (clause, _), text in zip(on, _render_all(library, on, context, locale), strict=True)
    ]


def paragraphs(text: str) -> list[dict[str, Any]]:
    """Rendered clause text as paragraphs: blank lines part them, ``- `` starts a bullet item and
    ``# `` a lead-in line."""
    return [{"text": t, "bullet": bullet, "lead": lead} for t, bullet, lead in _paragraphs(text)]


@lru_cache(maxsize=4096)
def _paragraphs(text: str) -> tuple[tuple[str, bool, bool], ...]:
    """``paragraphs`` of one text, remembered: most clause texts read the same in every
    contract, and the caller gets fresh dicts each time."""
    from iopdocs.documents.formats import prose_blocks

    result = []
    for block in prose_blocks(text):
        text, bullet = str(block["text"]), bool(block["bullet"])
        lead = not bullet and text.startswith("# ")
        result.append((text[2:] if lead else text, bullet, lead))
    return tuple(result)


def _condition_fields(locale: str, when: str) -> tuple[str, ...]:
    paths = read_fields(_environment(locale), "{{ " + when + " }}")
    return tuple(".".join(path) for path in paths)


def _environment(locale: str = "sv_SE") -> Environment:
    from iopdocs.documents.environment import make_clause_environment

    return make_clause_environment(locale)


def _evaluate(locale: str, clause: Clause, expression: str, context: Mapping[str, Any]) -> Any:
    try:
        return evaluate(_environment(locale), expression, context)
    except TemplateError as exc:
        raise ClauseError(
            Message("the condition cannot be decided: {reason}", reason=reason(exc)),
            clause_id=clause.id,
        ) from None


def _render(locale: str, clause: Clause, context: Mapping[str, Any]) -> str:
    try:
        return render_text(_environment(locale), clause.text, context)
    except TemplateError as exc:
        raise ClauseError(
            Message("the text cannot be rendered: {reason}", reason=reason(exc)),
            clause_id=clause.id,
        ) from None


def describe_value(value: Any) -> str:
    """A field's value as ``clauses list`` shows it: short, on one line."""
    if isinstance(value, list | tuple):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, str):
        text = " ".join(value.split())
        return repr(text if len(text) <= 40 else text[:39] + "…")
    return str(value.value if hasattr(value, "value") else value)
