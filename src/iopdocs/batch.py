"""Rendering the contracts of many agreements at once, over a pool of processes.

A region drafting one contract per partner hands ``render_many`` the agreement files (or
agreements built in Python, each with a name) and a folder. Each source becomes
``FOLDER/<name>.docx``, or ``.pdf``: the documents are then converted by LibreOffice kept
running, one process per core, many times faster than starting it for each file. A source that
fails (a missing file, invalid data) is reported with its readable error while the others are
still rendered. Results come back in the order of the sources, whatever order the processes
finish in.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from iopdocs._files import commit_temporary, write_temporary
from iopdocs.errors import BatchError, ConversionError, ConverterMissingError, IopdocsError
from iopdocs.i18n import N_, Message, language, reason, set_language
from iopdocs.model import Agreement

if TYPE_CHECKING:
    import queue
    from concurrent.futures import Future

    from iopdocs.pdf.convert import Converter


__all__ = ["BatchResult", "RenderResult", "render_many"]

Source = str | os.PathLike[str] | tuple[str, Agreement]
Format = Literal["docx", "pdf"]
Progress = Callable[[int, int, "RenderResult"], None]

# What a batch says, worded where it is shown (iopdocs.i18n.Message).
_FORMAT = N_("unknown output format '{format}': choose 'docx' or 'pdf'")
_JOBS = N_("jobs must be at least 1, not {jobs}")
_NO_FOLDER = N_("cannot make the output folder {folder}: {reason}")
_COLD = N_("converting without a warm LibreOffice, so more slowly: {reason}")
_UNRENDERED = N_("{source}: not rendered")
_FAILED = N_("{source}: {message}")
_UNWRITTEN = N_("{source}: cannot write {output}: {reason}")
_NOT_PLAIN = N_("'{name}' is not a plain file name for an output")
_CLASH = N_("{first} and {second} would both be written to {output}; rename one")
_LOST = N_("{source}: the rendering process failed: {reason}")


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What became of one source: the file written, or why there is none."""

    source: str
    """The agreement file as given, or the name given with an ``Agreement``."""
    output: Path
    """The file this source is (or would have been) written to."""
    error: str | None = None
    """A readable explanation, one line per problem, when the source failed."""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The results of ``render_many``, one per source in the order given."""

    results: tuple[RenderResult, ...]
    out_dir: Path

    @property
    def ok(self) -> bool:
        """True when every source was rendered."""
        return all(result.ok for result in self.results)

    @property
    def written(self) -> list[Path]:
        return [result.output for result in self.results if result.ok]

    @property
    def failed(self) -> list[RenderResult]:
        return [result for result in self.results if not result.ok]

    def summary(self) -> str:
        """One line: ``rendered 39 of 40 agreements into out/ (1 failed)``."""
        from iopdocs.i18n import ngettext

        total, failed = len(self.results), len(self.failed)
        if not failed:
            line = ngettext(
                "rendered {total} agreement into {folder}",
                "rendered {total} agreements into {folder}",
                total,
            )
            return line.format(total=total, folder=self.out_dir)
        line = ngettext(
            "rendered {done} of {total} agreement into {folder} ({failed} failed)",
            "rendered {done} of {total} agreements into {folder} ({failed} failed)",
            total,
        )
        return line.format(done=total - failed, total=total, folder=self.out_dir, failed=failed)

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[RenderResult]:
        return iter(self.results)


@dataclass(frozen=True, slots=True)
class _Task:
    """One source's work, cheap to send to a process: a path (or an agreement) and a target."""

    index: int
    source: str
    agreement: str | Agreement
    output: str


