"""Reading agreements from YAML or JSON, writing them back, and the JSON Schema.

The parsers are set up so nothing the user wrote is lost or changed on the way in: decimals are read
as ``Decimal`` (never float), and a key written twice in one mapping is an error, not a silent
overwrite.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
import typing
import warnings
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import yaml
from pydantic import BaseModel, ValidationError

from iopdocs._files import MAX_DATA_FILE, FileLimitError, read_limited
from iopdocs.errors import AgreementFileError
from iopdocs.i18n import Message, reason
from iopdocs.model import Agreement
from iopdocs.model.migration import (
    RENAMES,
    SCHEMA_VERSION,
    SchemaMigrationWarning,
    file_version,
    migrate_data,
)
from iopdocs.model.types import WrittenDecimal, WrittenInt
from iopdocs.problems import (
    TOP_LEVEL,
    field_path,
    migration_change,
    problem_lines,
    with_references,
    yaml_problem,
)

if TYPE_CHECKING:
    from iopdocs.model import AnnualReport

__all__ = [
    "MigratedText",
    "agreement_schema",
    "bounded_yaml",
    "dump_agreement",
    "load_agreement",
    "load_report",
    "migrate_text",
    "parse_agreement",
    "parse_report",
    "report_schema",
    "validation_messages",
]

Format = Literal["yaml", "json"]


# libyaml's parser, where PyYAML has it, reads a contract in a tenth of the time; the constructors
# below (Decimal, duplicate keys) are the same Python code on either.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that reads floats as Decimal and refuses duplicate keys."""


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "").lower()
    # YAML's .inf and .nan become Decimal's; the check after loading refuses them by field.
    text = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}.get(text, text)
    try:
        return Decimal(text)
    except ArithmeticError as exc:  # decimal.InvalidOperation: not a number Decimal reads
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a number", node.start_mark
        ) from exc


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    written = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
    loader.flatten_mapping(node)
    # flatten_mapping puts the pairs a merge key (``<<: *defaults``) brings in first; a key
    # written in the mapping itself overrides those, and is a duplicate only of another
    # written key.
    merged = len(node.value) - written
    result: dict[Any, Any] = {}
    from_merge: set[Any] = set()
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if index < merged:
            from_merge.add(key)
        elif key in from_merge:
            from_merge.discard(key)
        elif key in result:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found the key {key!r} twice",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_MERGE_TAG = "tag:yaml.org,2002:merge"
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# --- Numbers that keep the text as written --------------------------------------------------------
#
# YAML 1.1 reads `0701234567` as an octal number, `12:30` as 750 (base 60) and `2022` as an int.
# The resolver below reads a number only where YAML 1.2 would (no leading zero, no base 60), so a
# phone number or a time stays text; and every number it does read remembers its text
# (WrittenInt, WrittenDecimal), which the model uses where it expects text (a year, a postcode).

_INT_12 = re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+)$")
_FLOAT_12 = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9][0-9_]*\.(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def _text_keeping_resolvers(
    resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]],
) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """``resolvers`` with the YAML 1.1 int and float patterns replaced by YAML 1.2's."""
    patterns = {"tag:yaml.org,2002:int": _INT_12, "tag:yaml.org,2002:float": _FLOAT_12}
    return {
        first: [(tag, patterns.get(tag, pattern)) for tag, pattern in entries]
        for first, entries in resolvers.items()
    }


def _construct_written_int(loader: _Loader, node: yaml.ScalarNode) -> WrittenInt:
    text = str(loader.construct_scalar(node))
    digits = text.replace("_", "")
    return WrittenInt(int(digits, 16) if digits.lower().startswith("0x") else int(digits), text)


def _construct_written_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    value = _construct_decimal(loader, node)
    return WrittenDecimal(str(value), str(loader.construct_scalar(node)))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    """A date or time as PyYAML reads it; one that does not exist (``2024-02-30``) stays its
    text, so that the model refuses it by field, in the reader's language, among the file's
    other problems, instead of the whole file failing on the first such date."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return str(loader.construct_scalar(node))


_Loader.yaml_implicit_resolvers = _text_keeping_resolvers(_SafeLoader.yaml_implicit_resolvers)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_written_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_written_decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line text as literal blocks, readable in a diff."""


