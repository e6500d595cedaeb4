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
from iopdocs.documents.context import contract_context
from iopdocs.documents.formats import formats_for
from iopdocs.errors import ClauseError
from iopdocs.schedule import payment_schedule
from tests.conftest import ROOT, compact, docx_text


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


# --- Lawyers own the wording: their own library, per-agreement overrides, provenance -----------


def edited_library(old: str, new: str) -> bytes:
    source = packaged_library().source.decode("utf-8")
    assert old in source
    return source.replace(old, new, 1).encode("utf-8")


def paragraphs_of(data: bytes) -> list[str]:
    return [p for p in docx_text(data).split("\n\n") if p.strip()]


def test_a_municipalitys_library_changes_exactly_the_clause_it_edits(flagship: Agreement) -> None:
    own = edited_library(
        "Parterna ska i första hand lösa en tvist",
        "Parterna ska i första hand söka lösa en tvist",
    )
    before = paragraphs_of(render_contract(flagship))
    after = paragraphs_of(render_contract(flagship, clauses=own))
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    assert changed[0][1].startswith("Parterna ska i första hand söka lösa en tvist")


def test_a_library_with_an_unknown_field_fails_with_the_clause_id(flagship: Agreement) -> None:
    broken = edited_library(
        "{{ agreement.conditions.repayment_days }}", "{{ agreement.conditions.frist }}"
    )
    with pytest.raises(ClauseError, match=r"^conditions\.repayment: .*conditions\.frist"):
        render_contract(flagship, clauses=broken)


def overrides(flagship: Agreement, *items: dict[str, Any]) -> Agreement:
    data = flagship.model_dump(mode="json")
    data["clause_overrides"] = list(items)
    return Agreement.model_validate(data)


def test_an_override_replaces_the_text_of_one_clause(flagship: Agreement) -> None:
    negotiated = "Varje part får säga upp avtalet skriftligen med tolv månaders uppsägningstid."
    agreement = overrides(flagship, {"id": "conditions.notice", "text": negotiated})
    before = paragraphs_of(render_contract(flagship))
    after = paragraphs_of(render_contract(agreement))
    assert [b for a, b in zip(before, after, strict=True) if a != b] == [negotiated]


def test_an_override_omits_one_clause_and_adds_one_of_its_own(flagship: Agreement) -> None:
    agreement = overrides(
        flagship,
        {"id": "final.logos", "omit": True},
        {"id": "final.press", "section": "final", "text": "Pressmeddelanden görs gemensamt."},
    )
    text = compact(docx_text(render_contract(agreement)))
    assert "logotyper" not in text
    assert "Pressmeddelanden görs gemensamt. Bilagor" in text


def test_an_override_of_an_unknown_clause_without_a_section_fails(flagship: Agreement) -> None:
    agreement = overrides(flagship, {"id": "final.nothing", "text": "Text."})
    with pytest.raises(ClauseError, match=r"^final\.nothing: the clause library has no clause"):
        render_contract(agreement)


def test_a_contract_verifies_after_the_standard_wording_changes(
    flagship: Agreement, monkeypatch: pytest.MonkeyPatch
) -> None:
    import iopdocs
    from iopdocs.documents import clauses as module

    signed = render_contract(flagship)
    later = parse_library(edited_library("Ingen part får överlåta", "Ingen part kan överlåta"))
    monkeypatch.setattr(module, "packaged_library", lambda language="sv": later)
    assert "Ingen part kan överlåta" in docx_text(render_contract(flagship))
    result = iopdocs.verify(signed)
    assert result.unchanged
    assert result.provenance.clauses_sha256 == module._packaged("sv").sha256


def test_the_catalogue_lists_every_clause_with_condition_and_note() -> None:
    from iopdocs.authoring.clauses import clause_catalogue

    text = docx_text(clause_catalogue())
    for clause in packaged_library().clauses:
        assert clause.id in text
    assert "Villkor: agreement.conditions.notice_months" in text
    assert "Förbehåll för anslag" in text


