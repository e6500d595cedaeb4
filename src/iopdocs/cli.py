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
import contextlib
import json
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pydantic import ValidationError

from iopdocs.errors import IopdocsError, TemplateSyntaxError
from iopdocs.loading import load_agreement, validation_messages
from iopdocs.version import __version__

# Each command imports what it needs inside its function, so ``iopdocs validate`` pays for
# pydantic and the model, and never for Word, Jinja, babel, lxml, pypdf, the checks or the
# schedule (tests/cli/test_cli_imports.py holds it to that).

if TYPE_CHECKING:
    from decimal import Decimal

    from iopdocs.model import Agreement
    from iopdocs.reviewing.diff import Change
    from iopdocs.schedule import Schedule

__all__ = ["format_changes", "format_schedule", "format_validation_error", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_CHANGED = 1
EXIT_SOME_FAILED = 1
EXIT_INTERRUPTED = 130  # the shell's status for Ctrl-C
EXIT_BROKEN_PIPE = 141  # the shell's status for a filter whose reader went away (SIGPIPE)


# iopdocs.reviewing.DEFAULT_EUR_RATE, written out so that building the parser does not import the
# checks; a test keeps the two equal.
_DEFAULT_EUR_RATE = "11.00"


class _UsageError(Exception):
    """A problem with the command line itself (an output folder that does not exist, …)."""


def format_validation_error(error: ValidationError, source: str | None = None) -> list[str]:
    """One readable line per problem, each naming the field path: ``parties[2].org_number: …``."""
    return validation_messages(error, source)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iopdocs",
        description="Draft Swedish IOP contracts (idéburet offentligt partnerskap) from YAML/JSON.",
    )
    parser.add_argument("--version", action="version", version=f"iopdocs {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    render = sub.add_parser("render", help="render the contract of an agreement to .docx or .pdf")
    render.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    render.add_argument(
        "-o",
        "--output",
        required=True,
        help="the .docx or .pdf file to write (the suffix decides), or a folder for several",
    )
    render.add_argument("--template", help="your own .docx template instead of the bundled one")
    render.add_argument(
        "--clauses", help="your own clause library (.yaml) instead of the packaged wording"
    )
    render.add_argument("--locale", default="sv_SE", help="formatting locale (default sv_SE)")
    _pdf_arguments(render)
    render.add_argument(
        "--appendix",
        action="append",
        default=[],
        metavar="FILE",
        help="an appendix (PDF or .docx) for a PDF, one per entry of the agreement's "
        "'appendices', in order",
    )
    render.add_argument(
        "more", nargs="*", metavar="AGREEMENT", help="more agreement files: -o is then a folder"
    )
    render.add_argument(
        "--jobs", type=int, help="processes rendering in parallel (default: one per core)"
    )
    render.add_argument(
        "--format",
        choices=["docx", "pdf"],
        help="what to write when -o is a folder (default docx); for a file, its suffix decides",
    )

    validate = sub.add_parser("validate", help="check an agreement file and report every problem")
    validate.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")

    schema = sub.add_parser("schema", help="print the JSON Schema of agreement files")
    schema.add_argument("-o", "--output", help="write the schema to this file instead")

    schedule = sub.add_parser("schedule", help="print the payment schedule of an agreement")
    schedule.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    schedule.add_argument(
        "--csv", action="store_true", help="print CSV: date,payer,recipient,line,amount"
    )

    report = sub.add_parser("report", help="render the annual report (årsberättelse) of a year")
    report.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    report.add_argument("--year", type=int, required=True, help="the report year, e.g. 2025")
    report.add_argument("--party", help="short name of the reporting party (default: all)")
    report.add_argument(
        "--data", help="a filled-in report (.yaml/.json) to render instead of a skeleton"
    )
    report.add_argument(
        "-o", "--output", required=True, help="the .docx or .pdf file to write (the suffix decides)"
    )
    report.add_argument("--template", help="your own .docx template instead of the bundled one")
    report.add_argument("--locale", default="sv_SE", help="formatting locale (default sv_SE)")
    _pdf_arguments(report)

    new = sub.add_parser("new", help="write a commented starter agreement to fill in")
    new.add_argument("-o", "--output", required=True, help="the .yaml file to write")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    review = sub.add_parser(
        "check", help="review an agreement against the IOP criteria (exit 1 when it finds errors)"
    )
    review.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    review.add_argument(
        "--format", choices=("text", "json", "md"), default="text", help="output (default text)"
    )
    review.add_argument("--docx", help="also write the review appendix (Granskningsunderlag)")
    review.add_argument(
        "--template", help="your own .docx template for the review appendix (with --docx)"
    )
    review.add_argument(
        "--eur-rate",
        help=f"kronor per euro for the de minimis comparison (default {_DEFAULT_EUR_RATE})",
    )
    review.add_argument(
        "--sgei",
        action="append",
        default=[],
        metavar="PARTY",
        help="a non-profit party whose activity is a service of general economic interest "
        "(repeat for several)",
    )
    templates = sub.add_parser("templates", help="list, export and check Word templates")
    tsub = templates.add_subparsers(dest="templates_command", required=True, metavar="ACTION")
    tsub.add_parser("list", help="the bundled templates, what each is for and the names it sees")
    export = tsub.add_parser("export", help="copy a bundled template to edit in Word")
    export.add_argument("name", help="the template, e.g. contract or annual_report")
    export.add_argument("directory", help="the folder to copy it into")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    lint = tsub.add_parser("lint", help="check a template; exit 1 when it has problems")
    lint.add_argument("template", help="the .docx template to check")
    lint.add_argument(
        "--kind",
        choices=["contract", "report", "review"],
        help="what it renders (default: inferred)",
    )
    clauses = sub.add_parser(
        "clauses", help="list, export and catalogue the clause library (the standard wording)"
    )
    csub = clauses.add_subparsers(dest="clauses_command", required=True, metavar="ACTION")
    clist = csub.add_parser("list", help="each clause for an agreement: on or off, and why")
    clist.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    clist.add_argument("--clauses", help="your own clause library instead of the packaged one")
    cexport = csub.add_parser("export", help="copy the clause library into a folder to edit")
    cexport.add_argument("directory", help="the folder to write sv.yaml into")
    cexport.add_argument("--force", action="store_true", help="overwrite an existing file")
    catalogue = csub.add_parser(
        "catalogue", help="write a Word catalogue of every clause, its condition and note"
    )
    catalogue.add_argument("-o", "--output", required=True, help="the .docx file to write")
    catalogue.add_argument("--clauses", help="your own clause library instead of the packaged one")
    extract = sub.add_parser(
        "extract", help="print the agreement a .docx or PDF made by iopdocs was rendered from"
    )
    extract.add_argument("document", help="a .docx or PDF rendered by iopdocs")
    extract.add_argument(
        "--format", choices=["yaml", "json"], default="yaml", help="output format (default yaml)"
    )
    extract.add_argument("-o", "--output", help="write the agreement to this file instead")

    verify = sub.add_parser(
        "verify",
        help="tell whether a document's text was changed after iopdocs produced it "
        "(exit 0 unchanged, 1 changed, 2 no data or bad input)",
    )
    verify.add_argument("document", help="a .docx or PDF rendered by iopdocs")
    verify.add_argument(
        "--template", help="the template it was rendered with, when not the bundled one"
    )
    verify.add_argument(
        "--clauses",
        help="the clause library a PDF was rendered with, when not the packaged one "
        "(a .docx carries its own)",
    )
    compare = sub.add_parser(
        "diff",
        help="list what changed between two versions of an agreement (exit 1 when anything did)",
    )
    compare.add_argument("old", help="the earlier agreement file (.yaml, .yml or .json)")
    compare.add_argument("new", help="the later agreement file")
    compare.add_argument(
        "--format", choices=("text", "json", "md"), default="text", help="output format"
    )
    compare.add_argument(
        "--redline", metavar="OUT.docx", help="also write the new contract with tracked changes"
    )
    compare.add_argument("--template", help="your own .docx template for the redline")
    compare.add_argument("--locale", default="sv_SE", help="formatting locale (default sv_SE)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        if args.command == "render":
            return _render(args, out)
        if args.command == "validate":
            return _validate(args, out)
        if args.command == "schema":
            return _schema(args, out)
        if args.command == "schedule":
            return _schedule(args, out)
        if args.command == "report":
            return _report(args, out)
        if args.command == "check":
            return _check(args, out)
        if args.command == "templates":
            return _templates(args, out)
        if args.command == "clauses":
            return _clauses(args, out)
        if args.command == "extract":
            return _extract(args, out, err)
        if args.command == "verify":
            return _verify(args, out)
        if args.command == "diff":
            return _diff(args, out, err)
        return _new(args, out)
    except ValidationError as exc:
        source = getattr(args, "data", None) if exc.title == "AnnualReport" else None
        source = source or getattr(args, "agreement", None) or getattr(args, "document", None)
        for line in format_validation_error(exc, source):
            print(f"error: {line}", file=err)
        return EXIT_BAD_INPUT
    except TemplateSyntaxError as exc:
        print(f"error: {exc}", file=err)
        for line in exc.context:
            print(f"  | {line}", file=err)
        return EXIT_BAD_INPUT
    except (IopdocsError, _UsageError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_BAD_INPUT


def _write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    from iopdocs._files import write_atomic

    return write_atomic(path, data)


def _output(path: str) -> Path:
    target = Path(path)
    if target.is_dir():
        raise _UsageError(f"{path}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise _UsageError(f"{path}: the folder {str(target.parent)!r} does not exist")
    return target


def _pdf_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-embed",
        action="store_true",
        help="for a PDF: do not attach the agreement data (PDF/A-2b instead of PDF/A-3b)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="for a PDF: stop LibreOffice after this long (default: a minute or more; in a "
        "batch, for each document: 30 s)",
    )


def _is_pdf_output(target: Path) -> bool:
    return target.suffix.lower() == ".pdf"


def _writable(target: Path) -> Path:
    """Refuse an output folder we may not write to before a slow conversion, not after."""
    if not os.access(target.parent, os.W_OK):
        raise _UsageError(f"{target}: cannot write to the folder {str(target.parent)!r}")
    return target


@contextlib.contextmanager
def _printing_warnings(err: TextIO) -> Iterator[None]:
    """Show library warnings (an appendix that is not PDF/A) as one ``warning:`` line each."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        print(f"warning: {warning.message}", file=err)


def _render_pdf(args: argparse.Namespace, target: Path, out: TextIO) -> int:
    from iopdocs.pdf import render_pdf

    agreement = load_agreement(args.agreement)
    _writable(target)
    with _printing_warnings(sys.stderr):
        data = render_pdf(
            agreement,
            appendices=args.appendix,
            template=args.template,
            locale=args.locale,
            embed_data=not args.no_embed,
            timeout=args.timeout,
            clauses=args.clauses,
        )
    return _write_pdf(target, data, out)


def _write_pdf(target: Path, data: bytes, out: TextIO) -> int:
    try:
        _write_atomic(target, data)
    except OSError as exc:
        raise _UsageError(f"{target}: cannot write the PDF: {exc.strerror or exc}") from exc
    print(f"wrote {target}", file=out)
    return EXIT_OK


def _render(args: argparse.Namespace, out: TextIO) -> int:
    from iopdocs.documents import render_contract

    if args.more or args.output.endswith(("/", os.sep)) or Path(args.output).is_dir():
        return _render_many(args, out, sys.stderr)
    if args.jobs is not None:
        raise _UsageError("--jobs is for several agreements rendered into a folder")
    suffix_format = "pdf" if Path(args.output).suffix.lower() == ".pdf" else "docx"
    if args.format not in (None, suffix_format):
        raise _UsageError(
            f"--format {args.format} does not match {args.output}; give a folder to -o, "
            f"or a file ending in .{args.format}"
        )
    target = _output(args.output)
    if _is_pdf_output(target):
        return _render_pdf(args, target, out)
    if args.appendix:
        raise _UsageError("--appendix needs a .pdf output: appendices are joined into the PDF")
    agreement = load_agreement(args.agreement)
    render_contract(
        agreement, target, template=args.template, locale=args.locale, clauses=args.clauses
    )
    print(f"wrote {target}", file=out)
    return EXIT_OK


def _render_many(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``render A.yaml B.yaml … -o DIR/``: one file per agreement, failures reported as they
    come, a summary at the end; a progress line on stderr when it is a terminal."""
    from iopdocs.batch import RenderResult, render_many

    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise _UsageError(f"{args.output}: is a file; give a folder for several agreements")
    if not folder.parent.is_dir():
        raise _UsageError(f"{args.output}: the folder {str(folder.parent)!r} does not exist")
    if args.jobs is not None and args.jobs < 1:
        raise _UsageError(f"--jobs must be at least 1, not {args.jobs}")
    if args.appendix:
        raise _UsageError("--appendix is for one agreement rendered to one .pdf file")
    bar = err.isatty()
    counted = [0]

    def progress(done: int, total: int, result: RenderResult) -> None:
        counted[0] = done
        if bar:
            err.write("\r\033[K")
        if result.error is not None:
            for line in result.error.splitlines():
                print(f"error: {line}", file=err)
        if bar:
            err.write(f"[{done}/{total}] {result.source}")
        err.flush()

    sources = [args.agreement, *args.more]
    try:
        result = render_many(
            sources,
            folder,
            jobs=args.jobs,
            format=args.format or "docx",
            template=args.template,
            locale=args.locale,
            progress=progress,
            embed_data=not args.no_embed,
            timeout=args.timeout,
            clauses=args.clauses,
        )
    except KeyboardInterrupt:
        if bar:
            err.write("\r\033[K")
        print(f"interrupted after {counted[0]} of {len(sources)} agreements", file=err)
        return EXIT_INTERRUPTED
    if bar:
        err.write("\r\033[K")
        err.flush()
    print(result.summary(), file=out)
    return EXIT_OK if result.ok else EXIT_SOME_FAILED


def _summary(agreement: Agreement) -> str:
    period = f"{agreement.period.start.isoformat()} – {agreement.period.end.isoformat()}"
    return f"{agreement.metadata.title} ({len(agreement.parties)} parties, {period})"


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    agreement = load_agreement(args.agreement)
    print(f"ok: {args.agreement}: {_summary(agreement)}", file=out)
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from iopdocs.loading import agreement_schema

    text = json.dumps(agreement_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        _write_atomic(_output(args.output), text.encode("utf-8"))
        print(f"wrote {args.output}", file=out)
    else:
        out.write(text)
    return EXIT_OK


def _schedule(args: argparse.Namespace, out: TextIO) -> int:
    import csv

    from iopdocs.schedule import payment_schedule

    schedule = payment_schedule(load_agreement(args.agreement))
    if args.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "payer", "recipient", "line", "amount"])
        for i in schedule.instalments:
            writer.writerow([i.date.isoformat(), i.payer, i.recipient, i.line, f"{i.amount:f}"])
    else:
        out.write(format_schedule(schedule))
    return EXIT_OK


def format_schedule(schedule: Schedule) -> str:
    """The schedule as an aligned text table with its totals, for a terminal or a diff."""
    if not schedule:
        return "The agreement has no money lines: there is nothing to pay.\n"

    def kr(amount: Decimal) -> str:
        return f"{amount:,.0f}".replace(",", " ") + " kr"

    header = ("Datum", "Betalare", "Mottagare", "Medelsrad", "Belopp")
    rows = [
        (i.date.isoformat(), i.payer, i.recipient, i.line, kr(i.amount))
        for i in schedule.instalments
    ]
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(5)]

    def line(cells: Sequence[str]) -> str:
        left = "  ".join(cell.ljust(width) for cell, width in zip(cells[:4], widths, strict=False))
        return f"{left}  {cells[4].rjust(widths[4])}".rstrip() + "\n"

    text = line(header) + line(["-" * w for w in widths]) + "".join(line(r) for r in rows)
    for title, totals in (
        ("Summa per mottagare", schedule.by_recipient),
        ("Summa per kalenderår", {str(k): v for k, v in schedule.by_year.items()}),
        ("Summa per medelsrad", schedule.by_line),
    ):
        text += f"\n{title}\n"
        width = max(len(k) for k in totals)
        text += "".join(f"  {k.ljust(width)}  {kr(v).rjust(14)}\n" for k, v in totals.items())
    return text + f"\nTotalt  {kr(schedule.total)}\n"


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from iopdocs.documents import render_annual_report
    from iopdocs.loading import load_report

    target = _output(args.output)
    agreement = load_agreement(args.agreement)
    report = load_report(args.data) if args.data else None
    if _is_pdf_output(target):
        from iopdocs.pdf import render_annual_report_pdf

        _writable(target)
        data = render_annual_report_pdf(
            agreement,
            args.year,
            party=args.party,
            report=report,
            template=args.template,
            locale=args.locale,
            embed_data=not args.no_embed,
            timeout=args.timeout,
        )
        return _write_pdf(target, data, out)
    render_annual_report(
        agreement,
        args.year,
        party=args.party,
        path=target,
        report=report,
        template=args.template,
        locale=args.locale,
    )
    print(f"wrote {target}", file=out)
    return EXIT_OK


def _new(args: argparse.Namespace, out: TextIO) -> int:
    from importlib import resources

    target = _output(args.output)
    if target.exists() and not args.force:
        raise _UsageError(f"{args.output}: already exists; use --force to overwrite it")
    starter = resources.files("iopdocs").joinpath("starter.yaml").read_bytes()
    _write_atomic(target, starter)
    print(f"wrote {target}; fill it in, then run: iopdocs validate {target}", file=out)
    return EXIT_OK


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from iopdocs.reviewing import DEFAULT_EUR_RATE, passed_checks, review
    from iopdocs.reviewing.output import review_json, review_markdown, review_text

    if args.template and not args.docx:
        raise _UsageError("--template is for the review appendix; give --docx FILE as well")
    target = _output(args.docx) if args.docx else None
    agreement = load_agreement(args.agreement)
    rate = args.eur_rate or DEFAULT_EUR_RATE
    findings = review(agreement, eur_rate=rate, sgei=args.sgei)
    passed = passed_checks(findings)
    if target is not None:
        from iopdocs.documents import render_review

        render_review(
            agreement,
            target,
            findings=findings,
            eur_rate=rate,
            sgei=args.sgei,
            template=args.template,
        )
    if args.format == "json":
        out.write(review_json(agreement, findings, passed))
    elif args.format == "md":
        out.write(review_markdown(agreement, findings, passed))
    else:
        out.write(review_text(findings, passed))
    if target is not None and args.format == "text":
        print(f"wrote {target}", file=out)
    has_errors = any(f.severity == "error" for f in findings)
    return EXIT_FINDINGS if has_errors else EXIT_OK


EXIT_PROBLEMS = 1


def _templates(args: argparse.Namespace, out: TextIO) -> int:
    from iopdocs.authoring.lint import lint_template
    from iopdocs.authoring.templates import export_template, list_templates

    if args.templates_command == "list":
        for info in list_templates():
            use = {
                "contract": "iopdocs render",
                "report": "iopdocs report",
                "review": "iopdocs check --docx",
            }.get(info.kind or "")
            print(f"{info.name.removesuffix('.docx')}: {info.description or info.title}", file=out)
            print(
                f"  names: {', '.join(info.names)}" + (f"; used by {use}" if use else ""), file=out
            )
        return EXIT_OK
    if args.templates_command == "export":
        target = export_template(args.name, args.directory, force=args.force)
        print(
            f"wrote {target}; edit it in Word, then run: iopdocs templates lint {target}", file=out
        )
        return EXIT_OK
    problems = lint_template(args.template, args.kind)
    for problem in problems:
        print(f"{args.template}: {problem}", file=out)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) > 1 else ''} found", file=out)
        return EXIT_PROBLEMS
    print(f"ok: {args.template}: no problems found", file=out)
    return EXIT_OK


