"""A review as terminal text, a Markdown table a lawyer can paste, or JSON with stable keys."""

from __future__ import annotations

import json

from iopdocs.i18n import N_, gettext, ngettext
from iopdocs.model import Agreement
from iopdocs.reviewing.findings import Check, Finding, Severity

__all__ = ["review_json", "review_markdown", "review_text", "summary"]

_SEVERITY_SV = {Severity.ERROR: "Fel", Severity.WARNING: "Varning", Severity.INFO: "Upplysning"}
# The severity that starts a finding's line in the terminal, in the language in use.
_SEVERITY_LINE = {
    Severity.ERROR: N_("error"),
    Severity.WARNING: N_("warning"),
    Severity.INFO: N_("info"),
}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary(findings: list[Finding], passed: list[Check]) -> dict[str, int]:
    """How many errors, warnings and infos, and how many checks passed of how many."""
    counts = {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}
    checks = len(passed) + len({f.code for f in findings})
    return {
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
        "checks": checks,
        "passed": len(passed),
    }


def review_text(findings: list[Finding], passed: list[Check]) -> str:
    """One line per finding (severity, code, path, message, quoted text), then a summary."""
    lines = []
    for f in findings:
        quote = f" Citat: ”{f.quote}”" if f.quote else ""
        advice = f" Förslag: {f.suggestion}" if f.suggestion else ""
        severity = gettext(_SEVERITY_LINE[f.severity])
        where = f.path or gettext("(agreement)")
        lines.append(f"{severity}: {f.code}: {where}: {f.message}{quote}{advice}")
    n = summary(findings, passed)
    counts = ", ".join(
        (
            ngettext("{n} error", "{n} errors", n["errors"]).format(n=n["errors"]),
            ngettext("{n} warning", "{n} warnings", n["warnings"]).format(n=n["warnings"]),
            ngettext("{n} info", "{n} infos", n["infos"]).format(n=n["infos"]),
        )
    )
    checks = ngettext(
        "{passed} of {n} check passed", "{passed} of {n} checks passed", n["checks"]
    ).format(passed=n["passed"], n=n["checks"])
    lines.append(f"{counts}; {checks}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def review_markdown(agreement: Agreement, findings: list[Finding], passed: list[Check]) -> str:
    """The review as Markdown: a heading, a summary, a table of findings and the passed checks."""
    meta = agreement.metadata
    n = summary(findings, passed)
    out = [f"# Granskning: {_cell(meta.title)}", ""]
    if meta.case_number:
        out += [f"Diarienummer: {_cell(meta.case_number)}", ""]
    out += [
        f"{n['errors']} fel, {_count(n['warnings'], 'varning', 'varningar')}, "
        f"{_count(n['infos'], 'upplysning', 'upplysningar')}; "
        f"{n['passed']} av {n['checks']} kontroller utan anmärkning.",
        "",
    ]
    if findings:
        out += ["| Allvarlighet | Kontroll | Fält | Iakttagelse | Källa |", "|---|---|---|---|---|"]
        for f in findings:
            text = f.message + (f" Citat: ”{f.quote}”" if f.quote else "")
            text += f" Förslag: {f.suggestion}" if f.suggestion else ""
            out.append(
                f"| {_SEVERITY_SV[f.severity]} | {_cell(f.title)} (`{f.code}`) | "
                f"`{f.path or '–'}` | {_cell(text)} | {_cell(f.source)} |"
            )
        out.append("")
    if passed:
        out += ["## Kontroller utan anmärkning", ""]
        out += [f"- {_cell(c.title)} (`{c.code}`)" for c in passed]
        out.append("")
    return "\n".join(out)


def review_json(agreement: Agreement, findings: list[Finding], passed: list[Check]) -> str:
    """The review as JSON: ``agreement``, ``summary``, ``findings`` and ``passed``."""
    data = {
        "agreement": {
            "title": agreement.metadata.title,
            "case_number": agreement.metadata.case_number,
            "date": agreement.document_date.isoformat(),
        },
        "summary": summary(findings, passed),
        "findings": [f.as_dict() for f in findings],
        "passed": [{"code": c.code, "title": c.title, "source": c.source} for c in passed],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
