"""``iopdocs report``: the annual report (årsberättelse) of one year."""

from __future__ import annotations

import argparse
from typing import TextIO

from iopdocs.cli.common import (
    EXIT_OK,
    example,
    is_pdf_output,
    output_file,
    pdf_arguments,
    writable,
    write_pdf,
)
from iopdocs.i18n import gettext as _
from iopdocs.loading import load_agreement


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    report = sub.add_parser("report", help=_("render the annual report (årsberättelse) of a year"))
    report.add_argument("agreement", help=_("agreement file (.yaml, .yml or .json)"))
    report.add_argument("--year", type=int, required=True, help=_("the report year, e.g. 2025"))
    report.add_argument(
        "--party",
        help=_(
            "short name of the reporting party (default: the party of --data, else all "
            "reporting parties in one report)"
        ),
    )
    report.add_argument(
        "--data", help=_("a filled-in report (.yaml/.json) to render instead of a skeleton")
    )
    report.add_argument(
        "-o",
        "--output",
        required=True,
        help=_("the .docx or .pdf file to write (the suffix decides)"),
    )
    report.add_argument(
        "--template",
        help=_("your own .docx template (default: the bundled annual report template)"),
    )
    report.add_argument("--locale", default="sv_SE", help=_("formatting locale (default sv_SE)"))
    pdf_arguments(report)
    example(
        report, "iopdocs report avtal.yaml --year 2026 --data arsberattelse-2026.yaml -o ab.docx"
    )
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.documents import render_annual_report
    from iopdocs.loading import load_report

    target = output_file(args.output, ".docx", ".pdf", args=args)
    agreement = load_agreement(args.agreement)
    report = load_report(args.data) if args.data else None
    if args.party is None and report is not None:
        args.party = report.party  # the data says whose report it is
    if is_pdf_output(target):
        from iopdocs.pdf import render_annual_report_pdf

        writable(target)
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
        return write_pdf(target, data, out)
    render_annual_report(
        agreement,
        args.year,
        party=args.party,
        path=target,
        report=report,
        template=args.template,
        locale=args.locale,
    )
    print(_("wrote {path}").format(path=target), file=out)
    return EXIT_OK
