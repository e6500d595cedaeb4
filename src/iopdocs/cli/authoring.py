"""``iopdocs templates`` and ``iopdocs clauses``: what template and clause authors use."""

from __future__ import annotations

import argparse
from typing import TextIO

from iopdocs.cli.common import EXIT_OK, EXIT_PROBLEMS, example, output_file, write_atomic
from iopdocs.i18n import gettext as _
from iopdocs.i18n import ngettext
from iopdocs.loading import load_agreement


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    templates = sub.add_parser("templates", help=_("list, export and check Word templates"))
    tsub = templates.add_subparsers(dest="templates_command", required=True, metavar="ACTION")
    tsub.add_parser("list", help=_("the bundled templates, what each is for and the names it sees"))
    export = tsub.add_parser("export", help=_("copy a bundled template to edit in Word"))
    export.add_argument("name", help=_("the template, e.g. contract or annual_report"))
    export.add_argument("directory", help=_("the folder to copy it into"))
    export.add_argument("--force", action="store_true", help=_("overwrite an existing file"))
    lint = tsub.add_parser("lint", help=_("check a template; exit 1 when it has problems"))
    lint.add_argument("template", help=_("the .docx template to check"))
    lint.add_argument(
        "--kind",
        choices=["contract", "report", "review"],
        help=_("what it renders (default: inferred)"),
    )
    example(
        templates,
        "iopdocs templates export contract mallar/",
        "iopdocs templates lint mallar/contract.docx",
    )
    templates.set_defaults(handler=_templates)
    clauses = sub.add_parser(
        "clauses", help=_("list, export and catalogue the clause library (the standard wording)")
    )
    csub = clauses.add_subparsers(dest="clauses_command", required=True, metavar="ACTION")
    clist = csub.add_parser("list", help=_("each clause for an agreement: on or off, and why"))
    clist.add_argument("agreement", help=_("agreement file (.yaml, .yml or .json)"))
    clist.add_argument("--clauses", help=_("your own clause library instead of the packaged one"))
    cexport = csub.add_parser("export", help=_("copy the clause library into a folder to edit"))
    cexport.add_argument("directory", help=_("the folder to write sv.yaml into"))
    cexport.add_argument("--force", action="store_true", help=_("overwrite an existing file"))
    catalogue = csub.add_parser(
        "catalogue", help=_("write a Word catalogue of every clause, its condition and note")
    )
    catalogue.add_argument("-o", "--output", required=True, help=_("the .docx file to write"))
    catalogue.add_argument(
        "--clauses", help=_("your own clause library instead of the packaged one")
    )
    example(
        clauses, "iopdocs clauses list avtal.yaml", "iopdocs clauses catalogue -o klausuler.docx"
    )
    clauses.set_defaults(handler=_clauses)


def _templates(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.authoring.lint import lint_template
    from iopdocs.authoring.templates import export_template, list_templates

    if args.templates_command == "list":
        for info in list_templates():
            use = {
                "contract": "iopdocs render",
                "report": "iopdocs report",
                "review": "iopdocs check --docx",
            }.get(info.kind or "")
            print(f"{info.name.removesuffix('.docx')}: {info.description or info.title}", file=out)
            names = ", ".join(info.names)
            print(
                "  "
                + (
                    _("names: {names}; used by {command}").format(names=names, command=use)
                    if use
                    else _("names: {names}").format(names=names)
                ),
                file=out,
            )
        return EXIT_OK
    if args.templates_command == "export":
        target = export_template(args.name, args.directory, force=args.force)
        print(
            _("wrote {path}; edit it in Word, then run: iopdocs templates lint {path}").format(
                path=target
            ),
            file=out,
        )
        return EXIT_OK
    problems = lint_template(args.template, args.kind)
    for problem in problems:
        print(f"{args.template}: {problem.translated()}", file=out)
    if problems:
        count = len(problems)
        print(
            ngettext("{count} problem found", "{count} problems found", count).format(count=count),
            file=out,
        )
        return EXIT_PROBLEMS
    print(_("ok: {path}: no problems found").format(path=args.template), file=out)
    return EXIT_OK


def _clauses(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.authoring.clauses import clause_catalogue, export_library
    from iopdocs.documents.clauses import clause_states, describe_value, load_library
    from iopdocs.schedule import payment_schedule

    if args.clauses_command == "export":
        target = export_library(args.directory, force=args.force)
        print(
            _("wrote {path}; edit it, then render with: iopdocs render --clauses {path}").format(
                path=target
            ),
            file=out,
        )
        return EXIT_OK
    library = load_library(args.clauses)
    if args.clauses_command == "catalogue":
        target = output_file(args.output, ".docx", args=args)
        write_atomic(target, clause_catalogue(library))
        print(_("wrote {path}").format(path=target), file=out)
        return EXIT_OK
    from iopdocs.documents.context import contract_context
    from iopdocs.documents.formats import formats_for

    agreement = load_agreement(args.agreement)
    schedule = payment_schedule(agreement)
    context = contract_context(agreement, schedule, formats_for("sv_SE"), library)
    states = clause_states(library, context, overrides=agreement.clause_overrides)
    width = max(len(s.clause.id) for s in states)
    for state in states:
        why = [f"{path} = {describe_value(value)}" for path, value in state.fields]
        if state.overridden == "omit":
            why.append("left out by the agreement's clause_overrides")
        elif state.overridden == "text":
            why.append("text replaced by the agreement's clause_overrides")
        elif state.overridden == "own":
            why.append("the agreement's own clause")
        elif not state.clause.when:
            why.append("always")
        line = f"{'on ' if state.on else 'off'}  {state.clause.id:<{width}}  {'; '.join(why)}"
        print(line.rstrip(), file=out)
    return EXIT_OK
