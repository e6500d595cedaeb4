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
    for arg in argv[2:] if argv[1:3] != ["templates", "export"] else []:
        if arg.startswith("out/") and (ROOT / "templates" / arg[4:]).is_file():
            # A template exported by an earlier line of the same block.
            name = arg[4:].removesuffix(".docx")
            subprocess.run([script, "templates", "export", name, "out"], cwd=tmp_path, check=True)
    if argv[1] in ("extract", "verify") and argv[2] == "out/avtal.docx":
        render = [script, "render", "examples/vgr-social-ekonomi-2024.yaml", "-o", argv[2]]
        subprocess.run(render, cwd=tmp_path, check=True)
    done = subprocess.run(
        [script, *argv[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    changes = argv[1] == "diff"  # diff(1)'s exit status: 1 when the versions differ
    assert done.returncode == (1 if changes else 0), done.stderr
