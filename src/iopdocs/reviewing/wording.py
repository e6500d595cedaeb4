"""The rules that read the contract's wording: data and standard clauses alike.

Each rule reads the ``Subject``'s passages (the agreement's text fields and, when the review was
given the rendered contract, every standard clause with its id), sentence by sentence and claim
by claim (``language``). Titles, sources, severities, explanations and suggestions come from
``rules/sv.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache

from iopdocs.model import Agreement
from iopdocs.model.placeholders import placeholders
from iopdocs.reviewing.findings import (
    CLAUSE_PREFIX,
    Check,
    Note,
    Passage,
    Severity,
    Subject,
)
from iopdocs.reviewing.language import (
    RuleText,
    Variant,
    any_match,
    claim_at,
    claims,
    family_matches,
    lexicon,
    pattern_matches,
)
from iopdocs.reviewing.text import free_texts, sentences

__all__ = [
    "WORDING_CHECKS",
    "budget_reservation",
    "contract_sentences",
    "contradictions",
    "data_passages",
    "market_activity",
    "open_ended_extension",
    "procurement_vocabulary",
    "repayment",
    "retroactive_start",
    "sanctions_denied",
    "starter_placeholders",
]


def data_passages(agreement: Agreement) -> tuple[Passage, ...]:
    """The agreement's own text fields as passages (what a review reads without the clauses)."""
    return tuple(Passage(path, text) for path, text in free_texts(agreement))


def contract_sentences(s: Subject) -> list[tuple[str, str]]:
    """Every sentence of the contract with its origin, each once.

    A clause that repeats a field's text (``{{ agreement.period.extension }}``) gives no
    sentence of its own for it: the finding points to the field, where the drafter changes it.
    """
    passages = s.passages or data_passages(s.agreement)
    fields = [p for p in passages if not p.origin.startswith(CLAUSE_PREFIX)]
    field_sentences = [sentence for p in fields for sentence in sentences(p.text)]
    result: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for passage in passages:
        from_clause = passage.origin.startswith(CLAUSE_PREFIX)
        for sentence in sentences(passage.text):
            if from_clause and any(f in sentence for f in field_sentences):
                continue
            if (passage.origin, sentence) not in seen:
                seen.add((passage.origin, sentence))
                result.append((passage.origin, sentence))
    return result


def _severity(variant: Variant) -> Severity:
    return Severity(variant.severity)


def _note(variant: Variant, origin: str, quote: str | None = None, **values: str) -> Note:
    return Note(
        _severity(variant),
        origin,
        variant.explanation.format(**values),
        quote,
        variant.suggestion.format(**values) or None,
    )


def _rule_check(code: str) -> Callable[[Callable[[Subject], Iterable[Note]]], Check]:
    rule: RuleText = lexicon().rule(code)

    def wrap(find: Callable[[Subject], Iterable[Note]]) -> Check:
        return Check(code=code, title=rule.title, source=rule.source, find=find)

    return wrap


def _rule(code: str) -> RuleText:
    return lexicon().rule(code)


# --- Words and phrases ---------------------------------------------------------------------------


def sanctions_denied(s: Subject, pairs: list[tuple[str, str]] | None = None) -> bool:
    """Whether the contract says that no sanctions apply (in a clause, a field or the model)."""
    denial = _rule("contradiction").variants["sanctions"].lists["denial"]
    if not s.whole_contract:
        return s.agreement.conditions.no_sanctions
    pairs = contract_sentences(s) if pairs is None else pairs
    return any(any_match(sentence, denial) for _, sentence in pairs)


@_rule_check("procurement_vocabulary")
def procurement_vocabulary(s: Subject) -> Iterator[Note]:
    lex = lexicon()
    pairs = contract_sentences(s)
    families = [f for f in lex.families if f.rule == "procurement_vocabulary"]
    if sanctions_denied(s, pairs):
        # Sanctions beside a clause that excludes them are a contradiction, reported there.
        families = [f for f in families if f.advice != lex.advice["sanctions"]]
    variant = _rule("procurement_vocabulary").default
    legal = variant.lists["legal_context"]
    for origin, sentence in pairs:
        if any_match(sentence, legal):
            continue
        words: list[str] = []
        advice: list[str] = []
        for family, match in family_matches(sentence, families, lex):
            if match.denied or match.text.lower() in {w.lower() for w in words}:
                continue
            words.append(match.text)
            if family.advice not in advice:
                advice.append(family.advice)
        if words:
            # One finding per sentence, naming each word: the lawyer rewrites the sentence.
            quoted = [f"”{w}”" for w in words]
            text = (
                variant.explanation.format(word=words[0])
                if len(words) == 1
                else _rule("procurement_vocabulary")
                .texts["explanation_plural"]
                .format(words=", ".join(quoted[:-1]) + " och " + quoted[-1])
            )
            yield Note(
                _severity(variant),
                origin,
                text,
                sentence,
                " ".join(advice),
            )


