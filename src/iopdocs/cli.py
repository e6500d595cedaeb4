"""The ``iopdocs`` command: thin argument parsing over the public API.

Exit status: 0 on success, 2 for bad input (a missing or broken file, invalid data, an unusable
template, an output that cannot be written). Bad input never leaves an output file behind.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from iopdocs import __version__
from iopdocs._files import write_atomic
from iopdocs.errors import IopdocsError, TemplateSyntaxError
from iopdocs.loading import agreement_schema, load_agreement
from iopdocs.model import Agreement

__all__ = ["format_validation_error", "main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _UsageError(Exception):
    """A problem with the command line itself (an output folder that does not exist, …)."""


def format_validation_error(error: ValidationError, source: str | None = None) -> list[str]:
    """One readable line per problem, each naming the field path: ``parties[2].org_number: …``."""
    lines = []
    prefix = f"{source}: " if source else ""
    for item in error.errors(include_url=False):
        path = _field_path(item["loc"])
        where = path or "(top level)"
        lines.append(f"{prefix}{where}: {item['msg']} [{item['type']}]")
    return lines


def _field_path(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iopdocs",
        description="Draft Swedish IOP contracts (idéburet offentligt partnerskap) from YAML/JSON.",
    )
    parser.add_argument("--version", action="version", version=f"iopdocs {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    render = sub.add_parser("render", help="render the contract of an agreement to .docx")
    render.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")
    render.add_argument("-o", "--output", required=True, help="the .docx file to write")
    render.add_argument("--template", help="your own .docx template instead of the bundled one")
    render.add_argument("--locale", default="sv_SE", help="formatting locale (default sv_SE)")

    validate = sub.add_parser("validate", help="check an agreement file and report every problem")
    validate.add_argument("agreement", help="agreement file (.yaml, .yml or .json)")

    schema = sub.add_parser("schema", help="print the JSON Schema of agreement files")
    schema.add_argument("-o", "--output", help="write the schema to this file instead")

    new = sub.add_parser("new", help="write a commented starter agreement to fill in")
    new.add_argument("-o", "--output", required=True, help="the .yaml file to write")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        if args.command == "render":
            return _render(args, out)
        if args.command == "validate":
            return _validate(args, out)
        if args.command == "schema":
            return _schema(args, out)
        return _new(args, out)
    except ValidationError as exc:
        source = getattr(args, "agreement", None)
        for line in format_validation_error(exc, source):
            print(f"error: {line}", file=err)
        return EXIT_BAD_INPUT
    except TemplateSyntaxError as exc:
        print(f"error: {exc}", file=err)
        for line in exc.context:
            print(f"  | {line}", file=err)
        return EXIT_BAD_INPUT
    except (IopdocsError, _UsageError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_BAD_INPUT


def _output(path: str) -> Path:
    target = Path(path)
    if target.is_dir():
        raise _UsageError(f"{path}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise _UsageError(f"{path}: the folder {str(target.parent)!r} does not exist")
    return target


def _render(args: argparse.Namespace, out: TextIO) -> int:
    from iopdocs.render import render_contract

    target = _output(args.output)
    agreement = load_agreement(args.agreement)
    render_contract(agreement, target, template=args.template, locale=args.locale)
    print(f"wrote {target}", file=out)
    return EXIT_OK


def _summary(agreement: Agreement) -> str:
    period = f"{agreement.period.start.isoformat()} – {agreement.period.end.isoformat()}"
    return f"{agreement.metadata.title} ({len(agreement.parties)} parties, {period})"


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    agreement = load_agreement(args.agreement)
    print(f"ok: {args.agreement}: {_summary(agreement)}", file=out)
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    text = json.dumps(agreement_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        write_atomic(_output(args.output), text.encode("utf-8"))
        print(f"wrote {args.output}", file=out)
    else:
        out.write(text)
    return EXIT_OK


def _new(args: argparse.Namespace, out: TextIO) -> int:
    target = _output(args.output)
    if target.exists() and not args.force:
        raise _UsageError(f"{args.output}: already exists; use --force to overwrite it")
    starter = resources.files("iopdocs").joinpath("starter.yaml").read_bytes()
    write_atomic(target, starter)
    print(f"wrote {target}; fill it in, then run: iopdocs validate {target}", file=out)
    return EXIT_OK


def run() -> None:  # pragma: no cover - the console-script entry point
    sys.exit(main())
