"""Word to PDF with LibreOffice, run headless as ``soffice --convert-to``.

soffice is unforgiving in ways that matter for signed documents, so every call here:

- checks that each input really is a .docx first (soffice turns any garbage into a PDF of it);
- runs soffice with a private, throw-away user profile (two processes may not share one);
- runs it in its own process group and kills the whole group when the timeout expires
  (soffice starts oosplash, which starts soffice.bin);
- ignores soffice's exit status (0 even on failure) and checks instead that every PDF exists and
  has pages;
- converts into a private folder and moves each checked PDF into place atomically, so a failed or
  interrupted run leaves no partial file behind.

Many files go to one soffice call: LibreOffice's start-up (about a second) dominates the cost of
converting a contract, so a batch pays it once.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from iopdocs.errors import ConversionError, ConverterMissingError
from iopdocs.i18n import Message

__all__ = [
    "INSTALL_COMMAND",
    "SOFFICE_ENV",
    "Converter",
    "convert_many",
    "convert_to_pdf",
    "find_soffice",
    "is_docx",
]


class Converter(Protocol):
    """What converts with a LibreOffice already running (``iopdocs.PdfConverter``): declared
    here, so this module needs nothing of the converter's own."""

    def convert_many(
        self,
        docx_files: Sequence[str | os.PathLike[str]],
        out_dir: str | os.PathLike[str],
        *,
        pdfa: int | None = 2,
        timeout: float | None = None,
    ) -> list[Path]: ...


SOFFICE_ENV = "IOPDOCS_SOFFICE"
"""Environment variable naming the soffice program to use instead of the one on ``PATH``."""

INSTALL_COMMAND = (
    "apt-get install --no-install-recommends libreoffice-writer-nogui "
    "fonts-crosextra-carlito fonts-liberation2"
)

_STARTUP_SECONDS = 60.0
_SECONDS_PER_FILE = 30.0


def find_soffice() -> str:
    """The soffice program: ``$IOPDOCS_SOFFICE``, else ``soffice`` or ``libreoffice`` on PATH."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise ConverterMissingError(
                Message(
                    "{variable}='{value}' is not an executable program",
                    variable=SOFFICE_ENV,
                    value=configured,
                )
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found is not None:
            return found
    mac = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
    if os.access(mac, os.X_OK):
        return mac
    raise ConverterMissingError(
        Message(
            "LibreOffice (soffice) is needed to write PDF but was not found; install it with: "
            "{command} (or set {variable} to the soffice program)",
            command=INSTALL_COMMAND,
            variable=SOFFICE_ENV,
        )
    )


def is_docx(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a Word document: a zip holding ``word/document.xml``."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def export_options(pdfa: int | None) -> dict[str, bool | int]:
    """The PDF export filter's options: PDF/A-``pdfa`` (2 or 3, part B) and tagged, or plain PDF.

    Every PDF is also PDF/UA-1 (``PDFUACompliance``): tagged, with the document's language, its
    title shown instead of the file name, bookmarks for the headings, and the ``pdfuaid``
    identification in its XMP metadata.

    One source for both ways of converting, so a warm converter writes what soffice writes.
    """
    options: dict[str, bool | int] = {
        "UseTaggedPDF": True,
        "PDFUACompliance": True,
        "ExportBookmarks": True,
    }
    if pdfa is not None:
        if pdfa not in (1, 2, 3):
            raise ValueError(f"pdfa must be 1, 2 or 3 (PDF/A-1b, -2b, -3b), not {pdfa!r}")
        options["SelectPdfVersion"] = pdfa
    return options


def export_filter(pdfa: int | None) -> str:
    """The ``--convert-to`` argument for ``export_options(pdfa)``.

    The JSON form of the filter options is the one LibreOffice honours; the older
    ``SelectPdfVersion=2`` form is silently ignored.
    """
    options = {
        name: (
            {"type": "boolean", "value": str(value).lower()}
            if isinstance(value, bool)
            else {"type": "long", "value": str(value)}
        )
        for name, value in export_options(pdfa).items()
    }
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def convert_many(
    docx_files: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    pdfa: int | None = 2,
    timeout: float | None = None,
    converter: Converter | None = None,
) -> list[Path]:
    """Convert many .docx files to PDF with one LibreOffice process; return the PDFs' paths.

    Each ``NAME.docx`` becomes ``out_dir/NAME.pdf``, in the order given. ``pdfa`` selects
    PDF/A-2b (the default), PDF/A-3b (needed to embed files later) or, with ``None``, plain PDF;
    every PDF is tagged. ``timeout`` is in seconds for the whole batch (by default a minute plus
    half a minute per file); when it expires LibreOffice is killed and nothing is written.

    Raises ``ConverterMissingError`` without soffice, and ``ConversionError`` for an input that
    is not a .docx, two inputs with the same name, a timeout, or a PDF soffice did not write.

    With ``converter`` (a ``PdfConverter``), its LibreOffice, already running, converts them; then
    ``timeout`` is for each file.
    """
    if converter is not None:
        return converter.convert_many(docx_files, out_dir, pdfa=pdfa, timeout=timeout)
    sources = [Path(f) for f in docx_files]
    target = Path(out_dir)
    if not sources:
        return []
    check_sources(sources, target)
    soffice = find_soffice()
    limit = timeout if timeout is not None else _STARTUP_SECONDS + _SECONDS_PER_FILE * len(sources)

    with (
        tempfile.TemporaryDirectory(prefix="iopdocs-lo-profile-") as profile,
        tempfile.TemporaryDirectory(dir=target, prefix=".iopdocs-convert-") as work,
    ):
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            export_filter(pdfa),
            "--outdir",
            work,
            *(str(s.resolve()) for s in sources),
        ]
        stderr = _run(command, limit)
        produced = [Path(work) / f"{s.stem}.pdf" for s in sources]
        for source, pdf in zip(sources, produced, strict=True):
            check_pdf(source, pdf, stderr)
        results = []
        for pdf in produced:
            final = target / pdf.name
            os.replace(pdf, final)
            results.append(final)
    return results


def check_sources(sources: Sequence[Path], target: Path) -> None:
    """Refuse, before any conversion: a missing or non-.docx input, two inputs that would write
    one PDF, a missing output folder."""
    for source in sources:
        if not source.is_file():
            raise ConversionError(Message("{path}: no such file", path=source))
        if not is_docx(source):
            raise ConversionError(
                Message("{path}: not a Word document (.docx); refusing to convert it", path=source)
            )
    stems = [s.stem for s in sources]
    duplicates = sorted({s for s in stems if stems.count(s) > 1})
    if duplicates:
        raise ConversionError(
            Message(
                "two inputs would both become {name}.pdf; give them different names",
                name=duplicates[0],
            )
        )
    if not target.is_dir():
        raise ConversionError(Message("{folder}: the output folder does not exist", folder=target))


def convert_to_pdf(
    docx: str | os.PathLike[str] | bytes,
    *,
    pdfa: int | None = 2,
    timeout: float | None = None,
    converter: Converter | None = None,
) -> bytes:
    """Convert one .docx (a path or its bytes) to PDF and return the PDF's bytes."""
    with tempfile.TemporaryDirectory(prefix="iopdocs-pdf-") as folder:
        if isinstance(docx, bytes):
            source = Path(folder) / "document.docx"
            source.write_bytes(docx)
        else:
            source = Path(docx)
        out = Path(folder) / "out"
        out.mkdir()
        (pdf,) = convert_many([source], out, pdfa=pdfa, timeout=timeout, converter=converter)
        return pdf.read_bytes()


