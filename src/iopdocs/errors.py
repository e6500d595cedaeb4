"""The exceptions iopdocs raises.

Every error of iopdocs' own derives from one root, so a caller can catch them all at once::

    IopdocsError
     ├── AgreementFileError    an agreement or report file is missing, unreadable or not YAML/JSON
     ├── ScheduleError         a money line cannot be paid as stated (also a ValueError)
     ├── ReportError           no annual report for that year or party (also a ValueError)
     ├── ReviewError           a review cannot run as asked: a bad euro rate, an unknown party
     ├── TemplateError         a Word template cannot be loaded or rendered
     │    ├── TemplateSyntaxError   the template's Jinja tags do not parse
     │    └── TemplateSandboxError  an outside template tried what the sandbox refuses
     ├── ProvenanceError       a document's embedded data cannot be read or checked
     │    ├── NoProvenanceError     the document carries no agreement data
     │    └── TemplateMismatchError verify lacks the template the document was rendered with
     ├── ConversionError       LibreOffice could not turn a .docx into a PDF (or timed out)
     │    └── ConverterMissingError   LibreOffice (soffice) is not installed
     ├── OutputError           an output path names one of the inputs (also a ValueError)
     ├── LimitError            an input exceeds a stated bound: size, nesting, expansion
     ├── AppendixError         an appendix file is missing, unusable or not the one listed
     ├── BatchError            a batch cannot start: two sources for one output file, … (also a
     │                         ValueError)
     └── PackageError          a signing package's folder exists and is not empty (also a
                               ValueError)

Data that parses but breaks the model's rules raises pydantic's own ``ValidationError``, which
passes through unchanged: its ``errors()`` name every field path, and each error has a stable
``type`` code.

Foreign errors (Jinja2, lxml, zipfile, YAML, pypdf) are mapped to these classes at one boundary with
``raise … from exc``, so the original is always kept as ``__cause__``.

``str(exc)`` is English, in every process and whatever the language in use; ``exc.translated()``
is the same message in the language in use (``iopdocs.i18n.set_language``), which is how the
command line prints it. Every message is an ``iopdocs.i18n.Message``: its catalog id and
parameters travel with the error, and an error pickles with its attributes (a batch's worker
processes send them back).
"""

from __future__ import annotations

from typing import Any

# iopdocs.i18n is imported where a message is made or shown, not here: `import iopdocs` (which
# imports this module) stays free of gettext.

__all__ = [
    "AgreementFileError",
    "AppendixError",
    "BatchError",
    "ClauseError",
    "ConversionError",
    "ConverterMissingError",
    "IopdocsError",
    "LimitError",
    "NoProvenanceError",
    "OutputError",
    "PackageError",
    "ProvenanceError",
    "ReportError",
    "ReviewError",
    "ScheduleError",
    "TemplateError",
    "TemplateMismatchError",
    "TemplateSandboxError",
    "TemplateSyntaxError",
]


class IopdocsError(Exception):
    """Root of every error raised by iopdocs itself."""

    @property
    def message(self) -> str:
        """What ``str(exc)`` says, as a ``Message`` that can be translated when it is one."""
        from iopdocs.i18n import Message

        first = self.args[0] if len(self.args) == 1 else None
        return first if isinstance(first, Message) else str(self)

    def translated(self) -> str:
        """The message in the language in use: Swedish or English."""
        from iopdocs.i18n import translated

        return str(translated(self.message))

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles as cls(*args), which loses keyword-only arguments (path=, …).
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[IopdocsError], args: tuple[Any, ...], state: dict[str, Any]) -> IopdocsError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


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
        return str(self.message)

    @property
    def message(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        from iopdocs.i18n import Message

        return Message("{where}: {message}", where=where, message=self.args[0])


class ScheduleError(IopdocsError, ValueError):
    """A money line cannot be paid as stated over the agreement period.

    Validation already refuses such agreements; this guards agreements built without it
    (``model_construct``).
    """


class ReportError(IopdocsError, ValueError):
    """An annual report cannot be made as asked: a year outside the agreement period, a party
    that does not report, or report data for another year or party."""


class ReviewError(IopdocsError, ValueError):
    """A review cannot run with the options given: a euro rate that is not a positive number,
    or an SGEI party that is not a non-profit party of the agreement."""


class ClauseError(IopdocsError, ValueError):
    """A clause library (or an agreement's clause override) cannot be used: a clause that does
    not parse, names a field the model lacks, belongs to no known section, or an override that
    names no clause. The message starts with the clause id; ``clause_id`` holds it."""

    def __init__(self, message: str, *, clause_id: str | None = None) -> None:
        from iopdocs.i18n import Message

        super().__init__(
            Message("{clause}: {message}", clause=clause_id, message=message)
            if clause_id
            else message
        )
        self.clause_id = clause_id


class TemplateError(IopdocsError):
    """A Word template cannot be loaded or rendered (not a .docx, an unknown field, …)."""


class TemplateSyntaxError(TemplateError):
    """A Jinja tag in the template does not parse.

    ``context`` holds a few lines of the template's text around the error, as docxtpl reports them.
    """

    def __init__(self, message: str, *, context: list[str] | None = None) -> None:
        super().__init__(message)
        self.context = context or []


class TemplateSandboxError(TemplateError):
    """A template from outside the package tried something its sandbox refuses: Python internals
    (``__class__``), changing the data (``append``), other files (``{% include %}``) or huge
    values (``range(10**9)``). The message names what was refused."""


class ProvenanceError(IopdocsError):
    """A document's embedded agreement data cannot be read or checked: the file is not a .docx
    or PDF iopdocs can read, or its provenance part is damaged."""


class NoProvenanceError(ProvenanceError):
    """The document carries no agreement data: it was not made by iopdocs, or the data was
    removed."""


class TemplateMismatchError(ProvenanceError):
    """``verify`` cannot re-render a document: it was rendered with another template than the
    one at hand. ``recorded`` and ``given`` are the two templates' SHA-256."""

    def __init__(self, message: str, *, recorded: str, given: str) -> None:
        super().__init__(message)
        self.recorded = recorded
        self.given = given


class ConversionError(IopdocsError):
    """LibreOffice could not convert a Word document to PDF: the input is not a .docx, soffice
    failed or produced no usable PDF, or it did not finish within the timeout."""


class ConverterMissingError(ConversionError):
    """LibreOffice (``soffice``) is not installed or not where ``IOPDOCS_SOFFICE`` points."""


class OutputError(IopdocsError, ValueError):
    """An output path resolves to one of the command's inputs (the agreement, a template, a
    clause library, an appendix, report data), through a symlink or a hard link too. Nothing is
    written: writing would destroy the input."""


class LimitError(IopdocsError):
    """An input is larger, deeper or more expansive than iopdocs reads: a file over the size
    limit, a zip member that would unpack too large, an XML part with a DTD, a YAML alias
    expansion, a template that builds a huge text. The message names the limit."""


class AppendixError(IopdocsError, ValueError):
    """An appendix (bilaga) to a PDF cannot be used: the file is missing or is neither PDF nor
    .docx, or the files given do not match the appendices the agreement lists."""


class BatchError(IopdocsError, ValueError):
    """A batch of renders cannot start as asked: two sources would write the same file, a name
    is not a plain file name, or the number of jobs or the format is unusable. Nothing is
    written."""


class PackageError(IopdocsError, ValueError):
    """A signing package cannot be written as asked: its folder exists and is not empty, or its
    parent folder does not exist. Nothing is written."""
