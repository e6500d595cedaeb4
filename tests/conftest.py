"""Shared fixtures: the flagship agreement, a small valid agreement to vary, and text readers."""

from __future__ import annotations

import atexit
import copy
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iopdocs import Agreement, load_agreement

# The tests (and the commands they start) keep compiled templates in a folder of their own, never
# in the user's cache.
_CACHE = tempfile.mkdtemp(prefix="iopdocs-test-cache-")
os.environ["IOPDOCS_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
# Messages follow the locale (iopdocs.i18n); the tests read the English ones unless they ask.
os.environ["LANGUAGE"] = "en"

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "vgr-social-ekonomi-2024.yaml"

MINIMAL: dict[str, Any] = {
    "metadata": {"title": "Partnerskap för läxhjälp", "case_number": "SN 2025/0042"},
    "challenge": "Många barn saknar stöd med skolarbetet hemma.",
    "purpose": "Att ge fler barn stöd med läxorna.",
    "parties": [
        {
            "kind": "public",
            "name": "Exempelkommunen",
            "short_name": "EK",
            "org_number": "212000-0142",
            "acting_body": "socialnämnden",
            "contacts": [{"name": "Karin Ek", "email": "karin.ek@example.se"}],
            "signatories": [{"name": "Lars Berg", "title": "Ordförande socialnämnden"}],
        },
        {
            "kind": "nonprofit",
            "name": "Läxhjälpsföreningen",
            "short_name": "LF",
            "org_number": "802418-4734",
            "contacts": [{"name": "Mona Lind"}],
            "signatories": [{"name": "Nils Sjö", "title": "Ordförande"}],
        },
    ],
    "period": {"start": "2025-01-01", "end": "2026-12-31"},
    "values": {"principles": ["dialog", "kvalitet"]},
    "target_group": "Barn i årskurs 4–9 i kommunen.",
    "mission": {"text": "Föreningen ordnar läxhjälp två kvällar i veckan."},
    "contributions": [
        {"parties": ["LF"], "in_kind": ["Frivilliga läxhjälpare"]},
        {
            "parties": ["EK"],
            "in_kind": ["Lokal i biblioteket"],
            "money": [{"amount": "120 000", "recipients": ["LF"], "purpose": "samordning"}],
        },
    ],
    "follow_up": {"report_due": "31 mars", "report_recipient": "Socialförvaltningen"},
}


@pytest.fixture
def minimal_data() -> dict[str, Any]:
    """A small valid agreement as plain data; each test gets its own copy to change."""
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def make_agreement(minimal_data: dict[str, Any]) -> Callable[..., Agreement]:
    """Build an agreement from the minimal data, with top-level sections replaced."""

    def build(**changes: Any) -> Agreement:
        return Agreement.model_validate({**minimal_data, **changes})

    return build


@pytest.fixture(scope="session")
def flagship() -> Agreement:
    return load_agreement(FLAGSHIP)


def docx_text(data: bytes) -> str:
    """The text of a .docx (body, headers, footers), as a reviewer would read it."""
    from docx2python import docx2python

    with docx2python(io.BytesIO(data)) as document:
        text: str = document.text
    # Word joiners and zero-width spaces hold facts together on a line (iopdocs.word.fixes);
    # a reader sees nothing of them.
    return text.replace("\u2060", "").replace("\u200b", "")


def compact(text: str) -> str:
    """Whitespace collapsed to single spaces (no-break spaces included)."""
    return " ".join(text.split())
