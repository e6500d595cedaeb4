"""``iopdocs clauses list/export/catalogue`` and ``render --clauses``."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopdocs.cli import main
from tests.conftest import FLAGSHIP, ROOT, compact, docx_text


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_shows_each_clause_on_or_off_and_the_field_that_decided(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "clauses", "list", str(FLAGSHIP))
    assert code == 0
    lines = {line.split()[1]: line for line in out.splitlines()}
    assert lines["conditions.notice"].startswith("on ")
    assert lines["conditions.notice"].endswith("agreement.conditions.notice_months = 6")
    assert lines["final.personal_data"].startswith("off")
    assert lines["period.term"].endswith("always")


def test_export_then_render_with_the_edited_library(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "clauses", "export", str(tmp_path))
    assert code == 0
    library = tmp_path / "sv.yaml"
    assert out.startswith(f"wrote {library}")
    text = library.read_text(encoding="utf-8")
    library.write_text(text.replace("omfattande arbetskonflikt", "strejk"), encoding="utf-8")
    target = tmp_path / "avtal.docx"
    code, _, err = run(
        capsys, "render", str(FLAGSHIP), "-o", str(target), "--clauses", str(library)
    )
    assert (code, err) == (0, "")
    assert "myndighetsbeslut eller strejk" in compact(docx_text(target.read_bytes()))
    assert run(capsys, "verify", str(target))[0] == 0
    assert run(capsys, "clauses", "export", str(tmp_path))[0] == 2  # no silent overwrite


def test_a_broken_library_exits_2_naming_the_clause(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "clauses", "export", str(tmp_path))
    library = tmp_path / "sv.yaml"
    text = library.read_text(encoding="utf-8")
    library.write_text(
        text.replace("agreement.final_provisions.logos", "agreement.final_provisions.logo"),
        encoding="utf-8",
    )
    code, _, err = run(
        capsys, "render", str(FLAGSHIP), "-o", str(tmp_path / "a.docx"), "--clauses", str(library)
    )
    assert code == 2
    assert err.startswith("error: final.logos: the agreement has no field ")
    assert not (tmp_path / "a.docx").exists()


def test_catalogue_writes_a_word_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "katalog.docx"
    code, _, _ = run(capsys, "clauses", "catalogue", "-o", str(target))
    assert code == 0
    text = docx_text(target.read_bytes())
    assert "Klausulbibliotek för IOP-avtal" in text
    assert "conditions.repayment" in text


def test_several_agreements_render_with_the_library_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "clauses", "export", str(tmp_path))
    library = tmp_path / "sv.yaml"
    text = library.read_text(encoding="utf-8")
    library.write_text(text.replace("omfattande arbetskonflikt", "strejk"), encoding="utf-8")
    second = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"
    out = tmp_path / "ut"
    code, _, err = run(
        capsys, "render", str(FLAGSHIP), str(second), "-o", f"{out}/", "--clauses", str(library),
        "--jobs", "2",
    )  # fmt: skip
    assert (code, err) == (0, "")
    for name in ("vgr-social-ekonomi-2024.docx", "laxhjalp-exempelkommunen-2026.docx"):
        assert "myndighetsbeslut eller strejk" in compact(docx_text((out / name).read_bytes()))