def render_many(
    sources: Iterable[Source] | Mapping[str, Agreement],
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    format: Format = "docx",
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
    progress: Progress | None = None,
    embed_data: bool = True,
    timeout: float | None = None,
    clauses: str | os.PathLike[str] | bytes | None = None,
    converter: Converter | None = None,
) -> BatchResult:
    """Render the contract of every source into ``out_dir`` (created if missing).

    ``sources`` are agreement files (``.yaml``, ``.yml``, ``.json``), ``(name, agreement)`` pairs,
    or a mapping of names to agreements; each becomes ``out_dir/<stem or name>.docx``, written
    atomically. ``jobs`` processes render in parallel (default: one per available core; ``1``
    renders in this process). ``progress(done, total, result)`` is called as each source
    finishes. A source that fails does not stop the others: its ``RenderResult.error`` says why.
    Outputs are the same bytes ``render_contract`` gives.

    With ``format="pdf"`` every contract is rendered in this process into a private folder and
    converted as soon as it is rendered by LibreOffice kept running, one process per job
    (PDF/A-3b with the agreement attached, as ``render_pdf`` makes them; PDF/A-2b without it
    when ``embed_data`` is false). ``timeout`` bounds each document's conversion in seconds
    (default 30). A document LibreOffice cannot convert, or that makes it crash or hang, fails
    alone; LibreOffice is restarted for the next one. A hanging document costs one ``timeout``:
    it fails, and only it.
    ``converter`` (a running ``iopdocs.PdfConverter``) converts instead of processes of the
    batch's own, and stays running afterwards: a notebook rendering batch after batch starts
    LibreOffice once.

    A batch cleans up after itself: its processes end with it, even when it is killed, and on
    SIGTERM it removes its temporary files and stops LibreOffice before the process ends. The
    work folders a batch killed outright left in ``out_dir``, and its temporary files of the
    outputs the next batch writes, are removed by that next batch.

    Raises ``BatchError`` before rendering anything when two sources would write the same file,
    a name is not a plain file name, the folder cannot be made, or ``jobs`` or ``format`` is
    unusable; ``TemplateError`` or
    ``TemplateSyntaxError`` when the template cannot be used; ``ClauseError`` when the clause
    library ``clauses`` (your own standard wording, as for ``render_contract``) cannot be used.
    """
    from iopdocs.documents import template_environment
    from iopdocs.documents.clauses import load_library
    from iopdocs.documents.templates import CONTRACT_TEMPLATE, load_template
    from iopdocs.word.docx import prepare_template

    if format not in ("docx", "pdf"):
        raise BatchError(Message(_FORMAT, format=format))
    if jobs is not None and jobs < 1:
        raise BatchError(Message(_JOBS, jobs=jobs))
    folder = Path(out_dir)
    tasks = _tasks(sources, folder, format)
    data = load_template(template, CONTRACT_TEMPLATE)
    prepare_template(data, template_environment(template, locale))
    # Checked once here, then handed to the workers as the library's bytes.
    library = None if clauses is None else load_library(clauses).source
    setup: _Setup = (template, locale, library)
    if format == "pdf":
        from iopdocs.pdf.convert import find_soffice

        find_soffice()  # no LibreOffice: say so before rendering anything
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(Message(_NO_FOLDER, folder=folder, reason=exc.strerror)) from exc
    with _terminate_cleanly(), _claim_folder(folder, {Path(t.output).stem for t in tasks}):
        if format == "pdf":
            return _render_pdfs(
                tasks, folder, jobs, setup, progress, embed_data, timeout, converter
            )
        return _render_docx(tasks, folder, jobs, setup, progress)


def _render_docx(
    tasks: list[_Task],
    folder: Path,
    jobs: int | None,
    setup: _Setup,
    progress: Progress | None,
) -> BatchResult:
    workers = min(jobs or _cores(), len(tasks))
    results: list[RenderResult | None] = [None] * len(tasks)
    done = 0

    def finished(result: RenderResult, index: int) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if progress is not None:
            progress(done, len(tasks), result)

    # Workers get the template as the caller named it, so a bundled one keeps its plain
    # environment and an outside one its sandbox.
    if workers <= 1:
        for task in tasks:
            finished(_render_and_commit(task, setup), task.index)
    else:
        _in_pool(tasks, workers, setup, finished)
    return BatchResult(tuple(r for r in results if r is not None), folder)


