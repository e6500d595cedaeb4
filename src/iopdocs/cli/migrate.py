"""``iopdocs migrate``: rewrite an agreement file of an earlier schema version."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Literal, TextIO

from iopdocs.cli.common import EXIT_OK, example, output_path, said, write_atomic
from iopdocs.i18n import gettext as _


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's commands to the ``iopdocs`` parser."""
    migrate = sub.add_parser(
        "migrate",
        help=_("bring an agreement file written for an earlier schema version up to date"),
        description=_(
            "Rewrite FILE for the current schema version: renamed keys are renamed "
            "where they stand and schema_version is set; comments and layout stay as written. "
            "The result is validated first; an invalid file is left as it was (exit 2)."
        ),
    )
    migrate.add_argument("agreement", help=_("agreement file (.yaml, .yml or .json)"))
    migrate.add_argument(
        "-o", "--output", help=_("write the migrated file here (default: in place)")
    )
    example(migrate, "iopdocs migrate avtal.yaml", "iopdocs migrate gammalt.yaml -o nytt.yaml")
    migrate.set_defaults(handler=_migrate)


def _migrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from iopdocs.loading import migrate_text, parse_agreement
    from iopdocs.model.migration import SCHEMA_VERSION
    from iopdocs.problems import migration_change

    source = Path(args.agreement)
    target = output_path(args.output) if args.output else source
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        from iopdocs.errors import AgreementFileError
        from iopdocs.i18n import Message

        raise AgreementFileError(Message("cannot be read as UTF-8 text"), path=str(source)) from exc
    format: Literal["yaml", "json"] = "json" if source.suffix.lower() == ".json" else "yaml"
    result = migrate_text(text, format=format, source=str(source))
    if result.text == text:
        print(
            _("{path} is already at schema version {version}").format(
                path=source, version=SCHEMA_VERSION
            ),
            file=out,
        )
        if target != source:
            write_atomic(target, text.encode("utf-8"))
        return EXIT_OK
    parse_agreement(result.text, format=format, source=str(source))  # nothing written if invalid
    write_atomic(target, result.text.encode("utf-8"))
    print(
        _("migrated {path} from schema version {old} to {new}:").format(
            path=source, old=result.from_version, new=SCHEMA_VERSION
        ),
        file=out,
    )
    for change in result.changes or (_("schema_version set; no key needed renaming"),):
        print(f"  {said(migration_change(change))}", file=out)
    if target != source:
        print(_("wrote {path}").format(path=target), file=out)
    return EXIT_OK
