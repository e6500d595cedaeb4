"""The wording rules against a corpus of labelled Swedish contract sentences.

Each sentence of tests/corpus/review-sv.yaml is reviewed as a passage of a contract (with the
other sentences of that contract its entry names), and must give exactly the findings it is
labelled with: a missed finding and a false alarm both fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from iopdocs import Agreement, review
from iopdocs.reviewing import Passage
from iopdocs.reviewing.language import family_matches, lexicon
from iopdocs.reviewing.wording import (
    contradictions,
    market_activity,
    open_ended_extension,
    procurement_vocabulary,
)
from tests.conftest import MINIMAL

CORPUS = Path(__file__).parents[1] / "corpus" / "review-sv.yaml"
ENTRIES: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text("utf-8"))
RULES = (open_ended_extension, market_activity, procurement_vocabulary, contradictions)
CODES = {rule.code for rule in RULES}


def findings_for(entry: dict[str, Any]) -> set[str]:
    """The codes of the findings that quote the entry's sentence."""
    passages = [Passage("clause:corpus", entry["text"])]
    passages += [Passage(f"clause:context{i}", c) for i, c in enumerate(entry.get("context", []))]
    found = review(Agreement.model_validate(MINIMAL), checks=RULES, passages=passages)
    return {f.code for f in found if f.quote == entry["text"]}


def test_the_corpus_is_large_labelled_and_sourced() -> None:
    """At least 150 sentences, both ways, each with a source and only known rule codes."""
    assert len(ENTRIES) >= 150
    flagged = [e for e in ENTRIES if e["flags"]]
    clean = [e for e in ENTRIES if not e["flags"]]
    assert len(flagged) >= 60
    assert len(clean) >= 60
    for entry in ENTRIES:
        assert entry["source"].strip()
        assert set(entry["flags"]) <= CODES, entry["text"]
    assert len({e["text"] for e in ENTRIES}) == len(ENTRIES), "a sentence is listed twice"
    for code in CODES:
        assert any(code in e["flags"] for e in ENTRIES), f"no sentence must give {code}"


def test_the_guide_states_the_corpus_as_it_is() -> None:
    """docs/review.md gives the corpus's size both ways; this keeps the figures true."""
    guide = (Path(__file__).parents[2] / "docs" / "review.md").read_text("utf-8")
    flagged = sum(1 for e in ENTRIES if e["flags"])
    stated = f"holds {len(ENTRIES)} labelled Swedish sentences: {flagged} that must give a finding"
    assert stated in " ".join(guide.split())
    assert f"and {len(ENTRIES) - flagged} that must give none" in " ".join(guide.split())


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["text"][:60] for e in ENTRIES])
def test_each_sentence_gives_exactly_its_labelled_findings(entry: dict[str, Any]) -> None:
    """A labelled sentence gives its findings and no others."""
    assert findings_for(entry) == set(entry["flags"])


FLAGGED = [e for e in ENTRIES if e["flags"] and not e.get("context")]


@pytest.mark.parametrize("entry", FLAGGED, ids=[e["text"][:60] for e in FLAGGED])
def test_a_denial_before_men_never_hides_the_claim_that_follows(entry: dict[str, Any]) -> None:
    """Whatever a sentence flags, it still flags after a denied claim and "men" before it."""
    text = entry["text"]
    denied = {"text": f"Partnerskapet är inte en upphandling, men {text[0].lower()}{text[1:]}"}
    assert findings_for(denied) == set(entry["flags"])


FAMILIES = [f for f in lexicon().families if f.rule == "procurement_vocabulary"]
FORMS = sorted({(f.lemma, form) for f in FAMILIES for form in f.forms})


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FORMS), st.sampled_from(["", "Kommunen anser att "]))
def test_every_form_of_a_family_is_found_and_a_denial_in_its_claim_hides_it(
    lemma_form: tuple[str, str], lead: str
) -> None:
    """Any inflected form is found in a plain claim, and is denied when "inte" stands in the
    same claim, but not when the denial is in a claim of its own before "men"."""
    _, form = lemma_form
    plain = f"{lead}det gäller {form} i verksamheten."
    denied = f"{lead}det gäller inte {form} i verksamheten."
    after = f"Det gäller inte avtalet, men {form} gäller i verksamheten."
    for sentence, hidden in ((plain, False), (denied, True), (after, False)):
        found = [(m.text.lower(), m.denied) for _, m in family_matches(sentence, FAMILIES)]
        assert (form, hidden) in found, sentence
