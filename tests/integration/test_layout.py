"""Pages that never break a fact, read from the PDF LibreOffice lays out, not from the XML.

Every example (and a package of the multi-party example with two appendices, and an agreement
with seven signatories) is rendered to PDF; its words, lines and pages are read with
``pdftotext -bbox-layout`` (tests/integration/layout.py) and checked: no date, period,
organisation number, amount, phone number, case number or e-mail address is split across lines;
the text extracted by pdftotext (with and without ``-layout``) and by pypdf gives each fact back
exactly; no page ends with a heading; the signature page keeps its heading and signing sentence
with the blocks and never leaves one block alone; every page carries its number. A planted date
without iopdocs's word joiners proves that the check sees a split.

Skipped with the stated reason where LibreOffice is absent; never skipped in CI (CI=true).
"""

from __future__ import annotations

import copy
import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from iopdocs import Agreement, load_agreement, payment_schedule, render_pdf
from iopdocs.pdf import convert_to_pdf
from iopdocs.word.fixes import keep_facts_together
from tests.conftest import ROOT
from tests.integration.layout import (
    read_pages,
    signature_pages,
    split_facts,
    stranded_headings,
    unnumbered_pages,
)
from tests.integration.test_libreoffice import pytestmark  # noqa: F401 - the skip rule

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MULTI = ROOT / "examples" / "motesplatser-storstaden-2025.yaml"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("layout")


def appendix_docx(path: Path, title: str, paragraphs: int) -> Path:
    document = Document()
    document.add_heading(title, level=1)
    for n in range(paragraphs):
        document.add_paragraph(f"Punkt {n + 1} i {title.lower()}, enligt överenskommelse. " * 6)
    document.save(str(path))
    return path


def seven_signatories() -> Agreement:
    """The multi-party example with a third signatory for two parties: seven blocks, an odd
    number, so that a lone last block would show."""
    data: dict[str, Any] = load_agreement(MULTI).model_dump()
    data = copy.deepcopy(data)
    for party in data["parties"][1:3]:
        party["signatories"].append({"name": "Ann-Sofie Ekwall-Lindström", "title": "Kassör"})
    return Agreement.model_validate(data)


def packaged(folder: Path) -> tuple[Path, Agreement]:
    agreement = load_agreement(MULTI)
    data = agreement.model_dump()
    data["appendices"] = ["Verksamhetsplan 2025–2027", "Budget för det första året"]
    agreement = Agreement.model_validate(data)
    files = [
        appendix_docx(folder / "plan.docx", "Verksamhetsplan", 30),
        appendix_docx(folder / "budget.docx", "Budget", 70),
    ]
    return render_pdf(agreement, folder / "paket.pdf", appendices=files), agreement


CASES = [*(p.stem for p in EXAMPLES), "seven-signatories", "package-with-appendices"]


@pytest.fixture(scope="module")
def rendered(folder: Path) -> dict[str, tuple[Path, Agreement]]:
    """Every case as a PDF, rendered once for all the checks."""
    out: dict[str, tuple[Path, Agreement]] = {}
    for example in EXAMPLES:
        agreement = load_agreement(example)
        out[example.stem] = (render_pdf(agreement, folder / f"{example.stem}.pdf"), agreement)
    seven = seven_signatories()
    out["seven-signatories"] = (render_pdf(seven, folder / "sju.pdf"), seven)
    out["package-with-appendices"] = packaged(folder)
    return out


