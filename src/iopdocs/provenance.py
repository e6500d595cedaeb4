"""Where a document came from: the agreement data every rendered document carries.

A contract is only as trustworthy as the link between the data and the text. Every DOCX and PDF
iopdocs writes carries the agreement it was rendered from, as canonical JSON, so the document can
be read back (``extract``) and checked against a fresh rendering (``verify``).

A DOCX also records, as custom properties, the iopdocs version, the template's name and SHA-256,
the data's SHA-256, the locale and what was rendered: the contract, the annual report of a year
and party (with the filled-in report data when there was one), or the review appendix (with the
findings it lists and the options they were found with). ``verify`` uses them to re-render
exactly what was rendered then, and to say so plainly when it cannot (another template).

The record itself is built by ``iopdocs.record``; this module reads it back and re-renders, so it
sits above the documents. It is format-neutral: the Word side lives in ``iopdocs.word.customxml``;
the PDF side reads the attachment and the page text with pypdf, whose errors are mapped here.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from iopdocs.errors import NoProvenanceError, ProvenanceError, TemplateMismatchError
from iopdocs.i18n import N_, Message, Plural, reason
from iopdocs.model import Agreement, AnnualReport
from iopdocs.record import (
    AGREEMENT_ATTACHMENT,
    DOCUMENT_KINDS,
    RECORD_ATTACHMENT,
    REPORT_ATTACHMENT,
    Document,
    DocumentKind,
    agreement_json,
    sha256,
)
from iopdocs.version import __version__
from iopdocs.word.sequences import sequence_opcodes

if TYPE_CHECKING:
    from pypdf import PdfReader

    from iopdocs.reviewing import Finding
    from iopdocs.word.customxml import DocxParagraph

__all__ = [
    "AGREEMENT_ATTACHMENT",
    "REPORT_ATTACHMENT",
    "Change",
    "Provenance",
    "ReviewRecord",
    "VerifyResult",
    "agreement_json",
    "extract",
    "read_provenance",
    "verify",
]

# What reading a document's data says, worded where it is shown (iopdocs.i18n.Message).
_NOT_DOCX = N_("{path}: not a Word document (.docx): {reason}")
_NOT_PDF = N_("{path}: not a readable PDF: {reason}")
_RECORD = N_("{path}: the record it carries is unreadable: {reason}")
_NOT_OBJECT = N_("{path}: the record it carries is not a JSON object")
_TOO_LARGE = N_("{path}: the data it carries is larger than the limit of {mib} MiB")
_NOT_UTF8 = N_("{path}: the data it carries is not UTF-8 text")
_CLAUSES = N_("{path}: the clause library it carries is unreadable: {reason}")
_REVIEW = N_("{path}: the review data it carries is unreadable: {reason}")
_UNREADABLE = N_("{path}: cannot be read: {reason}")
_DAMAGED = N_("{path}: a damaged Word document: {reason}")


@dataclass(frozen=True)
class ReviewRecord:
    """What a review appendix records of its review: the findings it lists, in order, and the
    options the checks ran with."""

    findings: tuple[Finding, ...]
    eur_rate: str
    """Kronor per euro, as given (``"11.00"``)."""
    sgei: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provenance:
    """What a document says about its own making."""

    agreement: Agreement
    format: Literal["docx", "pdf"]
    document: DocumentKind = "contract"
    """``contract``, ``annual_report`` or ``review`` (the review appendix)."""
    library_version: str | None = None
    """The iopdocs version that rendered it, when recorded."""
    template: str | None = None
    """The template's file name (``contract.docx`` for the bundled one), when recorded."""
    template_sha256: str | None = None
    data_sha256: str | None = None
    """The SHA-256 recorded for the agreement JSON when the document was made."""
    data_intact: bool = True
    """False when the embedded data no longer hashes to the recorded SHA-256(s)."""
    locale: str = "sv_SE"
    year: int | None = None
    party: str | None = None
    report: AnnualReport | None = None
    review: ReviewRecord | None = None
    clauses: bytes | None = None
    """The source of the clause library a contract was rendered with, when it carries one."""
    clauses_sha256: str | None = None
    """The SHA-256 of that clause library (of ``clauses``) as recorded."""
    pages: int | None = None
    """A PDF's own pages (the contract or report, before appendices), when recorded."""
    total_pages: int | None = None
    """All pages of a PDF as iopdocs wrote it (appendices included), when recorded."""


