"""``iopdocs new``, ``validate``, ``schema`` and ``schedule``: the agreement file itself."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from iopdocs.cli.common import EXIT_OK, UsageError, example, output_file, write_atomic
from iopdocs.i18n import gettext as _
from iopdocs.loading import load_agreement

if TYPE_CHECKING:
    from decimal import Decimal

    from iopdocs.model import Agreement
    from iopdocs.schedule import Schedule


__all__ = ["format_schedule"]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    validate = sub.add_parser(
        "validate",
        help=_("check an agreement file and report every problem"),
        description=_(
            "Check an agreement file and report every problem in one run, each with its field "
            "path and error code. Exit 0 when it is valid, 2 when it is not."
        ),
    )
    validate.add_argument("agreement", help=_("agreement file (.yaml, .yml or .json)"))
    example(validate, "iopdocs validate avtal.yaml")
    validate.set_defaults(handler=_validate)
    schema = sub.add_parser(
        "schema", help=_("print the JSON Schema of agreement files (or of annual report data)")
    )
    schema.add_argument(
        "-o", "--output", help=_("write the schema to this .json file (default: print it)")
    )
    schema.add_argument(
        "--report",
        action="store_true",
        help=_("the schema of annual report data (iopdocs report --data) instead"),
    )
    example(schema, "iopdocs schema -o iopdocs.schema.json")
    schema.set_defaults(handler=_schema)
    schedule = sub.add_parser("schedule", help=_("print the payment schedule of an agreement"))
    schedule.add_argument("agreement", help=_("agreement file (.yaml, .yml or .json)"))
    schedule.add_argument(
        "--csv",
        action="store_true",
        help=_("print CSV: date,payer,recipient,line,amount (default: a table with totals)"),
    )
    example(schedule, "iopdocs schedule avtal.yaml --csv > utbetalningar.csv")
    schedule.set_defaults(handler=_schedule)
    new = sub.add_parser(
        "new",
        help=_("write a commented starter agreement (or annual report data) to fill in"),
    )
    new.add_argument(
        "-o",
        "--output",
        required=True,
        help=_("the file to write: .yaml (with comments) or .json (the same data, no comments)"),
    )
    new.add_argument(
        "--report",
        action="store_true",
        help=_("a starter for annual report data (iopdocs report --data) instead"),
    )
    new.add_argument(
        "--force", action="store_true", help=_("overwrite an existing file (default: refuse)")
    )
    example(new, "iopdocs new -o avtal.yaml", "iopdocs new --report -o arsberattelse-2026.yaml")
    new.set_defaults(handler=_new)


def _new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from importlib import resources

    target = output_file(args.output, ".yaml", ".yml", ".json", args=args)
    if target.exists() and not args.force:
        raise UsageError(
            _("{path}: already exists; use --force to overwrite it").format(path=args.output)
        )
    name = "report-starter.yaml" if args.report else "starter.yaml"
    starter = resources.files("iopdocs").joinpath(name).read_bytes()
    if target.suffix.lower() == ".json":
        import yaml

        data = yaml.safe_load(starter.decode("utf-8"))
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
        starter = text.encode("utf-8")
    write_atomic(target, starter)
    if args.report:
        message = _(
            "wrote {path}; fill it in, then run: "
            "iopdocs report AGREEMENT.yaml --year YEAR --data {path} -o arsberattelse.docx"
        )
    else:
        message = _("wrote {path}; fill it in, then run: iopdocs validate {path}")
    print(message.format(path=target), file=out)
    return EXIT_OK


def _summary(agreement: Agreement) -> str:
    period = f"{agreement.period.start.isoformat()} – {agreement.period.end.isoformat()}"
    return _("{title} ({count} parties, {period})").format(
        title=agreement.metadata.title, count=len(agreement.parties), period=period
    )


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.model.placeholders import placeholders

    agreement = load_agreement(args.agreement)
    print(
        _("ok: {path}: {summary}").format(path=args.agreement, summary=_summary(agreement)),
        file=out,
    )
    # The same detection `check` reports as errors; a draft being filled in is still valid.
    for found in placeholders(agreement):
        print(
            _("warning: {path}: placeholder from the starter file: {text}").format(
                path=found.path, text=found.text
            ),
            file=err,
        )
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.loading import agreement_schema, report_schema

    schema = report_schema() if args.report else agreement_schema()
    import json

    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        write_atomic(output_file(args.output, ".json", args=args), text.encode("utf-8"))
        print(_("wrote {path}").format(path=args.output), file=out)
    else:
        out.write(text)
    return EXIT_OK


def _schedule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
        return _("The agreement has no money lines: there is nothing to pay.") + "\n"

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
