"""Packaging appends to the PDF LibreOffice wrote, and the result is still PDF/A-3b.

Checked with our own reading of the file and, where installed, with Apache PDFBox Preflight from
Debian (libpdfbox2-java; .ci/run installs it). Preflight validates PDF/A-1b only, so on our
PDF/A-3b files exactly three findings are expected and allowed, each because PDF/A-1 is stricter
than PDF/A-3 on a point we rely on:

- 7.11.2 "part must be 1": the XMP says part 3;
- 1.4.7 "EmbeddedFile entry is present in the Names dictionary" and 1.2.9 "EmbeddedFile entry is
  present in a FileSpecification dictionary": PDF/A-1 forbids embedded files, PDF/A-3 allows them
  as associated files, which is how the agreement is attached.

On a draft, the translucent UTKAST stamp adds 4.1.2 (transparency, "CA/ca entry in a ExtGState is
invalid"): PDF/A-1 forbids transparency, PDF/A-2 and -3 allow it (ISO 19005-2, 6.4).

Anything else it finds fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from iopdocs import Agreement, convert_many, render_contract
from iopdocs.pdf import attach_agreement
from iopdocs.pdf.package import pdfa_part
from iopdocs.provenance import AGREEMENT_ATTACHMENT
from tests.integration.test_libreoffice import IN_CI, pytestmark  # noqa: F401 - the skip rule

JAVA = shutil.which("java")
PREFLIGHT_JARS = [
    f"/usr/share/java/{name}.jar"
    for name in (
        "pdfbox2",
        "fontbox2",
        "xmpbox",
        "preflight",
        "commons-logging",
        "javax.activation",
        "jaxb-api",
    )
]
HAS_PREFLIGHT = JAVA is not None and all(os.path.exists(jar) for jar in PREFLIGHT_JARS)
ALLOWED = {"7.11.2", "1.4.7", "1.2.9"}
ALLOWED_ON_A_DRAFT = {*ALLOWED, "4.1.2"}

if not HAS_PREFLIGHT and IN_CI:  # pragma: no cover - a broken CI machine
    raise RuntimeError("CI=true but PDFBox Preflight (libpdfbox2-java) is missing; see .ci/run")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory, flagship: Agreement) -> bytes:
    """The flagship contract as LibreOffice writes it, PDF/A-3b, before packaging."""
    folder = tmp_path_factory.mktemp("pdfa")
    docx = render_contract(flagship, folder / "avtal.docx")
    (pdf,) = convert_many([docx], folder, pdfa=3)
    return pdf.read_bytes()


def preflight_findings(pdf: Path) -> set[str]:
    assert JAVA is not None
    out = subprocess.run(
        [
            JAVA,
            "-cp",
            ":".join(PREFLIGHT_JARS),
            "org.apache.pdfbox.preflight.Validator_A1b",
            str(pdf),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout
    return set(re.findall(r"^(\d+(?:\.\d+)+) :", out, flags=re.MULTILINE))


def test_packaging_appends_to_libreoffices_pdf_without_rewriting_it(
    converted: bytes, flagship: Agreement
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    packaged = attach_agreement(converted, flagship)
    assert packaged.startswith(converted)
    assert len(packaged) - len(converted) < 20_000  # the agreement and a few small objects
    before, after = PdfReader(BytesIO(converted)), PdfReader(BytesIO(packaged))
    assert pdfa_part(after) == 3
    assert after.metadata == before.metadata  # the information dictionary, as LibreOffice made it
    xmp = after.root_object["/Metadata"].get_object().get_data()
    assert xmp == before.root_object["/Metadata"].get_object().get_data()
    tree = "/StructTreeRoot"  # the same object: not copied, not renumbered
    assert after.root_object.raw_get(tree).idnum == before.root_object.raw_get(tree).idnum
    (spec,) = (ref.get_object() for ref in after.root_object["/AF"])
    assert spec["/UF"] == AGREEMENT_ATTACHMENT
    assert spec["/AFRelationship"] == "/Source"


@pytest.mark.skipif(
    not HAS_PREFLIGHT,
    reason="PDFBox Preflight: apt-get install default-jre-headless libpdfbox2-java "
    "libjaxb-api-java libactivation-java",
)
def test_preflight_finds_nothing_but_what_pdfa1_forbids_and_pdfa3_allows(
    converted: bytes, flagship: Agreement, tmp_path: Path
) -> None:
    from iopdocs.pdf.package import Part, assemble
    from iopdocs.provenance import agreement_json

    attachment = (AGREEMENT_ATTACHMENT, agreement_json(flagship), "Avtalsdata")
    packages = {
        # appended: the contract alone, as render_pdf and a batch finish it
        "appended": attach_agreement(converted, flagship),
        # written whole: with a stamped appendix joined to it
        "joined": assemble(
            [Part(converted), Part(converted, "Bilaga 2 – Avtal")],
            draft=True,
            attachment=attachment,
        ),
    }
    for name, data in packages.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        findings = preflight_findings(path)
        assert "7.11.2" in findings, "Preflight ran and read the XMP (part 3, not 1)"
        assert findings <= (ALLOWED_ON_A_DRAFT if name == "joined" else ALLOWED), name
