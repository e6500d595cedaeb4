"""`iopdocs render A.yaml B.yaml … -o DIR/`: a file per agreement, failures named, exit 0/1/2."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopdocs import load_agreement, render_contract
from iopdocs.cli import main
from tests.cli.test_cli import run
from tests.conftest import FLAGSHIP, ROOT

SECOND = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"


@pytest.fixture
def inputs(tmp_path: Path, minimal_data: dict[str, Any]) -> list[Path]:
    minimal_data["parties"][1]["org_number"] = "802418-4735"
    bad = tmp_path / "fel.yaml"
    bad.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), encoding="utf-8")
    return [FLAGSHIP, bad, SECOND]


def test_several_agreements_go_into_the_folder_with_a_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "avtal"
    code, stdout, stderr = run(capsys, "render", str(FLAGSHIP), str(SECOND), "-o", str(out))
    assert (code, stderr) == (0, "")
    assert stdout == f"rendered 2 agreements into {out}\n"
    assert sorted(p.name for p in out.iterdir()) == [f"{SECOND.stem}.docx", f"{FLAGSHIP.stem}.docx"]
    assert (out / f"{FLAGSHIP.stem}.docx").read_bytes() == render_contract(load_agreement(FLAGSHIP))


def test_a_failure_is_named_the_rest_written_and_the_exit_status_is_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, inputs: list[Path]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, stderr = run(capsys, "render", *map(str, inputs), "-o", str(out), "--jobs", "2")
    assert code == 1
    assert stdout == f"rendered 2 of 3 agreements into {out} (1 failed)\n"
    assert stderr.splitlines() == [
        f"error: {inputs[1]}: parties[1].org_number: organisation number '802418-4735' has a "
        "wrong check digit (the last digit) [org_number_checksum]"
    ]
    assert sorted(p.name for p in out.iterdir()) == [f"{SECOND.stem}.docx", f"{FLAGSHIP.stem}.docx"]


def test_one_agreement_into_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, stdout, _ = run(capsys, "render", str(FLAGSHIP), "-o", f"{tmp_path}/")
    assert code == 0
    assert stdout == f"rendered 1 agreement into {tmp_path}\n"
    assert (tmp_path / f"{FLAGSHIP.stem}.docx").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "{tmp}/fil.docx", "--format", "pdf"], "--format pdf does not match"),
        (["-o", "{tmp}/fil.docx", "--jobs", "2"], "--jobs is for several agreements"),
        (["{second}", "-o", "{tmp}/finns.txt"], "is a file; give a folder"),
        (["{second}", "-o", "{tmp}/saknas/ut"], "does not exist"),
        (["{second}", "-o", "{tmp}/ut", "--jobs", "0"], "--jobs must be at least 1"),
        (["{first}", "-o", "{tmp}/ut"], "would both be written to"),
        (["{second}", "-o", "{tmp}/ut", "--appendix", "{first}"], "--appendix is for one"),
    ],
)
def test_bad_usage_exits_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    (tmp_path / "finns.txt").write_text("x")
    values = {"tmp": str(tmp_path), "first": str(FLAGSHIP), "second": str(SECOND)}
    code, stdout, stderr = run(capsys, "render", str(FLAGSHIP), *(a.format(**values) for a in argv))
    assert code == 2
    assert stdout == ""
    assert message in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["finns.txt"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_a_progress_line_that_is_cleared_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    inputs: list[Path],
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code = main(["render", *map(str, inputs), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert code == 1
    shown = terminal.getvalue()
    for done in (1, 2, 3):
        assert f"[{done}/3] " in shown
    assert shown.endswith("\r\033[K")  # the bar leaves no trace
    assert f"\r\033[Kerror: {inputs[1]}: parties[1].org_number" in shown
    assert (
        capsys.readouterr().out
        == f"rendered 2 of 3 agreements into {tmp_path / 'out'} (1 failed)\n"
    )


def test_the_console_script_renders_a_batch(tmp_path: Path) -> None:
    for source in (FLAGSHIP, SECOND):
        shutil.copy(source, tmp_path)
    script = str(Path(sys.executable).parent / "iopdocs")
    done = subprocess.run(
        [script, "render", FLAGSHIP.name, SECOND.name, "-o", "ut/"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "rendered 2 agreements into ut\n"


def test_ctrl_c_stops_the_batch_leaving_only_whole_files(tmp_path: Path) -> None:
    import os
    import signal
    import time

    sources = []
    for n in range(300):
        sources.append(f"avtal-{n:03d}.yaml")
        shutil.copy(FLAGSHIP, tmp_path / sources[-1])
    out = tmp_path / "ut"
    script = str(Path(sys.executable).parent / "iopdocs")
    process = subprocess.Popen(
        [script, "render", *sources, "-o", "ut/", "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the whole process group, as in a terminal
    )
    while not (out.is_dir() and any(out.glob("*.docx"))):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stdout == ""
    assert stderr.startswith("interrupted after ")
    written = sorted(p.name for p in out.iterdir())
    assert 0 < len(written) < 300
    assert all(name.endswith(".docx") for name in written)  # no temporary file left behind
    assert all(zipfile.is_zipfile(out / name) for name in written)
