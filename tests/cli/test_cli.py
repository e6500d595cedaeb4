"""The iopdocs command: exit codes, messages, and nothing written on bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopdocs import load_agreement
from iopdocs.cli import main
from tests.conftest import FLAGSHIP


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def bad_agreement(tmp_path: Path, minimal_data: dict[str, Any]) -> Path:
    minimal_data["parties"][1]["org_number"] = "802418-4735"
    minimal_data["period"]["end"] = "2024-12-31"
    minimal_data["parties"][0]["signatories"] = []
    path = tmp_path / "fel.yaml"
    path.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), encoding="utf-8")
    return path


def test_render_writes_the_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "avtal.docx"
    code, stdout, stderr = run(capsys, "render", str(FLAGSHIP), "-o", str(out))
    assert (code, stderr) == (0, "")
    assert stdout == f"wrote {out}\n"
    assert zipfile.is_zipfile(out)


def test_validate_reports_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(capsys, "validate", str(FLAGSHIP))
    assert code == 0
    assert stdout.startswith(f"ok: {FLAGSHIP}: ")
    assert "(5 parties, 2024-08-01 – 2025-12-31)" in stdout


def test_invalid_data_gives_one_line_per_problem_naming_the_field(
    capsys: pytest.CaptureFixture[str], bad_agreement: Path, tmp_path: Path
) -> None:
    out = tmp_path / "avtal.docx"
    code, stdout, stderr = run(capsys, "render", str(bad_agreement), "-o", str(out))
    assert code == 2
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 3
    assert lines[0] == (
        f"error: {bad_agreement}: parties[0].signatories: "
        "List should have at least 1 item after validation, not 0 [too_short]"
    )
    assert lines[1].startswith(f"error: {bad_agreement}: parties[1].org_number: ")
    assert "'802418-4735'" in lines[1]
    assert "[org_number_checksum]" in lines[1]
    assert lines[2].startswith(f"error: {bad_agreement}: period.end: ")
    assert not out.exists()


def test_bad_input_leaves_an_existing_output_untouched(
    capsys: pytest.CaptureFixture[str], bad_agreement: Path, tmp_path: Path
) -> None:
    out = tmp_path / "avtal.docx"
    out.write_bytes(b"the earlier contract")
    code, _, _ = run(capsys, "render", str(bad_agreement), "-o", str(out))
    assert code == 2
    assert out.read_bytes() == b"the earlier contract"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["avtal.docx", "fel.yaml"]


def test_validate_reports_invalid_data(
    capsys: pytest.CaptureFixture[str], bad_agreement: Path
) -> None:
    code, stdout, stderr = run(capsys, "validate", str(bad_agreement))
    assert (code, stdout) == (2, "")
    assert len(stderr.splitlines()) == 3


def test_a_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "saknas.yaml"
    code, _, stderr = run(capsys, "render", str(missing), "-o", str(tmp_path / "a.docx"))
    assert code == 2
    assert stderr == f"error: {missing}: no such file\n"
    assert list(tmp_path.iterdir()) == []


def test_broken_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "trasig.yaml"
    broken.write_text("metadata:\n  title: [Avtal\n", encoding="utf-8")
    code, _, stderr = run(capsys, "validate", str(broken))
    assert code == 2
    assert stderr.startswith(f"error: {broken}:3:")
    assert "not valid YAML" in stderr


def test_an_output_folder_that_does_not_exist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "saknas" / "avtal.docx"
    code, _, stderr = run(capsys, "render", str(FLAGSHIP), "-o", str(out))
    assert code == 2
    assert "does not exist" in stderr


def test_a_broken_template_shows_where(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.unit.test_render import own_template

    template = tmp_path / "mall.docx"
    template.write_bytes(own_template("Före", "{% if agreement %}aldrig stängd", "Efter"))
    out = tmp_path / "avtal.docx"
    code, _, stderr = run(
        capsys, "render", str(FLAGSHIP), "-o", str(out), "--template", str(template)
    )
    assert code == 2
    assert stderr.startswith("error: template syntax error:")
    assert "  | " in stderr
    assert not out.exists()


def test_schema_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(stdout)
    assert "parties" in schema["properties"]


def test_new_writes_a_starter_that_validates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "nytt.yaml"
    code, stdout, _ = run(capsys, "new", "-o", str(target))
    assert code == 0
    assert "iopdocs validate" in stdout
    text = target.read_text(encoding="utf-8")
    assert text.lstrip().startswith("#")  # commented for the person filling it in
    load_agreement(target)


def test_new_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "nytt.yaml"
    target.write_text("mitt arbete\n", encoding="utf-8")
    code, _, stderr = run(capsys, "new", "-o", str(target))
    assert code == 2
    assert "already exists" in stderr
    assert target.read_text(encoding="utf-8") == "mitt arbete\n"
    assert run(capsys, "new", "-o", str(target), "--force")[0] == 0


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["render"])
    assert info.value.code == 2


def test_the_console_script(tmp_path: Path) -> None:
    script = shutil.which("iopdocs", path=str(Path(sys.executable).parent))
    assert script is not None, "the iopdocs console script is not installed"
    out = tmp_path / "avtal.docx"
    done = subprocess.run(
        [script, "render", str(FLAGSHIP), "-o", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()
    done = subprocess.run([script, "validate", str(tmp_path / "x.yaml")], capture_output=True)
    assert done.returncode == 2
