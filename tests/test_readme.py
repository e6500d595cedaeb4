"""The README's promises hold: its first commands, its Python example and its CLI lines."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_first_lines_give_the_two_setup_commands() -> None:
    head = "\n".join(README.splitlines()[:12])
    assert "make demo" in head
    assert "make test" in head


def test_ci_calls_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def needs_libreoffice(example: str) -> None:
    """PDF examples run LibreOffice: skipped without it, except in CI, where it must run."""
    in_ci = os.environ.get("CI", "").lower() == "true"
    if SOFFICE is None and not in_ci and (".pdf" in example or "_pdf(" in example):
        pytest.skip("LibreOffice (soffice) is not installed")


@pytest.mark.parametrize("code", blocks("python"))
def test_the_python_examples_run(code: str, tmp_path: Path) -> None:
    needs_libreoffice(code)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def cli_lines() -> list[str]:
    lines = []
    for block in blocks("console"):
        lines += [line[2:] for line in block.splitlines() if line.startswith("$ iopdocs ")]
    return lines


@pytest.mark.parametrize("line", cli_lines())
def test_the_cli_examples_run(line: str, tmp_path: Path) -> None:
    needs_libreoffice(line)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "out").mkdir()
    script = str(Path(sys.executable).parent / "iopdocs")
    argv = shlex.split(line)
    if "validate" in argv and argv[-1] == "nytt-avtal.yaml":
        subprocess.run([script, "new", "-o", "nytt-avtal.yaml"], cwd=tmp_path, check=True)
    done = subprocess.run(
        [script, *argv[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stderr
