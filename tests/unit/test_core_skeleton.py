"""A document's core properties written from a skeleton are python-docx's bytes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iopdocs.documents.environment import make_environment
from iopdocs.documents.templates import CONTRACT_TEMPLATE, load_template
from iopdocs.word.compiled import compiled_template
from iopdocs.word.coreprops import CoreWriter

TEXT = st.text(max_size=300) | st.sampled_from(
    ["", "A & B <C>", "rad\r\nrad", "IOPDOCS0PLACEHOLDER", "1001-01-01T00:00:00Z", "\x00"]
)
MOMENT = st.datetimes(min_value=dt.datetime(1, 1, 1)) | st.just(dt.datetime(1001, 1, 2))
NAMES = ["title", "subject", "author", "keywords", "comments", "identifier", "language"]


def core_xml() -> bytes:
    compiled = compiled_template(load_template(None, CONTRACT_TEMPLATE), make_environment())
    assert compiled is not None
    return compiled._core_xml


CORE = core_xml()


@given(
    st.lists(st.tuples(st.sampled_from(NAMES), TEXT), max_size=8),
    st.dictionaries(st.sampled_from(["created", "modified", "last_printed"]), MOMENT),
    st.one_of(st.none(), st.integers(-2, 10**9), st.just("3")),
)
def test_filled_in_skeletons_are_python_docxs_bytes(
    texts: list[tuple[str, str]], moments: dict[str, dt.datetime], revision: Any
) -> None:
    """Whatever the properties, their order and repetitions, the part written from the
    skeleton is the one python-docx writes; what python-docx refuses (a text over 255
    characters, a character XML does not allow, a revision that is no positive whole number)
    is refused with its error, however many documents of that shape came before."""
    assignments: list[tuple[str, Any]] = [*texts, *moments.items()]
    if revision is not None:
        assignments.append(("revision", revision))
    writer = CoreWriter(CORE)
    reference = CoreWriter(CORE)
    for _ in range(3):  # the first writes and keeps a skeleton; the later ones fill it in
        try:
            expected = reference._python_docx(assignments)
        except ValueError as exc:
            with pytest.raises(type(exc)):
                writer.write(assignments)
            continue
        assert writer.write(assignments) == expected


def test_documents_of_one_shape_share_a_skeleton_and_their_texts_never_mix() -> None:
    """Two contracts with the same properties set get one skeleton; each gets its own texts,
    even a text that looks like a placeholder."""
    moment = dt.datetime(2024, 8, 1)
    writer = CoreWriter(CORE)
    first = [("title", "Avtal A & B"), ("created", moment), ("revision", 1)]
    second = [("title", "IOPDOCS2PLACEHOLDER"), ("created", moment), ("revision", 2)]
    assert writer.write(first) == writer._python_docx(first)
    assert writer.write(second) == writer._python_docx(second)
    assert writer.write(first) == writer._python_docx(first)
    assert len(writer._skeletons) == 1
    assert writer._skeletons[(("title", "text"), ("created", "datetime"), ("revision", "int"))]
