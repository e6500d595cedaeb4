"""``iopdocs new``, ``validate``, ``schema`` and ``schedule``: the agreement file itself."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from iopdocs.cli.common import EXIT_OK, UsageError, output_path, write_atomic
from iopdocs.loading import load_agreement

if TYPE_CHECKING:
    from decimal import Decimal

    from iopdocs.model import Agreement
    from iopdocs.schedule import Schedule


__all__ = ["format_schedule"]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    validate = sub.add_parser("validate", help="check an agreement file and report every problem")
    validate.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    validate.set_defaults(handler=_validate)
    schema = sub.add_parser("schema", help="print the JSON Schema of agreement files")
    schema.add_argument("-o", "--output", help="write the schema to this file instead")
    schema.set_defaults(handler=_schema)
    schedule = sub.add_parser("schedule", help="print the payment schedule of an agreement")
    schedule.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    schedule.add_argument(
        "--csv", action="store_true", help="print CSV: date,payer,recipient,line,amount"
    )
    schedule.set_defaults(handler=_schedule)
    new = sub.add_parser("new", help="write a commented starter agreement to fill in")
    new.add_argument("-o", "--output", required=True, help="the .yaml file to write")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(handler=_new)


def _new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from importlib import resources

    target = output_path(args.output, args)
    if target.exists() and not args.force:
        raise UsageError(f"{args.output}: already exists; use --force to overwrite it")
    starter = resources.files("iopdocs").joinpath("starter.yaml").read_bytes()
    write_atomic(target, starter)
    print(f"wrote {target}; fill it in, then run: iopdocs validate {target}", file=out)
    return EXIT_OK


def _summary(agreement: Agreement) -> str:
    period = f"{agreement.period.start.isoformat()} – {agreement.period.end.isoformat()}"
    return f"{agreement.metadata.title} ({len(agreement.parties)} parties, {period})"


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.model.placeholders import placeholders

    agreement = load_agreement(args.agreement)
    print(f"ok: {args.agreement}: {_summary(agreement)}", file=out)
    # The same detection `check` reports as errors; a draft being filled in is still valid.
    for found in placeholders(agreement):
        print(f"warning: {found.path}: placeholder from the starter file: {found.text}", file=err)
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.loading import agreement_schema

    text = json.dumps(agreement_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        write_atomic(output_path(args.output, args), text.encode("utf-8"))
        print(f"wrote {args.output}", file=out)
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