def _run(command: list[str], timeout: float) -> str:
    """Run soffice in a new process group; kill the group on timeout or interruption.

    Its output goes to a file, not a pipe: a child of soffice that left the group (its own
    session) and kept the pipe open would otherwise hold this call past the timeout.
    """
    with tempfile.TemporaryFile() as log:
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        except OSError as exc:
            raise ConverterMissingError(
                Message("cannot start {program}: {reason}", program=command[0], reason=exc)
            ) from exc
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(process)
            process.wait()
            raise ConversionError(
                Message(
                    "LibreOffice did not finish within {seconds:g} s and was stopped; nothing "
                    "was written",
                    seconds=timeout,
                )
            ) from exc
        except BaseException:
            _kill_group(process)
            process.wait()
            raise
        # A helper soffice left running would hold the profile and its files: stop the group.
        _kill_group(process)
        log.seek(0)
        return log.read(1 << 20).decode("utf-8", "replace")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def check_pdf(source: Path, pdf: Path, stderr: str = "") -> None:
    """Refuse what LibreOffice wrote unless it is a PDF with pages (soffice exits 0 regardless);
    then declare its PDF/UA identification as PDF/A asks (``iopdocs.pdf.xmp``)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    detail = " ".join(line for line in stderr.splitlines() if "javaldx" not in line).strip()
    if not pdf.is_file():
        raise ConversionError(
            Message("{path}: LibreOffice wrote no PDF ({detail})", path=source, detail=detail)
            if detail
            else Message("{path}: LibreOffice wrote no PDF", path=source)
        )
    try:
        try:  # strictly first: it skips pypdf's repair pass over every object of a sound file
            pages = len(PdfReader(pdf, strict=True).pages)
        except PyPdfError:
            pages = len(PdfReader(pdf).pages)
    except (PyPdfError, OSError, ValueError) as exc:
        raise ConversionError(
            Message(
                "{path}: LibreOffice wrote an unreadable PDF: {reason}", path=source, reason=exc
            )
        ) from exc
    if pages == 0:
        raise ConversionError(Message("{path}: LibreOffice wrote a PDF without pages", path=source))
    from iopdocs.pdf.xmp import declare_pdfua_schema

    data = pdf.read_bytes()
    declared = declare_pdfua_schema(data)
    if declared is not data:
        pdf.write_bytes(declared)  # the same length, in the private folder it was written to