def contract_pages(pdf: Path) -> int:
    """The number of the contract's own pages: the y of its "Sida x av y"."""
    import re

    text = subprocess.run(
        ["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"Sida 1 av (\d+)", text)
    assert found, "the first page carries 'Sida 1 av N'"
    return int(found.group(1))


@pytest.mark.parametrize("case", CASES)
def test_no_fact_is_split_across_lines(
    rendered: dict[str, tuple[Path, Agreement]], case: str
) -> None:
    pdf, _ = rendered[case]
    assert split_facts(read_pages(pdf)) == []


@pytest.mark.parametrize("case", CASES)
def test_every_fact_extracts_exactly(
    rendered: dict[str, tuple[Path, Agreement]], case: str
) -> None:
    """Organisation numbers, the period, the case number and every date of the payment
    schedule come back as written from pdftotext (with and without -layout) and pypdf, and no
    invisible joiner or special hyphen comes with them."""
    from pypdf import PdfReader

    pdf, agreement = rendered[case]
    facts = {p.org_number for p in agreement.parties}
    facts |= {agreement.period.start.isoformat(), agreement.period.end.isoformat()}
    facts |= {i.date.isoformat() for i in payment_schedule(agreement).instalments}
    texts = {
        mode or "pdftotext": subprocess.run(
            ["pdftotext", *([mode] if mode else []), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for mode in ("", "-layout")
    }
    texts["pypdf"] = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for name, text in texts.items():
        for fact in sorted(facts):
            assert fact in text, f"{name}: {fact}"
        for char in ("\u2060", "\u200b", "\u2011", "\u00ad"):
            assert char not in text, f"{name}: U+{ord(char):04X}"
    case_number = agreement.metadata.case_number
    if case_number:
        assert case_number in " ".join(texts["pdftotext"].replace("\u00a0", " ").split())


@pytest.mark.parametrize("case", CASES)
def test_no_page_ends_with_a_heading(
    rendered: dict[str, tuple[Path, Agreement]], case: str
) -> None:
    pdf, _ = rendered[case]
    assert stranded_headings(read_pages(pdf)) == []


@pytest.mark.parametrize("case", CASES)
def test_the_signature_page_never_leaves_a_block_alone(
    rendered: dict[str, tuple[Path, Agreement]], case: str
) -> None:
    """The heading, the signing sentence and the first block share a page, and the last page
    with blocks holds at least two of them (or all of them, when there is one)."""
    pdf, agreement = rendered[case]
    pages = read_pages(pdf)
    blocks = signature_pages(pages)
    total = sum(len(p.signatories) for p in agreement.parties)
    assert sum(blocks.values()) == total
    first = min(blocks)
    text = " ".join(line.text for line in pages[first - 1].lines)
    assert "Underskrifter" in text
    assert "undertecknat detta avtal" in text
    assert blocks[max(blocks)] >= min(2, total)


@pytest.mark.parametrize("case", CASES)
def test_every_page_carries_its_number(
    rendered: dict[str, tuple[Path, Agreement]], case: str
) -> None:
    """The contract's pages say "Sida x av y" of its own pages; each appended page says
    "Bilaga N, sida x av y"."""
    pdf, _ = rendered[case]
    assert unnumbered_pages(read_pages(pdf), contract_pages(pdf)) == []


def test_the_appendix_pages_are_numbered_within_their_appendix(
    rendered: dict[str, tuple[Path, Agreement]],
) -> None:
    pdf, _ = rendered["package-with-appendices"]
    pages = read_pages(pdf)
    own = contract_pages(pdf)
    labels = [p.footer() for p in pages[own:]]
    assert labels[0] == "Bilaga 2, sida 1 av 1" or labels[0].startswith("Bilaga 2, sida 1 av ")
    assert any(label.startswith("Bilaga 3, sida 1 av ") for label in labels)
    for label in labels:
        number, count = label.rsplit(" sida ", 1)[1].split(" av ")
        assert 1 <= int(number) <= int(count)


def planted(folder: Path, *, glued: bool) -> Path:
    """Paragraphs whose lengths push a date and an organisation number across the end of the
    line one character at a time, with or without iopdocs's word joiners."""
    document = Document()
    for n in range(40, 75):
        document.add_paragraph("x" * n + " 2024-08-01 och 802501-2348 slut.")
    if glued:
        keep_facts_together(document.element.body)
    data = io.BytesIO()
    document.save(data)
    path = folder / f"planted-{'glued' if glued else 'plain'}.pdf"
    path.write_bytes(convert_to_pdf(data.getvalue()))
    return path


def test_the_check_sees_a_planted_date_split_and_the_joiners_prevent_it(folder: Path) -> None:
    """Without the joiners LibreOffice breaks the date and the number at their hyphens, and the
    check names each split; with them, the same paragraphs break only between the facts."""
    plain = split_facts(read_pages(planted(folder, glued=False)))
    assert any("2024-08-" in split or "2024-" in split for split in plain), plain
    assert any("802501-" in split for split in plain), plain
    assert split_facts(read_pages(planted(folder, glued=True))) == []