def _represent_str(dumper: _Dumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def parse_agreement(text: str, *, format: Format = "yaml", source: str = "<string>") -> Agreement:
    """Validate an agreement written as YAML or JSON text.

    Raises ``AgreementFileError`` when the text does not parse and pydantic's ``ValidationError``
    when it parses but breaks the model's rules.
    """
    data = _migrated(_mapping(text, format, source), source)
    try:
        return Agreement.model_validate(data)
    except ValidationError as exc:
        # Unknown party names too, checked on the parts that parsed: every problem in one round.
        complete = with_references(exc, data)
        if complete is exc:
            raise
        raise complete from None


def load_agreement(path: str | os.PathLike[str]) -> Agreement:
    """Read and validate an agreement file (``.yaml``, ``.yml`` or ``.json``)."""
    text, format = _read(path)
    return parse_agreement(text, format=format, source=os.fspath(path))


def parse_report(text: str, *, format: Format = "yaml", source: str = "<string>") -> AnnualReport:
    """Validate a filled-in annual report written as YAML or JSON text."""
    from iopdocs.model import AnnualReport

    return AnnualReport.model_validate(_mapping(text, format, source))


def load_report(path: str | os.PathLike[str]) -> AnnualReport:
    """Read and validate a filled-in annual report file (``.yaml``, ``.yml`` or ``.json``)."""
    text, format = _read(path)
    return parse_report(text, format=format, source=os.fspath(path))


def _read(path: str | os.PathLike[str]) -> tuple[str, Format]:
    file = Path(path)
    try:
        text = read_limited(file, MAX_DATA_FILE).decode("utf-8")
    except FileNotFoundError as exc:
        raise AgreementFileError(Message("no such file"), path=str(file)) from exc
    except IsADirectoryError as exc:
        raise AgreementFileError(
            Message("is a directory, not a data file"), path=str(file)
        ) from exc
    except UnicodeDecodeError as exc:
        raise AgreementFileError(Message("is not UTF-8 text"), path=str(file)) from exc
    except FileLimitError as exc:
        raise AgreementFileError(reason(exc), path=str(file)) from exc
    except OSError as exc:
        raise AgreementFileError(
            Message("cannot be read: {reason}", reason=exc.strerror or exc), path=str(file)
        ) from exc
    return text, ("json" if file.suffix.lower() == ".json" else "yaml")


def _mapping(text: str, format: Format, source: str) -> dict[str, Any]:
    data = _parse(text, format, source)
    if not isinstance(data, dict):
        raise AgreementFileError(
            Message(
                "the top level must be a mapping of sections, not {kind}",
                kind=type(data).__name__,
            ),
            path=source,
        )
    return data


def _migrated(data: dict[str, Any], source: str) -> dict[str, Any]:
    """An agreement file's data brought to the current schema version, with one warning
    (``SchemaMigrationWarning``) per change naming it."""
    migrated, changes = migrate_data(data)
    for change in changes:
        warnings.warn(
            SchemaMigrationWarning(
                Message(
                    "{source}: {change}; 'iopdocs migrate' rewrites the file",
                    source=source,
                    change=migration_change(change),
                )
            ),
            stacklevel=3,
        )
    return migrated


def dump_agreement(agreement: Agreement, *, format: Format = "yaml") -> str:
    """The agreement as YAML or JSON text that ``parse_agreement`` reads back to an equal model."""
    data = agreement.model_dump(mode="json", exclude_none=True)
    if format == "json":
        import json

        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)


def agreement_schema() -> dict[str, Any]:
    """The JSON Schema of an agreement file, for editors and other tools.

    Each field's description is the docstring written under it in the model.
    """
    return _schema(Agreement)


def report_schema() -> dict[str, Any]:
    """The JSON Schema of annual report data (``iopdocs report --data``), described as
    ``agreement_schema`` is."""
    from iopdocs.model import AnnualReport

    return _schema(AnnualReport)


