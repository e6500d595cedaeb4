"""`iopdocs templates list|export|lint` and templates that do not render."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopdocs.documents.templates import template_path
from tests.cli.test_cli import run
from tests.conftest import FLAGSHIP
from tests.wordxml import para, runs, table, word_template


def test_list_shows_every_bundled_template_with_its_purpose_and_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, stdout, stderr = run(capsys, "templates", "list")
    assert (code, stderr) == (0, "")
    assert "contract: Mall för avtal om idéburet offentligt partnerskap\n" in stdout
    assert "  names: agreement, doc; used by iopdocs render\n" in stdout
    assert "annual_report: Mall för årsberättelse inom ett IOP\n" in stdout
    assert "  names: agreement, report; used by iopdocs report\n" in stdout


def test_export_copies_a_template_and_refuses_to_overwrite(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, stdout, _ = run(capsys, "templates", "export", "contract", str(tmp_path))
    target = tmp_path / "contract.docx"
    assert code == 0
    assert stdout.startswith(f"wrote {target}")
    assert target.read_bytes() == template_path("contract.docx").read_bytes()

    target.write_bytes(b"my edits")
    code, _, stderr = run(capsys, "templates", "export", "contract.docx", str(tmp_path))
    assert code == 2
    assert "already exists; use force (--force)" in stderr
    assert target.read_bytes() == b"my edits"

    code, _, _ = run(capsys, "templates", "export", "contract", str(tmp_path), "--force")
    assert code == 0
    assert target.read_bytes() == template_path("contract.docx").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contract.docx"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["faktura", "."], "there is no bundled template 'faktura'; choose one of"),
        (["contract", "saknas/"], "saknas/: the folder does not exist"),
    ],
)
def test_export_names_what_is_wrong(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, stderr = run(capsys, "templates", "export", *args)
    assert code == 2
    assert message in stderr


def test_lint_of_a_clean_template_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    path = template_path("contract.docx")
    code, stdout, _ = run(capsys, "templates", "lint", str(path))
    assert code == 0
    assert stdout == f"ok: {path}: no problems found\n"


def test_lint_prints_each_problem_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mall.docx"
    path.write_bytes(
        word_template(
            para(runs("Från {{ ", "agreement.", "perod", ".start|date }}")),
            table(("{%tr for m in doc.mission_items %}",), ("{{ m.title }}",), ("{%tr endfor %}",)),
        )
    )
    code, stdout, _ = run(capsys, "templates", "lint", str(path))
    assert code == 1
    lines = stdout.splitlines()
    assert lines[0] == (
        f"{path}: word/document.xml: unknown-variable: {{{{ agreement.perod.start|date }}}}: "
        "agreement has no field 'perod'; did you mean agreement.period? "
        '(near "Från {{ agreement.perod.start|date }}")'
    )
    assert lines[1].startswith(f"{path}: word/document.xml: empty-table: ")
    assert lines[-1] == "2 problems found"


def test_lint_of_a_file_that_is_not_a_template_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mall.docx"
    path.write_text("inte en docx")
    code, _, stderr = run(capsys, "templates", "lint", str(path))
    assert code == 2
    assert "is not a Word document" in stderr


def test_a_broken_template_prints_the_tag_and_the_text_around_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    template = tmp_path / "mall.docx"
    template.write_bytes(word_template(para("Inledning"), para("{% endfor %}"), para("Slut")))
    out = tmp_path / "avtal.docx"
    code, _, stderr = run(
        capsys, "render", str(FLAGSHIP), "-o", str(out), "--template", str(template)
    )
    assert code == 2
    lines = stderr.splitlines()
    assert lines[0] == "error: template syntax error: {% endfor %} without a matching {% for %}"
    assert "  | Inledning" in lines
    assert "  | Slut" in lines
    assert not out.exists()


def test_a_sandbox_refusal_is_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    template = tmp_path / "mall.docx"
    template.write_bytes(word_template(para("{{ lipsum.__globals__ }}")))
    out = tmp_path / "avtal.docx"
    code, _, stderr = run(
        capsys, "render", str(FLAGSHIP), "-o", str(out), "--template", str(template)
    )
    assert code == 2
    assert "refused: access to attribute '__globals__'" in stderr
    assert not out.exists()
