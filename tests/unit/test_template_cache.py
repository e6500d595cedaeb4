"""The on-disk cache of compiled templates: a new process skips compiling, and nothing in the
folder can change a document or run code it did not write itself."""

from __future__ import annotations

import io
import marshal
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from iopdocs import Agreement, render_contract
from iopdocs.documents.environment import make_environment, make_sandboxed_environment
from iopdocs.word import compiled, diskcache
from iopdocs.word.compiled import CompiledTemplate, clear_cache, compiled_template, disk_key
from tests.conftest import FLAGSHIP, ROOT


def small_template(text: str = "Avtal för {{ agreement.metadata.title }}") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of this test's own, and an empty in-memory cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, str(folder))
    clear_cache()
    yield folder
    clear_cache()


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The templates compiled from here on (a hit in either cache compiles nothing)."""
    seen: list[bytes] = []
    original = CompiledTemplate.compile.__func__  # type: ignore[attr-defined]

    def spy(cls: type[CompiledTemplate], template: bytes, env: object) -> CompiledTemplate:
        seen.append(template)
        return original(cls, template, env)  # type: ignore[no-any-return]

    monkeypatch.setattr(CompiledTemplate, "compile", classmethod(spy))
    return seen


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.tpl"))


def new_process() -> None:
    """What a new process starts with: nothing compiled in memory."""
    clear_cache()


def test_a_new_process_reads_the_compiled_template_instead_of_compiling_it(
    cache: Path, compiles: list[bytes]
) -> None:
    template, env = small_template(), make_environment("sv_SE")
    compiled_template(template, env)
    assert len(compiles) == 1
    assert len(entries(cache)) == 1

    new_process()
    assert compiled_template(template, env) is not None
    assert len(compiles) == 1


def test_the_flagship_is_byte_identical_without_the_cache_with_it_cold_and_with_it_warm(
    cache: Path, flagship: Agreement, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, "off")
    without = render_contract(flagship)
    assert not cache.exists()

    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, str(cache))
    new_process()
    cold = render_contract(flagship)
    new_process()
    warm = render_contract(flagship)
    assert len(entries(cache)) == 1
    assert without == cold == warm


def test_a_changed_template_gets_a_new_entry(cache: Path, compiles: list[bytes]) -> None:
    env = make_environment("sv_SE")
    compiled_template(small_template("Version 1 {{ agreement }}"), env)
    new_process()
    compiled_template(small_template("Version 2 {{ agreement }}"), env)
    assert len(compiles) == 2
    assert len(entries(cache)) == 2


def test_another_library_version_compiles_afresh(
    cache: Path, compiles: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    template, env = small_template(), make_environment("sv_SE")
    compiled_template(template, env)
    new_process()
    monkeypatch.setattr(compiled, "__version__", "99.0.0")
    compiled_template(template, env)
    assert len(compiles) == 2


def test_the_key_names_the_template_the_versions_and_the_environment() -> None:
    digest = b"\x00" * 32
    plain = disk_key(digest, make_environment("sv_SE"))
    assert disk_key(digest, make_environment("sv_SE")) == plain
    assert disk_key(b"\x01" * 32, make_environment("sv_SE")) != plain
    assert disk_key(digest, make_environment("en_GB")) != plain  # another locale
    assert disk_key(digest, make_sandboxed_environment("sv_SE")) != plain


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-100] + bytes(100), id="corrupted"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a cache entry at all", id="garbage"),
    ],
)
def test_a_damaged_entry_is_compiled_afresh_and_written_again(
    cache: Path, compiles: list[bytes], flagship: Agreement, damage: object
) -> None:
    expected = render_contract(flagship)
    (entry,) = entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]

    new_process()
    assert render_contract(flagship) == expected
    assert len(compiles) == 2
    new_process()
    assert render_contract(flagship) == expected
    assert len(compiles) == 2  # the rewritten entry is read again


def test_a_tampered_entry_is_never_unmarshalled_or_run(
    cache: Path, compiles: list[bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    template, env = small_template(), make_environment("sv_SE")
    compiled_template(template, env)
    (entry,) = entries(cache)
    # Someone swaps in code of their own, keeping the header and guessing at the MAC.
    marker = tmp_path / "ran"
    evil = compile(f"open({str(marker)!r}, 'w').close()", "<evil>", "exec")
    data = entry.read_bytes()
    header = data[: data.index(b"\n") + 1]  # the magic line; the HMAC-SHA256 follows
    entry.write_bytes(header + bytes(32) + marshal.dumps(evil))
    unmarshalled: list[bytes] = []
    monkeypatch.setattr(
        compiled.marshal, "loads", lambda data: unmarshalled.append(data) or marshal.loads(data)
    )

    new_process()
    assert compiled_template(template, env) is not None
    assert unmarshalled == []
    assert len(compiles) == 2
    assert not marker.exists()


def test_an_entry_moved_to_another_key_does_not_verify(cache: Path) -> None:
    assert diskcache.write_entry("a" * 64, b"payload of a")
    os.replace(cache / f"{'a' * 64}.tpl", cache / f"{'b' * 64}.tpl")
    assert diskcache.read_entry("b" * 64) is None


def test_a_folder_others_may_write_to_is_not_used(cache: Path) -> None:
    assert diskcache.write_entry("a" * 64, b"payload")
    cache.chmod(0o777)
    assert diskcache.read_entry("a" * 64) is None
    assert not diskcache.write_entry("a" * 64, b"payload")


def test_a_cache_folder_that_is_a_symlink_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Someone else may have pointed it at a folder of their own.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(elsewhere)
    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, str(tmp_path / "link"))
    assert not diskcache.write_entry("a" * 64, b"payload")
    assert diskcache.read_entry("a" * 64) is None
    assert list(elsewhere.iterdir()) == []


def test_a_cache_folder_that_cannot_be_made_leaves_the_in_memory_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flagship: Agreement
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, str(blocker / "cache"))
    new_process()
    expected = render_contract(flagship)
    assert render_contract(flagship) == expected


def test_a_read_only_cache_folder_leaves_the_in_memory_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[bytes]
) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(diskcache.tempfile, "mkstemp", read_only)
    template, env = small_template(), make_environment("sv_SE")
    assert compiled_template(template, env) is not None
    assert compiled_template(template, env) is not None
    assert len(compiles) == 1  # kept in memory all the same


def test_without_a_home_the_cache_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv(diskcache.CACHE_DIR_ENV)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(diskcache.Path, "home", no_home)
    assert diskcache.cache_folder() is None
    assert diskcache.read_entry("a" * 64) is None
    assert not diskcache.write_entry("a" * 64, b"payload")


def test_the_folder_follows_xdg_and_can_be_turned_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(diskcache.CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert diskcache.cache_folder() == tmp_path / "iopdocs"
    for off in ("off", "0", ""):
        monkeypatch.setenv(diskcache.CACHE_DIR_ENV, off)
        assert diskcache.cache_folder() is None


def test_the_folder_keeps_a_bounded_number_of_entries(cache: Path) -> None:
    for n in range(diskcache.MAX_ENTRIES + 5):
        assert diskcache.write_entry(f"{n:064x}", b"payload")
    assert len(entries(cache)) == diskcache.MAX_ENTRIES


RENDER = """
import sys
from iopdocs import load_agreement, render_contract
sys.stdout.buffer.write(render_contract(load_agreement(sys.argv[1])))
"""


def test_processes_writing_the_same_entry_at_once_all_render_the_same_bytes(
    cache: Path, flagship: Agreement
) -> None:
    env = {**os.environ, diskcache.CACHE_DIR_ENV: str(cache), "PYTHONPATH": str(ROOT / "src")}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RENDER, str(FLAGSHIP)], stdout=subprocess.PIPE, env=env
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert len(set(outputs)) == 1
    assert not list(cache.glob(".tmp-*"))  # no half-written entry left behind

    # Whoever won each rename, the entry left is whole: this process reads it, or (if the
    # secret was replaced under a writer) compiles once more and rewrites it.
    new_process()
    assert render_contract(flagship) == outputs[0]
    assert diskcache.read_entry(entries(cache)[0].stem) is not None


# --- The clause library's texts and conditions ----------------------------------------------


def snippet_entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.snippets"))


@pytest.fixture
def clause_compiles(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What the clause environment compiles from here on: a clause text, or the syntax tree of
    a condition (a hit in either cache compiles nothing)."""
    from iopdocs.documents.environment import make_clause_environment

    env = make_clause_environment("sv_SE")
    seen: list[object] = []
    original = env.compile

    def spy(source: object, *args: object, **kwargs: object) -> object:
        seen.append(source)
        return original(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(env, "compile", spy)
    return seen


def test_a_new_process_reads_the_clause_librarys_compiled_texts_and_conditions(
    cache: Path, clause_compiles: list[object], flagship: Agreement
) -> None:
    """Compiling a library's texts costs a new process some 80 ms: the first process stores
    them, compiled, as one entry; the next compiles none of them and renders the same bytes."""
    first = render_contract(flagship)
    assert len(snippet_entries(cache)) == 1
    assert clause_compiles, "the first process compiles"

    new_process()
    clause_compiles.clear()
    assert render_contract(flagship) == first
    assert clause_compiles == []


def test_an_edited_clause_library_gets_its_own_entry(
    cache: Path, clause_compiles: list[object], flagship: Agreement
) -> None:
    """A library whose wording changed is compiled afresh, and its contract shows the change."""
    from iopdocs.documents.clauses import packaged_library

    library = packaged_library()
    # A few words of one clause's text that occur once in the file.
    words = next(
        w
        for c in library.clauses
        for w in [" ".join(c.text.split()[:4]).encode()]
        if library.source.count(w) == 1
    )
    edited = library.source.replace(words, words.upper())
    render_contract(flagship)
    new_process()
    clause_compiles.clear()
    render_contract(flagship, clauses=edited)
    edited_text = words.upper().decode()
    assert any(isinstance(t, str) and edited_text in t for t in clause_compiles)
    assert len(snippet_entries(cache)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-100] + bytes(100), id="corrupted"),
        pytest.param(lambda data: b"not a cache entry at all", id="garbage"),
    ],
)
def test_a_damaged_clause_entry_is_compiled_afresh_and_written_again(
    cache: Path, clause_compiles: list[object], flagship: Agreement, damage: object
) -> None:
    expected = render_contract(flagship)
    (entry,) = snippet_entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]

    new_process()
    clause_compiles.clear()
    assert render_contract(flagship) == expected
    assert clause_compiles, "compiled afresh"
    new_process()
    clause_compiles.clear()
    assert render_contract(flagship) == expected
    assert clause_compiles == []  # the rewritten entry is read again


def test_without_a_cache_folder_clause_texts_are_compiled_as_they_are_used(
    cache: Path, clause_compiles: list[object], flagship: Agreement, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cache off nothing is compiled ahead: only the clauses a contract uses."""
    from iopdocs.documents.clauses import packaged_library

    monkeypatch.setenv(diskcache.CACHE_DIR_ENV, "off")
    render_contract(flagship)
    texts = [c.text for c in packaged_library().clauses]
    compiled_texts = [s for s in clause_compiles if isinstance(s, str)]
    assert 0 < len(compiled_texts) < len(texts)
