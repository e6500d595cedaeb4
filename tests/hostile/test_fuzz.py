"""Fuzzing the readers with hypothesis: whatever bytes come in, the loaders and the .docx and
PDF readers end in iopdocs' own errors (or pydantic's ValidationError), never another
exception, and the near-linear comparison verify uses is exactly a diff."""

from __future__ import annotations

import contextlib
import zipfile
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from iopdocs.errors import IopdocsError
from iopdocs.loading import parse_agreement
from iopdocs.provenance import read_provenance
from iopdocs.word.sequences import few_edits, sequence_opcodes
from tests.hostile.conftest import FLAGSHIP

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
YAML_PIECES = st.sampled_from(
    [
        "&a ",
        "*a ",
        "<<: ",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        "\n",
        "  ",
        ".inf",
        ".nan",
        "1e400",
        "1.0e+400",
        "!!python/object:os.system ",
        "'",
        '"',
        "#",
        "metadata",
        "parties",
        "~",
        "%YAML",
        "\x1b[31m",
        "9" * 50,
    ]
)


@FUZZ
@given(st.lists(YAML_PIECES, max_size=60).map("".join))
def test_any_yaml_text_is_read_or_refused_cleanly(text: str) -> None:
    with contextlib.suppress(IopdocsError, ValidationError):
        parse_agreement(text, source="fuzz.yaml")


@FUZZ
@given(st.text(alphabet='[]{}":,0123456789.eE-+ntrufalsNIiy \\', max_size=300))
def test_any_json_text_is_read_or_refused_cleanly(text: str) -> None:
    with contextlib.suppress(IopdocsError, ValidationError):
        parse_agreement(text, format="json", source="fuzz.json")


def _flip(data: bytes, positions: list[int], value: int) -> bytes:
    buffer = bytearray(data)
    for position in positions:
        buffer[position % len(buffer)] = value
    return bytes(buffer)


@pytest.fixture(scope="module")
def small_docx(contract_docx: bytes) -> bytes:
    return contract_docx


@FUZZ
@given(st.lists(st.integers(min_value=0), min_size=1, max_size=8), st.integers(0, 255))
def test_a_damaged_docx_is_a_provenance_error(
    small_docx: bytes, positions: list[int], value: int
) -> None:
    with contextlib.suppress(IopdocsError, ValidationError):
        read_provenance(_flip(small_docx, positions, value))


@FUZZ
@given(
    st.sampled_from(
        [
            "word/document.xml",
            "customXml/item1.xml",
            "_rels/.rels",
            "docProps/custom.xml",
            "[Content_Types].xml",
        ]
    ),
    st.binary(max_size=200),
)
def test_a_docx_with_a_part_replaced_by_junk_is_a_provenance_error(
    small_docx: bytes, part: str, junk: bytes
) -> None:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(small_docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = junk if info.filename == part else source.read(info)
            target.writestr(info.filename, data)
    with contextlib.suppress(IopdocsError, ValidationError):
        read_provenance(out.getvalue())


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    from pypdf import PdfWriter

    from iopdocs.loading import load_agreement
    from iopdocs.record import AGREEMENT_ATTACHMENT, agreement_json

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment(AGREEMENT_ATTACHMENT, agreement_json(load_agreement(FLAGSHIP)))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@FUZZ
@given(st.lists(st.integers(min_value=0), min_size=1, max_size=8), st.integers(0, 255))
def test_a_damaged_pdf_is_a_provenance_error(
    small_pdf: bytes, positions: list[int], value: int
) -> None:
    with contextlib.suppress(IopdocsError, ValidationError):
        read_provenance(_flip(small_pdf, positions, value))


WORDS = st.lists(st.sampled_from(["avtal", "part", "kr", "1", "2", "och", "ska", "x"]), max_size=80)


@settings(max_examples=200, deadline=None)
@given(WORDS, WORDS)
def test_the_fast_comparison_is_an_exact_diff(a: list[str], b: list[str]) -> None:
    """Applying the operations turns ``a`` into ``b``, and "equal" spans are equal."""
    rebuilt: list[str] = []
    position_a = position_b = 0
    for tag, i1, i2, j1, j2 in sequence_opcodes(a, b):
        assert (i1, j1) == (position_a, position_b)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt += b[j1:j2]
        position_a, position_b = i2, j2
    assert (position_a, position_b) == (len(a), len(b))
    assert rebuilt == b


@settings(max_examples=200, deadline=None)
@given(WORDS, WORDS)
def test_the_few_edits_diff_is_an_exact_diff(a: list[str], b: list[str]) -> None:
    """Myers' algorithm, used on long repetitive stretches, rebuilds ``b`` from ``a`` too."""
    edits = few_edits(a, b, 0, len(a), 0, len(b), limit=len(a) + len(b))
    assert edits is not None
    rebuilt: list[str] = []
    position_a = position_b = 0
    for tag, i1, i2, j1, j2 in edits:
        assert (i1, j1) == (position_a, position_b)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt += b[j1:j2]
        position_a, position_b = i2, j2
    assert (position_a, position_b) == (len(a), len(b))
    assert rebuilt == b


def test_the_fast_comparison_is_near_linear() -> None:
    """A 200 000-character text with one word changed near each end: doubling the text must
    not come near quadrupling the time (difflib alone took 56 s on such a PDF)."""
    import time

    def seconds(n: int) -> float:
        words = [f"ord{i % 997}" for i in range(n)]
        changed = ["ÄNDRAT", *words[1:-1], "ÄNDRAT"]
        started = time.perf_counter()
        sequence_opcodes(words, changed)
        return time.perf_counter() - started

    small, large = min(seconds(15_000) for _ in range(3)), min(seconds(30_000) for _ in range(3))
    assert large < 3.0 * small + 0.05
