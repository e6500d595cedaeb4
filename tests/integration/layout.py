"""Reading a PDF's pages the way a reader sees them: words on lines, lines on pages.

``pdftotext -bbox-layout`` gives every word with its page, block and line, in reading order.
The checks here use nothing else, so they see what LibreOffice laid out, not what the XML asked
for. Used by tests/integration/test_layout.py.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree

_NS = "{http://www.w3.org/1999/xhtml}"

FACT = re.compile(
    "|".join(
        (
            r"\d{4}-\d{2}-\d{2}(?: \u2013 \d{4}-\d{2}-\d{2})?",  # a date, or a period
            r"(?<![\w-])\d{6}-\d{4}(?![\w-])",  # an organisation number
            r"(?<![\w.,])\d{1,3}(?: \d{3})+(?: kr)?",  # an amount in groups of three
            r"(?<![\w.,])\d+(?:,\d+)? (?:kr|procent)(?!\w)",  # 500 kr, 80 procent
            r"(?<![\w+])0\d{1,3}-\d{2,3}(?: \d{2,3}){1,3}(?!\w)",  # a phone number
            r"(?<![\w/])[A-ZÅÄÖ]{1,6} \d{4}/[\w.\-:/]*\w",  # a case number
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # an e-mail address
        )
    )
)
"""What must never be split across lines; spaces as pdftotext gives them (no-break spaces read
as spaces)."""

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass
class Line:
    words: list[str]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class Page:
    number: int
    height: float
    blocks: list[list[Line]] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return [line for block in self.blocks for line in block]

    def body(self, margin: float = 60.0) -> list[Line]:
        """The lines between the header and the footer (the outer ``margin`` points)."""
        return [
            line for line in self.lines if line.top > margin and line.bottom < self.height - margin
        ]

    def footer(self, margin: float = 60.0) -> str:
        return " ".join(line.text for line in self.lines if line.top >= self.height - margin)


def read_pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` as blocks of lines of words, in pdftotext's reading order."""
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    root = ElementTree.fromstring(html)
    pages = []
    for number, element in enumerate(root.iter(f"{_NS}page"), start=1):
        page = Page(number, float(element.get("height", "842")))
        for block in element.iter(f"{_NS}block"):
            lines = []
            for line in block.iter(f"{_NS}line"):
                words = [w.text or "" for w in line.iter(f"{_NS}word")]
                if words:
                    lines.append(
                        Line(words, float(line.get("yMin", "0")), float(line.get("yMax", "0")))
                    )
            if lines:
                page.blocks.append(lines)
        pages.append(page)
    return pages


def split_facts(pages: list[Page]) -> list[str]:
    """Every fact broken across two lines of one block: ``"2024-08- / 01"``.

    For each line break, the last word before it and the first after are joined, both directly
    (a break after a hyphen) and with a space (a break at a space); a fact found across the join
    that neither word holds whole is split. An e-mail address may break after its "@" or before
    a dot of its domain, nowhere else.
    """
    found = []
    for page in pages:
        for block in page.blocks:
            for before, after in pairwise(block):
                # Two words either side, so that a period broken at its dash is seen whole.
                last, first = " ".join(before.words[-2:]), " ".join(after.words[:2])
                # A line breaks at a space, or right after a hyphen, slash, dash, "@" or dot.
                joints = ("", " ") if last.endswith(("-", "/", "\u2013", "@", ".")) else (" ",)
                for joint in joints:
                    joined = last + joint + first
                    for match in FACT.finditer(joined):
                        if not match.start() < len(last) < match.end() - len(joint):
                            continue  # wholly on one side of the break
                        if _EMAIL.fullmatch(match.group()) and _email_break_ok(last):
                            continue
                        found.append(f"page {page.number}: {last!r} / {first!r}")
    return sorted(set(found))


def _email_break_ok(before: str) -> bool:
    """An address broken after its "@", or before a dot of its domain, is broken well."""
    return before.endswith("@") or ("@" in before and not before.endswith((".", "-")))


def stranded_headings(pages: list[Page]) -> list[str]:
    """Pages whose body ends with a numbered heading ("12. Utbetalning av bidraget") or holds
    nothing but one: a heading cut off from what it heads."""
    heading = re.compile(r"^\d+(?:\.\d+)?\.? [A-ZÅÄÖ].{0,80}$")
    found = []
    for page in pages[:-1]:
        body = page.body()
        if not body:
            continue
        last = body[-1].text
        if heading.match(last) and not last.endswith((".", ":", ",", ";")):
            found.append(f"page {page.number} ends with the heading {last!r}")
    return found


def signature_pages(pages: list[Page]) -> dict[int, int]:
    """How many signature blocks ("Ort och datum:") each page holds, for the pages with any."""
    counts = {p.number: sum(line.text.count("Ort och datum:") for line in p.lines) for p in pages}
    return {number: count for number, count in counts.items() if count}


def unnumbered_pages(pages: list[Page], contract_pages: int) -> list[str]:
    """Pages without their number: "Sida x av y" on the contract's pages, "Bilaga N, sida x av
    y" on an appendix's."""
    found = []
    for page in pages:
        footer = page.footer()
        if page.number <= contract_pages:
            expected = f"Sida {page.number} av {contract_pages}"
            if expected not in footer:
                found.append(f"page {page.number}: {footer!r} lacks {expected!r}")
        elif not re.search(r"Bilaga \d+, sida \d+ av \d+", footer):
            found.append(f"page {page.number}: {footer!r} lacks 'Bilaga N, sida x av y'")
    return found
