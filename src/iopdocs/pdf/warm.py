"""A warm LibreOffice: one process kept running across conversions.

Starting LibreOffice costs about 1.5 s, more than converting a contract (about 0.57 s), so a
notebook re-rendering a draft, or a batch, keeps one running::

    with iopdocs.PdfConverter() as pdf:
        iopdocs.render_pdf(agreement, "avtal.pdf", converter=pdf)

LibreOffice is driven over its own remote protocol (UNO, ``soffice --accept=pipe,…;urp;``). The
project's environment cannot import LibreOffice's ``uno`` module, so a small bridge script
(``_uno_bridge.py``, shipped in this package) runs under the interpreter that can (Debian's
``/usr/bin/python3`` with python3-uno, or ``$IOPDOCS_UNO_PYTHON``) and speaks JSON lines with this
module over its stdin and stdout.

The guarantees of ``convert_many`` hold here too: a private profile (a temporary folder of this
converter's own), each conversion bounded by a timeout after which LibreOffice's whole process
group is killed, inputs and outputs checked, PDFs moved into place only when every one is good.
LibreOffice that crashes or is killed mid-conversion is restarted and the document converted
again, once; one that hangs is killed at the timeout and restarted for the next conversion. When
the converter is closed, collected, or the interpreter exits, nothing of it stays running, and
should this process be killed outright, the bridge sees its stdin close and stops LibreOffice.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from iopdocs.errors import ConversionError, ConverterMissingError
from iopdocs.i18n import Message
from iopdocs.pdf.convert import check_pdf, check_sources, export_options, find_soffice

__all__ = ["UNO_PYTHON_ENV", "PdfConverter"]

UNO_PYTHON_ENV = "IOPDOCS_UNO_PYTHON"
"""Environment variable naming a Python interpreter that can ``import uno``."""

UNO_INSTALL_COMMAND = "apt-get install --no-install-recommends python3-uno"

_BRIDGE = Path(__file__).with_name("_uno_bridge.py")
_START_SECONDS = 60.0
_SECONDS_PER_FILE = 30.0


def find_uno_python() -> str:
    """An interpreter with LibreOffice's ``uno``: ``$IOPDOCS_UNO_PYTHON``, else the Python
    LibreOffice ships with (macOS, Windows, LibreOffice's own Linux builds), else the system
    ``python3`` that Debian's python3-uno installs into."""
    configured = os.environ.get(UNO_PYTHON_ENV)
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise ConverterMissingError(
                Message(
                    "{variable}='{value}' is not an executable program",
                    variable=UNO_PYTHON_ENV,
                    value=configured,
                )
            )
        return found
    soffice_dir = Path(os.path.realpath(find_soffice())).parent
    for candidate in (
        str(soffice_dir / "python"),  # LibreOffice's own builds for Windows and Linux
        str(soffice_dir.parent / "Resources" / "python"),  # macOS
        "/usr/bin/python3",
    ):
        if os.access(candidate, os.X_OK):
            return candidate
    raise ConverterMissingError(
        Message(
            "a warm PDF converter needs LibreOffice's Python bridge (uno); install it with: "
            "{command} (or set {variable} to a Python that can import uno)",
            command=UNO_INSTALL_COMMAND,
            variable=UNO_PYTHON_ENV,
        )
    )


class _LostError(Exception):
    """LibreOffice or the bridge went away during a request."""


class _Processes:
    """What one converter has running: LibreOffice, the bridge, the profile folder.

    Kept apart from ``PdfConverter`` so the finalizer that stops them holds no reference to the
    converter (a finalizer that did would keep it alive forever).
    """

    def __init__(self) -> None:
        self.soffice: subprocess.Popen[bytes] | None = None
        self.bridge: subprocess.Popen[bytes] | None = None
        self.profile: str | None = None
        self.log: IO[bytes] | None = None
        self.buffer = b""
        # A process forked from the owner (a pool worker) inherits this object; only the owner
        # may stop what it started.
        self.owner = os.getpid()

    def alive(self) -> bool:
        return (
            self.soffice is not None
            and self.bridge is not None
            and self.soffice.poll() is None
            and self.bridge.poll() is None
        )

    def kill(self) -> None:
        """Kill LibreOffice's process group and the bridge's; change nothing else, so another
        thread waiting on them sees them end."""
        if os.getpid() != self.owner:
            return
        for process in (self.bridge, self.soffice):
            if process is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)

    def stop(self) -> None:
        """Kill LibreOffice's process group and the bridge's, and wait for both."""
        if os.getpid() != self.owner:
            return
        self.kill()
        for process in (self.bridge, self.soffice):
            if process is not None:
                with contextlib.suppress(OSError, ValueError):
                    if process.stdin is not None:
                        process.stdin.close()
                    if process.stdout is not None:
                        process.stdout.close()
                process.wait()
        self.bridge = self.soffice = None
        self.buffer = b""

    def close(self) -> None:
        """Stop everything and remove the profile."""
        if os.getpid() != self.owner:
            return
        self.stop()
        if self.log is not None:
            self.log.close()
            self.log = None
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None


