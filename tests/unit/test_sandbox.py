"""Templates from outside the package render in Jinja's sandbox; the bundled ones do not need to."""

from __future__ import annotations

from pathlib import Path

import pytest

from iopdocs import (
    Agreement,
    TemplateError,
    TemplateSandboxError,
    export_template,
    render_annual_report,
    render_contract,
)
from iopdocs.documents import template_environment, template_path
from iopdocs.documents.context import contract_context
from iopdocs.documents.environment import make_environment, make_sandboxed_environment
from iopdocs.documents.formats import formats_for
from iopdocs.documents.templates import is_bundled
from iopdocs.schedule import payment_schedule
from iopdocs.word.docx import render_docx
from tests.conftest import docx_text
from tests.wordxml import para, word_template


@pytest.mark.parametrize(
    ("tag", "refused"),
    [
        ("{{ ''.__class__.__mro__ }}", "'__class__' of 'str'"),
        ("{{ agreement.__class__ }}", "'__class__' of 'dict'"),
        ("{{ cycler.__init__.__globals__ }}", "'__init__'"),
        ("{{ lipsum.__globals__ }}", "'__globals__' of 'function'"),
        ("{{ doc.parties[0].kind.__class__.__base__ }}", "'__class__'"),
        ("{{ '{0.__class__}'.format(doc) }}", "'__class__' of 'dict'"),
        ("{% include '/etc/passwd' %}", "may not read other files ('/etc/passwd')"),
        ("{% import 'os' as os %}", "may not read other files ('os')"),
        ("{{ doc.parties.append(1) }}", "'append' of 'list'"),
        ("{{ agreement.parties.pop() }}", "'pop' of 'list'"),
        ("{{ doc.update({}) }}", "'update' of 'dict'"),
        ("{{ range(10**9)|length }}", "a range over 100000 items"),
        ("{{ 'x' * 10**8 }}", "repeating a text or list"),
        ("{{ 2 ** 100000 }}", "too large"),
    ],
)
def test_an_outside_template_cannot_reach_python_files_or_code(
    flagship: Agreement, tmp_path: Path, tag: str, refused: str
) -> None:
    target = tmp_path / "avtal.docx"
    with pytest.raises(TemplateSandboxError, match="refused") as info:
        render_contract(flagship, target, template=word_template(para("Text"), para(tag)))
    assert refused in str(info.value)
    assert isinstance(info.value, TemplateError)
    assert info.value.__cause__ is not None
    assert not target.exists()


def test_the_bundled_templates_render_outside_the_sandbox(flagship: Agreement) -> None:
    assert is_bundled(None)
    assert is_bundled(template_path("contract.docx"))
    assert template_environment(None) is make_environment("sv_SE")
    assert template_environment(template_path("annual_report.docx")) is make_environment("sv_SE")


def test_bytes_and_copies_render_in_the_sandbox(tmp_path: Path) -> None:
    copy = export_template("contract", tmp_path)
    assert not is_bundled(copy)
    assert not is_bundled(copy.read_bytes())
    assert template_environment(copy) is make_sandboxed_environment("sv_SE")


def test_a_copy_of_a_bundled_template_renders_identically_in_the_sandbox(
    flagship: Agreement, tmp_path: Path
) -> None:
    contract = export_template("contract", tmp_path)
    report = export_template("annual_report", tmp_path)
    assert render_contract(flagship, template=contract) == render_contract(flagship)
    assert render_annual_report(flagship, 2024, party="GSE", template=report) == (
        render_annual_report(flagship, 2024, party="GSE")
    )


def test_harmless_tags_render_the_same_in_both_environments(flagship: Agreement) -> None:
    template = word_template(
        para("{{ agreement.metadata.title|upper }}"),
        para("{{ doc.parties|map(attribute='name')|join(', ') }}"),
        para("{% for p in doc.parties if p.kind == 'public' %}{{ p.display_name }}{% endfor %}"),
        para("{{ agreement.values.principles|length }} {{ range(3)|list }}"),
        para("{{ doc.schedule.total|money }} {{ doc.schedule.rows[0].date|date }}"),
        para("{{ '%s/%s'|format(agreement.period.start.year, agreement.period.end.year) }}"),
    )
    context = contract_context(flagship, payment_schedule(flagship), formats_for("sv_SE"))
    plain, sandboxed = (
        render_docx(template, context, env, properties={}, timestamp=flagship.document_date)
        for env in (make_environment(), make_sandboxed_environment())
    )
    assert plain == sandboxed
    assert "Västra Götalandsregionen genom kulturnämnden" in docx_text(sandboxed)
