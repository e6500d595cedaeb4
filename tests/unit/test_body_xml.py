"""A body finished on the string gives exactly the bytes of docxtpl's parse-and-fix path."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Mm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iopdocs import load_agreement
from iopdocs.documents.context import contract_context
from iopdocs.documents.environment import make_environment
from iopdocs.documents.formats import formats_for
from iopdocs.documents.templates import CONTRACT_TEMPLATE, bundled_templates, load_template
from iopdocs.schedule import payment_schedule
from iopdocs.word.bodyxml import finish_body
from iopdocs.word.compiled import CompiledTemplate, compiled_template
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def both(compiled: CompiledTemplate, context: dict[str, Any]) -> tuple[bytes | None, bytes]:
    """The document part from the string path (``None`` where it declines) and the tree path."""
    rendered = compiled._body.render(context)
    xml = compiled._finish(rendered)
    plan = compiled._plan
    assert plan is not None
    return finish_body(plan, rendered, xml), compiled._finish_tree(xml)


@pytest.mark.parametrize("template", bundled_templates(), ids=lambda p: p.name)
def test_every_bundled_template_is_finished_on_the_string(template: Path) -> None:
    compiled = compiled_template(load_template(template, template.name), make_environment())
    assert compiled is not None
    assert compiled._plan is not None, "its source shows every rendering is well-formed"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_examples_contract_body_is_the_same_bytes_on_both_paths(path: Path) -> None:
    agreement = load_agreement(path)
    context = dict(contract_context(agreement, payment_schedule(agreement), formats_for("sv_SE")))
    compiled = compiled_template(load_template(None, CONTRACT_TEMPLATE), make_environment())
    assert compiled is not None
    fast, tree = both(compiled, context)
    assert fast is not None, "the string path takes it"
    assert fast == tree


def template(*paragraphs: str, table: bool = True) -> bytes:
    """A template of ``paragraphs`` (each may hold tags) and a table whose grid differs from
    its cells' widths, with a row looped over ``rows``."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=4, cols=2)
        grid.rows[0].cells[0].text = "Datum"
        grid.rows[0].cells[1].text = "{{ a }}"
        grid.rows[1].cells[0].text = "{%tr for r in rows %}"
        grid.rows[2].cells[0].text = "{{ r }}"
        grid.rows[2].cells[1].text = "{{ b }}"
        grid.rows[3].cells[0].text = "{%tr endfor %}"
        grid.rows[0].cells[0].width = Mm(30)
        grid.rows[0].cells[1].width = Mm(120)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SAMPLE = template(
    "Avtal {{ a }} och {{ b }}.",
    "{{ a }}",
    "{%p if flag %}",
    "Villkorat stycke med {{ b }}",
    "{%p endif %}",
    "Slut {% if flag %}ja{% else %}{{ a }}{% endif %}",
)

VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "\"citat\" & <tagg> 'apostrof'",
            "2024-08-01 \u2013 2025-12-31",
            "2 500 000 kr",
            "802501-2348",
            "kontakt@exempel-forening.se\n08-123 45 67",
            "rad ett\nrad två\tflik",
            "slut med radbrytning\n",
            "ny\r\nrad",
            "styckebrytning\a här",
            "länkad\ttext",
            "sidbrytning\f här",
            "otillåtet \x0b tecken",
            "SN 2025/000123-4.2.1",
            "&#34; bokstavligen",
            "{_{ klamrar }_}",
        ]
    ),
    st.text(max_size=30),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a=VALUES,
    b=VALUES,
    flag=st.booleans(),
    rows=st.lists(VALUES, max_size=3),
)
def test_any_values_give_the_tree_paths_bytes_or_go_that_way(
    a: str, b: str, flag: bool, rows: list[str]
) -> None:
    """Quotes, ampersands, breaks, facts, characters XML forbids, an emptied table: the string
    path writes the tree path's very bytes, or leaves the body to it."""
    compiled = compiled_template(SAMPLE, make_environment())
    assert compiled is not None
    context = {"a": a, "b": b, "flag": flag, "rows": rows}
    try:
        fast, tree = both(compiled, context)
    except (ValueError, SyntaxError):
        return  # a value lxml itself cannot take (a lone surrogate): no path renders it
    if fast is not None:
        assert fast == tree
    if any(c in a + b + "".join(rows) for c in "\a\f\x0b"):
        assert fast is None, "a paragraph or page break, or a character XML forbids"


def test_a_table_left_without_rows_is_docxtpls_to_fix() -> None:
    document = Document()
    rows = document.add_table(rows=3, cols=2)
    rows.rows[0].cells[0].text = "{%tr for r in rows %}"
    rows.rows[1].cells[0].text = "{{ r }}"
    rows.rows[2].cells[0].text = "{%tr endfor %}"
    buffer = io.BytesIO()
    document.save(buffer)
    compiled = compiled_template(buffer.getvalue(), make_environment())
    assert compiled is not None
    fast, tree = both(compiled, {"rows": []})
    assert fast is None
    fast, tree = both(compiled, {"rows": ["1"]})
    assert fast == tree


def test_the_grid_takes_its_first_rows_widths_on_the_string_path() -> None:
    compiled = compiled_template(SAMPLE, make_environment())
    assert compiled is not None
    fast, tree = both(compiled, {"a": "x", "b": "y", "flag": True, "rows": ["1", "2"]})
    assert fast is not None
    assert fast == tree
    columns = Document(io.BytesIO(docx_with(fast))).tables[0].columns
    assert [round(c.width.mm) for c in columns] == [30, 120]


