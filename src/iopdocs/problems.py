"""Validation problems a person can read: every one in one round, in the reader's language.

pydantic stops at the first broken layer: the checks between sections (does every short name
name a party?) run only once every field parsed. ``with_references`` adds those checks on the
parts that did parse, so an unknown party is reported beside a wrong date, not a round later.
``problem_lines`` words each problem in Swedish or English (pydantic's own messages included,
for the error types the model can raise), suggests the key meant when a key is unknown, and
keeps the field path and the error code as they are in every language.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from iopdocs.i18n import N_, Message, catalog_messages
from iopdocs.i18n import gettext as _
from iopdocs.model import Agreement

__all__ = [
    "TOP_LEVEL",
    "did_you_mean",
    "field_path",
    "migration_change",
    "problem_lines",
    "with_references",
    "yaml_problem",
]

# Our wording of pydantic's messages, by error type: plainer than pydantic's, and translated.
BUILTIN = {
    "missing": N_("required, but missing"),
    "string_type": N_("should be text"),
    "string_too_short": N_("should have at least {min_length} characters"),
    "string_too_long": N_("should have at most {max_length} characters"),
    "string_pattern_mismatch": N_("should match the pattern '{pattern}'"),
    "int_type": N_("should be a whole number"),
    "int_parsing": N_("should be a whole number"),
    "int_from_float": N_("should be a whole number, not a fraction"),
    "float_type": N_("should be a number"),
    "float_parsing": N_("should be a number"),
    "decimal_type": N_("should be a number"),
    "decimal_parsing": N_("should be a number"),
    "decimal_max_places": N_("should have at most {decimal_places} decimals"),
    "bool_type": N_("should be true or false"),
    "bool_parsing": N_("should be true or false"),
    "date_type": N_("should be a date (YYYY-MM-DD)"),
    "date_parsing": N_("should be a date (YYYY-MM-DD): {error}"),
    "date_from_datetime_parsing": N_("should be a date (YYYY-MM-DD): {error}"),
    "date_from_datetime_inexact": N_("should be a date without a time of day"),
    "enum": N_("should be one of {expected}"),
    "literal_error": N_("should be one of {expected}"),
    "list_type": N_("should be a list"),
    "dict_type": N_("should be a mapping of keys and values"),
    "model_type": N_("should be a mapping of keys and values"),
    "model_attributes_type": N_("should be a mapping of keys and values"),
    "too_short": N_("should list at least {min_length}, not {actual_length}"),
    "too_long": N_("should list at most {max_length}, not {actual_length}"),
    "greater_than": N_("should be greater than {gt}"),
    "greater_than_equal": N_("should be {ge} or more"),
    "less_than": N_("should be less than {lt}"),
    "less_than_equal": N_("should be {le} or less"),
    "finite_number": N_("should be a finite number"),
    "none_required": N_("should be empty"),
    "value_error": N_("{error}"),
    "assertion_error": N_("{error}"),
}
# The reasons pydantic gives inside a date error, translated where they are shown.
DATE_REASONS = (
    N_("invalid character in year"),
    N_("invalid character in month"),
    N_("invalid character in day"),
    N_("invalid date separator, expected `-`"),
    N_("input is too short"),
    N_("input is too long"),
    N_("month value is outside expected range of 1-12"),
    N_("day value is outside expected range"),
    N_("unexpected extra characters at the end of the input"),
    N_("invalid datetime separator, expected `T`, `t`, `_` or space"),
)
# What PyYAML says of the syntax errors a person makes most often, translated where shown.
YAML_PROBLEMS = (
    # libyaml's words (the fast loader the package uses when PyYAML has it) ...
    N_("mapping values are not allowed in this context"),
    N_("block sequence entries are not allowed in this context"),
    N_("found character that cannot start any token"),
    N_("did not find expected key"),
    N_("did not find expected node content"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("found undefined alias"),
    N_("found unknown escape character"),
    N_("found unexpected end of stream"),
    N_("could not find expected ':'"),
    N_("found a tab character that violates indentation"),
    # ... and PyYAML's own, when libyaml is not there.
    N_("mapping values are not allowed here"),
    N_("found unexpected ':'"),
    N_("expected ',' or ']', but got '<stream end>'"),
    N_("expected ',' or '}', but got '<stream end>'"),
    N_("syntax error"),
)
# ... and those that name what they found, by a pattern whose groups fill the message.
YAML_PATTERNS = (
    (
        re.compile(r"found character (?P<found>'.+') that cannot start any token"),
        N_("found character {found} that cannot start any token"),
    ),
    (re.compile(r"found undefined alias (?P<found>'.+')"), N_("found undefined alias {found}")),
    (
        re.compile(r"could not determine a constructor for the tag (?P<found>'.+')"),
        N_("could not determine a constructor for the tag {found}"),
    ),
    (
        re.compile(r"found unknown escape character (?P<found>'.+')"),
        N_("found unknown escape character {found}"),
    ),
    (
        re.compile(r"expected <block end>, but found (?P<found>'.+')"),
        N_("expected <block end>, but found {found}"),
    ),
)
# What a schema migration says of each change (iopdocs.model.migration), translated where shown.
MIGRATION_CHANGE = (
    re.compile(r"(?P<old>\S+) is now (?P<new>\S+) \(schema version (?P<version>\d+)\)"),
    N_("{old} is now {new} (schema version {version})"),
)
UNKNOWN_KEY = N_("unknown key '{key}'; did you mean '{suggestion}'?")
UNKNOWN_KEY_CHOICES = N_("unknown key '{key}'; the keys here are: {choices}")
PARTY_UNKNOWN = N_("'{name}' is not the short name of a party (known: {known})")
TOP_LEVEL = N_("(top level)")
NOT_EMPTY = N_("should not be empty")
# Words the model puts into its messages.
WORDS = (N_("or"),)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_BUILTIN_TYPES = set(typing.get_args(ErrorType))


def field_path(loc: Sequence[int | str]) -> str:
    """``('parties', 2, 'org_number')`` as ``parties[2].org_number``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def problem_lines(error: ValidationError, source: str | None = None) -> list[str]:
    """One line per problem of ``error``: ``[source: ]field.path: message [code]``."""
    root: type[BaseModel] = Agreement
    if error.title == "AnnualReport":
        from iopdocs.model import AnnualReport

        root = AnnualReport
    prefix = f"{source}: " if source else ""
    lines = []
    for item in error.errors(include_url=False):
        where = field_path(item["loc"]) or _(TOP_LEVEL)
        message = _message(root, item)
        lines.append(f"{prefix}{where}: {message} [{item['type']}]")
    return lines