@dataclass(frozen=True)
class Change:
    """One place where a document's text differs from a fresh rendering of its data."""

    where: str
    """Which paragraph (DOCX: part, number and the heading above it) or page (PDF); a
    ``Message``, English as a ``str`` and translated where it is shown."""
    expected: str | None
    """What it should say; ``None`` when the document has text the rendering does not."""
    actual: str | None
    """What it says now; ``None`` when text of the rendering is missing from the document."""


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of ``verify``: ``unchanged`` is True when the text is as it was rendered."""

    provenance: Provenance
    changes: list[Change] = field(default_factory=list)
    library_version: str = ""
    """The iopdocs version that verified (compare ``provenance.library_version``)."""
    unverifiable: list[str] = field(default_factory=list)
    """What a .docx shows a reader that iopdocs never writes (hidden or white text, an altered
    text box, a field, an imported document, …), one sentence each: its text alone cannot
    tell whether the reader sees the contract, so it is neither unchanged nor merely changed."""
    appended_pages: list[int] = field(default_factory=list)
    """PDF pages after the pages iopdocs wrote (an e-signature service's signing record, or
    anything else): a change unless ``verify`` was told appended pages are expected."""

    @property
    def unchanged(self) -> bool:
        return not self.changes and self.provenance.data_intact and not self.unverifiable

    @property
    def version_differs(self) -> bool:
        recorded = self.provenance.library_version
        return recorded is not None and recorded != self.library_version


def read_provenance(document: Document) -> Provenance:
    """Everything ``document`` (a .docx or PDF path, or its bytes) records about its making.

    Raises ``NoProvenanceError`` when it carries no agreement data, ``ProvenanceError`` when it is
    neither a .docx nor a PDF or cannot be read, and ``ValidationError`` when the embedded data
    does not fit the model of this iopdocs version.
    """
    return _provenance_of(*_read(document))


def _provenance_of(data: bytes, origin: str) -> Provenance:
    if data.startswith(b"%PDF-"):
        return _pdf_provenance(data, origin)
    if data.startswith(b"PK"):
        import zipfile

        from iopdocs.word.package import check_package

        try:
            check_package(data, origin)
        except zipfile.BadZipFile as exc:
            raise ProvenanceError(Message(_NOT_DOCX, path=origin, reason=exc)) from exc
        with _docx_failures(origin):
            return _docx_provenance(data, origin)
    raise ProvenanceError(Message("{path}: neither a Word document (.docx) nor a PDF", path=origin))


def extract(document: Document) -> Agreement:
    """The agreement a .docx or PDF (a path or its bytes) was rendered from.

    ``extract(render_contract(a)) == a``. Raises ``NoProvenanceError`` for a document without
    iopdocs data.
    """
    return read_provenance(document).agreement


def verify(
    document: Document,
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    clauses: str | os.PathLike[str] | bytes | None = None,
    allow_appended: bool = False,
) -> VerifyResult:
    """Re-render ``document`` from the data it carries and compare the texts.

    A .docx is compared paragraph by paragraph (body with tables, headers, footers, notes;
    tracked insertions count). A PDF is compared word by word (spacing ignored) against the
    contract, leaving out page headers and footers, a draft watermark and appendices that follow
    the contract. ``template`` is the template the document was rendered with when that was not
    the bundled one. A contract re-renders with the clause library it carries; ``clauses`` is
    the library to use for one that carries none (a PDF) and was not rendered with the packaged
    library.

    What a reader sees is checked too: a .docx with constructs iopdocs does not write (hidden
    text, a text box whose alternatives differ, a field, ``w:altChunk``, …) lists them in
    ``unverifiable``. A PDF's pages after those iopdocs wrote are listed in ``appended_pages``
    and count as a change unless ``allow_appended`` (an e-signature service appends its
    signing record).

    Raises ``NoProvenanceError`` for a document without data, and ``TemplateMismatchError`` when
    the document records another template than the one at hand (it cannot be re-rendered).
    """
    data, origin = _read(document)
    record = _provenance_of(data, origin)
    if record.clauses is None and clauses is not None:
        from iopdocs.documents.clauses import load_library

        record = replace(record, clauses=load_library(clauses).source)
    rendered = _rerender(record, _template(record, template, origin), origin)
    if record.format == "docx":
        from iopdocs.word.visible import unverifiable

        with _docx_failures(origin):
            return VerifyResult(
                provenance=record,
                changes=_docx_changes(rendered, data),
                library_version=__version__,
                unverifiable=unverifiable(data, rendered),
            )
    changes, appended = _pdf_changes(
        rendered,
        data,
        pages=record.pages,
        total_pages=record.total_pages,
        appendices=bool(record.agreement.appendices),
    )
    if appended and not allow_appended:
        changes.append(
            Change(
                where=(
                    Message("pages {first}–{last}", first=appended[0], last=appended[-1])
                    if len(appended) > 1
                    else Message("page {page}", page=appended[0])
                ),
                expected=None,
                actual=Plural(
                    "{count} page after the pages iopdocs wrote",
                    "{count} pages after the pages iopdocs wrote",
                    count=len(appended),
                ),
            )
        )
    return VerifyResult(
        provenance=record, changes=changes, library_version=__version__, appended_pages=appended
    )


# --- reading -------------------------------------------------------------------------------------


def _read(document: Document) -> tuple[bytes, str]:
    if isinstance(document, bytes):
        return document, "<bytes>"
    from iopdocs._files import MAX_DOCUMENT_FILE, FileLimitError, read_limited

    path = Path(document)
    try:
        return read_limited(path, MAX_DOCUMENT_FILE), str(path)
    except FileNotFoundError as exc:
        raise ProvenanceError(Message("{path}: no such file", path=path)) from exc
    except IsADirectoryError as exc:
        raise ProvenanceError(Message("{path}: is a directory, not a document", path=path)) from exc
    except FileLimitError as exc:
        raise ProvenanceError(Message("{path}: {reason}", path=path, reason=reason(exc))) from exc
    except OSError as exc:
        raise ProvenanceError(Message(_UNREADABLE, path=path, reason=exc.strerror or exc)) from exc


@contextlib.contextmanager
def _docx_failures(origin: str) -> Iterator[None]:
    """Map what zipfile, zlib and lxml raise on a damaged .docx to ``ProvenanceError``; our own
    errors and pydantic's ``ValidationError`` pass through."""
    import zipfile
    import zlib

    try:
        yield
    except (ProvenanceError, ValidationError):
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
        NotImplementedError,
        RecursionError,
        SyntaxError,  # lxml's XMLSyntaxError
        UnicodeError,
    ) as exc:
        raise ProvenanceError(Message(_DAMAGED, path=origin, reason=reason(exc))) from exc


