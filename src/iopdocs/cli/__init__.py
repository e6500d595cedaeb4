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
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from iopdocs.cli.common import EXIT_BAD_INPUT, EXIT_BROKEN_PIPE, UsageError, printable, said
from iopdocs.errors import IopdocsError, TemplateSyntaxError
from iopdocs.i18n import choose_language, language, set_language
from iopdocs.i18n import gettext as _
from iopdocs.version import __version__

if TYPE_CHECKING:
    from pydantic import ValidationError

    from iopdocs.cli.data import format_schedule
    from iopdocs.cli.diff import format_changes

EXIT_INTERNAL = 1  # an error iopdocs did not expect: a bug to report

# Each command imports what it needs inside its function, so ``iopdocs validate`` pays for
# pydantic and the model, and never for Word, Jinja, babel, lxml, pypdf, the checks or the
# schedule (tests/cli/test_cli_imports.py holds it to that). One module per group of commands
# holds both its arguments and its handler. Importing this package imports none of them nor
# pydantic: ``run`` sets the process up (``cli/startup.py``) before the heavy imports start.

__all__ = ["format_changes", "format_schedule", "format_validation_error", "main", "parser"]


def __getattr__(name: str) -> Any:
    """``format_schedule`` and ``format_changes``, imported on first use."""
    if name == "format_schedule":
        from iopdocs.cli.data import format_schedule

        return format_schedule
    if name == "format_changes":
        from iopdocs.cli.diff import format_changes

        return format_changes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def format_validation_error(error: ValidationError, source: str | None = None) -> list[str]:
    """One readable line per problem, each naming the field path: ``parties[2].org_number: …``."""
    from iopdocs.loading import validation_messages

    return validation_messages(error, source)


# The commands in the order of the work: write, check, render, then the year's follow-up, the
# versions, the documents' provenance, and last what template and clause authors use.
WORKFLOW = (
    "new",
    "validate",
    "check",
    "render",
    "package",
    "schedule",
    "report",
    "diff",
    "migrate",
    "extract",
    "verify",
    "schema",
    "templates",
    "clauses",
)


# The module of iopdocs.cli that adds each command (tests/cli/test_startup.py checks it): a
# command being run gets only its own module's parsers, not every command's (some 10 ms).
COMMAND_MODULES = {
    "new": "data",
    "validate": "data",
    "schema": "data",
    "schedule": "data",
    "check": "check",
    "render": "render",
    "package": "package",
    "report": "report",
    "diff": "diff",
    "migrate": "migrate",
    "extract": "provenance",
    "verify": "provenance",
    "templates": "authoring",
    "clauses": "authoring",
}


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``iopdocs`` argument parser with every command, its help in the language in use;
    with ``command``, one of ``COMMAND_MODULES``, only the commands of its module (the same
    parsing, usage and errors for a command line naming it)."""
    import importlib

    # In this order, which is the order argparse lists the choices in an error.
    names = ["render", "data", "report", "check", "authoring", "provenance", "diff", "migrate"]
    names.append("package")
    if command in COMMAND_MODULES:
        names = [COMMAND_MODULES[command]]
    modules = [importlib.import_module(f"iopdocs.cli.{name}") for name in names]
    result = argparse.ArgumentParser(
        prog="iopdocs",
        description=_(
            "Draft Swedish IOP contracts (idéburet offentligt partnerskap) from YAML/JSON."
        ),
        epilog=_(
            "Start with: iopdocs new -o avtal.yaml, fill it in, then iopdocs validate avtal.yaml. "
            "'iopdocs COMMAND --help' shows a command's options and an example."
        ),
    )
    result.add_argument(
        "--version",
        action="version",
        version=f"iopdocs {__version__}",
        help=_("show the version and exit"),
    )
    result.add_argument(
        "--lang",
        choices=["sv", "en"],
        help=_(
            "the language of messages and help (default: from LANGUAGE, LC_ALL, LC_MESSAGES "
            "or LANG; Swedish when that is Swedish, else English)"
        ),
    )
    result.add_argument(
        "--debug", action="store_true", help=_("show the full traceback of an internal error")
    )
    sub = result.add_subparsers(dest="command", required=True, metavar=_("COMMAND"))
    for module in modules:
        module.add_parsers(sub)
    workflow_order(sub)
    return result


def workflow_order(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """List the commands in ``--help`` in the order of the work (``WORKFLOW``), any others last,
    and let each command's example keep its lines."""
    rank = {name: i for i, name in enumerate(WORKFLOW)}
    # argparse lists the commands in the order of its private list of their help entries.
    listed = sub._choices_actions
    listed.sort(key=lambda action: rank.get(action.dest, len(rank)))
    for command in sub.choices.values():
        command.formatter_class = argparse.RawDescriptionHelpFormatter


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status. Messages are in the language of ``--lang``
    or the locale while it runs; the caller's language is restored afterwards."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        arguments, requested = language_option(arguments)
        chosen = choose_language(requested)
    except ValueError as exc:
        before = language()
        set_language(choose_language())  # the locale's, since --lang names none we know
        try:
            message = _("iopdocs: error: --lang {value}: choose sv or en").format(value=exc)
            print(printable(message), file=sys.stderr)
        finally:
            set_language(before)
        return EXIT_BAD_INPUT
    before = language()
    set_language(chosen)
    try:
        return _run_command(arguments)
    finally:
        set_language(before)


