"""Many snippets rendered in one template give exactly what each gives rendered alone."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iopdocs import Agreement, render_contract
from iopdocs.documents.clauses import clause_states, packaged_library, parse_library
from iopdocs.documents.context import contract_context
from iopdocs.documents.environment import make_clause_environment
from iopdocs.documents.formats import formats_for
from iopdocs.errors import ClauseError, TemplateError
from iopdocs.schedule import payment_schedule
from iopdocs.word.snippets import joint_source, render_joint, render_text
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def context(agreement: Agreement) -> dict[str, Any]:
    return contract_context(agreement, payment_schedule(agreement), formats_for("sv_SE"))


def alone(texts: list[str], on: list[bool], seen: dict[str, Any]) -> list[str]:
    env = make_clause_environment("sv_SE")
    return [
        render_text(env, t, seen) if switch else "" for t, switch in zip(texts, on, strict=True)
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_packaged_librarys_texts_render_jointly_as_each_alone(path: Any) -> None:
    from iopdocs import load_agreement

    agreement = load_agreement(path)
    seen = context(agreement)
    library = packaged_library()
    texts = [c.text for c in library.clauses]
    source = joint_source(texts)
    assert source is not None, "the packaged library can be rendered jointly"
    on = [s.on for s in clause_states(library, seen, explain=False)]
    every = [True] * len(texts)
    env = make_clause_environment("sv_SE")
    assert render_joint(env, source, on, seen) == alone(texts, on, seen)
    # Every text, also those whose condition is off, as long as it renders alone.
    try:
        expected = alone(texts, every, seen)
    except TemplateError:
        return
    assert render_joint(env, source, every, seen) == expected


# Texts built from pieces that exercise scope, whitespace control, blank lines, line endings.
PIECES = [
    "Text",
    " mitt i ",
    "{{ x }}",
    "{% set x = 'satt' %}",
    "{%- if x %}ja{% else %}nej{% endif -%}",
    "{% for i in [1, 2] %}{{ i }}{% endfor %}",
    "\n",
    "\n\n",
    "\r\n",
    "{# kommentar #}",
    "- punkt\n",
    "{{ '\\x00' if false else '' }}",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(PIECES), max_size=6), st.booleans()),
        min_size=1,
        max_size=5,
    )
)
def test_any_joinable_texts_render_jointly_as_each_alone(
    drawn: list[tuple[list[str], bool]],
) -> None:
    """Whatever one text sets, blanks, strips or ends with, the next renders as if alone."""
    texts = ["".join(pieces) for pieces, _ in drawn]
    on = [switch for _, switch in drawn]
    source = joint_source(texts)
    seen = {"x": "värde"}
    if source is None:
        assert any(t[:1] in " \t" or t.rstrip("\r\n")[-1:] in " \t" for t in texts)
        return
    assert render_joint(make_clause_environment("sv_SE"), source, on, seen) == alone(
        texts, on, seen
    )


def test_a_text_that_would_behave_otherwise_inside_the_joint_template_is_not_joined() -> None:
    for text in ("  indraget", "slutar med blanksteg ", "{% macro m() %}x{% endmacro %}"):
        assert joint_source(["Vanlig text.", text]) is None


def test_a_value_holding_the_separator_makes_the_caller_render_each_alone() -> None:
    env = make_clause_environment("sv_SE")
    source = joint_source(["a{{ x }}", "b"])
    assert source is not None
    assert render_joint(env, source, [True, True], {"x": "\x00"}) is None
    assert render_joint(env, source, [True, True], {"x": "y"}) == ["ay", "b"]


def test_a_clause_that_fails_is_still_named_when_the_texts_render_jointly(
    flagship: Agreement,
) -> None:
    bad = (
        "clauses:\n"
        "- id: final.good\n  section: final\n  text: Bra.\n  note: Prov.\n"
        "- id: final.bad\n  section: final\n  text: '{{ agreement.period.start.no_such }}'\n"
        "  note: Prov.\n"
    )
    library = parse_library(bad.encode())
    for _ in range(2):  # the second contract of a library renders jointly even without a cache
        with pytest.raises(ClauseError, match=r"^final\.bad: the text cannot be rendered"):
            render_contract(flagship, clauses=library)


def test_contracts_render_the_same_bytes_jointly_and_alone(
    flagship: Agreement, monkeypatch: pytest.MonkeyPatch
) -> None:
    jointly = render_contract(flagship)
    monkeypatch.setattr("iopdocs.documents.clauses.joint_source", lambda texts: None)
    assert render_contract(flagship) == jointly
