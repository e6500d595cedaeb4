"""The clause library's parsed form in the disk cache: a new process does not parse the
library's YAML again, and nothing in the folder can change a library or go unchecked."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from iopdocs import Agreement, render_contract
from iopdocs.documents import clauses, librarycache
from iopdocs.documents.clauses import ClauseLibrary, packaged_library, parse_library
from iopdocs.errors import ClauseError
from iopdocs.word import diskcache
from iopdocs.word.compiled import clear_cache
from tests.conftest import ROOT


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of this test's own, and nothing parsed or compiled in memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, str(folder))
    new_process()
    yield folder
    new_process()


def new_process() -> None:
    """What a new process starts with: nothing parsed or compiled in memory."""
    clauses._packaged.cache_clear()
    clear_cache()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The libraries whose YAML is parsed from here on (a hit in the cache parses none)."""
    import iopdocs.loading

    seen: list[str] = []
    original = iopdocs.loading.bounded_yaml

    def spy(text: str, **kwargs: object) -> object:
        seen.append(text)
        return original(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(iopdocs.loading, "bounded_yaml", spy)
    return seen


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.clauses"))


def packaged_bytes() -> bytes:
    return (ROOT / "src" / "iopdocs" / "documents" / "clauses" / "sv.yaml").read_bytes()


def same_library(one: ClauseLibrary, other: ClauseLibrary) -> bool:
    return one.clauses == other.clauses and one.source == other.source and one.name == other.name


def test_a_new_process_reads_the_parsed_library_instead_of_parsing_its_yaml(
    cache: Path, parses: list[str]
) -> None:
    first = packaged_library()
    assert len(parses) == 1
    assert len(entries(cache)) == 1

    new_process()
    again = packaged_library()
    assert len(parses) == 1, "read from the cache, not parsed"
    assert same_library(again, first)
    assert again.sha256 == first.sha256


def test_the_flagship_is_byte_identical_with_the_parsed_library_from_the_cache(
    cache: Path, flagship: Agreement, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, "off")
    without = render_contract(flagship)
    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, str(cache))
    new_process()
    cold = render_contract(flagship)
    new_process()
    parses.clear()
    warm = render_contract(flagship)
    assert parses == []
    assert without == cold == warm


def test_an_edited_library_gets_its_own_entry_and_its_own_clauses(
    cache: Path, parses: list[str]
) -> None:
    data = packaged_bytes()
    original = parse_library(data, name="sv")
    first = original.clauses[0]
    words = first.text.split("\n")[0].encode()
    assert data.count(words) >= 1
    edited = data.replace(words, words.upper(), 1)

    changed = parse_library(edited, name="sv")
    assert len(parses) == 2
    assert len(entries(cache)) == 2
    assert changed.clauses != original.clauses
    new_process()
    assert parse_library(edited, name="sv").clauses == changed.clauses
    assert parse_library(data, name="sv").clauses == original.clauses
    assert len(parses) == 2


def test_the_key_names_the_bytes_the_versions_and_the_format() -> None:
    data = packaged_bytes()
    assert librarycache.entry_key(data) == librarycache.entry_key(bytes(data))
    assert librarycache.entry_key(data) != librarycache.entry_key(data + b"\n")
    assert len(librarycache.entry_key(data)) == 64


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-100] + bytes(100), id="corrupted"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a cache entry at all", id="garbage"),
    ],
)
def test_a_damaged_entry_is_parsed_afresh_and_written_again(
    cache: Path, parses: list[str], damage: object
) -> None:
    expected = packaged_library()
    (entry,) = entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]

    new_process()
    assert same_library(packaged_library(), expected)
    assert len(parses) == 2
    new_process()
    assert same_library(packaged_library(), expected)
    assert len(parses) == 2  # the rewritten entry is read again