def docx_with(document_xml: bytes) -> bytes:
    """The sample template with ``document_xml`` as its document part."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(SAMPLE)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, document_xml if info.filename == "word/document.xml" else data)
    return out.getvalue()


@pytest.mark.parametrize(
    "paragraphs",
    [
        pytest.param(("{{ a|safe }}",), id="markup inserted unescaped"),
        pytest.param(("{% macro m() %}x{% endmacro %}{{ m() }}",), id="a macro"),
        pytest.param(("{% set x %}<w:br/>{% endset %}{{ x }}",), id="a block assignment"),
    ],
)
def test_a_template_whose_rendering_might_not_be_well_formed_keeps_the_tree_path(
    paragraphs: tuple[str, ...],
) -> None:
    from markupsafe import escape

    compiled = compiled_template(template(*paragraphs, table=False), make_environment())
    assert compiled is not None
    assert compiled._plan is None
    assert compiled._body.root_render_func.__globals__["escape"] is escape  # Jinja's own


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize(
    "inside",
    [
        pytest.param("<w:p>{% if a %}<w:p>{% endif %}</w:p>", id="a branch opening one more"),
        pytest.param(
            "<w:p>{% if a %}</w:p>{% endif %}", id="a branch closing what it did not open"
        ),
        pytest.param("<w:p><w:r>{% for x in a %}</w:r><w:p>{% endfor %}</w:r></w:p>", id="a loop"),
        pytest.param('<w:p w:a="{{ a }}"/>', id="a value inside a tag"),
        pytest.param("<w:p><!-- {{ a }} --></w:p>", id="a comment"),
        pytest.param("<w:p><w:t>{{ a }}&nbsp;</w:t></w:p>", id="an entity XML does not know"),
    ],
)
def test_a_source_some_rendering_of_which_is_not_well_formed_gets_no_plan(inside: str) -> None:
    from iopdocs.word.bodyxml import plan_body

    source = f"<w:body {W}>{inside}</w:body>"
    assert plan_body(make_environment(), source, b"", 0) is None


def test_a_branch_may_close_and_reopen_the_elements_it_found_open() -> None:
    """``{% if x %}</w:t></w:r><w:r><w:t>{% endif %}``: the same names open either way."""
    from iopdocs.word.bodyxml import plan_body

    inside = (
        "<w:p><w:r><w:t>A{% if a %}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr>"
        '<w:t xml:space="preserve">{% endif %}{{ a }}</w:t></w:r></w:p>'
    )
    shell = f"<w:document {W}><w:body/></w:document>".encode()
    plan = plan_body(make_environment(), f"<w:body {W}>{inside}</w:body>", shell, 0)
    assert plan is not None
    assert ('<w:t xml:space="preserve"></w:t>', '<w:t xml:space="preserve"/>') in plan.empties


@given(st.text() | st.integers() | st.decimals(allow_nan=False))
def test_a_planned_body_escapes_values_for_text_as_markupsafe_does_but_quotes(value: Any) -> None:
    """A planned body's values land in text only: each is escaped as markupsafe escapes it,
    but for quotes, which are written as themselves (as lxml writes text); markup a value
    brings (``__html__``) is taken as it is, and an undefined value still raises."""
    import jinja2
    from markupsafe import Markup, escape

    from iopdocs.word.bodyxml import escape_text

    expected = str(escape(value)).replace("&#34;", '"').replace("&#39;", "'")
    assert escape_text(value) == expected
    assert type(escape_text(value)) is str
    assert escape_text(Markup("<w:br/>")) == "<w:br/>"
    with pytest.raises(jinja2.UndefinedError):
        escape_text(jinja2.StrictUndefined(name="saknas"))


def test_only_a_planned_body_escapes_for_text() -> None:
    """The body of a bundled template (planned) escapes for text; its headers and footers keep
    Jinja's escape, as does a body without a plan (above)."""
    from markupsafe import escape

    from iopdocs.word.bodyxml import escape_text

    compiled = compiled_template(load_template(None, CONTRACT_TEMPLATE), make_environment())
    assert compiled is not None
    assert compiled._plan is not None
    assert compiled._body.root_render_func.__globals__["escape"] is escape_text
    for part in compiled._parts:
        assert part.template.root_render_func.__globals__["escape"] is escape


def test_a_planned_body_compiled_without_line_marks_still_points_at_the_paragraph() -> None:
    """A planned body is compiled without the line break before each paragraph (docxtpl takes
    them out of the output again); a tag that does not compile is still reported with the
    paragraphs around it."""
    import datetime as dt

    from iopdocs.errors import TemplateSyntaxError
    from iopdocs.word.docx import render_docx

    paragraphs = [f"Stycke {n}." for n in range(12)]
    paragraphs[6] = "Belopp {{ a|saknat_filter }}."
    source = template(*paragraphs)
    with pytest.raises(TemplateSyntaxError) as raised:
        render_docx(source, {"a": 1}, make_environment(), properties={}, timestamp=dt.date.today())
    assert "Belopp {{ a|saknat_filter }}." in raised.value.context
    assert "Stycke 5." in raised.value.context
    assert "Stycke 0." not in raised.value.context
