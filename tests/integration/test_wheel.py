"""A wheel installed into a fresh virtual environment renders without the source tree."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FLAGSHIP, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("iopdocs-*.whl")
    return built


def test_the_wheel_carries_the_templates_and_type_marker(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "iopdocs/templates/contract.docx" in names
    assert "iopdocs/templates/review.docx" in names
    assert "iopdocs/starter.yaml" in names
    assert "iopdocs/report-starter.yaml" in names
    assert "iopdocs/locale/sv/LC_MESSAGES/iopdocs.mo" in names  # Swedish messages
    assert "iopdocs/documents/clauses/sv.yaml" in names
    assert "iopdocs/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "templates/"))]


def test_a_fresh_venv_renders_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "avtal.yaml").write_bytes(FLAGSHIP.read_bytes())
    done = subprocess.run(
        [str(env_dir / "bin" / "iopdocs"), "render", "avtal.yaml", "-o", "avtal.docx"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    where = subprocess.run(
        [str(python), "-c", "import iopdocs; print(iopdocs.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(env_dir) in where  # the installed copy, not the source tree
    assert zipfile.is_zipfile(work / "avtal.docx")
    # The template commands find the packaged templates and lint without the source tree.
    iopdocs = str(env_dir / "bin" / "iopdocs")
    for argv in (
        ["templates", "list"],
        ["templates", "export", "annual_report", "."],
        ["templates", "lint", "annual_report.docx"],
    ):
        done = subprocess.run([iopdocs, *argv], cwd=work, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert (
        "contract: "
        in subprocess.run(
            [iopdocs, "templates", "list"], cwd=work, capture_output=True, text=True, check=True
        ).stdout
    )
    # The same command as after `make demo`: Swedish from the packaged catalog, no dev tools.
    swedish = subprocess.run(
        [iopdocs, "--lang", "sv", "render", "avtal.yaml", "-o", "avtal.odt"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert swedish.returncode == 2
    assert swedish.stderr.startswith("fel: avtal.odt: kan inte skriva")
    installed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    assert not {"mypy", "ruff", "pytest", "mkdocs"} & {
        line.split("==")[0] for line in installed.splitlines()
    }