def _message(root: type[BaseModel], item: Any) -> str:
    kind = item["type"]
    ctx = dict(item.get("ctx") or {})
    if kind == "extra_forbidden":
        return _unknown_key(root, item["loc"])
    if kind in ("too_short", "string_too_short") and ctx.get("min_length") == 1:
        return _(NOT_EMPTY)
    if kind in BUILTIN:
        ctx = {k: _word(str(v)) for k, v in ctx.items()}
        if kind in ("enum", "literal_error"):
            ctx["expected"] = str(ctx.get("expected", "")).replace(" or ", f" {_('or')} ")
        return _fill(_(BUILTIN[kind]), ctx)
    return _translated(str(item["msg"]), ctx)


def _word(value: str) -> str:
    return _(value) if value in DATE_REASONS or value in WORDS else value


def _fill(template: str, ctx: dict[str, Any]) -> str:
    return _PLACEHOLDER.sub(lambda m: str(ctx.get(m.group(1), m.group(0))), template)


def _translated(message: str, ctx: dict[str, Any]) -> str:
    """The model's own message in the language in use: the catalog's template that gives
    ``message`` when filled with ``ctx`` is translated, then filled."""
    if not ctx:
        return _(message)
    words = {k: _word(str(v)) if isinstance(v, str) else v for k, v in ctx.items()}
    for template in catalog_messages():
        if "{" in template and _fill(template, ctx) == message:
            return _fill(_(template), words)
    return message


def yaml_problem(problem: str | None) -> str:
    """PyYAML's ``problem`` of a syntax error as a ``Message`` when the catalog has it (the
    common ones), else as PyYAML words it."""
    text = problem or "syntax error"
    if text in YAML_PROBLEMS:
        return Message(text)
    for pattern, message in YAML_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return Message(message, **match.groupdict())
    return text


def migration_change(change: str) -> str:
    """A change ``migrate_data`` made, as a ``Message`` to be shown in the reader's language."""
    pattern, message = MIGRATION_CHANGE
    match = pattern.fullmatch(change)
    return Message(message, **match.groupdict()) if match else change


