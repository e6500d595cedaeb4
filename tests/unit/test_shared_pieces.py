"""A part in pieces: what many documents share is deflated once, and the part stays exact.

A contract carries the whole clause library in its provenance part: the same bytes in every
contract rendered with that library. ``Pieces`` lets that piece be deflated once per process;
the part's bytes must still read back exactly, and must not depend on what the memo held.
"""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st

from iopdocs.word import customxml, package
from iopdocs.word.package import Pieces, store_pieces

PIECES = st.lists(st.binary(max_size=3000) | st.just(b"abc" * 4000), min_size=1, max_size=5)


@given(PIECES, st.data())
def test_pieces_inflate_to_the_whole_part_whichever_are_shared(
    pieces: list[bytes], data: st.DataObject
) -> None:
    """Whichever pieces are shared (none, some, the first, the last, all), the member inflates
    to the pieces joined, with their CRC and size; and the same pieces give the same bytes
    whether the shared ones were deflated just now or taken from the memo."""
    shared = data.draw(st.sets(st.integers(0, len(pieces) - 1)))
    part = Pieces(tuple(pieces), frozenset(shared))
    first = store_pieces("customXml/item1.xml", part)
    assert zlib.decompress(first.compressed, -15) == part.joined()
    assert first.crc == zlib.crc32(part.joined())
    assert first.size == len(part.joined())
    package._shared_stream.cache_clear()
    assert store_pieces("customXml/item1.xml", part) == first
    assert store_pieces("customXml/item1.xml", part) == first  # from the memo


TEXT = st.text(st.characters(codec="utf-8"), max_size=300) | st.sampled_from(
    ["", "a & b < c > d", "rad\r\nrad", "\"citat\" och 'apostrof'", "\ufffe", "\x00", "\u2028"]
)


@given(TEXT, TEXT, st.booleans())
def test_the_provenance_part_written_from_strings_is_what_lxml_writes(
    agreement: str, clauses: str, with_clauses: bool
) -> None:
    """The provenance part is written from strings, the clause library as a shared piece; its
    bytes are those lxml writes for the same data, and what lxml refuses (characters XML does
    not allow) is refused with lxml's error."""
    data = {"agreement": agreement.encode("utf-8")}
    if with_clauses:
        data["clauses"] = clauses.encode("utf-8")
    try:
        expected = customxml._provenance_xml_tree(data)
    except ValueError as exc:
        refused = type(exc)
        try:
            customxml._provenance_xml(data)
        except refused:
            return
        raise AssertionError("a text lxml refuses was written") from None
    part = customxml._provenance_xml(data)
    assert part.joined() == expected
    if with_clauses and part.shared:  # an empty library text is written by lxml, unshared
        (index,) = part.shared
        assert part.pieces[index].startswith(b"<clauses ")


@given(
    st.dictionaries(
        st.text("abcXYZ09_.-& ", min_size=1, max_size=12),
        TEXT | st.integers() | st.booleans(),
        max_size=6,
    )
)
def test_the_custom_properties_written_from_strings_are_what_lxml_writes(
    properties: dict[str, str | int],
) -> None:
    """A document's ``iopdocs.*`` properties are written from strings; the bytes are those lxml
    writes for the same properties, and what lxml refuses is refused with lxml's error."""
    try:
        expected = customxml._custom_properties_tree(None, properties)
    except ValueError as exc:
        refused = type(exc)
        try:
            customxml._custom_properties_xml(None, properties)
        except refused:
            return
        raise AssertionError("a text lxml refuses was written") from None
    assert customxml._custom_properties_xml(None, properties) == expected
