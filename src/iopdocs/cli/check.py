"""``iopdocs check``: the review against the IOP criteria."""

from __future__ import annotations

import argparse
from typing import TextIO

from iopdocs.cli.common import (
    DEFAULT_EUR_RATE,
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    example,
    output_file,
)
from iopdocs.i18n import gettext as _
from iopdocs.loading import load_agreement


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    review = sub.add_parser(
        "check",
        help=_("review an agreement against the IOP criteria (exit 1 when it finds errors)"),
    )
    review.add_argument("agreement", help=_("agreement file (.yaml, .yml or .json)"))
    review.add_argument(
        "--format", choices=("text", "json", "md"), default="text", help=_("output (default text)")
    )
    review.add_argument("--docx", help=_("also write the review appendix (Granskningsunderlag)"))
    review.add_argument(
        "--template",
        help=_(
            "your own .docx template for the review appendix, with --docx "
            "(default: the bundled one)"
        ),
    )
    review.add_argument(
        "--clauses",
        help="the clause library the contract is rendered with (.yaml; default the packaged one): "
        "its wording is reviewed too",
    )
    review.add_argument(
        "--eur-rate",
        help=_("kronor per euro for the de minimis comparison (default {rate})").format(
            rate=DEFAULT_EUR_RATE
        ),
    )
    review.add_argument(
        "--sgei",
        action="append",
        default=[],
        metavar="PARTY",
        help=_(
            "a non-profit party whose activity is a service of general economic interest "
            "(repeat for several)"
        ),
    )
    example(review, "iopdocs check avtal.yaml --docx granskning.docx")
    review.set_defaults(handler=_check)


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.documents.passages import contract_passages
    from iopdocs.reviewing import DEFAULT_EUR_RATE, passed_checks, review
    from iopdocs.reviewing.output import review_json, review_markdown, review_text

    if args.template and not args.docx:
        raise UsageError(_("--template is for the review appendix; give --docx FILE as well"))
    target = output_file(args.docx, ".docx", args=args) if args.docx else None
    agreement = load_agreement(args.agreement)
    rate = args.eur_rate or DEFAULT_EUR_RATE
    passages = contract_passages(agreement, args.clauses)
    findings = review(agreement, eur_rate=rate, sgei=args.sgei, passages=passages)
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
        print(_("wrote {path}").format(path=target), file=out)
    has_errors = any(f.severity == "error" for f in findings)
    return EXIT_FINDINGS if has_errors else EXIT_OK
