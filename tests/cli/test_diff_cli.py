"""``iopdocs diff OLD NEW``: the change list, exit status as diff(1), and the redline file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import yaml

from iopdocs.cli import main
from tests.conftest import FLAGSHIP, ROOT

SECOND = ROOT / "examples" / "vgr-social-ekonomi-2024-v2.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_no_changes_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, stderr = run(capsys, "diff", str(FLAGSHIP), str(FLAGSHIP))
    assert (code, stderr) == (0, "")
    assert stdout == f"No changes: {FLAGSHIP} and {FLAGSHIP} describe the same agreement.\n"


def test_changes_exit_1_with_one_swedish_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, stderr = run(capsys, "diff", str(FLAGSHIP), str(SECOND))
    assert (code, stderr) == (1, "")
    lines = stdout.splitlines()
    assert "Avtalsperiodens slutdatum: 2025-12-31 → 2026-12-31" in lines
    assert (
        "Bidrag från VGR › Medelsrad ”Partnerskapsbidrag till plattformarna” › Belopp: "
        "300 000 kr → 320 000 kr"
    ) in lines
    assert stdout == (ROOT / "tests" / "golden" / "diff-vgr-social-ekonomi-2024-v2.txt").read_text(
        encoding="utf-8"
    )


def test_json_lists_every_change_with_its_path_and_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(capsys, "diff", str(FLAGSHIP), str(SECOND), "--format", "json")
    assert code == 1
    document = json.loads(stdout)
    assert (document["old"], document["new"]) == (str(FLAGSHIP), str(SECOND))
    end = next(c for c in document["changes"] if c["path"] == "period.end")
    assert end == {
        "path": "period.end",
        "label": "Avtalsperiodens slutdatum",
        "kind": "ändrad",
        "old": "2025-12-31",
        "new": "2026-12-31",
        "excerpt": None,
        "computed": False,
    }
    assert any(c["computed"] for c in document["changes"])


def test_json_of_no_changes_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(capsys, "diff", str(FLAGSHIP), str(FLAGSHIP), "--format", "json")
    assert code == 0
    assert json.loads(stdout)["changes"] == []


def test_markdown_strikes_deleted_words_and_bolds_inserted_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, stdout, _ = run(capsys, "diff", str(FLAGSHIP), str(SECOND), "--format", "md")
    assert code == 1
    assert stdout.startswith(f"# Ändringar från {FLAGSHIP} till {SECOND}\n\n- ")
    assert (
        "- Gemensam samhällsutmaning: … till exempel genom sociala innovationer**, kooperativ**"
        in (stdout)
    )


def test_redline_writes_the_new_contract_with_tracked_changes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "andringar.docx"
    code, stdout, stderr = run(capsys, "diff", str(FLAGSHIP), str(SECOND), "--redline", str(out))
    assert code == 1
    assert "Avtalsperiodens slutdatum" in stdout
    assert stderr == f"wrote {out}\n"
    with zipfile.ZipFile(out) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "<w:ins " in body
    assert "<w:del " in body


def test_bad_input_exits_2_names_the_file_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, minimal_data: dict[str, object]
) -> None:
    broken = tmp_path / "fel.yaml"
    minimal_data["period"] = {"start": "2025-01-01", "end": "2024-12-31"}
    broken.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "andringar.docx"
    code, stdout, stderr = run(capsys, "diff", str(FLAGSHIP), str(broken), "--redline", str(out))
    assert (code, stdout) == (2, "")
    assert stderr.startswith(f"error: {broken}: period.end: ")
    assert not out.exists()
    code, _, stderr = run(capsys, "diff", str(tmp_path / "saknas.yaml"), str(FLAGSHIP))
    assert code == 2
    assert "saknas.yaml" in stderr