class PdfConverter:
    """One LibreOffice kept running to convert Word documents to PDF, started on first use (or
    on entering ``with``) and stopped by ``close`` or at the end of ``with``.

    ``timeout`` bounds each document in seconds (default 30); ``start_timeout`` bounds starting
    LibreOffice (default 60). Use it with ``render_pdf(..., converter=pdf)``,
    ``render_annual_report_pdf``, ``convert_many`` and ``convert_to_pdf``, or call ``convert``.
    One converter converts one document at a time; threads sharing it take turns. Raises
    ``ConverterMissingError`` when LibreOffice or its Python bridge is not installed.
    """

    def __init__(self, *, timeout: float | None = None, start_timeout: float | None = None) -> None:
        self.timeout = timeout if timeout is not None else _SECONDS_PER_FILE
        self.start_timeout = start_timeout if start_timeout is not None else _START_SECONDS
        self._lock = threading.Lock()
        self._processes = _Processes()
        self._closed = False
        self._starts = 0
        # Runs on close, when the converter is collected, or at interpreter exit.
        self._finalizer = weakref.finalize(self, _Processes.close, self._processes)

    def __enter__(self) -> PdfConverter:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "running" if self._processes.alive() else "idle"
        return f"<PdfConverter {state}, started {self._starts} time(s)>"

    @property
    def starts(self) -> int:
        """How many times LibreOffice was started: 1, plus one per restart after a crash or hang."""
        return self._starts

    @property
    def pid(self) -> int | None:
        """The process id (and process group) of the running LibreOffice, if one runs."""
        soffice = self._processes.soffice
        return soffice.pid if soffice is not None and soffice.poll() is None else None

    def start(self) -> None:
        """Start LibreOffice now rather than at the first conversion (nothing if running)."""
        with self._lock:
            self._ensure_started()

    def close(self) -> None:
        """Stop LibreOffice and remove its profile. The converter cannot be used afterwards."""
        with self._lock:
            self._closed = True
            self._finalizer()

    def kill(self) -> None:
        """Stop LibreOffice now, even in the middle of a conversion another thread waits for
        (that conversion fails). The converter is closed; ``close`` still removes the profile."""
        self._closed = True
        self._processes.kill()

    def convert(self, docx: str | os.PathLike[str] | bytes, *, pdfa: int | None = 2) -> bytes:
        """One .docx (a path or its bytes) as PDF bytes: PDF/A-``pdfa`` (2 or 3, part B, or
        ``None`` for plain PDF), tagged, as ``convert_to_pdf`` makes it."""
        with tempfile.TemporaryDirectory(prefix="iopdocs-pdf-") as folder:
            if isinstance(docx, bytes):
                source = Path(folder) / "document.docx"
                source.write_bytes(docx)
            else:
                source = Path(docx)
            (pdf,) = self.convert_many([source], folder, pdfa=pdfa)
            return pdf.read_bytes()

    def convert_many(
        self,
        docx_files: Sequence[str | os.PathLike[str]],
        out_dir: str | os.PathLike[str],
        *,
        pdfa: int | None = 2,
        timeout: float | None = None,
    ) -> list[Path]:
        """Like ``iopdocs.convert_many``, in this converter's LibreOffice: each ``NAME.docx``
        becomes ``out_dir/NAME.pdf``, all or nothing. ``timeout`` is per file (default: the
        converter's)."""
        if self._closed:
            raise ConversionError(Message("this PdfConverter is closed; make a new one"))
        sources = [Path(f) for f in docx_files]
        target = Path(out_dir)
        if not sources:
            return []
        check_sources(sources, target)
        options = export_options(pdfa)
        limit = timeout if timeout is not None else self.timeout
        with tempfile.TemporaryDirectory(dir=target, prefix=".iopdocs-convert-") as work:
            produced = []
            for source in sources:
                pdf = Path(work) / f"{source.stem}.pdf"
                self._convert(source.resolve(), pdf, options, limit)
                check_pdf(source, pdf)
                produced.append(pdf)
            results = []
            for pdf in produced:
                final = target / pdf.name
                os.replace(pdf, final)
                results.append(final)
        return results

    def _convert(
        self, source: Path, target: Path, options: dict[str, bool | int], timeout: float
    ) -> None:
        request = {"source": str(source), "target": str(target), "filter": options}
        with self._lock:
            for attempt in (1, 2):
                self._ensure_started()
                try:
                    answer = self._ask(request, timeout)
                except _LostError as exc:
                    self._processes.stop()
                    if attempt == 2:
                        raise ConversionError(
                            Message(
                                "{path}: LibreOffice stopped while converting it, twice",
                                path=source,
                            )
                        ) from exc
                    continue  # LibreOffice crashed or was killed: start it again, try once more
                except BaseException:
                    # A timeout, or Ctrl-C: the document may be half converted; start afresh.
                    self._processes.stop()
                    raise
                if "error" in answer:
                    if answer.get("fatal"):
                        self._processes.stop()
                        if attempt == 1:
                            continue
                    raise ConversionError(
                        Message(
                            "{path}: LibreOffice could not convert it: {reason}",
                            path=source,
                            reason=answer["error"],
                        )
                    )
                return

    def _ensure_started(self) -> None:
        if self._closed:
            raise ConversionError(Message("this PdfConverter is closed; make a new one"))
        if self._processes.alive():
            return
        self._processes.stop()
        soffice = find_soffice()
        python = find_uno_python()
        processes = self._processes
        if processes.profile is None:
            processes.profile = tempfile.mkdtemp(prefix="iopdocs-lo-profile-")
            processes.log = open(Path(processes.profile) / "bridge.log", "w+b")  # noqa: SIM115
        pipe = f"iopdocs-{os.getpid()}-{id(self):x}-{self._starts}"
        try:
            processes.soffice = subprocess.Popen(
                [
                    soffice,
                    f"-env:UserInstallation={(Path(processes.profile) / 'user').as_uri()}",
                    "--headless",
                    "--invisible",
                    "--nologo",
                    "--nodefault",
                    "--norestore",
                    "--nolockcheck",
                    f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            raise ConverterMissingError(
                Message("cannot start {program}: {reason}", program=soffice, reason=exc)
            ) from exc
        try:
            processes.bridge = subprocess.Popen(
                [
                    python,
                    str(_BRIDGE),
                    pipe,
                    str(processes.soffice.pid),
                    str(self.start_timeout),
                    processes.profile,
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=processes.log,
                start_new_session=True,
            )
        except OSError as exc:
            processes.stop()
            raise ConverterMissingError(
                Message("cannot start {program}: {reason}", program=python, reason=exc)
            ) from exc
        self._starts += 1
        try:
            ready = self._read(self.start_timeout + 5)
        except _LostError as exc:
            detail = self._bridge_log()
            processes.stop()
            if "No module named 'uno'" in detail:
                raise ConverterMissingError(
                    Message(
                        "{program} cannot import LibreOffice's Python bridge (uno); install it "
                        "with: {command} (or set {variable})",
                        program=python,
                        command=UNO_INSTALL_COMMAND,
                        variable=UNO_PYTHON_ENV,
                    )
                ) from exc
            raise ConversionError(
                Message(
                    "LibreOffice did not start: {reason}",
                    reason=detail or Message("the bridge to it stopped"),
                )
            ) from exc
        except TimeoutError as exc:
            processes.stop()
            raise ConversionError(
                Message(
                    "LibreOffice did not start within {seconds:g} s and was stopped",
                    seconds=self.start_timeout,
                )
            ) from exc
        except BaseException:
            processes.stop()
            raise
        if not ready.get("ready"):
            processes.stop()
            raise ConversionError(
                Message("LibreOffice did not start: {reason}", reason=ready.get("error", ready))
            )

    def _ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        bridge = self._processes.bridge
        assert bridge is not None
        assert bridge.stdin is not None
        try:
            bridge.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            bridge.stdin.flush()
        except OSError as exc:  # the bridge is gone: LibreOffice took it down, or it was killed
            raise _LostError(str(exc)) from exc
        try:
            return self._read(timeout)
        except TimeoutError as exc:
            raise ConversionError(
                Message(
                    "{path}: LibreOffice did not finish within {seconds:g} s and was stopped; it "
                    "starts again for the next document",
                    path=Path(request["source"]),
                    seconds=timeout,
                )
            ) from exc

    def _read(self, timeout: float) -> dict[str, Any]:
        """The bridge's next line as JSON; ``TimeoutError`` after ``timeout`` seconds,
        ``_LostError`` when it closes its end."""
        processes = self._processes
        bridge = processes.bridge
        assert bridge is not None
        assert bridge.stdout is not None
        deadline = time.monotonic() + timeout
        descriptor = bridge.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(descriptor, selectors.EVENT_READ)
            while b"\n" not in processes.buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                if not selector.select(left):
                    continue
                chunk = os.read(descriptor, 65536)
                if not chunk:
                    raise _LostError("the bridge to LibreOffice closed")
                processes.buffer += chunk
        line, processes.buffer = processes.buffer.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _bridge_log(self) -> str:
        log = self._processes.log
        if log is None:
            return ""
        log.seek(0)
        text = log.read().decode("utf-8", "replace").strip()
        log.seek(0, os.SEEK_END)
        return text.splitlines()[-1] if text else ""
