"""The redline: the new contract with Word tracked changes against the old one.

Accepting every change must give exactly the new contract's text, and rejecting every change the
old one's (read by tests/tracked.py, which follows the OOXML rules and not iopdocs' own code).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from iopdocs import Agreement, render_contract, render_redline
from iopdocs.word.redline import redline_docx
from tests.conftest import compact, docx_text
from tests.tracked import W, paragraphs, part
from tests.variants import VARIANTS, Data, later_end, variant


@cache
def contract(agreement_json: str) -> bytes:
    return render_contract(Agreement.model_validate_json(agreement_json))


def contract_xml(agreement: Agreement) -> bytes:
    return part(contract(agreement.model_dump_json()))


def check_accept_and_reject(old: Agreement, new: Agreement) -> None:
    """The redline of old → new resolves to new when accepted and to old when rejected."""
    before, after = contract(old.model_dump_json()), contract(new.model_dump_json())
    xml = part(redline_docx(before, after, author="iopdocs", date=dt.datetime(2024, 8, 1)))
    assert paragraphs(xml, accept=True) == paragraphs(part(after))
    assert paragraphs(xml, accept=False) == paragraphs(part(before))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_accepting_all_gives_the_new_contract_and_rejecting_all_the_old(
    flagship: Agreement, name: str
) -> None:
    check_accept_and_reject(flagship, variant(flagship, VARIANTS[name]))


def test_every_variant_at_once_and_back_again(flagship: Agreement) -> None:
    everything = variant(flagship, *VARIANTS.values())
    check_accept_and_reject(flagship, everything)
    check_accept_and_reject(everything, flagship)


def without_money(data: Data) -> None:
    data["background"] = None
    data["contributions"][1]["money"] = []
    data["payment"]["on_decided_basis"] = False
    data["cooperation"]["steering_group"] = None


def test_sections_tables_and_the_appendix_that_vanish_or_appear_resolve_both_ways(
    flagship: Agreement,
) -> None:
    plain = variant(flagship, without_money)
    check_accept_and_reject(flagship, plain)
    check_accept_and_reject(plain, flagship)


def test_two_unrelated_agreements_resolve_both_ways(flagship: Agreement) -> None:
    from iopdocs import load_agreement
    from tests.conftest import ROOT

    other = load_agreement(ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml")
    check_accept_and_reject(flagship, other)
    check_accept_and_reject(other, flagship)


def test_docx2python_reads_the_inserted_words_and_not_the_deleted(flagship: Agreement) -> None:
    new = variant(flagship, VARIANTS["edited_paragraph"], VARIANTS["removed_party"], later_end)
    text = compact(docx_text(render_redline(flagship, new)))
    assert "till exempel genom kooperativ, sociala innovationer" in text
    assert "till och med den 31 december 2026 (2024-08-01 – 2026-12-31)" in text
    assert "2025-12-31" not in text
    assert "Social Ekonomi Fyrbodal" not in text


def test_the_deleted_and_inserted_words_are_marked_as_such(flagship: Agreement) -> None:
    xml = part(render_redline(flagship, variant(flagship, later_end)))
    root = etree.fromstring(xml)
    # Word joiners hold each date together on a line (iopdocs.word.fixes); a reader sees none.
    deleted = {"".join(d.itertext()).strip("\u2060") for d in root.iter(f"{W}del")}
    inserted = {"".join(i.itertext()).strip("\u2060") for i in root.iter(f"{W}ins")}
    deleted |= {t.replace("\u2060", "") for t in deleted}
    inserted |= {t.replace("\u2060", "") for t in inserted}
    assert "2025" in deleted  # "31 december 2025" → "31 december 2026": only the year changes
    assert "2026" in inserted
    assert "2025-12-31" in deleted  # the period in figures, in the text and the appendix
    assert "2026-12-31" in inserted


def test_the_schedule_gets_one_inserted_row_per_new_instalment(flagship: Agreement) -> None:
    from iopdocs import payment_schedule

    longer = variant(flagship, later_end)
    root = etree.fromstring(part(render_redline(flagship, longer)))
    (table,) = [t for t in root.iter(f"{W}tbl") if "".join(t.itertext()).startswith("Datum")]
    rows = Counter(
        marker.tag
        for row in table.iter(f"{W}tr")
        for marker in row.findall(f"{W}trPr/*")
        if marker.tag in (f"{W}ins", f"{W}del")
    )
    added = len(payment_schedule(longer).instalments) - len(payment_schedule(flagship).instalments)
    assert rows == {f"{W}ins": added}


def test_an_added_party_is_a_whole_inserted_paragraph(flagship: Agreement) -> None:
    root = etree.fromstring(
        part(render_redline(flagship, variant(flagship, VARIANTS["added_party"])))
    )
    inserted_marks = [
        p
        for p in root.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None
        and "Social Ekonomi Halland (SEH)" in "".join(p.itertext())
    ]
    assert len(inserted_marks) == 1  # in the list of parties


def test_every_change_is_by_iopdocs_on_the_new_agreements_date_with_a_unique_id(
    flagship: Agreement,
) -> None:
    data = flagship.model_dump()
    data["metadata"]["date"] = dt.date(2024, 11, 15)
    new = Agreement.model_validate(data)
    root = etree.fromstring(part(render_redline(flagship, variant(new, *VARIANTS.values()))))
    changes = [*root.iter(f"{W}ins", f"{W}del", f"{W}pPrChange")]
    assert len(changes) > 20
    assert {c.get(f"{W}author") for c in changes} == {"iopdocs"}
    assert {c.get(f"{W}date") for c in changes} == {"2024-11-15T00:00:00Z"}
    ids = [c.get(f"{W}id") for c in changes]
    assert len(set(ids)) == len(ids)


def test_no_container_ends_in_a_tracked_paragraph_mark(flagship: Agreement) -> None:
    """Word cannot remove the last paragraph mark of a cell or of the body."""
    changed = variant(flagship, *VARIANTS.values())
    for old, new in ((flagship, changed), (changed, flagship)):
        root = etree.fromstring(part(render_redline(old, new)))
        for container in [root.find(f"{W}body"), *root.iter(f"{W}tc")]:
            mark = container.findall(f"{W}p")[-1].find(f"{W}pPr/{W}rPr")
            if mark is not None:
                assert mark.find(f"{W}ins") is None
                assert mark.find(f"{W}del") is None


def test_the_same_two_versions_give_the_same_bytes(flagship: Agreement) -> None:
    new = variant(flagship, later_end)
    assert render_redline(flagship, new) == render_redline(flagship, new)


def test_no_changes_means_no_tracked_changes(flagship: Agreement) -> None:
    xml = part(render_redline(flagship, flagship))
    assert paragraphs(xml) == paragraphs(contract_xml(flagship))


def test_python_docx_opens_it_and_writing_to_a_path_returns_the_path(
    flagship: Agreement, tmp_path: Path
) -> None:
    from docx import Document

    target = tmp_path / "andringar.docx"
    assert render_redline(flagship, variant(flagship, later_end), target) == target
    document = Document(str(target))
    assert document.paragraphs[0].text == flagship.metadata.title
    assert document.core_properties.title == flagship.metadata.title
    assert [p.name for p in tmp_path.iterdir()] == ["andringar.docx"]  # no temporary file left
    Document(io.BytesIO(target.read_bytes()))


# --- Random edits ---------------------------------------------------------------------------------

WORD_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace", "new paragraph"]),
        st.integers(0, 10_000),  # where, modulo the number of words
        st.sampled_from(["och", "samverkan", "föreningar", "2027", "–", "idéburna", "nya"]),
    ),
    min_size=1,
    max_size=3,
)


def edit_words(text: str, operations: list[tuple[str, int, str]]) -> str:
    words = text.split(" ")
    for action, where, word in operations:
        position = where % len(words)
        if action == "insert":
            words.insert(position, word)
        elif action == "delete" and len(words) > 1:
            del words[position]
        elif action == "replace":
            words[position] = word
        else:
            words.insert(position, f"\n\n{word}")
    return " ".join(words)


@st.composite
def edits(draw: st.DrawFn) -> Callable[[Data], None]:
    """Small random edits of the flagship's texts, end date, amount and a mission item's title."""
    texts = draw(
        st.dictionaries(
            st.sampled_from(["challenge", "purpose", "target_group"]), WORD_EDITS, max_size=2
        )
    )
    end = draw(st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
    amount = draw(st.none() | st.integers(10_000, 900_000))
    title = draw(st.none() | st.sampled_from(["Dialog", "Mötesplatser för dialog och kultur"]))

    def apply(data: Data) -> None:
        for name, operations in texts.items():
            data[name] = edit_words(data[name], operations)
        if end is not None:
            data["period"]["end"] = end
        if amount is not None:
            data["contributions"][1]["money"][0]["amount"] = amount
        if title is not None:
            data["mission"]["items"][1]["title"] = title

    return apply


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit=edits())
def test_random_edits_of_texts_dates_and_amounts_resolve_both_ways(
    flagship: Agreement, edit: Callable[[Data], None]
) -> None:
    check_accept_and_reject(flagship, variant(flagship, edit))


def test_a_new_title_is_tracked_in_the_page_header_too(flagship: Agreement) -> None:
    data = flagship.model_dump()
    data["metadata"]["title"] = "Partnerskap för den sociala ekonomin i Västra Götaland"
    new = Agreement.model_validate(data)
    redline = render_redline(flagship, new)
    before, after = contract(flagship.model_dump_json()), contract(new.model_dump_json())
    header = "word/header1.xml"
    assert paragraphs(part(redline, header), accept=True) == paragraphs(part(after, header))
    assert paragraphs(part(redline, header), accept=False) == paragraphs(part(before, header))
    assert paragraphs(part(redline, "word/footer1.xml")) == paragraphs(
        part(after, "word/footer1.xml")
    )


# --- Word content iopdocs' own template does not have, but a user's may -------------------------

BODY = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>'
    "{}<w:sectPr/></w:body></w:document>"
)


def paragraph(text: str, extra: str = "") -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r>{extra}</w:p>'


def with_body(docx: bytes, body: str) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(
                name, BODY.format(body).encode() if name == "word/document.xml" else data
            )
    return out.getvalue()


def test_bookmarks_content_controls_hyperlinks_and_fields_resolve_both_ways(
    flagship: Agreement,
) -> None:
    base = contract(flagship.model_dump_json())

    def body(word: str, link: str, inside: str, tail: str) -> str:
        return (
            '<w:bookmarkStart w:id="7" w:name="start"/>'
            + paragraph(f"Avtalet gäller {word} parter.")
            + '<w:bookmarkEnd w:id="7"/>'
            + f"<w:sdt><w:sdtPr/><w:sdtContent>{paragraph(inside)}{paragraph('Fast')}"
            "</w:sdtContent></w:sdt>"
            + f'<w:p><w:hyperlink r:id="rId99"><w:r><w:t>{link}</w:t></w:r></w:hyperlink></w:p>'
            + '<w:p><w:r><w:t xml:space="preserve">Sida </w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {tail}</w:t></w:r></w:p>'
        )

    old = with_body(base, body("alla", "Läs mer", "Innehåll", "av avtalet"))
    new = with_body(base, body("samtliga", "Läs mer här", "Nytt innehåll", "av detta avtal"))
    xml = part(redline_docx(old, new, author="iopdocs", date=dt.datetime(2024, 8, 1)))
    assert paragraphs(xml, accept=True) == paragraphs(part(new))
    assert paragraphs(xml, accept=False) == paragraphs(part(old))
    root = etree.fromstring(xml)
    assert len(root.findall(f".//{W}bookmarkStart")) == 1  # the old one is not copied back
    assert all(
        not key.startswith("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}")
        for d in root.iter(f"{W}del")
        for node in d.iter()
        for key in node.attrib
    )  # deleted content points at nothing in the new document
