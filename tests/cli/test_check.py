"""`iopdocs check`: exit 0 without errors, 1 with errors, 2 for bad input; text, JSON, Markdown."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopdocs import load_agreement, review
from iopdocs.cli import main
from iopdocs.provenance import read_provenance
from iopdocs.reviewing import CHECKS
from tests.conftest import FLAGSHIP


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def with_error(tmp_path: Path, minimal_data: dict[str, Any]) -> Path:
    minimal_data["contributions"][1]["money"][0]["stated_total"] = "100 000"
    minimal_data["mission"]["text"] = "Utföraren ordnar läxhjälp | två kvällar i veckan."
    path = tmp_path / "avtal.yaml"
    path.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_flagship_passes_with_exit_0_and_one_line_per_finding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "check", str(FLAGSHIP))
    assert (code, err) == (0, "")
    findings = review(load_agreement(FLAGSHIP))
    lines = out.splitlines()
    assert len(lines) == len(findings) + 1
    assert any(
        line.startswith("info: steering_meetings_outside_period: cooperation.") for line in lines
    )
    assert lines[-1].startswith("0 errors, 0 warnings, ")


def test_errors_give_exit_1(capsys: pytest.CaptureFixture[str], with_error: Path) -> None:
    code, out, _ = run(capsys, "check", str(with_error))
    assert code == 1
    assert (
        "error: stated_total_mismatch: contributions[1].money[0].stated_total: Den angivna "
        "summan" in out
    )
    assert "Citat: ”Utföraren ordnar läxhjälp | två kvällar i veckan.”" in out


def test_json_output_has_stable_keys(capsys: pytest.CaptureFixture[str], with_error: Path) -> None:
    code, out, _ = run(capsys, "check", str(with_error), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["agreement", "summary", "findings", "passed"]
    assert data["summary"]["errors"] == 1
    assert data["summary"]["checks"] == len(CHECKS)
    first = data["findings"][0]
    assert list(first) == [
        "code", "severity", "title", "path", "message", "source", "quote", "suggestion",
    ]  # fmt: skip
    assert (first["code"], first["severity"]) == ("stated_total_mismatch", "error")


def test_markdown_output_is_a_table_a_lawyer_can_paste(
    capsys: pytest.CaptureFixture[str], with_error: Path
) -> None:
    _, out, _ = run(capsys, "check", str(with_error), "--format", "md")
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Allvarlighet | Kontroll | Fält | Iakttagelse | Källa |"
    assert rows[1].startswith("| Fel | Angivna summor stämmer")
    # A pipe in quoted text is escaped, so every row keeps its five cells.
    assert all(row.replace("\\|", "").count("|") == 6 for row in rows)
    assert "## Kontroller utan anmärkning" in out


def test_docx_writes_the_review_appendix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "granskning.docx"
    code, out, _ = run(capsys, "check", str(FLAGSHIP), "--docx", str(target))
    assert code == 0
    assert out.endswith(f"wrote {target}\n")
    assert zipfile.is_zipfile(target)
    # The appendix carries the draft it reviewed, so it can be traced and checked later.
    code, out, _ = run(capsys, "verify", str(target))
    assert code == 0
    assert out.startswith(f"unchanged: {target}: its text is as rendered from its data\n")
    assert "with review.docx" in out


def check_with_template(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> tuple[int, str, Path, Path]:
    """``iopdocs check --docx`` with a one-paragraph template of ``text``: the exit status,
    stderr, the template and the appendix's path."""
    from tests.unit.test_render import own_template

    template = tmp_path / "granskningsmall.docx"
    template.write_bytes(own_template(text))
    target = tmp_path / "granskning.docx"
    argv = ("check", str(FLAGSHIP), "--docx", str(target), "--template", str(template))
    code, _, err = run(capsys, *argv)
    return code, err, template, target


def test_the_review_appendix_renders_with_ones_own_template(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from docx import Document

    text = "Kommunens granskning: {{ review.summary }}"
    code, _, template, target = check_with_template(capsys, tmp_path, text)
    assert code == 0
    [paragraph] = Document(str(target)).paragraphs
    assert paragraph.text.startswith("Kommunens granskning: 0 fel, 0 varningar")
    # verify needs the same template, as for a contract
    assert run(capsys, "verify", str(target), "--template", str(template))[0] == 0


def test_a_template_without_docx_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "check", str(FLAGSHIP), "--template", str(tmp_path / "x.docx"))
    assert (code, out) == (2, "")
    assert err == "error: --template is for the review appendix; give --docx FILE as well\n"


def test_a_broken_review_template_exits_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, err, _, target = check_with_template(capsys, tmp_path, "{{ review.sumary }}")
    assert code == 2
    assert "review.sumary is not in the data" in err
    assert not target.exists()


def test_options_reach_the_review(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "granskning.docx"
    code, _, err = run(
        capsys, "check", str(FLAGSHIP), "--eur-rate", "10,5", "--sgei", "GSE", "--docx", str(target)
    )
    assert (code, err) == (0, "")
    recorded = read_provenance(target).review
    assert recorded is not None
    assert (recorded.eur_rate, recorded.sgei) == ("10.5", ("GSE",))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--eur-rate", "elva"], "not a number"),
        (["--sgei", "VGR"], "not a non-profit party"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], message: str
) -> None:
    target = tmp_path / "granskning.docx"
    code, out, err = run(capsys, "check", str(FLAGSHIP), "--docx", str(target), *extra)
    assert (code, out) == (2, "")
    assert message in err
    assert not target.exists()


def test_invalid_agreement_exits_2_naming_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, minimal_data: dict[str, Any]
) -> None:
    minimal_data["parties"][1]["org_number"] = "802418-4735"
    path = tmp_path / "fel.yaml"
    path.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert (code, out) == (2, "")
    assert "parties[1].org_number" in err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "saknas.yaml"))
    assert code == 2
    assert "saknas.yaml" in err