def _render_pdfs(
    tasks: list[_Task],
    folder: Path,
    jobs: int | None,
    setup: _Setup,
    progress: Progress | None,
    embed_data: bool,
    timeout: float | None,
    given: Converter | None = None,
) -> BatchResult:
    """Render each contract to .docx in a private folder, convert it, attach its agreement and
    move the PDF into place, one warm LibreOffice per worker (or the ``given`` one).

    LibreOffice starts (about 2.5 s) while the first .docx files are rendered in this process
    (a few tens of milliseconds each, so the cores go to LibreOffice, not to starting rendering
    processes); each document is handed over as soon as it is rendered and a LibreOffice is
    free, and each LibreOffice takes the next one as soon as it is started and done with one. A
    document LibreOffice cannot convert (or that makes it crash or hang) fails alone.
    """
    import queue
    import shutil
    import tempfile
    import threading
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from iopdocs.pdf.warm import PdfConverter

    work = Path(tempfile.mkdtemp(prefix=_WORK_PREFIX, dir=folder))
    workers = min(jobs or _cores(), len(tasks))
    converters = [PdfConverter(timeout=timeout) for _ in range(workers)] if given is None else []
    converting = 1 if given is not None else workers
    free: queue.SimpleQueue[Converter] = queue.SimpleQueue()
    if given is not None:
        free.put(given)
    missing: list[ConverterMissingError] = []
    failed: list[BaseException] = []
    lock = threading.Lock()

    def start(converter: PdfConverter) -> None:
        """Start one LibreOffice and offer it to the documents; without its Python bridge,
        offer soffice calls instead; when none of them starts, fail every document."""
        try:
            converter.start()
        except ConverterMissingError as exc:
            missing.append(exc)
            free.put(_ColdConverter(timeout))
        except BaseException as exc:
            with lock:
                failed.append(exc)
                if len(failed) == len(converters):
                    free.put(_Unstarted(failed[0]))
            raise
        else:
            free.put(converter)

    def finish(task: _Task, docx_task: _Task, outcome: RenderResult) -> RenderResult:
        output = Path(task.output)
        if not outcome.ok:
            return RenderResult(task.source, output, outcome.error)
        try:
            agreement, document = _pdf_ready(task, Path(docx_task.output))
        except (OSError, IopdocsError) as exc:
            return RenderResult(task.source, output, _failed(task.source, exc))
        converter = free.get()
        try:
            (pdf,) = converter.convert_many([docx_task.output], work, pdfa=3 if embed_data else 2)
        except (OSError, IopdocsError) as exc:
            return RenderResult(task.source, output, _failed(task.source, exc))
        finally:
            free.put(converter)  # to the next document while this one is finished
        return _finish_pdf(task, pdf, embed_data, agreement, document)

    try:
        # Twice as many threads as LibreOffice processes: while one thread attaches and writes
        # a converted PDF, another already hands its LibreOffice the next document.
        with ThreadPoolExecutor(
            2 * converting + len(converters), thread_name_prefix="iopdocs-pdf"
        ) as threads:
            starting = [threads.submit(start, converter) for converter in converters]
            futures = {}
            try:
                for task in tasks:
                    docx = str(work / f"{Path(task.output).stem}.docx")
                    docx_task = _Task(task.index, task.source, task.agreement, docx)
                    outcome = _render_and_commit(docx_task, setup)
                    futures[threads.submit(finish, task, docx_task, outcome)] = task
                for started in starting:
                    with contextlib.suppress(Exception):
                        started.result()
                if missing:
                    # LibreOffice is there (checked before rendering) but not its Python
                    # bridge: converted as before, one soffice start per document.
                    import warnings

                    warnings.warn(
                        Message(_COLD, reason=reason(missing[0])),
                        RuntimeWarning,
                        stacklevel=4,
                    )
                results: list[RenderResult | None] = [None] * len(tasks)
                for done, future in enumerate(as_completed(futures), start=1):
                    result = future.result()
                    results[futures[future].index] = result
                    if progress is not None:
                        progress(done, len(tasks), result)
            except BaseException:
                # Ctrl-C or SIGTERM: what has not begun is not begun, and the batch's own
                # LibreOffice processes stop now, failing the documents in hand.
                for future in futures:
                    future.cancel()
                for converter in converters:
                    converter.kill()
                raise
        if failed and len(failed) == len(converters):
            raise failed[0]
        return BatchResult(tuple(r for r in results if r is not None), folder)
    finally:
        for converter in converters:
            converter.kill()  # all at once; then each is waited for and its profile removed
        for converter in converters:
            converter.close()
        shutil.rmtree(work, ignore_errors=True)


