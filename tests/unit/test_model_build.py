"""The model's classes are cheap to build in a new process (issue 14): their annotations are
objects, not strings pydantic would have to compile and evaluate (``from __future__ import
annotations`` is not used in ``iopdocs/model``), and building them changes nothing of the JSON
Schema (``docs/reference.py --check`` and the golden tests hold that)."""

from __future__ import annotations

import inspect
import subprocess
import sys
import types

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


def test_every_default_factory_is_a_function_of_ours_that_makes_a_new_default() -> None:
    """pydantic asks each default factory for its signature when it builds the validator; a
    builtin such as ``list`` answers by having its text signature parsed and a model class by
    having its signature worked out (some 6-10 ms of a cold ``validate``), so the model's
    factories are plain functions of no parameters. Each call still makes a new, equal default:
    an empty list or mapping, or the section with its own defaults."""
    factories = 0
    for model in model_classes():
        for name, field in model.model_fields.items():
            factory = field.default_factory
            if factory is None:
                continue
            factories += 1
            where = f"{model.__qualname__}.{name}"
            assert isinstance(factory, types.FunctionType), where
            assert not inspect.signature(factory).parameters, where
            first, second = factory(), factory()  # type: ignore[call-arg]
            assert first == second, where
            assert first is not second, where
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
                assert first == annotation(), where
            else:
                assert first in ([], {}), where
    assert factories > 20


def test_the_annual_reports_classes_are_built_on_first_use() -> None:
    """``import iopdocs.model`` (and reading an agreement) does not build the annual report's
    classes; asking ``iopdocs.model`` for one of them does, and ``dir`` lists them all along."""
    code = (
        "import sys, iopdocs.model, iopdocs.loading\n"
        "assert 'iopdocs.model.report' not in sys.modules\n"
        "assert 'AnnualReport' in dir(iopdocs.model)\n"
        "from iopdocs.model import AnnualReport, CostRow\n"
        "from iopdocs.model.report import AnnualReport as Same\n"
        "assert AnnualReport is Same and CostRow.__module__ == 'iopdocs.model.report'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert set(iopdocs.model.__all__) <= set(dir(iopdocs.model))
    # The lazily offered names are the report module's own, every one of them.
    from iopdocs.model import report

    for name in report.__all__:
        assert name in iopdocs.model.__all__, name
        assert getattr(iopdocs.model, name) is getattr(report, name), name
