"""Files that outlive the format: a file of an earlier schema version loads through a documented
migration with a warning naming each change, `iopdocs migrate` rewrites it keeping its comments,
and a user's template naming a renamed field gets a lint message with the new name."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from pydantic import ValidationError

from iopdocs import lint_template, load_agreement, parse_agreement, payment_schedule
from iopdocs.cli import main
from iopdocs.loading import migrate_text
from iopdocs.model.migration import SCHEMA_VERSION, SchemaMigrationWarning
from tests.conftest import ROOT
from tests.wordxml import para, word_template

EXAMPLE = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"


def version_1_text() -> str:
    """The läxhjälp example as version 1 wrote it: no schema_version, ``payment_day``."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "schema_version: 2\n" in text
    assert "pay_on_day: 10" in text
    return text.replace("schema_version: 2\n", "").replace("pay_on_day: 10", "payment_day: 10")


def test_a_version_1_file_loads_with_a_warning_naming_the_renamed_key() -> None:
    with pytest.warns(SchemaMigrationWarning) as caught:
        old = parse_agreement(version_1_text(), source="gammal.yaml")
    messages = [str(w.message) for w in caught]
    assert messages == [
        "gammal.yaml: contributions[1].money[0].payment_day is now pay_on_day (schema version 2)"
        "; 'iopdocs migrate' rewrites the file"
    ]
    new = load_agreement(EXAMPLE)
    assert old == new
    assert payment_schedule(old) == payment_schedule(new)


def test_a_current_file_loads_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_agreement(EXAMPLE).schema_version == SCHEMA_VERSION


def test_migrate_rewrites_the_key_where_it_stands_and_keeps_every_comment() -> None:
    old = version_1_text()
    result = migrate_text(old)
    assert result.from_version == 1
    assert result.text == EXAMPLE.read_text(encoding="utf-8").replace(
        "schema_version: 2\n", ""
    ).replace("metadata:", "schema_version: 2\nmetadata:", 1)
    assert [line for line in old.splitlines() if line.lstrip().startswith("#")] == [
        line for line in result.text.splitlines() if line.lstrip().startswith("#")
    ]


def test_migrate_on_json_keeps_every_number_exact() -> None:
    text = (
        '{"metadata": {"title": "T"}, "contributions": [{"parties": ["EK"], "money": '
        '[{"amount": 120000.50, "payment_day": 25, "recipients": ["LF"]}]}]}'
    )
    result = migrate_text(text, format="json")
    assert '"pay_on_day": 25' in result.text
    assert '"amount": 120000.50' in result.text
    assert result.text.startswith('{\n  "schema_version": 2,')


def test_the_migrate_command_rewrites_a_file_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "avtal.yaml"
    path.write_text(version_1_text(), encoding="utf-8")
    assert main(["migrate", str(path)]) == 0
    assert "from schema version 1 to 2" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8").count("pay_on_day: 10") == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_agreement(path)
    assert main(["migrate", str(path)]) == 0
    assert "already at schema version 2" in capsys.readouterr().out


def test_a_command_reading_an_old_file_prints_the_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "avtal.yaml"
    path.write_text(version_1_text(), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert "warning: " in err
    assert "payment_day is now pay_on_day" in err


def test_an_invalid_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "avtal.yaml"
    broken = version_1_text().replace("payment_day: 10", "payment_day: 40")
    path.write_text(broken, encoding="utf-8")
    assert main(["migrate", str(path)]) == 2
    assert path.read_text(encoding="utf-8") == broken


def test_a_newer_file_is_refused_with_its_own_code() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("schema_version: 2", "schema_version: 9")
    with pytest.raises(ValidationError) as caught:
        parse_agreement(text)
    assert [e["type"] for e in caught.value.errors()] == ["schema_version_newer"]


def test_a_template_naming_a_renamed_field_is_told_the_new_name() -> None:
    template = word_template(
        para("{%p for m in doc.money_lines %}"),
        para("Betalas den {{ m.payment_day }}."),
        para("{%p endfor %}"),
    )
    problems = lint_template(template)
    assert [p.code for p in problems] == ["renamed-field"]
    assert "m.payment_day was renamed pay_on_day in schema version 2" in problems[0].message
