"""Reading Swedish contract language: claims, their denials, word families and phrases.

The vocabulary, the phrases and the rule texts are data (``rules/sv.yaml``), so that a lawyer can
read and change them; this module only knows how Swedish sentences are built:

- A sentence holds one or more *claims*. A claim ends at a contrast ("men", "dock"), at a
  subordinate clause ("om ingen part säger upp det", "som inte har använts"), at a semicolon or
  colon, at "och"/"samt"/"eller" when both sides have a finite verb of their own, and at "utan"
  after a denial ("inte ett köp utan ett bidrag").
- A denial ("inte", "ingen", "aldrig" …) denies the claim it stands in, wherever in the claim,
  and nothing else: "Avtalet är inte en upphandling, men leverantörens ersättning …" still
  speaks of an ersättning. "utan" denies only the words right after it ("utan ersättning").
- A word belongs to a family when it is one of the family's inflected forms, or a compound
  that ends or begins with one ("driftsersättningen", "ersättningsnivå") as the family allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

__all__ = [
    "Claim",
    "Family",
    "Lexicon",
    "Match",
    "RuleText",
    "Variant",
    "claims",
    "family_matches",
    "lexicon",
    "pattern_matches",
]

_TOKEN = re.compile(r"\w+|[;:()\u2013\u2014]|,")
_HARD_STOP = frozenset(";:()\u2013\u2014")


@dataclass(frozen=True, slots=True)
class Family:
    """A word family: every inflected form, and whether it may end or begin a compound."""

    lemma: str
    rule: str
    forms: frozenset[str]
    compound: str
    advice: str
    other_senses: tuple[re.Pattern[str], ...] = ()
    """Wording in which a form of the word means something else ("Avtalet ersätter tidigare
    överenskommelser"): a sentence with one of these is not searched for the family."""

    def matches(self, word: str) -> bool:
        """Whether ``word`` (lower case) is a form of this family or a compound of one."""
        return self.pattern.fullmatch(word) is not None

    @property
    def pattern(self) -> re.Pattern[str]:
        return _family_pattern(self.forms, self.compound)


@cache
def _family_pattern(forms: frozenset[str], compound: str) -> re.Pattern[str]:
    """One expression for every form of a family and, as allowed, the compounds it makes: a
    form of four letters or more may end a compound after two letters or begin one before
    four."""
    every = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    long = "|".join(sorted((re.escape(f) for f in forms if len(f) >= 4), key=len, reverse=True))
    options = [f"(?:{every})"]
    if long and compound in ("head", "both"):
        options.append(f"\\w{{2,}}(?:{long})")
    if long and compound in ("modifier", "both"):
        options.append(f"(?:{long})\\w{{4,}}")
    return re.compile("|".join(options))


@dataclass(frozen=True, slots=True)
class Variant:
    """One way a rule fires: its severity, the risk explained, the change suggested, and the
    phrases that make it fire."""

    name: str
    severity: str
    explanation: str
    suggestion: str
    patterns: tuple[re.Pattern[str], ...] = ()
    lists: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    needs_money: bool = False


@dataclass(frozen=True, slots=True)
class RuleText:
    """A rule's title, source and variants as the YAML file gives them (a rule without
    ``variants`` has one, named ``default``)."""

    code: str
    title: str
    source: str
    variants: Mapping[str, Variant]
    texts: Mapping[str, str] = field(default_factory=dict)
    """Further texts of the rule that its variants share (``facts`` of de minimis)."""

    @property
    def default(self) -> Variant:
        return next(iter(self.variants.values()))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the rules file holds."""

    negations: frozenset[str]
    without: str
    without_reach: int
    boundaries: frozenset[str]
    coordinators: frozenset[str]
    finite_verbs: frozenset[str]
    families: tuple[Family, ...]
    advice: Mapping[str, str]
    rules: Mapping[str, RuleText]
    slots: Mapping[str, str]

    def rule(self, code: str) -> RuleText:
        return self.rules[code]


def _compile(patterns: Sequence[str], slots: Mapping[str, str]) -> tuple[re.Pattern[str], ...]:
    result = []
    for pattern in patterns:
        for name, value in slots.items():
            pattern = pattern.replace("{" + name + "}", value)
        result.append(re.compile(pattern))
    return tuple(result)


_VARIANT_KEYS = {"severity", "explanation", "suggestion", "patterns", "needs_money"}


def _variant(name: str, raw: Mapping[str, Any], slots: Mapping[str, str]) -> Variant:
    lists = {
        key: _compile(value, slots)
        for key, value in raw.items()
        if key not in _VARIANT_KEYS and isinstance(value, list)
    }
    return Variant(
        name=name,
        severity=str(raw["severity"]),
        explanation=" ".join(str(raw["explanation"]).split()),
        suggestion=" ".join(str(raw.get("suggestion") or "").split()),
        patterns=_compile(raw.get("patterns") or (), slots),
        lists=lists,
        needs_money=bool(raw.get("needs_money")),
    )


def _rule(code: str, raw: Mapping[str, Any], slots: Mapping[str, str]) -> RuleText:
    variants: dict[str, Variant] = {}
    shared = {k: v for k, v in raw.items() if k not in ("title", "source", "variants")}
    if "variants" in raw:
        for name, body in raw["variants"].items():
            variants[name] = _variant(name, {**shared, **body}, slots)
    else:
        variants["default"] = _variant("default", shared, slots)
    texts = {
        str(k): " ".join(v.split())
        for k, v in shared.items()
        if isinstance(v, str) and k not in _VARIANT_KEYS
    }
    return RuleText(
        code=code,
        title=str(raw["title"]),
        source=str(raw["source"]),
        variants=variants,
        texts=texts,
    )


def parse_lexicon(raw: Mapping[str, Any]) -> Lexicon:
    """The lexicon of a parsed rules file."""
    language = raw["language"]
    slots = {str(k): str(v) for k, v in raw.get("slots", {}).items()}
    families = []
    for entry in raw["families"]:
        forms = {
            (stem + str(ending)).lower()
            for stem, endings in entry["stems"].items()
            for ending in endings
        }
        families.append(
            Family(
                lemma=str(entry["lemma"]),
                rule=str(entry["rule"]),
                forms=frozenset(forms),
                compound=str(entry.get("compound", "none")),
                advice=str(raw["advice"][entry["advice"]]),
                other_senses=_compile(entry.get("other_senses") or (), slots),
            )
        )
    return Lexicon(
        negations=frozenset(language["negations"]),
        without=str(language["without"]),
        without_reach=int(language["without_reach"]),
        boundaries=frozenset(language["boundaries"]),
        coordinators=frozenset(language["coordinators"]),
        finite_verbs=frozenset(language["finite_verbs"]),
        families=tuple(families),
        advice={str(k): str(v) for k, v in raw["advice"].items()},
        rules={code: _rule(code, body, slots) for code, body in raw["rules"].items()},
        slots=slots,
    )


@cache
def lexicon(language: str = "sv") -> Lexicon:
    """The packaged lexicon and rule texts for ``language``."""
    import yaml

    data = (
        resources.files("iopdocs.reviewing").joinpath(f"rules/{language}.yaml").read_text("utf-8")
    )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return parse_lexicon(yaml.load(data, Loader=loader))


# --- Claims --------------------------------------------------------------------------------------


class Token(NamedTuple):
    text: str
    lower: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    """A stretch of a sentence that asserts one thing, and whether it is denied."""

    start: int
    end: int
    tokens: tuple[Token, ...]
    contrast: bool = False
    """Started by "utan" after a denial: the positive half of "inte A utan B"."""

    def denied(self, lex: Lexicon, span: tuple[int, int] = (0, 0)) -> bool:
        """Whether a denial in this claim, outside ``span`` (a match's offsets), denies it."""
        for i, token in enumerate(self.tokens):
            if span[0] <= token.start < span[1]:
                continue
            if token.lower in lex.negations:
                return True
            if token.lower == lex.without and not (self.contrast and i == 0):
                # "utan" denies only what closely follows it.
                after = list(self.tokens[i + 1 : i + 1 + lex.without_reach])
                if any(span[0] <= t.start < span[1] for t in after) and span[0] > token.start:
                    return True
        return False


def _tokens(sentence: str) -> list[Token]:
    return [
        Token(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)
    ]


def _has_verb(tokens: Sequence[Token], lex: Lexicon) -> bool:
    return any(t.lower in lex.finite_verbs for t in tokens)


def _until_stop(tokens: Sequence[Token], i: int) -> list[Token]:
    out = []
    for t in tokens[i:]:
        if t.text in _HARD_STOP or t.text == ",":
            break
        out.append(t)
    return out


def _inside_till_och_med(tokens: Sequence[Token], i: int) -> bool:
    """Whether the "och" at ``i`` is the one of "till och med", which joins no claims."""
    before = tokens[i - 1].lower if i > 0 else ""
    after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    return before == "till" and after == "med"


def claims(sentence: str, lex: Lexicon | None = None) -> tuple[Claim, ...]:
    """The claims of ``sentence``, in order."""
    if lex is None:
        return _claims(sentence)
    return _read_claims(sentence, lex)


@lru_cache(maxsize=4096)
def _claims(sentence: str) -> tuple[Claim, ...]:
    return _read_claims(sentence, lexicon())


def _read_claims(sentence: str, lex: Lexicon) -> tuple[Claim, ...]:
    tokens = _tokens(sentence)
    result: list[Claim] = []
    current: list[Token] = []
    contrast = False

    def close() -> None:
        nonlocal current, contrast
        words = [t for t in current if t.text not in _HARD_STOP and t.text != ","]
        if words:
            result.append(Claim(words[0].start, words[-1].end, tuple(words), contrast))
        current, contrast = [], False

    subordinate_verb = False  # the current claim is a subordinate clause that has its verb
    for i, token in enumerate(tokens):
        word = token.lower
        if token.text in _HARD_STOP:
            close()
            subordinate_verb = False
            continue
        if word in lex.finite_verbs and current and current[0].lower in lex.boundaries:
            if subordinate_verb:
                # "Om avtalet inte sägs upp förlängs det": the main clause's verb comes first.
                close()
                subordinate_verb = False
            else:
                subordinate_verb = True
        if token.text == ",":
            nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
            if (
                nxt in lex.boundaries
                or nxt in lex.negations
                or nxt in lex.finite_verbs
                or nxt in ("att", lex.without)
                or (nxt in lex.coordinators and _has_verb(_until_stop(tokens, i + 2), lex))
            ):
                close()
            else:
                current.append(token)
            continue
        if (
            word == "men"
            or (word in ("dock", "däremot") and current)
            or (word in lex.boundaries and current and _has_verb(_until_stop(tokens, i + 1), lex))
        ):
            close()
        elif word == lex.without and any(t.lower in lex.negations for t in current):
            close()
            contrast = True
        elif (
            word in lex.coordinators
            and not (
                i > 0
                and not _inside_till_och_med(tokens, i)
                and i + 1 < len(tokens)
                and tokens[i + 1].lower == "med"
            )
            and current
            and _has_verb(current, lex)
            and (
                _has_verb(_until_stop(tokens, i + 1), lex)
                or (i + 1 < len(tokens) and tokens[i + 1].lower in ("att", "som"))
            )
        ):
            close()
            continue
        current.append(token)
    close()
    return tuple(result)


def claim_at(claim_list: Sequence[Claim], offset: int) -> Claim | None:
    """The claim that holds the character at ``offset``."""
    for claim in claim_list:
        if claim.start <= offset < claim.end:
            return claim
    return None


# --- Matching ------------------------------------------------------------------------------------


class Match(NamedTuple):
    """A word or phrase found in a sentence, where, and whether its claim denies it."""

    text: str
    start: int
    end: int
    denied: bool


def family_matches(
    sentence: str, families: Sequence[Family], lex: Lexicon | None = None
) -> Iterator[tuple[Family, Match]]:
    """Every word of ``sentence`` that belongs to one of ``families``, with its family."""
    lex = lex or lexicon()
    found = claims(sentence)
    lower_sentence = sentence.lower()
    usable = [f for f in families if not any(p.search(lower_sentence) for p in f.other_senses)]
    for m in re.finditer(r"\w+", sentence):
        lower = m.group().lower()
        for family in usable:
            if family.matches(lower):
                claim = claim_at(found, m.start())
                denied = claim is not None and claim.denied(lex, (m.start(), m.end()))
                yield family, Match(m.group(), m.start(), m.end(), denied)
                break


def pattern_matches(
    sentence: str,
    patterns: Sequence[re.Pattern[str]],
    lex: Lexicon | None = None,
    *,
    cased: bool = False,
) -> Iterator[Match]:
    """Every phrase of ``sentence`` that one of ``patterns`` finds, each once: in lower case, or
    as written with ``cased`` (for "LOV", which is not "lov")."""
    lex = lex or lexicon()
    lower = sentence if cased else sentence.lower()
    found = claims(sentence)
    seen: set[tuple[int, int]] = set()
    for pattern in patterns:
        for m in pattern.finditer(lower):
            if (m.start(), m.end()) in seen or m.end() == m.start():
                continue
            seen.add((m.start(), m.end()))
            # A pattern may name the word its claim is about: (?P<at>…).
            start, end = m.span("at") if "at" in pattern.groupindex else m.span()
            claim = claim_at(found, start)
            denied = claim is not None and claim.denied(lex, (start, end))
            yield Match(sentence[start:end], start, end, denied)


def any_match(sentence: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    """Whether one of ``patterns`` occurs in ``sentence`` at all, denied or not."""
    lower = sentence.lower()
    return any(p.search(lower) for p in patterns)
