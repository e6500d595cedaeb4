"""``iopdocs extract`` and ``iopdocs verify``: what a rendered document carries."""

from __future__ import annotations

import argparse
from typing import Literal, TextIO

from iopdocs.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CHANGED,
    EXIT_OK,
    UsageError,
    example,
    output_file,
    printable,
    said,
    write_atomic,
)
from iopdocs.i18n import N_, ngettext
from iopdocs.i18n import gettext as _


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    extract = sub.add_parser(
        "extract", help=_("print the agreement a .docx or PDF made by iopdocs was rendered from")
    )
    extract.add_argument("document", help=_("a .docx or PDF rendered by iopdocs"))
    extract.add_argument(
        "--format",
        choices=["yaml", "json"],
        help=_("output format (default: from the suffix of -o, else yaml)"),
    )
    extract.add_argument("-o", "--output", help=_("write the agreement to this file instead"))
    example(extract, "iopdocs extract avtal.docx -o avtal.yaml")
    extract.set_defaults(handler=_extract)
    verify = sub.add_parser(
        "verify",
        help=_(
            "tell whether a document's text was changed after iopdocs produced it "
            "(exit 0 unchanged, 1 changed, 2 no data or bad input)"
        ),
    )
    verify.add_argument("document", help=_("a .docx or PDF rendered by iopdocs"))
    verify.add_argument(
        "--template", help=_("the template it was rendered with (default: the bundled one)")
    )
    verify.add_argument(
        "--clauses",
        help=_(
            "the clause library a PDF was rendered with (default: the packaged one; "
            "a .docx carries its own)"
        ),
    )
    verify.add_argument(
        "--allow-appended",
        action="store_true",
        help=_(
            "for a PDF: pages after those iopdocs wrote are expected (an e-signature "
            "service's signing record); they are listed, not counted as a change"
        ),
    )
    example(verify, "iopdocs verify avtal-underskrivet.pdf")
    verify.set_defaults(handler=_verify)


def _extract(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.loading import dump_agreement
    from iopdocs.provenance import read_provenance

    target = output_file(args.output, ".yaml", ".yml", ".json", args=args) if args.output else None
    record = read_provenance(args.document)
    if not record.data_intact:
        print(
            _("warning: {path}: {message}").format(
                path=printable(args.document), message=_(_TAMPERED)
            ),
            file=err,
        )
    suffix: Literal["yaml", "json"] = "yaml"
    if target is not None and target.suffix.lower() == ".json":
        suffix = "json"
    if target is not None and args.format not in (None, suffix):
        raise UsageError(
            _("--format {format} does not match {path}").format(format=args.format, path=target)
        )
    text = dump_agreement(
        record.agreement, format="json" if (args.format or suffix) == "json" else "yaml"
    )
    if target is None:
        out.write(text)
    else:
        write_atomic(target, text.encode("utf-8"))
        print(_("wrote {path}").format(path=target), file=out)
    return EXIT_OK


_TAMPERED = N_(
    "the embedded agreement data no longer matches the SHA-256 recorded when the document was "
    "produced: the data was changed afterwards"
)


def _verify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.provenance import verify

    result = verify(
        args.document,
        template=args.template,
        clauses=args.clauses,
        allow_appended=args.allow_appended,
    )
    record = result.provenance
    document = printable(args.document)
    if result.unverifiable:
        print(
            _(
                "cannot verify: {path}: it shows a reader things iopdocs never writes, so its "
                "text alone does not tell what a reader sees:"
            ).format(path=document),
            file=out,
        )
        for what in result.unverifiable:
            print(f"  {printable(said(what))}", file=out)
        return EXIT_BAD_INPUT
    made = f"iopdocs {record.library_version}" if record.library_version else "iopdocs"
    if record.template:
        made = _("{program} with {template}").format(program=made, template=record.template)
    if record.template_sha256:
        made = _("{program} (template SHA-256 {sha256})").format(
            program=made, sha256=record.template_sha256
        )
    made = printable(made)
    if result.unchanged:
        print(
            _("unchanged: {path}: its text is as rendered from its data").format(path=document),
            file=out,
        )
        print("  " + _("rendered by {made}").format(made=made), file=out)
        _print_appended(result.appended_pages, out)
        return EXIT_OK
    print(_("changed: {path}: rendered by {made}").format(path=document, made=made), file=out)
    if not record.data_intact:
        print(f"  {_(_TAMPERED)}", file=out)
    if result.changes:
        count = len(result.changes)
        differ = (
            ngettext(
                "{count} passage differs from the rendering of its data:",
                "{count} passages differ from the rendering of its data:",
                count,
            )
            if record.format == "pdf"
            else ngettext(
                "{count} paragraph differs from the rendering of its data:",
                "{count} paragraphs differ from the rendering of its data:",
                count,
            )
        )
        print("  " + differ.format(count=count), file=out)
    for change in result.changes:
        if record.format == "pdf":  # PDF passages come with the differing words marked
            now = said(change.actual) if change.actual else _(NOTHING)
            should = change.expected or _(NOTHING)
        else:
            now, should = _marked(change.actual, change.expected)
        print(f"  {printable(said(change.where))}", file=out)
        print("    " + _("now:       {text}").format(text=printable(now)), file=out)
        print("    " + _("should be: {text}").format(text=printable(should)), file=out)
    _print_appended(result.appended_pages, out)
    if result.version_differs:
        print(
            "  "
            + _(
                "note: rendered by iopdocs {rendered}, verified with iopdocs {verified}; a "
                "difference may come from the library, not an edit"
            ).format(rendered=record.library_version, verified=result.library_version),
            file=out,
        )
    return EXIT_CHANGED


def _print_appended(pages: list[int], out: TextIO) -> None:
    if pages:
        listed = ", ".join(str(n) for n in pages[:20]) + (", …" if len(pages) > 20 else "")
        print("  " + _("pages after those iopdocs wrote: {pages}").format(pages=listed), file=out)


NOTHING = N_("(nothing)")


def _marked(actual: str | None, expected: str | None) -> tuple[str, str]:
    """The two texts with the words that differ in [brackets]; "(nothing)" for a missing one."""
    import difflib

    if actual is None or expected is None:
        return actual or _(NOTHING), expected or _(NOTHING)
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
