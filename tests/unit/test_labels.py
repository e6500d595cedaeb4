"""Every field of the agreement model has a Swedish label, so a change list never shows a path."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from iopdocs import Agreement
from iopdocs.reviewing.labels import LABELS, label


def _inner(annotation: Any) -> tuple[list[type[BaseModel]], bool]:
    """The models inside a field's annotation, and whether the field is a list."""
    models: list[type[BaseModel]] = []
    is_list = False

    def walk(tp: Any) -> None:
        nonlocal is_list
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            walk(typing.get_args(tp)[0])
        elif origin is not None:
            is_list = is_list or origin is list
            for arg in typing.get_args(tp):
                walk(arg)
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            models.append(tp)

    if isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            walk(arg)
    else:
        walk(annotation)
    return models, is_list


def field_paths(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Every generic field path under ``model``, and ``path[]`` for each list's items."""
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        yield path
        models, is_list = _inner(info.annotation)
        if is_list:
            yield f"{path}[]"
        for inner in models:
            yield from field_paths(inner, path)


def test_every_field_of_the_model_has_a_swedish_label() -> None:
    missing = [path for path in field_paths(Agreement) if path not in LABELS]
    assert not missing, "fields without a label in reviewing/labels.py: " + ", ".join(missing)


def test_no_label_is_left_for_a_field_that_no_longer_exists() -> None:
    paths = set(field_paths(Agreement))
    assert sorted(set(LABELS) - paths) == []


def test_the_walk_sees_nested_models_and_list_items() -> None:
    paths = set(field_paths(Agreement))
    assert {"period.end", "parties[]", "parties.contacts.email"} <= paths
    assert "contributions.money.indexation.rounding" in paths  # optional model in a list item
    assert "follow_up.report_due.month" in paths


def test_a_label_reads_as_swedish_with_the_item_keys_in_place() -> None:
    assert label("period.end") == "Avtalsperiodens slutdatum"
    assert label("parties[GSE].org_number") == "Part GSE › Organisationsnummer"
    assert label("parties[GSE].contacts[Pia Svanqvist].email") == (
        "Part GSE › Kontaktperson Pia Svanqvist › E-post"
    )
    assert (
        label("mission.items[Mötesplatser för dialog]") == "Uppdragsdel ”Mötesplatser för dialog”"
    )


def test_a_position_in_brackets_counts_from_one_as_pydantic_locations_count_from_zero() -> None:
    assert label("parties[1].org_number") == "Part nr 2 › Organisationsnummer"


def test_a_path_without_a_label_comes_back_as_written() -> None:
    assert label("parties[GSE].favourite_colour") == "parties[GSE].favourite_colour"
