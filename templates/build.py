"""Build the bundled Word templates from code.

    python templates/build.py          # rewrites every template: contract.docx, …

The .docx in this folder is what iopdocs renders and what users copy to make their own template;
this script is its reviewable source. The contract's standard wording is not here but in the
clause library (``src/iopdocs/documents/clauses/sv.yaml``), which lawyers own; this script gives
the layout, headings and tables, and places each section's clauses. Tags follow docxtpl:
``{{ … }}`` prints a value, and a paragraph holding only ``{%p … %}`` is a control line that
vanishes from the output (``{%tr … %}`` likewise for table rows).

The template sees ``agreement`` (the model, field by field) and ``doc`` (derived facts); see
``iopdocs.documents.context``.
"""

from __future__ import annotations

import datetime as dt
import sys
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
FONT = "Calibri"  # metric-compatible with Carlito, so LibreOffice paginates as Word does
TEMPLATE_DATE = dt.date(2024, 1, 1)

Doc = type(Document())


# --- Page, styles, numbering ---------------------------------------------------------------------


def _set_language(style_element: object, lang: str = "sv-SE") -> None:
    rpr = style_element.get_or_add_rPr()  # type: ignore[attr-defined]
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)
    el.set(qn("w:bidi"), "ar-SA")
    rpr.append(el)


def _font(style: object, size: float, *, bold: bool = False, color: str | None = None) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor.from_string(color) if color else RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts is not None and rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    if rfonts is not None:
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(attr), FONT)


def _page(doc: Doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)


def _styles(doc: Doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, 11)
    _set_language(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    # The document defaults carry a theme font and en-US; make Swedish and Calibri the default.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            for lang in rpr.findall(qn("w:lang")):
                lang.set(qn("w:val"), "sv-SE")

    title = styles["Title"]
    _font(title, 20, bold=True, color="1F3864")
    title.paragraph_format.space_after = Pt(12)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)

    subtitle = styles["Subtitle"]
    _font(subtitle, 12, color="404040")
    subtitle.paragraph_format.space_after = Pt(12)

    for name, size, before in (("Heading 1", 13, 18), ("Heading 2", 11.5, 10)):
        style = styles[name]
        _font(style, size, bold=True, color="1F3864")
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(4)
        fmt.keep_with_next = True

    appendix = styles.add_style("Appendix Heading", WD_STYLE_TYPE.PARAGRAPH)
    appendix.base_style = styles["Heading 1"]
    appendix.next_paragraph_style = normal
    _font(appendix, 13, bold=True, color="1F3864")
    # Appendices are named "Bilaga N", not numbered as sections: numId 0 switches numbering off.
    appendix_numpr = appendix.element.get_or_add_pPr().get_or_add_numPr()
    appendix_numpr.get_or_add_numId().val = 0

    bullet = styles["List Bullet"]
    _font(bullet, 11)
    bullet.paragraph_format.space_after = Pt(3)

    for name in ("Header", "Footer"):
        _font(styles[name], 9, color="404040")
        # The stock centre and right tab stops are placed for US Letter; ours are set per use.
        styles[name].paragraph_format.tab_stops.clear_all()

    lead = styles.add_style("Lead", WD_STYLE_TYPE.PARAGRAPH)
    lead.base_style = normal
    _font(lead, 11, bold=True)
    lead.paragraph_format.space_before = Pt(6)
    lead.paragraph_format.keep_with_next = True

    notice = styles.add_style("Draft Notice", WD_STYLE_TYPE.PARAGRAPH)
    notice.base_style = normal
    _font(notice, 11, bold=True, color="C00000")

    placeholder = styles.add_style("Placeholder", WD_STYLE_TYPE.PARAGRAPH)
    placeholder.base_style = normal
    _font(placeholder, 11, color="7F7F7F")
    placeholder.font.italic = True

    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    _font(cell, 10)
    cell.paragraph_format.space_after = Pt(0)

    sign = styles.add_style("Signature", WD_STYLE_TYPE.PARAGRAPH)
    sign.base_style = normal
    _font(sign, 11)
    sign.paragraph_format.space_after = Pt(0)
    # No keep-with-next here: chained through the table it drags every block to the next page.
    # A block stays whole because its row may not split (w:cantSplit).


