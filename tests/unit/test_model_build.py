"""The model's classes are cheap to build in a new process (issue 14): their annotations are
objects, not strings pydantic would have to compile and evaluate (``from __future__ import
annotations`` is not used in ``iopdocs/model``), and building them changes nothing of the JSON
Schema (``docs/reference.py --check`` and the golden tests hold that)."""

from __future__ import annotations

import inspect

import pydantic

import iopdocs.model
from iopdocs.model import base


def model_classes() -> list[type[pydantic.BaseModel]]:
    found = []
    for module in (iopdocs.model, base):
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, pydantic.BaseModel):
                found.append(value)
    return found


def test_no_field_of_the_model_is_annotated_with_a_string() -> None:
    classes = model_classes()
    assert len(classes) > 20
    for model in classes:
        for klass in model.__mro__:
            if klass.__module__.startswith("iopdocs.model"):
                notes = vars(klass).get("__annotations__", {})
                strings = {name: note for name, note in notes.items() if isinstance(note, str)}
                assert not strings, f"{klass.__qualname__}: {strings}"
