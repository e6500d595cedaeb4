"""The clause library: the contract's wording is data, checked on load and placed by section."""

from __future__ import annotations

from typing import Any

import pytest

from iopdocs import Agreement, render_contract
from iopdocs.documents.clauses import (
    SECTIONS,
    clause_states,
    packaged_library,
    parse_library,
)
from iopdocs.errors import ClauseError
from iopdocs.render.context import contract_context
from iopdocs.render.formats import formats_for
from iopdocs.schedule import payment_schedule
from tests.conftest import compact, docx_text


def library(*clauses: str) -> bytes:
    return ("clauses:\n" + "".join(clauses)).encode()


ONE = """
- id: final.extra
  section: final
  text: Parterna ska träffas {{ agreement.period.start|date }}.
  note: Prov.
"""


def context(agreement: Agreement) -> dict[str, Any]:
    return contract_context(agreement, payment_schedule(agreement), formats_for("sv_SE"))


def test_the_packaged_library_has_unique_ids_known_sections_and_a_note_for_every_clause() -> None:
    lib = packaged_library()
    ids = [c.id for c in lib.clauses]
    assert len(ids) == len(set(ids))
    assert {c.section for c in lib.clauses} <= set(SECTIONS)
    assert all(c.note for c in lib.clauses)
    assert all(c.id.split(".")[0] == c.section for c in lib.clauses)


def test_a_clause_reading_a_field_the_model_lacks_fails_naming_the_clause() -> None:
    bad = ONE.replace("agreement.period.start", "agreement.period.begins")
    with pytest.raises(ClauseError, match=r"^final\.extra: .*agreement\.period\.begins"):
        parse_library(library(bad))


def test_a_condition_on_a_missing_field_fails_naming_the_clause() -> None:
    bad = ONE + "  when: agreement.conditions.no_such_thing\n"
    with pytest.raises(ClauseError, match=r"^final\.extra: "):
        parse_library(library(bad))


def test_a_broken_tag_fails_naming_the_clause() -> None:
    with pytest.raises(ClauseError, match=r"^final\.extra: broken tag"):
        parse_library(library(ONE.replace("}}.", "}.")))


def test_an_unknown_section_fails_naming_the_clause() -> None:
    with pytest.raises(ClauseError, match=r"^final\.extra: unknown section 'finale'"):
        parse_library(library(ONE.replace("section: final", "section: finale")))


def test_a_clause_that_is_off_leaves_no_paragraph(make_agreement: Any) -> None:
    on = docx_text(render_contract(make_agreement()))
    off = docx_text(render_contract(make_agreement(conditions={"adaptable": False})))
    assert "anpassas efter ändrade behov" in compact(on)
    assert "anpassas efter ändrade behov" not in compact(off)
    assert len(off.split("\n\n")) == len(on.split("\n\n")) - 1


def test_each_clause_says_which_field_switched_it(flagship: Agreement) -> None:
    states = {s.clause.id: s for s in clause_states(packaged_library(), context(flagship))}
    notice = states["conditions.notice"]
    assert notice.on
    assert notice.fields == (("agreement.conditions.notice_months", 6),)
    assert states["final.signing"].on
    assert states["final.signing"].fields == ()


def test_rendering_twice_gives_the_same_sections(flagship: Agreement) -> None:
    assert context(flagship)["doc"]["clauses"] == context(flagship)["doc"]["clauses"]
