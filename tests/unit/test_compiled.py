"""The cached, compiled rendering path writes exactly what plain docxtpl writes, only faster."""

from __future__ import annotations

import io
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document
from docx.shared import Mm

from iopdocs import Agreement, AnnualReport, load_agreement
from iopdocs.documents import _core_properties
from iopdocs.documents.context import contract_context
from iopdocs.documents.environment import make_environment
from iopdocs.documents.formats import formats_for
from iopdocs.documents.report import report_context, reporting_parties
from iopdocs.documents.templates import CONTRACT_TEMPLATE, REPORT_TEMPLATE, load_template
from iopdocs.schedule import payment_schedule, report_period
from iopdocs.word.compiled import CACHE_SIZE, _cache, clear_cache, compiled_template
from iopdocs.word.docx import render_docx, render_docx_plain
from tests.conftest import FLAGSHIP, ROOT, docx_text
from tests.unit.test_annual_report import FILLED

SECOND = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"


def differing_members(left: bytes, right: bytes) -> list[str]:
    """The zip members whose names, order or content differ between two .docx files."""
    with zipfile.ZipFile(io.BytesIO(left)) as a, zipfile.ZipFile(io.BytesIO(right)) as b:
        names_a, names_b = a.namelist(), b.namelist()
        if names_a != names_b:
            return [f"member list: {names_a} != {names_b}"]
        return [name for name in names_a if a.read(name) != b.read(name)]


