"""``iopdocs render``: one agreement to .docx or .pdf, or several into a folder."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from iopdocs.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    UsageError,
    example,
    is_pdf_output,
    output_file,
    pdf_arguments,
    printable,
    printing_warnings,
    refuse_inputs,
    said,
    writable,
    write_pdf,
)
from iopdocs.i18n import gettext as _
from iopdocs.i18n import ngettext
from iopdocs.loading import load_agreement


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    render = sub.add_parser(
        "render", help=_("render the contract of an agreement to .docx or .pdf")
    )
    render.add_argument(
        "agreement", metavar="AGREEMENT", help=_("agreement file (.yaml, .yml or .json)")
    )
    render.add_argument(
        "-o",
        "--output",
        required=True,
        help=_("the .docx or .pdf file to write (the suffix decides), or a folder for several"),
    )
    render.add_argument(
        "--template", help=_("your own .docx template (default: the bundled contract template)")
    )
    render.add_argument(
        "--clauses", help=_("your own clause library (.yaml) (default: the packaged wording)")
    )
    render.add_argument("--locale", default="sv_SE", help=_("formatting locale (default sv_SE)"))
    pdf_arguments(render)
    render.add_argument(
        "--appendix",
        action="append",
        default=[],
        metavar="FILE",
        help=_(
            "an appendix (PDF or .docx) for a PDF, one per entry of the agreement's "
            "'appendices', in order"
        ),
    )
    render.add_argument(
        "more", nargs="*", metavar="AGREEMENT", help=_("more agreement files: -o is then a folder")
    )
    render.add_argument(
        "--jobs", type=int, help=_("processes rendering in parallel (default: one per core)")
    )
    render.add_argument(
        "--format",
        choices=["docx", "pdf"],
        help=_("what to write when -o is a folder (default docx); for a file, its suffix decides"),
    )
    example(
        render,
        "iopdocs render avtal.yaml -o avtal.docx",
        "iopdocs render avtal.yaml -o avtal.pdf --appendix budget.pdf",
        "iopdocs render avtal-*.yaml -o utkast/",
    )
    render.set_defaults(handler=_render)


def _render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.documents import render_contract

    named_file = Path(args.output).suffix.lower() in (".docx", ".pdf")
    if named_file and not args.more and Path(args.output).is_dir():
        # ``-o out.pdf`` that happens to be a folder must not quietly fill it with .docx files.
        raise UsageError(
            _(
                "{path}: is a folder, not a file; to render into it, write it with a trailing "
                "slash ({path}/)"
            ).format(path=printable(args.output))
        )
    if args.more or args.output.endswith(("/", os.sep)) or Path(args.output).is_dir():
        return _render_many(args, out, sys.stderr)
    if args.jobs is not None:
        raise UsageError(_("--jobs is for several agreements rendered into a folder"))
    target = output_file(args.output, ".docx", ".pdf", args=args)
    suffix_format = "pdf" if target.suffix.lower() == ".pdf" else "docx"
    if args.format not in (None, suffix_format):
        raise UsageError(
            _(
                "--format {format} does not match {path}; give a folder to -o, or a file ending "
                "in .{format}"
            ).format(format=args.format, path=printable(args.output))
        )
    if is_pdf_output(target):
        return _render_pdf(args, target, out)
    if args.appendix:
        raise UsageError(_("--appendix needs a .pdf output: appendices are joined into the PDF"))
    agreement = load_agreement(args.agreement)
    render_contract(
        agreement, target, template=args.template, locale=args.locale, clauses=args.clauses
    )
    print(_("wrote {path}").format(path=target), file=out)
    return EXIT_OK


def _render_pdf(args: argparse.Namespace, target: Path, out: TextIO) -> int:
    from iopdocs.pdf import render_pdf

    agreement = load_agreement(args.agreement)
    writable(target)
    with printing_warnings(sys.stderr):
        data = render_pdf(
            agreement,
            appendices=args.appendix,
            template=args.template,
            locale=args.locale,
            embed_data=not args.no_embed,
            timeout=args.timeout,
            clauses=args.clauses,
        )
    return write_pdf(target, data, out)


def _render_many(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``render A.yaml B.yaml … -o DIR/``: one file per agreement, failures reported as they
    come, a summary at the end; a progress line on stderr when it is a terminal."""
    from iopdocs.batch import RenderResult, render_many

    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            _("{path}: is a file; give a folder for several agreements").format(
                path=printable(args.output)
            )
        )
    if not folder.parent.is_dir():
        raise UsageError(
            _("{path}: the folder '{folder}' does not exist").format(
                path=printable(args.output), folder=printable(str(folder.parent))
            )
        )
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(_("--jobs must be at least 1, not {jobs}").format(jobs=args.jobs))
    if args.appendix:
        raise UsageError(_("--appendix is for one agreement rendered to one .pdf file"))
    bar = err.isatty()
    counted = [0]

    def progress(done: int, total: int, result: RenderResult) -> None:
        counted[0] = done
        if bar:
            err.write("\r\033[K")
        if result.error is not None:
            for line in said(result.error).splitlines():
                print(_("error: {message}").format(message=printable(line)), file=err)
        if bar:
            err.write(f"[{done}/{total}] {printable(str(result.source))}")
        err.flush()

    sources = [args.agreement, *args.more]
    _refuse_many_outputs(args, folder, sources)
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
        print(
            ngettext(
                "interrupted after {done} of {total} agreement",
                "interrupted after {done} of {total} agreements",
                len(sources),
            ).format(done=counted[0], total=len(sources)),
            file=err,
        )
        return EXIT_INTERRUPTED
    if bar:
        err.write("\r\033[K")
        err.flush()
    print(result.summary(), file=out)
    return EXIT_OK if result.ok else EXIT_SOME_FAILED


def _refuse_many_outputs(args: argparse.Namespace, folder: Path, sources: list[str]) -> None:
    """Before a batch starts: no source may give a hidden output (``.yaml`` would write
    ``.yaml.docx``), and no output may be one of the inputs (a template in the output folder
    named as an agreement's contract)."""
    format = args.format or "docx"
    for source in sources:
        stem = Path(source).stem
        if stem.startswith("."):
            raise UsageError(
                _(
                    "{path}: its name would give a hidden output file ({name}); rename the "
                    "agreement file"
                ).format(path=printable(source), name=printable(f"{stem}.{format}"))
            )
        refuse_inputs(folder / f"{stem}.{format}", args)
