"""No traceback reaches a user: a failed write (full disk, permission denied) is exit 2 naming
the file; an error iopdocs did not expect is one line with a hint to report it, exit 1, and the
traceback only with ``--debug``."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from iopdocs import cli
from iopdocs.cli.common import printable
from tests.hostile.conftest import FLAGSHIP, files_in


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_a_docx_write_that_fails_is_exit_2_naming_the_file(
    tmp_path: Path,
    code: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The .docx path used to show a traceback where the PDF path said what went wrong."""
    import iopdocs._files as files

    def refuse(path: object, data: bytes) -> Path:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(files, "write_temporary", refuse)
    target = tmp_path / "avtal.docx"
    status = cli.main(["render", str(FLAGSHIP), "-o", str(target)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(f"error: {target}: {os.strerror(code)}")
    assert "Traceback" not in err
    assert files_in(tmp_path) == []


def test_an_unexpected_error_is_one_line_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> int:
        raise RuntimeError("\x1b[2Jsomething broke")

    monkeypatch.setattr(cli, "parser", _parser_with(monkeypatch, "validate", broken))
    status = cli.main(["validate", str(FLAGSHIP)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines()[0] == "internal error: RuntimeError: \\x1b[2Jsomething broke"
    assert "--debug" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> int:
        raise RuntimeError("something broke")

    monkeypatch.setattr(cli, "parser", _parser_with(monkeypatch, "validate", broken))
    status = cli.main(["--debug", "validate", str(FLAGSHIP)])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: something broke" in err


def _parser_with(monkeypatch: pytest.MonkeyPatch, command: str, handler: object) -> object:
    """``cli.parser`` whose ``command`` runs ``handler``."""
    original = cli.parser

    def parser(name: str | None = None) -> object:
        built = original(name)
        for action in built._subparsers._group_actions:  # type: ignore[union-attr]
            action.choices[command].set_defaults(handler=handler)  # type: ignore[index]
        return built

    return parser


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mröd\x1b[0m", "\\x1b[31mröd\\x1b[0m"),
        ("a\rb", "a\\rb"),
        ("rätt\u202eläs", "rätt\\u202eläs"),
        ("tab\tkvar", "tab\tkvar"),
        ("vanlig text, å ä ö", "vanlig text, å ä ö"),
    ],
)
def test_printable_escapes_control_characters_only(text: str, shown: str) -> None:
    assert printable(text) == shown
