"""The hostile-input suite: every case runs the real command in its own process, with a
generous time bound and its peak memory measured, and checks the exit status, the message and
what is on disk afterwards.

Peak memory is the child's own maximum resident set size as the kernel reports it when the
child is reaped (``os.wait4``), not an address-space limit: a limit would also hit LibreOffice
and Java, and would turn an unbounded read into a MemoryError instead of showing it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest

from iopdocs import render_contract
from iopdocs.loading import load_agreement

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "examples" / "vgr-social-ekonomi-2024.yaml"

PEAK_MB = 500
"""No hostile case may make the command use more memory than this."""
TIMEOUT = 60.0
"""A command that has not ended by then hangs: the case fails."""


@dataclass(frozen=True)
class Outcome:
    """What one command did: its exit status, its output, its peak memory and its time."""

    status: int
    out: str
    err: str
    peak_mb: float
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


def iopdocs(*args: str | Path, cwd: Path | None = None, timeout: float = TIMEOUT) -> Outcome:
    """Run ``iopdocs ARGS`` in a new process; fail the test when it hangs, exhausts memory or
    shows a traceback."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", "from iopdocs.cli import run; run()", *map(str, args)],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        hung = threading.Event()

        def kill() -> None:
            hung.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, wait_status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        outcome = Outcome(
            status=process.returncode,
            out=out.read().decode("utf-8", "replace"),
            err=err.read().decode("utf-8", "replace"),
            peak_mb=usage.ru_maxrss / 1024,
            seconds=seconds,
        )
    assert not hung.is_set(), f"iopdocs {' '.join(map(str, args))} hung for {timeout} s"
    assert outcome.peak_mb < PEAK_MB, f"peak memory {outcome.peak_mb:.0f} MB: {outcome.err}"
    assert "Traceback" not in outcome.err, outcome.err
    return outcome


def refused(outcome: Outcome, *fragments: str) -> None:
    """The command refused its input as bad input (exit 2) with a message holding each of
    ``fragments``, on one ``error:`` line or more, and no raw control characters."""
    assert outcome.status == 2, (outcome.status, outcome.text)
    assert "error:" in outcome.err, outcome.err
    for fragment in fragments:
        assert fragment in outcome.text, (fragment, outcome.text)
    assert "\x1b" not in outcome.text


def files_in(folder: Path) -> list[str]:
    """Every file under ``folder`` (hidden and temporary ones included), relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def agreement_file(tmp_path: Path) -> Path:
    """A copy of the flagship agreement in the test's own folder."""
    target = tmp_path / "avtal.yaml"
    target.write_bytes(FLAGSHIP.read_bytes())
    return target


@pytest.fixture(scope="session")
def contract_docx() -> bytes:
    """The flagship contract, rendered once for the session."""
    return render_contract(load_agreement(FLAGSHIP))


def replace_part(docx: bytes, name: str, data: bytes) -> bytes:
    """``docx`` with the part ``name`` replaced (or added), every other part as it was."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
        target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx_with_text(*paragraphs: str) -> bytes:
    """A minimal .docx whose body has these paragraphs (Jinja tags as plain text)."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
