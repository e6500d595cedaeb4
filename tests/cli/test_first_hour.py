"""The first hour of a new user: messages in their language, every problem in one run, no
silent traps, a starter for each file they fill in, and help that shows the way."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from iopdocs.cli import WORKFLOW, main, parser
from iopdocs.i18n import choose_language
from iopdocs.loading import load_agreement, load_report, report_schema
from tests.conftest import FLAGSHIP, ROOT

SCRIPT = str(Path(sys.executable).parent / "iopdocs")
LINE = re.compile(
    r"^(?:error|fel): (?P<source>[^:]+): (?P<path>\S+): (?P<message>.*) \[(?P<code>\w+)\]$"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def command(*argv: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed ``iopdocs`` in a clean locale, with ``env`` added."""
    base = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    base["LANG"] = "C.UTF-8"
    return subprocess.run(
        [SCRIPT, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, **env},
    )


@pytest.fixture
def seven_problems(tmp_path: Path) -> Path:
    """The flagship with seven mistakes of different kinds, three of them unknown parties."""
    text = FLAGSHIP.read_text(encoding="utf-8")
    for old, new in (
        ("  start: 2024-08-01", "  start: 2024-08-0l"),  # a letter l for a one
        ("org_number: 769607–4496", "org_number: 769607–4497"),  # a wrong check digit
        ("payment:\n  frequency: monthly", "payment:\n  frequency: weekly"),  # not a frequency
        ("deviations:\n  joint_approval: true", "deviations:\n  joint_aproval: true"),  # misspelt
        (
            "  parties: [GSE, SENS, SES, SEF]\n  employer",
            "  parties: [GSE, SENS, SES, SEFF]\n  employer",
        ),
        ("recipients: [GSE, SENS, SES, SEF]", "recipients: [GSE, SENS, SES, XX]"),
        ("follow_up:\n", "follow_up:\n  reporting_parties: [GSE, YY]\n"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "fel.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(stderr: str) -> list[dict[str, str]]:
    found = [LINE.match(line) for line in stderr.splitlines()]
    assert all(found), stderr
    return [m.groupdict() for m in found if m]


def test_a_file_with_seven_problems_gets_all_seven_in_one_run(
    capsys: pytest.CaptureFixture[str], seven_problems: Path
) -> None:
    """Unknown party names are checked on the parts that parsed, beside the other errors."""
    code, out, err = run(capsys, "validate", str(seven_problems))
    assert code == 2
    assert out == ""
    found = problems(err)
    assert [(p["path"], p["code"]) for p in found] == [
        ("parties[1].org_number", "org_number_checksum"),
        ("period.start", "date_from_datetime_parsing"),
        ("payment.frequency", "enum"),
        ("deviations.joint_aproval", "extra_forbidden"),
        ("operational_responsibility.parties[3]", "party_unknown"),
        ("contributions[1].money[0].recipients[3]", "party_unknown"),
        ("follow_up.reporting_parties[1]", "party_unknown"),
    ]
    by_path = {p["path"]: p["message"] for p in found}
    assert "'joint_approval'" in by_path["deviations.joint_aproval"]  # did you mean
    assert "'monthly'" in by_path["payment.frequency"]  # the valid choices are named
    assert "VGR, GSE, SENS, SES, SEF" in by_path["follow_up.reporting_parties[1]"]


def test_swedish_and_english_give_the_same_codes_and_paths(
    seven_problems: Path, tmp_path: Path
) -> None:
    """LANG=sv_SE gives Swedish, --lang en English; what a program reads stays the same."""
    swedish = command("validate", str(seven_problems), cwd=tmp_path, LANG="sv_SE.UTF-8")
    english = command("--lang", "en", "validate", str(seven_problems), cwd=tmp_path)
    assert swedish.returncode == english.returncode == 2
    sv, en = problems(swedish.stderr), problems(english.stderr)
    assert [(p["path"], p["code"]) for p in sv] == [(p["path"], p["code"]) for p in en]
    assert all(line.startswith("fel: ") for line in swedish.stderr.splitlines())
    assert all(line.startswith("error: ") for line in english.stderr.splitlines())
    sv_messages = {p["path"]: p["message"] for p in sv}
    assert "kontrollsiffra" in sv_messages["parties[1].org_number"]
    assert "ska vara ett datum" in sv_messages["period.start"]
    assert "menade du 'joint_approval'" in sv_messages["deviations.joint_aproval"]
    assert "eller 'once'" in sv_messages["payment.frequency"]
    assert "inte kortnamnet" in sv_messages["follow_up.reporting_parties[1]"]
    # The command line's language wins over the environment's.
    forced = command("--lang", "en", "validate", str(seven_problems), cwd=tmp_path, LANG="sv_SE")
    assert forced.stderr == english.stderr


@pytest.mark.parametrize(
    ("environment", "requested", "expected"),
    [
        ({}, None, "en"),
        ({"LANG": "sv_SE.UTF-8"}, None, "sv"),
        ({"LANG": "C.UTF-8"}, None, "en"),
        ({"LANGUAGE": "sv:en", "LANG": "en_GB.UTF-8"}, None, "sv"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "sv_SE.UTF-8"}, None, "en"),
        ({"LC_MESSAGES": "sv_FI", "LANG": "de_DE"}, None, "sv"),
        ({"LANG": "sv_SE.UTF-8"}, "en", "en"),
        ({}, "sv", "sv"),
        ({}, "sv_SE.UTF-8", "sv"),
    ],
)
def test_the_language_is_the_options_then_the_first_locale_variable_set(
    environment: dict[str, str], requested: str | None, expected: str
) -> None:
    """--lang, then LANGUAGE, LC_ALL, LC_MESSAGES, LANG; Swedish when Swedish, else English."""
    assert choose_language(requested, environment) == expected


def test_an_unknown_language_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--lang", "fi", "validate", str(FLAGSHIP))
    assert code == 2
    assert "choose sv or en" in err


def test_help_and_argparse_errors_are_in_swedish_too(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "sv", "render", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert help_text.startswith("användning: iopdocs render")
    assert "exempel:" in help_text
    assert "filändelsen avgör" in help_text
    with pytest.raises(SystemExit) as exit_info:
        main(["--lang", "sv", "render", str(FLAGSHIP)])
    assert exit_info.value.code == 2
    assert "fel: följande argument krävs: -o/--output" in capsys.readouterr().err


def test_the_language_is_restored_after_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    """A program that calls main() keeps its own language for its own messages."""
    run(capsys, "--lang", "sv", "validate", str(FLAGSHIP))
    code, out, _ = run(capsys, "validate", str(FLAGSHIP))
    assert code == 0
    assert out.startswith("ok: ")
    assert "parties" in out


@pytest.mark.parametrize(
    ("argv", "suffixes"),
    [
        (["render", str(FLAGSHIP), "-o", "avtal.odt"], ".docx or .pdf"),
        (["render", str(FLAGSHIP), "-o", "avtal.doc"], ".docx or .pdf"),
        (["render", str(FLAGSHIP), "-o", "avtal"], ".docx or .pdf"),
        (["report", str(FLAGSHIP), "--year", "2024", "-o", "rapport.odt"], ".docx or .pdf"),
        (["check", str(FLAGSHIP), "--docx", "granskning.pdf"], ".docx"),
        (["new", "-o", "avtal.txt"], ".yaml, .yml or .json"),
        (["schema", "-o", "schema.yaml"], ".json"),
        (["clauses", "catalogue", "-o", "klausuler.pdf"], ".docx"),
    ],
)
def test_an_output_the_command_cannot_write_is_refused_naming_the_formats(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    suffixes: str,
) -> None:
    """Word bytes under another name would open as garbage: exit 2, nothing written."""
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert f"give a name ending in {suffixes}" in err
    assert list(tmp_path.iterdir()) == []


def test_new_with_a_json_name_writes_json_that_validates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "avtal.json"
    assert run(capsys, "new", "-o", str(target))[0] == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    starter = yaml.safe_load((ROOT / "src" / "iopdocs" / "starter.yaml").read_text("utf-8"))
    assert data == json.loads(json.dumps(starter, default=str))
    code, out, err = run(capsys, "validate", str(target))
    assert code == 0
    assert out.startswith("ok: ")
    # the starter's own placeholders are the only remarks, as for the YAML starter
    assert all("placeholder from the starter file" in line for line in err.splitlines())


def test_the_report_starter_fits_the_starter_agreement_and_renders(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``new --report`` writes a commented report that ``report --data`` renders as it is; the
    party comes from the data when --party is not given."""
    agreement, data = tmp_path / "avtal.yaml", tmp_path / "arsberattelse.yaml"
    assert run(capsys, "new", "-o", str(agreement))[0] == 0
    code, out, _ = run(capsys, "new", "--report", "-o", str(data))
    assert code == 0
    assert "iopdocs report" in out
    text = data.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert load_report(data).party == "LF"
    target = tmp_path / "arsberattelse.docx"
    year = str(load_report(data).year)
    code, out, err = run(capsys, "report", str(agreement), "--year", year, "--data", str(data),
                         "-o", str(target))  # fmt: skip
    assert (code, err) == (0, "")
    assert zipfile.is_zipfile(target)
    assert load_agreement(agreement).follow_up is not None


def test_the_report_data_has_a_json_schema_the_starter_meets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "schema", "--report")
    assert code == 0
    schema = json.loads(out)
    assert schema == json.loads(json.dumps(report_schema()))
    assert schema["title"] == "AnnualReport"
    assert "description" in schema["properties"]["party"]  # the field docstrings are in
    starter = yaml.safe_load((ROOT / "src" / "iopdocs" / "report-starter.yaml").read_text("utf-8"))
    jsonschema.validate(json.loads(json.dumps(starter, default=str)), schema)


def test_a_party_that_does_not_exist_is_no_such_party_naming_the_parties(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "report", str(FLAGSHIP), "--year", "2024", "--party", "XX",
                       "-o", str(tmp_path / "r.docx"))  # fmt: skip
    assert code == 2
    assert "no such party 'XX'" in err
    assert "VGR, GSE, SENS, SES, SEF" in err
    code, _, err = run(capsys, "report", str(FLAGSHIP), "--year", "2024", "--party", "VGR",
                       "-o", str(tmp_path / "r.docx"))  # fmt: skip
    assert code == 2
    assert "does not write annual reports" in err  # a party, but not one that reports


def test_extract_to_a_json_name_writes_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document, target = tmp_path / "avtal.docx", tmp_path / "avtal.json"
    assert run(capsys, "render", str(FLAGSHIP), "-o", str(document))[0] == 0
    assert run(capsys, "extract", str(document), "-o", str(target))[0] == 0
    assert load_agreement(target) == load_agreement(FLAGSHIP)
    code, _, err = run(capsys, "extract", str(document), "--format", "yaml", "-o", str(target))
    assert code == 2
    assert "does not match" in err


def commands() -> dict[str, Any]:
    sub = next(a for a in parser()._actions if a.dest == "command")
    return dict(sub.choices)


def test_help_lists_the_commands_in_the_order_of_the_work() -> None:
    """new, validate, check, render, schedule, report, … as a user meets them."""
    listed = re.findall(r"^    (\w+) ", parser().format_help(), flags=re.M)
    assert listed == list(WORKFLOW)
    assert set(commands()) == set(WORKFLOW)


@pytest.mark.parametrize("name", WORKFLOW)
def test_every_command_shows_an_example_of_itself(name: str) -> None:
    help_text = commands()[name].format_help()
    examples = help_text.split("example:\n", 1)[1].splitlines()
    assert examples
    assert all(line.startswith(f"  iopdocs {name}") for line in examples if line.strip())


@pytest.mark.parametrize("name", WORKFLOW)
def test_options_with_a_default_state_it(name: str) -> None:
    """Every optional value a user may leave out says what happens when they do: a default, or
    that it is an addition ("also …") or a replacement ("… instead of …")."""
    for action in commands()[name]._actions:
        if action.option_strings and action.nargs != 0 and not action.required:
            if action.dest in ("sgei", "appendix"):  # repeatable lists: none unless given
                continue
            words = ("default", "instead", "also ")
            assert any(w in (action.help or "") for w in words), action.option_strings


def test_the_timeout_help_gives_the_real_defaults() -> None:
    help_text = " ".join(commands()["render"].format_help().split())
    assert "60 s to start LibreOffice plus 30 s for each document" in help_text


def test_the_notebook_writes_into_an_ignored_folder() -> None:
    """The notebook writes utkast/ beside itself: git must not offer it for a commit."""
    notebook = (ROOT / "examples" / "new-iop-draft.ipynb").read_text(encoding="utf-8")
    assert 'Path(\\"utkast\\")' in notebook
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "examples/utkast/avtal.docx"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0


def test_the_review_and_a_batch_sum_up_in_the_language_in_use(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`check` prints "0 fel, 1 varning …" and its findings start "upplysning:" in Swedish; a
    batch says how many agreements it rendered in the same language."""
    code, out, _err = run(capsys, "--lang", "sv", "check", str(FLAGSHIP))
    assert code == 0
    lines = out.splitlines()
    assert lines[-1].startswith("0 fel, 0 varningar, ")
    assert lines[-1].endswith("kontroller utan anmärkning")
    assert all(line.startswith(("fel:", "varning:", "upplysning:")) for line in lines[:-1])
    code, out, _err = run(capsys, "check", str(FLAGSHIP))
    assert out.splitlines()[-1].startswith("0 errors, 0 warnings, ")
    code, out, _err = run(
        capsys,
        "--lang",
        "sv",
        "render",
        str(FLAGSHIP),
        str(ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"),
        "-o",
        f"{tmp_path}/ut/",
    )
    assert (code, out.strip()) == (0, f"skapade 2 avtal i {tmp_path}/ut")
