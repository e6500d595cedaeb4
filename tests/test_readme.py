"""The README's and the guides' promises hold: the first commands, every Python example and every
command line of README.md and docs/*.md run, the agreement file reference is current, and the
site builds."""

from __future__ import annotations

import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FLAGSHIP, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(language: str) -> list[tuple[str, str]]:
    """``(page:number, code)`` of every fenced block in ``language`` on every page."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for i, code in enumerate(re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)):
            found.append((f"{page.relative_to(ROOT)}:{i + 1}", code))
    return found


def test_the_first_lines_give_the_two_setup_commands() -> None:
    head = "\n".join(README.splitlines()[:12])
    assert "make demo" in head
    assert "make test" in head
    assert ". .venv/bin/activate" in head  # and how to reach the command after make demo


def test_the_readme_is_short() -> None:
    """What it is, two commands, a first contract, links: the rest is in docs/."""
    assert len(README.encode("utf-8")) < 8 * 1024


def test_ci_calls_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_make_demo_installs_no_dev_tools_and_says_how_to_reach_the_command(
    tmp_path: Path,
) -> None:
    """`make -n` prints what `make demo` would run, for a venv that does not exist yet."""
    venv = tmp_path / "venv"
    done = subprocess.run(
        ["make", "-n", f"VENV={venv}", "demo"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    installs = [line for line in done.stdout.splitlines() if "pip install" in line]
    assert any(line.endswith("install -q -e .") for line in installs), installs
    assert not [line for line in installs if "[dev]" in line]
    assert f". {venv}/bin/activate" in done.stdout
    test = subprocess.run(
        ["make", "-n", f"VENV={venv}", "test"], cwd=ROOT, capture_output=True, text=True
    )
    assert "-e '.[dev]'" in test.stdout
    assert "mkdocs build --strict" in test.stdout


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def needs_libreoffice(example: str) -> None:
    """PDF examples run LibreOffice: skipped without it, except in CI, where it must run."""
    in_ci = os.environ.get("CI", "").lower() == "true"
    if SOFFICE is None and not in_ci and (".pdf" in example or "_pdf(" in example):
        pytest.skip("LibreOffice (soffice) is not installed")


def ids(found: list[tuple[str, str]]) -> list[str]:
    return [where for where, _ in found]


@pytest.mark.parametrize(("where", "code"), blocks("python"), ids=ids(blocks("python")))
def test_the_python_examples_run(where: str, code: str, tmp_path: Path) -> None:
    needs_libreoffice(code)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "out").mkdir()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr


def sessions() -> list[tuple[str, str]]:
    """The ``console`` blocks that run iopdocs: each is a session, its lines run in order."""
    return [(w, c) for w, c in blocks("console") if "$ iopdocs " in c]


# Commands whose exit status 1 reports a finding, not a failure: the review found errors (the
# starter agreement's placeholders), diff(1)'s "the versions differ".
FINDINGS = ("check", "diff")


@pytest.mark.parametrize(("where", "block"), sessions(), ids=ids(sessions()))
def test_the_cli_examples_run(where: str, block: str, tmp_path: Path) -> None:
    lines = [line[2:] for line in block.splitlines() if line.startswith("$ iopdocs ")]
    needs_libreoffice(block)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "out").mkdir()
    script = str(Path(sys.executable).parent / "iopdocs")
    for line in lines:
        argv = shlex.split(line, comments=True)
        if argv[1] in ("extract", "verify") and not (tmp_path / argv[2]).exists():
            # A document rendered by an earlier page: render the flagship as it.
            render = [script, "render", str(FLAGSHIP), "-o", argv[2]]
            subprocess.run(render, cwd=tmp_path, check=True)
        if (
            argv[1] != "new"
            and "nytt-avtal.yaml" in argv
            and not (tmp_path / "nytt-avtal.yaml").exists()
        ):
            subprocess.run([script, "new", "-o", "nytt-avtal.yaml"], cwd=tmp_path, check=True)
        done = subprocess.run(
            [script, *argv[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=180
        )
        allowed = (0, 1) if argv[1] in FINDINGS else (0,)
        assert done.returncode in allowed, f"{line}\n{done.stderr}"


def test_a_template_hash_shown_in_the_guides_is_the_bundled_templates() -> None:
    """Sample output quoting the contract template's SHA-256 goes stale when the template is
    rebuilt (`make templates`): update the quoted prefix then."""
    import hashlib

    digest = hashlib.sha256((ROOT / "templates" / "contract.docx").read_bytes()).hexdigest()
    quoted = [
        prefix
        for page in PAGES
        for prefix in re.findall(
            r"contract\.docx \(template SHA-256 ([0-9a-f]+)…", page.read_text(encoding="utf-8")
        )
    ]
    assert quoted
    assert all(digest.startswith(prefix) for prefix in quoted)


def test_the_agreement_file_reference_is_current() -> None:
    """docs/reference.md is generated from the model: run `python docs/reference.py` after a
    change to a field or its docstring."""
    generator = runpy.run_path(str(ROOT / "docs" / "reference.py"))
    assert (ROOT / "docs" / "reference.md").read_text(encoding="utf-8") == generator["page"]()


def test_every_guide_is_in_the_site_navigation() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r":\s*([\w-]+\.md)\s*$", config, flags=re.M))
    assert listed == {page.name for page in PAGES if page.parent.name == "docs"}


MKDOCS = Path(sys.executable).parent / "mkdocs"


@pytest.mark.skipif(
    not MKDOCS.exists() and os.environ.get("CI", "").lower() != "true",
    reason="MkDocs is not installed (pip install -e '.[dev]')",
)
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    """A broken link, a missing anchor or a page outside the nav fails the build."""
    done = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--quiet", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "kom-igang" / "index.html").is_file()
