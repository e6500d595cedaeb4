"""Placeholders left from the starter file: one detection, used by ``check`` and ``validate``.

A pure function of the model, kept here so that ``validate`` can warn without loading the
review.

``iopdocs new`` writes a starter agreement whose texts ask to be replaced ("Beskriv uppdraget i
stort.") and whose people are called "Förnamn Efternamn". A draft that still holds them is not
ready: ``iopdocs check`` reports each as an error and ``iopdocs validate`` as a warning, from the
same list.
"""

import re
from collections.abc import Iterator
from enum import Enum
from typing import NamedTuple

from pydantic import BaseModel

from iopdocs.model.agreement import Agreement

__all__ = ["Placeholder", "placeholders"]

# A person the starter leaves unnamed, in the ways drafts write it.
_NAME = re.compile(
    r"\b(?:förnamn\s+efternamn|efternamn,?\s+förnamn|namn\s+namnsson|n\.\s?n\.|nn\s+nn)\b"
    r"|^\s*(?:förnamn|efternamn|namn|nn|xx+|n\.n\.)\s*$",
    re.IGNORECASE,
)
# Text that tells the drafter what to write, as the starter's texts do.
_INSTRUCTION = re.compile(
    r"^\s*(?:beskriv|fyll\s+i|skriv\s+in|skriv\s+här|byt\s+ut|ersätt\s+denna|lägg\s+till|"
    r"ange\s+(?:här|vad|vilka|hur|varför))\b",
    re.IGNORECASE,
)
# Markers drafters leave where something is missing.
_MARKER = re.compile(
    r"\b(?:TODO|TBD|FIXME|XXX+)\b|\[\s*(?:\.\.\.|…|fyll i|ange)[^\]]*\]|<\s*(?:fyll i|ange)"
)


class Placeholder(NamedTuple):
    """A value that is still a placeholder: its field path and the text as written."""

    path: str
    text: str


def placeholders(agreement: Agreement) -> list[Placeholder]:
    """Every value of ``agreement`` that is a placeholder from the starter file, in field order."""
    return list(_walk(agreement, ""))


def _walk(value: object, path: str) -> Iterator[Placeholder]:
    if isinstance(value, Enum):
        return
    if isinstance(value, str):
        text = " ".join(value.split())
        if _NAME.search(text) or _INSTRUCTION.search(text) or _MARKER.search(text):
            yield Placeholder(path, text if len(text) <= 80 else text[:79] + "…")
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")