def _no_data(origin: str) -> NoProvenanceError:
    return NoProvenanceError(
        Message(
            "{path}: carries no iopdocs agreement data (not rendered by iopdocs, or the data "
            "was removed)",
            path=origin,
        )
    )


def _docx_provenance(data: bytes, origin: str) -> Provenance:
    from iopdocs.word.customxml import read_docx_provenance

    found = read_docx_provenance(data)
    if found is None:
        raise _no_data(origin)
    return _provenance("docx", found.data, found.properties, origin)


def _pdf_failures() -> tuple[type[BaseException], ...]:
    """What pypdf raises on a damaged or hostile PDF, besides its own errors: a foreign
    library's failures, all mapped to ``ProvenanceError`` here (deep nesting ends in a
    ``RecursionError``, a broken stream in ``zlib.error`` or ``ValueError``)."""
    import zlib

    from pypdf.errors import PyPdfError

    return (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        AssertionError,
        RecursionError,
        ArithmeticError,
        zlib.error,
    )


def _pdf_reader(data: bytes, origin: str) -> PdfReader:
    from pypdf import PdfReader

    try:
        return PdfReader(BytesIO(data))
    except _pdf_failures() as exc:
        raise ProvenanceError(Message(_NOT_PDF, path=origin, reason=exc)) from exc


