"""Each command imports what it needs and nothing more: a command that only reads an agreement
does not pay for Word, Jinja, babel, lxml or pypdf (``python -X importtime`` lists every module
a process imports, on stderr)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iopdocs.cli.common import DEFAULT_EUR_RATE as CLI_EUR_RATE
from iopdocs.reviewing import DEFAULT_EUR_RATE
from tests.conftest import FLAGSHIP

HEAVY = ("docx", "docxtpl", "docxcompose", "jinja2", "babel", "lxml", "pypdf")


def imported(*args: str) -> set[str]:
    """The top-level packages a run of the ``iopdocs`` console script imports."""
    script = shutil.which("iopdocs", path=str(Path(sys.executable).parent))
    assert script is not None, "the iopdocs console script is not installed"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", script, *args], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["validate", str(FLAGSHIP)], id="validate"),
        pytest.param(["schedule", str(FLAGSHIP)], id="schedule"),
        pytest.param(["--version"], id="version"),
    ],
)
def test_a_command_that_reads_an_agreement_imports_no_word_jinja_babel_lxml_or_pdf(
    args: list[str],
) -> None:
    modules = imported(*args)
    assert "iopdocs.cli" in modules  # the evidence is there at all
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


def test_validate_imports_neither_the_checks_nor_the_schedule() -> None:
    modules = imported("validate", str(FLAGSHIP))
    assert not {m for m in modules if m.startswith(("iopdocs.reviewing", "iopdocs.schedule"))}


def test_validate_and_render_skip_pydantics_plugin_scan(tmp_path: Path) -> None:
    """The command turns pydantic's plugins off, so it need not import importlib.metadata to
    look for them (tests/cli/test_startup.py: with plugins on, pydantic looks as before)."""
    out = str(tmp_path / "avtal.docx")
    for args in (["validate", str(FLAGSHIP)], ["render", str(FLAGSHIP), "-o", out]):
        assert "importlib.metadata" not in imported(*args)


def test_render_from_a_warm_cache_does_not_import_docxtpl(tmp_path: Path) -> None:
    out = str(tmp_path / "avtal.docx")
    imported("render", str(FLAGSHIP), "-o", out)  # fills the cache of compiled templates
    modules = imported("render", str(FLAGSHIP), "-o", out)
    assert "docx" in modules
    assert not {m for m in modules if m.split(".")[0] in ("docxtpl", "pypdf")}


def test_the_help_text_states_the_checks_own_default_euro_rate() -> None:
    assert str(DEFAULT_EUR_RATE) == CLI_EUR_RATE


def test_a_render_to_docx_imports_neither_logging_nor_importlib_resources(tmp_path: Path) -> None:
    """Only a command that may read a PDF quietens pypdf's log (which needs ``logging``), and
    the bundled template and clause library are read as files beside the package."""
    out = str(tmp_path / "avtal.docx")
    modules = imported("render", str(FLAGSHIP), "-o", out)
    assert "iopdocs.documents" in modules  # the evidence is there at all
    assert not {m for m in modules if m == "logging" or m.startswith("importlib.resources")}
