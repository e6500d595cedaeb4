"""The exceptions iopdocs raises.

Every error of iopdocs' own derives from one root, so a caller can catch them all at once::

    IopdocsError
     ├── AgreementFileError    an agreement or report file is missing, unreadable or not YAML/JSON
     ├── ScheduleError         a money line cannot be paid as stated (also a ValueError)
     ├── ReportError           no annual report for that year or party (also a ValueError)
     ├── TemplateError         a Word template cannot be loaded or rendered
     │    └── TemplateSyntaxError   the template's Jinja tags do not parse
     └── BatchError            a batch cannot start: two sources for one output file, … (also a
                               ValueError)

Data that parses but breaks the model's rules raises pydantic's own ``ValidationError``, which
passes through unchanged: its ``errors()`` name every field path, and each error has a stable
``type`` code.

Foreign errors (Jinja2, lxml, zipfile, YAML) are mapped to these classes at one boundary with
``raise … from exc``, so the original is always kept as ``__cause__``.
"""

from __future__ import annotations

__all__ = [
    "AgreementFileError",
    "BatchError",
    "IopdocsError",
    "ReportError",
    "ScheduleError",
    "TemplateError",
    "TemplateSyntaxError",
]


class IopdocsError(Exception):
    """Root of every error raised by iopdocs itself."""


class AgreementFileError(IopdocsError):
    """An agreement file cannot be read or parsed.

    ``path`` is the file, and ``line``/``column`` (1-based) point at a syntax error when known.
    """

    def __init__(
        self, message: str, *, path: str, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.args[0]}"


class ScheduleError(IopdocsError, ValueError):
    """A money line cannot be paid as stated over the agreement period.

    Validation already refuses such agreements; this guards agreements built without it
    (``model_construct``).
    """


class ReportError(IopdocsError, ValueError):
    """An annual report cannot be made as asked: a year outside the agreement period, a party
    that does not report, or report data for another year or party."""


class TemplateError(IopdocsError):
    """A Word template cannot be loaded or rendered (not a .docx, an unknown field, …)."""


class TemplateSyntaxError(TemplateError):
    """A Jinja tag in the template does not parse.

    ``context`` holds a few lines of the template's text around the error, as docxtpl reports them.
    """

    def __init__(self, message: str, *, context: list[str] | None = None) -> None:
        super().__init__(message)
        self.context = context or []


class BatchError(IopdocsError, ValueError):
    """A batch of renders cannot start as asked: two sources would write the same file, a name
    is not a plain file name, or the number of jobs or the format is unusable. Nothing is
    written."""
