"""An output that is one of the command's inputs is refused before anything is written: the
agreement, a document, a template, a clause library, report data, through a symlink or a hard
link too. Outputs never replace devices and never hide in dot-files."""

from __future__ import annotations

import os
from pathlib import Path

from iopdocs import render_contract
from iopdocs.loading import load_agreement
from tests.hostile.conftest import FLAGSHIP, files_in, iopdocs, refused

SECOND = FLAGSHIP.with_name("vgr-social-ekonomi-2024-v2.yaml")


def test_render_onto_its_own_agreement_is_refused_and_the_agreement_kept(
    agreement_file: Path,
) -> None:
    """``render a.yaml -o a.yaml`` used to replace the agreement with a .docx."""
    before = agreement_file.read_bytes()
    outcome = iopdocs("render", agreement_file, "-o", agreement_file)
    refused(outcome, "is the input", "avtal.yaml")
    assert agreement_file.read_bytes() == before
    assert files_in(agreement_file.parent) == ["avtal.yaml"]


def test_an_output_that_links_to_the_input_is_refused(agreement_file: Path) -> None:
    """A symlink and a hard link to the agreement are the agreement."""
    folder = agreement_file.parent
    (folder / "soft.docx").symlink_to(agreement_file)
    os.link(agreement_file, folder / "hard.docx")
    before = agreement_file.read_bytes()
    for name in ("soft.docx", "hard.docx"):
        refused(iopdocs("render", agreement_file, "-o", folder / name), "is the input")
    assert agreement_file.read_bytes() == before
    assert (folder / "soft.docx").is_symlink()


def test_extract_onto_the_document_it_reads_is_refused(tmp_path: Path) -> None:
    document = tmp_path / "avtal.docx"
    render_contract(load_agreement(FLAGSHIP), document)
    before = document.read_bytes()
    refused(iopdocs("extract", document, "-o", document), "is the input")
    assert document.read_bytes() == before


def test_a_redline_onto_the_newer_agreement_is_refused(tmp_path: Path) -> None:
    """``diff A B --redline B`` used to replace B."""
    old, new = tmp_path / "a.yaml", tmp_path / "b.yaml"
    old.write_bytes(FLAGSHIP.read_bytes())
    new.write_bytes(SECOND.read_bytes())
    before = new.read_bytes()
    refused(iopdocs("diff", old, new, "--redline", new), "is the input", "b.yaml")
    assert new.read_bytes() == before


def test_an_output_onto_the_template_or_the_clause_library_is_refused(
    agreement_file: Path, contract_docx: bytes
) -> None:
    folder = agreement_file.parent
    template = folder / "mall.docx"
    template.write_bytes(contract_docx)
    clauses = folder / "sv.yaml"
    library = Path(__file__).parents[2] / "src/iopdocs/documents/clauses/sv.yaml"
    clauses.write_bytes(library.read_bytes())
    refused(iopdocs("render", agreement_file, "--template", template, "-o", template), "mall.docx")
    refused(iopdocs("render", agreement_file, "--clauses", clauses, "-o", clauses), "sv.yaml")
    assert template.read_bytes() == contract_docx


def test_a_batch_whose_output_would_be_its_template_is_refused(
    agreement_file: Path, contract_docx: bytes
) -> None:
    """In a folder, ``avtal.yaml`` renders to ``avtal.docx``: that may not be the template."""
    folder = agreement_file.parent
    template = folder / "avtal.docx"
    template.write_bytes(contract_docx)
    second = folder / "b.yaml"
    second.write_bytes(SECOND.read_bytes())
    outcome = iopdocs("render", agreement_file, second, "--template", template, "-o", f"{folder}/")
    refused(outcome, "is the input")
    assert template.read_bytes() == contract_docx


def test_a_folder_named_like_a_pdf_is_not_filled_with_docx(agreement_file: Path) -> None:
    """``-o out.pdf`` where out.pdf is a folder used to write out.pdf/avtal.docx."""
    folder = agreement_file.parent / "out.pdf"
    folder.mkdir()
    refused(iopdocs("render", agreement_file, "-o", folder), "is a folder", "trailing slash")
    assert files_in(folder) == []


def test_agreement_files_named_only_by_their_suffix_give_no_hidden_outputs(
    agreement_file: Path,
) -> None:
    folder = agreement_file.parent
    for name in (".yaml", "..yaml"):
        hidden = folder / name
        hidden.write_bytes(agreement_file.read_bytes())
        out = folder / "out"
        refused(iopdocs("render", hidden, agreement_file, "-o", f"{out}/"), "hidden output")
        assert not out.exists() or files_in(out) == []


def test_an_output_never_replaces_a_device_or_pipe(agreement_file: Path) -> None:
    """``-o /dev/full`` used to replace the device with a regular file (as root); a pipe in the
    test's folder stands for every special file here."""
    pipe = agreement_file.parent / "pipe.docx"
    os.mkfifo(pipe)
    refused(iopdocs("render", agreement_file, "-o", pipe), "device, pipe or socket")
    assert pipe.is_fifo()


def test_an_output_in_a_missing_folder_is_a_usage_error(agreement_file: Path) -> None:
    refused(iopdocs("render", agreement_file, "-o", agreement_file.parent / "nej" / "a.docx"))
    assert files_in(agreement_file.parent) == ["avtal.yaml"]