def _heading_numbering(doc: Doc) -> None:
    """Number Heading 1 as "1." and Heading 2 as "1.1": sections renumber when one vanishes."""
    numbering = doc.part.numbering_part.element
    abstract_id = 1 + max(
        int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))
    )
    num_id = 1 + max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num")))
    levels = ""
    for ilvl, (text, style, indent) in enumerate(
        (("%1.", "Heading1", 567), ("%1.%2", "Heading2", 567))
    ):
        levels += (
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            f'<w:pStyle w:val="{style}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:ppr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:ppr></w:lvl>'
        )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="1A0F0C01"/><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    first_num.addprevious(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    for ilvl, name in enumerate(("Heading 1", "Heading 2")):
        ppr = doc.styles[name].element.get_or_add_pPr()
        numpr = ppr.get_or_add_numPr()
        numpr.get_or_add_ilvl().val = ilvl
        numpr.get_or_add_numId().val = num_id


# --- Small writers -------------------------------------------------------------------------------


def _field(paragraph: Paragraph, instruction: str) -> None:
    for xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        f'<w:instrText xml:space="preserve"> {instruction} </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))


def _row_props(row: object, *, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


class Writer:
    """Appends template paragraphs to a document, one clause at a time."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def p(self, text: str = "", style: str = "Normal") -> Paragraph:
        return self.doc.add_paragraph(text, style=style)

    def tag(self, tag: str) -> None:
        """A control line: a paragraph holding one ``{%p … %}`` tag and nothing else."""
        self.doc.add_paragraph("{%p " + tag + " %}", style="Normal")

    def heading(
        self, text: str, level: int = 1, *, page_break: bool = False, style: str | None = None
    ) -> None:
        para = self.doc.add_heading(text, level=level)
        if style is not None:
            para.style = self.doc.styles[style]
        para.paragraph_format.page_break_before = page_break or None

    def prose(self, expr: str, var: str = "b") -> None:
        """Running text from ``expr``: paragraphs and bullet items (the ``blocks`` filter)."""
        self.tag(f"for {var} in {expr}|blocks")
        self.tag(f"if {var}.bullet")
        self.p(f"{{{{ {var}.text }}}}", "List Bullet")
        self.tag("else")
        self.p(f"{{{{ {var}.text }}}}")
        self.tag("endif")
        self.tag("endfor")

    def bullets(self, expr: str, var: str = "item") -> None:
        self.tag(f"for {var} in {expr}")
        self.p(f"{{{{ {var} }}}}", "List Bullet")
        self.tag("endfor")

    def clauses(self, section: str) -> None:
        """The section's clauses from the clause library, as paragraphs, bullets and lead-ins.

        The wording lives in the library (``iopdocs.documents.clauses``); the template only
        places it. A section whose clauses are all off leaves no paragraph behind.
        """
        self.tag(f"for c in doc.clauses.{section}")
        self.tag("if c.bullet")
        self.p("{{ c.text }}", "List Bullet")
        self.tag("elif c.lead")
        self.p("{{ c.text }}", "Lead")
        self.tag("else")
        self.p("{{ c.text }}")
        self.tag("endif")
        self.tag("endfor")

    def section(self, heading: str, section: str) -> None:
        """A heading and its clauses, both left out when none of the clauses is on."""
        self.tag(f"if doc.clauses.{section}")
        self.heading(heading)
        self.clauses(section)
        self.tag("endif")

    def when(self, condition: str, text: str, style: str = "Normal") -> None:
        """A paragraph present only when ``condition`` holds."""
        self.tag(f"if {condition}")
        self.p(text, style)
        self.tag("endif")


# --- The contract --------------------------------------------------------------------------------


def _header_footer(doc: Doc, left: str, right: str) -> None:
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    header.add_run(left)
    header.add_run().add_tab()
    header.add_run(right)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Sida ")
    _field(footer, "PAGE")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES")


def _contract_body(w: Writer) -> None:
    a = "agreement"
    # Title block
    w.p("{{ doc.title }}", "Title")
    w.when(f"{a}.metadata.subject", f"{{{{ {a}.metadata.subject }}}}", "Subtitle")
    _title_facts(w)
    w.when(
        "doc.draft",
        "UTKAST – detta är ett förslag till avtal och inte avsett för underskrift.",
        "Draft Notice",
    )
    w.clauses("intro")

    w.heading("Gemensam samhällsutmaning")
    w.prose(f"{a}.challenge")

    w.tag(f"if {a}.background")
    w.heading("Bakgrund")
    w.prose(f"{a}.background")
    w.tag("endif")

    w.heading("Syfte och mervärde")
    w.prose(f"{a}.purpose")
    w.prose(f"{a}.added_value")

    w.heading("IOP som samverkansform")
    w.clauses("iop_form")

    w.heading("Parter")
    w.clauses("parties")

    w.heading("Tidsperiod och villkor för partnerskapet")
    w.clauses("period")
    w.clauses("conditions")

    w.heading("Värdegrund för partnerskapet")
    w.clauses("values")

    w.heading("Målgrupp")
    w.prose(f"{a}.target_group")

    w.heading("Uppdrag inom IOP:t")
    w.prose(f"{a}.mission.text")
    w.tag("for item in doc.mission_items")
    w.heading("{{ item.title }}", level=2)
    w.prose("item.description", var="d")
    w.p(
        "{% if item.parties %}Ansvarig part: {{ item.parties_text }}."
        "{% else %}Parterna genomför denna del av uppdraget tillsammans.{% endif %}"
    )
    w.when("item.capacities", "Kapacitet: {{ item.capacities_text }}.")
    w.tag("if item.goals")
    w.p("Mål:", "Lead")
    w.bullets("item.goals", var="goal")
    w.tag("endif")
    w.tag("if item.indicator_texts")
    w.p("Indikatorer som följs upp i årsberättelsen:", "Lead")
    w.bullets("item.indicator_texts", var="indicator")
    w.tag("endif")
    w.tag("endfor")
    w.tag(f"if {a}.mission.exclusions")
    w.p("Partnerskapet omfattar inte:", "Lead")
    w.bullets(f"{a}.mission.exclusions", var="exclusion")
    w.tag("endif")

    w.section("Samverkan", "cooperation")
    w.section("Verksamhetsansvar", "responsibility")
    w.section("Parternas bidrag", "contributions")
    w.section("{{ doc.payment_heading }}", "payment")
    w.section("Avvikelser", "deviations")
    w.section("Uppföljning och utvärdering", "follow_up")

    w.heading("Kontaktpersoner")
    table = w.doc.add_table(rows=4, cols=3)
    table.style = w.doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(
        table.rows[0].cells, ("Part", "Kontaktperson", "Kontaktuppgifter"), strict=False
    ):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = w.doc.styles["Table Text"]
        cell.paragraphs[0].runs[0].bold = True
    _row_props(table.rows[0], header=True)
    _merge_tag_row(table, 1, "{%tr for c in doc.contacts %}")
    row = table.rows[2].cells
    for cell, text in zip(
        row,
        (
            "{{ c.party }}",
            "{{ c.name }}{% if c.title %}, {{ c.title }}{% endif %}",
            "{% if c.reach %}{{ c.reach }}{% else %}uppgift saknas{% endif %}",
        ),
        strict=False,
    ):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = w.doc.styles["Table Text"]
    _row_props(table.rows[2])
    _merge_tag_row(table, 3, "{%tr endfor %}")
    # Its column is the widest, so a usual e-mail address fits on one line; a long one breaks only
    # after its "@" or before a dot of its domain (word/fixes.py).
    _column_widths(table, (Cm(5), Cm(4.5), Cm(6.5)))
    w.clauses("contacts")

    w.section("Statligt stöd", "state_aid")
    w.section("Övriga bestämmelser", "final")
    # The appendices are listed on the signature page, so the short list never stands alone.
    w.tag("if doc.clauses.appendices")
    w.heading("Bilagor", page_break=True)
    w.clauses("appendices")
    w.heading("Underskrifter")
    w.tag("else")
    w.heading("Underskrifter", page_break=True)
    w.tag("endif")
    w.tag("if agreement.metadata.signing == 'electronic'")
    w.clauses("signatures")
    _electronic_signatories(w, "s in doc.signatures")
    w.tag("else")
    _signature_blocks(
        w,
        "s in doc.signatures",
        "Ort och datum: {% if s.place %}{{ s.place }}, {% endif %}______________________",
    )
    w.tag("endif")
    w.tag("if doc.has_money")
    w.heading("Bilaga 1 – Utbetalningsplan", page_break=True, style="Appendix Heading")
    w.clauses("schedule")
    _schedule_tables(w)
    w.tag("endif")


def _fill(w: Writer, expr: str, placeholder: str, var: str = "b") -> None:
    """Running text from ``expr`` when the report gives it, else an instruction to fill in."""
    w.tag(f"if {expr}")
    w.prose(expr, var=var)
    w.tag("else")
    w.p(f"[{placeholder}]", "Placeholder")
    w.tag("endif")


def _table(w: Writer, header: tuple[str, ...], loop: str, cells: tuple[str, ...],
           widths: tuple[float, ...]) -> None:  # fmt: skip
    """A table with a repeated header row and one row per item of ``loop``."""
    table = w.doc.add_table(rows=4, cols=len(header))
    table.style = w.doc.styles["Table Grid"]
    _cells(table, 0, header, bold=True)
    _row_props(table.rows[0], header=True)
    _merge_tag_row(table, 1, f"{{%tr for {loop} %}}")
    _cells(table, 2, cells)
    _row_props(table.rows[2])
    _merge_tag_row(table, 3, "{%tr endfor %}")
    _column_widths(table, tuple(Cm(x) for x in widths))


def _report_body(w: Writer) -> None:
    r = "report"
    w.p("Årsberättelse {{ report.year }}", "Title")
    w.p("{{ agreement.metadata.title }}", "Subtitle")
    w.when(
        f"not {r}.filled",
        "Mall att fylla i: texter inom hakparentes ersätts med uppgifter för året. Uppgifter "
        "hämtade från avtalet är redan ifyllda.",
        "Draft Notice",
    )

    w.heading("Grunduppgifter")
    facts = _facts_table(w, ("Uppgift", "Uppgift om partnerskapet"))
    for label, value in (
        ("Partnerskap", "{{ agreement.metadata.title }}"),
        ("Diarienummer", "{{ agreement.metadata.case_number or '–' }}"),
        ("Parter", f"{{{{ {r}.parties_text }}}}"),
        ("Avtalsperiod", "{{ agreement.period|period }}"),
        (
            "Rapportperiod",
            f"{{{{ {r}|period }}}}{{% if not {r}.whole_year %}} (del av året){{% endif %}}",
        ),
        ("Rapporterande part", f"{{{{ {r}.reporters }}}}"),
        (
            "Kontaktperson",
            f"{{% for c in {r}.contacts %}}{{{{ c.name }}}} ({{{{ c.party }}}})"
            "{% if c.reach %}, {{ c.reach }}{% endif %}{% if not loop.last %}; {% endif %}"
            "{% endfor %}",
        ),
        ("Lämnas till", f"{{{{ {r}.recipient }}}}"),
        ("Senast", f"{{{{ {r}.due|date }}}}"),
    ):
        row = facts.add_row()
        _cells(facts, len(facts.rows) - 1, (label, value))
        row.cells[0].paragraphs[0].runs[0].bold = True
    _column_widths(facts, (Cm(4.5), Cm(11.5)))

    w.heading("Sammanfattning av året")
    _fill(w, f"{r}.summary", "Beskriv årets viktigaste händelser och resultat i korthet.")

    w.heading("Måluppfyllelse")
    w.p("Uppdraget enligt avtalet, med de mål och indikatorer som avtalet anger för varje del.")
    w.tag(f"for m in {r}.missions")
    w.heading("{{ m.title }}", level=2)
    w.prose("m.description", var="d")
    w.tag("if m.goals")
    w.p("Mål:", "Lead")
    w.bullets("m.goals", var="goal")
    w.tag("endif")
    w.tag("if m.indicators")
    _table(
        w,
        ("Indikator", "Mål", "Utfall", "Kommentar"),
        "i in m.indicators",
        ("{{ i.name }}", _or_dash("i.target"), _or_dash("i.actual"), _or_dash("i.comment")),
        (5.5, 3.0, 2.5, 5.0),
    )
    w.tag("endif")
    w.p("Genomfört under året:", "Lead")
    _fill(w, "m.done", "Beskriv vad som genomförts och hur långt målen har nåtts.", var="x")
    w.tag("endfor")

    w.heading("Målgrupp")
    w.p("Målgruppen enligt avtalet:", "Lead")
    w.prose("agreement.target_group", var="t")
    w.p("Så har målgruppen nåtts:", "Lead")
    _fill(w, f"{r}.target_group", "Beskriv vilka verksamheten nådde, gärna med antal.")

    w.heading("Samverkan")
    w.when(
        f"{r}.meetings_required",
        "Enligt avtalet ska styrgruppen sammanträda minst "
        f"{{{{ {r}.meetings_required }}}} {{% if {r}.meetings_required == 1 %}}gång"
        "{% else %}gånger{% endif %} "
        f"{{% if {r}.meetings_prorated %}}under rapportperioden, som bara omfattar en del av "
        "året (antalet per år i proportion till periodens längd, avrundat uppåt)"
        "{% else %}under året{% endif %}"
        f"{{% if {r}.spring_meetings and {r}.autumn_meetings %}}, varav "
        f"{{{{ {r}.spring_meetings }}}} under "
        f"våren och {{{{ {r}.autumn_meetings }}}} under hösten{{% endif %}}. "
        f"{{% if {r}.filled %}}Under rapportperioden hölls {{{{ {r}.meetings|length }}}} möten."
        "{% else %}Fyll i de möten som hölls under rapportperioden.{% endif %}",
    )
    w.tag(f"if {r}.meeting_rows")
    _table(
        w,
        ("Datum", "Anteckning"),
        f"m in {r}.meeting_rows",
        (_or_dash("m.date", "m.date|date('short')"), _or_dash("m.note")),
        (4.0, 12.0),
    )
    w.tag("endif")

    w.heading("Parternas bidrag")
    w.tag(f"if {r}.money_due")
    w.p("Offentliga medel enligt utbetalningsplanen för rapportperioden:", "Lead")
    _table(
        w,
        ("Datum", "Betalare", "Mottagare", "Medelsrad", "Belopp"),
        f"i in {r}.money_due",
        (
            "{{ i.date|date('short') }}",
            "{{ i.payer }}",
            "{{ i.recipient }}",
            "{{ i.line }}",
            "{{ i.amount|money }}",
        ),
        (2.4, 2.2, 2.4, 6.0, 3.0),
    )
    w.p(f"Summa för rapportperioden: {{{{ {r}.money_due_total|money }}}}.")
    w.tag("endif")
    w.tag(f"for c in {r}.in_kind")
    w.p("Insatser som {{ c.contributors }} åtagit sig enligt avtalet:", "Lead")
    w.bullets("c.items", var="item")
    w.tag("endfor")
    w.p("Egen insats under året:", "Lead")
    own = _facts_table(w, ("Insats", "Omfattning"))
    for label, value in (
        ("Arbetstimmar, anställd personal", _or_dash(f"{r}.own.staff_hours")),
        ("Arbetstimmar, ideella", _or_dash(f"{r}.own.volunteer_hours")),
        ("Lokaler", _or_dash(f"{r}.own.premises")),
        ("Egen insats värderad i kronor", _or_dash(f"{r}.own.value")),
        ("Annan finansiering", _or_dash(f"{r}.own.other_funding")),
        ("Övriga intäkter", _or_dash(f"{r}.own.other_income")),
    ):
        own.add_row()
        _cells(own, len(own.rows) - 1, (label, value))
    _column_widths(own, (Cm(7.0), Cm(9.0)))
    w.prose(f"{r}.own.text")

    w.heading("Ekonomisk redovisning")
    w.tag(f"if not {r}.accounts")
    w.p("Avtalet ger inga ekonomiska medel till den rapporterande parten under perioden.")
    w.tag("endif")
    w.tag(f"for a in {r}.accounts")
    w.heading("{{ a.line }}", level=2)
    _table(
        w,
        ("Post", "Belopp"),
        "c in a.costs",
        ("{{ c.label }}", _or_dash("c.amount", "c.amount|money", test="c.amount is not none")),
        (10.0, 6.0),
    )
    w.p(
        "Intäkt enligt utbetalningsplanen: {{ a.due|money }}"
        "{% if a.received != a.due %}; faktiskt erhållet: {{ a.received|money }}{% endif %}."
    )
    w.tag(f"if {r}.filled")
    w.p("Summa kostnader: {{ a.total_costs|money }}. Outnyttjade medel: {{ a.unused|money }}.")
    w.tag("else")
    w.p("Summa kostnader: [belopp]. Outnyttjade medel: [intäkt minus kostnader].", "Placeholder")
    w.tag("endif")
    w.tag("endfor")
    w.when(
        f"{r}.accounts",
        "Medel som inte har använts för partnerskapets ändamål när avtalet upphör betalas "
        "tillbaka enligt avtalets bestämmelse om återbetalning.",
    )

    w.heading("Avvikelser")
    _fill(w, f"{r}.deviations", "Beskriv avvikelser från plan och budget och hur de hanterades.")

    w.heading("Lärdomar och kommande år")
    w.p("Lärdomar:", "Lead")
    _fill(w, f"{r}.lessons", "Beskriv vad ni har lärt er under året.")
    w.p("Kommande år:", "Lead")
    _fill(w, f"{r}.next_year", "Beskriv planerna för nästa år.", var="n")

    w.heading("Bilagor")
    w.bullets(f"{r}.appendices", var="appendix")

    w.heading("Underskrift")
    w.when(
        f"{r}.has_money",
        f"Undertecknad intygar för {{{{ {r}.reporters }}}} att det ekonomiska bidraget för "
        "rapportperioden har använts för partnerskapets ändamål och i enlighet med avtalet, och "
        "att uppgifterna i denna årsberättelse är riktiga och fullständiga.",
    )
    _signature_table(
        w,
        f"s in {r}.signatures",
        "Ort och datum: {% if s.place %}{{ s.place }}{% endif %}"
        "{% if s.date %}, {{ s.date|date }}{% endif %}"
        "{% if not s.place and not s.date %}______________________________{% endif %}",
    )


def _or_dash(expr: str, shown: str | None = None, *, test: str | None = None) -> str:
    """A table cell of the annual report: the value, else "–" in a filled report (a cell with
    nothing in it reads as a blank line), else blank, to be filled in."""
    condition = test or f"{expr} is not none and {expr} != ''"
    value = shown or expr
    return f"{{% if {condition} %}}{{{{ {value} }}}}{{% elif report.filled %}}–{{% endif %}}"


def _merge_tag_row(table: Table, index: int, tag: str) -> None:
    row = table.rows[index]
    merged = row.cells[0].merge(row.cells[-1])
    merged.paragraphs[0].text = tag
    for extra in merged.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)


def _column_widths(table: Table, widths: tuple[object, ...]) -> None:
    """Fixed column widths, written where Word (cells) and LibreOffice (grid) read them.

    The renderer copies the first row's cell widths back into the grid after docxtpl, which
    evens the grid out; so the header row must carry the widths.
    """
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))  # type: ignore[attr-defined]
    for row in table.rows:
        if len({id(c._tc) for c in row.cells}) != len(widths):
            continue  # a merged control row: its single cell spans the grid
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _cells(table: Table, row: int, texts: tuple[str, ...], *, bold: bool = False) -> None:
    for cell, text in zip(table.rows[row].cells, texts, strict=True):
        para = cell.paragraphs[0]
        para.style = cell.part.document.styles["Table Text"]
        run = para.add_run(text)
        run.bold = bold
        if "|money" in text:
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _schedule_tables(w: Writer) -> None:
    """The instalments (header row repeated on every page), then the totals."""
    table = w.doc.add_table(rows=4, cols=5)
    table.style = w.doc.styles["Table Grid"]
    _cells(table, 0, ("Datum", "Betalare", "Mottagare", "Medelsrad", "Belopp"), bold=True)
    table.rows[0].cells[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _row_props(table.rows[0], header=True)
    _merge_tag_row(table, 1, "{%tr for r in doc.schedule.rows %}")
    _cells(
        table,
        2,
        (
            "{{ r.date|date('short') }}",
            "{{ r.payer }}",
            "{{ r.recipient }}",
            "{{ r.line }}",
            "{{ r.amount|money }}",
        ),
    )
    _row_props(table.rows[2])
    _merge_tag_row(table, 3, "{%tr endfor %}")
    _column_widths(table, (Cm(2.4), Cm(2.2), Cm(2.4), Cm(6.0), Cm(3.0)))

    # The total first: the document then ends with a table, as before, and a redline that removes
    # the whole appendix leaves no paragraph behind.
    w.p("Totalt under avtalsperioden: {{ doc.schedule.total|money }}.", "Lead")
    for lead, column, items in (
        ("Summa per mottagare:", "Mottagare", "doc.schedule.by_recipient"),
        ("Summa per kalenderår:", "Kalenderår", "doc.schedule.by_year"),
        ("Summa per medelsrad:", "Medelsrad", "doc.schedule.by_line"),
    ):
        # the lead keeps with its table, and the table's rows with each other, so a total is
        # never stranded at a page's foot
        w.p(lead, "Lead").paragraph_format.keep_with_next = True
        totals = w.doc.add_table(rows=4, cols=2)
        totals.style = w.doc.styles["Table Grid"]
        _cells(totals, 0, (column, "Summa"), bold=True)
        totals.rows[0].cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _row_props(totals.rows[0], header=True)
        _merge_tag_row(totals, 1, f"{{%tr for t in {items} %}}")
        _cells(totals, 2, ("{{ t.name }}", "{{ t.amount|money }}"))
        _row_props(totals.rows[2])
        _merge_tag_row(totals, 3, "{%tr endfor %}")
        _keep_rows_together(totals)
        _column_widths(totals, (Cm(10.0), Cm(6.0)))


def _facts_table(w: Writer, header: tuple[str, str]) -> Table:
    """A two-column table of facts, its header row naming the columns (so that a screen reader
    announces what each value is), repeated on every page it runs over."""
    table = w.doc.add_table(rows=1, cols=2)
    table.style = w.doc.styles["Table Grid"]
    _cells(table, 0, header, bold=True)
    _row_props(table.rows[0], header=True)
    return table


def _electronic_signatories(w: Writer, loop: str) -> None:
    """The signatories of an agreement signed electronically: a list, with no ink lines, place or
    date; the e-signature service adds its own evidence of who signed when."""
    w.tag(f"for {loop}")
    w.p("{{ s.name }}, {{ s.title }}, för {{ s.party }}", "List Bullet")
    w.tag("endfor")


def _keep_rows_together(table: Table) -> None:
    """Every row of ``table`` keeps with the next, so the table (a few totals) moves to the next
    page whole rather than leaving a row, or its heading, at a page's foot."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True


def _title_facts(w: Writer) -> None:
    """The title block's facts under the title: the agreement's date, case number and status."""
    a = "agreement"
    para = w.p("", "Title Facts")
    para.add_run("Datum: ").bold = True
    para.add_run("{{ doc.date|date }}")
    para.add_run(f"{{% if {a}.metadata.case_number %}}")
    para.add_run("\tDiarienummer: ").bold = True
    para.add_run(f"{{{{ {a}.metadata.case_number }}}}{{% endif %}}")
    para.add_run("\tStatus: ").bold = True
    para.add_run("{% if doc.draft %}utkast{% else %}slutlig version för underskrift{% endif %}")


def _signature_table(w: Writer, loop: str, place_line: str) -> None:
    """One block per signatory, kept together on one page: party, place and date, room for the
    signature above a rule, name and title.

    Paragraphs, not a table: a table used only for layout would be read out as data; the room
    for the signature is spacing, not empty paragraphs."""
    w.tag(f"for {loop}")
    party = w.p("", "Signature")
    party.add_run("För {{ s.party }}").bold = True
    party.paragraph_format.space_before = Pt(18)
    party.paragraph_format.keep_with_next = True
    place = w.p(place_line, "Signature")
    place.paragraph_format.space_before = Pt(12)
    place.paragraph_format.keep_with_next = True
    # The line to sign on is an underlined tab, then a line break and the name: a part of the
    # name's paragraph, so neither an empty paragraph nor a drawing outside the structure.
    name = w.p("", "Signature")
    name.paragraph_format.space_before = Pt(40)
    name.paragraph_format.keep_with_next = True
    name.paragraph_format.tab_stops.add_tab_stop(Cm(8))
    line = name.add_run()
    line.add_tab()
    line.underline = True
    name.add_run().add_break()
    name.add_run("{{ s.name }}")
    w.p("{{ s.title }}", "Signature")
    w.tag("endfor")


def _section_break(paragraph: Paragraph, body_sectpr: object, columns: int) -> None:
    """End a section at ``paragraph``: the section before it has ``columns`` columns and the
    next starts on the same page (a continuous break)."""
    import copy

    # The copy keeps the page size, margins and the references to the header and footer, so
    # every section has the same header, footer and page numbers.
    sectpr: Any = copy.deepcopy(body_sectpr)
    for old in sectpr.findall(qn("w:type")) + sectpr.findall(qn("w:cols")):
        sectpr.remove(old)
    kind = OxmlElement("w:type")
    kind.set(qn("w:val"), "continuous")
    pg_sz = sectpr.find(qn("w:pgSz"))
    pg_sz.addprevious(kind)
    cols = OxmlElement("w:cols")
    cols.set(qn("w:num"), str(columns))
    cols.set(qn("w:space"), str(int(Cm(1).twips)))
    sectpr.find(qn("w:pgMar")).addnext(cols)
    paragraph._p.get_or_add_pPr().append(sectpr)


def _signature_blocks(w: Writer, loop: str, place_line: str) -> None:
    """The signing sentence, then one block per signatory, two blocks side by side.

    The blocks stand in a section of two columns between two continuous section breaks, not in
    a table (a table would be a data table to a screen reader). Every paragraph of a block keeps
    with the next, and the last but one block keeps with the last, so a block never splits, the
    last page holds at least two blocks, and the signing sentence stays with the first block.
    """
    doc = w.doc
    body_sectpr = doc.sections[0]._sectPr
    # The signing sentence ends the one-column section of the contract text.
    w.tag("for c in doc.clauses.signatures")
    sentence = w.p("{{ c.text }}", "Signing Text")
    _section_break(sentence, body_sectpr, 1)
    w.tag("endfor")
    w.tag(f"for {loop}")
    lines = (
        ("För {{ s.party }}", True, Pt(0), Pt(8)),
        (place_line, False, Pt(0), Pt(28)),
        ("______________________________________", False, Pt(0), Pt(0)),
        ("{{ s.name }}", False, Pt(0), Pt(0)),
    )
    for text, bold, before, after in lines:
        para = w.p("", "Signature Block")
        para.add_run(text).bold = bold
        para.paragraph_format.space_before, para.paragraph_format.space_after = before, after
    # The title ends the block: it keeps with the next block only for the last but one.
    w.tag("if loop.revindex == 2")
    w.p("{{ s.title }}", "Signature Block").paragraph_format.space_after = Pt(30)
    w.tag("else")
    w.p("{{ s.title }}", "Signature Block End")
    w.tag("endif")
    w.tag("endfor")
    # The two-column section of the blocks ends here; what follows is one column again.
    end = w.p("", "Signature Block End")
    end.paragraph_format.space_after = Pt(0)
    _section_break(end, body_sectpr, 2)


def _title_styles(doc: Doc) -> None:
    """The title block's line of facts: small, grey, with a tab stop per fact."""
    facts = doc.styles.add_style("Title Facts", WD_STYLE_TYPE.PARAGRAPH)
    facts.base_style = doc.styles["Normal"]
    _font(facts, 10, color="404040")
    facts.paragraph_format.space_after = Pt(12)
    for position in (Cm(5.5), Cm(11.5)):
        facts.paragraph_format.tab_stops.add_tab_stop(position)


def _signature_styles(doc: Doc) -> None:
    """The styles of the signature page: the signing sentence and the blocks keep with what
    follows them; a block's last line does not."""
    styles = doc.styles
    sentence = styles.add_style("Signing Text", WD_STYLE_TYPE.PARAGRAPH)
    sentence.base_style = styles["Normal"]
    sentence.paragraph_format.keep_with_next = True
    sentence.paragraph_format.space_after = Pt(18)
    block = styles.add_style("Signature Block", WD_STYLE_TYPE.PARAGRAPH)
    block.base_style = styles["Normal"]
    _font(block, 11)
    block.paragraph_format.space_after = Pt(0)
    block.paragraph_format.keep_with_next = True
    block.paragraph_format.keep_together = True
    end = styles.add_style("Signature Block End", WD_STYLE_TYPE.PARAGRAPH)
    end.base_style = block
    end.paragraph_format.keep_with_next = False
    end.paragraph_format.space_after = Pt(30)


def _new_document() -> Doc:
    doc = Document()
    _page(doc)
    _styles(doc)
    _heading_numbering(doc)
    return doc


def _finish(doc: Doc, title: str, subject: str) -> bytes:
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.author = "iopdocs"
    props.last_modified_by = "iopdocs"
    props.language = "sv-SE"
    props.comments = "Mall för iopdocs. Se README för taggar och fält."
    props.revision = 1
    moment = dt.datetime.combine(TEMPLATE_DATE, dt.time())
    props.created = props.modified = moment
    props.last_printed = moment
    buffer = BytesIO()
    doc.save(buffer)
    sys.path.insert(0, str(HERE.parent / "src"))
    from iopdocs.word.docx import normalize_zip

    return normalize_zip(_without_thumbnail(buffer.getvalue()), TEMPLATE_DATE)


def build_contract() -> bytes:
    """The contract template as deterministic .docx bytes."""
    doc = _new_document()
    _signature_styles(doc)
    _title_styles(doc)
    _header_footer(
        doc,
        "{{ doc.title }}",
        "{% if agreement.metadata.case_number %}Dnr {{ agreement.metadata.case_number }}"
        "{% endif %}{% if doc.draft %}  UTKAST{% endif %}",
    )
    _contract_body(Writer(doc))
    return _finish(doc, "IOP-avtal (mall)", "Mall för avtal om idéburet offentligt partnerskap")


def build_annual_report() -> bytes:
    """The annual-report template as deterministic .docx bytes."""
    doc = _new_document()
    _header_footer(
        doc,
        "Årsberättelse {{ report.year }}",
        "{% if agreement.metadata.case_number %}Dnr {{ agreement.metadata.case_number }}"
        "{% endif %}",
    )
    _report_body(Writer(doc))
    return _finish(doc, "Årsberättelse (mall)", "Mall för årsberättelse inom ett IOP")


def _review_body(w: Writer) -> None:
    r = "review"
    w.p("Granskningsunderlag", "Title")
    w.p("{{ doc.title }}", "Subtitle")
    w.when("agreement.metadata.case_number", "Diarienummer: {{ agreement.metadata.case_number }}")
    w.p(
        "Underlaget avser {% if doc.draft %}utkastet till {% endif %}avtal om idéburet "
        "offentligt partnerskap daterat den {{ doc.date|date }} mellan {{ doc.parties_text }}, "
        "med avtalsperioden {{ agreement.period|period }}."
    )
    w.p(
        "iopdocs har läst hela avtalstexten, både avtalets egna uppgifter och de "
        "standardklausuler som avtalet skapas med, och gått igenom den mot kriterierna för "
        "idéburet offentligt partnerskap, de delar som ett IOP-avtal bör innehålla och avtalets "
        "egna belopp och datum. Varje iakttagelse citerar meningen den gäller, anger fältet i "
        "avtalsfilen eller klausulen där texten står, förklarar risken med hänvisning till sin "
        "källa och föreslår en ändring. Underlaget är ett stöd för granskningen och inte en "
        "juridisk bedömning."
    )
    w.p(
        "Stöd av mindre betydelse: granskningen jämför bara de offentliga medel som varje "
        "idéburen part får enligt detta avtal, under varje period om tre år så som förordning "
        f"(EU) 2023/2831 räknar, med taket till kursen {{{{ {r}.eur_rate }}}} kronor per euro"
        f"{{% if {r}.sgei_text %}}; verksamheten hos {{{{ {r}.sgei_text }}}} har angetts som "
        "tjänst av allmänt ekonomiskt intresse med det högre taket enligt förordning (EU) "
        "2023/2832{% endif %}. Den bedömer inte annat stöd som parten får från andra, och inte "
        "om bidraget alls är statligt stöd."
    )
    w.p(f"Sammanfattning: {{{{ {r}.summary }}}}", "Lead")

    w.tag(f"for g in {r}.groups")
    w.heading("{{ g.heading }}")
    w.p("{{ g.intro }}")
    w.tag("for c in g.checks")
    w.heading("{{ c.title }}", level=2)
    w.p("Källa: {{ c.source }}. Kontroll: {{ c.code }}.", "Finding Facts")
    w.tag("for f in c.findings")
    w.when("f.quote", "”{{ f.quote }}”", "Finding Quote")
    w.p("{{ f.message }}", "List Bullet")
    w.when("f.suggestion", "Förslag: {{ f.suggestion }}", "Finding Facts")
    w.p("{{ f.where }}", "Finding Facts")
    w.tag("endfor")
    w.tag("endfor")
    w.tag("endfor")

    w.tag(f"if {r}.passed")
    w.heading("Kontroller utan anmärkning")
    w.p("Följande kontroller har inte gett någon anmärkning.")
    _table(
        w,
        ("Kontroll", "Källa"),
        f"c in {r}.passed",
        ("{{ c.title }}", "{{ c.source }}"),
        (6.5, 9.5),
    )
    w.tag("endif")


def build_review() -> bytes:
    """The review-appendix (Granskningsunderlag) template as deterministic .docx bytes."""
    doc = _new_document()
    quote = doc.styles.add_style("Finding Quote", WD_STYLE_TYPE.PARAGRAPH)
    quote.base_style = doc.styles["Normal"]
    _font(quote, 10.5, color="404040")
    quote.font.italic = True
    quote.paragraph_format.left_indent = Cm(0.8)
    facts = doc.styles.add_style("Finding Facts", WD_STYLE_TYPE.PARAGRAPH)
    facts.base_style = doc.styles["Normal"]
    _font(facts, 9, color="595959")
    facts.paragraph_format.space_after = Pt(4)
    facts.paragraph_format.left_indent = Cm(0.63)
    _header_footer(
        doc,
        "Granskningsunderlag",
        "{% if agreement.metadata.case_number %}Dnr {{ agreement.metadata.case_number }}"
        "{% endif %}",
    )
    _review_body(Writer(doc))
    return _finish(doc, "Granskningsunderlag (mall)", "Mall för granskningsunderlag för ett IOP")


def _without_thumbnail(data: bytes) -> bytes:
    """Drop python-docx's stock thumbnail: a picture of some other document would mislead."""
    import re
    import zipfile

    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name == "docProps/thumbnail.jpeg":
                continue
            content = src.read(name)
            if name == "_rels/.rels":
                content = re.sub(rb"<Relationship [^>]*thumbnail\.jpeg\"/>", b"", content)
            dst.writestr(name, content)
    return out.getvalue()


TEMPLATES = {
    "contract.docx": build_contract,
    "annual_report.docx": build_annual_report,
    "review.docx": build_review,
}


def main() -> None:
    for name, build in TEMPLATES.items():
        target = HERE / name
        target.write_bytes(build())
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