def _schema(root: type[BaseModel]) -> dict[str, Any]:
    schema = root.model_json_schema(mode="validation")
    models = {cls.__name__: cls for cls in _models(root)}
    definitions = [schema, *schema.get("$defs", {}).values()]
    # A model that may also be written as a string is an anyOf of its object schema and a string.
    definitions += [d for each in definitions for d in each.get("anyOf", [])]
    for definition in definitions:
        cls = models.get(definition.get("title", ""))
        if cls is None:
            continue
        notes = _field_docstrings(cls)
        for name, prop in definition.get("properties", {}).items():
            if name in notes and "description" not in prop:
                prop["description"] = notes[name]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """``root`` and every model class its fields use, however deeply nested."""
    found: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found:
                found.append(annotation)
                for field in annotation.model_fields.values():
                    visit(field.annotation)
            return
        for argument in typing.get_args(annotation):
            visit(argument)

    visit(root)
    return found


def _field_docstrings(cls: type[BaseModel]) -> dict[str, str]:
    """The docstring written under each field of ``cls`` (and of the model classes it extends)."""
    notes: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        module = sys.modules.get(getattr(klass, "__module__", ""))
        if module is not None and klass.__qualname__ in _module_docstrings(module.__name__):
            notes.update(_module_docstrings(module.__name__)[klass.__qualname__])
    return notes


@functools.cache
def _module_docstrings(module_name: str) -> dict[str, dict[str, str]]:
    """For every class of a module: its fields' docstrings, from one parse of the source."""
    import ast  # here: only the JSON Schema needs it

    try:
        tree = ast.parse(inspect.getsource(sys.modules[module_name]))
    except (OSError, TypeError):  # no source at hand (a frozen application)
        return {}
    classes: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        notes: dict[str, str] = {}
        for statement, following in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                notes[statement.target.id] = inspect.cleandoc(following.value.value)
        classes[node.name] = notes
    return classes


MAX_DEPTH = 40
"""How deeply sections, lists and mappings of a data file may nest (an agreement needs 8)."""
MAX_NODES = 200_000
"""How many values a data file may hold once YAML aliases are expanded (an agreement has some
hundreds); a billion-laughs alias bomb is refused before it is built."""
MAX_TEXT = 20_000_000
"""How many characters of text a data file may hold once YAML aliases are expanded."""
MAX_NUMBER_DIGITS = 30
"""The largest power of ten a number in a data file may have (``1e400`` is refused)."""


def _parse(text: str, format: Format, source: str) -> Any:
    if format == "json":
        import json  # here: reading YAML, a command does not import it

        try:
            data = json.loads(text, parse_float=Decimal, parse_constant=Decimal)
        except json.JSONDecodeError as exc:
            raise AgreementFileError(
                Message("not valid JSON: {problem}", problem=exc.msg),
                path=source,
                line=exc.lineno,
                column=exc.colno,
            ) from exc
        except RecursionError as exc:
            raise AgreementFileError(
                Message("nested more than {limit} levels deep (the limit)", limit=MAX_DEPTH),
                path=source,
            ) from exc
        except ValueError as exc:  # an integer of more digits than Python converts
            raise AgreementFileError(
                Message("not valid JSON: {problem}", problem=exc), path=source
            ) from exc
        _check_values(data, source)
        return data
    return bounded_yaml(text, source=source, loader=_Loader)


