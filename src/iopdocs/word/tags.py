"""Reading a docxtpl Word template the way docxtpl will, and explaining its Jinja errors.

A template's body, headers, footers and footnotes are patched by docxtpl into Jinja source; this
module reads that source one tag per line, so a Jinja line number points at a tag, and turns
Jinja's syntax and undefined-value errors into messages that name the tag and the text around it.
It knows Word and docxtpl, nothing of IOP: the checks against a document's data are in
``iopdocs.authoring``.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from iopdocs.errors import TemplateError
from iopdocs.i18n import Message, translated

if TYPE_CHECKING:
    import jinja2
    from jinja2 import nodes
    from lxml import etree

__all__ = [
    "AUTOCORRECT",
    "MIDDLES",
    "OPENERS",
    "PLAIN_BLOCK",
    "SPECIAL",
    "STRING",
    "TAG",
    "TemplatePart",
    "TemplateProblem",
    "closest",
    "describe_syntax_error",
    "describe_undefined",
    "did_you_mean",
    "parse_leniently",
    "shorten",
    "tag_at",
    "template_parts",
]

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
"""A Jinja tag: a printed value, a block tag or a comment."""
SPECIAL = re.compile(r"^\{%-?\s*(p|tr|tc|r)\s+(\w+)(.*?)-?%\}$", re.DOTALL)
"""A docxtpl tag that replaces its paragraph, row, cell or run: ``{%p if … %}``."""
PLAIN_BLOCK = re.compile(r"^\{%-?\s*(\w+)(.*?)-?%\}$", re.DOTALL)
OPENERS = {"for", "if", "with", "macro", "call", "filter", "block", "autoescape"}
MIDDLES = {"else": ("if", "for"), "elif": ("if",)}
AUTOCORRECT = {"–": "- or --", "—": "---", "…": "...", "„": '"'}
"""What Word's AutoCorrect writes in a tag, and what the author typed."""
STRING = re.compile(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”")
_CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass(frozen=True)
class TemplateProblem:
    """One problem in a template: a stable ``code``, the ``part`` of the .docx it is in
    (``word/document.xml``, ``word/header1.xml``, ``docProps/core.xml (title)``), the text
    ``where`` it is, and a ``message`` saying what is wrong and how to fix it."""

    code: str
    message: str
    part: str
    where: str = ""

    def __str__(self) -> str:
        near = f' (near "{self.where}")' if self.where else ""
        return f"{self.part}: {self.code}: {self.message}{near}"

    def translated(self) -> str:
        """``str(problem)`` in the language in use; part, code and the quoted text as they are."""
        near = translated(Message(' (near "{text}")', text=self.where)) if self.where else ""
        return f"{self.part}: {self.code}: {translated(self.message)}{near}"


# --- Reading the template as docxtpl does ---------------------------------------------------


@dataclass
class TemplatePart:
    name: str
    root: etree._Element | None  # None for a core property
    source: str  # as docxtpl patches it, one tag per line


def template_parts(data: bytes) -> list[TemplatePart]:
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate

    if not zipfile.is_zipfile(BytesIO(data)):
        raise TemplateError(Message("the template is not a Word document (.docx)"))
    try:
        tpl = DocxTemplate(BytesIO(data))
        tpl.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(
            Message("the template is not a usable Word document: {reason}", reason=exc)
        ) from exc
    document = tpl.docx
    parts = [
        TemplatePart(
            "word/document.xml", document.element.body, _lines(tpl.patch_xml(tpl.get_xml()))
        )
    ]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            parts.append(
                TemplatePart(
                    part.partname.lstrip("/"), parse_xml(part.blob), _lines(tpl.patch_xml(xml))
                )
            )
    for part in document.part.package.parts:
        if part.content_type == _FOOTNOTES_TYPE:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            parts.append(
                TemplatePart(
                    part.partname.lstrip("/"), parse_xml(part.blob), _lines(tpl.patch_xml(blob))
                )
            )
    core = document.core_properties
    for name in _CORE_PROPERTIES:
        value = getattr(core, name) or ""
        if "{" in value:
            parts.append(TemplatePart(f"docProps/core.xml ({name})", None, value))
    return parts


def _lines(xml: str) -> str:
    """One paragraph and one tag per line, so a Jinja line number points at a tag."""
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
    return re.sub(r"(?=\{[{%#])", "\n", xml)


def _strip_xml(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


def tag_at(source: str, lineno: int) -> tuple[str, str]:
    """The tag starting line ``lineno`` of ``source`` and the text of its paragraph."""
    lines = source.splitlines()
    index = min(max(lineno - 1, 0), len(lines) - 1) if lines else 0
    line = lines[index] if lines else ""
    match = TAG.match(line)
    tag = match.group(0) if match else _strip_xml(line)[:80]
    start = index
    while start > 0 and not lines[start].startswith("<w:p"):
        if "</w:p>" in lines[start - 1]:
            break
        start -= 1
    end = index + 1
    while end < len(lines) and not lines[end].startswith("<w:p") and "</w:p>" not in lines[end - 1]:
        end += 1
    return tag, shorten(_strip_xml("".join(lines[start:end])))


def shorten(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def closest(name: str, candidates: Any) -> str | None:
    options = [str(c) for c in candidates]
    folded = [c for c in options if c.lower() == name.lower()]
    close = folded or difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(name: str, candidates: Any) -> str:
    """``; did you mean 'x'?`` (a ``Message``) when a candidate is close to ``name``, else ``""``:
    to end a message through its ``{suggestion}`` placeholder."""
    close = closest(name, candidates)
    return Message("; did you mean '{name}'?", name=close) if close else ""


# --- Syntax errors, explained -----------------------------------------------------------------


def parse_leniently(
    env: jinja2.Environment, source: str
) -> tuple[nodes.Template | None, list[tuple[str, str]]]:
    """The syntax tree of ``source`` and every syntax error, explained.

    After each error the offending tag is blanked (or the missing end tag appended) and the
    source parsed again, so one broken tag does not hide the problems of all the others.
    Blanking keeps the line numbers, so every explanation points at the right tag.
    """
    from jinja2 import TemplateSyntaxError

    errors: list[tuple[str, str]] = []
    for _ in range(50):
        try:
            return env.parse(source), errors
        except TemplateSyntaxError as exc:
            errors.append(_explain(source, exc))
            repaired = _repair(source, exc)
            if repaired == source:
                break
            source = repaired
    return None, errors


def _repair(source: str, exc: jinja2.TemplateSyntaxError) -> str:
    message = exc.message or ""
    missing = [str(t) for t in re.findall(r"'(\w+)'", message) if t.startswith("end")]
    if message.startswith("Unexpected end of template") and missing:
        return source + "{% " + missing[0] + " %}"
    lines = source.split("\n")
    index = (exc.lineno or 0) - 1
    if not 0 <= index < len(lines):
        return source
    tag = TAG.match(lines[index])
    if tag is None:
        return source
    lines[index] = lines[index][tag.end() :]
    return "\n".join(lines)


def _explain(source: str, exc: jinja2.TemplateSyntaxError) -> tuple[str, str]:
    """A syntax error named by its tag: the unknown or unmatched tag, or the unclosed one."""
    tag, where = tag_at(source, exc.lineno)
    unknown = re.match(r"Encountered unknown tag '(\w+)'", exc.message or "")
    if unknown:
        name = unknown.group(1)
        if name.startswith("end") or name in MIDDLES:
            partner = MIDDLES.get(name, (name[3:],))[0]
            return Message(
                "{tag} without a matching {partner}", tag=tag, partner=f"{{% {partner} %}}"
            ), where
        known = ["if", "for", "else", "elif", "endif", "endfor", "set", "with", "endwith"]
        return Message(
            "{tag}: unknown tag '{name}'{suggestion}",
            tag=tag,
            name=name,
            suggestion=did_you_mean(name, known),
        ), where
    if (exc.message or "").startswith("Unexpected end of template"):
        opener = _unclosed(source)
        if opener is not None:
            tag, where = tag_at(source, opener)
            keyword = PLAIN_BLOCK.match(tag)
            if keyword is None:
                return Message("{tag} is never closed: add its end tag", tag=tag), where
            end = f"{{% end{keyword.group(1)} %}}"
            return Message("{tag} is never closed: add {end}", tag=tag, end=end), where
    message = re.sub(r" at \d+$", "", exc.message or "syntax error")
    bad = re.match(r"unexpected char '(.)'", message)
    if bad and bad.group(1) in AUTOCORRECT:
        return Message(
            "{problem} (Word's AutoCorrect wrote it for {meant}; retype it) in {tag}",
            problem=message,
            meant=repr(AUTOCORRECT[bad.group(1)]),
            tag=tag,
        ), where
    return Message("{problem} in {tag}", problem=message, tag=tag), where


def _unclosed(source: str) -> int | None:
    stack: list[int] = []
    for number, line in enumerate(source.splitlines(), start=1):
        tag = TAG.match(line)
        match = PLAIN_BLOCK.match(tag.group(0)) if tag else None
        if match is None:
            continue
        keyword = match.group(1)
        if keyword in OPENERS or (keyword == "set" and "=" not in line.split("%}")[0]):
            stack.append(number)
        elif keyword.startswith("end") and stack:
            stack.pop()
    return stack[-1] if stack else None


def describe_syntax_error(exc: jinja2.TemplateSyntaxError) -> tuple[str, list[str]]:
    """The message and surrounding text for a syntax error docxtpl raised while compiling."""
    from jinja2 import Environment, TemplateSyntaxError

    source = exc.source or ""
    lines = _lines(source)
    try:
        Environment().parse(lines)
    except TemplateSyntaxError as again:
        message, where = _explain(lines, again)
        return message, [where] if where else []
    return exc.message or str(exc), []


def describe_undefined(template: bytes, message: str) -> str:
    """The undefined-value message with the tags that ask for the missing name."""
    match = re.search(r"has no attribute '([^']+)'|^'([^']+)' is undefined", message)
    if match is None:
        return message
    name = match.group(1) or match.group(2)
    try:
        parts = template_parts(template)
    except TemplateError:
        return message
    found: dict[str, str] = {}  # tag -> the dotted path in it that ends in the name
    for part in parts:
        for tag in TAG.findall(part.source):
            path = re.search(rf"[\w.]*\b{re.escape(name)}\b", STRING.sub("", tag))
            if path:
                found.setdefault(tag, path.group(0))
    if not found:
        return message
    tags = list(found)[:3]
    return Message(
        "{name} is not in the data ({reason}), asked for in {tags}",
        name=found[tags[0]],
        reason=message,
        tags=", ".join(tags),
    )
