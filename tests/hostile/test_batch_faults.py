"""Batches clean up after themselves, however they end (issue 15, item 5).

- The worker processes of a batch end with it, whether it is stopped with SIGTERM or killed
  with SIGKILL: none is left orphaned, blocked on a queue nobody writes to.
- SIGTERM lets the batch remove its temporary files and stop LibreOffice before it ends; what a
  batch killed outright leaves in the output folder is removed by the next batch there.
- LibreOffice never outlives a PDF batch, nor does its profile.
- A conversion that hangs costs one timeout, and only its document fails; a soffice child that
  leaves its process group and holds the output does not stretch the timeout.

The batches run in child processes, which the tests stop as a user or a scheduler would. The
PDF tests that need LibreOffice skip, with the reason, where it is absent (never when CI=true);
the others stand in fake soffice and UNO-bridge programs for it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter

from iopdocs import ConversionError, convert_many, load_agreement, render_contract, render_many
from iopdocs.pdf.convert import SOFFICE_ENV
from iopdocs.pdf.warm import UNO_PYTHON_ENV
from tests.conftest import FLAGSHIP, ROOT
from tests.integration.test_libreoffice import SOFFICE

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads processes from Linux's /proc"
)

needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: apt-get install --no-install-recommends "
    "libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation2",
)

BATCH = """
import sys
from pathlib import Path
from iopdocs import load_agreement, render_many

agreement = load_agreement({flagship!r})
count, out, fmt = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def progress(done, total, result):
    if done == 1:
        print("started", flush=True)

render_many([(f"avtal-{{i:03}}", agreement) for i in range(count)], out, jobs=2,
            format=fmt, progress=progress)
print("finished", flush=True)
"""


def processes() -> dict[int, tuple[int, str, str]]:
    """Every process: pid -> (parent pid, state, command line)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")".
        state, ppid = status.rsplit(")", 1)[1].split()[:2]
        table[int(entry.name)] = (int(ppid), state, command)
    return table


def descendants(pid: int) -> set[int]:
    """The processes started by ``pid``, by its children, and so on."""
    table = processes()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, (ppid, _, _) in table.items() if ppid in frontier} - found
        found |= frontier
    return found


def running(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie has ended)."""
    table = processes()
    return {p for p in pids if p in table and table[p][1] != "Z"}


def all_end(pids: set[int], within: float = 15.0) -> bool:
    """Whether all of ``pids`` end within ``within`` seconds; those that do not are killed, so
    a failing test leaves nothing running either."""
    deadline = time.monotonic() + within
    while running(pids):
        if time.monotonic() > deadline:
            for pid in running(pids):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return False
        time.sleep(0.1)
    return True


def hidden(folder: Path) -> list[str]:
    """What a batch must not leave in its output folder: temporary files and work folders."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def start_batch(tmp_path: Path, count: int, format: str) -> tuple[subprocess.Popen[str], Path]:
    """A batch in a child process, returned once it has finished its first contract."""
    script = tmp_path / "batch.py"
    script.write_text(BATCH.format(flagship=str(FLAGSHIP)), encoding="utf-8")
    out = tmp_path / "ut"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(ROOT / "src")}
    batch = subprocess.Popen(
        [sys.executable, str(script), str(count), str(out), format],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert batch.stdout is not None
    line = batch.stdout.readline()
    if line != "started\n":
        batch.kill()
        pytest.fail(f"the batch did not start: {line!r} {batch.communicate()[1]}")
    return batch, out


def stop(batch: subprocess.Popen[str], signum: int) -> tuple[dict[int, str], int]:
    """Send ``signum`` to the batch; its processes as they were (pid -> command line), and its
    exit status."""
    table = processes()
    started = {pid: table[pid][2] for pid in descendants(batch.pid) if pid in table}
    assert started, "the batch runs its work in other processes"
    batch.send_signal(signum)
    return started, batch.wait(timeout=60)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_the_workers_of_a_docx_batch_end_with_it(tmp_path: Path, signum: int) -> None:
    """Stopped or killed, the batch takes its worker processes with it; stopped (SIGTERM), it
    also removes its temporary files before it ends, and it ends as SIGTERM asks."""
    batch, out = start_batch(tmp_path, 400, "docx")
    workers, status = stop(batch, signum)
    assert status == -signum
    assert all_end(set(workers)), f"workers left running: {running(set(workers))}"
    if signum == signal.SIGTERM:
        assert hidden(out) == []
    for written in out.glob("*.docx"):  # what is there is whole
        assert written.read_bytes().startswith(b"PK")


def test_the_next_batch_removes_what_a_killed_batch_left_and_nothing_else(
    tmp_path: Path,
) -> None:
    """Work folders of a killed batch are removed by the next batch into that folder, and so
    are the temporary files (``.NAME.docx.*.tmp``, ``.NAME.pdf.*.tmp``) of the outputs it writes;
    the user's own files, hidden or not, stay, and so does the temporary file of another output
    (a single render into the folder may be writing it)."""
    out = tmp_path / "ut"
    out.mkdir()
    left = [
        out / ".avtal-001.docx.k2j4l1.tmp",
        out / ".avtal-002.pdf.x8d0aq.tmp",
    ]
    for path in left:
        path.write_bytes(b"half a contract")
    (out / ".iopdocs-batch-q1w2e3" / ".iopdocs-convert-r4t5").mkdir(parents=True)
    (out / ".iopdocs-batch-q1w2e3" / "avtal-003.docx").write_bytes(b"PK")
    kept = [
        out / ".mina-anteckningar.tmp",
        out / ".git",
        out / "avtal.docx.tmp",
        out / ".annat-avtal.docx.q9z8x7.tmp",
    ]
    kept[0].write_text("mine")
    kept[1].mkdir()
    kept[2].write_text("mine too")
    kept[3].write_bytes(b"being written by a single render")
    agreement = load_agreement(FLAGSHIP)
    result = render_many({"avtal-001": agreement, "avtal-002": agreement}, out, jobs=1)
    assert result.ok
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(p.name for p in result.written), *(p.name for p in kept)]
    )


