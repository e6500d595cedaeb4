"""The plain data the review appendix (Granskningsunderlag) template sees.

``review_context`` groups the findings of a review by severity and lists the checks that found
nothing, so the lawyer sees both what to look at and what was looked at.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from iopdocs.documents.context import display_name
from iopdocs.documents.formats import Formats
from iopdocs.model import Agreement, Status
from iopdocs.reviewing import Check, Finding, ReviewOptions, Severity
from iopdocs.reviewing.labels import label

__all__ = ["review_context", "where"]

_GROUPS = {
    Severity.ERROR: (
        "Fel",
        "Uppgifter som strider mot villkoren för ett IOP eller mot avtalet självt. De bör "
        "rättas innan avtalet undertecknas.",
    ),
    Severity.WARNING: (
        "Varningar",
        "Avvikelser från vägledningen för IOP eller bestämmelser som saknas. Bedöm om avtalet "
        "behöver ändras.",
    ),
    Severity.INFO: (
        "Upplysningar",
        "Uppgifter att känna till eller komplettera; de hindrar inte att avtalet ingås.",
    ),
}


def _rate(rate: Decimal) -> str:
    """Kronor per euro with at least two decimals and a decimal comma: ``11,00``."""
    shown = f"{rate:.2f}" if rate == rate.quantize(Decimal("0.01")) else f"{rate:f}"
    return shown.replace(".", ",")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_OVERRIDE = re.compile(r"^clause_overrides\[(\d+)\]")


def where(finding: Finding, agreement: Agreement) -> str:
    """Where in the contract a finding is: the standard clause by its id, the agreement's own
    wording for a clause, or the field by its Swedish label and path ("Fält: Syfte (purpose)")."""
    if finding.clause is not None:
        return f"Standardklausul: {finding.clause}"
    override = _OVERRIDE.match(finding.path)
    if override and int(override.group(1)) < len(agreement.clause_overrides):
        clause_id = agreement.clause_overrides[int(override.group(1))].id
        return f"Avtalsspecifik text för klausulen {clause_id} ({finding.path})"
    if not finding.path:
        return "Fält: avtalet som helhet"
    shown = label(finding.path)
    return f"Fält: {shown} ({finding.path})" if shown != finding.path else f"Fält: {finding.path}"


def review_context(
    agreement: Agreement,
    findings: list[Finding],
    passed: list[Check],
    options: ReviewOptions,
    formats: Formats,
) -> dict[str, Any]:
    """The template context for the review appendix of ``agreement``."""
    groups = []
    for severity, (heading, intro) in _GROUPS.items():
        by_check: dict[str, dict[str, Any]] = {}
        for f in findings:
            if f.severity is severity:
                entry = by_check.setdefault(
                    f.code, {"title": f.title, "code": f.code, "source": f.source, "findings": []}
                )
                entry["findings"].append({**f.as_dict(), "where": where(f, agreement)})
        if by_check:
            groups.append({"heading": heading, "intro": intro, "checks": list(by_check.values())})
    errors, warnings, infos = (sum(1 for f in findings if f.severity is s) for s in _GROUPS)
    total = len(passed) + len({f.code for f in findings})
    summary = (
        f"{_count(errors, 'fel', 'fel')}, {_count(warnings, 'varning', 'varningar')} och "
        f"{_count(infos, 'upplysning', 'upplysningar')}. {len(passed)} av {total} kontroller "
        "utan anmärkning."
    )
    sgei = [display_name(agreement.party(name)) for name in sorted(options.sgei)]
    return {
        "agreement": agreement.model_dump(),
        "doc": {
            "title": agreement.metadata.title,
            "date": agreement.document_date,
            "draft": agreement.metadata.status is Status.DRAFT,
            "parties_text": formats.and_list(
                f"{display_name(p)} ({p.short_name})" for p in agreement.parties
            ),
        },
        "review": {
            "summary": summary,
            "groups": groups,
            "passed": [{"title": c.title, "code": c.code, "source": c.source} for c in passed],
            "eur_rate": _rate(options.eur_rate),
            "sgei_text": formats.and_list(sgei),
        },
    }
