"""`lint_template`: what would break a template, found before anyone renders it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from iopdocs import (
    Agreement,
    TemplateError,
    TemplateInfo,
    TemplateProblem,
    TemplateSyntaxError,
    lint_template,
    list_templates,
    render_contract,
)
from tests.conftest import compact, docx_text
from tests.wordxml import deleted, inserted, para, run, runs, table, word_template


def codes(problems: list[TemplateProblem]) -> list[str]:
    return [p.code for p in problems]


def only(problems: list[TemplateProblem], code: str) -> TemplateProblem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


@pytest.mark.parametrize("info", list_templates(), ids=lambda i: i.name)
def test_every_bundled_template_lints_clean(info: TemplateInfo) -> None:
    assert info.kind in ("contract", "report", "review")
    assert lint_template(info.path) == []


def test_a_tag_word_split_over_runs_is_still_one_tag(flagship: Agreement) -> None:
    template = word_template(
        para(runs("Avtalet gäller från {{ ", "agreement.", "period", ".start|date }}", ".")),
    )
    assert lint_template(template) == []
    assert "Avtalet gäller från 1 augusti 2024." in docx_text(
        render_contract(flagship, template=template)
    )


def test_a_misspelt_field_is_named_with_the_field_meant() -> None:
    template = word_template(
        para("Inledning."),
        para(runs("Avtalet gäller från {{ ", "agreement.", "perod", ".start|date }}", ".")),
    )
    problem = only(lint_template(template), "unknown-variable")
    assert "agreement.perod" in problem.message
    assert "did you mean agreement.period?" in problem.message
    assert problem.part == "word/document.xml"
    assert "Avtalet gäller från" in problem.where


@pytest.mark.parametrize(
    ("tags", "wrong", "meant"),
    [
        (
            ["{%p for p in agreement.parties %}", "{{ p.nmae }}", "{%p endfor %}"],
            "p.nmae",
            "p.name",
        ),
        (
            ["{%p for m in doc.money_lines %}", "{{ m.amout|money }}", "{%p endfor %}"],
            "m.amout",
            "m.amount",
        ),
        (["{{ agreement.parties[0].org_numbr }}"], "org_numbr", "org_number"),
        (["{{ doc.schedule.totl|money }}"], "doc.schedule.totl", "doc.schedule.total"),
        (["{{ agreement.mission.items[0].indicator }}"], "indicator", "indicators"),
        (["{{ Agreement.metadata.title }}"], "Agreement", "agreement"),
    ],
)
def test_paths_are_checked_through_lists_loops_and_derived_facts(
    tags: list[str], wrong: str, meant: str
) -> None:
    problem = only(lint_template(word_template(*(para(t) for t in tags))), "unknown-variable")
    assert wrong in problem.message
    assert meant in problem.message


def test_a_loop_variable_is_explained_by_its_list() -> None:
    template = word_template(
        para("{%p for c in doc.contacts %}"), para("{{ c.mail }}"), para("{%p endfor %}")
    )
    problem = only(lint_template(template), "unknown-variable")
    assert "c (each of doc.contacts) has no field 'mail'" in problem.message


def test_unknown_filters_and_tests_are_named() -> None:
    template = word_template(
        para("{{ doc.schedule.total|mony }}"), para("{% if doc.title is defnied %}x{% endif %}")
    )
    problems = lint_template(template)
    assert "did you mean 'money'" in only(problems, "unknown-filter").message
    assert "did you mean 'defined'" in only(problems, "unknown-test").message


def test_a_report_template_is_checked_against_the_report_context() -> None:
    template = word_template(para("Årsberättelse {{ report.year }} {{ report.reporterz }}"))
    problem = only(lint_template(template), "unknown-variable")
    assert "did you mean report.reporters?" in problem.message
    # The same template read as a contract template does not know `report` at all.
    as_contract = lint_template(template, kind="contract")
    assert len(as_contract) == 2
    for problem in as_contract:
        assert "'report' is not a name this template sees" in problem.message


def test_a_tracked_insertion_inside_a_tag_is_reported_twice_over() -> None:
    template = word_template(
        para(run("Titel: {{ agreement.metadata."), inserted("title"), run(" }}")),
    )
    problems = lint_template(template)
    assert "Anna Svensson" in only(problems, "tracked-change").message
    assert "{{ agreement.metadata.title }}" in only(problems, "split-tag").message


def test_a_tag_running_into_a_hyperlink_is_reported() -> None:
    link = f'<w:hyperlink w:anchor="parter">{run("parties_text }}")}</w:hyperlink>'
    template = word_template(para(run("Parter: {{ doc."), link))
    assert "{{ doc.parties_text }}" in only(lint_template(template), "split-tag").message


def test_a_tracked_deletion_is_reported() -> None:
    template = word_template(para(run("Parterna "), deleted("gemensamt "), run("ansvarar.")))
    assert codes(lint_template(template)) == ["tracked-change"]


def test_a_comment_left_in_the_template_is_reported() -> None:
    template = word_template(
        para("Parter: {{ doc.parties_text }}"),
        comment=("Parter:", "Ska vi ta med adresserna?"),
    )
    problem = only(lint_template(template), "comment")
    assert "Ska vi ta med adresserna?" in problem.message
    assert "Parter:" in problem.where


def test_a_table_of_loop_rows_over_a_list_that_may_be_empty_needs_a_guard() -> None:
    rows = (("{%tr for m in doc.mission_items %}",), ("{{ m.title }}", "{{ m.parties_text }}"))
    unguarded = word_template(para("Uppdrag"), table(*rows, ("{%tr endfor %}",)))
    problem = only(lint_template(unguarded), "empty-table")
    assert "{%tr for m in doc.mission_items %}" in problem.message
    assert "{%p if" in problem.message
    guarded = word_template(
        para("{%p if doc.mission_items %}"),
        table(*rows, ("{%tr endfor %}",)),
        para("{%p endif %}"),
    )
    assert lint_template(guarded) == []
    with_header = word_template(table(("Uppgift", "Parter"), *rows, ("{%tr endfor %}",)))
    assert lint_template(with_header) == []


def test_a_row_of_column_loops_over_a_list_that_may_be_empty_needs_a_guard() -> None:
    columns = ("{%tc for y in doc.schedule.by_year %}", "{{ y.name }}", "{%tc endfor %}")
    problem = only(lint_template(word_template(table(columns))), "empty-table")
    assert "every cell of a row of this table comes from {%tc for y in" in problem.message
    assert lint_template(word_template(table(("År", *columns)))) == []


def test_a_table_of_conditional_rows_needs_a_guard() -> None:
    template = word_template(table(("{%tr if doc.draft %}",), ("UTKAST",), ("{%tr endif %}",)))
    assert "{%tr if doc.draft %}" in only(lint_template(template), "empty-table").message


@pytest.mark.parametrize("items", ["agreement.parties", "doc.signatures", "doc.contacts"])
def test_a_loop_over_a_list_that_is_never_empty_needs_no_guard(items: str) -> None:
    template = word_template(
        table((f"{{%tr for x in {items} %}}",), ("{{ x.name }}",), ("{%tr endfor %}",))
    )
    assert lint_template(template) == []


def test_an_if_paragraph_without_endif_is_unpaired() -> None:
    template = word_template(para("{%p if doc.draft %}"), para("UTKAST"), para("Slut."))
    problems = lint_template(template)
    assert codes(problems) == ["unpaired-tag"]  # not also a bare Jinja syntax error
    assert "{%p if doc.draft %} is never closed" in problems[0].message
    assert "{%p endif %}" in problems[0].message


def test_a_block_closed_by_a_tag_of_another_kind_is_unpaired() -> None:
    template = word_template(para("{%p if doc.draft %}"), para("UTKAST"), para("{% endif %}"))
    problem = only(lint_template(template), "unpaired-tag")
    assert "another kind" in problem.message
    assert "{%p endif %}" in problem.message


def test_a_row_loop_closed_in_another_table_is_unpaired() -> None:
    template = word_template(
        table(("{%tr for p in agreement.parties %}",), ("{{ p.name }}",)),
        para("Mellan tabellerna"),
        table(("{{ p.short_name }}",), ("{%tr endfor %}",)),
    )
    assert "not in the same table" in only(lint_template(template), "unpaired-tag").message


def test_a_special_tag_sharing_its_paragraph_loses_the_text() -> None:
    template = word_template(para("Före {%p if doc.draft %}"), para("x"), para("{%p endif %}"))
    problem = only(lint_template(template), "shared-container")
    assert "shares its paragraph" in problem.message
    assert problem.where == "Före"


def test_smart_quotes_inside_a_tag_are_fine(flagship: Agreement) -> None:
    template = word_template(para("{{ “Avtal: ” ~ agreement.metadata.title }}"))
    assert lint_template(template) == []
    text = docx_text(render_contract(flagship, template=template))
    assert f"Avtal: {flagship.metadata.title}" in text


def test_autocorrect_inside_a_tag_is_named() -> None:
    template = word_template(para("{{ agreement.period.end.year – 1 }}"))
    problems = lint_template(template)
    assert "'–' was '- or --'" in only(problems, "autocorrect").message
    syntax = only(problems, "syntax")
    assert "AutoCorrect" in syntax.message
    assert "{{ agreement.period.end.year – 1 }}" in syntax.message


def test_a_syntax_error_names_its_tag() -> None:
    template = word_template(para("Inledning"), para("Titel: {{ doc.title | }}"))
    problem = only(lint_template(template), "syntax")
    assert problem.message.endswith("in {{ doc.title | }}")
    assert problem.where == "Titel: {{ doc.title | }}"


def test_a_capitalised_tag_gets_a_did_you_mean() -> None:
    template = word_template(para("{% If doc.draft %}UTKAST{% endif %}"))
    problems = lint_template(template)
    assert "unknown tag 'If'; did you mean 'if'?" in only(problems, "syntax").message
    assert "{% endif %} has no matching {% if %}" in only(problems, "unpaired-tag").message


def test_an_end_tag_without_its_block_is_unpaired() -> None:
    template = word_template(para("Inledning"), para("{% endfor %}"))
    problem = only(lint_template(template), "unpaired-tag")
    assert "{% endfor %} has no matching {% for %}" in problem.message


def test_headers_are_checked_too() -> None:
    template = word_template(para("Text"), header="{{ doc.titel }}")
    problem = only(lint_template(template), "unknown-variable")
    assert problem.part == "word/header1.xml"
    assert "did you mean doc.title?" in problem.message


def test_a_file_that_is_not_a_word_document_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "mall.docx"
    path.write_text("inte en docx")
    with pytest.raises(TemplateError, match="not a Word document"):
        lint_template(path)


def test_an_unknown_kind_is_an_error() -> None:
    with pytest.raises(TemplateError, match="choose one of contract, report"):
        lint_template(word_template(para("x")), kind="faktura")


def test_a_broken_template_names_the_tag_and_the_text_around_it(flagship: Agreement) -> None:
    template = word_template(para("Inledning"), para("{% endfor %}"), para("Avslutning"))
    with pytest.raises(TemplateSyntaxError) as info:
        render_contract(flagship, template=template)
    assert "{% endfor %} without a matching {% for %}" in str(info.value)
    assert "Inledning" in info.value.context
    assert "Avslutning" in info.value.context


def test_an_unclosed_block_names_the_tag_that_opened_it(flagship: Agreement) -> None:
    template = word_template(para("{% if doc.draft %}Utkast"), para("Slut"))
    with pytest.raises(TemplateSyntaxError, match=r"\{% if doc.draft %\} is never closed"):
        render_contract(flagship, template=template)


def test_a_missing_field_names_its_path_and_tag(flagship: Agreement) -> None:
    template = word_template(para(runs("Från {{ ", "agreement.perod", ".start|date }}")))
    with pytest.raises(TemplateError) as info:
        render_contract(flagship, template=template)
    message = compact(str(info.value))
    assert "agreement.perod" in message
    assert "{{ agreement.perod.start|date }}" in message


def test_the_document_properties_docxtpl_renders_are_checked() -> None:
    document = Document(io.BytesIO(word_template(para("Text"))))
    document.core_properties.title = "Avtal: {{ doc.titel }}"
    buffer = io.BytesIO()
    document.save(buffer)
    problem = only(lint_template(buffer.getvalue()), "unknown-variable")
    assert problem.part == "docProps/core.xml (title)"
    assert "did you mean doc.title?" in problem.message


def test_one_broken_tag_does_not_hide_the_other_problems() -> None:
    template = word_template(
        para("{{ doc.title | }}"),
        para("{{ agreement.perod }}"),
        table(("{%tr for m in doc.mission_items %}",), ("{{ m.title }}",), ("{%tr endfor %}",)),
        para("{%p if doc.draft %}"),
        para("UTKAST"),
    )
    assert sorted(codes(lint_template(template))) == [
        "empty-table",
        "syntax",
        "unknown-variable",
        "unpaired-tag",
    ]