def _clauses(args: argparse.Namespace, out: TextIO) -> int:
    from iopdocs.authoring.clauses import clause_catalogue, export_library
    from iopdocs.documents.clauses import clause_states, describe_value, load_library
    from iopdocs.schedule import payment_schedule

    if args.clauses_command == "export":
        target = export_library(args.directory, force=args.force)
        print(
            f"wrote {target}; edit it, then render with: iopdocs render --clauses {target}",
            file=out,
        )
        return EXIT_OK
    library = load_library(args.clauses)
    if args.clauses_command == "catalogue":
        target = _output(args.output)
        _write_atomic(target, clause_catalogue(library))
        print(f"wrote {target}", file=out)
        return EXIT_OK
    from iopdocs.documents.context import contract_context
    from iopdocs.documents.formats import formats_for

    agreement = load_agreement(args.agreement)
    schedule = payment_schedule(agreement)
    context = contract_context(agreement, schedule, formats_for("sv_SE"), library)
    states = clause_states(library, context, overrides=agreement.clause_overrides)
    width = max(len(s.clause.id) for s in states)
    for state in states:
        why = [f"{path} = {describe_value(value)}" for path, value in state.fields]
        if state.overridden == "omit":
            why.append("left out by the agreement's clause_overrides")
        elif state.overridden == "text":
            why.append("text replaced by the agreement's clause_overrides")
        elif state.overridden == "own":
            why.append("the agreement's own clause")
        elif not state.clause.when:
            why.append("always")
        line = f"{'on ' if state.on else 'off'}  {state.clause.id:<{width}}  {'; '.join(why)}"
        print(line.rstrip(), file=out)
    return EXIT_OK


