"""The other end of ``iopdocs.pdf.warm``: one LibreOffice, driven over its own remote protocol.

Run by an interpreter that has LibreOffice's Python bridge (``uno``; Debian: python3-uno), not by
the project's virtual environment, which cannot have it::

    /usr/bin/python3 _uno_bridge.py PIPE_NAME SOFFICE_PGID START_TIMEOUT WORK_FOLDER

It connects to the soffice already listening on ``--accept=pipe,name=PIPE_NAME;urp;``, says
``{"ready": true}`` on stdout, then reads one JSON request a line from stdin and answers each with
one JSON line::

    {"source": "/abs/in.docx", "target": "/abs/out.pdf", "filter": {"SelectPdfVersion": 3, ...}}
    -> {"ok": true}  |  {"error": "...", "fatal": false}

``fatal`` means LibreOffice itself is gone (crashed or killed): this process then exits and the
caller starts a new pair. When stdin closes, or this bridge is handed to a new parent, the caller
was killed: it stops the soffice process group and removes the profile folder, so no LibreOffice
outlives the program that wanted it.

Only the standard library and ``uno`` are imported here: it runs outside the package.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> Any:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def _say(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _connect(pipe: str, deadline: float) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
        except Exception:  # LibreOffice is still starting: it listens once it is up
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _alive(desktop: Any) -> bool:
    """Whether LibreOffice still answers: after a failed conversion, tells a bad document from a
    LibreOffice that crashed or was killed."""
    try:
        desktop.getFrames()
    except Exception:
        return False
    return True


def _convert(desktop: Any, request: dict[str, Any], answer: Any = None) -> None:
    # Read-only, no macros run, no linked content fetched: a document is only converted.
    load = (
        _prop("Hidden", True),
        _prop("ReadOnly", True),
        _prop("MacroExecutionMode", 0),
        _prop("UpdateDocMode", 0),
    )
    document = desktop.loadComponentFromURL(Path(request["source"]).as_uri(), "_blank", 0, load)
    if document is None:
        raise ValueError("LibreOffice could not open the document")
    try:
        data = tuple(_prop(k, v) for k, v in request["filter"].items())
        store = (
            _prop("FilterName", "writer_pdf_Export"),
            _prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)),
        )
        document.storeToURL(Path(request["target"]).as_uri(), store)
        if answer is not None:
            # The PDF is complete: answer now, and close the document while the caller goes on.
            answer()
    finally:
        with contextlib.suppress(Exception):
            document.close(True)


def _warm_up(desktop: Any, folder: str) -> None:
    """Write a small Word document and convert it as a contract is converted: the Word import
    filter, the PDF/A export and the fonts load now, while LibreOffice starts, and not during the
    first real conversion (which they slow by a second or more)."""
    docx, pdf = Path(folder) / "warm-up.docx", Path(folder) / "warm-up.pdf"
    document = desktop.loadComponentFromURL(
        "private:factory/swriter", "_blank", 0, (_prop("Hidden", True),)
    )
    try:
        text = document.getText()
        text.setString("Avtal om idéburet offentligt partnerskap. Belopp: 1 000 kr.")
        text.getStart().setPropertyValue("CharFontName", "Carlito")
        document.storeToURL(docx.as_uri(), (_prop("FilterName", "MS Word 2007 XML"),))
    finally:
        with contextlib.suppress(Exception):
            document.close(True)
    filters = {"UseTaggedPDF": True, "ExportBookmarks": True, "SelectPdfVersion": 3}
    _convert(desktop, {"source": str(docx), "target": str(pdf), "filter": filters})
    docx.unlink()
    pdf.unlink()


def _stop(group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def _watch_parent(group: int, folder: str, parent: int) -> None:
    """When the program that started this bridge ends, even by kill -9, stop LibreOffice and
    remove the profile at once: stdin may stay open a while longer (a process forked from the
    caller holds it), and an orphaned LibreOffice would run on.

    The bridge notices by being handed to a new parent; a thread polls for it.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        _stop(group)
        shutil.rmtree(folder, ignore_errors=True)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(pipe: str, group: int, start_timeout: float, folder: str) -> None:
    parent = os.getppid()
    _watch_parent(group, folder, parent)
    try:
        desktop = _connect(pipe, time.monotonic() + start_timeout)
    except Exception as exc:
        _say({"error": f"could not connect to LibreOffice: {exc}", "fatal": True})
        _stop(group)
        return
    with contextlib.suppress(Exception):  # only a speed-up: a real failure shows in a conversion
        _warm_up(desktop, folder)
    _say({"ready": True})
    answered: list[bool] = []

    def answer() -> None:
        _say({"ok": True})
        answered.append(True)

    try:
        for line in sys.stdin:
            request = json.loads(line)
            answered.clear()
            try:
                _convert(desktop, request, answer)
            except Exception as exc:
                fatal = not _alive(desktop)
                if not answered:
                    _say({"error": f"{type(exc).__name__}: {exc}".strip(), "fatal": fatal})
                if fatal:
                    return
        # stdin closed: the caller died (alive, it kills this bridge before it closes stdin),
        # so nobody else will remove the profile.
        _stop(group)
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        # LibreOffice is gone, or this bridge failed: stop it all. If the caller died meanwhile
        # (the watch stopped LibreOffice mid-conversion), remove its profile before ending.
        _stop(group)
        if os.getppid() != parent:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4])
