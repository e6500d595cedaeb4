"""The agreement JSON a document carries: pydantic's serializer writes dump_agreement's bytes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iopdocs import Agreement, load_agreement
from iopdocs.loading import dump_agreement
from iopdocs.record import agreement_json
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_gives_dump_agreements_json_bytes(path: Any) -> None:
    agreement = load_agreement(path)
    assert agreement_json(agreement) == dump_agreement(agreement, format="json").encode("utf-8")


@settings(max_examples=100, deadline=None)
@given(
    title=st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40).filter(
        lambda t: t.strip()
    ),
    purpose=st.text(st.characters(blacklist_categories=["Cs"]), max_size=40),
)
def test_any_text_is_escaped_as_json_dumps_escapes_it(
    minimal_agreement: Agreement, title: str, purpose: str
) -> None:
    """Quotes, backslashes, control characters, non-ASCII and astral characters alike."""
    data = minimal_agreement.model_dump(mode="json", exclude_none=True)
    data["metadata"]["title"] = title
    data["purpose"] = purpose or "Ett syfte."
    try:
        agreement = Agreement.model_validate(data)
    except ValueError:
        return  # text the model refuses never reaches a document
    assert agreement_json(agreement) == dump_agreement(agreement, format="json").encode("utf-8")


@pytest.fixture(scope="module")
def minimal_agreement() -> Agreement:
    from tests.conftest import MINIMAL

    return Agreement.model_validate(MINIMAL)
