"""The Swedish catalog is complete and current: every message of the source has a translation with
the same placeholders, the packaged .mo is the compiled .po, and pydantic's wording never reaches
a Swedish reader for the errors the model raises."""

from __future__ import annotations

import copy
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from pydantic import ValidationError

from iopdocs import i18n
from iopdocs.model import Agreement
from iopdocs.problems import BUILTIN, problem_lines
from tests.conftest import ROOT

LOCALE = ROOT / "src" / "iopdocs" / "locale"
PO = LOCALE / "sv" / "LC_MESSAGES" / "iopdocs.po"
MO = LOCALE / "sv" / "LC_MESSAGES" / "iopdocs.mo"
# What `make messages` passes to pybabel extract as -k, beside gettext's own names.
KEYWORDS = {
    "N_": None,
    "Message": None,
    "Plural": (1, 2),
    "PydanticCustomError": (2,),
    "_error": (2,),
    "error": (2,),
}


def source_messages() -> set[str | tuple[str, str]]:
    keywords = {**DEFAULT_KEYWORDS, **KEYWORDS}
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "src" / "iopdocs"), [("**.py", "python")], keywords=keywords
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def catalog() -> dict[str, Any]:
    with PO.open("rb") as file:
        po = read_po(file)
    return {(m.id if isinstance(m.id, str) else tuple(m.id)): m.string for m in po if m.id}


def test_the_makefile_extracts_with_the_same_keywords() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for name, spec in KEYWORDS.items():
        flag = f"-k {name}" + (f":{spec[0]}" if spec else "")
        assert flag in makefile


def test_every_message_of_the_source_has_a_swedish_translation() -> None:
    """A message added in the source without a translation fails here: run `make messages`,
    translate what it lists as empty in the .po, and run it again to compile."""
    translations = catalog()
    untranslated = sorted(str(m) for m in source_messages() if not all(_forms(translations.get(m))))
    assert untranslated == []


def _forms(value: Any) -> list[str]:
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{\w*\}|%\(\w+\)[sdr]|%[sdr]", text))


def test_a_translation_keeps_the_placeholders_of_its_message() -> None:
    for message, translation in catalog().items():
        originals = [message] if isinstance(message, str) else list(message)
        for original, translated in zip(originals, _forms(translation), strict=False):
            assert placeholders(translated) == placeholders(original), message


def test_the_packaged_mo_is_the_compiled_po() -> None:
    """`make messages` compiles the catalog; a .po edited without compiling fails here."""
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for message, translation in catalog().items():
        if isinstance(message, str):
            assert compiled.gettext(message) == translation, message
        else:
            assert compiled.ngettext(message[0], message[1], 1) == translation[0]
            assert compiled.ngettext(message[0], message[1], 5) == translation[1]


BROKEN: list[tuple[str, Any]] = [
    ("metadata.title", None),  # missing
    ("metadata.extra_key", "x"),  # extra_forbidden
    ("metadata.title", 12),  # string_type
    ("period.start", "2025-02-3x"),  # date parsing
    ("period.start", "1 januari"),  # date parsing, too short
    ("period.start", 20250101),  # date from a number
    ("parties.0.kind", "region"),  # enum
    ("parties.0.signatories", []),  # too_short
    ("parties.0.contacts", "Karin"),  # list_type
    ("values", "dialog"),  # model_type
    ("metadata.status", "klar"),  # enum
    ("conditions.adaptable", "kanske"),  # bool_parsing
]


def _broken(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    result = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = result
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    if value is None:
        node.pop(last, None)
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return result


@pytest.mark.parametrize(("path", "value"), BROKEN)
def test_pydantics_own_wording_is_translated(
    minimal_data: dict[str, Any], path: str, value: Any
) -> None:
    """Each error type the model raises reads as Swedish, with its code and path unchanged."""
    try:
        Agreement.model_validate(_broken(minimal_data, path, value))
    except ValidationError as exc:
        error = exc
    else:
        pytest.fail(f"{path}: {value!r} was accepted")
    english = problem_lines(error)
    i18n.set_language("sv")
    try:
        swedish = problem_lines(error)
    finally:
        i18n.set_language("en")
    for en, sv in zip(english, swedish, strict=True):
        en_where, en_code = en.split(": ", 1)[0], en.rsplit(" ", 1)[1]
        assert sv.split(": ", 1)[0] == en_where
        assert sv.rsplit(" ", 1)[1] == en_code
        assert sv != en
        assert "Input should" not in sv
        if en_code.strip("[]") in BUILTIN:
            assert "should" not in sv


def test_the_catalog_files_are_where_the_package_finds_them() -> None:
    assert Path(i18n.__file__).parent / "locale" == LOCALE
    i18n.set_language("sv")
    try:
        assert i18n.gettext("wrote {path}") == "skrev {path}"
        assert i18n.language() == "sv"
    finally:
        i18n.set_language("en")
    assert i18n.gettext("wrote {path}") == "wrote {path}"
