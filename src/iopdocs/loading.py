"""Reading agreements from YAML or JSON, writing them back, and the JSON Schema.

The parsers are set up so nothing the user wrote is lost or changed on the way in: decimals are read
as ``Decimal`` (never float), and a key written twice in one mapping is an error, not a silent
overwrite.
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
import os
import sys
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from iopdocs.errors import AgreementFileError
from iopdocs.i18n import N_
from iopdocs.model import Agreement, AnnualReport
from iopdocs.problems import problem_lines, with_references

__all__ = [
    "agreement_schema",
    "dump_agreement",
    "load_agreement",
    "load_report",
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
    text = str(loader.construct_scalar(node)).replace("_", "")
    return Decimal(text)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found the key {key!r} twice",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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
    data = _mapping(text, format, source)
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
    return AnnualReport.model_validate(_mapping(text, format, source))


def load_report(path: str | os.PathLike[str]) -> AnnualReport:
    """Read and validate a filled-in annual report file (``.yaml``, ``.yml`` or ``.json``)."""
    text, format = _read(path)
    return parse_report(text, format=format, source=os.fspath(path))


def _read(path: str | os.PathLike[str]) -> tuple[str, Format]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise AgreementFileError(N_("no such file"), path=str(file)) from exc
    except IsADirectoryError as exc:
        raise AgreementFileError(N_("is a directory, not a data file"), path=str(file)) from exc
    except UnicodeDecodeError as exc:
        raise AgreementFileError(N_("is not UTF-8 text"), path=str(file)) from exc
    except OSError as exc:
        raise AgreementFileError(exc.strerror or str(exc), path=str(file)) from exc
    return text, ("json" if file.suffix.lower() == ".json" else "yaml")


def _mapping(text: str, format: Format, source: str) -> dict[str, Any]:
    data = _parse(text, format, source)
    if not isinstance(data, dict):
        raise AgreementFileError(
            f"the top level must be a mapping of sections, not {type(data).__name__}", path=source
        )
    return data


def dump_agreement(agreement: Agreement, *, format: Format = "yaml") -> str:
    """The agreement as YAML or JSON text that ``parse_agreement`` reads back to an equal model."""
    data = agreement.model_dump(mode="json", exclude_none=True)
    if format == "json":
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


def _parse(text: str, format: Format, source: str) -> Any:
    if format == "json":
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise AgreementFileError(
                f"not valid JSON: {exc.msg}", path=source, line=exc.lineno, column=exc.colno
            ) from exc
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problem = exc.problem or "syntax error"
        raise AgreementFileError(
            f"not valid YAML: {problem}",
            path=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from exc
    except yaml.YAMLError as exc:
        raise AgreementFileError(f"not valid YAML: {exc}", path=source) from exc


def validation_messages(error: ValidationError, source: str | None = None) -> list[str]:
    """One line per problem of ``error``, each naming its field path and the error code:
    ``parties[2].org_number: … [org_number_checksum]``, prefixed with ``source`` when given."""
    return problem_lines(error, source)