def bounded_yaml(text: str, *, source: str, loader: type[yaml.SafeLoader] = _SafeLoader) -> Any:
    """The YAML document ``text`` read with ``loader`` (a safe loader), refused with an
    ``AgreementFileError`` naming the limit when it nests deeper than ``MAX_DEPTH``, expands
    (through aliases) beyond ``MAX_NODES`` values or ``MAX_TEXT`` characters, or holds a
    number no contract has (infinity, not-a-number, ``1e400``). The checks run on the parsed
    nodes, before a single value is built."""
    reader = loader(text)
    try:
        node = reader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, source)
        data = reader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problem = exc.problem or "syntax error"
        raise AgreementFileError(
            Message("not valid YAML: {problem}", problem=yaml_problem(problem)),
            path=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from exc
    except yaml.YAMLError as exc:
        raise AgreementFileError(
            Message("not valid YAML: {problem}", problem=exc), path=source
        ) from exc
    except (ValueError, RecursionError) as exc:  # an integer of more digits than Python converts
        raise AgreementFileError(
            Message("not valid YAML: {problem}", problem=exc), path=source
        ) from exc
    finally:
        reader.dispose()
    _check_values(data, source)
    return data


def _check_nodes(root: yaml.Node, source: str) -> None:
    """Refuse a YAML document nested deeper than ``MAX_DEPTH`` or holding more than
    ``MAX_NODES`` values or ``MAX_TEXT`` characters once its aliases are expanded, before
    anything is built from it.

    Each node's expanded size is counted once (an alias reuses the count), so a bomb of nine
    levels of ten aliases each costs nine steps here, not a billion.
    """
    sizes: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()
    # A node comes off the stack twice: first to be checked and its children pushed, then,
    # with its children's list, to be counted once they are.
    stack: list[tuple[yaml.Node, int, list[yaml.Node] | None]] = [(root, 1, None)]
    while stack:
        node, depth, children = stack.pop()
        key = id(node)
        if children is not None:
            open_nodes.discard(key)
            count, text = 1, 0
            for child in children:
                size = sizes[id(child)]
                count += size[0]
                text += size[1]
            sizes[key] = (count, text)
            if count > MAX_NODES or text > MAX_TEXT:
                _too_big(node, source)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise AgreementFileError(
                Message("an alias (*name) refers to the mapping or list it is in"),
                path=source,
                line=node.start_mark.line + 1,
            )
        if depth > MAX_DEPTH:
            raise AgreementFileError(
                Message("nested more than {limit} levels deep (the limit)", limit=MAX_DEPTH),
                path=source,
                line=node.start_mark.line + 1,
            )
        if isinstance(node, yaml.ScalarNode):  # most nodes: counted at once
            sizes[key] = (1, len(node.value))
            if len(node.value) > MAX_TEXT:
                _too_big(node, source)
            continue
        open_nodes.add(key)
        children = _children(node)
        stack.append((node, depth, children))
        stack += [(child, depth + 1, None) for child in children if id(child) not in sizes]


def _too_big(node: yaml.Node, source: str) -> None:
    raise AgreementFileError(
        Message(
            "holds more than {values} values or {millions} million characters once "
            "its aliases (*name) are expanded (the limit)",
            values=MAX_NODES,
            millions=MAX_TEXT // 1_000_000,
        ),
        path=source,
        line=node.start_mark.line + 1,
    )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [each for pair in node.value for each in pair]
    return []


def _check_values(data: Any, source: str) -> None:
    """Refuse data nested deeper than ``MAX_DEPTH`` and numbers no contract has: infinity,
    not-a-number, or beyond ``MAX_NUMBER_DIGITS`` digits (``1e400``); the message names the
    field."""
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict | list) and len(path) >= MAX_DEPTH:
            raise AgreementFileError(
                Message(
                    "{field}: nested more than {limit} levels deep (the limit)",
                    field=field_path(path),
                    limit=MAX_DEPTH,
                ),
                path=source,
            )
        if isinstance(value, dict):
            stack += [(v, (*path, str(k))) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, (*path, i)) for i, v in enumerate(value)]
        elif isinstance(value, Decimal) and not _usable_number(value):
            raise AgreementFileError(
                Message(
                    "{field}: {value} is not a usable number (infinity, not-a-number and "
                    "numbers beyond {digits} digits are refused)",
                    field=field_path(path) or Message(TOP_LEVEL),
                    value=value,
                    digits=MAX_NUMBER_DIGITS,
                ),
                path=source,
            )
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) >= 10**MAX_NUMBER_DIGITS
        ):
            raise AgreementFileError(
                Message(
                    "{field}: the number has more than {digits} digits (the limit)",
                    field=field_path(path) or Message(TOP_LEVEL),
                    digits=MAX_NUMBER_DIGITS,
                ),
                path=source,
            )


def _usable_number(value: Decimal) -> bool:
    return value.is_finite() and -MAX_NUMBER_DIGITS <= value.adjusted() <= MAX_NUMBER_DIGITS


