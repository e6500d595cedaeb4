"""The ``iopdocs`` command: thin argument parsing over the public API.

Exit status: 0 on success, 2 for bad input (a missing or broken file, invalid data, an unusable
template, an output that cannot be written, a document without iopdocs data). Exit 1 means
the command found something: ``check`` errors in the agreement, ``templates lint`` problems
in a template, ``verify`` a changed document, ``diff`` a change between two versions (as
diff(1) does), ``render`` of several agreements into a folder some that failed (the others
are written). 130 means interrupted with Ctrl-C, 141 that the reader of the output went away
(``iopdocs schema | head``), both as the shell reports them. Bad input never leaves an output file
behind.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from pydantic import ValidationError

from iopdocs.cli import authoring, check, data, diff, provenance, render, report
from iopdocs.cli.common import EXIT_BAD_INPUT, EXIT_BROKEN_PIPE, UsageError, printable
from iopdocs.cli.data import format_schedule
from iopdocs.cli.diff import format_changes
from iopdocs.errors import IopdocsError, TemplateSyntaxError
from iopdocs.loading import validation_messages
from iopdocs.version import __version__

EXIT_INTERNAL = 1  # an error iopdocs did not expect: a bug to report

# Each command imports what it needs inside its function, so ``iopdocs validate`` pays for
# pydantic and the model, and never for Word, Jinja, babel, lxml, pypdf, the checks or the
# schedule (tests/cli/test_cli_imports.py holds it to that). One module per group of commands
# holds both its arguments and its handler.

__all__ = ["format_changes", "format_schedule", "format_validation_error", "main", "parser"]


def format_validation_error(error: ValidationError, source: str | None = None) -> list[str]:
    """One readable line per problem, each naming the field path: ``parties[2].org_number: …``."""
    return validation_messages(error, source)


def parser() -> argparse.ArgumentParser:
    """The ``iopdocs`` argument parser with every command."""
    result = argparse.ArgumentParser(
        prog="iopdocs",
        description="Draft Swedish IOP contracts (idéburet offentligt partnerskap) from YAML/JSON.",
    )
    result.add_argument("--version", action="version", version=f"iopdocs {__version__}")
    result.add_argument(
        "--debug", action="store_true", help="show the full traceback of an internal error"
    )
    sub = result.add_subparsers(dest="command", required=True, metavar="COMMAND")
    render.add_parsers(sub)
    data.add_parsers(sub)
    report.add_parsers(sub)
    check.add_parsers(sub)
    authoring.add_parsers(sub)
    provenance.add_parsers(sub)
    diff.add_parsers(sub)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        status: int = args.handler(args, out, err)
    except ValidationError as exc:
        source = getattr(args, "data", None) if exc.title == "AnnualReport" else None
        source = source or getattr(args, "agreement", None) or getattr(args, "document", None)
        for line in format_validation_error(exc, source):
            print(f"error: {printable(line)}", file=err)
        return EXIT_BAD_INPUT
    except TemplateSyntaxError as exc:
        print(f"error: {printable(str(exc))}", file=err)
        for line in exc.context:
            print(f"  | {printable(line)}", file=err)
        return EXIT_BAD_INPUT
    except (IopdocsError, UsageError) as exc:
        print(f"error: {printable(str(exc))}", file=err)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # run() turns it into the shell's status
        raise
    except OSError as exc:  # a file the command writes or reads: full disk, no permission, …
        return _os_error(exc, err)
    except Exception as exc:
        return _internal_error(exc, err, debug=args.debug)
    return status


def _os_error(exc: OSError, err: TextIO) -> int:
    where = exc.filename
    text = f"{where}: {exc.strerror or exc}" if where is not None else str(exc.strerror or exc)
    print(f"error: {printable(text)}", file=err)
    return EXIT_BAD_INPUT


def _internal_error(exc: Exception, err: TextIO, *, debug: bool) -> int:
    """One line for an error iopdocs did not expect, the traceback with ``--debug``."""
    if debug:
        import traceback

        traceback.print_exception(exc, file=err)
    what = printable(f"{type(exc).__name__}: {exc}")[:300]
    print(f"internal error: {what}", file=err)
    if not debug:
        print(
            "  this is a bug in iopdocs; run the command again with --debug and report the "
            "traceback at the project's issue tracker",
            file=err,
        )
    return EXIT_INTERNAL


def run() -> None:
    """The console-script entry point: ``main`` with the real streams, and quiet about a reader
    that went away (``iopdocs schema | head``)."""
    # pydantic looks for plugins (observability hooks) through importlib.metadata at the first
    # validation, which costs a command about 50 ms of scanning installed packages; a user who
    # wants them sets PYDANTIC_DISABLE_PLUGINS to "" (or anything else) and gets them.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        status = main()
        sys.stdout.flush()  # a closed pipe shows here, not at exit where it cannot be caught
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's own flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = EXIT_BROKEN_PIPE
    sys.exit(status)
