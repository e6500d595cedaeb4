"""Reading agreements from YAML and JSON, writing them back, and the JSON Schema."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from iopdocs import (
    Agreement,
    AgreementFileError,
    agreement_schema,
    dump_agreement,
    load_agreement,
    parse_agreement,
)


def test_yaml_round_trip_gives_an_equal_agreement(flagship: Agreement) -> None:
    assert parse_agreement(dump_agreement(flagship)) == flagship


def test_json_round_trip_gives_an_equal_agreement(flagship: Agreement, tmp_path: Path) -> None:
    path = tmp_path / "avtal.json"
    path.write_text(dump_agreement(flagship, format="json"), encoding="utf-8")
    assert load_agreement(path) == flagship


def test_yaml_decimals_are_read_exactly(minimal_data: dict[str, Any]) -> None:
    minimal_data["contributions"][0]["in_kind"] = [{"text": "Lokal", "value": "VALUE"}]
    text = yaml.safe_dump(minimal_data, allow_unicode=True).replace("VALUE", "12500.10")
    agreement = parse_agreement(text)
    assert agreement.contributions[0].in_kind[0].value == Decimal("12500.10")


def test_json_decimals_are_read_exactly(minimal_data: dict[str, Any]) -> None:
    minimal_data["contributions"][0]["in_kind"] = [{"text": "Lokal", "value": "VALUE"}]
    text = json.dumps(minimal_data).replace('"VALUE"', "12500.10")
    agreement = parse_agreement(text, format="json")
    assert agreement.contributions[0].in_kind[0].value == Decimal("12500.10")


def test_a_key_written_twice_is_an_error_not_an_overwrite() -> None:
    with pytest.raises(AgreementFileError) as info:
        parse_agreement("metadata:\n  title: A\n  title: B\n", source="avtal.yaml")
    assert "found the key 'title' twice" in str(info.value)
    assert info.value.line == 3


def test_broken_yaml_reports_file_line_and_column() -> None:
    with pytest.raises(AgreementFileError) as info:
        parse_agreement("metadata:\n  title: [A\nperiod: x\n", source="avtal.yaml")
    assert str(info.value).startswith("avtal.yaml:3:")
    assert "not valid YAML" in str(info.value)


def test_broken_json_reports_file_line_and_column() -> None:
    with pytest.raises(AgreementFileError) as info:
        parse_agreement('{"metadata": }', format="json", source="avtal.json")
    assert str(info.value).startswith("avtal.json:1:14: not valid JSON")


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", ""])
def test_the_top_level_must_be_a_mapping(text: str) -> None:
    with pytest.raises(AgreementFileError, match="top level must be a mapping"):
        parse_agreement(text)


def test_a_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "saknas.yaml"
    with pytest.raises(AgreementFileError) as info:
        load_agreement(missing)
    assert str(info.value) == f"{missing}: no such file"


def test_invalid_data_raises_pydantics_validation_error() -> None:
    with pytest.raises(ValidationError):
        parse_agreement("metadata: {title: X}\n")


@pytest.mark.parametrize("written", ["2024-02-30", "2024-13-01", "2024-06-01 25:00:00"])
def test_a_date_that_does_not_exist_is_a_field_error_among_the_others(
    minimal_data: dict[str, Any], written: str
) -> None:
    """An unquoted date YAML cannot build (30 February) does not fail the whole file before the
    model has looked at it: it reaches the model as written and is refused at its field, in the
    same round as the file's other problems."""
    minimal_data["metadata"]["date"] = "DATE"
    minimal_data["parties"][0]["org_number"] = "ORGNR"
    text = yaml.safe_dump(minimal_data, allow_unicode=True)
    text = text.replace("DATE", written).replace("ORGNR", "123")
    assert f"date: {written}\n" in text  # unquoted: YAML's timestamp pattern matches it
    with pytest.raises(ValidationError) as info:
        parse_agreement(text, source="avtal.yaml")
    places = {".".join(map(str, error["loc"])): error["input"] for error in info.value.errors()}
    assert places["metadata.date"] == written
    assert "parties.0.org_number" in places


def test_the_json_schema_describes_every_section() -> None:
    schema = agreement_schema()
    assert schema["title"] == "Agreement"
    assert list(schema["properties"]) == list(Agreement.model_fields)
    assert schema["additionalProperties"] is False
    json.dumps(schema)  # serialisable as it stands


@pytest.mark.parametrize(
    "path",
    [
        "examples/vgr-social-ekonomi-2024.yaml",
        "examples/laxhjalp-exempelkommunen-2026.yaml",
        "src/iopdocs/starter.yaml",
    ],
)
def test_the_examples_satisfy_the_json_schema_editors_use(path: str) -> None:
    """Short forms ("15 februari", an in-kind item as plain text) are allowed by the schema too."""
    import jsonschema

    from tests.conftest import ROOT

    data = json.loads(json.dumps(yaml.safe_load((ROOT / path).read_text("utf-8")), default=str))
    jsonschema.validate(data, agreement_schema())
