"""Every error a person reads is in their language: the same bad input gives a Swedish message
with ``--lang sv`` and an English one with ``--lang en``, and what a program reads of it stays
the same in both: the exit status, the file, line and column, the field path.

Each case is a real bad input from the hostile suite's repertoire (a YAML syntax error, a file
over the size limit, an alias bomb, a report for a party that does not exist, a template that is
not a Word document, a zip bomb, a template the sandbox stops, LibreOffice missing or too slow),
run through the command line twice.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from iopdocs.cli import main
from tests.conftest import ROOT
from tests.hostile.conftest import docx_with_text

FLAGSHIP = ROOT / "examples" / "vgr-social-ekonomi-2024.yaml"
PREFIX = {"sv": "fel: ", "en": "error: "}


@dataclass(frozen=True)
class Said:
    status: int
    err: str

    def errors(self, language: str) -> list[str]:
        """The ``error:`` lines without the word ``error:`` (or ``fel:``)."""
        prefix = PREFIX[language]
        return [
            line.removeprefix(prefix) for line in self.err.splitlines() if line.startswith(prefix)
        ]


def say(capsys: pytest.CaptureFixture[str], language: str, *args: str | Path) -> Said:
    status = main(["--lang", language, *map(str, args)])
    return Said(status, capsys.readouterr().err)


def _yaml_syntax(folder: Path) -> list[str | Path]:
    bad = folder / "avtal.yaml"
    bad.write_text("metadata:\n  title: Avtal\n  status: draft: final\n", encoding="utf-8")
    return ["validate", bad]


def _oversized(folder: Path) -> list[str | Path]:
    big = folder / "stor.yaml"
    big.write_bytes(b"# " + b"x" * (11 * 1024 * 1024) + b"\n")
    return ["validate", big]


def _alias_bomb(folder: Path) -> list[str | Path]:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    bomb = folder / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["validate", bomb]


def _unknown_party(folder: Path) -> list[str | Path]:
    return ["report", FLAGSHIP, "--year", "2024", "--party", "XX", "-o", folder / "r.docx"]


def _not_a_template(folder: Path) -> list[str | Path]:
    template = folder / "mall.docx"
    template.write_text("inte en mall", encoding="utf-8")
    return ["render", FLAGSHIP, "--template", template, "-o", folder / "avtal.docx"]


def _zip_bomb(folder: Path) -> list[str | Path]:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<w/>" + b" " * (20 * 1024 * 1024))
    template = folder / "bomb.docx"
    template.write_bytes(data.getvalue())
    return ["render", FLAGSHIP, "--template", template, "-o", folder / "avtal.docx"]


def _sandboxed(folder: Path) -> list[str | Path]:
    template = folder / "mall.docx"
    template.write_bytes(docx_with_text("{{ 'x' * 10**8 }}"))
    return ["render", FLAGSHIP, "--template", template, "-o", folder / "avtal.docx"]


@dataclass(frozen=True)
class Case:
    name: str
    command: Callable[[Path], list[str | Path]]
    where: str  # what every error line starts with, after "error: ": the file and position
    swedish: str
    english: str


CASES = [
    Case(
        "a YAML syntax error",
        _yaml_syntax,
        "{folder}/avtal.yaml:3:16: ",
        "inte giltig YAML: ett värde med nyckel (nyckel: värde) är inte tillåtet här",
        "not valid YAML: mapping values are not allowed",
    ),
    Case(
        "a file over the size limit",
        _oversized,
        "{folder}/stor.yaml: ",
        "är större än gränsen på 10 MiB",
        "is larger than the limit of 10 MiB",
    ),
    Case(
        "an alias bomb",
        _alias_bomb,
        "{folder}/bomb.yaml:",
        "miljoner tecken när dess alias (*namn) har expanderats (gränsen)",
        "million characters once its aliases (*name) are expanded (the limit)",
    ),
    Case(
        "a report for a party that does not exist",
        _unknown_party,
        "",
        "det finns ingen part 'XX'; parterna är VGR, GSE, SENS, SES, SEF",
        "no such party 'XX'; the parties are VGR, GSE, SENS, SES, SEF",
    ),
    Case(
        "a template that is not a Word document",
        _not_a_template,
        "",
        "mallen '{folder}/mall.docx' är inte ett Word-dokument (.docx)",
        "template '{folder}/mall.docx' is not a Word document (.docx)",
    ),
    Case(
        "a zip bomb as a template",
        _zip_bomb,
        "",
        "mallen '{folder}/bomb.docx': word/document.xml är komprimerad mer än",
        "template '{folder}/bomb.docx': word/document.xml is compressed more than",
    ),
    Case(
        "a template the sandbox stops",
        _sandboxed,
        "",
        "mallen försökte göra något som inte tillåts: att upprepa en text eller lista",
        "the template tried something refused: repeating a text or list",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_bad_input_reads_in_swedish_and_in_english_with_the_same_status_and_place(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Swedish with --lang sv, English with --lang en; status and place identical."""
    args = case.command(tmp_path)
    swedish = say(capsys, "sv", *args)
    english = say(capsys, "en", *args)
    assert swedish.status == english.status == 2
    sv_lines, en_lines = swedish.errors("sv"), english.errors("en")
    assert len(sv_lines) == len(en_lines) == 1, (swedish.err, english.err)
    where = case.where.format(folder=tmp_path)
    assert sv_lines[0].startswith(where)
    assert en_lines[0].startswith(where)
    assert case.swedish.format(folder=tmp_path) in sv_lines[0]
    assert case.english.format(folder=tmp_path) in en_lines[0]
    assert case.english.format(folder=tmp_path) not in sv_lines[0]


