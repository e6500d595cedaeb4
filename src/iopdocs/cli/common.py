"""What every command shares: exit statuses, usage errors and careful output."""

from __future__ import annotations

import argparse
import contextlib
import os
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from iopdocs.i18n import gettext as _
from iopdocs.i18n import translated

__all__ = [
    "DEFAULT_EUR_RATE",
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_CHANGED",
    "EXIT_CHANGES",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_SOME_FAILED",
    "UsageError",
    "command_inputs",
    "either",
    "example",
    "is_pdf_output",
    "output_file",
    "output_path",
    "pdf_arguments",
    "printable",
    "printing_warnings",
    "said",
    "writable",
    "write_atomic",
    "write_pdf",
]

EXIT_OK = 0
EXIT_FINDINGS = 1  # check: errors in the agreement
EXIT_PROBLEMS = 1  # templates lint: problems in the template
EXIT_CHANGED = 1  # verify: the document was changed
EXIT_CHANGES = 1  # diff: the two versions differ
EXIT_SOME_FAILED = 1  # render into a folder: some agreements failed
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # the shell's status for Ctrl-C
EXIT_BROKEN_PIPE = 141  # the shell's status for a filter whose reader went away (SIGPIPE)

# iopdocs.reviewing.DEFAULT_EUR_RATE, written out so that building the parser does not import the
# checks; a test keeps the two equal.
DEFAULT_EUR_RATE = "11.00"


class UsageError(Exception):
    """A problem with the command line itself (an output folder that does not exist, …)."""


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write through a temporary file and a rename, so a reader never sees half a file."""
    from iopdocs._files import write_atomic as write

    return write(path, data)


# The arguments through which a command reads files: an output may be none of them.
_INPUT_ARGUMENTS = ("agreement", "more", "old", "new", "document", "template", "clauses", "data")
_INPUT_LISTS = ("appendix",)


def command_inputs(args: argparse.Namespace | None) -> list[str]:
    """Every file the command of ``args`` reads: agreements, documents, templates, clause
    libraries, appendices, report data."""
    if args is None:
        return []
    found: list[str] = []
    for name in (*_INPUT_ARGUMENTS, *_INPUT_LISTS):
        value = getattr(args, name, None)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found += [v for v in value if isinstance(v, str)]
    return found


def refuse_inputs(target: str | os.PathLike[str], args: argparse.Namespace | None) -> None:
    """Refuse an output that is one of the command's inputs (also through a symlink or a hard
    link): writing it would destroy the input."""
    from iopdocs._files import input_clash

    clash = input_clash(target, command_inputs(args))
    if clash is not None:
        raise UsageError(
            _(
                "{path}: is the input {input}; writing it would destroy it, choose another "
                "output file"
            ).format(path=printable(os.fspath(target)), input=printable(clash))
        )


def output_path(path: str, args: argparse.Namespace | None = None) -> Path:
    """The file an ``-o`` names, refused when it is a folder, its folder does not exist, or it
    is one of the inputs of the command of ``args``."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(_("{path}: is a directory; give a file name").format(path=printable(path)))
    if not target.parent.is_dir():
        raise UsageError(
            _("{path}: the folder '{folder}' does not exist").format(
                path=printable(path), folder=printable(str(target.parent))
            )
        )
    refuse_inputs(target, args)
    from iopdocs._files import is_special_file

    if is_special_file(target):
        raise UsageError(
            _("{path}: is a device, pipe or socket, not a file to write").format(
                path=printable(path)
            )
        )
    return target


# C0 and C1 control characters (escape sequences start with ESC or CSI), DEL, and the Unicode
# marks that reorder or hide text on a terminal; tab is kept, newline is not (one line each).
_CONTROL = frozenset(
    [
        *range(0x00, 0x09),
        *range(0x0A, 0x20),
        *range(0x7F, 0xA0),
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (ANSI escape sequences, carriage
    returns, bidirectional overrides) shown as ``\\x1b``-style escapes, never sent raw."""
    if text.isprintable():
        return text
    return "".join(ch if ch == "\t" or ord(ch) not in _CONTROL else ascii(ch)[1:-1] for ch in text)


def output_file(path: str, *suffixes: str, args: argparse.Namespace | None = None) -> Path:
    """``output_path``, refused unless its suffix is one the command can write: a Word file
    written as ``avtal.odt`` or ``avtal`` would open as garbage, or not at all."""
    target = output_path(path, args)
    if target.suffix.lower() not in suffixes:
        raise UsageError(
            _("{path}: cannot write that kind of file; give a name ending in {suffixes}").format(
                path=printable(path), suffixes=either(suffixes)
            )
        )
    return target


def either(choices: Sequence[str]) -> str:
    """``a, b or c`` in the language in use."""
    if len(choices) < 2:
        return "".join(choices)
    return _("{some} or {last}").format(some=", ".join(choices[:-1]), last=choices[-1])


def example(parser: argparse.ArgumentParser, *lines: str) -> None:
    """Show ``lines`` under the command's ``--help`` as an example to copy."""
    parser.epilog = _("example:") + "\n" + "\n".join(f"  {line}" for line in lines)


def pdf_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a command that can write a PDF."""
    parser.add_argument(
        "--no-embed",
        action="store_true",
        help=_("for a PDF: do not attach the agreement data (PDF/A-2b instead of PDF/A-3b)"),
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=_(
            "for a PDF: stop LibreOffice after this many seconds and write nothing (default: "
            "60 s to start LibreOffice plus 30 s for each document converted; in a batch, 30 s "
            "for each document)"
        ),
    )


def is_pdf_output(target: Path) -> bool:
    """Whether the suffix of an output asks for a PDF."""
    return target.suffix.lower() == ".pdf"


def writable(target: Path) -> Path:
    """Refuse an output folder we may not write to before a slow conversion, not after."""
    if not os.access(target.parent, os.W_OK):
        raise UsageError(
            _("{path}: cannot write to the folder '{folder}'").format(
                path=target, folder=target.parent
            )
        )
    return target


@contextlib.contextmanager
def printing_warnings(err: TextIO) -> Iterator[None]:
    """Show library warnings (an appendix that is not PDF/A) as one ``warning:`` line each."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        print(_("warning: {message}").format(message=printable(said(warning.message))), file=err)


def said(what: object) -> str:
    """What an error, a warning or a result's error says, in the language in use: its
    ``Message`` translated, anything else as ``str`` gives it."""
    translate = getattr(what, "translated", None)
    if isinstance(what, BaseException) and callable(translate):  # an IopdocsError
        return str(translate())
    if isinstance(what, Warning) and len(what.args) == 1:
        what = what.args[0]
    return str(translated(what))


def write_pdf(target: Path, data: bytes, out: TextIO) -> int:
    """Write a finished PDF and say so; a failed write is a usage error, not a traceback."""
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot write the PDF: {reason}").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    print(_("wrote {path}").format(path=target), file=out)
    return EXIT_OK
