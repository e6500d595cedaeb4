"""Templates from outside, clause libraries (``--clauses``) and an agreement's own clause
overrides render in one sandbox that bounds what they build (``MAX_TEXT``), print
(``MAX_OUTPUT``), loop (``MAX_ITERATIONS``) and how long a document takes (``MAX_SECONDS``).
Each growth route is refused where the value is made, exit 2, nothing written."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
import yaml

from iopdocs import Agreement, render_contract
from iopdocs.errors import TemplateSandboxError
from iopdocs.word.environment import MAX_ITERATIONS, MAX_OUTPUT, MAX_SECONDS, MAX_TEXT
from tests.hostile.conftest import PEAK_MB, docx_with_text, files_in, iopdocs, refused

GROWTH = {
    "doubling with ~": "{% set ns = namespace(s='x') %}{% for i in range(64) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "doubling with +": "{% set ns = namespace(s=['x']) %}{% for i in range(64) %}"
    "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
    "center": "{{ 'x'|center(10**9) }}",
    "ljust": "{{ 'x'.ljust(10**9) }}",
    "format width": "{{ '{:>1000000000}'.format('x') }}",
    "printf width": "{{ '%1000000000s'|format('x') }}",
    "printf star": "{{ '%*s' % (1000000000, 'x') }}",
    "replace": "{{ ('x' * 100000).replace('x', 'y' * 100000) }}",
    "join": "{{ (['y' * 100000] * 1000)|join }}",
    "lipsum": "{{ lipsum(n=10**7) }}",
    "indent": "{{ ('a\\n' * 100000)|indent(100000) }}",
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}"
    "{% endfor %}{% endfor %}",
    "printing in loops": "{% for i in range(100000) %}{% for j in range(1000) %}"
    "{{ 'x' * 1000 }}{% endfor %}{% endfor %}",
    "recursion": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
}
LIMITS = (
    "999999",
    str(MAX_TEXT),
    str(MAX_OUTPUT),
    str(MAX_ITERATIONS),
    "range",
    "deeply",
    "limited",
)


def _refused_by_a_limit(outcome_text: str) -> bool:
    return any(limit in outcome_text for limit in LIMITS)


@pytest.mark.parametrize("route", sorted(GROWTH))
def test_every_growth_route_is_refused_where_the_value_is_made(
    flagship: Agreement, route: str
) -> None:
    """In this process, for speed: each route ends in ``TemplateSandboxError`` naming its
    limit, and the process's peak memory stays under the suite's bound."""
    with pytest.raises(TemplateSandboxError) as caught:
        render_contract(flagship, template=docx_with_text(GROWTH[route]))
    assert _refused_by_a_limit(str(caught.value)), caught.value
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 < PEAK_MB


@pytest.mark.parametrize("route", ["doubling with ~", "printf star", "printing in loops"])
def test_a_template_cannot_grow_a_value_without_bound(agreement_file: Path, route: str) -> None:
    template = agreement_file.parent / "mall.docx"
    template.write_bytes(docx_with_text(GROWTH[route]))
    out = agreement_file.parent / "avtal.docx"
    outcome = iopdocs("render", agreement_file, "--template", template, "-o", out)
    refused(outcome, "refused")
    assert _refused_by_a_limit(outcome.text), outcome.text
    assert files_in(agreement_file.parent) == ["avtal.yaml", "mall.docx"]


@pytest.mark.parametrize("route", ["lipsum", "recursion"])
def test_a_clause_override_gets_the_same_sandbox(agreement_file: Path, route: str) -> None:
    data = yaml.safe_load(agreement_file.read_text("utf-8"))
    data["clause_overrides"] = [{"id": "iop_form.definition", "text": GROWTH[route]}]
    agreement_file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out = agreement_file.parent / "avtal.docx"
    outcome = iopdocs("render", agreement_file, "-o", out)
    refused(outcome, "iop_form.definition")
    assert _refused_by_a_limit(outcome.text), outcome.text
    assert not out.exists()


@pytest.mark.parametrize("route", ["nested loops"])
def test_a_clause_library_gets_the_same_sandbox(agreement_file: Path, route: str) -> None:
    library = Path(__file__).parents[2] / "src/iopdocs/documents/clauses/sv.yaml"
    data = yaml.safe_load(library.read_text("utf-8"))
    for clause in data["clauses"]:
        if clause["id"] == "iop_form.definition":
            clause["text"] = GROWTH[route]
    own = agreement_file.parent / "klausuler.yaml"
    own.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out = agreement_file.parent / "avtal.docx"
    outcome = iopdocs("render", agreement_file, "--clauses", own, "-o", out)
    refused(outcome)
    assert _refused_by_a_limit(outcome.text), outcome.text
    assert not out.exists()


def test_a_slow_template_is_stopped_by_the_wall_clock(agreement_file: Path) -> None:
    """2**30 macro calls, each cheap: neither a value nor a loop grows, the clock stops it."""
    slow = (
        "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(30) }}"
    )
    template = agreement_file.parent / "mall.docx"
    template.write_bytes(docx_with_text(slow))
    out = agreement_file.parent / "avtal.docx"
    outcome = iopdocs("render", agreement_file, "--template", template, "-o", out)
    refused(outcome, f"longer than {MAX_SECONDS:g} s")
    assert outcome.seconds < MAX_SECONDS + 20
