"""Agreement, report and clause-library files are read within stated bounds: size, kind of
file, nesting, YAML alias expansion and numbers. Each refusal is exit 2 with a message naming
the limit, fast and small."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from iopdocs.loading import MAX_DEPTH, MAX_NODES
from tests.hostile.conftest import FLAGSHIP, iopdocs, refused


def test_dev_zero_is_not_read_until_memory_runs_out() -> None:
    for command in ("validate", "extract"):
        refused(iopdocs(command, "/dev/zero"), "not a regular file")


def test_a_pipe_without_a_writer_does_not_block(tmp_path: Path) -> None:
    pipe = tmp_path / "avtal.yaml"
    os.mkfifo(pipe)
    outcome = iopdocs("validate", pipe, timeout=20)
    refused(outcome, "not a regular file")


def test_a_data_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "stor.yaml"
    with big.open("wb") as handle:
        handle.write(FLAGSHIP.read_bytes())
        handle.write(b"# " + b"x" * (11 * 1024 * 1024) + b"\n")
    refused(iopdocs("validate", big), "larger than the limit of 10 MiB")


def _alias_bomb(levels: int = 9) -> str:
    """A billion laughs: each level a list of nine aliases of the one before."""
    chain = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    chain += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "[" + ", ".join(chain) + "]"


def test_an_alias_bomb_in_a_list_field_is_refused_before_it_is_built(tmp_path: Path) -> None:
    """Under ``values.principles`` the bomb used to run past 60 s and 2.7 GB."""
    text = FLAGSHIP.read_text("utf-8")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(
        text.replace("values:\n", f"values:\n  principles: {_alias_bomb()}\n  x_:\n", 1)
    )
    outcome = iopdocs("validate", bomb)
    refused(outcome, f"more than {MAX_NODES} values", "aliases")
    assert outcome.seconds < 20


def test_an_alias_bomb_of_text_is_refused(tmp_path: Path) -> None:
    """Few values, each a long text repeated through aliases: bounded by characters."""
    long = "x" * 100_000
    lines = [f"t0: &t0 {long}"] + [
        f"t{i}: &t{i} [*t{i - 1}, *t{i - 1}, *t{i - 1}, *t{i - 1}]" for i in range(1, 8)
    ]
    bomb = tmp_path / "text.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    refused(iopdocs("validate", bomb), "million characters")


def test_an_alias_that_contains_itself_is_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.write_text("metadata: &m\n  self: *m\n")
    refused(iopdocs("validate", loop), "refers to the mapping or list it is in")


@pytest.mark.parametrize(
    ("suffix", "depth", "message"),
    [
        (".json", 10_000, f"nested more than {MAX_DEPTH} levels deep"),
        (".json", 100, f"nested more than {MAX_DEPTH} levels deep"),
        (".yaml", 100, f"nested more than {MAX_DEPTH} levels deep"),
        (".yaml", 10_000, "exceeded maximum nesting depth"),  # libyaml's own bound
    ],
)
def test_deep_nesting_is_refused(tmp_path: Path, suffix: str, depth: int, message: str) -> None:
    """JSON nested 10 000 deep used to end in a RecursionError traceback."""
    deep = tmp_path / f"deep{suffix}"
    deep.write_text("[" * depth + "]" * depth)
    refused(iopdocs("validate", deep), message)


@pytest.mark.parametrize(
    ("written", "shown"),
    [(".inf", "Infinity"), ("-.inf", "-Infinity"), (".nan", "NaN"), ("1.0e+400", "1.0E+400")],
)
def test_numbers_no_contract_has_are_a_field_error(
    tmp_path: Path, written: str, shown: str
) -> None:
    """``.inf``, ``.nan`` and ``1e400`` used to end in a decimal.InvalidOperation traceback."""
    text = FLAGSHIP.read_text("utf-8").replace("notice_months: 6", f"notice_months: {written}")
    assert written in text
    bad = tmp_path / "tal.yaml"
    bad.write_text(text)
    refused(iopdocs("validate", bad), "conditions.notice_months", shown)


@pytest.mark.parametrize("written", ["Infinity", "NaN", "1e400", "1" + "0" * 5000])
def test_json_numbers_no_contract_has_are_refused(tmp_path: Path, written: str) -> None:
    bad = tmp_path / "tal.json"
    bad.write_text('{"conditions": {"notice_months": ' + written + "}}")
    refused(iopdocs("validate", bad))


def test_a_merge_key_overridden_in_the_mapping_is_not_a_duplicate(tmp_path: Path) -> None:
    """``<<: *defaults`` followed by one of its keys overrides it, as YAML says."""
    text = FLAGSHIP.read_text("utf-8")
    merged = tmp_path / "merge.yaml"
    merged.write_text(
        "x-defaults: &defaults {notice_months: 3}\n"
        + text.replace("conditions:\n", "conditions:\n  <<: *defaults\n", 1)
    )
    outcome = iopdocs("validate", merged)
    assert "twice" not in outcome.err
    assert "x-defaults" in outcome.err  # the one real problem: an unknown top-level key


def test_control_characters_in_input_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    """An ANSI escape sequence in a value (or a file name) is shown escaped."""
    text = FLAGSHIP.read_text("utf-8").replace(
        "notice_months: 6", 'notice_months: "\\e[31m\\e]0;pwned\\a"'
    )
    bad = tmp_path / "färg\x1b[1m.yaml"
    bad.write_text(text)
    outcome = iopdocs("validate", bad)
    refused(outcome, "\\x1b", "notice_months")