def test_a_tampered_entry_is_never_unmarshalled(
    cache: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone swaps in clauses of their own, keeping the header and guessing at the MAC: the
    entry is not read, and the library's own wording is parsed from its YAML."""
    expected = packaged_library()
    (entry,) = entries(cache)
    forged = (("intro.forged", "intro", "Parterna avstår från allt.", None, ""),)
    data = entry.read_bytes()
    header = data[: data.index(b"\n") + 1]  # the magic line; the HMAC-SHA256 follows
    entry.write_bytes(header + bytes(32) + marshal.dumps(forged))
    unmarshalled: list[bytes] = []
    monkeypatch.setattr(
        librarycache.marshal,
        "loads",
        lambda data: unmarshalled.append(data) or marshal.loads(data),
    )

    new_process()
    library = packaged_library()
    assert unmarshalled == []
    assert same_library(library, expected)
    assert library.get("intro.forged") is None
    assert len(parses) == 2


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(marshal.dumps([("a", "intro", "text", None, "")]), id="a list"),
        pytest.param(marshal.dumps((("a", "intro", "text", None),)), id="four fields"),
        pytest.param(marshal.dumps((("a", "intro", 3, None, ""),)), id="a number as text"),
        pytest.param(marshal.dumps((("a", "intro", "text", b"x", ""),)), id="bytes condition"),
        pytest.param(b"\xff\x00", id="not marshal"),
    ],
)
def test_an_entry_of_another_shape_reads_as_a_miss(
    cache: Path, parses: list[str], payload: bytes
) -> None:
    """Even an entry that verifies (written by this user) is used only when it holds clauses."""
    data = packaged_bytes()
    assert diskcache.write_entry(librarycache.entry_key(data), payload, ".clauses")
    library = parse_library(data, name="sv")
    assert len(parses) == 1
    assert library.clauses == packaged_library().clauses


def test_a_library_from_the_cache_is_still_checked_when_the_caller_asks(
    cache: Path, parses: list[str]
) -> None:
    """A library stored unchecked (``check=False``) is checked when it is read with the check:
    the cache keeps what the YAML says, never that it was found sound."""
    data = (
        b"clauses:\n"
        b"  - id: intro.odd\n"
        b"    section: intro\n"
        b"    text: '{{ agreement.no_such_field }}'\n"
    )
    unchecked = parse_library(data, check=False)
    assert len(entries(cache)) == 1
    assert unchecked.clauses[0].id == "intro.odd"
    with pytest.raises(ClauseError, match=r"intro\.odd"):
        parse_library(data)
    assert len(parses) == 1  # the second time from the cache, and checked all the same


def test_a_library_that_fails_its_check_is_not_stored(cache: Path) -> None:
    data = b"clauses:\n  - id: intro.x\n    section: nowhere\n    text: Hej\n"
    with pytest.raises(ClauseError, match="nowhere"):
        parse_library(data)
    assert entries(cache) == []


def test_a_read_only_cache_folder_leaves_the_library_parsed_as_before(
    cache: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(diskcache.tempfile, "mkstemp", read_only)
    library = packaged_library()
    new_process()
    assert same_library(packaged_library(), library)
    assert len(parses) == 2
    assert entries(cache) == []


def test_without_a_cache_folder_the_library_is_parsed_each_time(
    cache: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, "off")
    packaged_library()
    new_process()
    packaged_library()
    assert len(parses) == 2
    assert not cache.exists()


PARSE = """
import sys
from iopdocs.documents.clauses import packaged_library
library = packaged_library()
sys.stdout.write(repr(library.clauses))
"""


def test_processes_storing_the_same_library_at_once_all_read_the_same_clauses(
    cache: Path, parses: list[str]
) -> None:
    env = {**os.environ, diskcache.CACHE_DIR_ENV: str(cache), "PYTHONPATH": str(ROOT / "src")}
    processes = [
        subprocess.Popen([sys.executable, "-c", PARSE], stdout=subprocess.PIPE, env=env)
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert len(set(outputs)) == 1
    assert not list(cache.glob(".tmp-*"))  # no half-written entry left behind

    # Whoever won each rename, the entry left is whole: this process reads it, or (if the
    # secret was replaced under a writer) parses once more and rewrites it.
    library = packaged_library()
    assert repr(library.clauses).encode() == outputs[0]
    (entry,) = entries(cache)
    assert diskcache.read_entry(entry.stem, ".clauses") is not None
