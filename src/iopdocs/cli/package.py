"""``iopdocs package``: the signing package (PDF, signing manifest, archive sidecar) in a folder."""

from __future__ import annotations

import argparse
from typing import TextIO

from iopdocs.cli.common import EXIT_OK, example, printing_warnings
from iopdocs.i18n import gettext as _
from iopdocs.loading import load_agreement


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    package = sub.add_parser(
        "package",
        help=_("write the signing package: PDF, signing manifest and archive sidecar"),
        description=_(
            "Write a folder for an e-signature service and the diarium: the PDF to sign "
            "(PDF/A-3b, PDF/UA-1), the agreement's data, signing-manifest.json and "
            "archive-sidecar.xml. With --report YEAR --party P: the annual report's package, "
            "signed by that party."
        ),
    )
    package.add_argument("agreement", help=_("agreement file (.yaml, .yml or .json)"))
    package.add_argument(
        "-o", "--output", required=True, help=_("the folder to write (new, or empty)")
    )
    package.add_argument(
        "--appendix",
        action="append",
        default=[],
        metavar="FILE",
        help=_("an appendix (PDF or .docx) the agreement lists, in its order; repeat for each"),
    )
    package.add_argument(
        "--report",
        type=int,
        metavar="YEAR",
        help=_("the annual report of YEAR instead of the contract (default: the contract)"),
    )
    package.add_argument(
        "--party",
        help=_("with --report: short name of the reporting party (default: the only one)"),
    )
    package.add_argument(
        "--data",
        help=_("with --report: the filled-in report (.yaml/.json; default: a skeleton)"),
    )
    package.add_argument(
        "--order",
        choices=("sequential", "parallel"),
        default="sequential",
        help=_("signing order (default sequential: one after the other)"),
    )
    package.add_argument(
        "--public-first",
        action="store_true",
        help=_("in sequential signing, the public party signs first (default: last)"),
    )
    package.add_argument(
        "--timeout", type=float, default=None, help=_("seconds LibreOffice may take (default 30)")
    )
    example(
        package,
        "iopdocs package avtal.yaml -o paket/",
        "iopdocs package avtal.yaml -o paket/ --appendix budget.pdf",
    )
    package.set_defaults(handler=_package)


def _package(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.cli.common import UsageError
    from iopdocs.delivery import write_signing_package
    from iopdocs.loading import load_report

    if args.report is None and (args.party or args.data):
        raise UsageError(_("--party and --data go with --report YEAR"))
    agreement = load_agreement(args.agreement)
    report = load_report(args.data) if args.data else None
    with printing_warnings(err):
        written = write_signing_package(
            agreement,
            args.output,
            appendices=args.appendix,
            report_year=args.report,
            party=args.party,
            report=report,
            order=args.order,
            public_last=not args.public_first,
            timeout=args.timeout,
        )
    for path in written.files:
        print(_("wrote {path}").format(path=path), file=out)
    return EXIT_OK
