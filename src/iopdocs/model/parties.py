"""Parties to the agreement and the people who act for them."""

from enum import StrEnum

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from iopdocs.model.accounts import PayeeAccount
from iopdocs.model.base import StrictModel
from iopdocs.model.types import OrgNumber, Text

__all__ = ["Contact", "Party", "PartyKind", "Signatory"]


class PartyKind(StrEnum):
    """Which side of the partnership a party is on."""

    PUBLIC = "public"
    """Offentlig part: a region, municipality or other public body."""
    NONPROFIT = "nonprofit"
    """Idéburen part: an association, foundation, cooperative or faith community."""


class Contact(StrictModel):
    """Kontaktperson: the person the other parties turn to in day-to-day matters."""

    name: Text
    title: Text | None = None
    email: Text | None = None
    phone: Text | None = None


class Signatory(StrictModel):
    """Firmatecknare: a person who signs the agreement on the party's behalf."""

    name: Text
    title: Text
    """The signatory's role, e.g. "Ordförande kulturnämnden"."""
    place: Text | None = None
    """Where the signatory signs, when known in advance; otherwise a blank line is left."""
    email: Text | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    """Where an e-signature service sends the invitation to sign (``iopdocs package``); never
    printed in the agreement."""


class Party(StrictModel):
    """Part: one organisation bound by the agreement."""

    kind: PartyKind
    name: Text
    short_name: Text = Field(max_length=20, pattern=r"^\S(.*\S)?$")
    """The short name used everywhere else in the agreement to refer to this party (GSE, VGR)."""
    org_number: OrgNumber
    acting_body: Text | None = None
    """For a public party: the committee it acts through, e.g. "kulturnämnden"."""
    address: Text | None = None
    payment_account: PayeeAccount | None = None
    """The account money to this party is paid to: bankgiro, plusgiro or IBAN ("bankgiro
    123-4566"), checked by its check digits; changed only by written notice signed by the
    party's signatory."""
    contacts: list[Contact] = Field(min_length=1)
    signatories: list[Signatory] = Field(min_length=1)

    @model_validator(mode="after")
    def _acting_body_is_public(self) -> "Party":
        if self.acting_body is not None and self.kind is not PartyKind.PUBLIC:
            raise PydanticCustomError(
                "acting_body_not_public",
                "only a public party acts through a committee; remove acting_body from '{name}'",
                {"name": self.short_name},
            )
        return self