@dataclass(frozen=True)
class _Unstarted:
    """What documents get when no LibreOffice of the batch started: the reason."""

    reason: BaseException

    def convert_many(self, *args: Any, **kwargs: Any) -> list[Path]:
        raise ConversionError(reason(self.reason)) from self.reason


@dataclass(frozen=True)
class _ColdConverter:
    """One soffice start per call: the way without LibreOffice's Python bridge."""

    timeout: float | None

    def convert_many(
        self,
        docx_files: Sequence[str | os.PathLike[str]],
        out_dir: str | os.PathLike[str],
        *,
        pdfa: int | None = 2,
        timeout: float | None = None,
    ) -> list[Path]:
        from iopdocs.pdf.convert import convert_many

        limit = timeout if timeout is not None else self.timeout
        return convert_many(docx_files, out_dir, pdfa=pdfa, timeout=limit)


def _pdf_ready(task: _Task, docx: Path) -> tuple[Agreement, bytes]:
    """The agreement of ``task`` and its rendered .docx, made ready for conversion as
    ``render_pdf`` makes it: a draft loses Word's watermark, since the PDF's stamp is drawn on
    every page as an artifact (a screen reader skips it; the WordArt would be an untagged
    figure)."""
    from iopdocs.loading import load_agreement
    from iopdocs.model import Status

    agreement = (
        load_agreement(task.agreement) if isinstance(task.agreement, str) else task.agreement
    )
    document = docx.read_bytes()
    if agreement.metadata.status is Status.DRAFT:
        from iopdocs._files import write_atomic
        from iopdocs.word.watermark import without_draft_watermark

        document = without_draft_watermark(document)
        write_atomic(docx, document)
    return agreement, document


def _finish_pdf(
    task: _Task, converted: Path, embed_data: bool, agreement: Agreement, document: bytes
) -> RenderResult:
    """Stamp a draft, attach the agreement and its record to one converted contract, and move
    the PDF into place."""
    from iopdocs._files import write_atomic
    from iopdocs.pdf import finish_contract_pdf

    output = Path(task.output)
    try:
        pdf = finish_contract_pdf(
            converted.read_bytes(), agreement, document=document, embed_data=embed_data
        )
        write_atomic(output, pdf)
    except (OSError, IopdocsError) as exc:
        return RenderResult(task.source, output, _failed(task.source, exc))
    return RenderResult(task.source, output)


def _failed(source: str, exc: BaseException) -> str:
    return Message(_FAILED, source=source, message=reason(exc))


def _unwritten(source: str, output: object, exc: OSError) -> str:
    return Message(_UNWRITTEN, source=source, output=output, reason=exc.strerror or exc)


def _tasks(
    sources: Iterable[Source] | Mapping[str, Agreement], folder: Path, format: str
) -> list[_Task]:
    items = sources.items() if isinstance(sources, Mapping) else sources
    tasks: list[_Task] = []
    claimed: dict[str, str] = {}
    for index, item in enumerate(items):
        if isinstance(item, tuple):
            name, agreement = item
            if not isinstance(agreement, Agreement):
                raise TypeError(f"expected (name, Agreement), got (name, {type(agreement)})")
            label = name
            stem = name.removesuffix(f".{format}")
            if not stem or stem in (".", "..") or Path(stem).name != stem or "\\" in stem:
                raise BatchError(Message(_NOT_PLAIN, name=name))
            payload: str | Agreement = agreement
        else:
            label = os.fspath(item)
            stem = Path(label).stem
            payload = label
        output = folder / f"{stem}.{format}"
        # Case-insensitive file systems (macOS, Windows) would overwrite one with the other.
        key = output.name.casefold()
        if key in claimed:
            raise BatchError(Message(_CLASH, first=claimed[key], second=label, output=output))
        claimed[key] = label
        tasks.append(_Task(index, label, payload, str(output)))
    return tasks


_WORK_PREFIX = ".iopdocs-batch-"
"""A PDF batch's private folder in the output folder: its .docx files and conversions."""
_STALE_SUFFIXES = (".docx", ".pdf")


