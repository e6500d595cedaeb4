"""Rendering the contracts of many agreements at once, over a pool of processes.

A region drafting one contract per partner hands ``render_many`` the agreement files (or
agreements built in Python, each with a name) and a folder. Each source becomes
``FOLDER/<name>.docx``; a source that fails (a missing file, invalid data) is reported with its
readable error while the others are still rendered. Results come back in the order of the
sources, whatever order the processes finish in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from iopdocs.errors import BatchError, IopdocsError
from iopdocs.model import Agreement

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["BatchResult", "RenderResult", "render_many"]

Source = str | os.PathLike[str] | tuple[str, Agreement]
Format = Literal["docx", "pdf"]
Progress = Callable[[int, int, "RenderResult"], None]


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
        total, failed = len(self.results), len(self.failed)
        noun = "agreement" if total == 1 else "agreements"
        if not failed:
            return f"rendered {total} {noun} into {self.out_dir}"
        done = total - failed
        return f"rendered {done} of {total} {noun} into {self.out_dir} ({failed} failed)"

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
) -> BatchResult:
    """Render the contract of every source into ``out_dir`` (created if missing).

    ``sources`` are agreement files (``.yaml``, ``.yml``, ``.json``), ``(name, agreement)`` pairs,
    or a mapping of names to agreements; each becomes ``out_dir/<stem or name>.docx``, written
    atomically. ``jobs`` processes render in parallel (default: one per available core; ``1``
    renders in this process). ``progress(done, total, result)`` is called as each source
    finishes. A source that fails does not stop the others: its ``RenderResult.error`` says why.
    Outputs are the same bytes ``render_contract`` gives.

    Raises ``BatchError`` before rendering anything when two sources would write the same file,
    a name is not a plain file name, the folder cannot be made, or ``jobs`` or ``format`` is
    unusable; ``TemplateError`` or
    ``TemplateSyntaxError`` when the template cannot be used.
    """
    from iopdocs.render.docx import prepare_template
    from iopdocs.render.environment import make_environment
    from iopdocs.render.templates import CONTRACT_TEMPLATE, load_template

    if format not in ("docx", "pdf"):
        raise BatchError(f"unknown output format {format!r}: choose 'docx' or 'pdf'")
    if format == "pdf":
        raise BatchError("PDF output is not available in this version of iopdocs; use 'docx'")
    if jobs is not None and jobs < 1:
        raise BatchError(f"jobs must be at least 1, not {jobs}")
    folder = Path(out_dir)
    tasks = _tasks(sources, folder, format)
    data = load_template(template, CONTRACT_TEMPLATE)
    prepare_template(data, make_environment(locale))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"cannot make the output folder {folder}: {exc.strerror}") from exc

    workers = min(jobs or _cores(), len(tasks))
    results: list[RenderResult | None] = [None] * len(tasks)
    done = 0

    def finished(result: RenderResult, index: int) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if progress is not None:
            progress(done, len(tasks), result)

    if workers <= 1:
        for task in tasks:
            finished(_render(task, data, locale), task.index)
    else:
        _in_pool(tasks, workers, data, locale, finished)
    return BatchResult(tuple(r for r in results if r is not None), folder)


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
                raise BatchError(f"{name!r} is not a plain file name for an output")
            payload: str | Agreement = agreement
        else:
            label = os.fspath(item)
            stem = Path(label).stem
            payload = label
        output = folder / f"{stem}.{format}"
        # Case-insensitive file systems (macOS, Windows) would overwrite one with the other.
        key = output.name.casefold()
        if key in claimed:
            raise BatchError(
                f"{claimed[key]} and {label} would both be written to {output}; rename one"
            )
        claimed[key] = label
        tasks.append(_Task(index, label, payload, str(output)))
    return tasks


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _render(task: _Task, template: bytes, locale: str) -> RenderResult:
    """Render one source; every failure becomes its result's readable error."""
    from pydantic import ValidationError

    from iopdocs.loading import load_agreement
    from iopdocs.render import render_contract

    output = Path(task.output)
    try:
        agreement = (
            load_agreement(task.agreement) if isinstance(task.agreement, str) else task.agreement
        )
        render_contract(agreement, output, template=template, locale=locale)
    except ValidationError as exc:
        from iopdocs.cli import format_validation_error

        lines = format_validation_error(exc, task.source)
        return RenderResult(task.source, output, "\n".join(lines))
    except IopdocsError as exc:
        message = str(exc)
        if task.source not in message:
            message = f"{task.source}: {message}"
        return RenderResult(task.source, output, message)
    except Exception as exc:  # isolate the failure: the rest of the batch still renders
        return RenderResult(task.source, output, f"{task.source}: {type(exc).__name__}: {exc}")
    return RenderResult(task.source, output)


_worker: dict[str, Any] = {}


def _start_worker(template: bytes, locale: str) -> None:
    """Each process compiles the template once (already done when it was forked)."""
    from iopdocs.render.docx import prepare_template
    from iopdocs.render.environment import make_environment

    _worker.update(template=template, locale=locale)
    prepare_template(template, make_environment(locale))


def _render_in_worker(task: _Task) -> RenderResult:
    return _render(task, _worker["template"], _worker["locale"])


def _in_pool(
    tasks: list[_Task],
    workers: int,
    template: bytes,
    locale: str,
    finished: Callable[[RenderResult, int], None],
) -> None:
    # Imported here: multiprocessing costs an import of iopdocs some milliseconds.
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(
        max_workers=workers, initializer=_start_worker, initargs=(template, locale)
    ) as pool:
        futures: dict[Future[RenderResult], _Task] = {
            pool.submit(_render_in_worker, task): task for task in tasks
        }
        try:
            for future in as_completed(futures):
                task = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # a worker died or a result could not travel back
                    result = RenderResult(
                        task.source,
                        Path(task.output),
                        f"{task.source}: the rendering process failed: {type(exc).__name__}: {exc}",
                    )
                finished(result, task.index)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