def _pdf_provenance(data: bytes, origin: str) -> Provenance:
    """The attached agreement (and report) JSON, the record iopdocs attaches beside it (the
    template, data hashes and page counts), and ``/iopdocs.*`` document-information entries
    when the PDF has them (named as the DOCX's custom properties)."""
    reader = _pdf_reader(data, origin)
    try:
        attachments = reader.attachments
        blobs = attachments.get(AGREEMENT_ATTACHMENT)
        report_blobs = attachments.get(REPORT_ATTACHMENT)
        record_blobs = attachments.get(RECORD_ATTACHMENT)
        info: Mapping[str, object] = reader.metadata or {}
        props = {
            str(key)[len("/iopdocs.") :]: str(value)
            for key, value in info.items()
            if str(key).startswith("/iopdocs.")
        }
    except _pdf_failures() as exc:
        raise ProvenanceError(Message(_NOT_PDF, path=origin, reason=exc)) from exc
    if not blobs:
        raise _no_data(origin)
    if record_blobs:
        props.update(_pdf_record(record_blobs[0], origin))
    found = {"agreement": blobs[0]}
    if report_blobs:
        found["report"] = report_blobs[0]
    return _provenance("pdf", found, props, origin)


def _pdf_record(blob: bytes, origin: str) -> dict[str, str]:
    """The properties of a PDF's ``RECORD_ATTACHMENT``: a flat JSON object of strings."""
    try:
        data = json.loads(_text(blob, origin))
    except (ValueError, RecursionError) as exc:
        raise ProvenanceError(Message(_RECORD, path=origin, reason=exc)) from exc
    if not isinstance(data, dict):
        raise ProvenanceError(Message(_NOT_OBJECT, path=origin))
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str | int)}


def _provenance(
    format: Literal["docx", "pdf"],
    blobs: Mapping[str, bytes],
    props: Mapping[str, str],
    origin: str,
) -> Provenance:
    """The record of ``blobs`` (the agreement JSON, and the report or review JSON when the
    document has one) and the ``iopdocs.*`` properties ``props``."""
    from iopdocs.loading import parse_agreement, parse_report

    blob = blobs["agreement"]
    report_blob = blobs.get("report")
    review_blob = blobs.get("review")
    clauses = _clauses(blobs.get("clauses"), origin)
    agreement = parse_agreement(_text(blob, origin), format="json", source=origin)
    report = (
        parse_report(_text(report_blob, origin), format="json", source=origin)
        if report_blob is not None
        else None
    )
    intact = (
        _matches(blob, props.get("dataSha256"))
        and (report_blob is None or _matches(report_blob, props.get("reportDataSha256")))
        and (review_blob is None or _matches(review_blob, props.get("reviewDataSha256")))
        and (clauses is None or _matches(clauses, props.get("clausesSha256")))
    )
    year = props.get("reportYear", "")
    document: DocumentKind = next(
        (kind for kind in DOCUMENT_KINDS if kind == props.get("document")), "contract"
    )
    return Provenance(
        agreement=agreement,
        format=format,
        document=document,
        library_version=props.get("version"),
        template=props.get("template"),
        template_sha256=props.get("templateSha256"),
        data_sha256=props.get("dataSha256"),
        data_intact=intact,
        locale=props.get("locale") or "sv_SE",
        year=int(year) if year.isdigit() else None,
        party=props.get("reportParty") or None,
        report=report,
        review=_review_record(review_blob, origin) if review_blob is not None else None,
        clauses=clauses,
        clauses_sha256=props.get("clausesSha256"),
        pages=_count(props.get("pages")),
        total_pages=_count(props.get("totalPages")),
    )


