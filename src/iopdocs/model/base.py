"""The base every model class shares: unknown keys are errors, text is stripped."""

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

__all__ = ["StrictModel", "TextOrModel", "empty_dict", "empty_list", "made"]

_Model = TypeVar("_Model", bound=BaseModel)


# A field's default factory is a plain function of no arguments. pydantic asks every factory for
# its signature when it builds the validator (does it take the data validated so far?); for a
# builtin such as ``list`` Python answers by parsing a text signature, for a model class by
# working out the class's own signature, together some 6-10 ms of a cold ``iopdocs validate``,
# and a function of ours answers at once. The default is the same object either way.


def empty_list() -> list[Any]:
    """A new empty list: the default of a list field."""
    return []


def empty_dict() -> dict[Any, Any]:
    """A new empty mapping: the default of a mapping field."""
    return {}


def made(model: type[_Model]) -> Callable[[], _Model]:
    """The default factory of a section that may be left out: ``model`` with its own
    defaults."""

    def default() -> _Model:
        return model()

    default.__qualname__ = f"made({model.__name__})"
    return default


class StrictModel(BaseModel):
    """A frozen-shape model: an unknown or misspelt key is an error, never silently dropped.

    Fields are documented by the docstring under each of them. pydantic could read those when
    each class is made (``use_attribute_docstrings``), but that parses the module's source once
    per class and made ``import iopdocs`` about 120 ms slower; the JSON Schema reads them
    instead, once per module, when it is asked for (``iopdocs.loading.agreement_schema``).

    The model's modules do not use ``from __future__ import annotations``: with it, every
    field's annotation is a string that pydantic compiles and evaluates when the class is made
    and again when the validator is built, some 20 ms of a cold ``iopdocs validate``. A method
    returning its own class names it in quotes instead.
    """

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        validate_default=True,
        defer_build=True,
    )


class TextOrModel(StrictModel):
    """A model that may also be written as one string (see each subclass's before-validator).

    Its JSON Schema says so, so that editors accept the short form too.
    """

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema: dict[str, Any] = handler(core_schema)
        return {"anyOf": [schema, {"type": "string"}]}
