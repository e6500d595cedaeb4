"""``iopdocs package``: the signing package (PDF, signing manifest, archive sidecar) in a folder."""

from __future__ import annotations

import argparse
from typing import TextIO

from iopdocs.cli.common import EXIT_OK, printing_warnings
from iopdocs.loading import load_agreement


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    package = sub.add_parser(
        "package",
        help="write the signing package: PDF, signing manifest and archive sidecar",
        description=(
            "Write a folder for an e-signature service and the diarium: the PDF to sign "
            "(PDF/A-3b, PDF/UA-1), the agreement's data, signing-manifest.json and "
            "archive-sidecar.xml. With --report YEAR --party P: the annual report's package, "
            "signed by that party."
        ),
    )
    package.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    package.add_argument(
        "-o", "--output", required=True, help="the folder to write (new, or empty)"
    )
    package.add_argument(
        "--appendix",
        action="append",
        default=[],
        metavar="FILE",
        help="an appendix (PDF or .docx) the agreement lists, in its order; repeat for each",
    )
    package.add_argument("--report", type=int, metavar="YEAR", help="the annual report of YEAR")
    package.add_argument("--party", help="with --report: short name of the reporting party")
    package.add_argument("--data", help="with --report: the filled-in report (.yaml/.json)")
    package.add_argument(
        "--order",
        choices=("sequential", "parallel"),
        default="sequential",
        help="signing order (default sequential: one after the other)",
    )
    package.add_argument(
        "--public-first",
        action="store_true",
        help="in sequential signing, the public party signs first (default: last)",
    )
    package.add_argument(
        "--timeout", type=float, default=None, help="seconds LibreOffice may take (default 30)"
    )
    package.set_defaults(handler=_package)


def _package(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.cli.common import UsageError
    from iopdocs.delivery import write_signing_package
    from iopdocs.loading import load_report

    if args.report is None and (args.party or args.data):
        raise UsageError("--party and --data go with --report YEAR")
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
        print(f"wrote {path}", file=out)
    return EXIT_OK