def normalised_body(data: bytes) -> str:
    """word/document.xml in canonical form (attribute order, empty tags, quoting settled)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return etree.tostring(root, method="c14n").decode("utf-8")


def both_paths(
    template: bytes, context: dict[str, Any], properties: dict[str, object], timestamp: Any
) -> tuple[bytes, bytes]:
    env = make_environment("sv_SE")
    fast = render_docx(template, context, env, properties=properties, timestamp=timestamp)
    plain = render_docx_plain(template, context, env, properties=properties, timestamp=timestamp)
    return fast, plain


def contract_inputs(agreement: Agreement) -> tuple[dict[str, Any], dict[str, object]]:
    context = contract_context(agreement, payment_schedule(agreement), formats_for("sv_SE"))
    return dict(context), _core_properties(agreement)


def with_status(agreement: Agreement, status: str) -> Agreement:
    data = agreement.model_dump(mode="json")
    data["metadata"]["status"] = status
    return Agreement.model_validate(data)


@pytest.mark.parametrize("path", [FLAGSHIP, SECOND], ids=["flagship", "second-example"])
@pytest.mark.parametrize("status", ["draft", "final"])
def test_a_contract_is_byte_identical_to_plain_docxtpl(path: Any, status: str) -> None:
    agreement = with_status(load_agreement(path), status)
    context, properties = contract_inputs(agreement)
    template = load_template(None, CONTRACT_TEMPLATE)
    assert compiled_template(template, make_environment("sv_SE")) is not None
    fast, plain = both_paths(template, context, properties, agreement.document_date)
    assert normalised_body(fast) == normalised_body(plain)
    assert differing_members(fast, plain) == []
    assert fast == plain


@pytest.mark.parametrize("filled", [False, True], ids=["skeleton", "filled"])
def test_an_annual_report_is_byte_identical_to_plain_docxtpl(filled: bool) -> None:
    agreement = load_agreement(SECOND if filled else FLAGSHIP)
    year = 2026 if filled else 2024
    report = AnnualReport.model_validate(FILLED) if filled else None
    period = report_period(agreement, year)
    schedule = payment_schedule(agreement)
    reporters = reporting_parties(agreement, "LF" if filled else "GSE")
    context = report_context(agreement, period, schedule, reporters, report, formats_for("sv_SE"))
    template = load_template(None, REPORT_TEMPLATE)
    fast, plain = both_paths(template, dict(context), _core_properties(agreement), period.end)
    assert differing_members(fast, plain) == []
    assert fast == plain


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def hand_made_template(*, footnote: str | None = None) -> bytes:
    """A template as an author might write it: a header and footer with tags, {%p%}, {%tr%} and
    {%tc%} loops, a value with line breaks and tabs, text Word might split into runs, and a logo
    (docxtpl renumbers the body's drawings)."""
    document = Document()
    document.add_picture(io.BytesIO(one_pixel_png()))
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.header.paragraphs[0].text = "Avtal {{ agreement.period|period }}"
    section.footer.paragraphs[0].text = "{{ doc.parties_text }}"
    document.add_heading("{{ agreement.metadata.title }}", level=1)
    title = document.add_paragraph("Avtalet gäller ")
    title.add_run("{{ agreement.period.start|date }}")
    title.add_run(" till {{ agreement.period.end|date }}.")
    document.add_paragraph("{%p for party in doc.parties %}")
    document.add_paragraph("{{ party.display_name }}\t{{ party.kind_label }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ 'rad ett\\nrad två\\tflik' }} & {{ agreement.purpose }}")
    rows = document.add_table(rows=3, cols=2)
    rows.rows[0].cells[0].text = "Namn"
    rows.rows[0].cells[1].text = "Org.nr"
    rows.rows[1].cells[0].text = "{%tr for party in agreement.parties %}"
    rows.rows[2].cells[0].text = "{{ party.name }}"
    rows.rows[2].cells[1].text = "{{ party.org_number }}{%tr endfor %}"
    grid = document.add_table(rows=1, cols=3)
    grid.rows[0].cells[0].text = "{%tc for party in agreement.parties %}"
    grid.rows[0].cells[1].text = "{{ party.short_name }}"
    grid.rows[0].cells[2].text = "{%tc endfor %}"
    empty = document.add_table(rows=3, cols=2)  # a loop over nothing leaves no rows at all
    empty.rows[0].cells[0].text = "{%tr for line in [] %}"
    empty.rows[1].cells[0].text = "{{ line }}"
    empty.rows[2].cells[0].text = "{%tr endfor %}"
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    return data if footnote is None else with_footnote(data, footnote)


def with_footnote(data: bytes, text: str) -> bytes:
    """``data`` with a footnotes part holding ``text`` (python-docx cannot add one)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{w}"><w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r>'
        "</w:p></w:footnote></w:footnotes>"
    ).encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                member = member.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif info.filename == "word/_rels/document.xml.rels":
                member = member.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(info, member)
        target.writestr("word/footnotes.xml", footnotes)
    return out.getvalue()


def test_a_hand_made_template_with_every_kind_of_tag_is_byte_identical(
    flagship: Agreement,
) -> None:
    context, properties = contract_inputs(flagship)
    template = hand_made_template()
    assert compiled_template(template, make_environment("sv_SE")) is not None
    fast, plain = both_paths(template, context, properties, flagship.document_date)
    assert differing_members(fast, plain) == []
    text = docx_text(fast)
    assert "Göteborgsregionens sociala ekonomi" in text
    assert "Avtal 2024-08-01 \u2013 2025-12-31" in text  # the header
    assert "rad ett\nrad två" in text  # a line break, not a literal "\n"
    assert "{" not in text
    with zipfile.ZipFile(io.BytesIO(fast)) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert re.findall(r'<wp:docPr id="(\d+)"', body) == ["1001"]
    grid = Document(io.BytesIO(fast)).tables[1]
    assert len(grid.rows[0].cells) == len(grid.columns) == 5  # {%tc%} fixed the grid


def test_tag_free_footnotes_keep_the_fast_path_and_its_bytes(flagship: Agreement) -> None:
    context, properties = contract_inputs(flagship)
    template = hand_made_template(footnote="Se bilaga 1.")
    assert compiled_template(template, make_environment("sv_SE")) is not None
    fast, plain = both_paths(template, context, properties, flagship.document_date)
    assert fast == plain


def test_tags_in_footnotes_are_rendered_by_plain_docxtpl(flagship: Agreement) -> None:
    context, properties = contract_inputs(flagship)
    template = hand_made_template(footnote="{{ agreement.metadata.title }}")
    assert compiled_template(template, make_environment("sv_SE")) is None
    fast, plain = both_paths(template, context, properties, flagship.document_date)
    assert fast == plain
    with zipfile.ZipFile(io.BytesIO(fast)) as package:
        footnotes = package.read("word/footnotes.xml").decode("utf-8")
    assert flagship.metadata.title in footnotes


def test_a_template_is_compiled_once_per_environment(flagship: Agreement) -> None:
    template = hand_made_template()
    swedish, english = make_environment("sv_SE"), make_environment("en_GB")
    first = compiled_template(template, swedish)
    assert compiled_template(template, swedish) is first
    assert compiled_template(bytes(template), swedish) is first  # keyed on content, not object
    assert compiled_template(template, english) is not first


def test_the_cache_is_bounded(flagship: Agreement) -> None:
    clear_cache()
    env = make_environment("sv_SE")
    templates = [hand_made_template(footnote=f"Not {n}") for n in range(CACHE_SIZE + 2)]
    for template in templates:
        compiled_template(template, env)
    assert len(_cache) == CACHE_SIZE
    oldest = compiled_template(templates[0], env)  # evicted, so compiled afresh
    assert oldest is not None
    assert len(_cache) == CACHE_SIZE


def test_renders_from_several_threads_give_the_same_bytes(flagship: Agreement) -> None:
    from iopdocs import render_contract

    clear_cache()
    expected = render_contract(flagship)
    results: list[bytes] = []

    def work(render: Callable[[], bytes] = lambda: render_contract(flagship)) -> None:
        results.extend(render() for _ in range(3))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 12


def test_a_syntax_error_names_the_paragraph_on_the_fast_path_too(flagship: Agreement) -> None:
    from iopdocs import TemplateSyntaxError, render_contract

    document = Document()
    document.add_paragraph("Inledning")
    document.add_paragraph("Parterna {% if agreement %} saknar slut")
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(TemplateSyntaxError) as info:
        render_contract(flagship, template=buffer.getvalue())
    assert any(re.search(r"Parterna .* saknar slut", line) for line in info.value.context)


def test_docxtpl_table_fix_up_runs_only_where_it_changes_a_grid(flagship: Agreement) -> None:
    from iopdocs.word.compiled import _parse_body, _tables_need_fixing

    context, _ = contract_inputs(flagship)
    env = make_environment("sv_SE")
    bundled = compiled_template(load_template(None, CONTRACT_TEMPLATE), env)
    hand_made = compiled_template(hand_made_template(), env)  # {%tc%} and an emptied table
    assert bundled is not None
    assert hand_made is not None
    assert not _tables_need_fixing(_parse_body(bundled._finish(bundled._body.render(context))))
    assert _tables_need_fixing(_parse_body(hand_made._finish(hand_made._body.render(context))))


def test_the_zip_of_stored_members_is_laid_out_exactly_as_normalize_zip_lays_it_out() -> None:
    import datetime as dt

    from iopdocs.word.package import compress_level, normalize_zip, store_member, write_zip

    members = {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document>" + b"text " * 5000 + b"</w:document>",
        "word/media/bild-\u00f6.png": one_pixel_png(),  # a non-ASCII name sets the UTF-8 flag
        "word/empty.xml": b"",
    }
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    day = dt.date(2024, 8, 1)
    stored = [store_member(name, data) for name, data in members.items()]
    # Each member at the level its name gets: the body fast, the others at level 6.
    assert write_zip(stored, day) == normalize_zip(plain.getvalue(), day, compress_level)


def test_only_the_paragraphs_with_a_break_are_resolved_and_the_result_is_docxtpls() -> None:
    """docxtpl turns a tab or line break inside a value into Word markup paragraph by
    paragraph; resolving only the paragraphs that hold one gives its very result."""
    from docxtpl import DocxTemplate

    from iopdocs.word.compiled import resolve_listings

    helper = DocxTemplate(io.BytesIO(load_template(None, CONTRACT_TEMPLATE)))
    run = '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>'
    paragraphs = [
        f"<w:p><w:pPr><w:pStyle w:val='X'/></w:pPr>{run.format(text)}</w:p>"
        for text in ("ingen brytning", "e-post@exempel.se\n08-123 45 67", "a\tb", "slut")
    ]
    xml = '<w:body xmlns:w="w">\n' + "".join(paragraphs) + "\n<w:tbl/></w:body>"
    assert resolve_listings(xml, helper.resolve_listing) == helper.resolve_listing(xml)
    assert resolve_listings("<w:p><w:r><w:t>x</w:t></w:r></w:p>", helper.resolve_listing) == (
        "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    )


def test_the_parts_written_for_each_document_are_deflated_fast_and_the_templates_own_as_before(
    flagship: Agreement,
) -> None:
    """The body, headers, footers, properties and custom XML are deflated at level 1 (four
    times faster, some 20 % larger); the styles, theme and numbering a template brings keep
    level 6, compressed once per template. Each member is exactly that deflate of its bytes,
    but for the provenance part: the clause library it carries, the same bytes in every
    contract, is deflated once at level 6 between the level-1 streams of what comes before and
    after it, each ending on a sync flush, so that the three make one deflate stream."""
    from iopdocs import render_contract
    from iopdocs.word.package import COMPRESS_LEVEL, FAST_COMPRESS_LEVEL, compress_level

    def deflated(data: bytes, level: int, end: int = zlib.Z_FINISH) -> bytes:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(end)

    assert compress_level("word/document.xml") == FAST_COMPRESS_LEVEL == 1
    assert compress_level("customXml/item2.xml") == FAST_COMPRESS_LEVEL
    assert compress_level("word/styles.xml") == COMPRESS_LEVEL == 6
    data = render_contract(flagship)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in package.infolist():
            member = package.read(info.filename)
            expected = deflated(member, compress_level(info.filename))
            if b"<clauses " in member:
                start = member.index(b"<clauses ")
                end = member.index(b"</clauses>") + len(b"</clauses>")
                expected = (
                    deflated(member[:start], FAST_COMPRESS_LEVEL, zlib.Z_SYNC_FLUSH)
                    + deflated(member[start:end], COMPRESS_LEVEL, zlib.Z_SYNC_FLUSH)
                    + deflated(member[end:], FAST_COMPRESS_LEVEL)
                )
            assert info.compress_size == len(expected), info.filename
            offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            assert data[offset : offset + info.compress_size] == expected, info.filename
    assert render_contract(flagship) == data  # deterministic, as before


def test_core_properties_with_and_without_tags_are_docxtpls(flagship: Agreement) -> None:
    """A core property holding a tag is rendered for each document; one without (plain text,
    as most templates' properties are) is kept as its text, which is what Jinja would render.
    Both give docxtpl's bytes, and the properties python-docx sets come after, as before."""
    import datetime as dt

    from iopdocs.word.compiled import _constant

    document = Document(io.BytesIO(load_template(None, CONTRACT_TEMPLATE)))
    document.core_properties.title = "Avtal: {{ agreement.metadata.title }}"
    document.core_properties.subject = "Mall & utkast <IOP>"
    buffer = io.BytesIO()
    document.save(buffer)
    context, _ = contract_inputs(flagship)
    moment = dt.datetime(2024, 8, 1)
    for properties in ({}, {"keywords": "IOP", "created": moment, "revision": 3}):
        fast, plain = both_paths(buffer.getvalue(), context, properties, dt.date(2024, 8, 1))
        assert fast == plain
    env = make_environment()
    for source in ["Mall & utkast <IOP>", "", "rad\nrad", "åäö"]:
        assert _constant(env, source)
        assert env.from_string(source).render() == source
    for source in ["{{ x }}", "{# x #}", "rad\r\nrad", "slut\n"]:
        assert not _constant(env, source)


def test_the_template_environment_looks_keys_up_first_then_as_jinja_does() -> None:
    """``a.b`` reads the key ``b`` of a dict first (``agreement.values`` is the field, not
    ``dict.values``), a dict subclass through its own lookup; anything else as Jinja reads it:
    the attribute, then the item, else undefined (which a strict template refuses)."""
    from collections import OrderedDict, defaultdict

    import jinja2

    env = make_environment()
    plain = jinja2.Environment(undefined=jinja2.StrictUndefined)

    class Shouting(dict[str, str]):
        def __getitem__(self, key: str) -> str:
            return super().__getitem__(key).upper()

    cases: list[tuple[Any, str]] = [
        ({"values": 1, "x": None}, "values"),
        ({"x": None}, "x"),
        ({"x": 1}, "items"),
        (OrderedDict(values=2), "values"),
        (Shouting(name="iop"), "name"),
        ([1, 2], "append"),
        ("text", "upper"),
        (3, "real"),
    ]
    for obj, attribute in cases:
        if isinstance(obj, dict) and attribute in obj:
            assert env.getattr(obj, attribute) == obj[attribute]
        else:
            assert env.getattr(obj, attribute) == plain.getattr(obj, attribute)
    for obj in ({"x": 1}, OrderedDict(), [1], 3):
        with pytest.raises(jinja2.UndefinedError):
            str(env.getattr(obj, "saknas"))
    counts: defaultdict[str, int] = defaultdict(int)
    assert env.getattr(counts, "saknas") == plain.getattr(defaultdict(int), "saknas") == 0
