"""``iopdocs diff``: what changed between two versions of an agreement."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from iopdocs.cli.common import EXIT_CHANGES, EXIT_OK, example, output_file
from iopdocs.i18n import gettext as _
from iopdocs.loading import load_agreement

if TYPE_CHECKING:
    from iopdocs.reviewing.diff import Change


__all__ = ["format_changes"]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    compare = sub.add_parser(
        "diff",
        help=_("list what changed between two versions of an agreement (exit 1 when anything did)"),
    )
    compare.add_argument("old", help=_("the earlier agreement file (.yaml, .yml or .json)"))
    compare.add_argument("new", help=_("the later agreement file"))
    compare.add_argument(
        "--format",
        choices=("text", "json", "md"),
        default="text",
        help=_("output format (default text)"),
    )
    compare.add_argument(
        "--redline", metavar="OUT.docx", help=_("also write the new contract with tracked changes")
    )
    compare.add_argument(
        "--template",
        help=_("your own .docx template for the redline (default: the bundled contract template)"),
    )
    compare.add_argument("--locale", default="sv_SE", help=_("formatting locale (default sv_SE)"))
    example(compare, "iopdocs diff avtal-v1.yaml avtal-v2.yaml --redline andringar.docx")
    compare.set_defaults(handler=_diff)


def _diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.reviewing.diff import diff

    target = output_file(args.redline, ".docx", args=args) if args.redline else None
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
        print(_("wrote {path}").format(path=target), file=err)
    return EXIT_CHANGES if changes else EXIT_OK


def format_changes(changes: Sequence[Change], style: str, old: str, new: str) -> str:
    """The change list as text (one line each), JSON, or Markdown for a review memo."""
    if style == "json":
        document = {"old": old, "new": new, "changes": [c.as_dict() for c in changes]}
        import json

        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if not changes:
        return f"No changes: {old} and {new} describe the same agreement.\n"
    if style == "md":
        lines = [f"# Ändringar från {old} till {new}", ""]
        lines += [f"- {c.text('~~{}~~', '**{}**')}" for c in changes]
        return "\n".join(lines) + "\n"
    return "".join(f"{c.text()}\n" for c in changes)