def _run_command(arguments: list[str]) -> int:
    out, err = sys.stdout, sys.stderr
    translate_argparse()
    args = parser(command_word(arguments)).parse_args(arguments)
    if args.debug or not _may_read_pdf(args):
        return _handled(args, out, err)
    import logging

    # pypdf logs, in English, each repair it makes while reading a damaged or unusual PDF; what
    # the command concludes from the file is its own message, so the log stays out of the
    # terminal while it runs (--debug shows it).
    pdf_log = logging.getLogger("pypdf")
    level = pdf_log.level
    pdf_log.setLevel(logging.ERROR)
    try:
        return _handled(args, out, err)
    finally:
        pdf_log.setLevel(level)


def _handled(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the parsed command, each error it raises shown as one line and an exit status."""
    from pydantic import ValidationError

    try:
        status: int = _run_reporting_warnings(args, out, err)
    except ValidationError as exc:
        source = getattr(args, "data", None) if exc.title == "AnnualReport" else None
        source = source or getattr(args, "agreement", None) or getattr(args, "document", None)
        for line in format_validation_error(exc, source):
            print(_("error: {message}").format(message=printable(line)), file=err)
        return EXIT_BAD_INPUT
    except TemplateSyntaxError as exc:
        print(_("error: {message}").format(message=printable(exc.translated())), file=err)
        for line in exc.context:
            print(f"  | {printable(line)}", file=err)
        return EXIT_BAD_INPUT
    except IopdocsError as exc:  # worded in the language in use where it is shown
        print(_("error: {message}").format(message=printable(exc.translated())), file=err)
        return EXIT_BAD_INPUT
    except UsageError as exc:  # the command line's own: worded when raised
        print(_("error: {message}").format(message=printable(str(exc))), file=err)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # run() turns it into the shell's status
        raise
    except OSError as exc:  # a file the command writes or reads: full disk, no permission, …
        return _os_error(exc, err)
    except Exception as exc:
        return _internal_error(exc, err, debug=args.debug)
    return status


# The command modules whose commands read PDFs with pypdf.
_READS_PDF = frozenset({"render", "provenance", "package", "diff"})


def _may_read_pdf(args: argparse.Namespace) -> bool:
    """Whether the command may read a PDF (and so needs pypdf's log quietened): not a render
    to .docx without appendices, which spares it importing ``logging``."""
    if COMMAND_MODULES.get(args.command) not in _READS_PDF:
        return False
    if args.command == "render":
        output = str(args.output).lower()
        return bool(args.appendix) or args.format == "pdf" or output.endswith(".pdf")
    return True


def _os_error(exc: OSError, err: TextIO) -> int:
    where = exc.filename
    text = f"{where}: {exc.strerror or exc}" if where is not None else str(exc.strerror or exc)
    print(_("error: {message}").format(message=printable(text)), file=err)
    return EXIT_BAD_INPUT


def _internal_error(exc: Exception, err: TextIO, *, debug: bool) -> int:
    """One line for an error iopdocs did not expect, the traceback with ``--debug``."""
    if debug:
        import traceback

        traceback.print_exception(exc, file=err)
    what = printable(f"{type(exc).__name__}: {exc}")[:300]
    print(_("internal error: {message}").format(message=what), file=err)
    if not debug:
        print(
            _(
                "  this is a bug in iopdocs; run the command again with --debug and report the "
                "traceback at the project's issue tracker"
            ),
            file=err,
        )
    return EXIT_INTERNAL


def _run_reporting_warnings(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the command's handler; a warning it raises (a file read through a schema migration)
    is printed as one ``warning:`` line, even when the command then fails."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            status: int = args.handler(args, out, err)
        finally:
            for warning in caught:
                if issubclass(warning.category, UserWarning):
                    message = printable(said(warning.message))
                    print(_("warning: {message}").format(message=message), file=err)
    return status


def language_option(arguments: list[str]) -> tuple[list[str], str | None]:
    """``arguments`` without ``--lang X`` (wherever it is written), and X. The language must be
    known before the parser is built, since its help is translated."""
    rest: list[str] = []
    requested: str | None = None
    words = iter(arguments)
    for word in words:
        if word == "--":
            rest += [word, *words]
            break
        if word == "--lang":
            requested = next(words, "")
        elif word.startswith("--lang="):
            requested = word.removeprefix("--lang=")
        else:
            rest.append(word)
    return rest, requested


def command_word(arguments: list[str]) -> str | None:
    """The command a command line names (its first word that is not an option), if any."""
    words = iter(arguments)
    for word in words:
        if word == "--":
            return next(words, None)
        if not word.startswith("-"):
            return word
    return None


def translate_argparse() -> None:
    """argparse's own words (``usage:``, ``options``, its errors) from our catalog as well."""
    from iopdocs import i18n

    # argparse looks its messages up through the gettext functions it imported as module names.
    setattr(argparse, "_", i18n.gettext)  # noqa: B010 - a module global, replaced on purpose
    setattr(argparse, "ngettext", i18n.ngettext)  # noqa: B010


def run() -> None:
    """The console-script entry point: ``main`` with the real streams, and quiet about a reader
    that went away (``iopdocs schema | head``)."""
    # pydantic looks for plugins (observability hooks) through importlib.metadata at the first
    # validation, which costs a command about 50 ms of scanning installed packages; a user who
    # wants them sets PYDANTIC_DISABLE_PLUGINS to "" (or anything else) and gets them.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from iopdocs.cli.startup import quick_exit, quick_start

    quick_start()
    try:
        status = main()
        sys.stdout.flush()  # a closed pipe shows here, not at exit where it cannot be caught
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's own flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = EXIT_BROKEN_PIPE
    quick_exit()
    sys.exit(status)