def validation_messages(error: ValidationError, source: str | None = None) -> list[str]:
    """One line per problem of ``error``, each naming its field path and the error code:
    ``parties[2].org_number: … [org_number_checksum]``, prefixed with ``source`` when given."""
    return problem_lines(error, source)


# --- Migrating a file's text ----------------------------------------------------------------------


class MigratedText(NamedTuple):
    """An agreement file's text at the current schema version. (A named tuple rather than a
    frozen dataclass: it is made in a fifth of the time, which every cold command pays.)"""

    text: str
    from_version: int
    """The schema version the file was written for."""
    changes: tuple[str, ...]
    """One sentence per change made; empty when only ``schema_version`` was set or nothing."""


def migrate_text(text: str, *, format: Format = "yaml", source: str = "<string>") -> MigratedText:
    """An agreement file's text brought to the current schema version (unchanged when it already
    is). YAML is rewritten in place, key by key, so its comments, order and quoting stay as the
    user wrote them; JSON is written again with two-space indents. The result is not validated:
    ``parse_agreement`` it to check the data.
    """
    data = _mapping(text, format, source)
    version = file_version(data)
    migrated, changes = migrate_data(data)
    if migrated is data:
        return MigratedText(text, version, ())
    if format == "json":
        return MigratedText(_json_text(migrated), version, tuple(changes))
    return MigratedText(_yaml_migrated(text, version, source), version, tuple(changes))


def _json_text(data: dict[str, Any]) -> str:
    """``data`` as JSON with every Decimal written as the number it is, not as a float."""
    numbers: list[str] = []

    def placeholders(value: Any) -> Any:
        if isinstance(value, Decimal):
            numbers.append(str(value))
            return f"\x00{len(numbers) - 1}\x00"
        if isinstance(value, dict):
            return {k: placeholders(v) for k, v in value.items()}
        if isinstance(value, list):
            return [placeholders(v) for v in value]
        return value

    import json

    text = json.dumps(placeholders(data), ensure_ascii=False, indent=2) + "\n"
    for index, number in enumerate(numbers):
        text = text.replace(f'"\\u0000{index}\\u0000"', number)
    return text


def _yaml_migrated(text: str, version: int, source: str) -> str:
    """The YAML ``text`` with every renamed key renamed where it stands and ``schema_version``
    set, nothing else touched."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise AgreementFileError(
            Message("not valid YAML: {problem}", problem=exc), path=source
        ) from exc
    if not isinstance(root, yaml.MappingNode) or not root.value:
        raise AgreementFileError(
            Message("the top level must be a mapping of sections"), path=source
        )
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(mark: Any) -> int:
        return int(starts[mark.line] + mark.column)

    edits: list[tuple[int, int, str]] = []
    for rename in RENAMES:
        if rename.to_version <= version:
            continue
        for mapping in _nodes_at(root, rename.path):
            keys = [k.value for k, _ in mapping.value if isinstance(k, yaml.ScalarNode)]
            if rename.new in keys:
                continue
            for key, _ in mapping.value:
                if isinstance(key, yaml.ScalarNode) and key.value == rename.old:
                    edits.append((offset(key.start_mark), offset(key.end_mark), rename.new))
    stated = [
        (k, v)
        for k, v in root.value
        if isinstance(k, yaml.ScalarNode) and k.value == "schema_version"
    ]
    if stated:
        value = stated[0][1]
        edits.append((offset(value.start_mark), offset(value.end_mark), str(SCHEMA_VERSION)))
    else:
        first = root.value[0][0]
        line = f"schema_version: {SCHEMA_VERSION}"
        at = offset(first.start_mark)
        edits.append((at, at, f"{line}, " if root.flow_style else f"{line}\n"))
    for begin, end, replacement in sorted(edits, reverse=True):
        text = text[:begin] + replacement + text[end:]
    return text


def _nodes_at(node: yaml.Node, path: tuple[str, ...]) -> Iterator[yaml.MappingNode]:
    if not path:
        if isinstance(node, yaml.MappingNode):
            yield node
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from _nodes_at(item, rest)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == head:
                yield from _nodes_at(value, rest)
