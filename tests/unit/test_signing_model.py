"""How an agreement is signed: ``metadata.signing`` and the signatories' e-mail addresses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from iopdocs import Agreement, render_contract
from iopdocs.model import Signing
from tests.conftest import docx_text


def test_signing_is_ink_unless_the_agreement_says_electronic(
    make_agreement: Callable[..., Agreement], minimal_data: dict[str, Any]
) -> None:
    assert make_agreement().metadata.signing is Signing.INK
    electronic = make_agreement(metadata={**minimal_data["metadata"], "signing": "electronic"})
    assert electronic.metadata.signing is Signing.ELECTRONIC


def test_the_older_electronic_signing_flag_alone_means_electronic(
    make_agreement: Callable[..., Agreement],
) -> None:
    agreement = make_agreement(final_provisions={"electronic_signing": True})
    assert agreement.metadata.signing is Signing.ELECTRONIC


def test_ink_set_against_the_electronic_flag_is_an_error_naming_the_field(
    make_agreement: Callable[..., Agreement], minimal_data: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_agreement(
            metadata={**minimal_data["metadata"], "signing": "ink"},
            final_provisions={"electronic_signing": True},
        )
    (error,) = caught.value.errors()
    assert error["type"] == "signing_conflict"
    assert error["loc"] == ("metadata", "signing")


def test_a_signatory_email_must_look_like_an_address(minimal_data: dict[str, Any]) -> None:
    minimal_data["parties"][0]["signatories"][0]["email"] = "anna.at.kommunen.se"
    with pytest.raises(ValidationError) as caught:
        Agreement.model_validate(minimal_data)
    (error,) = caught.value.errors()
    assert error["loc"][-1] == "email"
    minimal_data["parties"][0]["signatories"][0]["email"] = "anna@kommunen.se"
    assert Agreement.model_validate(minimal_data).parties[0].signatories[0].email


def test_an_electronically_signed_contract_lists_signatories_without_ink_lines(
    minimal_data: dict[str, Any],
) -> None:
    """The signature page says the agreement is signed electronically and lists who signs; it
    has no lines for signatures, place or date, and never prints an e-mail address."""
    minimal_data["metadata"]["signing"] = "electronic"
    minimal_data["parties"][0]["signatories"][0]["email"] = "anna@kommunen.se"
    agreement = Agreement.model_validate(minimal_data)
    text = docx_text(render_contract(agreement))
    assert "undertecknas med elektroniska underskrifter" in text
    assert "Avtalet undertecknas elektroniskt av samtliga parter." in text
    assert "Ort och datum" not in text
    assert "likalydande exemplar" not in text
    assert "anna@kommunen.se" not in text
    for party in agreement.parties:
        for person in party.signatories:
            assert f"{person.name}, {person.title}, för {party.name}" in text
