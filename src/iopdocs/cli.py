"""The ``iopdocs`` command: thin argument parsing over the public API.

Exit status: 0 on success, 2 for bad input (a missing or broken file, invalid data, an unusable
template, an output that cannot be written). Bad input never leaves an output file behind.
``render`` of several agreements into a folder exits 1 when some of them failed (the others are
written), 2 when the batch cannot start at all, and 130 when interrupted with Ctrl-C.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from iopdocs import __version__
from iopdocs._files import write_atomic
from iopdocs.errors import IopdocsError, TemplateSyntaxError
from iopdocs.loading import agreement_schema, load_agreement, load_report
from iopdocs.model import Agreement
from iopdocs.schedule import Schedule, payment_schedule

__all__ = ["format_schedule", "format_validation_error", "main"]

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # the shell's status for Ctrl-C


class _UsageError(Exception):
    """A problem with the command line itself (an output folder that does not exist, …)."""


def format_validation_error(error: ValidationError, source: str | None = None) -> list[str]:
    """One readable line per problem, each naming the field path: ``parties[2].org_number: …``."""
    lines = []
    prefix = f"{source}: " if source else ""
    for item in error.errors(include_url=False):
        path = _field_path(item["loc"])
        where = path or "(top level)"
        lines.append(f"{prefix}{where}: {item['msg']} [{item['type']}]")
    return lines


def _field_path(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iopdocs",
        description="Draft Swedish IOP contracts (idéburet offentligt partnerskap) from YAML/JSON.",
    )
    parser.add_argument("--version", action="version", version=f"iopdocs {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    render = sub.add_parser("render", help="render the contract of an agreement to .docx")
    render.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    render.add_argument(
        "-o", "--output", required=True, help="the .docx file to write, or a folder for several"
    )
    render.add_argument("--template", help="your own .docx template instead of the bundled one")
    render.add_argument("--locale", default="sv_SE", help="formatting locale (default sv_SE)")
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
    report.add_argument("-o", "--output", required=True, help="the .docx file to write")
    report.add_argument("--template", help="your own .docx template instead of the bundled one")
    report.add_argument("--locale", default="sv_SE", help="formatting locale (default sv_SE)")

    new = sub.add_parser("new", help="write a commented starter agreement to fill in")
    new.add_argument("-o", "--output", required=True, help="the .yaml file to write")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
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
        return _new(args, out)
    except ValidationError as exc:
        source = getattr(args, "data", None) if exc.title == "AnnualReport" else None
        source = source or getattr(args, "agreement", None)
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


def _output(path: str) -> Path:
    target = Path(path)
    if target.is_dir():
        raise _UsageError(f"{path}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise _UsageError(f"{path}: the folder {str(target.parent)!r} does not exist")
    return target


def _render(args: argparse.Namespace, out: TextIO) -> int:
    from iopdocs.render import render_contract

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
    agreement = load_agreement(args.agreement)
    render_contract(agreement, target, template=args.template, locale=args.locale)
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
    text = json.dumps(agreement_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        write_atomic(_output(args.output), text.encode("utf-8"))
        print(f"wrote {args.output}", file=out)
    else:
        out.write(text)
    return EXIT_OK


def _schedule(args: argparse.Namespace, out: TextIO) -> int:
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
    from iopdocs.render import render_annual_report

    target = _output(args.output)
    agreement = load_agreement(args.agreement)
    report = load_report(args.data) if args.data else None
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
    target = _output(args.output)
    if target.exists() and not args.force:
        raise _UsageError(f"{args.output}: already exists; use --force to overwrite it")
    starter = resources.files("iopdocs").joinpath("starter.yaml").read_bytes()
    write_atomic(target, starter)
    print(f"wrote {target}; fill it in, then run: iopdocs validate {target}", file=out)
    return EXIT_OK


def run() -> None:  # pragma: no cover - the console-script entry point
    sys.exit(main())