def test_templates_lint_names_a_section_whose_clauses_a_template_forgot(tmp_path: Any) -> None:
    import io

    from docx import Document

    from iopdocs.authoring.lint import lint_template
    from iopdocs.documents.templates import template_path

    document = Document(str(template_path("contract.docx")))
    for paragraph in document.paragraphs:
        if "doc.clauses.state_aid" in paragraph.text:
            for run in paragraph.runs:
                run.text = run.text.replace("doc.clauses.state_aid", "doc.clauses.final")
    buffer = io.BytesIO()
    document.save(buffer)
    problems = [p for p in lint_template(buffer.getvalue()) if p.code == "clauses-missing"]
    assert [str(p) for p in problems] == [
        "word/document.xml: clauses-missing: the template places no clauses of section "
        "'state_aid'; add {%p for c in doc.clauses.state_aid %} … {%p endfor %} where they belong"
    ]
    assert not [
        p for p in lint_template(template_path("contract.docx")) if p.code == "clauses-missing"
    ]


def test_diff_names_a_changed_override_by_its_clause_id(flagship: Agreement) -> None:
    from iopdocs.reviewing.diff import diff

    before = overrides(flagship, {"id": "final.logos", "omit": True})
    after = overrides(
        flagship,
        {"id": "final.press", "section": "final", "text": "Pressmeddelanden görs gemensamt."},
        {"id": "final.logos", "omit": True},
    )
    lines = [str(c) for c in diff(before, after)]
    assert any("Klausul final.press" in line for line in lines), lines
    assert not any("final.logos" in line for line in lines), lines


def test_deciding_every_condition_at_once_agrees_with_deciding_each_alone(
    flagship: Agreement,
) -> None:
    # Rendering decides all conditions in one evaluation; clauses list reads them one by one.
    seen = context(flagship)
    together = clause_states(packaged_library(), seen, explain=False)
    alone = clause_states(packaged_library(), seen)
    assert [(s.clause.id, s.on) for s in together] == [(s.clause.id, s.on) for s in alone]
    assert any(s.on for s in together)
    assert not all(s.on for s in together)


def test_a_condition_that_fails_at_render_time_names_its_clause(flagship: Agreement) -> None:
    # Passes the load-time check (the field exists) but cannot be decided for this agreement.
    bad = ONE + "  when: agreement.period.start.no_such_attribute > 1\n"
    with pytest.raises(ClauseError, match=r"^final\.extra: the condition cannot be decided"):
        render_contract(flagship, clauses=library(bad))


def test_the_packaged_library_passes_every_check_a_library_from_outside_gets() -> None:
    # A new process loads the packaged library without checking each clause again; this is
    # the check it relies on.
    checked = parse_library(packaged_library().source, name="sv")
    assert checked.clauses == packaged_library().clauses


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_rendering_switches_on_exactly_the_clauses_the_states_say_are_on(path: Any) -> None:
    """What a contract renders is decided without a state per clause; it is exactly the
    clauses ``clause_states`` says are on, with how the agreement changed each, in order."""
    from iopdocs import load_agreement
    from iopdocs.documents.clauses import _switched_on

    changed = overrides(
        load_agreement(path),
        {"id": "final.logos", "omit": True},
        {"id": "conditions.notice", "text": "Tolv månaders uppsägningstid."},
        {"id": "final.press", "section": "final", "text": "Pressmeddelanden görs gemensamt."},
    )
    for agreement in (load_agreement(path), changed):
        context = contract_context(agreement, payment_schedule(agreement), formats_for("sv_SE"))
        library = packaged_library()
        states = clause_states(library, context, overrides=agreement.clause_overrides)
        expected = [(s.clause, s.overridden) for s in states if s.on]
        assert _switched_on(library, context, agreement.clause_overrides, "sv_SE") == expected