def test_a_swedish_locale_gives_the_same_swedish_error_as_lang_sv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """LANG=sv_SE.UTF-8 without --lang words the library's errors in Swedish too."""
    args = _yaml_syntax(tmp_path)
    chosen = say(capsys, "sv", *args)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    status = main([str(word) for word in args])
    assert (status, capsys.readouterr().err) == (chosen.status, chosen.err)


def _fake_soffice(folder: Path, body: str) -> Path:
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    program.chmod(0o755)
    return program


@pytest.mark.parametrize(
    ("setup", "swedish", "english"),
    [
        (
            lambda folder: _fake_soffice(folder, "sleep 30"),
            "LibreOffice blev inte klart inom 0.5 s och stoppades; ingenting skrevs",
            "LibreOffice did not finish within 0.5 s and was stopped; nothing was written",
        ),
        (
            lambda folder: folder / "saknas",
            "IOPDOCS_SOFFICE='{folder}/saknas' är inte ett körbart program",
            "IOPDOCS_SOFFICE='{folder}/saknas' is not an executable program",
        ),
    ],
    ids=["LibreOffice too slow", "LibreOffice missing"],
)
def test_a_pdf_conversion_that_fails_reads_in_both_languages(
    setup: Callable[[Path], Path],
    swedish: str,
    english: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A LibreOffice that hangs (stopped at the timeout) or is not there: exit 2, nothing
    written, the reason in the language asked for."""
    monkeypatch.setenv("IOPDOCS_SOFFICE", str(setup(tmp_path)))
    target = tmp_path / "avtal.pdf"
    args = ["render", FLAGSHIP, "-o", target, "--timeout", "0.5"]
    said = {language: say(capsys, language, *args) for language in ("sv", "en")}
    assert said["sv"].status == said["en"].status == 2
    assert said["sv"].errors("sv") == [swedish.format(folder=tmp_path)]
    assert said["en"].errors("en") == [english.format(folder=tmp_path)]
    assert not target.exists()


def test_a_batch_reports_each_failure_in_the_language_of_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Errors made in the worker processes of ``render --jobs 2`` cross back as messages and
    are worded by the command: Swedish for --lang sv, English for --lang en."""
    broken = tmp_path / "trasig.yaml"
    broken.write_text("metadata: [\n", encoding="utf-8")
    args: list[str | Path] = ["render", FLAGSHIP, broken, "--jobs", "2", "-o"]
    swedish = say(capsys, "sv", *args, tmp_path / "sv")
    english = say(capsys, "en", *args, tmp_path / "en")
    assert swedish.status == english.status == 1
    assert swedish.errors("sv") == [
        f"{broken}:2:1: inte giltig YAML: hittade inte det värde som skulle komma"
    ]
    assert english.errors("en") == [
        f"{broken}:2:1: not valid YAML: did not find expected node content"
    ]


def verified(
    capsys: pytest.CaptureFixture[str], document: Path
) -> tuple[tuple[int, list[str]], tuple[int, list[str]]]:
    """What ``verify`` prints of ``document``, with its exit status: in Swedish, in English."""
    outputs = []
    for language in ("sv", "en"):
        status = main(["--lang", language, "verify", str(document)])
        outputs.append((status, capsys.readouterr().out.splitlines()))
    return outputs[0], outputs[1]


def test_verify_reports_a_change_in_swedish_with_the_same_place_and_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What verify prints of an edited contract: the same paragraph and words, in Swedish."""
    from docx import Document

    from iopdocs import load_agreement, render_contract

    contract = render_contract(load_agreement(FLAGSHIP), tmp_path / "avtal.docx")
    document = Document(str(contract))
    paragraph = next(p for p in document.paragraphs if "uppsägningstid om sex" in p.text)
    for run_ in paragraph.runs:
        run_.text = run_.text.replace("sex månader", "en månad")
    document.save(str(contract))
    (sv_status, sv), (en_status, en) = verified(capsys, contract)
    assert sv_status == en_status == 1
    assert sv[0].startswith(f"ändrad: {contract}: skapad av iopdocs")
    assert sv[1] == "  1 stycke skiljer sig från det som skapas av dess uppgifter:"
    assert en[1] == "  1 paragraph differs from the rendering of its data:"
    # where: the same paragraph and section, the words around them in the language
    number = en[2].split()[2]
    section = en[2].split("(under '")[1].rstrip("')")
    assert en[2] == f"  body paragraph {number} (under '{section}')"
    assert sv[2] == f"  stycke {number} i brödtexten (under ”{section}”)"
    assert sv[3].startswith("    nu:         ")
    assert "[en månad.]" in sv[3]
    assert sv[4].startswith("    borde vara: ")
    assert "[sex månader.]" in sv[4]


def test_verify_names_what_it_cannot_verify_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hidden text added to a contract: "cannot verify", each construct named in the language
    in use, its quoted text as written, exit 2 in both."""
    from docx import Document

    from iopdocs import load_agreement, render_contract

    contract = render_contract(load_agreement(FLAGSHIP), tmp_path / "avtal.docx")
    document = Document(str(contract))
    document.paragraphs[3].add_run(" Betalas till konto 9999.").font.hidden = True
    document.save(str(contract))
    (sv_status, sv), (en_status, en) = verified(capsys, contract)
    assert sv_status == en_status == 2
    assert sv[0].startswith(f"kan inte verifiera: {contract}: ")
    assert en[0].startswith(f"cannot verify: {contract}: ")
    assert en[1:] == ["  body: hidden text (w:vanish): ' Betalas till konto 9999.'"]
    assert sv[1:] == ["  brödtext: dold text (w:vanish): ' Betalas till konto 9999.'"]


def test_a_verify_with_the_wrong_template_says_why_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template mismatch names the template and both hashes in either language."""
    from iopdocs import load_agreement, render_contract
    from tests.unit.test_render import own_template

    template = tmp_path / "egen.docx"
    template.write_bytes(own_template("Avtal: {{ agreement.metadata.title }}"))
    document = render_contract(load_agreement(FLAGSHIP), tmp_path / "avtal.docx", template=template)
    swedish = say(capsys, "sv", "verify", document)
    english = say(capsys, "en", "verify", document)
    assert swedish.status == english.status == 2
    assert "skapades med mallen 'egen.docx' (SHA-256 " in swedish.err
    assert "verifiera det med mallen det skapades med" in swedish.err
    assert "was rendered with the template 'egen.docx' (SHA-256 " in english.err
    hashes = [word for word in english.err.split() if len(word.strip("(),;")) == 64]
    assert hashes
    assert all(word in swedish.err for word in hashes)


def test_an_unknown_language_is_refused_in_the_language_of_the_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--lang fi names no catalog: the refusal is worded in the locale's language instead."""
    monkeypatch.setenv("LANGUAGE", "sv_SE")
    assert main(["--lang", "fi", "validate", str(FLAGSHIP)]) == 2
    assert capsys.readouterr().err == "iopdocs: fel: --lang fi: välj sv eller en\n"
    monkeypatch.setenv("LANGUAGE", "en")
    assert main(["--lang", "fi", "validate", str(FLAGSHIP)]) == 2
    assert capsys.readouterr().err == "iopdocs: error: --lang fi: choose sv or en\n"


def test_templates_lint_words_each_problem_in_the_language_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template author reads lint's problems in Swedish too; the part, the code and the tag
    quoted from the template stay as they are."""
    from tests.wordxml import para, runs, table, word_template

    path = tmp_path / "mall.docx"
    path.write_bytes(
        word_template(
            para(runs("Från {{ ", "agreement.", "perod", ".start|date }}")),
            table(("{%tr for m in doc.mission_items %}",), ("{{ m.title }}",), ("{%tr endfor %}",)),
        )
    )
    said = {}
    for language in ("sv", "en"):
        status = main(["--lang", language, "templates", "lint", str(path)])
        said[language] = (status, capsys.readouterr().out.splitlines())
    (sv_status, sv), (en_status, en) = said["sv"], said["en"]
    assert sv_status == en_status == 1
    assert sv[0] == (
        f"{path}: word/document.xml: unknown-variable: {{{{ agreement.perod.start|date }}}}: "
        "agreement har inget fält 'perod'; menade du agreement.period? "
        '(nära "Från {{ agreement.perod.start|date }}")'
    )
    assert en[0].endswith(
        "agreement has no field 'perod'; did you mean agreement.period? "
        '(near "Från {{ agreement.perod.start|date }}")'
    )
    assert sv[1].startswith(f"{path}: word/document.xml: empty-table: stycke ")
    assert "varje rad i den här tabellen kommer från {%tr for m in doc.mission_items %}" in sv[1]
    assert en[1].startswith(f"{path}: word/document.xml: empty-table: paragraph ")
    assert sv[-1] == "2 problem hittades"
    assert en[-1] == "2 problems found"


def test_a_warning_of_the_library_reads_in_the_language_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file of an earlier schema version validates with a warning naming the renamed key:
    the key and its path as written, the sentence around them in Swedish or English."""
    example = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"
    old = tmp_path / "gammal.yaml"
    text = example.read_text(encoding="utf-8")
    old.write_text(
        text.replace("schema_version: 2\n", "").replace("pay_on_day: 10", "payment_day: 10"),
        encoding="utf-8",
    )
    swedish = say(capsys, "sv", "validate", old)
    english = say(capsys, "en", "validate", old)
    assert swedish.status == english.status == 0
    where = f"{old}: contributions[1].money[0].payment_day"
    assert (
        f"varning: {where} heter nu pay_on_day (schemaversion 2); "
        "'iopdocs migrate' skriver om filen"
    ) in swedish.err.splitlines()
    assert (
        f"warning: {where} is now pay_on_day (schema version 2); "
        "'iopdocs migrate' rewrites the file"
    ) in english.err.splitlines()


def test_workers_started_afresh_word_their_errors_in_the_language_of_the_command(
    tmp_path: Path,
) -> None:
    """Where worker processes are started afresh instead of forked (macOS, Windows, Linux from
    Python 3.14), they inherit no language: each is told it, so a field error found in a worker
    reads in Swedish for --lang sv."""
    import subprocess
    import sys

    bad = tmp_path / "fel-datum.yaml"
    text = FLAGSHIP.read_text(encoding="utf-8")
    bad.write_text(text.replace("  date: 2024-08-01", "  date: 2024-02-30", 1), encoding="utf-8")
    assert bad.read_text(encoding="utf-8") != text
    script = (
        "import multiprocessing, sys\n"
        "from iopdocs.cli import main\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.set_start_method('spawn')\n"
        "    sys.exit(main(sys.argv[1:]))\n"
    )
    (tmp_path / "spawned.py").write_text(script, encoding="utf-8")
    args = ["render", str(FLAGSHIP), str(bad), "--jobs", "2", "-o", str(tmp_path / "ut")]
    done = subprocess.run(
        [sys.executable, "spawned.py", "--lang", "sv", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert f"fel: {bad}: metadata.date: ska vara ett datum (ÅÅÅÅ-MM-DD): " in done.stderr
    assert "should be" not in done.stderr
