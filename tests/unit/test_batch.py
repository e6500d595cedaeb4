"""render_many: many agreements into one folder, in parallel; one failure never stops the rest."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from iopdocs import (
    Agreement,
    BatchError,
    RenderResult,
    TemplateSyntaxError,
    render_contract,
    render_many,
)
from tests.conftest import FLAGSHIP, ROOT

SECOND = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"


@pytest.fixture
def sources(tmp_path: Path, minimal_data: dict[str, Any]) -> list[Path]:
    """Two good agreement files around a bad one (wrong check digit) and a missing one."""
    folder = tmp_path / "in"
    folder.mkdir()
    good = [folder / "vgr.yaml", folder / "laxhjalp.yaml"]
    shutil.copy(FLAGSHIP, good[0])
    shutil.copy(SECOND, good[1])
    minimal_data["parties"][1]["org_number"] = "802418-4735"
    bad = folder / "fel.yaml"
    bad.write_text(yaml.safe_dump(minimal_data, allow_unicode=True), encoding="utf-8")
    return [good[0], bad, folder / "saknas.yaml", good[1]]


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_failure_is_reported_and_the_rest_still_rendered(
    sources: list[Path], tmp_path: Path, jobs: int
) -> None:
    out = tmp_path / "out"
    result = render_many(sources, out, jobs=jobs)
    assert [r.source for r in result] == [str(s) for s in sources]  # the order given
    assert [r.ok for r in result] == [True, False, False, True]
    assert sorted(p.name for p in out.iterdir()) == ["laxhjalp.docx", "vgr.docx"]
    assert result.written == [out / "vgr.docx", out / "laxhjalp.docx"]
    bad, missing = result.failed
    assert bad.error is not None
    assert bad.error.startswith(f"{sources[1]}: parties[1].org_number: ")
    assert "[org_number_checksum]" in bad.error
    assert missing.error == f"{sources[2]}: no such file"
    assert not result.ok
    assert result.summary() == f"rendered 2 of 4 agreements into {out} (2 failed)"


def test_each_output_is_exactly_what_render_contract_writes(tmp_path: Path) -> None:
    result = render_many([FLAGSHIP, SECOND], tmp_path, jobs=2)
    assert result.ok
    assert result.summary() == f"rendered 2 agreements into {tmp_path}"
    for source, output in zip([FLAGSHIP, SECOND], result.written, strict=True):
        from iopdocs import load_agreement

        assert output.read_bytes() == render_contract(load_agreement(source))


def test_agreements_built_in_python_are_named_by_the_caller(
    flagship: Agreement, tmp_path: Path
) -> None:
    result = render_many({"avtal-vgr": flagship, "kopia.docx": flagship}, tmp_path, jobs=2)
    assert [r.output.name for r in result] == ["avtal-vgr.docx", "kopia.docx"]
    assert (tmp_path / "avtal-vgr.docx").read_bytes() == render_contract(flagship)
    pairs = render_many([("par", flagship), FLAGSHIP], tmp_path / "blandat", jobs=1)
    assert [r.output.name for r in pairs] == ["par.docx", f"{FLAGSHIP.stem}.docx"]


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        (["a/avtal.yaml", "b/avtal.json"], "would both be written to"),
        (["a/Avtal.yaml", "b/avtal.yaml"], "would both be written to"),  # macOS, Windows
        ([("../avtal", None)], "not a plain file name"),
        ([("", None)], "not a plain file name"),
    ],
)
def test_a_batch_that_cannot_work_is_refused_before_anything_is_written(
    flagship: Agreement, tmp_path: Path, sources: list[Any], message: str
) -> None:
    sources = [(s[0], flagship) if isinstance(s, tuple) else s for s in sources]
    with pytest.raises(BatchError, match=message):
        render_many(sources, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"jobs": 0}, "at least 1"),
        ({"format": "odt"}, "unknown output format"),
    ],
)
def test_unusable_options_are_refused(tmp_path: Path, options: Any, message: str) -> None:
    with pytest.raises(BatchError, match=message):
        render_many([FLAGSHIP], tmp_path / "out", **options)
    assert not (tmp_path / "out").exists()


def test_a_broken_template_stops_the_batch_before_it_starts(tmp_path: Path) -> None:
    from tests.unit.test_render import own_template

    with pytest.raises(TemplateSyntaxError):
        render_many(
            [FLAGSHIP, SECOND], tmp_path / "out", template=own_template("{% if x %}ingen slut")
        )
    assert not (tmp_path / "out").exists()


def test_progress_is_told_of_every_source_as_it_finishes(
    sources: list[Path], tmp_path: Path
) -> None:
    seen: list[tuple[int, int, bool]] = []

    def progress(done: int, total: int, result: RenderResult) -> None:
        seen.append((done, total, result.ok))

    render_many(sources, tmp_path / "out", jobs=2, progress=progress)
    assert [(done, total) for done, total, _ in seen] == [(n, 4) for n in range(1, 5)]
    assert sorted(ok for _, _, ok in seen) == [False, False, True, True]


def test_two_batches_write_the_same_bytes(tmp_path: Path) -> None:
    first = render_many([FLAGSHIP, SECOND], tmp_path / "a", jobs=2)
    second = render_many([FLAGSHIP, SECOND], tmp_path / "b", jobs=1)
    for one, other in zip(first.written, second.written, strict=True):
        assert one.read_bytes() == other.read_bytes()


def test_a_source_that_cannot_reach_a_worker_fails_alone(
    flagship: Agreement, tmp_path: Path
) -> None:
    unpicklable = flagship.model_copy(update={"background": lambda: "ingen bakgrund"})
    result = render_many([FLAGSHIP, ("trasig", unpicklable), SECOND], tmp_path, jobs=2)
    assert [r.ok for r in result] == [True, False, True]
    assert result.failed[0].error is not None
    assert result.failed[0].error.startswith("trasig: the rendering process failed: ")


def test_an_output_folder_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fil").write_text("ingen mapp")
    with pytest.raises(BatchError, match="cannot make the output folder"):
        render_many([FLAGSHIP], tmp_path / "fil" / "ut")


def test_an_interrupted_batch_removes_every_temporary_file_no_commit_moved(
    tmp_path: Path,
) -> None:
    # Ctrl-C may land between taking a finished render off the queue and acting on it; the
    # clean-up asks the render futures themselves, so no temporary file is forgotten.
    from concurrent.futures import Future

    from iopdocs._files import commit_temporary, write_temporary
    from iopdocs.batch import _discard

    committed = write_temporary(tmp_path / "a.docx", b"a")
    commit_temporary(committed, tmp_path / "a.docx")
    left = write_temporary(tmp_path / "b.docx", b"b")
    renders: list[Future[tuple[str | None, str | None]]] = []
    for result in [(None, str(committed)), (None, str(left)), ("c.yaml: fel", None)]:
        renders.append(Future())
        renders[-1].set_result(result)
    cancelled: Future[tuple[str | None, str | None]] = Future()
    cancelled.cancel()
    _discard([*renders, cancelled])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in programs are POSIX scripts")
def test_a_pdf_batch_converts_with_the_callers_converter_and_leaves_it_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``render_many(converter=pdf)`` converts with the caller's LibreOffice (here a stand-in):
    no other is started, and it still runs after the batch, for the next one."""
    from pypdf import PdfWriter

    from iopdocs import PdfConverter, load_agreement
    from iopdocs.pdf.convert import SOFFICE_ENV
    from iopdocs.pdf.warm import UNO_PYTHON_ENV
    from tests.hostile.test_batch_faults import FAKE_BRIDGE, executable

    blank = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(blank)
    soffice = executable(tmp_path / "soffice", "import time\ntime.sleep(600)")
    monkeypatch.setenv(SOFFICE_ENV, str(soffice))
    monkeypatch.setenv(UNO_PYTHON_ENV, str(executable(tmp_path / "uno-python", FAKE_BRIDGE)))
    monkeypatch.setenv("FAKE_PDF", str(blank))
    monkeypatch.setenv("FAKE_HUNG", str(tmp_path / "hung"))
    agreement = load_agreement(FLAGSHIP)
    with PdfConverter() as pdf:
        for batch in ("ett", "två"):
            result = render_many(
                {"avtal-a": agreement, "avtal-b": agreement},
                tmp_path / batch,
                format="pdf",
                converter=pdf,
                embed_data=False,
            )
            assert result.ok
            assert sorted(p.name for p in (tmp_path / batch).iterdir()) == [
                "avtal-a.pdf",
                "avtal-b.pdf",
            ]
            assert pdf.pid is not None  # still running
        assert pdf.starts == 1