_SUBJECT = re.compile(r"avtal|partnerskap|överenskommels|samarbet|period|\bdet\b|\bden\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_LOOK_BACK = 12  # characters before the extension word where a limit may stand ("som mest")


def _extension_claims(
    pairs: list[tuple[str, str]],
) -> Iterator[tuple[str, str, bool, bool]]:
    """Each sentence that extends the agreement, with whether its wording is open-ended and
    whether it states a limit."""
    rule = _rule("open_ended_extension")
    lists = rule.variants["open"].lists
    for origin, sentence in pairs:
        if not _SUBJECT.search(sentence.lower()):
            continue
        about = [m for m in pattern_matches(sentence, lists["about"]) if not m.denied]
        if not about:
            continue
        opened = any(not m.denied for m in pattern_matches(sentence, lists["open"]))
        # A limit counts where it bounds the extension: in its claim or after it, not in the
        # period that comes before ("gäller till och med 2027-12-31 och kan därefter förlängas").
        claim = claim_at(claims(sentence), about[0].start)
        start = max(claim.start if claim else 0, about[0].start - _LOOK_BACK)
        limited = any_match(sentence[start:], lists["limits"])
        yield origin, sentence, opened, limited


@_rule_check("open_ended_extension")
def open_ended_extension(s: Subject) -> Iterator[Note]:
    rule = _rule("open_ended_extension")
    found = list(_extension_claims(contract_sentences(s)))
    any_limit = any(limited for *_, limited in found)
    for origin, sentence, opened, limited in found:
        if opened and not limited:
            yield _note(rule.variants["open"], origin, sentence)
        elif not limited and not any_limit and not _YEAR.search(sentence):
            yield _note(rule.variants["unlimited"], origin, sentence)


@cache
def _money() -> re.Pattern[str]:
    """Words and figures that make a sentence speak of money (the ``money`` slot)."""
    return re.compile(r"\b" + lexicon().slots["money"] + r"\b")


@_rule_check("market_activity")
def market_activity(s: Subject) -> Iterator[Note]:
    rule = _rule("market_activity")
    for origin, sentence in contract_sentences(s):
        for variant in rule.variants.values():
            if variant.needs_money and not _money().search(sentence.lower()):
                continue
            found = [
                *pattern_matches(sentence, variant.patterns),
                *pattern_matches(sentence, variant.lists.get("cased", ()), cased=True),
            ]
            if any(not m.denied for m in found):
                yield _note(variant, origin, sentence)


@_rule_check("contradiction")
def contradictions(s: Subject) -> Iterator[Note]:
    rule = _rule("contradiction")
    pairs = contract_sentences(s)
    sanctions = rule.variants["sanctions"]
    one_sided = rule.variants["one_sided_termination"]
    if sanctions_denied(s, pairs):
        for origin, sentence in pairs:
            if any_match(sentence, sanctions.lists["denial"]):
                continue
            if any(not m.denied for m in pattern_matches(sentence, sanctions.patterns)):
                yield _note(sanctions, origin, sentence)
            elif any(not m.denied for m in pattern_matches(sentence, one_sided.patterns)):
                yield _note(one_sided, origin, sentence)
    continuation = rule.variants["continuation"]
    extends = any(
        not any_match(sentence, continuation.patterns)
        for _, sentence, _, _ in _extension_claims(pairs)
    ) or bool(s.agreement.period.extension)
    if extends:
        for origin, sentence in pairs:
            if any_match(sentence, continuation.patterns) and not any_match(
                sentence, continuation.lists["allowed"]
            ):
                yield _note(continuation, origin, sentence)


# --- What the contract must say ------------------------------------------------------------------


@_rule_check("retroactive_start")
def retroactive_start(s: Subject) -> Iterator[Note]:
    rule = _rule("retroactive_start")
    dated, start = s.agreement.document_date, s.agreement.period.start
    if dated <= start:
        return
    before = sorted({i.date for i in s.schedule.instalments if i.date < dated})
    values = {"date": dated.isoformat(), "start": start.isoformat()}
    if before:
        shown = ", ".join(d.isoformat() for d in before[:3]) + (" …" if len(before) > 3 else "")
        yield _note(rule.variants["paid_before"], "metadata.date", None, dates=shown, **values)
    else:
        yield _note(rule.variants["dated_late"], "metadata.date", None, **values)


def _says(s: Subject, patterns: Iterable[re.Pattern[str]]) -> bool:
    compiled = tuple(patterns)
    return any(
        any(not m.denied for m in pattern_matches(sentence, compiled))
        for _, sentence in contract_sentences(s)
    )


@_rule_check("repayment_missing")
def repayment(s: Subject) -> Iterator[Note]:
    # Without the standard clauses, the packaged library's repayment clause is taken as given.
    if not s.schedule or not s.whole_contract:
        return
    variant = _rule("repayment_missing").default
    if not _says(s, variant.patterns):
        yield _note(variant, "conditions.repayment_days")


@_rule_check("budget_reservation_missing")
def budget_reservation(s: Subject) -> Iterator[Note]:
    years = sorted(s.schedule.by_year)
    if len(years) < 2:
        return
    variant = _rule("budget_reservation_missing").default
    stated = (
        _says(s, variant.patterns) if s.whole_contract else s.agreement.payment.budget_reservation
    )
    if not stated:
        shown = ", ".join(str(y) for y in years)
        yield _note(variant, "payment.budget_reservation", None, years=shown)


@_rule_check("starter_placeholder")
def starter_placeholders(s: Subject) -> Iterator[Note]:
    variant = _rule("starter_placeholder").default
    for found in placeholders(s.agreement):
        yield _note(variant, found.path, found.text, text=found.text)


WORDING_CHECKS: tuple[Check, ...] = (
    open_ended_extension,
    market_activity,
    procurement_vocabulary,
    contradictions,
    retroactive_start,
    repayment,
    budget_reservation,
    starter_placeholders,
)
