"""The iopdocs command: exit codes, messages, and nothing written on bad input."""

from __future__ import annotations

import json
import os
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
        f"error: {bad_agreement}: parties[0].signatories: should not be empty [too_short]"
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


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    # `iopdocs schema | head -1`: the pipe closes before the schema is written.
    script = shutil.which("iopdocs", path=str(Path(sys.executable).parent))
    assert script is not None
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([script, "schema"], stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert done.stderr == b""
    assert done.returncode == 141


LAXHJALP = FLAGSHIP.parent / "laxhjalp-exempelkommunen-2026.yaml"


def test_schedule_prints_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(capsys, "schedule", str(FLAGSHIP))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].split() == ["Datum", "Betalare", "Mottagare", "Medelsrad", "Belopp"]
    assert lines[2].split() == ["2024-08-01", "VGR", "GSE", "Partnerskapsbidrag", "till",
                                "plattformarna", "25", "000", "kr"]  # fmt: skip
    assert sum(1 for line in lines if "Partnerskapsbidrag" in line and "kr" in line) == 68 + 1
    assert lines[-1] == "Totalt  1 700 000 kr"


def test_schedule_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(capsys, "schedule", str(FLAGSHIP), "--csv")
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0] == "date,payer,recipient,line,amount"
    assert lines[1] == "2024-08-01,VGR,GSE,Partnerskapsbidrag till plattformarna,25000"
    assert len(lines) == 1 + 68
    assert sum(int(line.rsplit(",", 1)[1]) for line in lines[1:]) == 1_700_000


def test_schedule_golden(capsys: pytest.CaptureFixture[str]) -> None:
    """The schedule of the second example, as a reviewer reads it."""
    import os

    code, stdout, _ = run(capsys, "schedule", str(LAXHJALP))
    assert code == 0
    golden = FLAGSHIP.parent.parent / "tests" / "golden" / "schedule-laxhjalp-2026.txt"
    if os.environ.get("IOPDOCS_UPDATE_GOLDEN"):
        golden.write_text(stdout, encoding="utf-8")
    assert stdout == golden.read_text(encoding="utf-8")


def test_report_writes_a_skeleton(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "rapport.docx"
    code, _, stderr = run(
        capsys, "report", str(FLAGSHIP), "--year", "2025", "--party", "SENS", "-o", str(out)
    )
    assert (code, stderr) == (0, "")
    assert zipfile.is_zipfile(out)


def test_report_from_filled_in_data(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.unit.test_annual_report import FILLED

    data = tmp_path / "rapport.yaml"
    data.write_text(yaml.safe_dump(FILLED, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "rapport.docx"
    argv = ["report", str(LAXHJALP), "--year", "2026", "--party", "LF", "--data", str(data)]
    code, _, stderr = run(capsys, *argv, "-o", str(out))
    assert (code, stderr) == (0, "")
    bad = {**FILLED, "accounts": [{"line": "Okänd", "costs": []}]}
    data.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    out.unlink()
    code, _, stderr = run(capsys, *argv, "-o", str(out))
    assert code == 2
    assert stderr.startswith(f"error: {data}: accounts[0].line: the agreement has no money line")
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--year", "2026"], "2026 is outside the agreement period"),
        (["--year", "2025", "--party", "VGR"], "'VGR' does not write annual reports"),
    ],
)
def test_report_refuses_what_the_agreement_does_not_hold(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    out = tmp_path / "rapport.docx"
    code, _, stderr = run(capsys, "report", str(FLAGSHIP), *argv, "-o", str(out))
    assert code == 2
    assert message in stderr
    assert list(tmp_path.iterdir()) == []


def test_validate_names_a_frequency_the_period_cannot_hold(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, minimal_data: dict[str, Any]
) -> None:
    minimal_data["period"] = {"start": "2025-01-01", "end": "2025-03-31"}
    minimal_data["contributions"][1]["money"][0]["frequency"] = "half_yearly"
    path = tmp_path / "kort.yaml"
    path.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), encoding="utf-8")
    code, _, stderr = run(capsys, "schedule", str(path))
    assert code == 2
    assert stderr.startswith(f"error: {path}: contributions[1].money[0].frequency: ")
    assert "[frequency_too_long]" in stderr
