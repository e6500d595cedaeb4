"""Accept or reject every tracked change of Word documents in LibreOffice, and save their text.

Run by the system Python, which has LibreOffice's UNO bridge (Debian package python3-uno)::

    /usr/bin/python3 lo_tracked_changes.py SOFFICE PROFILE_DIR IN:ACTION:OUT.txt ...

ACTION is ``accept``, ``reject`` or ``none``. LibreOffice runs headless with its own profile
and is stopped at the end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def prop(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def main(soffice: str, profile: str, jobs: list[str]) -> None:
    pipe = f"iopdocs-{os.getpid()}"
    process = subprocess.Popen(
        [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
         "--nolockcheck", "--invisible", f"--accept=pipe,name={pipe};urp;"],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(300):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # LibreOffice is still starting
                time.sleep(0.2)
        else:
            raise SystemExit("LibreOffice did not start")
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        for job in jobs:
            source, action, target = job.split(":")
            document = desktop.loadComponentFromURL(
                Path(source).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),)
            )
            if action != "none":
                frame = document.getCurrentController().getFrame()
                dispatcher.executeDispatch(frame, COMMANDS[action], "", 0, ())
            document.storeToURL(
                Path(target).resolve().as_uri(),
                (prop("FilterName", "Text (encoded)"), prop("FilterOptions", "UTF8,LF")),
            )
            document.close(True)
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice quits
            desktop.terminate()
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