def _count(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() and len(value) < 7 else None


def _text(blob: bytes, origin: str) -> str:
    """Embedded data as text: bounded (``MAX_DATA_FILE``) and UTF-8, or a ``ProvenanceError``."""
    from iopdocs._files import MAX_DATA_FILE

    if len(blob) > MAX_DATA_FILE:
        raise ProvenanceError(Message(_TOO_LARGE, path=origin, mib=MAX_DATA_FILE // (1024 * 1024)))
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProvenanceError(Message(_NOT_UTF8, path=origin)) from exc


def _clauses(blob: bytes | None, origin: str) -> bytes | None:
    """The clause library's source a contract carries, or ``None``."""
    if blob is None:
        return None
    try:
        return str(json.loads(blob)["source"]).encode("utf-8")
    except (ValueError, KeyError, TypeError) as exc:
        raise ProvenanceError(Message(_CLAUSES, path=origin, reason=exc)) from exc


def _review_record(blob: bytes, origin: str) -> ReviewRecord:
    """The ``review_json`` of a review appendix read back; a ``ProvenanceError`` when it is not
    what iopdocs writes."""
    from iopdocs.reviewing import Finding

    try:
        data = json.loads(blob)
        findings = tuple(Finding.from_dict(f) for f in data["findings"])
        return ReviewRecord(
            findings=findings,
            eur_rate=str(data["eur_rate"]),
            sgei=tuple(str(name) for name in data["sgei"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ProvenanceError(Message(_REVIEW, path=origin, reason=exc)) from exc


def _matches(blob: bytes, recorded: str | None) -> bool:
    """The blob hashes to the recorded SHA-256 (when one was recorded)."""
    return recorded is None or sha256(blob) == recorded


# --- re-rendering --------------------------------------------------------------------------------


def _template(
    record: Provenance, template: str | os.PathLike[str] | bytes | None, origin: str
) -> bytes:
    """The template to re-render with: the one given or the bundled one, checked against the
    SHA-256 the document records."""
    from iopdocs.documents.templates import default_template, load_template

    default = default_template(record.document)
    source = load_template(template, default)
    recorded = record.template_sha256
    given = sha256(source)
    if recorded is None or recorded == given:
        return source
    used = (
        Message("the template '{name}'", name=record.template)
        if record.template
        else Message("another template")
    )
    facts = {"path": origin, "used": used, "recorded": recorded, "given": given}
    if template is None:
        bundled = {"default": default, "current": __version__}
        message = (
            Message(
                "{path}: was rendered by iopdocs {version} with {used} (SHA-256 {recorded}), not "
                "with the {default} bundled with iopdocs {current} (SHA-256 {given}); verify it "
                "with the template it was rendered with",
                version=record.library_version,
                **facts,
                **bundled,
            )
            if record.library_version and record.library_version != __version__
            else Message(
                "{path}: was rendered with {used} (SHA-256 {recorded}), not with the {default} "
                "bundled with iopdocs {current} (SHA-256 {given}); verify it with the template "
                "it was rendered with",
                **facts,
                **bundled,
            )
        )
    else:
        message = Message(
            "{path}: was rendered with {used} (SHA-256 {recorded}); the template given has "
            "SHA-256 {given}, so it is not the same file",
            **facts,
        )
    raise TemplateMismatchError(message, recorded=recorded, given=given)


def _rerender(record: Provenance, template: bytes, origin: str) -> bytes:
    from iopdocs.documents import render_annual_report, render_contract, render_review

    if record.document == "review":
        if record.review is None:
            raise ProvenanceError(
                Message(
                    "{path}: the review appendix carries no findings to render it from; it can "
                    "be extracted but not verified",
                    path=origin,
                )
            )
        return render_review(
            record.agreement,
            findings=list(record.review.findings),
            eur_rate=record.review.eur_rate,
            sgei=record.review.sgei,
            template=template,
            locale=record.locale,
        )
    if record.document == "annual_report" and record.year is not None:
        return render_annual_report(
            record.agreement,
            record.year,
            party=record.party,
            report=record.report,
            template=template,
            locale=record.locale,
        )
    return render_contract(
        record.agreement, template=template, locale=record.locale, clauses=record.clauses
    )


# --- comparing -----------------------------------------------------------------------------------


def _docx_changes(expected_docx: bytes, actual_docx: bytes) -> list[Change]:
    from iopdocs.word.customxml import docx_paragraphs

    expected = _once_per_page_part(docx_paragraphs(expected_docx))
    actual = _once_per_page_part(docx_paragraphs(actual_docx))
    matcher = difflib.SequenceMatcher(
        None, [p.text for p in expected], [p.text for p in actual], autojunk=False
    )
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = expected[i1:i2], actual[j1:j2]
        for k in range(max(len(old), len(new))):
            before = old[k] if k < len(old) else None
            after = new[k] if k < len(new) else None
            changes.append(
                Change(
                    where=_where(after, before, actual, j1),
                    expected=before.text if before else None,
                    actual=after.text if after else None,
                )
            )
    return changes


def _once_per_page_part(paragraphs: list[Any]) -> list[Any]:
    """``paragraphs`` with a header's or footer's paragraph kept once: a document of several
    sections (the contract's signature blocks stand in one of two columns) that LibreOffice
    saves again gets a header and footer of its own for each section, the same text repeated."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for paragraph in paragraphs:
        if paragraph.part in ("header", "footer"):
            key = (paragraph.part, paragraph.text)
            if key in seen:
                continue
            seen.add(key)
        kept.append(paragraph)
    return kept


def _where(
    after: DocxParagraph | None,
    before: DocxParagraph | None,
    actual: Sequence[DocxParagraph],
    position: int,
) -> str:
    if after is not None:
        return after.where
    assert before is not None
    if position > 0:
        return Message("missing after {where}", where=actual[position - 1].where)
    if actual:
        return Message("missing before {where}", where=actual[0].where)
    return Message("missing")


_FOOTER = re.compile(r"^Sida \d+ av \d+$")
_WATERMARK = "UTKAST"
# Numbers of numbered headings and list bullets: in the PDF's text, not in the document's runs.
_LABEL = re.compile(r"^(\d+\.|\d+(\.\d+)+\.?|[\u2022\u25aa\u25cf\u2013\uf0b7\uf0a7])$")
# Characters a line may break after without a space; the PDF's text then has one, the
# document's text not ("2024-08-" / "01"), so both sides drop spaces after them.
_BREAK_AFTER = ("-", "/", "\u2010", "\u2013", "\u2014")
_CONTEXT_WORDS = 6


def _pdf_changes(
    expected_docx: bytes,
    pdf: bytes,
    *,
    pages: int | None = None,
    total_pages: int | None = None,
    appendices: bool = False,
) -> tuple[list[Change], list[int]]:
    """Word-level differences between the contract's text and the PDF's, and the numbers of
    the pages after those iopdocs wrote.

    Page furniture is removed from the PDF first: lines that are the page header or the
    "Sida X av Y" footer, and the draft watermark. Heading numbers and bullets the PDF shows,
    and table header rows it repeats on each page, are not counted as added text. A word the
    PDF breaks over two lines (an e-mail address in a narrow table column) is the same word.

    Which pages are the document's own: when the PDF records its page counts (``pages`` of the
    contract, ``total_pages`` with the appendices iopdocs joined), the text of the first
    ``pages`` is compared, the appendices are not, and every page after ``total_pages`` is
    appended. A PDF without the record: the words after the contract ends, from the page after
    its last word on, are its appendices when the agreement lists some, else appended pages.
    """
    from iopdocs.word.customxml import docx_paragraphs, docx_repeated_rows

    paragraphs = docx_paragraphs(expected_docx)
    furniture = {_compact(p.text) for p in paragraphs if p.part in ("header", "footer")}
    repeated = {" ".join(_joined(row.split())) for row in docx_repeated_rows(expected_docx)}
    # The word joiners and zero-width spaces that hold facts on one line are no text of the PDF.
    invisible = str.maketrans("", "", "\u2060\u200b")
    expected = _joined(
        [
            w
            for p in paragraphs
            if p.part == "body"
            for w in p.text.translate(invisible).split()
            if w != _WATERMARK
        ]
    )
    reader = _pdf_reader(pdf, "<pdf>")
    page_words: list[tuple[str, int]] = []
    try:
        count = len(reader.pages)
        own = min(pages, count) if pages is not None else count
        for number, page in enumerate(reader.pages[:own], start=1):
            for line in (page.extract_text() or "").splitlines():
                text = _compact(line)
                if text in furniture or _FOOTER.match(text):
                    continue
                page_words += [(w, number) for w in text.split() if w != _WATERMARK]
    except _pdf_failures() as exc:
        raise ProvenanceError(
            Message("the PDF's text cannot be read: {reason}", reason=exc)
        ) from exc
    if pages is not None and (total_pages is None or not appendices):
        # An agreement without appendices has no pages after its own: a record claiming more
        # (edited to hide appended pages) is not believed.
        total_pages = pages
    appended = list(range(total_pages + 1, count + 1)) if total_pages is not None else []
    words, word_pages = _joined_with_pages(page_words)
    opcodes = sequence_opcodes(expected, words)
    changes: list[Change] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            continue
        # Labels at either end of the PDF's side belong to the next or previous heading.
        while j2 > j1 and _LABEL.match(words[j2 - 1]):
            j2 -= 1
        while j1 < j2 and _LABEL.match(words[j1]):
            j1 += 1
        if "".join(expected[i1:i2]) == "".join(words[j1:j2]):
            continue  # a word broken over two lines in a narrow column
        if i1 == i2:
            added = [w for w in words[j1:j2] if not _LABEL.match(w)]
            if not added or " ".join(added) in repeated:
                continue
            if (
                pages is None
                and index == len(opcodes) - 1
                and j1 > 0
                and word_pages[j1] > word_pages[j1 - 1]
            ):
                # The pages after the contract's last word: its appendices, or appended.
                if not appendices:
                    appended = list(range(word_pages[j1], count + 1))
                break
        at = word_pages[min(j1, len(word_pages) - 1)] if word_pages else 1
        changes.append(
            Change(
                where=Message("page {page}", page=at),
                expected=_in_context(expected, i1, i2),
                actual=_in_context(words, j1, j2),
            )
        )
    return changes, appended


def _joined(words: list[str]) -> list[str]:
    return _joined_with_pages([(w, 0) for w in words])[0]


def _joined_with_pages(words: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    """Words with the ones that follow a line-break character (``_BREAK_AFTER``) glued on."""
    joined: list[str] = []
    pages: list[int] = []
    for word, page in words:
        if joined and joined[-1].endswith(_BREAK_AFTER):
            joined[-1] += word
        else:
            joined.append(word)
            pages.append(page)
    return joined, pages


def _in_context(words: Sequence[str], start: int, end: int) -> str:
    before = words[max(0, start - _CONTEXT_WORDS) : start]
    after = words[end : end + _CONTEXT_WORDS]
    middle = " ".join(words[start:end])
    return " ".join([*before, f"[{middle}]", *after])


def _compact(text: str) -> str:
    return " ".join(text.split())
