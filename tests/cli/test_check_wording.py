"""`iopdocs check` on drafts a lawyer would stop, and `validate` on the same placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopdocs.cli import main
from tests.conftest import FLAGSHIP, ROOT

STARTER = ROOT / "src" / "iopdocs" / "starter.yaml"
PROCUREMENT_LIKE = ROOT / "tests" / "corpus" / "procurement-like.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_unedited_starter_fails_check_naming_each_placeholder(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One detection, severity error in `check`: exit 1, one line per placeholder."""
    code, out, _ = run(capsys, "check", str(STARTER))
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("error: starter_placeholder")]
    assert "error: starter_placeholder: parties[0].contacts[0].name: " in out
    assert any("Citat: ”Beskriv uppdraget i stort.”" in line for line in lines)
    assert len(lines) == 12


def test_validate_warns_of_the_same_placeholders_and_passes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same detection, severity warning in `validate`: exit 0, a warning line for each."""
    _, check_out, _ = run(capsys, "check", str(STARTER))
    code, out, err = run(capsys, "validate", str(STARTER))
    assert code == 0
    assert out.startswith("ok: ")
    warnings = err.splitlines()
    assert all(w.startswith("warning: ") for w in warnings)
    assert len(warnings) == check_out.count("error: starter_placeholder")
    assert (
        "warning: mission.text: placeholder from the starter file: Beskriv uppdraget i stort."
        in (warnings)
    )


def test_validate_of_a_finished_agreement_prints_no_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "validate", str(FLAGSHIP))
    assert (code, err) == (0, "")


def test_a_draft_written_like_a_procurement_fails_check(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "check", str(PROCUREMENT_LIKE))
    assert code == 1
    (line,) = [x for x in out.splitlines() if x.startswith("error: market_activity") and "450" in x]
    assert line.startswith("error: market_activity: mission.text: ")
    assert "Citat: ”Kommunen betalar 450 kronor per timme för utförd hemtjänst.”" in line
    assert "error: open_ended_extension: period.extension: " in out
    assert "Förslag: " in out


def test_check_reads_a_clause_library_given_with_clauses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--clauses` reviews the wording of the municipality's own library."""
    library = (ROOT / "src" / "iopdocs" / "documents" / "clauses" / "sv.yaml").read_text("utf-8")
    library = library.replace(
        "Parterna möts som jämbördiga.", "Parterna möts som jämbördiga. Moms tillkommer."
    )
    path = tmp_path / "klausuler.yaml"
    path.write_text(library, encoding="utf-8")
    code, out, _ = run(capsys, "check", str(FLAGSHIP), "--clauses", str(path))
    assert code == 1
    assert "error: market_activity: clause:conditions.no_sanctions: " in out