class _Terminated(BaseException):
    """SIGTERM arrived during a batch: unwind it like Ctrl-C, then end as SIGTERM asked."""


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While a batch runs in the main thread, SIGTERM first cleans up (stops the processes,
    removes temporary files) and then ends the process, as SIGTERM would have.

    Left alone when the program has its own SIGTERM handler, or outside the main thread (where
    Python cannot handle signals).
    """
    import signal
    import threading

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def terminated(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: let the clean-up finish
        raise _Terminated

    signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        raise  # only if the signal could not end the process
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def _claim_folder(folder: Path, stems: set[str]) -> Iterator[None]:
    """Hold the output folder for the batch; a batch into a folder no other batch is using
    removes what batches killed outright left there: their work folders, and the temporary
    files of the outputs it writes itself (``.NAME.docx.*.tmp``, ``.NAME.pdf.*.tmp`` for each
    NAME in ``stems``; the temporary file of another output may be a single render's, in
    progress).

    The claim is a shared ``flock`` on the folder itself: the kernel drops it when its holder
    dies, however it dies, and it leaves no file behind. Batches into one folder run side by
    side; a batch sweeps only when it can hold the folder alone. Without ``flock`` (Windows)
    nothing is swept.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another batch is writing here: its files are not stale
            pass
        else:
            _sweep(folder, stems)
        fcntl.flock(descriptor, fcntl.LOCK_SH)
        yield
    finally:
        os.close(descriptor)


def _sweep(folder: Path, stems: set[str]) -> None:
    """Remove the work folders of batches that were killed, and their temporary files of the
    outputs named ``stems``."""
    import shutil

    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if not name.startswith("."):
                continue
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    if name.startswith(_WORK_PREFIX):
                        shutil.rmtree(entry.path, ignore_errors=True)
                elif name.endswith(".tmp") and entry.is_file(follow_symlinks=False):
                    # write_temporary's names: "." + output name + "." + random + ".tmp"
                    output = name[1:].rsplit(".", 2)[0]
                    stem, dot, suffix = output.rpartition(".")
                    if dot and f".{suffix}" in _STALE_SUFFIXES and stem in stems:
                        os.unlink(entry.path)