def _extract(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.loading import dump_agreement
    from iopdocs.provenance import read_provenance

    target = _output(args.output) if args.output else None
    record = read_provenance(args.document)
    if not record.data_intact:
        print(f"warning: {args.document}: {_TAMPERED}", file=err)
    text = dump_agreement(record.agreement, format=args.format)
    if target is None:
        out.write(text)
    else:
        _write_atomic(target, text.encode("utf-8"))
        print(f"wrote {target}", file=out)
    return EXIT_OK


_TAMPERED = (
    "the embedded agreement data no longer matches the SHA-256 recorded when the document was "
    "produced: the data was changed afterwards"
)


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    from iopdocs.provenance import verify

    result = verify(args.document, template=args.template, clauses=args.clauses)
    record = result.provenance
    made = f"iopdocs {record.library_version}" if record.library_version else "iopdocs"
    if record.template:
        made += f" with {record.template}"
    if record.template_sha256:
        made += f" (template SHA-256 {record.template_sha256})"
    if result.unchanged:
        print(f"unchanged: {args.document}: its text is as rendered from its data", file=out)
        print(f"  rendered by {made}", file=out)
        return EXIT_OK
    print(f"changed: {args.document}: rendered by {made}", file=out)
    if not record.data_intact:
        print(f"  {_TAMPERED}", file=out)
    if result.changes:
        unit = "passage" if record.format == "pdf" else "paragraph"
        count = len(result.changes)
        verb = f"{unit}s differ" if count != 1 else f"{unit} differs"
        print(f"  {count} {verb} from the rendering of its data:", file=out)
    for change in result.changes:
        if record.format == "pdf":  # PDF passages come with the differing words marked
            now, should = change.actual or "(nothing)", change.expected or "(nothing)"
        else:
            now, should = _marked(change.actual, change.expected)
        print(f"  {change.where}", file=out)
        print(f"    now:       {now}", file=out)
        print(f"    should be: {should}", file=out)
    if result.version_differs:
        print(
            f"  note: rendered by iopdocs {record.library_version}, verified with iopdocs "
            f"{result.library_version}; a difference may come from the library, not an edit",
            file=out,
        )
    return EXIT_CHANGED


def _marked(actual: str | None, expected: str | None) -> tuple[str, str]:
    """The two texts with the words that differ in [brackets]; "(nothing)" for a missing one."""
    import difflib

    if actual is None or expected is None:
        return actual or "(nothing)", expected or "(nothing)"
    old, new = expected.split(), actual.split()
    marked_old: list[str] = []
    marked_new: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            marked_old += old[i1:i2]
            marked_new += new[j1:j2]
        else:
            marked_old.append(f"[{' '.join(old[i1:i2])}]")
            marked_new.append(f"[{' '.join(new[j1:j2])}]")
    return " ".join(marked_new), " ".join(marked_old)


EXIT_CHANGES = 1


def _diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.reviewing.diff import diff

    target = _output(args.redline) if args.redline else None
    args.agreement = args.old  # names the file in a validation error
    old = load_agreement(args.old)
    args.agreement = args.new
    new = load_agreement(args.new)
    changes = diff(old, new)
    if target is not None:
        from iopdocs.documents import render_redline

        render_redline(old, new, target, template=args.template, locale=args.locale)
    out.write(format_changes(changes, args.format, args.old, args.new))
    if target is not None:
        print(f"wrote {target}", file=err)
    return EXIT_CHANGES if changes else EXIT_OK


def format_changes(changes: Sequence[Change], style: str, old: str, new: str) -> str:
    """The change list as text (one line each), JSON, or Markdown for a review memo."""
    if style == "json":
        document = {"old": old, "new": new, "changes": [c.as_dict() for c in changes]}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if not changes:
        return f"No changes: {old} and {new} describe the same agreement.\n"
    if style == "md":
        lines = [f"# Ändringar från {old} till {new}", ""]
        lines += [f"- {c.text('~~{}~~', '**{}**')}" for c in changes]
        return "\n".join(lines) + "\n"
    return "".join(f"{c.text()}\n" for c in changes)


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