def test_a_folder_another_batch_is_writing_to_is_not_swept(tmp_path: Path) -> None:
    """While one batch writes into a folder, a second batch there must not take the first one's
    temporary files for leftovers."""
    import fcntl

    out = tmp_path / "ut"
    out.mkdir()
    in_progress = out / ".avtal-001.docx.k2j4l1.tmp"
    in_progress.write_bytes(b"being written")
    agreement = load_agreement(FLAGSHIP)
    holder = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_SH)  # what a running batch holds
        assert render_many({"avtal-001": agreement}, out, jobs=1).ok
        assert in_progress.exists()
    finally:
        os.close(holder)
    assert render_many({"avtal-001": agreement}, out, jobs=1).ok
    assert not in_progress.exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.integration
@needs_libreoffice
def test_no_libreoffice_nor_its_profile_outlives_a_pdf_batch(tmp_path: Path, signum: int) -> None:
    """Stopped or killed in the middle of converting, a PDF batch leaves no LibreOffice
    (soffice.bin) running, no worker, no profile; its work folder is removed at once (SIGTERM)
    or by the next batch (SIGKILL)."""
    batch, out = start_batch(tmp_path, 12, "pdf")
    started, status = stop(batch, signum)
    assert status == -signum
    assert any("soffice.bin" in command for command in started.values()), "LO was converting"
    assert all_end(set(started)), f"left running: {running(set(started))}"
    assert [p.name for p in (tmp_path / "tmp").glob("iopdocs-*")] == []  # profiles
    if signum == signal.SIGTERM:
        assert hidden(out) == []
    agreement = load_agreement(FLAGSHIP)  # the same batch again, to .docx: quick
    assert render_many([(f"avtal-{i:03}", agreement) for i in range(12)], out, jobs=1).ok
    assert hidden(out) == []


def executable(path: Path, body: str) -> Path:
    path.write_text(f"#!{sys.executable}\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


FAKE_BRIDGE = """
import json, os, shutil, sys, time
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if "hangs" in request["source"]:
        with open(os.environ["FAKE_HUNG"], "a") as hung:
            hung.write(f"{os.getpid()}\\n")
        time.sleep(600)
    shutil.copyfile(os.environ["FAKE_PDF"], request["target"])
    print(json.dumps({"ok": True}), flush=True)
"""


def test_a_hanging_conversion_costs_one_timeout_and_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One document hangs LibreOffice: the batch waits one timeout for it, no more; it fails
    with that reason, LibreOffice (here a stand-in) is stopped and restarted, and the other
    documents are converted."""
    pdf = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(pdf)
    hung = tmp_path / "hung"
    monkeypatch.setenv(
        SOFFICE_ENV, str(executable(tmp_path / "soffice", "import time\ntime.sleep(600)"))
    )
    monkeypatch.setenv(UNO_PYTHON_ENV, str(executable(tmp_path / "uno-python", FAKE_BRIDGE)))
    monkeypatch.setenv("FAKE_PDF", str(pdf))
    monkeypatch.setenv("FAKE_HUNG", str(hung))
    agreement = load_agreement(FLAGSHIP)
    names = ["avtal-1", "avtal-hangs", "avtal-2", "avtal-3", "avtal-4"]
    timeout = 3.0
    started = time.monotonic()
    result = render_many(
        [(name, agreement) for name in names],
        tmp_path / "ut",
        format="pdf",
        jobs=2,
        timeout=timeout,
        embed_data=False,
    )
    elapsed = time.monotonic() - started
    assert [r.ok for r in result] == [True, False, True, True, True]
    assert f"did not finish within {timeout:g} s" in (result.results[1].error or "")
    assert timeout <= elapsed < 2 * timeout + 5  # one timeout, and the rest of the batch
    (stuck,) = (int(line) for line in hung.read_text().split())
    assert all_end({stuck}, within=5)
    assert hidden(tmp_path / "ut") == []


def test_a_soffice_child_in_its_own_session_holding_the_output_does_not_defeat_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child of soffice that escapes its process group (a new session) keeps running with
    soffice's output open; the conversion still ends at its timeout."""
    escaped = tmp_path / "escaped"
    program = executable(
        tmp_path / "soffice",
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'],"
        " start_new_session=True)\n"
        f"open({str(escaped)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(600)",
    )
    monkeypatch.setenv(SOFFICE_ENV, str(program))
    docx = render_contract(load_agreement(FLAGSHIP), tmp_path / "avtal.docx")
    out = tmp_path / "out"
    out.mkdir()
    started = time.monotonic()
    try:
        with pytest.raises(ConversionError, match="did not finish within 2 s"):
            convert_many([docx], out, timeout=2)
        assert time.monotonic() - started < 10
        assert list(out.iterdir()) == []
    finally:
        if escaped.exists():
            os.kill(int(escaped.read_text()), signal.SIGKILL)