def _die_with_parent(parent: int) -> None:
    """End this worker process when the batch's process ends, even by kill -9: otherwise it
    would wait forever on a queue nobody writes to.

    Linux: the kernel's parent-death signal. Other POSIX systems: a thread that watches for
    the process being handed to a new parent.
    """
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        # The parent may have died between the fork and the line above.
        if os.getppid() != parent and not _alive(parent):
            os._exit(1)
        return
    if os.name != "posix":  # pragma: no cover - Windows ends a pool's workers itself
        return
    import threading
    import time

    first = os.getppid()  # the batch, or the process a pool starts workers from

    def watch() -> None:
        while os.getppid() == first:
            time.sleep(0.5)
        os._exit(1)  # the parent is gone: this process was handed to another one

    threading.Thread(target=watch, name="iopdocs-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (POSIX: signal 0 only checks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_Setup = tuple[str | os.PathLike[str] | bytes | None, str, bytes | None]
"""What every contract of a batch renders with: the template, the locale, the clause library."""


def _render(task: _Task, setup: _Setup) -> tuple[str | None, str | None]:
    """Render one source into a temporary file next to its output.

    Returns ``(None, temporary path)``, or ``(readable error, None)``: every failure of one
    source becomes its error, so the rest of the batch goes on.
    """
    from pydantic import ValidationError

    from iopdocs.documents import render_contract
    from iopdocs.loading import load_agreement

    try:
        agreement = (
            load_agreement(task.agreement) if isinstance(task.agreement, str) else task.agreement
        )
        template, locale, clauses = setup
        data = render_contract(agreement, template=template, locale=locale, clauses=clauses)
        return None, str(write_temporary(task.output, data))
    except ValidationError as exc:
        from iopdocs.loading import validation_messages

        return "\n".join(validation_messages(exc, task.source)), None
    except IopdocsError as exc:
        message = exc.message
        if task.source not in message:
            message = Message(_FAILED, source=task.source, message=message)
        return message, None
    except OSError as exc:
        return _unwritten(task.source, task.output, exc), None
    except Exception as exc:  # isolate the failure: the rest of the batch still renders
        return f"{task.source}: {type(exc).__name__}: {exc}", None


def _commit(task: _Task, temporary: str) -> RenderResult:
    """Sync the rendered file to disk and move it into place."""
    output = Path(task.output)
    try:
        commit_temporary(temporary, output)
    except OSError as exc:
        return RenderResult(task.source, output, _unwritten(task.source, output, exc))
    return RenderResult(task.source, output)


def _render_and_commit(task: _Task, setup: _Setup) -> RenderResult:
    """``_render`` and ``_commit`` in this process; Ctrl-C between the two leaves no
    temporary file behind."""
    temporary = None
    try:
        error, temporary = _render(task, setup)
        return _outcome(task, error, temporary)
    except BaseException:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise


def _outcome(task: _Task, error: str | None, temporary: str | None) -> RenderResult:
    if temporary is None:
        return RenderResult(task.source, Path(task.output), error)
    return _commit(task, temporary)


_worker: dict[str, Any] = {}


def _start_worker(setup: _Setup, parent: int, language_code: str) -> None:
    """Each process compiles the template once (already done when it was forked) and words its
    messages in the parent's language (a process started afresh does not inherit it).

    Ctrl-C is for the parent alone: it stops handing out work, lets each process finish the
    source in hand, and removes what will not be committed.
    """
    import signal

    from iopdocs.documents import template_environment
    from iopdocs.documents.templates import CONTRACT_TEMPLATE, load_template
    from iopdocs.word.docx import prepare_template

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's clean-up handler
    _die_with_parent(parent)

    set_language(language_code)
    _worker.update(setup=setup)
    template, locale, _ = setup
    prepare_template(
        load_template(template, CONTRACT_TEMPLATE), template_environment(template, locale)
    )


def _render_in_worker(task: _Task) -> tuple[str | None, str | None]:
    return _render(task, _worker["setup"])


# An event of the pool: a task and its finished future; for a commit, the temporary file.
_Event = tuple[_Task, "Future[Any]", str | None]


def _post(
    events: queue.SimpleQueue[_Event], task: _Task, temporary: str | None, future: Future[Any]
) -> None:
    events.put((task, future, temporary))


def _in_pool(
    tasks: list[_Task],
    workers: int,
    setup: _Setup,
    finished: Callable[[RenderResult, int], None],
) -> None:
    """Render in ``workers`` processes; commit (fsync and rename) in threads of this one, so
    the processes render the next source while the disk catches up."""
    # Imported here: multiprocessing and threading cost an import of iopdocs some milliseconds.
    import queue
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    events: queue.SimpleQueue[_Event] = queue.SimpleQueue()
    renders: list[Future[tuple[str | None, str | None]]] = []
    with (
        ProcessPoolExecutor(
            max_workers=workers,
            initializer=_start_worker,
            initargs=(setup, os.getpid(), language()),
        ) as pool,
        ThreadPoolExecutor(max_workers=4, thread_name_prefix="iopdocs-commit") as disk,
    ):
        try:
            for task in tasks:
                render = pool.submit(_render_in_worker, task)
                renders.append(render)
                render.add_done_callback(partial(_post, events, task, None))
            remaining = len(tasks)
            while remaining:
                task, future, committed = events.get()
                if committed is not None:
                    finished(future.result(), task.index)
                    remaining -= 1
                    continue
                try:
                    error, temporary = future.result()
                except Exception as exc:  # a worker died, or the task could not travel to it
                    error, temporary = (
                        Message(_LOST, source=task.source, reason=f"{type(exc).__name__}: {exc}"),
                        None,
                    )
                if temporary is None:
                    finished(RenderResult(task.source, Path(task.output), error), task.index)
                    remaining -= 1
                else:
                    disk.submit(_commit, task, temporary).add_done_callback(
                        partial(_post, events, task, temporary)
                    )
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            disk.shutdown(wait=True, cancel_futures=True)
            _discard(renders)
            raise


def _discard(renders: list[Future[tuple[str | None, str | None]]]) -> None:
    """After an interruption, with every process and commit stopped: remove the temporary
    files no commit moved into place.

    Asked of the futures, not of the events: Ctrl-C may land between taking an event off the
    queue and acting on it, and that event would be lost. A committed file was renamed, so
    removing its temporary name is a no-op.
    """
    for render in renders:
        if render.done() and not render.cancelled() and render.exception() is None:
            temporary = render.result()[1]
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