def did_you_mean(key: str, choices: Sequence[str]) -> str | None:
    """The choice closest to a misspelt ``key``, when one is close enough."""
    lowered = {choice.lower(): choice for choice in choices}
    if key.lower() in lowered:
        return lowered[key.lower()]
    import difflib  # here: only a misspelt key needs it

    found = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def _unknown_key(root: type[BaseModel], loc: Sequence[int | str]) -> str:
    key = str(loc[-1])
    model = _model_at(root, loc[:-1])
    choices = list(model.model_fields) if model is not None else []
    suggestion = did_you_mean(key, choices)
    if suggestion is not None:
        return _(UNKNOWN_KEY).format(key=key, suggestion=suggestion)
    if choices:
        return _(UNKNOWN_KEY_CHOICES).format(key=key, choices=", ".join(choices))
    return _(UNKNOWN_KEY_CHOICES).format(key=key, choices="-")


def _model_at(root: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model class of the mapping at ``loc``, following fields, lists and optionals."""
    annotation: Any = root
    for part in loc:
        model = _model_in(annotation)
        if isinstance(part, int):
            annotation = _item_of(annotation)
            continue
        if model is None or part not in model.model_fields:
            return None
        annotation = model.model_fields[part].annotation
    return _model_in(annotation)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        if isinstance(argument, type) and issubclass(argument, BaseModel):
            return argument
    return None


def _item_of(annotation: Any) -> Any:
    for argument in typing.get_args(annotation) or ():
        if typing.get_origin(argument) is list:
            return typing.get_args(argument)[0]
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    return annotation


def with_references(error: ValidationError, data: Any) -> ValidationError:
    """``error`` and the unknown party names in ``data``, found on the parts that parsed.

    The model checks references between sections only when every field is valid; here the
    short names of the parties as written are checked wherever they are used, so one run
    reports them all. Returns ``error`` itself when it adds nothing.
    """
    if error.title != "Agreement" or not isinstance(data, dict):
        return error
    known = _short_names(data.get("parties"))
    if not known:
        return error
    reported = {tuple(item["loc"]) for item in error.errors(include_url=False)}
    added = [
        detail
        for detail in _unknown_references(data, known)
        if tuple(detail["loc"]) not in reported and detail["loc"][:-1] not in reported
    ]
    if not added:
        return error
    return ValidationError.from_exception_data(
        error.title, [*_details(error), *added], hide_input=False
    )


def _short_names(parties: Any) -> list[str]:
    if not isinstance(parties, list):
        return []
    names = [p.get("short_name") for p in parties if isinstance(p, dict)]
    return [name.strip() for name in names if isinstance(name, str) and name.strip()]


def _get(data: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(key, int):
            data = data[key] if isinstance(data, list) and key < len(data) else None
        else:
            data = data.get(key) if isinstance(data, dict) else None
    return data


def _unknown_references(data: dict[str, Any], known: list[str]) -> Iterator[InitErrorDetails]:
    """Every place an agreement names parties, and the names there that are no party's."""
    places: list[tuple[str | int, ...]] = [
        ("cooperation", "steering_group", "appointed_by"),
        ("operational_responsibility", "parties"),
        ("follow_up", "reporting_parties"),
    ]
    items = _get(data, "mission", "items")
    for i in range(len(items) if isinstance(items, list) else 0):
        places.append(("mission", "items", i, "parties"))
    contributions = _get(data, "contributions")
    for i in range(len(contributions) if isinstance(contributions, list) else 0):
        places.append(("contributions", i, "parties"))
        money = _get(contributions, i, "money")
        for k in range(len(money) if isinstance(money, list) else 0):
            places.append(("contributions", i, "money", k, "recipients"))
    for place in sorted(places, key=_order):
        names = _get(data, *place)
        if not isinstance(names, list):
            continue
        for j, name in enumerate(names):
            if isinstance(name, str) and name.strip() not in known:
                yield InitErrorDetails(
                    type=PydanticCustomError(
                        "party_unknown", PARTY_UNKNOWN, {"name": name, "known": ", ".join(known)}
                    ),
                    loc=(*place, j),
                    input=name,
                )


def _order(place: tuple[str | int, ...]) -> int:
    """Places in the order of the agreement's fields, as pydantic reports the rest."""
    fields = list(Agreement.model_fields)
    return fields.index(str(place[0]))


def _details(error: ValidationError) -> Iterator[InitErrorDetails]:
    """``error``'s problems again, to build a new error with more."""
    for item in error.errors(include_url=False):
        kind = item["type"]
        ctx = item.get("ctx")
        if kind in _BUILTIN_TYPES:
            detail = InitErrorDetails(type=kind, loc=item["loc"], input=item["input"])
            if ctx:
                detail["ctx"] = ctx
            yield detail
        else:
            yield InitErrorDetails(
                type=PydanticCustomError(kind, str(item["msg"]), ctx),
                loc=item["loc"],
                input=item["input"],
            )
